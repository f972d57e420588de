"""Time in a question: calendar periods, relative windows and grains, resolved at the as-of date.

A period is a half-open date range [start, end). Relative windows end at the as-of date
("last 90 days" is (as_of - 90, as_of]); "last month/quarter/year" are the previous complete
calendar ones; a period named without a year ("in March", "Q2") is the latest one starting on or
before the as-of date, and says which year it took. Two periods joined by "vs", "versus",
"compared to" or "and" (without "between") are a comparison. Every match is removed from the
text, so the words it used are accounted for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from rapidfuzz import fuzz, process

from customer360.errors import C360Error
from customer360.semantic.query import Grain, date_span

MONTHS = {
    name: number
    for number, name in enumerate(
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
        ],
        start=1,
    )
}
MONTHS |= {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
# Phrases that say "no period": every row, as when none is named.
ALL_TIME = (
    r"\b(?:(?:over |for |of |across )?all time|ever|(?<!year )(?<!month )(?<!quarter )to date"
    r"|since inception|since records began|since (?:the )?(?:beginning|start)(?! of)"
    r"|at (?:some|any) point)\b"
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d\d)"
_ORD = r"(first|1st|second|2nd|third|3rd|fourth|4th)"
_GRAINS: tuple[tuple[str, Grain], ...] = (
    (r"\b(?:by|per|each|every) day\b(?! of)|\bdaily\b|\bday by day\b", "day"),
    (r"\b(?:by|per|each|every) week\b|\bweekly\b|\bweek by week\b", "week"),
    (
        r"\b(?:by|per|each|every) month\b|\bmonthly\b|\bover time\b|\btrend\b|\bmonth by month\b",
        "month",
    ),
    (r"\b(?:by|per|each|every) quarter\b|\bquarterly\b|\bquarter by quarter\b", "quarter"),
    (r"\b(?:by|per|each|every) year\b|\byearly\b|\bannual(?:ly)?\b|\byear by year\b", "year"),
)


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    label: str
    assumed_year: bool = False
    # "between Q1 and Q2": the two ends, for a question about the change between them.
    ends: tuple[Period, Period] | None = None

    def describe(self) -> str:
        """The label with its exact dates, e.g. 'Q2 2025 (2025-04-01 to 2025-06-30)'."""
        return f"{self.label} ({date_span(self.start, self.end)})"


@dataclass(frozen=True)
class TimeReading:
    periods: tuple[Period, ...]
    text: str
    # Each period as first read; the text holds a slot token `zzperN` where slots[N] was.
    slots: tuple[Period, ...] = ()


def _quarter(year: int, number: int) -> Period:
    start = date(year, 3 * number - 2, 1)
    return Period(start, start + relativedelta(months=3), f"Q{number} {year}")


def _half(year: int, number: int) -> Period:
    start = date(year, 6 * number - 5, 1)
    return Period(start, start + relativedelta(months=6), f"H{number} {year}")


def _month(year: int, number: int) -> Period:
    start = date(year, number, 1)
    return Period(start, start + relativedelta(months=1), start.strftime("%B %Y"))


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1), str(year))


class _Resolver:
    """Period expressions at one as-of date."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.end = as_of + timedelta(days=1)

    def latest(self, make: Callable[[int], Period], year: str | None) -> Period:
        """`make(year)` for the given year, else for the latest year it starts by as_of."""
        if year:
            return make(int(year))
        candidate = make(self.as_of.year)
        if candidate.start and candidate.start > self.as_of:
            candidate = make(self.as_of.year - 1)
        return Period(candidate.start, candidate.end, candidate.label, assumed_year=True)

    def named(self, text: str) -> Period | None:
        """One absolute period written alone: '2025', 'q2 2025', 'march', 'first half of 2025'."""
        patterns: list[tuple[str, Callable[[re.Match[str]], Period]]] = [
            (
                rf"q([1-4])(?: of)?(?: {_YEAR})?",
                lambda m: self.latest(lambda y: _quarter(y, int(m[1])), m[2]),
            ),
            (
                rf"(?:the )?{_ORD} quarter(?: of)?(?: {_YEAR})?",
                lambda m: self.latest(lambda y: _quarter(y, ORDINALS[m[1]]), m[2]),
            ),
            (
                rf"h([12])(?: of)?(?: {_YEAR})?",
                lambda m: self.latest(lambda y: _half(y, int(m[1])), m[2]),
            ),
            (
                rf"(?:the )?(first|1st|second|2nd) half(?: of)?(?: {_YEAR})?",
                lambda m: self.latest(lambda y: _half(y, ORDINALS[m[1]]), m[2]),
            ),
            (
                rf"{_MONTH}(?: of)?(?: {_YEAR})?",
                lambda m: self.latest(lambda y: _month(y, MONTHS[m[1]]), m[2]),
            ),
            (_YEAR, lambda m: _year(int(m[1]))),
            (r"(\d{4})-(\d\d)-(\d\d)", lambda m: _day(m)),
        ]
        for pattern, make in patterns:
            match = re.fullmatch(pattern, text.strip())
            if match:
                return make(match)
        return None

    def before_last(self, days: int) -> Period:
        """ "the 30 days before that": the window ending where the last 30 days start."""
        start = self.end - timedelta(days=days)
        return Period(start - timedelta(days=days), start, f"the {days} days before that")

    def relative(self) -> list[tuple[str, Callable[[re.Match[str]], Period]]]:
        as_of, end = self.as_of, self.end
        month = as_of.replace(day=1)
        quarter = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
        return [
            (
                r"(?:in |over |during |for )?(?:the )?(?:last|past|previous|trailing) (\d+) "
                r"(day|week|month|year)s?",
                lambda m: Period(
                    end - timedelta(days=int(m[1]) * _UNIT_DAYS[m[2]]),
                    end,
                    f"the last {m[1]} {m[2]}s",
                ),
            ),
            (
                r"(?:in |over |during |for )?(?:the )?(?:last|past|previous) (day|week)",
                lambda m: Period(end - timedelta(days=_UNIT_DAYS[m[1]]), end, f"the last {m[1]}"),
            ),
            (
                r"(?:in |during |for )?(?:the )?(?:last|previous|past) month",
                lambda m: Period(month - relativedelta(months=1), month, "last month"),
            ),
            (
                r"(?:in |during |for )?(?:the )?(?:last|previous|past) quarter",
                lambda m: Period(quarter - relativedelta(months=3), quarter, "last quarter"),
            ),
            (  # "the past year" is the last twelve months, not the previous calendar year
                r"(?:in |over |during |for )?(?:the )?past (?:year|12 months|twelve months)",
                lambda m: Period(end - timedelta(days=365), end, "the past year (365 days)"),
            ),
            (
                r"(?:in |during |for )?(?:the )?(?:last|previous) year",
                lambda m: Period(date(as_of.year - 1, 1, 1), date(as_of.year, 1, 1), "last year"),
            ),
            (
                r"(?:in |during |for )?this month|mtd|month to date",
                lambda m: Period(month, end, "this month"),
            ),
            (
                r"(?:the )?(\d+) (day|week)s? before(?: that)?",
                lambda m: self.before_last(int(m[1]) * _UNIT_DAYS[m[2]]),
            ),
            (
                r"(?:in |during |for )?this quarter|qtd|quarter to date",
                lambda m: Period(quarter, end, "this quarter"),
            ),
            (
                r"(?:in |during |for )?this year|ytd|year to date",
                lambda m: Period(date(as_of.year, 1, 1), end, "this year to date"),
            ),
        ]


