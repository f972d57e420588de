"""Read-only handles on the published warehouse that follow atomic swaps.

The pipeline publishes a new warehouse by renaming a finished file over the old one. Each query
first compares the file's identity (inode, mtime, size) with the open handle's and reopens when
it changed.

DuckDB shares one database instance per file path within a process: while *any* connection to
the old file is open, connecting to the same path again returns the old instance. So the app
keeps every in-process connection to the warehouse here — the query connection and the
assistant's — and on a swap waits for queries in flight, closes both, and only then reopens.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from customer360.assistant import Assistant
from customer360.assistant.executor import connect_locked
from customer360.assistant.llm import LLMSettings

Version = tuple[int, int, int]
DRAIN_SECONDS = 30.0


class WarehouseUnavailableError(Exception):
    """The warehouse file or a table the page needs does not exist yet."""


def file_version(path: Path) -> Version:
    """Identity of the file at `path`: changes whenever a new warehouse is swapped in."""
    try:
        stat = os.stat(path)
    except FileNotFoundError as exc:
        raise WarehouseUnavailableError(
            f"No warehouse at {path}. Run `c360 pipeline` (or `c360 demo`) to build it."
        ) from exc
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@dataclass
class _Handle:
    version: Version
    connection: duckdb.DuckDBPyConnection
    # One assistant per (LLM settings, private columns) the viewers use.
    assistants: dict[tuple[LLMSettings | None, frozenset[str]], Assistant] = field(
        default_factory=dict
    )
    users: int = 0

    def close(self) -> None:
        for assistant in self.assistants.values():
            assistant.connection.close()
        self.connection.close()


@dataclass
class ReadOnlyWarehouse:
    """One shared read-only connection per published file; a fresh cursor per query."""

    path: Path
    _lock: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _current: _Handle | None = field(default=None, repr=False)

    def version(self) -> Version:
        return file_version(self.path)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        handle = self._acquire()
        try:
            cursor = handle.connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            self._release(handle)

    @contextmanager
    def assistant(
        self, llm: LLMSettings | None = None, private: frozenset[str] = frozenset()
    ) -> Iterator[Assistant]:
        """The assistant bound to the current file (opened on first use per version), with the
        optional LLM backend and the columns the viewer's role may not read."""
        handle = self._acquire()
        try:
            with self._lock:
                key = (llm, private)
                if key not in handle.assistants:
                    handle.assistants[key] = Assistant.open(self.path, llm=llm, private=private)
            yield handle.assistants[key]
        finally:
            self._release(handle)

    def close(self) -> None:
        with self._lock:
            self._retire()

    def _acquire(self) -> _Handle:
        version = self.version()
        with self._lock:
            if self._current is None or self._current.version != version:
                self._retire()
                self._current = _Handle(version, _open(self.path))
            self._current.users += 1
            return self._current

    def _retire(self) -> None:
        """Close the current handle once its queries finish (caller holds the lock)."""
        current = self._current
        if current is None:
            return
        self._lock.wait_for(lambda: current.users == 0, timeout=DRAIN_SECONDS)
        current.close()
        self._current = None

    def _release(self, handle: _Handle) -> None:
        with self._lock:
            handle.users -= 1
            self._lock.notify_all()


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        file_version(path)
    try:
        return connect_locked(path)
    except duckdb.IOException as exc:
        raise WarehouseUnavailableError(f"Cannot open the warehouse at {path}: {exc}") from exc


_REGISTRY: dict[str, ReadOnlyWarehouse] = {}
_REGISTRY_LOCK = threading.Lock()


def warehouse_at(path: Path | str) -> ReadOnlyWarehouse:
    """The process-wide handle for `path` (one per warehouse file path)."""
    key = str(Path(path).resolve())
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            _REGISTRY[key] = ReadOnlyWarehouse(Path(key))
        return _REGISTRY[key]
