"""Every query the dashboard runs: static SQL text, user values only as `$name` parameters.

This package is the only place in the app with SQL. Functions take a `ReadOnlyWarehouse` and
plain hashable arguments and return DataFrames or dicts, so the cached layer (`cache.py`) and
the benchmark (`bench.py`) call the very same code.
"""

from customer360.app.data.base import (
    RISK_ORDER,
    SegmentFilter,
    TransactionFilter,
    existing_tables,
)
from customer360.app.data.campaign import (
    campaign_audience,
    latest_model,
    model_runs,
    score_distribution,
    unscored_in_audience,
)
from customer360.app.data.customers import (
    customer_profile,
    customer_transactions,
    customer_versions,
    sample_customer_ids,
    search_customers,
    transaction_categories,
)
from customer360.app.data.health import (
    dbt_results,
    freshness,
    ingest_batches,
    quarantine_by_reason,
    table_rows,
)
from customer360.app.data.segments import (
    customer_list,
    filter_options,
    risk_mix,
    segment_mix,
    segment_summary,
)

__all__ = [
    "RISK_ORDER",
    "SegmentFilter",
    "TransactionFilter",
    "campaign_audience",
    "customer_list",
    "customer_profile",
    "customer_transactions",
    "customer_versions",
    "dbt_results",
    "existing_tables",
    "filter_options",
    "freshness",
    "ingest_batches",
    "latest_model",
    "model_runs",
    "quarantine_by_reason",
    "risk_mix",
    "sample_customer_ids",
    "score_distribution",
    "search_customers",
    "segment_mix",
    "segment_summary",
    "table_rows",
    "transaction_categories",
    "unscored_in_audience",
]
