"""The plausible calendar: the dates card data can carry, for every stage that takes a date.

Nothing before `EARLIEST_DATE` is card data (the first general-purpose charge card is from
1950) and nothing is later than the run's clock plus `CLOCK_SLACK` (landed times are local, the
clock is UTC). Ingest quarantines rows outside this window; a date given on the command line
outside it is refused, so neither can move `as_of` into the future or the distant past.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from customer360.errors import UsageError

EARLIEST_DATE = date(1950, 1, 1)
CLOCK_SLACK = timedelta(days=1)


def latest_plausible(clock: datetime | None = None) -> date:
    """The last plausible date for a run whose clock (UTC) reads `clock` (default: now)."""
    return (clock or datetime.now(UTC)).date() + CLOCK_SLACK


def require_plausible(day: date, option: str, earliest: date = EARLIEST_DATE) -> date:
    """`day` if it lies in [earliest, today + slack]; else a UsageError naming `option`."""
    latest = latest_plausible()
    if not earliest <= day <= latest:
        raise UsageError(
            f"{option} {day.isoformat()} is outside the plausible window {earliest}..{latest} "
            f"(up to the run's clock + {CLOCK_SLACK.days} day); use a date inside it"
        )
    return day
