"""Relative time windows and grains in a question, resolved against the data's as-of date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from customer360.semantic.query import Grain

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
MONTHS |= {name[:3]: n for name, n in MONTHS.items()}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_GRAINS: tuple[tuple[str, Grain], ...] = (
    (r"\b(by|per|each|every) (day)\b|\bdaily\b", "day"),
    (r"\b(by|per|each|every) (week)\b|\bweekly\b", "week"),
    (
        r"\b(by|per|each|every) (month)\b|\bmonthly\b|\bover time\b|\btrend\b|\bmonth by month\b",
        "month",
    ),
    (r"\b(by|per|each|every) (quarter)\b|\bquarterly\b", "quarter"),
    (r"\b(by|per|each|every) (year)\b|\byearly\b|\bannual(ly)?\b", "year"),
)


@dataclass(frozen=True)
class Window:
    start: date | None
    end: date | None
    label: str


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def find_window(text: str, as_of: date) -> tuple[Window | None, str]:
    """The first time window in `text` (lower-case) and the text with it removed."""
    end = as_of + timedelta(days=1)
    rules: list[tuple[str, object]] = [
        (
            r"\b(?:in |over |during )?(?:the )?(?:last|past|previous) "
            r"(\d+) (day|week|month|year)s?\b",
            lambda m: Window(
                end - timedelta(days=int(m[1]) * _UNIT_DAYS[m[2]]), end, f"the last {m[1]} {m[2]}s"
            ),
        ),
        (
            r"\b(?:in |during )?(?:the )?(?:last|previous|past) month\b",
            lambda m: Window(
                _add_months(_month_start(as_of), -1), _month_start(as_of), "last month"
            ),
        ),
        (
            r"\b(?:in |during )?this month\b",
            lambda m: Window(_month_start(as_of), end, "this month"),
        ),
        (
            r"\b(?:in |during )?(?:the )?(?:last|previous|past) year\b",
            lambda m: Window(date(as_of.year - 1, 1, 1), date(as_of.year, 1, 1), "last year"),
        ),
        (
            r"\b(?:in |during )?this year\b|\bytd\b|\byear to date\b",
            lambda m: Window(date(as_of.year, 1, 1), end, "this year to date"),
        ),
        (
            r"\bsince (" + "|".join(MONTHS) + r")\b(?: (\d{4}))?",
            lambda m: Window(_since_month(MONTHS[m[1]], m[2], as_of), end, f"since {m[1]}"),
        ),
        (r"\bsince (\d{4})\b", lambda m: Window(date(int(m[1]), 1, 1), end, f"since {m[1]}")),
        (
            r"\b(?:in|during) (" + "|".join(MONTHS) + r") (\d{4})\b",
            lambda m: Window(
                date(int(m[2]), MONTHS[m[1]], 1),
                _add_months(date(int(m[2]), MONTHS[m[1]], 1), 1),
                f"{m[1]} {m[2]}",
            ),
        ),
        (
            r"\b(?:in|during|for) (20\d\d|19\d\d)\b",
            lambda m: Window(date(int(m[1]), 1, 1), date(int(m[1]) + 1, 1, 1), f"in {m[1]}"),
        ),
    ]
    for pattern, make in rules:
        match = re.search(pattern, text)
        if match:
            window = make(match)  # type: ignore[operator]
            return window, text[: match.start()] + " " + text[match.end() :]
    return None, text


def _since_month(month: int, year: str | None, as_of: date) -> date:
    if year:
        return date(int(year), month, 1)
    candidate = date(as_of.year, month, 1)
    return candidate if candidate <= as_of else date(as_of.year - 1, month, 1)


def find_grain(text: str) -> tuple[Grain | None, str]:
    for pattern, grain in _GRAINS:
        match = re.search(pattern, text)
        if match:
            return grain, text[: match.start()] + " " + text[match.end() :]
    return None, text
