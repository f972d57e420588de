"""Execution of guarded SQL on a locked-down, read-only DuckDB connection."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from customer360.errors import C360Error

DEFAULT_TIMEOUT_SECONDS = 10.0
# Caps for one read-only process: a query that needs more memory fails cleanly instead of
# taking the machine (the guard already refuses row generators).
MEMORY_LIMIT = "4GB"
THREADS = 2


class QueryTimeoutError(C360Error):
    """The query ran longer than the assistant's time limit and was interrupted."""


class ExecutionError(C360Error):
    """DuckDB rejected a query that passed the guard."""


@dataclass(frozen=True)
class ResultSet:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def connect_locked(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Read-only, no file or network access, memory and threads capped, settings frozen so SQL
    cannot loosen them."""
    if not warehouse.exists():
        raise C360Error(f"warehouse {warehouse} not found; run `c360 pipeline` first")
    return duckdb.connect(
        str(warehouse),
        read_only=True,
        config={
            "enable_external_access": False,
            "memory_limit": MEMORY_LIMIT,
            "threads": THREADS,
            "lock_configuration": True,
        },
    )


def execute(
    con: duckdb.DuckDBPyConnection, sql: str, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> ResultSet:
    """Run one guarded statement on its own cursor, interrupting it after `timeout` seconds."""
    cursor = con.cursor()
    fired = threading.Event()

    def interrupt() -> None:
        fired.set()
        cursor.interrupt()

    timer = threading.Timer(timeout, interrupt)
    timer.start()
    try:
        result = cursor.execute(sql)
        columns = tuple(d[0] for d in result.description or ())
        rows = tuple(tuple(r) for r in result.fetchall())
    except duckdb.InterruptException as exc:
        raise QueryTimeoutError(f"query stopped after {timeout:.0f} s") from exc
    except duckdb.Error as exc:
        if fired.is_set():
            raise QueryTimeoutError(f"query stopped after {timeout:.0f} s") from exc
        raise ExecutionError(f"query failed: {str(exc).splitlines()[0]}") from exc
    finally:
        timer.cancel()
        cursor.close()
    return ResultSet(columns, rows)
