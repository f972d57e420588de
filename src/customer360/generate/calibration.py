"""Calibration checks computed from the landing files with DuckDB (SPEC §4 segments, §5 label).

These mirror the warehouse rules so the generator can be tuned against them; the warehouse has
its own implementation in dbt.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path

import duckdb

SEGMENT_SQL = """
with approved as (
    select t.customer_id, t.ts::date as d, t.amount, c.category_group
    from txn as t
    inner join cats as c on t.cat = c.cat
    where t.status = 'approved' and t.amount > 0 and t.ts::date <= $as_of
),
windows as (
    select
        customer_id,
        sum(amount) filter (where d > $as_of - 90) as s90,
        sum(amount) filter (where d > $as_of - 180 and d <= $as_of - 90) as p90,
        sum(amount) filter (where d > $as_of - 90 and category_group = 'Travel') as t90,
        sum(amount) filter (where d > $as_of - 90 and category_group = 'Necessities') as n90,
        sum(amount) filter (where d > $as_of - 30) as s30,
        sum(amount) filter (where d > $as_of - 60 and d <= $as_of - 30) as p30
    from approved
    group by all
),
metrics as (
    select
        cu.customer_id,
        cu.open_date,
        coalesce(w.s90, 0) as s90,
        coalesce(w.p90, 0) as p90,
        coalesce(w.t90, 0) as t90,
        coalesce(w.n90, 0) as n90,
        coalesce(w.s30, 0) as s30,
        coalesce(w.p30, 0) as p30
    from cust as cu
    left join windows as w on cu.customer_id = w.customer_id
),
segments as (
    select
        case
            when s90 / 3 >= 5000 and t90 >= 0.25 * s90 then 'High-Value Travelers'
            when p90 >= 2000 and s90 <= 0.7 * p90 then 'Declining'
            when open_date > $as_of - interval 6 month and (
                (open_date <= $as_of - 180 and p90 > 0 and s90 >= 1.5 * p90)
                or (open_date > $as_of - 180 and s30 > 0 and s30 >= 1.5 * p30)
            ) then 'New & Growing'
            when s90 / 3 < 1500 and s90 > 0 and n90 >= 0.6 * s90 then 'Budget-Conscious'
            else 'Stable Mid-Spenders'
        end as segment
    from metrics
)
select segment, count(*) / sum(count(*)) over () as share
from segments
group by segment
order by segment
"""

LABEL_SQL = """
with approved as (
    select customer_id, ts::date as d, amount
    from txn
    where status = 'approved' and amount > 0
),
per as (
    select
        customer_id,
        sum(amount) filter (where d > $c - 90 and d <= $c) as before90,
        count(*) filter (where d > $c and d <= $c + 60) as after60_n,
        sum(amount) filter (where d > $c and d <= $c + 90) as after90
    from approved
    where d > $c - 90 and d <= $c + 90
    group by all
),
eligible as (
    select p.*
    from per as p
    inner join cust as cu on p.customer_id = cu.customer_id
    where p.before90 > 0 and cu.open_date <= $c - 90
)
select
    count(*) as eligible,
    avg(case when after60_n = 0 or coalesce(after90, 0) < 0.7 * before90 then 1 else 0 end)
from eligible
"""


def _connect(landing_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ref = files("customer360.reference").joinpath("merchant_categories.csv")
    con.execute(
        "create table cats as select lower(category_name) as cat, category_group "
        "from read_csv(?, header = true, all_varchar = true)",
        [str(ref)],
    )
    for entity, select in (
        ("customers", "select trim(customer_id) as customer_id, "
         "min(try_cast(account_open_date as date)) as open_date from src "
         "where regexp_matches(trim(customer_id), '^CUST[0-9]{8}$') group by all"),
        ("transactions", "select trim(customer_id) as customer_id, "
         "try_cast(transaction_ts as timestamp) as ts, "
         "try_cast(amount as decimal(18, 2)) as amount, "
         "lower(trim(status)) as status, lower(trim(merchant_category)) as cat from src"),
    ):  # fmt: skip
        paths = sorted(
            str(p) for p in (landing_dir / entity).iterdir() if not p.name.startswith(".")
        )
        reader = (
            "read_parquet($paths)"
            if paths and paths[0].endswith(".parquet")
            else "read_csv($paths, header = true, all_varchar = true, ignore_errors = true, "
            "strict_mode = false)"
        )
        table = "cust" if entity == "customers" else "txn"
        con.execute(f"create table {table} as " + select.replace("src", reader), {"paths": paths})
    return con


def segment_shares(landing_dir: Path, as_of: dt.date) -> dict[str, float]:
    """Share of customers per SPEC §4 segment at `as_of`, from the landing files."""
    con = _connect(Path(landing_dir))
    rows = con.execute(SEGMENT_SQL, {"as_of": as_of}).fetchall()
    return {segment: float(share) for segment, share in rows}


def churn_label_rates(
    landing_dir: Path, cutoffs: list[dt.date]
) -> dict[dt.date, tuple[int, float]]:
    """(eligible customers, churn label rate) per cutoff, SPEC §5 label, from the landing files."""
    con = _connect(Path(landing_dir))
    out = {}
    for c in cutoffs:
        eligible, rate = con.execute(LABEL_SQL, {"c": c}).fetchone()
        out[c] = (int(eligible), float(rate or 0.0))
    return out
