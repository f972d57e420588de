"""The semantic tests run on a copy of the shared pipeline-built world (tests/pipeline_world.py).

A copy, because DuckDB refuses a second connection to one file with another configuration, and
the assistant suites keep the original open on a locked, read-only connection.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline_world import World


@pytest.fixture(scope="session")
def gold_warehouse(pipeline_world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("semantic") / "warehouse.duckdb"
    shutil.copyfile(pipeline_world.data_dir / "warehouse.duckdb", copy)
    return copy