def _day(match: re.Match[str]) -> Period:
    day = date(int(match[1]), int(match[2]), int(match[3]))
    return Period(day, day + timedelta(days=1), day.isoformat())


_NAMED = (
    rf"(?:q[1-4]|h[12]|(?:the )?{_ORD} (?:quarter|half)|{_MONTH}|\d{{4}}-\d\d-\d\d|{_YEAR})"
    rf"(?:(?: of)? {_YEAR})?"
)
# A quarter or half whose year comes a few words later: "first half spend in 2025".
_PART = r"(?:q[1-4]|h[12]|(?:the )?(?:first|1st|second|2nd|third|3rd|fourth|4th) (?:quarter|half))"
_PART_THEN_YEAR = (
    rf"\b(q[1-4]|h[12]|(?:the )?(?:first|1st|second|2nd|third|3rd|fourth|4th) (?:quarter|half))"
    rf"((?: (?!vs\b|versus\b|and\b|or\b|to\b|with\b|against\b|compared\b|of\b)[a-z]+){{1,3}}?)"
    rf" (in|of|for|during) {_YEAR}\b"
)
_NAMED_GROUPLESS = re.sub(r"\((?!\?)", "(?:", _NAMED)
# A year or a month alone needs a preposition ("in 2025", "during March"): "over 2000" is a
# number and "may" a verb. Quarters, halves and ISO dates stand alone.
_LEAD = r"(?:in|during|for|of|on|about|to|vs|versus|and|from|against|with) (?:the )?"
_STANDALONE = (
    rf"(?:in |during |for |of |on )?(?:the )?((?:q[1-4]|h[12]|{_ORD} (?:quarter|half)"
    rf"|\d{{4}}-\d\d-\d\d)(?:(?: of)? (?:19|20)\d\d)?|{_MONTH}(?: of)? (?:19|20)\d\d)"
)


