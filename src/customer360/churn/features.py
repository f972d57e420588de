"""Point-in-time churn features: one SQL builder over a table of cutoff dates.

Every value is computed from rows dated on or before the cutoff C (the transaction periods
inside (C-365d, C], the customer version valid at C, card/limit versions that started on or
before C). Training and scoring call `build_features` with the same SQL. Only eligible customers
are returned: an approved transaction in (C-90d, C] and an account open at least 90 days at C.
Sums are over integer cents (`periods`), so they are exact: parallel aggregation order can never
change a feature, and the same data always gives the same model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from customer360.churn.periods import stage_periods

ELIGIBLE_ACTIVE_DAYS = 90
ELIGIBLE_TENURE_DAYS = 90

FEATURE_SQL = """
with

history as (
    select k.cutoff, h.data_start
    from churn_cutoffs as k
    cross join churn_history as h
),

ranked_versions as (
    select
        k.cutoff,
        v.*,
        lag(v.card_rank) over (partition by k.cutoff, v.cid order by v.valid_from)
            as prev_card_rank,
        lag(v.credit_limit) over (partition by k.cutoff, v.cid order by v.valid_from)
            as prev_credit_limit
    from churn_cutoffs as k
    inner join churn_customer_versions as v on v.valid_from <= k.cutoff
),

account as (
    select cutoff, cid, card_rank, credit_limit, account_open_date, age
    from ranked_versions
    where valid_to > cutoff
),

changes as (
    select
        cutoff,
        cid,
        count(*) filter (where card_rank > prev_card_rank) as card_upgrades_365d,
        count(*) filter (where card_rank < prev_card_rank) as card_downgrades_365d,
        count(*) filter (where credit_limit > prev_credit_limit) as limit_increases_365d,
        count(*) filter (where credit_limit < prev_credit_limit) as limit_decreases_365d,
        min(cutoff - valid_from) as days_since_account_change
    from ranked_versions
    where prev_card_rank is not null and valid_from > cutoff - 365
    group by cutoff, cid
),

