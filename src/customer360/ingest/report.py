"""What an ingest run did, per file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FileStatus = Literal["loaded", "skipped", "failed"]


@dataclass(frozen=True)
class FileResult:
    path: str
    entity: str
    batch: str
    status: FileStatus
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None
    quarantined_by_reason: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class IngestReport:
    files: tuple[FileResult, ...]
    reference_rows: int = 0

    @property
    def quarantined_by_reason(self) -> dict[tuple[str, str], int]:
        """This run's quarantined rows by (entity, reason)."""
        counts: dict[tuple[str, str], int] = {}
        for result in self.files:
            for reason, rows in result.quarantined_by_reason:
                key = (result.entity, reason)
                counts[key] = counts.get(key, 0) + rows
        return dict(sorted(counts.items()))

    def _with_status(self, status: FileStatus) -> tuple[FileResult, ...]:
        return tuple(result for result in self.files if result.status == status)

    @property
    def loaded(self) -> tuple[FileResult, ...]:
        return self._with_status("loaded")

    @property
    def skipped(self) -> tuple[FileResult, ...]:
        return self._with_status("skipped")

    @property
    def failed(self) -> tuple[FileResult, ...]:
        return self._with_status("failed")

    @property
    def rows_loaded(self) -> int:
        return sum(result.rows_loaded for result in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(result.rows_quarantined for result in self.files)
