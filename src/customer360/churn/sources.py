"""The warehouse tables the churn stage reads, staged once per connection as small temp tables.

Training and scoring both call `stage_sources` and then the same feature SQL, so the two can
never drift apart. Only silver/gold tables are read; the generator's oracle never is.
"""

from __future__ import annotations

from datetime import date

import duckdb

from customer360.churn.errors import MissingWarehouseTableError, NotEnoughHistoryError

REQUIRED_TABLES = ("gold.fct_transactions", "gold.dim_merchant_category", "gold.dim_customer")

STAGE_CUSTOMERS = """
create or replace temp table churn_customers as
select customer_id, cast(row_number() over (order by customer_id) as integer) as cid
from (select distinct customer_id from gold.dim_customer)
"""

STAGE_HISTORY = """
create or replace temp table churn_history as
select min(transaction_date) as data_start, max(transaction_date) as data_end
from gold.fct_transactions
where transaction_amount > 0
"""

STAGE_VERSIONS = """
create or replace temp table churn_customer_versions as
select
    cu.cid,
    valid_from,
    valid_to,
    account_open_date,
    card_type,
    case card_type when 'Standard' then 0 when 'Premium' then 1 when 'Platinum' then 2 end
        as card_rank,
    cast(credit_limit as double) as credit_limit,
    age
from gold.dim_customer as dc
inner join churn_customers as cu
    on dc.customer_id = cu.customer_id
"""


def stage_sources(con: duckdb.DuckDBPyConnection) -> None:
    """Create temp tables `churn_customers`, `churn_customer_versions` and `churn_history`.

    Integer customer keys (`cid`) keep the per-cutoff aggregations fast. Transactions are not
    copied: `periods.stage_periods` aggregates them straight from gold for the cutoffs at hand.
    """
    present = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    missing = [table for table in REQUIRED_TABLES if table not in present]
    if missing:
        raise MissingWarehouseTableError(
            f"warehouse lacks {', '.join(missing)}; run `c360 ingest` and `c360 transform` first"
        )
    con.execute(STAGE_CUSTOMERS)
    con.execute(STAGE_VERSIONS)
    con.execute(STAGE_HISTORY)


def data_window(con: duckdb.DuckDBPyConnection) -> tuple[date, date]:
    """(first, last) transaction date in gold (as staged in `churn_history`)."""
    first, last = con.execute("select data_start, data_end from churn_history").fetchone()
    if first is None:
        raise NotEnoughHistoryError(
            "gold.fct_transactions holds no transactions to train or score on; land "
            "transaction files and run `c360 ingest` and `c360 transform`"
        )
    return first, last
