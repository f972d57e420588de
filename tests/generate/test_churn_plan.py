from __future__ import annotations

import numpy as np

from customer360.generate import churn as churn_module
from customer360.generate.churn import LIFE_EVENT_PER_YEAR, NO_ONSET, sample_churn
from customer360.generate.customers import build_customers

DAYS = 580
HORIZON = 182


def _plan(monkeypatch, life_event_per_year: float, n: int = 20_000):
    monkeypatch.setattr(churn_module, "LIFE_EVENT_PER_YEAR", life_event_per_year)
    customers = build_customers(np.random.default_rng(3), n, DAYS)
    return customers, sample_churn(np.random.default_rng(4), customers, DAYS, HORIZON)


def test_life_events_add_sudden_onsets_at_their_rate(monkeypatch) -> None:
    _, base = _plan(monkeypatch, 0.0)
    customers, plan = _plan(monkeypatch, LIFE_EVENT_PER_YEAR)
    assert base.life_event == 0.0
    assert plan.life_event == LIFE_EVENT_PER_YEAR / 365.0
    moved = plan.onset_day != base.onset_day
    # A life event only ever brings an onset forward, and the exit comes without a fade.
    assert np.all(plan.onset_day[moved] < base.onset_day[moved])
    assert np.all(plan.fade_days[moved] == 0)
    # Roughly the life-event rate over the exposed days (well inside a factor of 1.5).
    start = np.maximum(60, customers.open_day + churn_module.RISK_FREE_TENURE_DAYS)
    exposed = np.clip(DAYS + HORIZON - start, 0, None).sum() / 365.0
    assert 0.5 < moved.sum() / (LIFE_EVENT_PER_YEAR * exposed) < 1.5
    assert np.all((plan.onset_day == NO_ONSET) | (plan.onset_day < DAYS + HORIZON))


def test_the_oracle_hazard_includes_the_life_event_hazard(monkeypatch) -> None:
    _, plan = _plan(monkeypatch, LIFE_EVENT_PER_YEAR, n=500)
    latent = plan.hazard * (1.0 + plan.drift * 100 / DAYS)
    assert np.allclose(plan.hazard_at(100, DAYS) - latent, LIFE_EVENT_PER_YEAR / 365.0)
