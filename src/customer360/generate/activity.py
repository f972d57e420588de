"""Daily activity multipliers per customer: tenure, persona trend, season, churn fade/collapse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from customer360.generate.calendar import Calendar
from customer360.generate.churn import FADE_FLOOR, NO_ONSET, ChurnPlan
from customer360.generate.customers import Customers
from customer360.generate.personas import DECL, NEW


@dataclass(frozen=True)
class Trends:
    """Persona trajectories: decliners fade from `decline_start`, new accounts grow."""

    decline_start: np.ndarray
    decline_scale: np.ndarray  # days for spend to fall by a factor e
    growth_scale: np.ndarray  # days for spend to grow by a factor e


def sample_trends(rng: np.random.Generator, customers: Customers, days: int) -> Trends:
    n = customers.n
    return Trends(
        decline_start=days - 1 - rng.integers(110, 230, n),
        decline_scale=rng.uniform(70.0, 125.0, n),
        growth_scale=rng.uniform(32.0, 55.0, n),
    )


def multipliers(
    cal: Calendar,
    customers: Customers,
    trends: Trends,
    churn: ChurnPlan | None,
) -> np.ndarray:
    """(cal.total, n) float32: expected activity relative to the customer's steady state.

    With `churn=None` the churn fade and collapse are left out (the no-churn counterfactual).
    """
    d = np.arange(cal.total, dtype=np.float32)[:, None]
    m = np.repeat(cal.day_factor().astype(np.float32)[:, None], customers.n, axis=1)
    m[d < customers.open_day[None, :]] = 0.0

    dec = np.flatnonzero(customers.persona == DECL)
    since = np.maximum(0.0, d - trends.decline_start[dec][None, :])
    m[:, dec] *= np.exp(-since / trends.decline_scale[dec][None, :])

    new = np.flatnonzero(customers.persona == NEW)
    age_at_as_of = d - cal.as_of_day
    m[:, new] *= np.exp(np.minimum(age_at_as_of, 0.0) / trends.growth_scale[new][None, :])

    if churn is not None:
        ch = np.flatnonzero(churn.onset_day != NO_ONSET)
        onset = churn.onset_day[ch][None, :].astype(np.float32)
        fade = churn.fade_days[ch][None, :].astype(np.float32)
        into_fade = np.clip((d - (onset - fade)) / np.maximum(fade, 1.0), 0.0, 1.0)
        # Front-loaded: most of the drop comes in the first weeks of the fade.
        level = 1.0 - (1.0 - FADE_FLOOR) * np.sqrt(into_fade)
        level = np.where(d >= onset, churn.residual[ch][None, :], level)
        m[:, ch] *= level.astype(np.float32)
    return m
