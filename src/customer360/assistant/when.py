"""Which time dimension the periods of a question apply to, and the assumptions made."""

from __future__ import annotations

from datetime import date

from customer360.assistant.parsed import Parsed
from customer360.assistant.periods import share_year
from customer360.assistant.pieces import Pieces
from customer360.assistant.ranking import CHANGE_WORDS, MOVE_WORDS
from customer360.assistant.terms import TermReader
from customer360.assistant.words import PURCHASE_NOUN, PURCHASE_VERBS
from customer360.semantic.query import PERIOD_CHANGE_COLUMNS, Filter, TimeRange


def apply_periods(
    reader: TermReader,
    pieces: Pieces,
    base: str,
    filters: list[Filter],
    named: list[str],
    as_of: date,
    dims: list[str] | None = None,
) -> tuple[tuple[TimeRange, ...], list[str]] | Parsed:
    """The period(s) of the question on the time dimension they apply to."""
    notes: list[str] = []
    periods = list(share_year(pieces.periods))
    if not periods:
        return (), notes
    if len(periods) == 1 and periods[0].ends and pieces.loose_words & (CHANGE_WORDS | MOVE_WORDS):
        periods = list(periods[0].ends)  # "the drop between Q1 and Q2": compare the ends
    named_time = [
        e.name
        for s in pieces.spans
        for e in s.entries[:1]
        if e.kind == "field"
        and reader.model.fields[e.name][1] == "time_dimension"
        and e.name not in pieces.absorbed  # a date a period was scoped to already
    ]
    field = named_time[0] if named_time else reader.model.default_time_field(base)
    if field is None:
        field = _finer_time(reader, base, [f.field for f in filters] + named + (dims or []))
    if field is None:  # "customers who made a purchase in June": the rows the noun names
        tables = [
            e.name
            for sp in pieces.spans
            for e in sp.entries  # "customers who made a purchase / no transactions in June"
            if e.kind == "table" and e.name != base
        ]
        tables += [  # "customers with no travel spend in 2025": the rows the measure adds up
            reader.compiler.field_table(e.name).name
            for sp in pieces.spans
            for e in sp.entries
            if e.kind == "metric" and sp.negated
        ]
        if set(pieces.words) & PURCHASE_VERBS:  # "customers who transacted in June"
            tables += [t.name for t in reader.model.tables if PURCHASE_NOUN in t.synonyms]
        field = next((f for t in tables if (f := reader.model.default_time_field(t))), None)
    if field is None:
        what = ", ".join(p.describe() for p in periods)
        return Parsed(
            "clarify",
            message=(
                f"Customer measures such as lifetime value are as of {as_of}; they "
                f"cannot be limited to {what}. Ask about spend or transactions in that "
                "period, or name the date it applies to (e.g. accounts opened in it)."
            ),
        )
    for period in periods:
        if period.assumed_year:
            notes.append(f"no year given: took the latest one, {period.describe()}")
    ranges = tuple(TimeRange(field, p.start, p.end, p.label) for p in periods)
    return ranges, notes


def _finer_time(reader: TermReader, base: str, names: list[str]) -> str | None:
    """The period of "customers who bought Travel in 2025" / "customers in each channel last
    quarter" applies to the transactions the filter or breakdown is about."""
    for name in names:
        if name in PERIOD_CHANGE_COLUMNS:
            continue
        table = reader.compiler.field_table(name).name
        via = reader.compiler.via(base, table) if table != base else None
        field = reader.model.default_time_field(via) if via else None
        if field:
            return field
    return None
