"""Retracting a landing file: its rows leave bronze and quarantine, the manifest records why.

For a file that should never have been loaded (a wrong export, a test batch, rows loaded before
a rule existed). Every content ever loaded under that path, and the file as it lies now, is
recorded as `retracted`, so no later ingest loads it again under any name; a corrected file
(new content) under the same name loads normally. Incremental silver and gold models cannot
forget rows, so the caller rebuilds them in full (`c360 retract` does, before publishing).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import duckdb

from customer360.errors import C360Error, LandingFileError, UsageError
from customer360.ingest.entities import (
    CUSTOMER_CHANGES,
    CUSTOMERS,
    ENTITIES,
    ENTITY_BY_NAME,
    TRANSACTIONS,
)
from customer360.ingest.manifest import LandingFile, ManifestEntry, batch_of, fingerprint, record
from customer360.ingest.tables import MANIFEST, QUARANTINE, ensure_schema
from customer360.warehouse import connect_write


@dataclass(frozen=True)
class RetractReport:
    path: str
    entity: str
    # The file's manifest status before (`pending` when it was never ingested).
    previous_status: str
    rows_removed: int
    quarantine_removed: int
    # Silver or gold tables exist and still hold the rows: rebuild them in full.
    derived_layers: bool

    def summary(self) -> str:
        if self.previous_status == "retracted":
            return f"{self.path} was already retracted; nothing to do"
        return (
            f"retracted {self.path} (was {self.previous_status}): {self.rows_removed:,} rows "
            f"removed from bronze.{self.entity}, {self.quarantine_removed:,} from quarantine"
        )


@dataclass(frozen=True)
class _Attempt:
    sha256: str | None
    bytes: int | None
    status: str
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    loaded_at: datetime


def retract_file(
    database: Path,
    landing_dir: Path,
    target: str,
    *,
    reason: str,
    retracted_at: datetime | None = None,
) -> RetractReport:
    """Retract `target` (a landing path such as `transactions/0001-2026-06-28.csv.gz`, or the
    file's path on disk) in `database`, a private copy (see `warehouse.building`)."""
    relpath = landing_relpath(landing_dir, target)
    entity = ENTITY_BY_NAME[relpath.split("/")[0]]
    file = LandingFile(landing_dir / relpath, relpath, entity.name, batch_of(relpath))
    stamp = retracted_at or datetime.now(UTC).replace(tzinfo=None)
    con = connect_write(database)
    try:
        ensure_schema(con)
        attempts = _attempts(con, relpath)
        if attempts and attempts[-1].status == "retracted":
            return RetractReport(relpath, entity.name, "retracted", 0, 0, derived_layers=False)
        contents = _contents(file, attempts)
        if not contents:
            raise UsageError(
                f"{relpath} is neither in the landing folder nor in the manifest; "
                "check the name with `c360 status`"
            )
        if entity is CUSTOMERS:
            _refuse_if_referenced(con, relpath)
        con.begin()
        try:
            removed = _delete(con, entity.table, "_source_file", relpath)
            held = _delete(con, QUARANTINE, "source_file", relpath)
            for sha256, size in contents.items():
                counts = _withdrawn(attempts, sha256)
                note = f"retracted: {reason}"
                entry = ManifestEntry(
                    relpath,
                    entity.name,
                    file.batch,
                    sha256,
                    size,
                    *counts,
                    "retracted",
                    note,
                    stamp,
                )
                record(con, entry)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        derived = _has_derived_layers(con)
    finally:
        con.close()
    previous = attempts[-1].status if attempts else "pending"
    return RetractReport(relpath, entity.name, previous, removed, held, derived)


def landing_relpath(landing_dir: Path, target: str) -> str:
    """`entity/file` for a path on disk under the landing folder or a landing-relative name."""
    candidate = Path(target)
    if candidate.is_absolute() or candidate.exists():
        absolute = Path(os.path.abspath(candidate))
        try:
            relative = PurePosixPath(absolute.relative_to(os.path.abspath(landing_dir)).as_posix())
        except ValueError:
            relative = PurePosixPath("/", absolute.as_posix())
    else:
        relative = PurePosixPath(target.removeprefix("landing/"))
    parts = relative.parts
    if len(parts) != 2 or parts[0] not in ENTITY_BY_NAME or parts[1].startswith("."):
        entities = ", ".join(entity.name for entity in ENTITIES)
        raise UsageError(
            f"{target} is not a landing file: name it as <entity>/<file> under {landing_dir} "
            f"(entity: {entities}), e.g. transactions/0001-2026-06-28.csv.gz"
        )
    return relative.as_posix()


def _attempts(con: duckdb.DuckDBPyConnection, relpath: str) -> list[_Attempt]:
    rows = con.execute(
        f"""
        select sha256, bytes, status, rows_in, rows_loaded, rows_quarantined, loaded_at
        from {MANIFEST} where path = ? order by loaded_at
        """,  # noqa: S608 - table name is our constant
        [relpath],
    ).fetchall()
    return [_Attempt(*row) for row in rows]


def _contents(file: LandingFile, attempts: list[_Attempt]) -> dict[str | None, int | None]:
    """Every content (checksum → size) to record as retracted: those attempted, and the file
    as it lies now (None when it is not a regular file, so its failures stop too)."""
    contents: dict[str | None, int | None] = {a.sha256: a.bytes for a in attempts}
    try:
        sha256, size = fingerprint(file)
        contents[sha256] = size
    except LandingFileError:
        if file.path.exists() or file.path.is_symlink():
            contents.setdefault(None, None)
    return contents


def _withdrawn(attempts: list[_Attempt], sha256: str | None) -> tuple[int, int, int]:
    """The counts of the load of this content that the retraction withdraws (0s if none)."""
    for attempt in attempts:
        if attempt.sha256 == sha256 and attempt.status == "loaded":
            return attempt.rows_in, attempt.rows_loaded, attempt.rows_quarantined
    return 0, 0, 0


def _refuse_if_referenced(con: duckdb.DuckDBPyConnection, relpath: str) -> None:
    """A customers file whose customers have rows in other files cannot go first."""
    referencing = " union all ".join(
        f"select _source_file, customer_id from {entity.table}"  # noqa: S608 - our constants
        for entity in (CUSTOMER_CHANGES, TRANSACTIONS)
    )
    rows = con.execute(
        f"""
        select _source_file, count(*) from ({referencing}) as referencing
        where upper(trim(customer_id)) in (
            select _key from {CUSTOMERS.table} where _source_file = $path
        )
        group by _source_file
        order by _source_file
        """,  # noqa: S608 - identifiers are our constants
        {"path": relpath},
    ).fetchall()
    if rows:
        total = sum(int(count) for _, count in rows)
        files = ", ".join(str(path) for path, _ in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        raise C360Error(
            f"{relpath}: {total:,} rows of its customers are in {files}{more}; "
            "retract those files first"
        )


def _delete(con: duckdb.DuckDBPyConnection, table: str, column: str, relpath: str) -> int:
    row = con.execute(
        f"delete from {table} where {column} = ?",  # noqa: S608 - identifiers are our constants
        [relpath],
    ).fetchone()
    return int(row[0]) if row else 0


def _has_derived_layers(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema in ('silver', 'gold')"
    ).fetchone()
    return bool(row and row[0])