class PeriodError(C360Error):
    """A period that names no real dates ("the last 999999999 days", "2025-13-45")."""


def read_time(text: str, as_of: date) -> TimeReading:
    """The periods in `text` (lower-case) and the text without them; PeriodError when a period
    falls outside the calendar."""
    try:
        return _read_time(text, as_of)
    except (OverflowError, ValueError) as exc:
        raise PeriodError(
            "A date or period in the question is not on the calendar (for example a month 13, "
            "or more days back than there are dates); please give a real date or period."
        ) from exc


_FULL_MONTHS = tuple(name for name in MONTHS if len(name) > 4)


def _month_spelling(match: re.Match[str]) -> str:
    """A misspelled month name ("febuary", "septmber") as the month: one match at 85+."""
    word = match[0]
    if word in MONTHS:
        return word
    found = process.extract(word, _FULL_MONTHS, scorer=fuzz.ratio, score_cutoff=85, limit=2)
    return found[0][0] if len(found) == 1 else word


_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_ORDINAL_DAY = re.compile(
    rf"\b{_MONTH} {_ORDINAL},? {_YEAR}\b|\b(?:the )?{_ORDINAL} (?:of )?{_MONTH},? {_YEAR}\b"
)
_LIST_LINK = r"\s*(?:,|and|or|vs\.?|versus|&)\s*"
_MONTH_LIST = re.compile(rf"\b{_MONTH}((?:{_LIST_LINK}{_MONTH})+)\s+{_YEAR}\b")


def _iso_day(match: re.Match[str]) -> str:
    """ "July 4th, 2025" as 2025-07-04 (read by the ISO date rule)."""
    if match[1]:
        month, day, year = match[1], match[2], match[3]
    else:
        day, month, year = match[4], match[5], match[6]
    return f"{year}-{MONTHS[month.rstrip('.')]:02d}-{int(day):02d}"


def _each_with_year(match: re.Match[str]) -> str:
    """ "jan, feb and mar 2026": the year written once belongs to every month of the list."""
    year = match[match.lastindex]
    listed = match[0][: match.start(match.lastindex) - match.start()].rstrip()
    return re.sub(rf"\b{_MONTH}(?=\s*(?:,|and|or|vs\b|versus|&|$))", rf"\1 {year}", listed)


def _read_time(text: str, as_of: date) -> TimeReading:
    resolver = _Resolver(as_of)
    found: list[Period] = []
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # "first-half spend", "year-to-date"
    text = re.sub(r"\b[a-z]{5,}\b", _month_spelling, text)  # "febuary 2026"
    text = re.sub(_ORDINAL_DAY, _iso_day, text)  # "july 4th 2025", "the 1st of january 2025"
    text = re.sub(_MONTH_LIST, _each_with_year, text)  # "jan, feb and mar 2026"
    text = re.sub(rf"\b{_YEAR} (?:ytd|year to date|so far)\b", r"\1", text)  # "2026 ytd"
    text = re.sub(rf"\b{_YEAR}[ -]?(q[1-4]|h[12])\b", r"\2 \1", text)  # "2025 Q3", "2025-Q4"
    text = re.sub(ALL_TIME, " ", text)  # "all time", "to date": no period, said explicitly
    text = re.sub(_PART_THEN_YEAR, r"\1 \4\2", text)  # "Q1 spend in 2025": Q1 2025 spend
    # "Q4 last year", "March of this year": that part of the year named relatively
    text = re.sub(
        rf"\b({_PART}|{_MONTH}) (?:of )?(last|previous|this) year\b",
        lambda m: f"{m[1]} {as_of.year - (m[m.lastindex] != 'this')}",
        text,
    )

    def take(match: re.Match[str], period: Period | None) -> str:
        if period is None:
            return match[0]
        found.append(period)
        return f" zzper{len(found) - 1} "

    named = _NAMED_GROUPLESS
    rules: list[tuple[str, Callable[[re.Match[str]], Period | None]]] = [
        (
            rf"\b(?:between|from) ({named}) (?:and|to|through|until|-) ({named})\b",
            lambda m: _span(resolver, m[1], m[2]),
        ),
        (rf"\bsince ({named})\b", lambda m: _since(resolver, m[1])),
        (rf"\b(?:before|prior to) ({named})\b", lambda m: _before(resolver, m[1])),
        (rf"\bafter ({named})\b", lambda m: _after(resolver, m[1])),
    ]
    for pattern, make in rules:
        text = re.sub(pattern, lambda m, make=make: take(m, make(m)), text)
    for pattern, make in resolver.relative():
        text = re.sub(
            rf"\b{pattern}\b", lambda m, make=make: take(m, _before_same(found, make(m))), text
        )
    text = re.sub(rf"\b{_STANDALONE}\b", lambda m: take(m, resolver.named(m[1])), text)
    text = re.sub(
        r"\b(?:the )?(month|quarter|year) before(?: that)?\b",
        lambda m: take(m, _unit_before(found, m[1])),
        text,
    )
    text = re.sub(rf"\b{_LEAD}({named})\b", lambda m: take(m, resolver.named(m[1])), text)
    if found:  # "January, February and March 2026": a list of periods, commas for "and"
        text = re.sub(rf",\s*({named})\b", lambda m: take(m, resolver.named(m[1])), text)
    # "2025 spend": a bare year, unless a comparator or money makes it a number
    text = re.sub(
        rf"(?<![$\d.,])\b{_YEAR}\b(?!\s*(?:%|k\b|dollars?|customers?|transactions?))",
        lambda m: (
            take(m, _year(int(m[1])))
            if not re.search(
                r"(than|over|under|above|below|least|most|exceeding|top|bottom)\s*$",
                text[: m.start()],
            )
            else m[0]
        ),
        text,
    )
    slots = tuple(found)
    if found:  # "… in 2025 and spent $20,000 that year": the period already named
        text = re.sub(r"\b(?:that|the same) (?:year|quarter|month|period)\b", " ", text)
    found = list(dict.fromkeys(found))  # the same period named twice is one period
    if len(found) > 2 and all(p.start for p in found):  # a list reads in calendar order
        found.sort(key=lambda p: p.start or date.min)
    return TimeReading(tuple(found), text, slots)


