"""One-sentence interpretations and close-question suggestions."""

from __future__ import annotations

import difflib

from customer360.assistant.lexicon import tokens
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import SemanticQuery


def _label(name: str) -> str:
    agg, _, field = name.partition("__")
    if field:
        return f"{ {'avg': 'average', 'sum': 'total'}.get(agg, agg) } {field.replace('_', ' ')}"
    return name.replace("_", " ").replace(" pct", " %").replace("avg ", "average ")


def _condition(field: str, op: str, values: tuple[object, ...]) -> str:
    return f"{_label(field)} {op} {', '.join(str(v) for v in values)}".strip()


def interpret(query: SemanticQuery) -> str:
    """What the engine understood, in one sentence."""
    if query.metrics:
        head = " and ".join(_label(m) for m in query.metrics)
        dims = [
            query.grain if query.grain and d in ("transaction_date", "month") else _label(d)
            for d in query.dimensions
        ]
        text = head[0].upper() + head[1:] + (f" by {', '.join(dims)}" if dims else "")
    else:
        text = "Customers" if "customer_id" in query.dimensions else "Transactions"
    if query.share_filters or query.share_named_filters:
        share = [_condition(f.field, f.op, f.values) for f in query.share_filters]
        share += [_label(n) for n in query.share_named_filters]
        text += f" that meet {' and '.join(share)} (of all rows selected)"
    conditions = [_condition(f.field, f.op, f.values) for f in query.filters]
    conditions += [_label(n) for n in query.named_filters]
    if conditions:
        text += " where " + " and ".join(conditions)
    if query.time_range:
        start, end = query.time_range.start, query.time_range.end
        text += f", {_label(query.time_range.field)} from {start or 'the start'} to before {end}"
    if query.order:
        first = query.order[0]
        text += f", {'highest' if first.descending else 'lowest'} {_label(first.field)} first"
    if query.limit:
        text += f", at most {query.limit} rows"
    for note in query.notes:
        text += f" ({note})"
    return text + "."


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
