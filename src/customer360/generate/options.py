"""Options and summary of one generation run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from customer360.dates import EARLIEST_DATE, latest_plausible
from customer360.errors import UsageError

DEFAULT_AS_OF = dt.date(2026, 6, 30)
# Accounts open up to a few decades before the history starts, and ingest refuses dates before
# EARLIEST_DATE: a world ending 50 years after it lands whole.
EARLIEST_AS_OF = dt.date(EARLIEST_DATE.year + 50, 1, 1)
FORMATS = ("csv.gz", "csv", "parquet")
MIN_HISTORY_DAYS = 200


@dataclass(frozen=True)
class GenerateOptions:
    """What world to generate. Same options give byte-identical files."""

    customers: int = 50_000
    seed: int = 42
    as_of: dt.date = DEFAULT_AS_OF
    days: int = 580
    transactions_per_customer: float = 270.0
    defect_rate: float = 0.002
    increments: int = 0
    format: str = "csv.gz"

    def validate(self) -> None:
        """Raise UsageError (one line: what, which option, what to do) on a bad value."""
        if not isinstance(self.customers, int) or not 1 <= self.customers <= 99_000_000:
            _bad("customers", self.customers, "use a whole number between 1 and 99,000,000")
        if not isinstance(self.seed, int) or self.seed < 0:
            _bad("seed", self.seed, "use a non-negative whole number")
        if not isinstance(self.as_of, dt.date) or isinstance(self.as_of, dt.datetime):
            _bad("as-of", self.as_of, "use a date like 2026-06-30")
        latest = latest_plausible()
        if not EARLIEST_AS_OF <= self.as_of <= latest:
            _bad(
                "as-of",
                self.as_of.isoformat(),
                f"use a date from {EARLIEST_AS_OF} to {latest} (ingest refuses dates after the "
                "run's clock + 1 day, and accounts open decades before the history)",
            )
        if not isinstance(self.days, int) or not MIN_HISTORY_DAYS <= self.days <= 3650:
            _bad("days", self.days, f"use a history length between {MIN_HISTORY_DAYS} and 3650")
        tpc = self.transactions_per_customer
        if not isinstance(tpc, int | float) or not 1 <= tpc <= 5000:
            _bad("transactions-per-customer", tpc, "use a number between 1 and 5000")
        if not isinstance(self.defect_rate, int | float) or not 0 <= self.defect_rate <= 0.2:
            _bad("defect-rate", self.defect_rate, "use a fraction between 0 and 0.2 (0 = clean)")
        if not isinstance(self.increments, int) or not 0 <= self.increments <= self.days - 180:
            _bad("increments", self.increments, f"use 0 to {self.days - 180} trailing days")
        if self.format not in FORMATS:
            _bad("format", self.format, f"use one of {', '.join(FORMATS)}")

    @property
    def history_start(self) -> dt.date:
        """First day of the transaction history (the window is `days` long, ending at as_of)."""
        return self.as_of - dt.timedelta(days=self.days - 1)


def _bad(option: str, value: object, advice: str) -> None:
    raise UsageError(f"Invalid --{option} {value!r}: {advice}.")


@dataclass(frozen=True)
class GenerateSummary:
    """What a run wrote."""

    files: tuple[str, ...]
    rows: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