def _unit_before(found: list[Period], unit: str) -> Period | None:
    """ "last month vs the month before": the calendar unit before the period just named."""
    if not found or found[-1].start is None:
        return None
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    start = found[-1].start - relativedelta(months=months)
    return Period(start, found[-1].start, f"the {unit} before")


def _before_same(found: list[Period], period: Period) -> Period:
    """ "the last 30 days vs the previous 30 days": the second ends where the first starts."""
    if period not in found or period.start is None or period.end is None:
        return period
    length = period.end - period.start
    return Period(period.start - length, period.start, f"the {length.days} days before that")


def share_year(periods: tuple[Period, ...]) -> tuple[Period, ...]:
    """ "the first half vs the second half of 2025": a period written without a year takes the
    year of the one compared with it."""
    years = {p.start.year for p in periods if p.start and not p.assumed_year and p.end}
    if len(years) != 1:
        return periods
    year = years.pop()
    shifted = []
    for period in periods:
        if period.assumed_year and period.start and period.end:
            delta = relativedelta(years=year - period.start.year)
            label = period.label.replace(str(period.start.year), str(year))
            period = Period(period.start + delta, period.end + delta, label)
        shifted.append(period)
    return tuple(shifted)


def _span(resolver: _Resolver, first: str, last: str) -> Period | None:
    a, b = resolver.named(first), resolver.named(last)
    if a is None or b is None:
        return None
    if b.assumed_year and not a.assumed_year and a.start and b.start:
        b = resolver.named(f"{last} {a.start.year}") or b
    if a.assumed_year and not b.assumed_year and b.start:
        a = resolver.named(f"{first} {b.start.year}") or a
    if a.start and b.start and a.start > b.start and b.assumed_year:
        b = resolver.named(f"{last} {b.start.year + 1}") or b
    return Period(a.start, b.end, f"{a.label} to {b.label}", ends=(a, b))


def _since(resolver: _Resolver, text: str) -> Period | None:
    start = resolver.named(text)
    return None if start is None else Period(start.start, resolver.end, f"since {start.label}")


def _before(resolver: _Resolver, text: str) -> Period | None:
    end = resolver.named(text)
    return None if end is None else Period(None, end.start, f"before {end.label}")


def _after(resolver: _Resolver, text: str) -> Period | None:
    start = resolver.named(text)
    return None if start is None else Period(start.end, resolver.end, f"after {start.label}")


def read_pick(text: str) -> tuple[Grain | None, str]:
    """ "Which month had the lowest spend": one period picked from a grain."""
    match = re.search(r"\b(?:which|what) (day|week|month|quarter|year)\b(?! of)", text)
    if match is None:
        return None, text
    grain: Grain = match[1]  # type: ignore[assignment]
    return grain, text[: match.start()] + " " + text[match.end() :]


def read_grain(text: str) -> tuple[Grain | None, str]:
    """The first grain phrase ("by month", "weekly", "by day of week") and the text without it."""
    for pattern, grain in _GRAINS:
        match = re.search(pattern, text)
        if match:
            return grain, text[: match.start()] + " " + text[match.end() :]
    return None, text