windows as (
    -- the periods inside (C-365d, C] and the windows each lies in (periods never straddle one)
    select
        k.cutoff,
        b.period_id,
        cast(b.lo >= k.cutoff - 30 as integer) as w30,
        cast(b.lo >= k.cutoff - 90 as integer) as w90,
        cast(b.lo >= k.cutoff - 180 as integer) as w180,
        cast(b.lo >= k.cutoff - 180 and b.hi <= k.cutoff - 90 as integer) as p90,
        cast(b.lo >= k.cutoff - 60 and b.hi <= k.cutoff - 30 as integer) as p30,
        case when b.lo >= k.cutoff - 180 then 5 - 2 * ((k.cutoff - b.hi) // 30) else 0 end
            as month_x
    from churn_cutoffs as k
    inner join churn_period_bounds as b on b.lo >= k.cutoff - 365 and b.hi <= k.cutoff
),

agg as (
    select
        w.cutoff,
        p.cid,
        max(p.last_d) as last_d,
        min(p.first_d) as first_d_365,
        sum(p.n * w.w30) as n30,
        sum(p.n * w.w90) as n90,
        sum(p.n * w.w180) as n180,
        sum(p.n) as n365,
        sum(p.n * w.p90) as n_prev90,
        sum(p.n * w.p30) as n_prev30,
        sum(p.cents * w.w30) / 100.0 as s30,
        sum(p.cents * w.w90) / 100.0 as s90,
        sum(p.cents * w.w180) / 100.0 as s180,
        sum(p.cents) / 100.0 as s365,
        sum(p.cents * w.p90) / 100.0 as s_prev90,
        sum(p.cents * w.p30) / 100.0 as s_prev30,
        sum(p.travel_cents * w.w90) / 100.0 as travel90,
        sum(p.necessities_cents * w.w90) / 100.0 as necessities90,
        sum(p.dining_cents * w.w90) / 100.0 as dining90,
        sum(p.retail_cents * w.w90) / 100.0 as retail90,
        sum(p.travel_cents * w.p90) / 100.0 as travel_prev90,
        max(coalesce(p.max_cents, 0) * w.w90) / 100.0 as max_ticket_90d,
        bit_count(bit_or(p.category_bits * w.w90)) as categories_90d,
        bit_count(bit_or(p.category_bits * w.p90)) as categories_prev90d,
        bit_count(bit_or(p.category_bits)) as categories_365d,
        sum(coalesce(bit_count(p.day_bits), 0) * w.w90) as active_days_90d,
        sum((p.attempts - p.n) * w.w30) as declines_30d,
        sum((p.attempts - p.n) * w.w90) as declines_90d,
        sum(p.attempts - p.n) as declines_365d,
        sum(p.attempts * w.w30) as attempts_30d,
        sum(p.attempts * w.w90) as attempts_90d,
        sum(p.attempts) as attempts_365d,
        sum(p.weekend_n * w.w90) as weekend_n90,
        sum(p.online_n * w.w90) as online_n90,
        sum(p.mobile_n * w.w90) as mobile_n90,
        sum(w.month_x * p.cents) / 100.0 / 35.0 as spend_slope_raw,
        sum(w.month_x * p.n) / 35.0 as count_slope_raw
    from churn_periods as p
    inner join windows as w on p.period_id = w.period_id
    group by w.cutoff, p.cid
),

final as (
    select
        customers.customer_id,
        agg.cutoff as cutoff_date,
        agg.cutoff - agg.last_d as recency_days,
        agg.n30 as txn_count_30d,
        agg.n90 as txn_count_90d,
        agg.n180 as txn_count_180d,
        agg.n365 * 30.0 / observed.days as txn_per_month_365d,
        agg.s30 as spend_30d,
        agg.s90 as spend_90d,
        agg.s180 as spend_180d,
        agg.s365 * 30.0 / observed.days as spend_per_month_365d,
        agg.s90 / agg.n90 as avg_ticket_90d,
        agg.s365 / nullif(agg.n365, 0) as avg_ticket_365d,
        agg.max_ticket_90d,
        agg.s90 / nullif(agg.s_prev90, 0) - 1 as spend_change_90d,
        agg.s30 / nullif(agg.s_prev30, 0) - 1 as spend_change_30d,
        agg.n90 / nullif(agg.n_prev90, 0) - 1 as count_change_90d,
        agg.s30 * 3 / agg.s90 as spend_30d_vs_90d,
        agg.n30 * 3.0 / agg.n90 as count_30d_vs_90d,
        agg.s90 / 3 / nullif(agg.s365 * 30.0 / observed.days, 0) as spend_90d_vs_year,
        agg.spend_slope_raw / nullif(agg.s180 / 6, 0) as spend_slope_6m,
        agg.count_slope_raw / nullif(agg.n180 / 6.0, 0) as count_slope_6m,
        sqrt(
            (power(agg.s30 - agg.s90 / 3, 2) + power(agg.s_prev30 - agg.s90 / 3, 2)
                + power(agg.s90 - agg.s30 - agg.s_prev30 - agg.s90 / 3, 2)) / 3
        ) / (agg.s90 / 3) as monthly_spend_cv_90d,
        agg.travel90 / agg.s90 as travel_share_90d,
        agg.necessities90 / agg.s90 as necessities_share_90d,
        agg.dining90 / agg.s90 as dining_share_90d,
        agg.retail90 / agg.s90 as retail_share_90d,
        agg.travel90 / agg.s90 - agg.travel_prev90 / nullif(agg.s_prev90, 0)
            as travel_share_change_90d,
        agg.categories_90d,
        agg.categories_90d - coalesce(agg.categories_prev90d, 0) as categories_change_90d,
        agg.categories_365d,
        agg.active_days_90d,
        (agg.last_d - agg.first_d_365) / nullif(agg.n365 - 1, 0) as mean_gap_days_365d,
        (agg.cutoff - agg.last_d)
            / nullif((agg.last_d - agg.first_d_365) / nullif(agg.n365 - 1, 0), 0)
            as recency_vs_usual_gap,
        agg.declines_30d,
        agg.declines_90d,
        agg.declines_90d / agg.attempts_90d as decline_rate_90d,
        agg.declines_30d / nullif(agg.attempts_30d, 0) as decline_rate_30d,
        agg.declines_90d / agg.attempts_90d - agg.declines_365d / agg.attempts_365d
            as decline_rate_change,
        agg.weekend_n90 / agg.n90 as weekend_share_90d,
        agg.online_n90 / agg.n90 as online_share_90d,
        agg.mobile_n90 / agg.n90 as mobile_share_90d,
        account.credit_limit,
        agg.s90 / 3 / account.credit_limit as utilisation_90d,
        agg.s30 / account.credit_limit as utilisation_30d,
        account.card_rank as card_tier,
        coalesce(changes.card_upgrades_365d, 0) as card_upgrades_365d,
        coalesce(changes.card_downgrades_365d, 0) as card_downgrades_365d,
        coalesce(changes.limit_increases_365d, 0) as limit_increases_365d,
        coalesce(changes.limit_decreases_365d, 0) as limit_decreases_365d,
        changes.days_since_account_change,
        agg.cutoff - account.account_open_date as tenure_days,
        account.age
    from agg
    inner join account on agg.cutoff = account.cutoff and agg.cid = account.cid
    inner join history on agg.cutoff = history.cutoff
    inner join churn_customers as customers on agg.cid = customers.cid
    cross join lateral (
        select greatest(
            least(365, agg.cutoff - greatest(account.account_open_date, history.data_start) + 1),
            30
        ) as days
    ) as observed
    left join changes on agg.cutoff = changes.cutoff and agg.cid = changes.cid
    where agg.n90 > 0
        and account.account_open_date <= agg.cutoff - 90
)

select * from final order by cutoff_date, customer_id
"""

KEY_COLUMNS = ("customer_id", "cutoff_date")


@dataclass(frozen=True)
class FeatureSet:
    """A feature SQL over the cutoffs in `churn_cutoffs` and the feature columns it yields."""

    sql: str = FEATURE_SQL

    def build(self, con: duckdb.DuckDBPyConnection, cutoffs: Sequence[date]) -> pd.DataFrame:
        """Feature rows of every customer eligible at each cutoff, keyed by customer and cutoff.

        All cutoffs are computed in one statement over the staged periods (`periods`).
        """
        stage_periods(con, cutoffs)
        frame = con.execute(self.sql).df()
        for column in frame.columns:
            if column not in KEY_COLUMNS:
                frame[column] = frame[column].astype("float64")
        frame["cutoff_date"] = pd.to_datetime(frame["cutoff_date"]).dt.date
        return frame

    def names(self, frame: pd.DataFrame) -> list[str]:
        return [column for column in frame.columns if column not in KEY_COLUMNS]


DEFAULT_FEATURES = FeatureSet()


def build_features(
    con: duckdb.DuckDBPyConnection,
    cutoffs: date | Sequence[date],
    features: FeatureSet = DEFAULT_FEATURES,
) -> pd.DataFrame:
    """The one feature builder used by training and scoring (see `sources.stage_sources`)."""
    return features.build(con, [cutoffs] if isinstance(cutoffs, date) else list(cutoffs))
