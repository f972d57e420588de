"""Reading a landing file as text fields, one row per physical line, with its line number.

CSV files are read as raw lines (`lines.py`), numbered in file order, then split on commas in
SQL; only lines that contain a `"` go through the slower quote-aware split. This keeps exact
physical line numbers and the raw text of every line, including the malformed ones.

A record must sit on one physical line: a quoted field spanning lines is two malformed lines.
Blank (whitespace-only) lines carry no data; they are not counted in `rows_in`.
"""

from __future__ import annotations

import csv
import gzip
import zlib

import pyarrow.parquet as pq

from customer360.errors import LandingFileError
from customer360.ingest.entities import Entity
from customer360.ingest.lines import LINES
from customer360.ingest.manifest import LandingFile

# Lines holding a `"` are split quote-aware without a regex: split on `"`, hide the commas in
# the even (inside-quotes) segments behind the raw delimiter, split on commas, then unquote
# each field and restore its commas. Escaped quotes ("") yield an empty outside segment, so
# the parity stays right. An odd number of quotes, or a 0x1F already in the line, leaves the
# line unsplittable (malformed).
_QUOTED_SPLIT = """
    case when (length(_raw) - length(replace(_raw, '"', ''))) % 2 = 0
        and strpos(_raw, chr(31)) = 0 then list_transform(
        string_split(array_to_string(list_transform(string_split(_raw, '"'),
            lambda s, i: case when i % 2 = 0 then replace(s, ',', chr(31)) else s end), '"'), ','),
        lambda x: replace(case when length(x) > 1 and x[1] = '"' and x[-1] = '"'
            then replace(substr(x, 2, length(x) - 2), '""', '"') else x end, chr(31), ','))
    end
"""

# Blank means empty or spaces only (DuckDB's `trim` strips spaces). A line that does not start
# with a space cannot be blank, so only the rare line that does is trimmed: trimming every line
# cost a fifth of the validation query.
_NOT_BLANK = "_raw <> '' and (left(_raw, 1) <> ' ' or trim(_raw) <> '')"


def read_header(file: LandingFile, entity: Entity) -> list[str]:
    """The file's column names (trimmed, lower-case); raises if the file cannot be used."""
    where = file.relpath
    if not file.path.exists():
        raise LandingFileError(f"{where}: file is missing; re-land it or remove it from landing")
    if file.path.stat().st_size == 0:
        raise LandingFileError(f"{where}: file is empty (0 bytes); re-land it with a header row")
    header = _parquet_columns(file) if file.is_parquet else _csv_header(file)
    missing = [name for name in entity.column_names if name not in header]
    if missing:
        raise LandingFileError(
            f"{where}: header lacks column(s) {', '.join(missing)}; expected "
            f"{','.join(entity.column_names)} — fix the file and land it again"
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise LandingFileError(
            f"{where}: header repeats column(s) {', '.join(duplicated)}; fix the header and "
            "land it again"
        )
    return header


def _csv_header(file: LandingFile) -> list[str]:
    opener = gzip.open if file.path.name.endswith(".gz") else open
    try:
        with opener(file.path, "rb") as handle:
            first = handle.readline()
    except (OSError, EOFError, zlib.error) as exc:
        raise LandingFileError(f"{file.relpath}: cannot decompress ({exc}); re-land it") from exc
    if not first.strip():
        raise LandingFileError(f"{file.relpath}: no header row; re-land it with a header row")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LandingFileError(
            f"{file.relpath}: header is not UTF-8; re-export the file as UTF-8"
        ) from exc
    try:
        names = next(csv.reader([text]))
    except csv.Error as exc:
        raise LandingFileError(
            f"{file.relpath}: header row cannot be read ({exc}); fix the header and land it again"
        ) from exc
    return [name.strip().lower() for name in names]


def _parquet_columns(file: LandingFile) -> list[str]:
    try:
        schema = pq.read_schema(file.path)
    except Exception as exc:
        raise LandingFileError(
            f"{file.relpath}: not a readable Parquet file ({exc}); re-export it and land it again"
        ) from exc
    return [name.strip().lower() for name in schema.names]


def fields_sql(file: LandingFile, entity: Entity, header: list[str]) -> str:
    """A query yielding `_source_row, _nfields` and every entity column as VARCHAR.

    For CSV it reads the lines table (`lines.load_lines`); for Parquet it binds `$path`.
    """
    if file.is_parquet:
        return _parquet_fields_sql(entity, header)
    picks = ", ".join(f"_f[{header.index(name) + 1}] as {name}" for name in entity.column_names)
    return f"""
        with split as (
            select _source_row,
                case when strpos(_raw, '"') = 0 then string_split(_raw, ',')
                    else {_QUOTED_SPLIT} end as _f
            from {LINES}
            where _source_row > 1 and {_NOT_BLANK}
        )
        select _source_row, coalesce(len(_f), 0) as _nfields, {picks}
        from split
    """  # noqa: S608 - identifiers are our constants


def _parquet_fields_sql(entity: Entity, header: list[str]) -> str:
    picks = ", ".join(f"cast({name} as varchar) as {name}" for name in entity.column_names)
    return f"""
        select file_row_number + 1 as _source_row, {len(header)} as _nfields, {picks}
        from read_parquet($path, file_row_number = true)
    """  # noqa: S608 - identifiers are our constants
