"""Landing file discovery and the file manifest (`ops.file_manifest`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

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


def sha256_of(path: Path) -> tuple[str, int]:
    """Checksum and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def already_done(con: duckdb.DuckDBPyConnection, relpath: str, sha256: str) -> str | None:
    """Status of an earlier attempt that makes this one a no-op, else None.

    Content already loaded (under any path) is skipped; a failure is retried only once the
    file's checksum changes.
    """
    row = con.execute(
        f"""
        select status from {MANIFEST}
        where sha256 = ? and (status = 'loaded' or path = ?)
        order by status = 'loaded' desc
        limit 1
        """,  # noqa: S608 - table name is our constant
        [sha256, relpath],
    ).fetchone()
    return None if row is None else str(row[0])


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
