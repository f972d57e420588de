"""One small gold warehouse for the whole assistant suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from gold_fixture import build_gold_warehouse

from customer360.assistant import Assistant


@pytest.fixture(scope="session")
def gold_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_gold_warehouse(tmp_path_factory.mktemp("gold") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def assistant(gold_warehouse: Path) -> Assistant:
    return Assistant.open(gold_warehouse)
