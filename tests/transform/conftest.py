"""One fixture warehouse built once per session; incremental runs work on copies."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from customer360.transform import TransformReport, run_transform

from . import bronze_fixture


@pytest.fixture(scope="session")
def dbt_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private dbt target folder so parallel sessions never share artifacts."""
    return tmp_path_factory.mktemp("dbt-target")


@pytest.fixture(scope="session")
def built(
    tmp_path_factory: pytest.TempPathFactory, dbt_target: Path
) -> tuple[Path, TransformReport]:
    database = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    bronze_fixture.write_bronze(database)
    steps: list[tuple[str, int, int]] = []
    report = run_transform(
        database, progress=lambda *step: steps.append(step), target_dir=dbt_target
    )
    assert steps and steps[-1][1] == steps[-1][2]
    return database, report


@pytest.fixture(scope="session")
def warehouse(built: tuple[Path, TransformReport]) -> Path:
    return built[0]


@pytest.fixture()
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def copy_warehouse(warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    def make(name: str) -> Path:
        target = tmp_path_factory.mktemp(name) / "warehouse.duckdb"
        shutil.copyfile(warehouse, target)
        return target

    return make


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()
