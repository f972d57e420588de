"""The structured question: what the parser produces and the compiler turns into SQL."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

Value = str | int | float | bool | date
Operator = Literal["=", "!=", "in", "not in", ">", ">=", "<", "<=", "is null", "is not null"]
Grain = Literal["day", "week", "month", "quarter", "year"]
# Columns of groups compared across periods (one per period, then these) that filters and
# orders may name.
PERIOD_CHANGE_COLUMNS = ("change", "change_pct")


@dataclass(frozen=True)
class Filter:
    """`field op values`; `field` is a logical dimension, time dimension, fact or metric name.

    A filter on a metric becomes a HAVING clause.
    """

    field: str
    op: Operator
    values: tuple[Value, ...] = ()


def date_span(start: date | None, end: date | None) -> str:
    """The exact, inclusive dates of [start, end): '2025-04-01 to 2025-06-30'."""
    if start and end:
        return f"{start} to {end - timedelta(days=1)}"
    if start:
        return f"from {start}"
    if end:
        return f"before {end}"
    return "all dates"


@dataclass(frozen=True)
class TimeRange:
    """Half-open date range [start, end) on a time dimension; either bound may be open."""

    field: str
    start: date | None = None
    end: date | None = None
    label: str = ""


@dataclass(frozen=True)
class Related:
    """A condition on rows of a finer table that point to the query's rows (a semi-join).

    "customers who used Mobile" is customers with at least one transaction where channel is
    Mobile; `negated` makes it "with none"; `having` filters on metrics of the related rows
    aggregated per row of the query ("customers who spent more than $10,000 in 2025").
    """

    table: str
    filters: tuple[Filter, ...] = ()
    named_filters: tuple[str, ...] = ()
    time_range: TimeRange | None = None
    having: tuple[Filter, ...] = ()
    negated: bool = False


@dataclass(frozen=True)
class Order:
    field: str
    descending: bool = True


@dataclass(frozen=True)
class SemanticQuery:
    """Metrics by dimensions with filters, a time range and grain, an order and a limit.

    Without metrics it is a detail query: one row per base-table row, showing `dimensions`
    (which may include facts).

    `share_filters` / `share_named_filters` make share metrics conditional: the share of the
    (filtered) population that also meets them ("percentage of customers that are High Risk"),
    instead of each group's share of the filtered total.
    """

    metrics: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    named_filters: tuple[str, ...] = ()
    time_range: TimeRange | None = None
    grain: Grain | None = None
    order: tuple[Order, ...] = ()
    limit: int | None = None
    share_filters: tuple[Filter, ...] = ()
    share_named_filters: tuple[str, ...] = ()
    # The table whose rows are listed or counted when no metric says so.
    subject: str | None = None
    related: tuple[Related, ...] = ()
    excluded_named_filters: tuple[str, ...] = ()
    # Two or more periods side by side on `time_range.field` (one row per period).
    periods: tuple[TimeRange, ...] = ()
    # "How many merchants took in over $100k": the number of rows the rest would return.
    count_rows: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)

    def with_changes(self, **changes: object) -> SemanticQuery:
        return replace(self, **changes)  # type: ignore[arg-type]
