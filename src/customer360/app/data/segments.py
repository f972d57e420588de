"""Segment Explorer queries (audience filters are shared with the Campaign Simulator)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer360.app.connection import ReadOnlyWarehouse
from customer360.app.data.base import AUDIENCE_WHERE, RISK_ORDER, SegmentFilter, frame

_OPTIONS_SQL = """
select 'segment' as kind, customer_segment as value from gold.customer_360_profile
union select 'state', state from gold.customer_360_profile
union select 'card_type', card_type from gold.customer_360_profile
union select 'risk', churn_risk_category from gold.customer_360_profile
order by kind, value
"""

_SUMMARY_SQL = (
    "select count(*) as customers, "  # noqa: S608 -- constant fragments, no user input
    "coalesce(sum(lifetime_value), 0) as total_ltv, "
    "avg(lifetime_value) as avg_ltv, avg(churn_risk_score) as avg_risk_score, "
    "count(churn_risk_score) as scored from gold.customer_360_profile" + AUDIENCE_WHERE
)

_SEGMENT_MIX_SQL = (
    "select customer_segment, count(*) as customers, sum(lifetime_value) as total_ltv, "
    "avg(lifetime_value) as avg_ltv, median(lifetime_value) as median_ltv "
    "from gold.customer_360_profile" + AUDIENCE_WHERE + "group by 1 order by customers desc"
)

_RISK_MIX_SQL = (
    "select churn_risk_category, count(*) as customers "
    "from gold.customer_360_profile" + AUDIENCE_WHERE + "group by 1"
)

_CUSTOMER_LIST_SQL = (
    "select customer_id, full_name, email, state, "  # noqa: S608 -- constant fragments, no user input
    "customer_segment, card_type, credit_limit, "
    "lifetime_value, avg_monthly_spend, spend_change_pct, churn_risk_score, churn_risk_category, "
    "recency_status from gold.customer_360_profile"
    + AUDIENCE_WHERE
    + "order by lifetime_value desc nulls last, customer_id limit $limit"
)


def filter_options(wh: ReadOnlyWarehouse) -> dict[str, list[str]]:
    rows = frame(wh, _OPTIONS_SQL)
    options = {
        kind: [v for v in group["value"] if v is not None] for kind, group in rows.groupby("kind")
    }
    options["risk"] = [r for r in RISK_ORDER if r in options.get("risk", [])]
    return options


def segment_summary(wh: ReadOnlyWarehouse, f: SegmentFilter) -> dict[str, Any]:
    return frame(wh, _SUMMARY_SQL, f.params()).iloc[0].to_dict()


def segment_mix(wh: ReadOnlyWarehouse, f: SegmentFilter) -> pd.DataFrame:
    return frame(wh, _SEGMENT_MIX_SQL, f.params())


def risk_mix(wh: ReadOnlyWarehouse, f: SegmentFilter) -> pd.DataFrame:
    return frame(wh, _RISK_MIX_SQL, f.params())


def customer_list(wh: ReadOnlyWarehouse, f: SegmentFilter, limit: int = 1000) -> pd.DataFrame:
    return frame(wh, _CUSTOMER_LIST_SQL, f.params() | {"limit": int(limit)})
