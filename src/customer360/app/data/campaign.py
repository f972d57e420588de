"""Campaign Simulator and Churn Model queries."""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer360.app.connection import ReadOnlyWarehouse
from customer360.app.data.base import AUDIENCE_WHERE, SegmentFilter, frame

_AUDIENCE_SQL = (
    "select customer_id, full_name, email, state, customer_segment, card_type, "
    "lifetime_value, clv_12m_value_estimate as forward_value, churn_probability, "
    "churn_risk_score, churn_risk_category "
    "from gold.customer_360_profile" + AUDIENCE_WHERE + "and churn_probability is not null "
    "order by churn_probability desc, customer_id"
)

_UNSCORED_SQL = (
    "select count(*) as unscored "
    "from gold.customer_360_profile" + AUDIENCE_WHERE + "and churn_probability is null"
)

_MODEL_RUNS_SQL = "select * from ml.model_runs order by trained_at desc"

_SCORES_SQL = """
select churn_risk_score, churn_risk_category, count(*) as customers
from gold.customer_360_profile
group by all
order by churn_risk_score nulls last
"""


def campaign_audience(wh: ReadOnlyWarehouse, f: SegmentFilter) -> pd.DataFrame:
    """Scored customers matching the filters, highest churn probability first."""
    return frame(wh, _AUDIENCE_SQL, f.params())


def unscored_in_audience(wh: ReadOnlyWarehouse, f: SegmentFilter) -> int:
    return int(frame(wh, _UNSCORED_SQL, f.params()).iloc[0]["unscored"])


def model_runs(wh: ReadOnlyWarehouse) -> pd.DataFrame:
    return frame(wh, _MODEL_RUNS_SQL)


def score_distribution(wh: ReadOnlyWarehouse) -> pd.DataFrame:
    """Customers per risk score (null score = not scored) in the current profile."""
    return frame(wh, _SCORES_SQL)


def latest_model(wh: ReadOnlyWarehouse) -> dict[str, Any] | None:
    runs = model_runs(wh)
    return None if runs.empty else runs.iloc[0].to_dict()
