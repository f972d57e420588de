"""Read-only questions about what ingest has done, for `c360 status` and the Data Health page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from customer360.ingest.entities import ENTITIES
from customer360.ingest.manifest import discover
from customer360.ingest.tables import MANIFEST, QUARANTINE
from customer360.warehouse import connect_read

# Manifest statuses that settle a landed file (see docs/ingest.md); anything else is pending.
SETTLED = ("loaded", "failed", "duplicate", "retracted")


@dataclass(frozen=True)
class BatchStatus:
    entity: str
    batch: str
    files_landed: int
    files_loaded: int
    files_failed: int
    # Same content as a file already loaded or retracted under another name: nothing to load.
    files_duplicate: int = 0
    files_retracted: int = 0

    @property
    def pending(self) -> int:
        settled = self.files_loaded + self.files_failed + self.files_duplicate
        return self.files_landed - settled - self.files_retracted


@dataclass(frozen=True)
class StatusReport:
    batches: tuple[BatchStatus, ...]
    # (table, rows) for each bronze entity table.
    bronze_rows: tuple[tuple[str, int], ...]
    # (entity, reason, rows), most rows first.
    quarantine: tuple[tuple[str, str, int], ...]


def status(database: Path, landing_dir: Path | None = None) -> StatusReport:
    """Landed vs ingested files per batch, bronze row counts and quarantine by reason.

    Opens `database` read-only; a missing warehouse reports every landed file as pending.
    """
    landed = discover(landing_dir) if landing_dir is not None and landing_dir.is_dir() else []
    latest: dict[str, str] = {}
    bronze: list[tuple[str, int]] = []
    quarantine: list[tuple[str, str, int]] = []
    if database.exists():
        with connect_read(database) as con:
            if _has_table(con, "ops", "file_manifest"):
                latest = dict(
                    con.execute(
                        f"select path, arg_max(status, loaded_at) from {MANIFEST} group by path"  # noqa: S608
                    ).fetchall()
                )
                quarantine = [
                    (str(e), str(r), int(n))
                    for e, r, n in con.execute(
                        f"select entity, reason, count(*) from {QUARANTINE} "  # noqa: S608
                        "group by all order by 3 desc, 1, 2"
                    ).fetchall()
                ]
            for entity in ENTITIES:
                if _has_table(con, "bronze", entity.name):
                    row = con.execute(f"select count(*) from {entity.table}").fetchone()  # noqa: S608
                    bronze.append((entity.table, int(row[0]) if row else 0))
    counts: dict[tuple[str, str], list[int]] = {}
    for file in landed:
        tally = counts.setdefault((file.entity, file.batch), [0] * (1 + len(SETTLED)))
        tally[0] += 1
        if latest.get(file.relpath) in SETTLED:
            tally[1 + SETTLED.index(latest[file.relpath])] += 1
    batches = tuple(BatchStatus(e, b, *tally) for (e, b), tally in counts.items())
    return StatusReport(batches, tuple(bronze), tuple(quarantine))


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])
