"""Transactions aggregated once per (customer, period) for a set of cutoffs.

Every feature and label window is a day range ending on a boundary C + offset of some cutoff C
(C-365, C-180, C-150, ..., C-30, C, C+60, C+90). Cutting the calendar at the union of all these
boundaries gives periods (lo, hi] that each window either contains whole or not at all, so one
scan of `gold.fct_transactions` grouped by (customer, period) replaces the per-cutoff scans:
13.5M transactions become about 1.5M period rows at default scale, and each window's sum is a
sum over its periods. Amounts are integer cents, so every sum is exact and independent of
parallel aggregation order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import duckdb

from customer360.churn.labels import NO_ACTIVITY_DAYS, OUTCOME_DAYS

LOOKBACK_DAYS = 365
MONTH_DAYS = 30
MONTHS_BACK = 6  # C-30, C-60, ..., C-180: the 30/90/180-day windows and the monthly slope
BOUNDARY_OFFSETS = (
    -LOOKBACK_DAYS,
    *(-MONTH_DAYS * k for k in range(MONTHS_BACK, 0, -1)),
    0,
    NO_ACTIVITY_DAYS,
    OUTCOME_DAYS,
)
DAY_BITS = 63  # periods up to this long carry a bit per active day (exact active-day counts)

STAGE_CUTOFFS = "create or replace temp table churn_cutoffs as select unnest(?::date[]) as cutoff"

STAGE_BOUNDS = """
create or replace temp table churn_period_bounds as
select
    cast(row_number() over (order by hi) as smallint) as period_id,
    lo,
    hi
from (
    select lag(b) over (order by b) as lo, b as hi
    from (select unnest(?::date[]) as b)
)
where lo is not null
"""

STAGE_PERIODS = """
create or replace temp table churn_periods as
with

day_period as (
    select cast(d as date) as d, b.period_id, b.hi, b.hi - b.lo <= $3 as has_day_bits
    from churn_period_bounds as b,
        range(b.lo + 1, b.hi + 1, interval 1 day) as r(d)
),

categories as (
    select
        merchant_category_key,
        category_group,
        cast(row_number() over (order by category_name) as bigint) as category_id
    from gold.dim_merchant_category
),

txn as (
    select
        fct.customer_id,
        p.period_id,
        fct.transaction_date as d,
        p.hi,
        p.has_day_bits,
        fct.is_approved as ap,
        cast(fct.transaction_amount * 100 as bigint) as cents,
        cat.category_group as grp,
        cat.category_id,
        fct.channel
    from gold.fct_transactions as fct
    inner join day_period as p on fct.transaction_date = p.d
    left join categories as cat on fct.merchant_category_key = cat.merchant_category_key
    where fct.transaction_date > $1
        and fct.transaction_date <= $2
        and fct.transaction_amount > 0
),

per_period as (
    select
        customer_id,
        period_id,
        count(*) as attempts,
        count(*) filter (where ap) as n,
        coalesce(sum(cents) filter (where ap), 0) as cents,
        max(cents) filter (where ap) as max_cents,
        coalesce(sum(cents) filter (where ap and grp = 'Travel'), 0) as travel_cents,
        coalesce(sum(cents) filter (where ap and grp = 'Necessities'), 0) as necessities_cents,
        coalesce(sum(cents) filter (where ap and grp = 'Dining & Entertainment'), 0)
            as dining_cents,
        coalesce(sum(cents) filter (where ap and grp = 'Retail'), 0) as retail_cents,
        count(*) filter (where ap and isodow(d) >= 6) as weekend_n,
        count(*) filter (where ap and channel = 'Online') as online_n,
        count(*) filter (where ap and channel = 'Mobile') as mobile_n,
        coalesce(bit_or(cast(1 as bigint) << category_id) filter (where ap), 0) as category_bits,
        bit_or(case when has_day_bits then cast(1 as bigint) << cast(hi - d as bigint) end)
            filter (where ap) as day_bits,
        min(d) filter (where ap) as first_d,
        max(d) filter (where ap) as last_d
    from txn
    group by customer_id, period_id
),

final as (
    select customers.cid, per_period.* exclude (customer_id)
    from per_period
    inner join churn_customers as customers on per_period.customer_id = customers.customer_id
)

select * from final
"""


def boundaries(cutoffs: Sequence[date]) -> list[date]:
    return sorted({c + timedelta(days=o) for c in cutoffs for o in BOUNDARY_OFFSETS})


def stage_periods(con: duckdb.DuckDBPyConnection, cutoffs: Sequence[date]) -> None:
    """Temp tables `churn_cutoffs`, `churn_period_bounds` and `churn_periods` for `cutoffs`.

    Skipped when they are already staged for the same cutoffs (training builds features and
    labels from one staging). Needs `churn_customers` (`sources.stage_sources`).
    """
    wanted = sorted(set(cutoffs))
    if _staged_cutoffs(con) == wanted:
        return
    bounds = boundaries(wanted)
    con.execute(STAGE_CUTOFFS, [wanted])
    con.execute(STAGE_BOUNDS, [bounds])
    con.execute(STAGE_PERIODS, [bounds[0], bounds[-1], DAY_BITS])


def _staged_cutoffs(con: duckdb.DuckDBPyConnection) -> list[date] | None:
    present = con.execute(
        "select count(*) from duckdb_tables() where temporary "
        "and table_name in ('churn_cutoffs', 'churn_periods')"
    ).fetchone()[0]
    if present < 2:
        return None
    return [row[0] for row in con.execute("select cutoff from churn_cutoffs order by 1").fetchall()]
