"""Per-warehouse-file facts the engine needs once: the as-of date and the phrase lexicon.

Both need scans of the data (distinct values of text dimensions, the latest transaction date),
so they are computed once per warehouse file version and model, never per question.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import duckdb

from customer360.assistant.lexicon import (
    Lexicon,
    build_lexicon,
    distinct_values,
    identifier_shapes,
)
from customer360.errors import C360Error
from customer360.semantic.model import SemanticModel

_CACHE: dict[tuple[str, int, int, int, int], tuple[SemanticModel, Lexicon]] = {}
_CACHE_LOCK = threading.Lock()
_MAX_ENTRIES = 8


def as_of_date(con: duckdb.DuckDBPyConnection) -> date:
    """The data's as-of date: the latest transaction date."""
    row = con.execute("select max(transaction_date) from gold.fct_transactions").fetchone()
    if row is None or row[0] is None:
        raise C360Error("gold.fct_transactions is empty; run the pipeline first")
    value = row[0]
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def cached_lexicon(
    con: duckdb.DuckDBPyConnection, model: SemanticModel, warehouse: Path
) -> Lexicon:
    """The lexicon for this model and warehouse file version (path, inode, mtime, size)."""
    stat = warehouse.stat()
    key = (str(warehouse.resolve()), stat.st_ino, stat.st_mtime_ns, stat.st_size, id(model))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    lexicon = build_lexicon(model, distinct_values(con, model), identifier_shapes(con, model))
    with _CACHE_LOCK:
        if len(_CACHE) >= _MAX_ENTRIES:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (model, lexicon)
    return lexicon
