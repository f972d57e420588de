"""The plausible date window of one landing file: from `EARLIEST_DATE` to its batch's date or
the run's clock (plus `CLOCK_SLACK`), whichever is earlier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from customer360.dates import CLOCK_SLACK, EARLIEST_DATE, latest_plausible

# Increment batches are named `NNNN-YYYY-MM-DD` (docs/landing-format.md).
_DATED_BATCH = re.compile(r"[0-9]+-([0-9]{4}-[0-9]{2}-[0-9]{2})")


@dataclass(frozen=True)
class Window:
    earliest: date
    latest: date
    basis: str

    def params(self) -> dict[str, object]:
        return {"earliest": self.earliest, "latest": self.latest}

    def placeholders(self) -> dict[str, str]:
        return {
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
            "basis": self.basis,
        }


def batch_date(batch: str) -> date | None:
    """`0007-2026-06-28` → 2026-06-28; None for undated batches such as `0000-history`."""
    match = _DATED_BATCH.fullmatch(batch)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def window_for(batch: str, clock: datetime) -> Window:
    """The window for a file of `batch` loaded by a run whose clock (UTC) reads `clock`."""
    by_clock = latest_plausible(clock)
    dated = batch_date(batch)
    if dated is not None and dated <= by_clock:
        return Window(EARLIEST_DATE, dated, f"date of batch {batch}")
    return Window(
        EARLIEST_DATE, by_clock, f"run clock {clock:%Y-%m-%d %H:%M} UTC + {CLOCK_SLACK.days} day"
    )
