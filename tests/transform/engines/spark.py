"""Spark in this process, as dbt-spark's `session` method uses it: local[2], two shuffle
partitions, tables under a temporary warehouse folder, the session's own in-memory catalog."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .layers import BRONZE, BUILT_LAYERS, Rows, Tables

DBT_TARGET = "spark"
# What transform/profiles.yml reads for the spark output; the session made here is the one dbt
# then gets from SparkSession.builder.getOrCreate().
_SETTINGS = {
    "spark.master": ("C360_SPARK_MASTER", "local[2]"),
    "spark.sql.shuffle.partitions": ("C360_SPARK_SHUFFLE_PARTITIONS", "2"),
    "spark.sql.catalogImplementation": ("C360_SPARK_CATALOG", "in-memory"),
}


@contextmanager
def spark_session(folder: Path) -> Iterator[object]:
    from pyspark.sql import SparkSession

    warehouse = folder / "spark-warehouse"
    settings = {key: value for key, (_, value) in _SETTINGS.items()}
    settings["spark.sql.warehouse.dir"] = str(warehouse)
    settings["spark.sql.session.timeZone"] = "UTC"
    settings["spark.ui.enabled"] = "false"
    settings["spark.driver.memory"] = "2g"
    environment = {variable: value for variable, value in _SETTINGS.values()}
    environment["C360_SPARK_WAREHOUSE"] = str(warehouse)
    previous = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    builder = SparkSession.builder
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def load_bronze(session, tables: dict[str, pa.Table], folder: Path) -> None:
    """Replace the bronze tables with `tables`, read from Parquet as a Spark job would."""
    session.sql(f"create database if not exists {BRONZE}")
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        session.read.parquet(str(path)).write.mode("overwrite").saveAsTable(f"{BRONZE}.{name}")


def built_tables(session) -> Tables:
    names = [
        f"{layer}.{row.tableName}"
        for layer in BUILT_LAYERS
        for row in session.sql(f"show tables in {layer}").collect()
        if not row.isTemporary
    ]
    return {name: _rows(session, name) for name in names}


def _rows(session, name: str) -> Rows:
    return [
        {key.lower(): value for key, value in row.asDict().items()}
        for row in session.table(name).collect()
    ]
