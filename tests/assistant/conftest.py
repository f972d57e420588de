"""The assistant suites run on the shared pipeline-built world (tests/pipeline_world.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from customer360.assistant import Assistant
from pipeline_world import World


@pytest.fixture(scope="session")
def gold_warehouse(pipeline_world: World) -> Path:
    return pipeline_world.data_dir / "warehouse.duckdb"


@pytest.fixture(scope="session")
def assistant(gold_warehouse: Path) -> Assistant:
    return Assistant.open(gold_warehouse)
