"""Warehouse connections and atomic publish.

DuckDB allows one writer per file, and any other open handle blocks it. Writers therefore
never touch the live file: they work on a private copy and swap it in with one atomic rename.
Readers holding the old file keep a consistent snapshot until they reopen.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from customer360.errors import WarehouseBusyError


def _lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _staging_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.stem + ".building" + warehouse.suffix)


@contextmanager
def writer_lock(warehouse: Path) -> Iterator[None]:
    """Exclusive lock so two pipeline runs never build at once."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_path(warehouse), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise WarehouseBusyError(
                f"warehouse {warehouse} is being rebuilt by another run; wait for it to finish"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def building(warehouse: Path) -> Iterator[Path]:
    """Yield a private copy of the warehouse to write; publish it atomically on success.

    On any exception the copy is discarded and the live warehouse is untouched.
    """
    staging = _staging_path(warehouse)
    with writer_lock(warehouse):
        _remove_database(staging)
        if warehouse.exists():
            shutil.copyfile(warehouse, staging)
        try:
            yield staging
        except BaseException:
            _remove_database(staging)
            raise
        _checkpoint(staging)
        os.replace(staging, warehouse)
        _fsync_dir(warehouse.parent)


def connect_write(path: Path) -> duckdb.DuckDBPyConnection:
    """A writable connection to a staging file (see `building`)."""
    return duckdb.connect(str(path))


def connect_read(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse."""
    return duckdb.connect(str(warehouse), read_only=True)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file so the rename publishes one complete file."""
    if path.exists():
        con = duckdb.connect(str(path))
        try:
            con.execute("checkpoint")
        finally:
            con.close()


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
