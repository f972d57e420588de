"""A small gold layer (a few hundred customers) honouring the gold contract of SPEC §3.

Built from one seeded generator; the profile and monthly mart are derived from the generated
transactions with SQL, so the tables agree with each other the way the real marts do.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

AS_OF = date(2025, 6, 30)
STATES = ["CA", "TX", "NY", "FL", "IL", "WA", "PA", "OH", "GA", "NC", "MA", "AZ"]
STATE_WEIGHTS = np.array([14, 11, 9, 9, 6, 5, 6, 5, 5, 5, 4, 4], dtype=float)
CITIES = {
    "CA": ["Los Angeles", "San Diego", "San Jose"],
    "TX": ["Houston", "Austin", "Dallas"],
    "NY": ["New York", "Buffalo"],
    "FL": ["Miami", "Orlando", "Tampa"],
    "IL": ["Chicago"],
    "WA": ["Seattle", "Spokane"],
    "PA": ["Philadelphia", "Pittsburgh"],
    "OH": ["Columbus"],
    "GA": ["Atlanta"],
    "NC": ["Charlotte", "Raleigh"],
    "MA": ["Boston"],
    "AZ": ["Phoenix"],
}
CATEGORIES = [
    ("MC01", "Airlines", "Travel", "Occasional", True),
    ("MC02", "Hotels & Motels", "Travel", "Occasional", True),
    ("MC03", "Restaurants", "Dining & Entertainment", "Frequent", True),
    ("MC04", "Streaming Services", "Dining & Entertainment", "Recurring", True),
    ("MC05", "Grocery Stores", "Necessities", "Frequent", False),
    ("MC06", "Gas Stations", "Necessities", "Frequent", False),
    ("MC07", "Utilities", "Necessities", "Recurring", False),
    ("MC08", "Department Stores", "Retail", "Occasional", True),
    ("MC09", "Electronics", "Retail", "Occasional", True),
    ("MC10", "Charities", "Other", "Occasional", True),
]
MERCHANTS = {
    "MC01": ["Delta", "United"],
    "MC02": ["Marriott", "Hilton"],
    "MC03": ["Olive Garden", "Chipotle"],
    "MC04": ["Netflix"],
    "MC05": ["Kroger", "Safeway"],
    "MC06": ["Shell", "Chevron"],
    "MC07": ["PG&E"],
    "MC08": ["Macy's", "Target"],
    "MC09": ["Best Buy"],
    "MC10": ["Red Cross"],
}
FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Finn",
    "Grace",
    "Hugo",
    "Iris",
    "Jon",
    "Kai",
    "Lena",
]
LAST = ["Smith", "Garcia", "Nguyen", "O'Brien", "Patel", "Kim", "Rossi", "Meyer", "Lopez", "Chen"]


def _customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    states = rng.choice(STATES, size=n, p=STATE_WEIGHTS / STATE_WEIGHTS.sum())
    cards = rng.choice(["Standard", "Premium", "Platinum"], size=n, p=[0.6, 0.28, 0.12])
    limits = {"Standard": 5000, "Premium": 15000, "Platinum": 35000}
    first = rng.choice(FIRST, size=n)
    last = rng.choice(LAST, size=n)
    open_offsets = rng.integers(20, 2200, size=n)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
            "customer_key": [f"K{i:05d}" for i in range(1, n + 1)],
            "first_name": first,
            "last_name": last,
            "full_name": [f"{f} {g}" for f, g in zip(first, last, strict=True)],
            "email": [f"c{i}@example.com" for i in range(1, n + 1)],
            "age": rng.integers(19, 82, size=n),
            "state": states,
            "city": [str(rng.choice(CITIES[s])) for s in states],
            "employment_status": rng.choice(
                ["Employed", "Self-Employed", "Retired", "Student"], size=n
            ),
            "card_type": cards,
            "credit_limit": [float(limits[c] * rng.uniform(0.6, 1.4)) for c in cards],
            "account_open_date": [AS_OF - timedelta(days=int(d)) for d in open_offsets],
            "spend_level": rng.lognormal(np.log(110), 0.7, size=n),
            "travel_bias": rng.uniform(0, 1, size=n),
            "trend": rng.choice([0.4, 1.0, 1.0, 1.8], size=n),
            "churn_risk_score": np.where(
                rng.uniform(size=n) < 0.08, np.nan, np.round(rng.uniform(0, 100, size=n), 1)
            ),
        }
    )


def _transactions(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    start = date(2024, 1, 1)
    rows: list[tuple[object, ...]] = []
    for cust in customers.itertuples():
        if rng.uniform() < 0.05:
            continue
        first_day = max(start, cust.account_open_date)
        span = (AS_OF - first_day).days
        count = int(rng.poisson(max(span, 1) / 9))
        offsets = np.sort(rng.integers(0, span + 1, size=count))
        for offset in offsets:
            day = first_day + timedelta(days=int(offset))
            recent = (AS_OF - day).days <= 90
            weights = np.array(
                [2 + 6 * cust.travel_bias, 2 + 4 * cust.travel_bias, 4, 2, 6, 4, 2, 3, 2, 1]
            )
            cat = CATEGORIES[int(rng.choice(10, p=weights / weights.sum()))][0]
            amount = cust.spend_level * rng.lognormal(0, 0.6) * (cust.trend if recent else 1.0)
            rows.append(
                (
                    cust.customer_id,
                    cust.customer_key,
                    day,
                    cat,
                    round(float(amount), 2),
                    str(rng.choice(MERCHANTS[cat])),
                    str(rng.choice(["Online", "In-Store", "Mobile"], p=[0.4, 0.4, 0.2])),
                    "declined" if rng.uniform() < 0.05 else "approved",
                )
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "customer_id",
            "customer_key",
            "transaction_date",
            "merchant_category_key",
            "transaction_amount",
            "merchant_name",
            "channel",
            "status",
        ],
    )
    frame.insert(0, "transaction_id", [f"T{i:07d}" for i in range(1, len(frame) + 1)])
    frame["date_key"] = [int(d.strftime("%Y%m%d")) for d in frame["transaction_date"]]
    return frame


PROFILE_SQL = """
create table gold.customer_360_profile as
with approved as (
    select t.*, c.category_group
    from gold.fct_transactions as t
    left join gold.dim_merchant_category as c using (merchant_category_key)
    where t.status = 'approved'
),
spend as (
    select
        customer_id,
        sum(transaction_amount) as lifetime_value,
        count(*) as total_transactions,
        avg(transaction_amount) as avg_transaction_value,
        median(transaction_amount) as median_transaction_value,
        stddev_samp(transaction_amount) as transaction_value_stddev,
        min(transaction_amount) as min_transaction_value,
        max(transaction_amount) as max_transaction_value,
        coalesce(sum(transaction_amount) filter (where transaction_date > $as_of - 30), 0)
            as spend_last_30_days,
        coalesce(sum(transaction_amount) filter (where transaction_date > $as_of - 90), 0)
            as spend_last_90_days,
        coalesce(sum(transaction_amount) filter (
            where transaction_date > $as_of - 180 and transaction_date <= $as_of - 90), 0)
            as spend_prior_90_days,
        min(transaction_date) as first_transaction_date,
        max(transaction_date) as last_transaction_date,
        100.0 * sum(transaction_amount) filter (where category_group = 'Travel')
            / sum(transaction_amount) as travel_spend_pct,
        100.0 * sum(transaction_amount) filter (where category_group = 'Necessities')
            / sum(transaction_amount) as necessities_spend_pct
    from approved
    group by customer_id
),
joined as (
    select
        c.customer_id, c.customer_key, c.first_name, c.last_name, c.full_name, c.email, c.age,
        c.state, c.city, c.employment_status, c.card_type, c.credit_limit, c.account_open_date,
        ($as_of - c.account_open_date) as account_age_days,
        datediff('month', c.account_open_date, $as_of) as tenure_months,
        coalesce(s.lifetime_value, 0) as lifetime_value,
        coalesce(s.total_transactions, 0) as total_transactions,
        s.avg_transaction_value, s.median_transaction_value, s.transaction_value_stddev,
        s.min_transaction_value, s.max_transaction_value,
        1 - s.transaction_value_stddev / nullif(s.avg_transaction_value, 0) as spending_consistency,
        coalesce(s.spend_last_30_days, 0) as spend_last_30_days,
        coalesce(s.spend_last_90_days, 0) as spend_last_90_days,
        coalesce(s.spend_prior_90_days, 0) as spend_prior_90_days,
        100.0 * (s.spend_last_90_days - s.spend_prior_90_days) / nullif(s.spend_prior_90_days, 0)
            as spend_change_pct,
        coalesce(s.lifetime_value, 0)
            / greatest(1, least(18, datediff('month', c.account_open_date, $as_of)))
            as avg_monthly_spend,
        null::double as mom_spend_change_pct,
        s.first_transaction_date, s.last_transaction_date,
        $as_of - s.last_transaction_date as days_since_last_transaction,
        s.travel_spend_pct, s.necessities_spend_pct,
        c.churn_risk_score
    from customers as c
    left join spend as s using (customer_id)
),
final as (
    select
        *,
        case
            when days_since_last_transaction <= 30 then 'Active (30 days)'
            when days_since_last_transaction <= 60 then 'Recent (60 days)'
            when days_since_last_transaction <= 90 then 'At Risk (90 days)'
            else 'Inactive (90+ days)'
        end as recency_status,
        case
            when travel_spend_pct >= 40 then 'Travel-Focused'
            when necessities_spend_pct >= 50 then 'Necessity-Focused'
            else 'Balanced'
        end as spending_profile,
        100.0 * avg_monthly_spend / credit_limit as credit_utilization_pct,
        case
            when churn_risk_score is null then 'Not Scored'
            when churn_risk_score >= 70 then 'High Risk'
            when churn_risk_score >= 40 then 'Medium Risk'
            else 'Low Risk'
        end as churn_risk_category,
        case
            when spend_last_90_days / 3 >= 1500 and travel_spend_pct >= 25
                then 'High-Value Travelers'
            when spend_change_pct <= -30 and spend_prior_90_days >= 1000 then 'Declining'
            when tenure_months <= 12 and coalesce(spend_change_pct, 100) >= 50
                then 'New & Growing'
            when avg_monthly_spend < 600 and necessities_spend_pct >= 40 then 'Budget-Conscious'
            else 'Stable Mid-Spenders'
        end as customer_segment
    from joined
)
select
    *,
    $as_of - 10 as segment_assigned_date,
    customer_segment = 'Declining' or churn_risk_category = 'High Risk'
        as eligible_for_retention_campaign,
    customer_segment = 'New & Growing' as eligible_for_onboarding_campaign,
    customer_segment = 'High-Value Travelers' as eligible_for_premium_campaign,
    $as_of as profile_updated_date
