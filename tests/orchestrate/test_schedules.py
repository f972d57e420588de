"""Schedule ticks ask for the right job: daily loads every morning, a retrain each month."""

from __future__ import annotations

from datetime import UTC, datetime

from customer360.config import Settings
from customer360.orchestrate.definitions import build_definitions

from .conftest import dg


def _tick(settings: Settings, name: str, when: datetime) -> dg.RunRequest:
    defs = build_definitions(settings)
    schedule = defs.get_schedule_def(name)
    [request] = schedule.evaluate_tick(
        dg.build_schedule_context(scheduled_execution_time=when)
    ).run_requests
    return schedule.job_name, request


def test_daily_tick_asks_for_a_daily_load(first_build):
    job, request = _tick(
        first_build.settings, "daily_load_schedule", datetime(2026, 7, 2, 6, tzinfo=UTC)
    )
    assert job == "daily_load"
    assert request.run_key == "daily-2026-07-02"
    assert request.tags["c360/scheduled_for"] == "2026-07-02"
    assert request.partition_key is None


def test_monthly_tick_retrains_for_the_month_just_ended(first_build):
    job, request = _tick(
        first_build.settings, "monthly_retrain_schedule", datetime(2026, 7, 1, 7, tzinfo=UTC)
    )
    assert job == "monthly_retrain"
    assert request.partition_key == "2026-06-01"
