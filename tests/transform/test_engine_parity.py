"""The dbt project builds, with every data test and unit test, on Spark (a local session) and on
Snowflake (fakesnow's server), and each silver and gold table matches DuckDB's column by column
within the tolerances of parity.yaml. The tiny world is built, then built again after an
increment, so the incremental paths are compared too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from customer360.transform.runner import BuildOutcome, run_dbt_build, run_transform

from . import bronze_fixture
from .engines import fakesnow, spark
from .engines.layers import Tables, bronze_tables, duckdb_built_tables
from .parity import differences, load_rules

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class EngineWorld:
    tables: Tables
    builds: tuple[BuildOutcome, ...]


@pytest.fixture(scope="module")
def duckdb_world(tmp_path_factory: pytest.TempPathFactory) -> EngineWorld:
    folder = tmp_path_factory.mktemp("parity-duckdb")
    database = folder / "warehouse.duckdb"
    bronze_fixture.write_bronze(database)
    first = run_transform(database, target_dir=folder / "dbt-target")
    bronze_fixture.append_increment(database)
    second = run_transform(database, target_dir=folder / "dbt-target")
    builds = tuple(
        BuildOutcome("duckdb", report.models, report.data_tests, report.unit_tests, report.seconds)
        for report in (first, second)
    )
    return EngineWorld(duckdb_built_tables(database), builds)


@pytest.fixture(scope="module")
def bronze_batches(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The DuckDB bronze of the tiny world: the history, then the history plus the increment."""
    folder = tmp_path_factory.mktemp("parity-bronze")
    history = folder / "history" / "warehouse.duckdb"
    history.parent.mkdir()
    bronze_fixture.write_bronze(history)
    incremented = folder / "incremented" / "warehouse.duckdb"
    incremented.parent.mkdir()
    bronze_fixture.write_bronze(incremented)
    bronze_fixture.append_increment(incremented)
    return [history, incremented]


def _build_twice(
    dbt_target: str, batches: list[Path], load: Callable[[Path], None], folder: Path
) -> tuple[BuildOutcome, ...]:
    builds = []
    for batch in batches:
        load(batch)
        builds.append(run_dbt_build(dbt_target, target_dir=folder / "dbt-target"))
    return tuple(builds)


@pytest.fixture(scope="module")
def spark_world(tmp_path_factory, bronze_batches) -> Iterator[EngineWorld]:
    folder = tmp_path_factory.mktemp("parity-spark")
    with spark.spark_session(folder) as session:
        builds = _build_twice(
            spark.DBT_TARGET,
            bronze_batches,
            lambda batch: spark.load_bronze(session, bronze_tables(batch), folder / "bronze"),
            folder,
        )
        yield EngineWorld(spark.built_tables(session), builds)


@pytest.fixture(scope="module")
def fakesnow_world(tmp_path_factory, bronze_batches) -> Iterator[EngineWorld]:
    folder = tmp_path_factory.mktemp("parity-fakesnow")
    with fakesnow.fakesnow_server(folder / "fakesnow.log") as server:
        builds = _build_twice(
            fakesnow.DBT_TARGET,
            bronze_batches,
            lambda batch: fakesnow.load_bronze(server, bronze_tables(batch)),
            folder,
        )
        yield EngineWorld(fakesnow.built_tables(server), builds)


def _counts(build: BuildOutcome) -> tuple[int, int, int]:
    return build.models, build.data_tests, build.unit_tests


def test_spark_builds_every_model_and_passes_every_test(spark_world, duckdb_world):
    assert [_counts(b) for b in spark_world.builds] == [_counts(b) for b in duckdb_world.builds]


def test_spark_silver_and_gold_match_duckdb(spark_world, duckdb_world):
    found = differences(duckdb_world.tables, spark_world.tables, load_rules())
    assert not found, "\n".join(found)


def test_fakesnow_builds_every_model_and_passes_every_test(fakesnow_world, duckdb_world):
    assert [_counts(b) for b in fakesnow_world.builds] == [_counts(b) for b in duckdb_world.builds]


def test_fakesnow_silver_and_gold_match_duckdb(fakesnow_world, duckdb_world):
    found = differences(duckdb_world.tables, fakesnow_world.tables, load_rules())
    assert not found, "\n".join(found)


def test_every_tolerance_names_a_built_column(duckdb_world):
    columns = {
        f"{table}.{column}"
        for table, rows in duckdb_world.tables.items()
        for column in (rows[0] if rows else {})
    }
    unused = [
        pattern
        for rule in load_rules().tolerances
        for pattern in rule.columns
        if not any(fnmatchcase(column, pattern) for column in columns)
    ]
    assert not unused
