"""fakesnow's Snowflake emulation served on localhost by a process of its own environment
(tests/transform/fakesnow/), reached by dbt-snowflake and the Snowflake connector over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from .layers import BRONZE, BUILT_LAYERS, Rows, Tables

DBT_TARGET = "fakesnow"
DATABASE = "CUSTOMER360"
_FOLDER = Path(__file__).resolve().parents[1] / "fakesnow"
_PYTHON = _FOLDER / ".venv" / "bin" / "python"
_START_SECONDS = 60
_INSERT_BATCH = 500
# The Snowflake connector's type codes of TIMESTAMP_LTZ, TIMESTAMP_TZ and TIMESTAMP_NTZ.
_TIMESTAMP_CODES = (6, 7, 8)


@dataclass(frozen=True)
class FakesnowServer:
    port: int

    def connect(self):
        import snowflake.connector

        return snowflake.connector.connect(
            user="fake",
            password="snow",
            account="fakesnow",
            host="127.0.0.1",
            port=self.port,
            protocol="http",
            database=DATABASE,
            schema="PUBLIC",
            session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
        )


@contextmanager
def fakesnow_server(log: Path) -> Iterator[FakesnowServer]:
    """Start the server on a free port (and point the fakesnow dbt target at it), stop it after."""
    if not _PYTHON.exists():
        raise RuntimeError(
            f"no fakesnow environment at {_PYTHON.parent.parent}; run `make test` "
            f"(or `uv sync --frozen --project {_FOLDER}`)"
        )
    port = _free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(_PYTHON), str(_FOLDER / "serve.py"), str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    previous = os.environ.get("C360_FAKESNOW_PORT")
    os.environ["C360_FAKESNOW_PORT"] = str(port)
    try:
        _wait_for(port, process, log)
        yield FakesnowServer(port)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if previous is None:
            os.environ.pop("C360_FAKESNOW_PORT", None)
        else:
            os.environ["C360_FAKESNOW_PORT"] = previous


def load_bronze(server: FakesnowServer, tables: dict[str, pa.Table]) -> None:
    """Replace the bronze tables with `tables`, inserted through the Snowflake connector."""
    connection = server.connect()
    try:
        cursor = connection.cursor()
        cursor.execute(f"create database if not exists {DATABASE}")
        cursor.execute(f"create schema if not exists {DATABASE}.{BRONZE}")
        for name, table in tables.items():
            columns = ", ".join(
                f"{field.name} {_snowflake_type(field.type)}" for field in table.schema
            )
            cursor.execute(f"create or replace table {BRONZE}.{name} ({columns})")
            rows = [tuple(row.values()) for row in table.to_pylist()]
            placeholders = ", ".join(["%s"] * table.num_columns)
            for start in range(0, len(rows), _INSERT_BATCH):
                cursor.executemany(
                    f"insert into {BRONZE}.{name} values ({placeholders})",
                    rows[start : start + _INSERT_BATCH],
                )
    finally:
        connection.close()


def built_tables(server: FakesnowServer) -> Tables:
    connection = server.connect()
    try:
        cursor = connection.cursor()
        # fakesnow lists views only in information_schema.views
        cursor.execute(
            "select lower(table_schema) || '.' || lower(table_name) from ("
            "select table_schema, table_name from information_schema.tables "
            "union all select table_schema, table_name from information_schema.views"
            ") where lower(table_schema) in (%s, %s)",
            BUILT_LAYERS,
        )
        return {name: _rows(cursor, name) for (name,) in cursor.fetchall()}
    finally:
        connection.close()


def _rows(cursor, name: str) -> Rows:
    """All rows of `name`. fakesnow's server sends a null timestamp as 1970-01-01 00:00, so each
    timestamp column comes with an `is null` flag that puts the null back."""
    cursor.execute(f"select * from {name} limit 0")
    columns = [column.name for column in cursor.description]
    timestamps = [
        column.name for column in cursor.description if column.type_code in _TIMESTAMP_CODES
    ]
    flags = "".join(f', "{column}" is null' for column in timestamps)
    cursor.execute(f"select *{flags} from {name}")
    rows = []
    for values in cursor.fetchall():
        row = dict(zip((column.lower() for column in columns), values[: len(columns)], strict=True))
        for column, is_null in zip(timestamps, values[len(columns) :], strict=True):
            if is_null:
                row[column.lower()] = None
        rows.append(row)
    return rows


def _snowflake_type(data_type: pa.DataType) -> str:
    if pa.types.is_decimal(data_type):
        return f"number({data_type.precision}, {data_type.scale})"
    if pa.types.is_timestamp(data_type):
        return "timestamp_ntz"
    if pa.types.is_date(data_type):
        return "date"
    if pa.types.is_integer(data_type):
        return "number(38, 0)"
    if pa.types.is_boolean(data_type):
        return "boolean"
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type):
        return "string"
    raise TypeError(f"no Snowflake type for bronze's {data_type}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"fakesnow exited: {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"fakesnow did not listen on {port} in {_START_SECONDS} s")
