"""Landing → bronze: load every landing file not yet in the manifest, one transaction per file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from customer360.errors import LandingFileError
from customer360.ingest.entities import ENTITY_BY_NAME
from customer360.ingest.manifest import (
    LandingFile,
    ManifestEntry,
    already_done,
    discover,
    record,
    sha256_of,
)
from customer360.ingest.quarantine import (
    insert_good_rows,
    insert_rejected_rows,
    rejected_by_reason,
)
from customer360.ingest.reader import (
    LINES,
    fields_sql,
    load_lines_sql,
    load_parquet_lines_sql,
    raw_params,
    read_header,
)
from customer360.ingest.reference import load_reference
from customer360.ingest.report import FileResult, IngestReport
from customer360.ingest.tables import ensure_schema
from customer360.ingest.validate import STAGE, mark_duplicates, stage_sql
from customer360.ingest.window import window_for
from customer360.warehouse import connect_write

Progress = Callable[[str, int, int], None]
# One progress bar for the whole stage: `progress("ingest", files done, files total)`.
PROGRESS_STEP = "ingest"

# Errors DuckDB raises for unreadable file content (bad bytes, truncated gzip, bad Parquet).
_FILE_ERRORS = (duckdb.IOException, duckdb.InvalidInputException)


def ingest_landing(
    landing_dir: Path,
    database: Path,
    progress: Progress | None = None,
    *,
    loaded_at: datetime | None = None,
    reference: Path | None = None,
) -> IngestReport:
    """Load new landing files into bronze in `database` (a private copy; see `warehouse.building`).

    `loaded_at` stamps every row and manifest entry of the run (default: now, UTC, naive).
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
        sha256, size = sha256_of(file.path)
    except FileNotFoundError:
        message = f"{file.relpath}: file is missing; re-land it or remove it from landing"
        return _failed(con, file, None, None, message, stamp)
    if already_done(con, file.relpath, sha256) is not None:
        return FileResult(file.relpath, file.entity, file.batch, "skipped")
    try:
        result = _load(con, file, sha256, size, stamp)
    except LandingFileError as exc:
        return _failed(con, file, sha256, size, str(exc), stamp)
    except _FILE_ERRORS as exc:
        return _failed(con, file, sha256, size, _one_line(file, exc), stamp)
    return result


def _load(
    con: duckdb.DuckDBPyConnection, file: LandingFile, sha256: str, size: int, stamp: datetime
) -> FileResult:
    entity = ENTITY_BY_NAME[file.entity]
    header = read_header(file, entity)
    con.begin()
    try:
        source = raw_params(file)
        lines = load_parquet_lines_sql(entity) if file.is_parquet else load_lines_sql()
        # Line numbers come from scan order; every later step carries `_source_row` instead,
        # so it may run unordered (faster inserts).
        con.execute("set preserve_insertion_order = true")
        con.execute(lines, source)
        con.execute("set preserve_insertion_order = false")
        window = window_for(file.batch, stamp)
        params = entity.params | window.params()
        if file.is_parquet:
            params["path"] = source["path"]
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
        record(
            con,
            ManifestEntry(
                file.relpath,
                file.entity,
                file.batch,
                sha256,
                size,
                rows_in,
                loaded,
                quarantined,
                "loaded",
                None,
                stamp,
            ),
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


def _failed(
    con: duckdb.DuckDBPyConnection,
    file: LandingFile,
    sha256: str | None,
    size: int | None,
    message: str,
    stamp: datetime,
) -> FileResult:
    entry = ManifestEntry(
        file.relpath, file.entity, file.batch, sha256, size, 0, 0, 0, "failed", message, stamp
    )
    record(con, entry)
    return FileResult(file.relpath, file.entity, file.batch, "failed", error=message)


def _one_line(file: LandingFile, exc: Exception) -> str:
    """DuckDB's multi-line file error as what / where / what to do."""
    text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    where = next((line for line in lines if line.startswith("CSV Error on Line")), None)
    at = f" ({where.removeprefix('CSV Error on ').lower()})" if where else ""
    if "unicode" in text.lower() or "utf-8" in text.lower():
        return f"{file.relpath}: not UTF-8 encoded{at}; re-export the file as UTF-8"
    if "gzip" in text.lower():
        return f"{file.relpath}: gzip stream is truncated or corrupt; re-land the file"
    if "Expected Number of Columns: 1" in text:
        return f"{file.relpath}: contains control character 0x1F{at}; remove it and re-land"
    return f"{file.relpath}: cannot be read{at}: {lines[0] if lines else type(exc).__name__}"
