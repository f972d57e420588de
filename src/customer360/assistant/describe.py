"""Interpretations generated from the semantic query, and close-question suggestions.

The interpretation is written from what was computed, never from the question: every filter
(negations included), the exact dates of each period, related-row conditions, the grain, the
order, the limit and the assumptions the reader made.
"""

from __future__ import annotations

import difflib
from decimal import Decimal

from customer360.assistant.answer import Answer
from customer360.assistant.lexicon import tokens
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import Filter, Related, SemanticQuery, TimeRange, date_span

_AGGREGATES = {
    "avg": "average",
    "sum": "total",
    "count_distinct": "number of distinct",
    "median": "median",
    "min": "minimum",
    "max": "maximum",
}
_OPERATORS = {
    "=": "is",
    "!=": "is not",
    "in": "is one of",
    "not in": "is none of",
    ">": "above",
    ">=": "at least",
    "<": "below",
    "<=": "at most",
    "is null": "is empty",
    "is not null": "is not empty",
}


def _label(name: str) -> str:
    agg, _, field = name.partition("__")
    words = field.split("_")
    if agg == "count_distinct" and len(words) > 1 and words[-1] in ("id", "key"):
        return f"number of distinct {words[-2]}s"  # transaction_customer_id: customers
    if field:
        return f"{_AGGREGATES.get(agg, agg)} {field.replace('_', ' ')}"
    return name.replace("_", " ").replace(" pct", " %").replace("avg ", "average ")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


def _condition(flt: Filter) -> str:
    values = ", ".join(_value(v) for v in flt.values)
    return f"{_label(flt.field)} {_OPERATORS.get(flt.op, flt.op)} {values}".strip()


def _period(period: TimeRange) -> str:
    """ "Q2 2025 (2025-04-01 to 2025-06-30)": the name and the exact, inclusive dates."""
    dates = date_span(period.start, period.end)
    return f"{period.label} ({dates})" if period.label else dates


def _related(related: Related) -> str:
    parts = [_condition(f) for f in related.filters] + [_label(n) for n in related.named_filters]
    if related.time_range:
        parts.append(f"in {_period(related.time_range)}")
    rows = related.table.replace("_", " ")
    text = f"{'no' if related.negated else 'at least one'} row in {rows}"
    if parts:
        text += " (" + ", ".join(parts) + ")"
    if related.having:
        totals = " and ".join(_condition(f) for f in related.having)
        text = f"rows in {rows} ({', '.join(parts) or 'all'}) adding up to {totals}"
        text = f"no {text}" if related.negated else text
        if not related.negated and all(f.op in ("<", "<=") for f in related.having):
            text += " (none at all counts as zero)"
    return f"with {text}"


def interpret(query: SemanticQuery) -> str:
    """What the engine computed, in one or two sentences."""
    if query.count_rows and query.dimensions:
        return f"Number of {_label(query.dimensions[0])} values in: " + interpret(
            query.with_changes(count_rows=False, order=(), limit=None)
        )
    if query.metrics:
        head = " and ".join(_label(m) for m in query.metrics)
        # The parser puts the time dimension of a grain first.
        dims = [
            f"{query.grain} of {_label(d)}" if query.grain and i == 0 else _label(d)
            for i, d in enumerate(query.dimensions)
        ]
        text = head[0].upper() + head[1:] + (f" by {', '.join(dims)}" if dims else "")
    else:
        subject = (query.subject or "rows").replace("_", " ")
        text = f"List of {subject} rows"
    if query.share_filters or query.share_named_filters:
        share = [_condition(f) for f in query.share_filters]
        share += [_label(n) for n in query.share_named_filters]
        text += f": the part that meets {' and '.join(share)}"
    conditions = [_condition(f) for f in query.filters]
    conditions += [_label(n) for n in query.named_filters]
    conditions += [f"not {_label(n)}" for n in query.excluded_named_filters]
    if conditions:
        text += ", where " + " and ".join(conditions)
    if query.related:
        text += ", counting only those " + " and ".join(_related(r) for r in query.related)
    if len(query.periods) > 1:
        text += ", compared across " + " vs ".join(_period(p) for p in query.periods)
    elif query.time_range:
        text += f", {_label(query.time_range.field)} in {_period(query.time_range)}"
    if query.order:
        first = query.order[0]
        text += f", {'highest' if first.descending else 'lowest'} {_label(first.field)} first"
    if query.limit:
        text += f", {'the top row' if query.limit == 1 else f'at most {query.limit} rows'}"
    return text + "."


def period_change(query: SemanticQuery, answer: Answer) -> str:
    """ "Q2 2026 vs Q1 2026: +3.3%": the change between compared periods (one row each)."""
    if len(query.periods) != 2 or query.dimensions or answer.status != "answered":
        return ""
    if len(answer.rows) != 2 or len(answer.columns) < 2 or answer.columns[0] != "period":
        return ""
    (first_label, first), (last_label, last) = ((r[0], r[1]) for r in answer.rows)
    if first is None or last is None or not isinstance(first, int | float | Decimal):
        return ""
    change = float(last) - float(first)
    pct = f" ({100 * change / float(first):+.1f}%)" if first else ""
    return f"{last_label} vs {first_label}: {change:+,.2f}{pct}."


def suggest(model: SemanticModel, question: str, unknown: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Verified questions closest to `question`, plus model names close to unknown words."""
    words = set(tokens(question))
    scored = sorted(
        model.verified_queries,
        key=lambda q: -len(words & set(tokens(q.question))) / (1 + len(words)),
    )
    suggestions = [q.question for q in scored[:3]]
    vocabulary = [n.replace("_", " ") for n in (*model.fields, *model.metrics)]
    for word in unknown:
        close = difflib.get_close_matches(word, vocabulary, n=2, cutoff=0.6)
        suggestions += [f"Ask about {c} instead of {word!r}" for c in close]
    return tuple(suggestions)
