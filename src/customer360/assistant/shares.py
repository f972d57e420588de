"""Conditional shares: "what percentage of customers are High Risk", "share of spend on travel".

A share metric is each group's part of the filtered total, so with filters and no breakdown it
is always 100 %. Without a breakdown the filters named after the share's subject become its
condition (the numerator); filters inside the subject ("percentage of Premium customers …")
and the time window still select the population.
"""

from __future__ import annotations

from customer360.assistant.pieces import Pieces, Span
from customer360.assistant.words import PURCHASE_VERBS
from customer360.semantic.compiler import Compiler, share_total
from customer360.semantic.expressions import normalised
from customer360.semantic.query import Filter, SemanticQuery

_LINKS = frozenset({"of", "the", "all", "our"})
# Verbs that end a share's population and start its condition.
LINKING_VERBS = frozenset(
    {"are", "is", "were", "was", "have", "ha", "has", "had", "come", "came", "who", "that"}
    | {"went", "go", "goes", "going", "fall", "falls", "fell"}
    | {"live", "lives", "made", "make", "used", "use"}
    | {"happen", "happens", "happened", "occur", "occurs", "occurred"}
    | PURCHASE_VERBS  # "what share of customers in California spent over $10,000"
)
# Words between a share's part and the share: "Texas and Florida share", "airlines as a %".
OWNER_LINKS = frozenset({"and", "as"})
_NOUNS = frozenset({"customer", "cardholder", "client", "account", "transaction", "purchase"})


def make_conditional(query: SemanticQuery, pieces: Pieces, compiler: Compiler) -> SemanticQuery:
    """Move the condition filters of a share question into the share metric.

    After a linking verb ("are", "have", "were", "comes from"), values are the condition and
    everything before it selects the population — with or without a breakdown ("what share of
    transactions were declined in each channel"). Without such a verb and without a breakdown,
    values after the share's subject are the condition; with a breakdown the share stays each
    group's part of the total.
    """
    share = _share_span(pieces, compiler)
    if share is None or not (query.filters or query.named_filters):
        return query
    breakdown = [
        d
        for d in query.dimensions
        if not (query.grain and compiler.model.fields[d][1] == "time_dimension")
    ]
    verb = next(
        (i for i, w in enumerate(pieces.words) if i >= share.end and w in LINKING_VERBS), None
    )
    if verb is None and breakdown:
        return query
    start = verb if verb is not None else _subject_end(pieces, share)
    where = _positions(pieces, query.filters)
    named_at = {s.entry.name: s.start for s in pieces.spans if s.entry.kind == "filter"}
    owner = _owner_start(pieces, share)
    if verb is None and owner is not None:
        # "Platinum share of travel spend": the part named right before the share, the whole
        # after it
        within = range(owner, share.start)
        condition = [f for f in query.filters if where.get(id(f), -1) in within]
        named = [n for n in query.named_filters if named_at.get(n, -1) in within]
    else:
        condition = [f for f in query.filters if where.get(id(f), start) >= start]
        named = [n for n in query.named_filters if named_at.get(n, start) >= start]
    if not condition and not named:  # "share of Premium customers": the subject is the condition
        if breakdown:
            return query
        condition, named = list(query.filters), list(query.named_filters)
    return query.with_changes(
        filters=tuple(f for f in query.filters if f not in condition),
        named_filters=tuple(n for n in query.named_filters if n not in named),
        share_filters=tuple(condition),
        share_named_filters=tuple(named),
    )


def share_of(metrics: list[str], compiler: Compiler, absorbed: set[str]) -> list[str]:
    """ "Share of Travel spend": a share word with a measure is that measure's share metric
    (the one whose part is the measure), not a share of customers. The two names it replaces
    are added to `absorbed`."""
    shares = [m for m in metrics if compiler.is_share(m)]
    measures = [m for m in metrics if not compiler.is_share(m) and m in compiler.model.metrics]
    if len(shares) != 1 or len(measures) != 1:
        return metrics
    part = normalised(compiler.model.metrics[measures[0]][1].expr)
    for name, (_, metric) in compiler.model.metrics.items():
        total = share_total(metric.expr) if compiler.is_share(name) else None
        if total is not None and normalised(total.this.sql(dialect="duckdb")) == part:
            absorbed.update((shares[0], measures[0]))
            return [name]
    return metrics


def _share_span(pieces: Pieces, compiler: Compiler) -> Span | None:
    return next(
        (
            s
            for s in pieces.spans
            if any(e.kind == "metric" and compiler.is_share(e.name) for e in s.entries)
        ),
        None,
    )


def _owner_start(pieces: Pieces, share: Span) -> int | None:
    """Where the values written right before the share word begin ("Texas and Florida share
    of spend"), or None when no value stands right before it."""
    start = None
    cursor = share.start
    for span in reversed([s for s in pieces.spans if s.end <= share.start]):
        between = pieces.words[span.end : cursor]
        yes_no = span.entry.kind == "field" and span.entry.yes_no
        if (span.entry.kind not in ("value", "filter") and not yes_no) or any(
            w not in OWNER_LINKS for w in between
        ):
            break
        start, cursor = span.start, span.start
    return start


def _subject_end(pieces: Pieces, share: Span) -> int:
    """End of the share's noun phrase: the share words plus adjacent values and nouns up to the
    last noun ("percentage of Premium customers" ends after "customers")."""
    end = share.end
    cursor = share.end
    numeric_at = {n.position for n in pieces.numerics}
    for span in pieces.spans:
        if span.start < share.end:
            continue
        while cursor in numeric_at or (cursor < span.start and pieces.words[cursor] in _LINKS):
            cursor += 1
        if span.start != cursor:
            break
        cursor = span.end
        if span.entry.kind == "table" or _ends_with_noun(pieces, span):
            end = span.end
        elif span.entry.kind not in ("value", "filter"):
            break
    return end


def _ends_with_noun(pieces: Pieces, span: Span) -> bool:
    """ "customers", "premium customers", "high-value customers": the subject's head noun."""
    return pieces.words[span.end - 1] in _NOUNS


def _positions(pieces: Pieces, filters: tuple[Filter, ...]) -> dict[int, int]:
    """Word position of each filter: its first value, boolean field or number in the question."""
    first: dict[str, int] = dict(pieces.field_positions)
    for span in pieces.spans:
        if span.entry.kind in ("value", "field"):
            first.setdefault(span.entry.name, span.start)
    numbers = {(n.op, n.value): n.position for n in pieces.numerics}
    where: dict[int, int] = {}
    for flt in filters:
        position = numbers.get((flt.op, flt.values[0])) if flt.values else None
        position = position if position is not None else first.get(flt.field)
        if position is not None:
            where[id(flt)] = position
    return where
