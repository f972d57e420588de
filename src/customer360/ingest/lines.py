"""A landing CSV's physical lines, numbered in file order, into a temp table (`LINES`).

A line ends at LF (a CRLF's CR is dropped); any other character, a bare CR or NUL included, is
data that the field rules then reject. DuckDB's CSV reader (quoting off, a delimiter that does
not occur in text) reads ordinary files at full speed. Files it refuses (a line over its 2 MB
limit, a bare CR, the control character 0x1F) are read again line by line in Python with the
same numbering, so one odd line is quarantined instead of failing the whole file.
"""

from __future__ import annotations

import gzip
import zlib

import duckdb
import pyarrow as pa

from customer360.errors import LandingFileError
from customer360.ingest.manifest import LandingFile

LINES = "_ingest_lines"

# Unit separator: the raw reader's column delimiter, a control character no valid value holds.
RAW_DELIMITER = "\x1f"

_RAW_LINES = (
    "read_csv($path, columns = {'line': 'VARCHAR'}, header = false, delim = $delim,"
    " quote = '', escape = '', auto_detect = false, compression = 'auto')"
)
_CHUNK_LINES = 100_000
_CHUNK_VIEW = "_ingest_lines_chunk"


def load_lines(con: duckdb.DuckDBPyConnection, file: LandingFile) -> None:
    """Create `LINES (_source_row, _raw)` for a CSV file; the header is line 1.

    Decompressing and numbering is sequential; materialising the lines lets the splitting and
    validation that follow run on every core.
    """
    # Line numbers come from scan order; every later step carries `_source_row` instead, so it
    # may run unordered (faster inserts).
    con.execute("set preserve_insertion_order = true")
    try:
        con.execute(
            f"""
            create or replace temp table {LINES} as
            select row_number() over () as _source_row, line as _raw from {_RAW_LINES}
            """,  # noqa: S608 - identifiers are our constants
            {"path": str(file.path), "delim": RAW_DELIMITER},
        )
    except duckdb.Error:
        _load_lines_in_python(con, file)
    finally:
        con.execute("set preserve_insertion_order = false")


def _load_lines_in_python(con: duckdb.DuckDBPyConnection, file: LandingFile) -> None:
    con.execute(f"create or replace temp table {LINES} (_source_row bigint, _raw varchar)")
    compressed = file.path.name.endswith(".gz")
    numbers: list[int] = []
    texts: list[str] = []
    try:
        with (gzip.open if compressed else open)(file.path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                numbers.append(number)
                texts.append(_decode(line, number, file))
                if len(numbers) == _CHUNK_LINES:
                    _append(con, numbers, texts)
                    numbers, texts = [], []
    except (EOFError, zlib.error, OSError) as exc:
        if compressed:
            raise LandingFileError(
                f"{file.relpath}: gzip stream is truncated or corrupt; re-land the file"
            ) from exc
        raise LandingFileError(
            f"{file.relpath}: cannot be read ({exc}); check the file and land it again"
        ) from exc
    _append(con, numbers, texts)


def _decode(line: bytes, number: int, file: LandingFile) -> str:
    try:
        return line.removesuffix(b"\n").removesuffix(b"\r").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LandingFileError(
            f"{file.relpath}: line {number} is not UTF-8; re-export the file as UTF-8 "
            "and land it again"
        ) from exc


def _append(con: duckdb.DuckDBPyConnection, numbers: list[int], texts: list[str]) -> None:
    if not numbers:
        return
    chunk = pa.table({"_source_row": pa.array(numbers, pa.int64()), "_raw": texts})
    con.register(_CHUNK_VIEW, chunk)
    try:
        con.execute(f"insert into {LINES} select * from {_CHUNK_VIEW}")  # noqa: S608
    finally:
        con.unregister(_CHUNK_VIEW)


def load_parquet_lines(
    con: duckdb.DuckDBPyConnection, file: LandingFile, columns: tuple[str, ...]
) -> None:
    """`LINES` for a Parquet file: row ordinal (1-based) and the row rendered as CSV."""
    texts = [f"coalesce(cast({name} as varchar), '')" for name in columns]
    con.execute(
        f"""
        create or replace temp table {LINES} as
        select file_row_number + 1 as _source_row, concat_ws(',', {", ".join(texts)}) as _raw
        from read_parquet($path, file_row_number = true)
        """,  # noqa: S608 - identifiers are our constants
        {"path": str(file.path)},
    )
