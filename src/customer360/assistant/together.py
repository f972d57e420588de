"""Conditions no row can meet together, found in the data rather than guessed.

"Customers who bought both travel and groceries": Travel is a category group and Grocery
Stores a category name, two fields of one merchant category, so read as one transaction's
conditions they select nothing. Before answering such a question with nothing (or a total of
nothing), the reference table is asked whether any of its rows meets all of them.
"""

from __future__ import annotations

from collections.abc import Callable

from customer360.assistant.words import PEOPLE_NOUNS
from customer360.semantic.compiler import CompileError, Compiler
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import Filter, SemanticQuery


def never_together(
    query: SemanticQuery, model: SemanticModel, compiler: Compiler, count: Callable[[str], int]
) -> str | None:
    """A message when equality conditions on two fields of one reference table (no dates, no
    people) match none of its rows; `count` runs a compiled count and returns it."""
    conditions = [*query.filters, *(f for r in query.related for f in r.filters)]
    by_table: dict[str, list[Filter]] = {}
    for flt in conditions:
        if flt.op not in ("=", "in") or flt.field not in model.fields:
            continue
        table = model.fields[flt.field][0]
        if model.default_time_field(table.name) is None and not _holds_people(table.synonyms):
            by_table.setdefault(table.name, []).append(flt)
    for table, flts in by_table.items():
        if len({f.field for f in flts}) < 2:
            continue
        counter = next((m.name for m in model.table(table).metrics if "count(" in m.expr), None)
        if counter is None:
            continue
        try:
            sql = compiler.compile(SemanticQuery(metrics=(counter,), filters=tuple(flts))).sql
        except CompileError:
            continue
        if count(sql) == 0:
            shown = " and ".join(f"{f.field.replace('_', ' ')} {_values(f)}" for f in flts)
            return (
                f"No {table.replace('_', ' ')} row has {shown} at once, so those conditions "
                "cannot hold for the same row. Did you mean rows with either, or each one "
                "separately (e.g. customers who bought both, asked as two questions)?"
            )
    return None


def _values(flt: Filter) -> str:
    return " or ".join(str(v) for v in flt.values)


def _holds_people(synonyms: tuple[str, ...]) -> bool:
    return bool(set(synonyms) & PEOPLE_NOUNS)
