"""Latent churn process: a per-customer, time-varying hazard, a fading phase, then collapse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from customer360.generate.customers import Customers
from customer360.generate.personas import DECL, PERSONAS

NO_ONSET = np.iinfo(np.int32).max
FADE_FLOOR = 0.45  # activity level reached at onset at the end of the fading phase
RISK_FREE_TENURE_DAYS = 90
SUDDEN_SHARE = 0.5
LIFE_EVENT_PER_YEAR = 0.03


@dataclass(frozen=True)
class ChurnPlan:
    """When (if ever) each customer churns. Days count from the history start."""

    hazard: np.ndarray  # per-day hazard at the start of the history
    drift: np.ndarray  # relative hazard increase per history length
    onset_day: np.ndarray  # NO_ONSET when none before the modelled horizon
    fade_days: np.ndarray  # 0 = sudden churn, no fading phase
    residual: np.ndarray  # activity level after onset (0 = stops)
    life_event: float  # per-day hazard of a sudden, unforeseeable exit, the same for everyone

    def hazard_at(self, day: np.ndarray | int, days: int) -> np.ndarray:
        """Total per-day onset hazard: the customer's latent hazard plus the life-event hazard."""
        return self.hazard * (1.0 + self.drift * np.asarray(day) / days) + self.life_event


def utilisation(customers: Customers) -> np.ndarray:
    return customers.monthly_spend / customers.credit_limit


def sample_churn(
    rng: np.random.Generator, customers: Customers, days: int, horizon: int
) -> ChurnPlan:
    n = customers.n
    per_year = np.array([p.churn_per_year for p in PERSONAS])[customers.persona]
    util = utilisation(customers)
    engagement = np.log(customers.frequency)
    hazard = (
        per_year
        / 365.0
        * np.exp(1.6 * (np.clip(util, 0, 1.5) - 0.35) - 0.8 * engagement)
        * rng.lognormal(-0.18, 0.6, n)
    )
    drift = np.where(customers.persona == DECL, 2.5, 0.4) * rng.uniform(0.5, 1.5, n)

    start = np.maximum(60, customers.open_day + RISK_FREE_TENURE_DAYS).astype(float)
    # Cumulative hazard from `start` over t days: h*t + h*g*(2*start*t + t^2)/(2*days); solve = E.
    target = rng.exponential(1.0, n)
    a = hazard * drift / (2.0 * days)
    b = hazard + hazard * drift * start / days
    t = (-b + np.sqrt(b * b + 4.0 * a * target)) / (2.0 * a)
    onset = start + t
    onset_day = np.where(onset < days + horizon, np.floor(onset), NO_ONSET).astype(np.int64)

    # Most churners fade for a month or two first; the rest leave without warning.
    fade = np.where(rng.random(n) < SUDDEN_SHARE, 0, rng.integers(28, 71, n))
    residual = np.where(rng.random(n) < 0.6, 0.0, rng.uniform(0.05, 0.25, n))

    # Life events (a move abroad, a switch to a rival card) strike anyone at the same rate and
    # end the relationship at once: no fading, no link to spend, engagement or utilisation.
    life_event = LIFE_EVENT_PER_YEAR / 365.0
    wait = rng.exponential(1.0 / life_event if life_event > 0 else 1.0, n)
    event = start + (wait if life_event > 0 else np.inf)
    first = event < onset
    onset_day = np.where(first & (event < days + horizon), np.floor(event), onset_day)
    onset_day = onset_day.astype(np.int64)
    fade = np.where(first, 0, fade)
    return ChurnPlan(hazard, drift, onset_day, fade, residual, life_event)
