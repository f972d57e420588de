"""A full dbt build's results, kept in the warehouse it built (`ops.dbt_results`).

Data Health shows them. As a table of the warehouse they are published with it or not at all:
a build that fails or is killed never replaces the results of the live one.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

RESULTS_TABLE = "ops.dbt_results"

_DDL = """
create schema if not exists ops;
create or replace table ops.dbt_results (
    generated_at timestamp,
    resource_type varchar,
    name varchar,
    status varchar,
    failures bigint,
    seconds double,
    message varchar
)
"""


def result_rows(run_results: Path) -> list[tuple[Any, ...]]:
    """One row per dbt node of a `run_results.json`, in the columns of `ops.dbt_results`."""
    payload = json.loads(run_results.read_text())
    stamp = payload.get("metadata", {}).get("generated_at")
    generated_at = datetime.fromisoformat(stamp).replace(tzinfo=None) if stamp else None
    rows = []
    for result in payload.get("results", []):
        kind, _, name = str(result.get("unique_id", "")).partition(".")
        rows.append(
            (
                generated_at,
                kind,
                name.split(".", 1)[-1],
                result.get("status"),
                result.get("failures"),
                round(float(result.get("execution_time") or 0.0), 3),
                result.get("message"),
            )
        )
    return rows


def record_results(database: Path, run_results: Path) -> int:
    """Replace `ops.dbt_results` in `database` with the nodes of `run_results`; their count."""
    rows = result_rows(run_results)
    con = duckdb.connect(str(database))
    try:
        con.execute(_DDL)
        if rows:
            con.executemany(f"insert into {RESULTS_TABLE} values (?, ?, ?, ?, ?, ?, ?)", rows)  # noqa: S608 -- a constant
    finally:
        con.close()
    return len(rows)
