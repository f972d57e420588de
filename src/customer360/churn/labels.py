"""The churn label at a cutoff C, from the outcome window after C (never a model input).

churned = no approved transaction in (C, C+60d]
          OR approved spend in (C, C+90d] < 70% of approved spend in (C-90d, C].
Rows come only for customers with approved spend in (C-90d, C]; `dataset` joins them to the
eligible feature rows. Sums run over the transaction periods of `periods`. A label is only
complete once C + 90 days <= the data's as_of.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        k.cutoff,
        p.cid,
        coalesce(sum(p.cents) filter (where b.hi <= k.cutoff), 0) as spend_before,
        coalesce(sum(p.n) filter (where b.lo >= k.cutoff and b.hi <= k.cutoff + $1), 0)
            as purchases_after,
        coalesce(sum(p.cents) filter (where b.lo >= k.cutoff), 0) as spend_after
    from churn_cutoffs as k
    inner join churn_period_bounds as b
        on b.lo >= k.cutoff - $3 and b.hi <= k.cutoff + $2
    inner join churn_periods as p on b.period_id = p.period_id
    group by k.cutoff, p.cid
),

final as (
    select
        customers.customer_id,
        per_customer.cutoff as cutoff_date,
        per_customer.purchases_after = 0
            or per_customer.spend_after < $4 * per_customer.spend_before as churned
    from per_customer
    inner join churn_customers as customers on per_customer.cid = customers.cid
    where per_customer.spend_before > 0
)

select * from final
"""


def build_labels(con: duckdb.DuckDBPyConnection, cutoffs: date | Sequence[date]) -> pd.DataFrame:
    """customer_id, cutoff_date, churned for customers with approved spend in the 90 days up to
    each cutoff (all cutoffs in one statement over the staged periods)."""
    from customer360.churn.periods import stage_periods

    stage_periods(con, [cutoffs] if isinstance(cutoffs, date) else list(cutoffs))
    frame = con.execute(LABEL_SQL, [NO_ACTIVITY_DAYS, OUTCOME_DAYS, PRIOR_DAYS, DROP_RATIO]).df()
    frame["cutoff_date"] = pd.to_datetime(frame["cutoff_date"]).dt.date
    frame["churned"] = frame["churned"].astype("int8")
    return frame


def outcome_complete(cutoff: date, as_of: date) -> bool:
    """True when the whole outcome window of `cutoff` lies on or before `as_of`."""
    return (as_of - cutoff).days >= OUTCOME_DAYS
