"""The tiny world built once per test session by the real pipeline stages.

Generated, ingested, transformed with dbt, trained and scored: the suites that need a real
warehouse (dashboard, browser, semantic model checks) share it through `tests/conftest.py`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from customer360.config import load_settings
from customer360.generate import GenerateOptions, generate_world
from customer360.ingest import ingest_landing
from customer360.pipeline import score_stage, train_stage, transform_stage
from customer360.warehouse import building

CUSTOMERS = 500
SEED = 7


@dataclass(frozen=True)
class World:
    data_dir: Path
    unscored_dir: Path


def tiny_world(factory: pytest.TempPathFactory) -> World:
    """Generated, ingested, transformed, trained and scored; plus a copy from before scoring."""
    root = factory.getbasetemp() / "pipeline-world"
    world = World(root / "data", root / "unscored")
    if (root / "READY").exists():
        return world
    shutil.rmtree(root, ignore_errors=True)
    world.unscored_dir.mkdir(parents=True)
    settings = load_settings(world.data_dir)
    generate_world(GenerateOptions(customers=CUSTOMERS, seed=SEED), settings)
    with building(settings.warehouse_path) as staging:
        ingest_landing(settings.landing_dir, staging)
        transform_stage(staging, settings)
    shutil.copyfile(settings.warehouse_path, world.unscored_dir / "warehouse.duckdb")
    with building(settings.warehouse_path) as staging:
        # A 500-customer world is small enough for one feature to look too good by chance.
        train_stage(staging, settings, override_sentinel=True)
        score_stage(staging, settings)
    (root / "READY").write_text("ok\n")
    return world
