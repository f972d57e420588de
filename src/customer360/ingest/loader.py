"""Landing → bronze: load every landing file not yet in the manifest, one transaction per file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from customer360.errors import LandingFileError
from customer360.ingest.entities import ENTITY_BY_NAME
from customer360.ingest.lines import LINES, load_lines, load_parquet_lines
from customer360.ingest.manifest import (
    LandingFile,
    ManifestEntry,
    discover,
    earlier_attempt,
    fingerprint,
    record,
)
from customer360.ingest.quarantine import (
    insert_good_rows,
    insert_rejected_rows,
    rejected_by_reason,
)
from customer360.ingest.reader import fields_sql, read_header
from customer360.ingest.reference import load_reference
from customer360.ingest.report import FileResult, IngestReport
from customer360.ingest.tables import ensure_schema
from customer360.ingest.validate import STAGE, mark_duplicates, stage_sql
from customer360.ingest.window import window_for
from customer360.warehouse import connect_write

Progress = Callable[[str, int, int], None]
# One progress bar for the whole stage: `progress("ingest", files done, files total)`.
PROGRESS_STEP = "ingest"


def ingest_landing(
    landing_dir: Path,
    database: Path,
    progress: Progress | None = None,
    *,
    loaded_at: datetime | None = None,
    reference: Path | None = None,
) -> IngestReport:
    """Load new landing files into bronze in `database` (a private copy; see `warehouse.building`).

    `loaded_at` stamps every row and manifest entry of the run and is the clock the plausible
    date window ends by (default: now, UTC, naive).
    `reference` overrides the packaged merchant category list.
    """
    if not landing_dir.is_dir():
        raise LandingFileError(
            f"landing folder {landing_dir} does not exist; run `c360 generate` first"
        )
    stamp = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    files = discover(landing_dir)
    con = connect_write(database)
    try:
        ensure_schema(con)
        reference_rows = load_reference(con, reference, stamp)
        results: list[FileResult] = []
        for done, file in enumerate(files):
            if progress is not None:
                progress(PROGRESS_STEP, done, len(files))
            results.append(_ingest_file(con, file, stamp))
        if progress is not None:
            progress(PROGRESS_STEP, len(files), len(files))
    finally:
        con.close()
    return IngestReport(tuple(results), reference_rows)


def _ingest_file(con: duckdb.DuckDBPyConnection, file: LandingFile, stamp: datetime) -> FileResult:
    try:
        sha256, size = fingerprint(file)
    except LandingFileError as exc:
        earlier = earlier_attempt(con, file.relpath, None)
        if earlier is not None and earlier.status == "retracted":
            return FileResult(file.relpath, file.entity, file.batch, "skipped")
        return _failed(con, file, None, None, str(exc), stamp)
    earlier = earlier_attempt(con, file.relpath, sha256)
    if earlier is not None and earlier.path != file.relpath:
        note = f"same content as {earlier.path}, already {earlier.status}"
        record(con, _entry(file, sha256, size, "duplicate", note, stamp))
        return FileResult(file.relpath, file.entity, file.batch, "skipped")
    if earlier is not None and earlier.status == "failed":
        return FileResult(file.relpath, file.entity, file.batch, "failed", error=earlier.error)
    if earlier is not None:
        return FileResult(file.relpath, file.entity, file.batch, "skipped")
    try:
        return _load(con, file, sha256, size, stamp)
    except LandingFileError as exc:
        return _failed(con, file, sha256, size, str(exc), stamp)
    except duckdb.Error as exc:
        return _failed(con, file, sha256, size, _one_line(file, exc), stamp)


def _load(
    con: duckdb.DuckDBPyConnection, file: LandingFile, sha256: str, size: int, stamp: datetime
) -> FileResult:
    entity = ENTITY_BY_NAME[file.entity]
    header = read_header(file, entity)
    if file.is_parquet:
        load_parquet_lines(con, file, entity.column_names)
    else:
        load_lines(con, file)
    window = window_for(file.batch, stamp)
    params = entity.params | window.params()
    if file.is_parquet:
        params["path"] = str(file.path)
    con.begin()
    try:
        con.execute(stage_sql(entity, fields_sql(file, entity, header), len(header)), params)
        mark_duplicates(con, entity)
        counted = con.execute(f"select count(*) from {STAGE}").fetchone()  # noqa: S608
        rows_in = int(counted[0]) if counted else 0
        loaded = insert_good_rows(con, entity, file, stamp)
        quarantined = insert_rejected_rows(con, entity, file, len(header), window, stamp)
        reasons = rejected_by_reason(con)
        if rows_in != loaded + quarantined:
            raise RuntimeError(
                f"{file.relpath}: {rows_in} rows in but {loaded} loaded + {quarantined} quarantined"
            )
        entry = _entry(file, sha256, size, "loaded", None, stamp)
        record(
            con, replace(entry, rows_in=rows_in, rows_loaded=loaded, rows_quarantined=quarantined)
        )
        con.execute(f"drop table {STAGE}")
        con.execute(f"drop table {LINES}")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return FileResult(
        file.relpath, file.entity, file.batch, "loaded", rows_in, loaded, quarantined, None, reasons
    )


def _entry(
    file: LandingFile,
    sha256: str | None,
    size: int | None,
    status: str,
    error: str | None,
    stamp: datetime,
) -> ManifestEntry:
    return ManifestEntry(
        file.relpath, file.entity, file.batch, sha256, size, 0, 0, 0, status, error, stamp
    )


def _failed(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    sha256: str | None,
    size: int | None,
    message: str,
    stamp: datetime,
) -> FileResult:
    """Record the failure, once: an unchanged file failing the same way adds no manifest row."""
    earlier = earlier_attempt(con, file.relpath, sha256)
    if earlier is None or (earlier.status, earlier.error) != ("failed", message):
        record(con, _entry(file, sha256, size, "failed", message, stamp))
    return FileResult(file.relpath, file.entity, file.batch, "failed", error=message)


def _one_line(file: LandingFile, exc: Exception) -> str:
    """A database error about a file's content as what / where / what to do."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    what = lines[0] if lines else type(exc).__name__
    return (
        f"{file.relpath}: cannot be loaded ({what}); check the file and land it again, "
        f"or `c360 retract {file.relpath}` to give it up"
    )
