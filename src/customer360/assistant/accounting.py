"""Accounting for every model phrase: what the reading matched but the query does not use.

A phrase matched and then dropped is how a question gets silently answered as a different
one, so any such phrase turns the answer into a question back.
"""

from __future__ import annotations

from customer360.assistant.pieces import Pieces, Span
from customer360.assistant.terms import DETERMINERS, PREPOSITIONS, TermReader, kindred
from customer360.assistant.words import PEOPLE_NOUNS, PURCHASE_VERBS
from customer360.semantic.query import Filter, SemanticQuery

# "High Risk for churn", "customers in the Declining segment": words between a value and the
# field naming its kind.
QUALIFIER_LINKS = frozenset({"for", "of", "in", "on"})
# Nouns that make a longer name out of the phrase before them ("merchant category group",
# "churn risk band"): after a field or measure the model knows by a shorter name, they name
# something else, so they are never skipped as filler.
HEAD_NOUNS = frozenset({"group", "band", "bucket", "tier", "type", "level", "kind", "class"})


def unused_phrases(reader: TermReader, pieces: Pieces, query: SemanticQuery) -> list[str]:
    """Model phrases the reading matched but the query does not use (never drop them)."""
    used = {*query.metrics, *query.dimensions, *query.named_filters}
    used |= {*query.excluded_named_filters, *query.share_named_filters}
    used |= {f.field for f in (*query.filters, *query.share_filters)}
    used |= {o.field for o in query.order}
    for related in query.related:
        used |= {f.field for f in (*related.filters, *related.having)}
        used |= set(related.named_filters)
        if related.time_range:
            used.add(related.time_range.field)
    for period in (query.time_range, *query.periods):
        if period is not None:
            used.add(period.field)
    used |= {m.partition("__")[2] for m in used if "__" in m} | pieces.absorbed
    used |= {f for m in list(used) if (f := reader._metric_fact(m))}
    used |= {f for m in list(used) for f in reader.facts_of(m)}
    unused = []
    for index, span in enumerate(pieces.spans):
        if span.entry.kind not in ("field", "metric"):
            continue
        if pieces.words[span.start] in PEOPLE_NOUNS:
            continue
        if any(e.name in used for e in span.entries):
            continue
        if reader._qualifies_value(pieces, index) or reader.counted_table(pieces, span):
            continue
        if _next_to_value(reader, pieces, index):
            continue  # "aged 65+", "card type Premium": the field names the value's kind
        if _condition_used(reader, span, query) or _purchase_verb(pieces, span, query):
            continue
        if _rows_used(reader, span, query) or _all_of_them(pieces, span):
            continue
        unused.append(" ".join(pieces.words[span.start : span.end]))
    return unused + _longer_names(reader, pieces)


def _longer_names(reader: TermReader, pieces: Pieces) -> list[str]:
    """ "merchant category group": a head noun right after a known field or measure, which the
    reading would otherwise skip (it is not "group by"; in "the High Risk churn bucket" the
    phrase names the value's kind)."""
    found = []
    for index, span in enumerate(pieces.spans):
        if _next_to_value(reader, pieces, index):
            continue
        head = pieces.words[span.end : span.end + 1]
        then = pieces.words[span.end + 1 : span.end + 2]
        if span.entry.kind in ("field", "metric") and head and head[0] in HEAD_NOUNS:
            found += (
                []
                if then in (["by"], ["of"])
                else [" ".join(pieces.words[span.start : span.end + 1])]
            )
    return found


def _next_to_value(reader: TermReader, pieces: Pieces, index: int) -> bool:
    """ "aged 65+", "High Risk for churn": a field next to a value (across one link word)
    names the value's kind."""
    span = pieces.spans[index]
    for other in pieces.spans:
        if other.entry.kind != "value":
            continue
        gap = pieces.words[span.end : other.start] if other.start >= span.end else None
        if gap is None and other.end <= span.start:
            gap = pieces.words[other.end : span.start]
        fact = span.entry.kind == "field" and reader.model.fields[span.entry.name][1] == "fact"
        if (
            gap == []
            and fact
            and other.end <= span.start
            and not kindred(span.entry.name, other.entry.name)
        ):
            continue  # "Platinum share of travel": a measure after a value is not its kind
        if gap is not None and (not gap or (len(gap) == 1 and gap[0] in QUALIFIER_LINKS)):
            return True
    return False


def _condition_used(reader: TermReader, span: Span, query: SemanticQuery) -> bool:
    """A count metric read as its condition ("customers who had a declined transaction")."""
    condition = reader.condition_of(span.entry.name)
    if isinstance(condition, Filter):
        return any(condition.field == f.field for r in query.related for f in r.filters) or any(
            condition.field == f.field for f in query.filters
        )
    if isinstance(condition, str):
        return condition in query.named_filters or any(
            condition in r.named_filters for r in query.related
        )
    return False


def _purchase_verb(pieces: Pieces, span: Span, query: SemanticQuery) -> bool:
    """ "How many different categories did Premium cardholders spend in": a measure's name used
    as the verb of a distinct count over the rows it would measure is that verb, not a measure."""
    words = pieces.words[span.start : span.end]
    verb = len(words) == 1 and (words[0] in PURCHASE_VERBS or words[0] == "spend")
    return verb and any(m.startswith("count_distinct__") for m in query.metrics)


def _rows_used(reader: TermReader, span: Span, query: SemanticQuery) -> bool:
    """ "Customers who made a transaction on a weekend", "no transactions in June": a phrase
    naming a table's rows is used when the query relates to those rows (a semi- or anti-join,
    or the period on their date)."""
    tables = {e.name for e in span.entries if e.kind == "table"}
    if query.subject in tables:
        return True  # "transactions over $500": the rows listed
    if not tables or (not query.related and query.time_range is None):
        return False
    related = {r.table for r in query.related}
    if query.time_range is not None:
        related.add(reader.compiler.field_table(query.time_range.field).name)
    return bool(tables & related) and not query.metrics[1:]


def _all_of_them(pieces: Pieces, span: Span) -> bool:
    """ "Spent on our cards", "at all merchants": a plural dimension after a preposition, with
    no value, names every one of them (no filter, no breakdown)."""
    if span.entry.kind != "field" or not span.plural:
        return False
    before = [w for w in pieces.before(span, 3) if w not in DETERMINERS]
    return bool(before) and before[-1] in PREPOSITIONS
