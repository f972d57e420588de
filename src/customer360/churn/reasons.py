"""Reason codes: the three features pushing a customer's churn score up most, in plain words.

Contributions come from LightGBM's `pred_contrib` (per-row SHAP values in log-odds), so the
reasons explain the published model itself, not a surrogate.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import lightgbm as lgb
import numpy as np
import pandas as pd

REASONS_PER_CUSTOMER = 3


def _change(what: str, period: str) -> Callable[[float], str]:
    def phrase(v: float) -> str:
        if abs(v) < 0.05:
            return f"{what} steady vs {period}"
        return f"{what} {'down' if v < 0 else 'up'} {abs(v) * 100:.0f}% vs {period}"

    return phrase


def _ratio(what: str, period: str) -> Callable[[float], str]:
    return lambda v: _change(what, period)(v - 1.0)


def _share(what: str) -> Callable[[float], str]:
    return lambda v: f"{what} {v * 100:.0f}% of spend (last 90 days)"


def _money(what: str) -> Callable[[float], str]:
    return lambda v: f"{what} ${v:,.0f}"


def _count(what: str) -> Callable[[float], str]:
    return lambda v: f"{v:.0f} {what}"


PHRASES: dict[str, Callable[[float], str]] = {
    "recency_days": lambda v: f"last purchase {v:.0f} days ago",
    "txn_count_30d": _count("purchases in the last 30 days"),
    "txn_count_90d": _count("purchases in the last 90 days"),
    "txn_count_180d": _count("purchases in the last 180 days"),
    "txn_per_month_365d": lambda v: f"{v:.0f} purchases a month over the last year",
    "spend_30d": _money("spend in the last 30 days"),
    "spend_90d": _money("spend in the last 90 days"),
    "spend_180d": _money("spend in the last 180 days"),
    "spend_per_month_365d": lambda v: f"${v:,.0f} a month average spend over the last year",
    "avg_ticket_90d": _money("average purchase (last 90 days)"),
    "avg_ticket_365d": _money("average purchase (last year)"),
    "max_ticket_90d": _money("largest purchase in the last 90 days"),
    "spend_change_90d": _change("spend", "prior quarter"),
    "spend_change_30d": _change("spend", "prior month"),
    "count_change_90d": _change("purchase count", "prior quarter"),
    "spend_30d_vs_90d": _ratio("last month's spend", "the 90-day average"),
    "count_30d_vs_90d": _ratio("last month's purchases", "the 90-day average"),
    "spend_90d_vs_year": _ratio("quarterly spend", "the yearly average"),
    "spend_slope_6m": lambda v: f"spend trend {v * 100:+.0f}% a month over 6 months",
    "count_slope_6m": lambda v: f"purchase trend {v * 100:+.0f}% a month over 6 months",
    "monthly_spend_cv_90d": lambda v: f"month-to-month spend varies {v * 100:.0f}%",
    "travel_share_90d": _share("travel"),
    "necessities_share_90d": _share("necessities"),
    "dining_share_90d": _share("dining & entertainment"),
    "retail_share_90d": _share("retail"),
    "travel_share_change_90d": lambda v: f"travel share {v * 100:+.0f} points vs prior quarter",
    "categories_90d": _count("merchant categories used in 90 days"),
    "categories_change_90d": lambda v: f"{v:+.0f} merchant categories vs prior quarter",
    "categories_365d": _count("merchant categories used in a year"),
    "active_days_90d": _count("active days in the last 90"),
    "mean_gap_days_365d": lambda v: f"{v:.1f} days between purchases on average",
    "recency_vs_usual_gap": lambda v: f"days since last purchase {v:.1f}× the usual gap",
    "declines_30d": _count("declined transactions in 30 days"),
    "declines_90d": _count("declined transactions in 90 days"),
    "decline_rate_90d": lambda v: f"{v * 100:.1f}% of transactions declined (90 days)",
    "decline_rate_30d": lambda v: f"{v * 100:.1f}% of transactions declined (30 days)",
    "decline_rate_change": lambda v: f"decline rate {v * 100:+.1f} points vs the year",
    "weekend_share_90d": lambda v: f"{v * 100:.0f}% of purchases at weekends",
    "online_share_90d": lambda v: f"{v * 100:.0f}% of purchases online",
    "mobile_share_90d": lambda v: f"{v * 100:.0f}% of purchases on mobile",
    "credit_limit": _money("credit limit"),
    "utilisation_90d": lambda v: f"credit utilisation {v * 100:.0f}% (90-day average)",
    "utilisation_30d": lambda v: f"credit utilisation {v * 100:.0f}% last month",
    "card_tier": lambda v: f"{['Standard', 'Premium', 'Platinum'][int(v)]} card",
    "card_upgrades_365d": _count("card upgrades in the last year"),
    "card_downgrades_365d": _count("card downgrades in the last year"),
    "limit_increases_365d": _count("credit limit increases in the last year"),
    "limit_decreases_365d": _count("credit limit decreases in the last year"),
    "days_since_account_change": lambda v: f"card or limit changed {v:.0f} days ago",
    "tenure_days": lambda v: f"customer for {v / 365.25:.1f} years",
    "age": lambda v: f"age {v:.0f}",
}


def phrase(feature: str, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {
            "days_since_account_change": "no card or limit change in the last year",
            "spend_change_90d": "no spend in the prior quarter",
            "spend_change_30d": "no spend in the prior month",
        }.get(feature, f"{feature.replace('_', ' ')} not available")
    render = PHRASES.get(feature)
    return render(float(value)) if render else f"{feature.replace('_', ' ')} = {value:.3g}"


def top_reasons(booster: lgb.Booster, frame: pd.DataFrame, names: list[str]) -> list[list[str]]:
    """Three plain-word reasons per row, strongest push towards churn first."""
    contrib = booster.predict(frame[names], num_iteration=booster.best_iteration, pred_contrib=True)
    contrib = np.asarray(contrib)[:, : len(names)]
    order = np.argsort(-contrib, axis=1, kind="stable")[:, :REASONS_PER_CUSTOMER]
    values = frame[names].to_numpy(dtype=float)
    return [[phrase(names[j], values[i, j]) for j in order[i]] for i in range(len(frame))]
