"""The churn label at a cutoff C, from the outcome window after C (never a model input).

churned = no approved transaction in (C, C+60d]
          OR approved spend in (C, C+90d] < 70% of approved spend in (C-90d, C].
Rows come only for customers with approved spend in (C-90d, C]; `dataset` joins them to the
eligible feature rows. A label is only complete once C + 90 days <= the data's as_of.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

NO_ACTIVITY_DAYS = 60
OUTCOME_DAYS = 90
PRIOR_DAYS = 90
DROP_RATIO = 0.70

LABEL_SQL = """
with

per_customer as (
    select
        cid,
        sum(case when d <= $1 then amount else 0 end) as spend_before,
        count(*) filter (where d > $1 and d <= $1 + $2) as purchases_after,
        sum(case when d > $1 then amount else 0 end) as spend_after
    from churn_txn
    where approved and d > $1 - $4 and d <= $1 + $3
    group by cid
),

final as (
    select
        customers.customer_id,
        per_customer.purchases_after = 0
            or per_customer.spend_after < $5 * per_customer.spend_before as churned
    from per_customer
    inner join churn_customers as customers on per_customer.cid = customers.cid
    where per_customer.spend_before > 0
)

select * from final
"""


def build_labels(con: duckdb.DuckDBPyConnection, cutoff: date) -> pd.DataFrame:
    """customer_id, churned for customers with approved spend in the 90 days up to `cutoff`."""
    frame = con.execute(
        LABEL_SQL, [cutoff, NO_ACTIVITY_DAYS, OUTCOME_DAYS, PRIOR_DAYS, DROP_RATIO]
    ).df()
    frame["churned"] = frame["churned"].astype("int8")
    return frame


def outcome_complete(cutoff: date, as_of: date) -> bool:
    """True when the whole outcome window of `cutoff` lies on or before `as_of`."""
    return (as_of - cutoff).days >= OUTCOME_DAYS
