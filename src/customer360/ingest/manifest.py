"""Landing file discovery and the file manifest (`ops.file_manifest`)."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from customer360.errors import LandingFileError
from customer360.ingest.entities import ENTITIES
from customer360.ingest.tables import MANIFEST

SUFFIXES = (".csv", ".csv.gz", ".parquet")
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class LandingFile:
    """One file under `landing/<entity>/`; `relpath` is relative to the landing dir."""

    path: Path
    relpath: str
    entity: str
    batch: str

    @property
    def is_parquet(self) -> bool:
        return self.path.name.endswith(".parquet")


def batch_of(filename: str) -> str:
    """`0000-history.part-001.csv.gz` → `0000-history`."""
    return filename.split(".", 1)[0]


def discover(landing_dir: Path) -> list[LandingFile]:
    """Every landing file in load order: entity order of the contract, then by name."""
    files: list[LandingFile] = []
    for entity in ENTITIES:
        folder = landing_dir / entity.name
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if path.name.startswith(".") or not path.name.endswith(SUFFIXES):
                continue
            relpath = path.relative_to(landing_dir).as_posix()
            files.append(LandingFile(path, relpath, entity.name, batch_of(path.name)))
    return files


def fingerprint(file: LandingFile) -> tuple[str, int]:
    """Checksum and size of a landing file, read in chunks.

    Only regular files are opened: a named pipe would block the run (holding the writer lock)
    and a directory or device is no landing file.
    """
    try:
        mode = file.path.stat().st_mode
    except FileNotFoundError as exc:
        raise LandingFileError(
            f"{file.relpath}: file is missing; re-land it or remove it from landing"
        ) from exc
    if stat.S_ISDIR(mode):
        raise LandingFileError(
            f"{file.relpath}: is a directory, not a file; move it out of the landing folder"
        )
    if not stat.S_ISREG(mode):
        raise LandingFileError(
            f"{file.relpath}: not a regular file ({_kind(mode)}); replace it with the file itself"
        )
    digest = hashlib.sha256()
    size = 0
    try:
        with open(file.path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise LandingFileError(
            f"{file.relpath}: cannot be read ({exc.strerror or exc}); check its permissions "
            "and land it again"
        ) from exc
    return digest.hexdigest(), size


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


@dataclass(frozen=True)
class Earlier:
    """An earlier manifest entry that decides what to do with a file now."""

    path: str
    status: str
    error: str | None


def earlier_attempt(
    con: duckdb.DuckDBPyConnection, relpath: str, sha256: str | None
) -> Earlier | None:
    """The latest attempt at this path with this content, else the same content loaded or
    retracted under another path; None when the file is new.
    """
    row = con.execute(
        f"""
        select path, status, error from {MANIFEST}
        where path = ? and sha256 is not distinct from ?
        order by loaded_at desc
        limit 1
        """,  # noqa: S608 - table name is our constant
        [relpath, sha256],
    ).fetchone()
    if row is None and sha256 is not None:
        row = con.execute(
            f"""
            select path, status, error from {MANIFEST}
            where sha256 = ? and status in ('loaded', 'retracted')
            order by status = 'loaded' desc, loaded_at
            limit 1
            """,  # noqa: S608 - table name is our constant
            [sha256],
        ).fetchone()
    return None if row is None else Earlier(str(row[0]), str(row[1]), row[2])


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    entity: str
    batch: str
    sha256: str | None
    bytes: int | None
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    status: str
    error: str | None
    loaded_at: datetime


def record(con: duckdb.DuckDBPyConnection, entry: ManifestEntry) -> None:
    con.execute(
        f"insert into {MANIFEST} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        [
            entry.path,
            entry.entity,
            entry.batch,
            entry.sha256,
            entry.bytes,
            entry.rows_in,
            entry.rows_loaded,
            entry.rows_quarantined,
            entry.status,
            entry.error,
            entry.loaded_at,
        ],
    )
