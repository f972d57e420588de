"""The semantic tests share the assistant suite's gold fixture builder."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "gold_fixture", Path(__file__).parents[1] / "assistant" / "gold_fixture.py"
)
assert _SPEC is not None and _SPEC.loader is not None
gold_fixture = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(gold_fixture)


@pytest.fixture(scope="session")
def gold_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gold_fixture.build_gold_warehouse(tmp_path_factory.mktemp("gold") / "warehouse.duckdb")
