"""A small generated world, ingested and built once per session; one trained model on it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from customer360.churn import TrainReport, train
from customer360.config import Settings, load_settings
from customer360.generate import GenerateOptions, generate_world
from customer360.ingest import ingest_landing
from customer360.transform import run_transform

CUSTOMERS = 2_000


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = load_settings(tmp_path_factory.mktemp("churn-world"))
    generate_world(GenerateOptions(customers=CUSTOMERS, seed=11, defect_rate=0.0), settings)
    database = settings.warehouse_path
    ingest_landing(settings.landing_dir, database)
    run_transform(database, target_dir=tmp_path_factory.mktemp("churn-dbt-target"))
    return settings


@pytest.fixture(scope="session")
def copy_warehouse(
    world: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    def make(name: str) -> Path:
        target = tmp_path_factory.mktemp(name) / "warehouse.duckdb"
        shutil.copyfile(world.warehouse_path, target)
        return target

    return make


@pytest.fixture(scope="session")
def trained(
    world: Settings, copy_warehouse: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, TrainReport]:
    database = copy_warehouse("trained")
    models = tmp_path_factory.mktemp("models")
    report = train(database, models, oracle_dir=world.oracle_dir, seed=3)
    return database, report
