"""Follow-ups: a short question that refines the previous semantic query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from customer360.assistant.pieces import Pieces
from customer360.assistant.terms import TIME_FIELD
from customer360.semantic.query import SemanticQuery, TimeRange

if TYPE_CHECKING:
    from customer360.assistant.parser import Parser


def merge(parser: Parser, previous: SemanticQuery, pieces: Pieces) -> SemanticQuery:
    """Keep the previous query; add dimensions, replace filters on the same field, swap metric."""
    update = parser._build(pieces)
    new_fields = {f.field for f in update.filters}
    # "what about Medium Risk" after a conditional share changes the share's condition.
    share_fields = {f.field for f in previous.share_filters}
    share = [f for f in previous.share_filters if f.field not in new_fields]
    share += [f for f in update.filters if f.field in share_fields]
    filters = [f for f in previous.filters if f.field not in new_fields]
    filters += [f for f in update.filters if f.field not in share_fields]
    dims = list(previous.dimensions)
    _, new_dims, _, _ = parser._terms(pieces, parser._filters(pieces)[2])
    new_dims += [f.field for f in update.filters if len(f.values) > 1]
    if previous.metrics:
        dims += [d for d in new_dims if d not in dims]
    explicit_metric = any(
        s.entry.kind == "metric" and pieces.words[s.start] != "customer" for s in pieces.spans
    )
    metrics = update.metrics if explicit_metric else previous.metrics
    return SemanticQuery(
        metrics=metrics,
        dimensions=tuple(dims),
        filters=tuple(filters),
        named_filters=tuple(dict.fromkeys([*previous.named_filters, *update.named_filters])),
        time_range=_time_range(parser, previous, pieces, metrics) or previous.time_range,
        grain=update.grain or previous.grain,
        order=update.order if pieces.descending is not None else previous.order,
        limit=pieces.limit or previous.limit,
        share_filters=tuple(share),
        share_named_filters=previous.share_named_filters,
    )


def _time_range(
    parser: Parser, previous: SemanticQuery, pieces: Pieces, metrics: tuple[str, ...]
) -> TimeRange | None:
    """A new window applies to the time dimension of the table the (kept) metric lives on."""
    if pieces.window is None:
        return None
    if previous.time_range is not None and not metrics:
        return TimeRange(previous.time_range.field, pieces.window.start, pieces.window.end)
    names = metrics or previous.dimensions
    tables = {parser.compiler._field_table(n).name for n in names}
    field = next((TIME_FIELD[t] for t in tables if t in TIME_FIELD), None)
    if field is None:
        return None
    return TimeRange(field, pieces.window.start, pieces.window.end)
