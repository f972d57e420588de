"""Follow-ups: a short question that refines the previous semantic query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from customer360.assistant.periods import Period
from customer360.semantic.compiler import Compiler
from customer360.semantic.query import Order, SemanticQuery, TimeRange


@dataclass(frozen=True)
class FollowUp:
    """What the follow-up question itself says, read as if it stood alone."""

    update: SemanticQuery
    new_dimensions: tuple[str, ...]
    explicit_metric: bool
    periods: tuple[Period, ...]
    descending: bool | None
    limit: int | None
    default_time: Callable[[str], str | None]
    replaces: bool = False  # "instead": new dimensions replace the old ones
    # "how many are Platinum?" after a list: the listed rows counted (their table's count)
    count_metric: str | None = None
    # "compared to Q4 2025": the new period beside the previous one, not instead of it
    compares: bool = False


def merge(previous: SemanticQuery, follow: FollowUp, compiler: Compiler) -> SemanticQuery:
    """Keep the previous query; add dimensions, replace filters on the same field, swap metric."""
    update = follow.update
    new_fields = {f.field for f in update.filters}
    # "what about Medium Risk" after a conditional share changes the share's condition.
    share_fields = {f.field for f in previous.share_filters}
    share = [f for f in previous.share_filters if f.field not in new_fields]
    share += [f for f in update.filters if f.field in share_fields]
    share += [f for f in update.share_filters if f not in share]  # "as a percentage"
    filters = [f for f in previous.filters if f.field not in new_fields]
    filters += [f for f in update.filters if f.field not in share_fields]
    dims = list(previous.dimensions)
    new_dims = [*follow.new_dimensions]
    new_dims += [f.field for f in update.filters if len(f.values) > 1 and f.op == "in"]
    if previous.metrics and follow.replaces and new_dims:
        dims = [d for d in dims if d not in previous.dimensions] + new_dims  # "… instead"
    elif previous.metrics:
        dims += [d for d in new_dims if d not in dims]
    metrics = update.metrics if follow.explicit_metric else previous.metrics
    if follow.count_metric and not previous.metrics:  # the list, counted
        return SemanticQuery(
            metrics=(follow.count_metric,),
            filters=tuple(filters),
            named_filters=tuple(dict.fromkeys([*previous.named_filters, *update.named_filters])),
            excluded_named_filters=previous.excluded_named_filters,
            time_range=_time_range(previous, follow, (), compiler) or previous.time_range,
            related=previous.related,
        )
    time_range = _time_range(previous, follow, metrics, compiler) or previous.time_range
    periods = previous.periods
    if follow.compares and previous.time_range and time_range is not previous.time_range:
        periods, time_range = (previous.time_range, time_range), None  # side by side
    return SemanticQuery(
        metrics=metrics,
        dimensions=tuple(dims),
        filters=tuple(filters),
        named_filters=tuple(dict.fromkeys([*previous.named_filters, *update.named_filters])),
        excluded_named_filters=tuple(
            dict.fromkeys([*previous.excluded_named_filters, *update.excluded_named_filters])
        ),
        time_range=time_range,
        grain=update.grain or previous.grain,
        order=() if periods else _order(previous, follow),
        limit=follow.limit or previous.limit,
        share_filters=tuple(share),
        share_named_filters=tuple(
            dict.fromkeys([*previous.share_named_filters, *update.share_named_filters])
        ),
        subject=previous.subject,
        related=(*previous.related, *(r for r in update.related if r not in previous.related)),
        periods=periods,
    )


def _order(previous: SemanticQuery, follow: FollowUp) -> tuple[Order, ...]:
    """ "and the lowest?" flips the previous order; "just the top three" keeps it."""
    if follow.explicit_metric and follow.update.order:
        return follow.update.order
    if follow.explicit_metric and follow.update.metrics:
        # "show transaction counts instead": the old measure's order moves to the new one
        new = follow.update.metrics[0]
        return tuple(
            Order(new, o.descending) if o.field in previous.metrics else o for o in previous.order
        )
    if follow.descending is None or not previous.order:
        return previous.order
    first = previous.order[0]
    return (Order(first.field, follow.descending), *previous.order[1:])


def _time_range(
    previous: SemanticQuery, follow: FollowUp, metrics: tuple[str, ...], compiler: Compiler
) -> TimeRange | None:
    """A new period applies to the time dimension of the table the (kept) metric lives on."""
    if len(follow.periods) != 1:
        return None
    period = follow.periods[0]
    if previous.time_range is not None:
        return TimeRange(previous.time_range.field, period.start, period.end, period.label)
    names = metrics or previous.dimensions
    tables = {compiler.field_table(n).name for n in names}
    field = next((f for t in sorted(tables) if (f := follow.default_time(t))), None)
    if field is None:
        return None
    return TimeRange(field, period.start, period.end, period.label)
