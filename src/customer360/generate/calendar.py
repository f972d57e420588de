"""Day-indexed calendar: day 0 is the first history day. Season and weekday effects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

# Jan..Dec: post-holiday lull, summer lift, November-December peak.
MONTH_FACTOR = np.array([0.99, 0.98, 0.99, 0.99, 1.00, 1.02, 1.03, 1.02, 0.99, 0.99, 1.01, 1.03])
# Extra weight on the Travel group (summer trips, December holidays).
TRAVEL_MONTH_FACTOR = np.array(
    [0.98, 0.97, 1.00, 0.98, 1.02, 1.10, 1.12, 1.08, 0.97, 0.97, 0.99, 1.01]
)
# Mon..Sun: Friday and Saturday are the busiest days.
WEEKDAY_FACTOR = np.array([0.90, 0.92, 0.95, 1.00, 1.15, 1.15, 0.93])


@dataclass(frozen=True)
class Calendar:
    start: dt.date
    days: int  # history length; day `days - 1` is as_of
    extra: int  # days modelled after as_of (churn outcome windows); never written

    @property
    def total(self) -> int:
        return self.days + self.extra

    @property
    def as_of_day(self) -> int:
        return self.days - 1

    def dates(self) -> np.ndarray:
        return np.datetime64(self.start, "D") + np.arange(self.total)

    def month(self) -> np.ndarray:
        """Month of year, 0-11, per day."""
        d = self.dates()
        return (d.astype("datetime64[M]").astype(np.int64) % 12).astype(np.int64)

    def day_factor(self) -> np.ndarray:
        """Relative activity per day (season × weekday), normalised to mean 1 over the history."""
        d = self.dates()
        weekday = (d.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
        f = MONTH_FACTOR[self.month()] * WEEKDAY_FACTOR[weekday]
        return f / f[: self.days].mean()

    def day_of(self, date: dt.date) -> int:
        return (date - self.start).days

    def date_of(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day))

    def month_ends(self, from_month: int = 6) -> list[int]:
        """Day index of each month end within the history, from the `from_month`-th month on."""
        d = self.dates()[: self.days]
        last_of_month = np.flatnonzero(d.astype("datetime64[M]") != (d + 1).astype("datetime64[M]"))
        return [int(x) for x in last_of_month[from_month - 1 :]]