from final
"""

MONTHLY_SQL = """
create table gold.monthly_customer_spending as
select
    t.customer_id,
    date_trunc('month', t.transaction_date)::date as month,
    sum(t.transaction_amount) as total_spend,
    count(*) as transaction_count,
    avg(t.transaction_amount) as avg_transaction_value,
    p.customer_segment, p.card_type, p.state
from gold.fct_transactions as t
left join gold.customer_360_profile as p using (customer_id)
where t.status = 'approved'
group by all
"""


def build_gold_warehouse(path: Path, seed: int = 7, customers: int = 300) -> Path:
    """Write a gold-contract DuckDB warehouse to `path` and return it."""
    rng = np.random.default_rng(seed)
    people = _customers(rng, customers)
    transactions = _transactions(rng, people)
    categories = pd.DataFrame(
        CATEGORIES,
        columns=[
            "merchant_category_key",
            "category_name",
            "category_group",
            "spending_type",
            "discretionary_flag",
        ],
    )
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema gold")
        con.register("customers", people)
        con.register("transactions_df", transactions)
        con.register("categories_df", categories)
        con.execute("create table gold.dim_merchant_category as select * from categories_df")
        con.execute("create table gold.fct_transactions as select * from transactions_df")
        con.execute(PROFILE_SQL.replace("$as_of", f"date '{AS_OF.isoformat()}'"))
        con.execute(MONTHLY_SQL)
        con.execute(
            "create table gold.dim_customer as select customer_key, customer_id, card_type, "
            "credit_limit, account_open_date as valid_from, null::date as valid_to, "
            "true as is_current from customers"
        )
        con.execute("create table secrets as select 'hunter2' as password")
    finally:
        con.close()
    return path
