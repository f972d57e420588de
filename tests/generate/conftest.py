from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from customer360.config import Settings
from customer360.generate import GenerateOptions, GenerateSummary, generate_world

SMALL = GenerateOptions(
    customers=600, transactions_per_customer=120, increments=3, defect_rate=0.01
)


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, GenerateSummary]:
    settings = Settings(tmp_path_factory.mktemp("world"))
    return settings, generate_world(SMALL, settings)


@pytest.fixture(scope="session")
def clean_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, GenerateSummary]:
    settings = Settings(tmp_path_factory.mktemp("clean"))
    options = GenerateOptions(customers=400, transactions_per_customer=80, defect_rate=0.0)
    return settings, generate_world(options, settings)


def landing_files(settings: Settings, entity: str) -> list[Path]:
    return sorted(p for p in (settings.landing_dir / entity).iterdir())


AS_OF = dt.date(2026, 6, 30)
