"""The warehouse tables the churn stage reads, staged once per connection as slim temp tables.

Training and scoring both call `stage_sources` and then the same feature SQL, so the two can
never drift apart. Only silver/gold tables are read; the generator's oracle never is.
"""

from __future__ import annotations

import duckdb

from customer360.churn.errors import MissingWarehouseTableError

REQUIRED_TABLES = ("gold.fct_transactions", "gold.dim_merchant_category", "gold.dim_customer")

STAGE_CUSTOMERS = """
create or replace temp table churn_customers as
select customer_id, cast(row_number() over (order by customer_id) as integer) as cid
from (select distinct customer_id from gold.dim_customer)
"""

STAGE_TRANSACTIONS = """
create or replace temp table churn_txn as
select
    cu.cid,
    fct.transaction_date as d,
    cast(fct.transaction_amount as decimal(18, 2)) as amount,
    fct.is_approved as approved,
    cat.category_group as grp,
    cat.category_id as category,
    fct.channel,
    isodow(fct.transaction_date) >= 6 as weekend
from gold.fct_transactions as fct
inner join churn_customers as cu
    on fct.customer_id = cu.customer_id
left join (
    select
        merchant_category_key,
        category_group,
        cast(row_number() over (order by category_name) as smallint) as category_id
    from gold.dim_merchant_category
) as cat
    on fct.merchant_category_key = cat.merchant_category_key
where fct.transaction_date is not null
    and fct.transaction_amount > 0
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
    """Create temp tables `churn_customers`, `churn_txn`, `churn_customer_versions`.

    Integer customer keys (`cid`) keep the per-cutoff aggregations fast.
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
    con.execute(STAGE_TRANSACTIONS)
    con.execute(STAGE_VERSIONS)


def data_window(con: duckdb.DuckDBPyConnection) -> tuple:
    """(first, last) transaction date staged in `churn_txn`."""
    first, last = con.execute("select min(d), max(d) from churn_txn").fetchone()
    return first, last
