"""Warehouse connections and atomic publish.

DuckDB allows one writer per file, and any other open handle blocks it. Writers therefore
never touch the live file: they work on a private copy and swap it in with one atomic rename.
Readers holding the old file keep a consistent snapshot until they reopen.

A build writes files beside the warehouse (a churn model version) into a staged folder too
(`staged_path`); they move into place just before the warehouse is renamed over the live one,
so the published warehouse never names a file that is missing, and a failed or killed build
leaves none behind.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from customer360.errors import DiskFullError, WarehouseBusyError, disk_full_reason


def _lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _staging_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.stem + ".building" + warehouse.suffix)


def _staged_files(staging: Path) -> Path:
    """The folder of files a build publishes with its warehouse, mirroring the data directory."""
    return staging.with_name(staging.stem + ".files")


def staged_path(staging: Path, final: Path) -> Path:
    """Where the build of `staging` writes `final`, a path in the warehouse's folder.

    Published with the warehouse: a new file or folder moves into place whole, an existing
    folder is merged entry by entry, an existing file is replaced. Discarded otherwise.
    """
    relative = Path(final).resolve().relative_to(staging.parent.resolve())
    return _staged_files(staging) / relative


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

    On any exception (a full disk included, while copying or building) the copy and the files
    staged with it are removed and the live warehouse is untouched. What a killed build left
    is removed by the next one.
    """
    with writer_lock(warehouse):
        staging = start_build(warehouse)
        try:
            yield staging
        except BaseException as exc:
            discard_build(staging)
            raise_if_disk_full(exc, staging, warehouse)
            raise
        publish_build(staging, warehouse)


def start_build(warehouse: Path) -> Path:
    """The private copy of the warehouse a build writes (see `building`); the caller holds
    `writer_lock` until it has published or discarded it."""
    staging = _staging_path(warehouse)
    discard_build(staging)
    try:
        if warehouse.exists():
            shutil.copyfile(warehouse, staging)
    except BaseException as exc:
        discard_build(staging)
        raise_if_disk_full(exc, staging, warehouse)
        raise
    return staging


def publish_build(staging: Path, warehouse: Path) -> None:
    """Move the staged files into place and rename the copy over the live warehouse."""
    try:
        _checkpoint(staging)
        _publish_files(_staged_files(staging), warehouse.parent)
        os.replace(staging, warehouse)
    except BaseException as exc:
        discard_build(staging)
        raise_if_disk_full(exc, staging, warehouse)
        raise
    _fsync_dir(warehouse.parent)
    shutil.rmtree(_staged_files(staging), ignore_errors=True)


def raise_if_disk_full(exc: BaseException, staging: Path, warehouse: Path) -> None:
    """Turn a full disk while building `staging` into one clear `DiskFullError`."""
    reason = disk_full_reason(exc)
    if reason is not None:
        raise DiskFullError(
            f"{reason} while building {staging} (a copy of the warehouse, about "
            f"{_megabytes(warehouse)} MB); free space on that disk{_or_limit(reason)} and "
            "re-run. The live warehouse is unchanged"
        ) from exc


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


def _publish_files(source: Path, target: Path) -> None:
    """Move every staged entry into `target` (see `staged_path`), each with one rename."""
    if not source.is_dir():
        return
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_dir() and destination.is_dir():
            _publish_files(entry, destination)
        else:
            os.replace(entry, destination)


def discard_build(staging: Path) -> None:
    """Remove a copy that will not be published, with the files staged beside it."""
    for candidate in (staging, staging.with_name(staging.name + ".wal")):
        candidate.unlink(missing_ok=True)
    shutil.rmtree(_staged_files(staging), ignore_errors=True)


def _or_limit(reason: str) -> str:
    return (
        " (or lift the file size limit, `ulimit -f`)" if reason == os.strerror(errno.EFBIG) else ""
    )


def _megabytes(path: Path) -> int:
    return round(path.stat().st_size / 1e6) if path.exists() else 0


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
