"""Data Health queries: rows per layer, ingest manifest, quarantine, freshness, dbt results."""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer360.app.connection import ReadOnlyWarehouse
from customer360.app.data.base import frame

LAYERS = ("bronze", "silver", "gold", "ml", "ops")

_TABLE_ROWS_SQL = """
select schema_name as layer, table_name, estimated_size as rows
from duckdb_tables()
where list_contains($layers::varchar[], schema_name)
order by list_position($layers::varchar[], schema_name), table_name
"""

_MANIFEST_SQL = """
select entity, batch, status, count(*) as files, sum(rows_in) as rows_in,
       sum(rows_loaded) as rows_loaded, sum(rows_quarantined) as rows_quarantined,
       max(loaded_at) as last_loaded_at
from ops.file_manifest
group by all
order by last_loaded_at desc, entity
"""

_QUARANTINE_SQL = """
select entity, reason, count(*) as rows
from ops.quarantine
group by all
order by rows desc, entity, reason
"""

_FRESHNESS_SQL = """
select
    (select as_of_date from silver.int_as_of) as as_of_date,
    (select max(transaction_date) from gold.fct_transactions) as latest_transaction_date,
    (select max(loaded_at) from ops.file_manifest) as last_ingested_at,
    (select max(profile_updated_date) from gold.customer_360_profile) as profile_updated_date,
    (select count(*) from gold.customer_360_profile) as customers
"""


_DBT_RESULTS_SQL = """
select generated_at, resource_type, name, status, failures, seconds, message
from ops.dbt_results
order by resource_type, name
"""


def table_rows(wh: ReadOnlyWarehouse) -> pd.DataFrame:
    return frame(wh, _TABLE_ROWS_SQL, {"layers": list(LAYERS)})


def ingest_batches(wh: ReadOnlyWarehouse) -> pd.DataFrame:
    return frame(wh, _MANIFEST_SQL)


def quarantine_by_reason(wh: ReadOnlyWarehouse) -> pd.DataFrame:
    return frame(wh, _QUARANTINE_SQL)


def freshness(wh: ReadOnlyWarehouse) -> dict[str, Any]:
    return frame(wh, _FRESHNESS_SQL).iloc[0].to_dict()


def dbt_results(wh: ReadOnlyWarehouse) -> pd.DataFrame:
    """The last full dbt build of this warehouse, one row per node (`ops.dbt_results`)."""
    return frame(wh, _DBT_RESULTS_SQL)
