"""Fixtures: a landing folder, a tiny category reference, a warehouse file, ingest and query."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from customer360.ingest import IngestReport, ingest_landing

from .landing_files import LOADED_AT, REFERENCE


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    path = tmp_path / "merchant_categories.csv"
    path.write_text(REFERENCE)
    return path


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def ingest(landing: Path, database: Path, reference: Path):
    def run(loaded_at: datetime = LOADED_AT) -> IngestReport:
        return ingest_landing(landing, database, loaded_at=loaded_at, reference=reference)

    return run


@pytest.fixture
def query(database: Path):
    def run(sql: str, params: list[object] | None = None) -> list[tuple]:
        with duckdb.connect(str(database), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    return run
