"""Bronze out of a DuckDB warehouse, silver and gold out of any engine, as plain Python rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

BRONZE = "bronze"
BUILT_LAYERS = ("silver", "gold")

Rows = list[dict[str, object]]
# An engine's tables: "schema.table" -> rows with lower-case column names.
Tables = dict[str, Rows]


def bronze_tables(database: Path) -> dict[str, pa.Table]:
    """Every table of the bronze schema, by table name."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [BRONZE]
        ).fetchall()
        return {
            name: con.sql(f'select * from {BRONZE}."{name}"').to_arrow_table() for (name,) in names
        }
    finally:
        con.close()


def duckdb_built_tables(database: Path) -> Tables:
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in (?, ?)",
            list(BUILT_LAYERS),
        ).fetchall()
        return {
            name: con.sql(f"select * from {name}").to_arrow_table().to_pylist() for (name,) in names
        }
    finally:
        con.close()


def read_all(names: list[str], read: Callable[[str], Rows]) -> Tables:
    return {name: read(name) for name in names}
