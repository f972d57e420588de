"""Atomic, deterministic file writing: CSV (optionally gzip) or Parquet, with defect lines."""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from customer360.generate.defects import Event

GZIP_LEVEL = 1  # the bottleneck at default scale; level 1 is ~3x faster than 6 for ~15% more bytes
_NONE = pacsv.WriteOptions(include_header=False, quoting_style="none")
_NEEDED = pacsv.WriteOptions(include_header=False, quoting_style="needed")

DefectLine = tuple[int, str]  # (1-based line number, kind)


def _csv_rows(table: pa.Table, sink: pa.BufferOutputStream) -> None:
    if table.num_rows == 0:
        return
    try:
        pacsv.write_csv(table, sink, _NONE)
    except pa.ArrowInvalid:  # a value holding a comma or quote needs quoting
        pacsv.write_csv(table, sink, _NEEDED)


def encode_csv(table: pa.Table, events: Sequence[Event]) -> tuple[bytes, list[DefectLine]]:
    """CSV bytes with the defect lines spliced in; header is line 1."""
    sink = pa.BufferOutputStream()
    sink.write((",".join(table.column_names) + "\n").encode())
    lines: list[DefectLine] = []
    cur = 0
    line = 1
    for e in events:
        _csv_rows(table.slice(cur, e.row - cur), sink)
        line += e.row - cur
        sink.write((e.raw + "\n").encode())
        line += 1
        lines.append((line, e.kind))
        cur = e.row + 1 if e.replace else e.row
    _csv_rows(table.slice(cur), sink)
    return sink.getvalue().to_pybytes(), lines


def gzip_bytes(data: bytes) -> bytes:
    """gzip with a fixed header (mtime 0, no file name) so identical input gives identical bytes."""
    c = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def apply_events(table: pa.Table, events: Sequence[Event]) -> tuple[pa.Table, list[DefectLine]]:
    """The table with defect rows spliced in (Parquet); `line` = row number + 1, as in CSV."""
    pieces = []
    lines: list[DefectLine] = []
    cur = 0
    line = 1
    for e in events:
        pieces.append(table.slice(cur, e.row - cur))
        line += e.row - cur
        row = {c: [v] for c, v in zip(table.column_names, e.values or (), strict=True)}
        pieces.append(pa.table(row, schema=table.schema))
        line += 1
        lines.append((line, e.kind))
        cur = e.row + 1 if e.replace else e.row
    pieces.append(table.slice(cur))
    return pa.concat_tables(pieces).combine_chunks(), lines


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_table(path: Path, table: pa.Table, events: Sequence[Event], fmt: str) -> list[DefectLine]:
    """Write one landing or oracle file atomically; returns the defect lines it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        table, lines = apply_events(table, events) if events else (table, [])
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        pq.write_table(table, tmp, compression="snappy")
        os.replace(tmp, path)
        return lines
    data, lines = encode_csv(table, events)
    write_atomic(path, gzip_bytes(data) if fmt == "csv.gz" else data)
    return lines
