"""The vocabulary of the semantic model: phrases → metrics, fields, values and named filters.

Everything comes from the YAML (names, synonyms, sample values) plus the distinct values of the
warehouse's descriptive text dimensions and the US state names; nothing is question-specific.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Literal

import duckdb

from customer360.semantic.model import SemanticModel

EntryKind = Literal["value", "filter", "metric", "field", "table"]
# When two entries cover the same span, the earlier kind wins.
KIND_RANK: dict[str, int] = {"value": 0, "filter": 1, "metric": 2, "field": 3, "table": 4}
# Enough for every merchant and city of a default-scale warehouse; read once per file version.
MAX_DISTINCT = 2000
# Text dimensions with at most this many values are enumerations: their values match in any
# case ("retired customers"); beyond it (merchants, cities) one-word values must match as written.
ENUM_MAX_VALUES = 100
SHORT_VALUE = 3
_WORD = re.compile(r"[a-z0-9$%]+(?:\.[0-9]+)?")
# Values that are also everyday words; matched only when written with a capital letter.
COMMON_WORD_VALUES = frozenset(
    {"other", "balanced", "standard", "approved", "declined", "increase", "decrease"}
)
# Adjectives of degree, time and state: the first word of a value like "Stable Mid-Spenders",
# "Recent (60 days)" or "High-Value Travelers", but alone they qualify whatever follows ("high
# credit limit", "recent transactions", "stable spending"). As a head word they name the value
# only when another of its words follows ("medium or high churn risk": Medium Risk).
QUALIFIERS = frozenset(
    {"high", "low", "medium", "recent", "stable", "new", "old", "active", "inactive", "big"}
    | {"small", "large", "young", "senior", "early", "late", "good", "bad", "top", "long"}
)
GRAIN_WORDS = frozenset({"daily", "weekly", "monthly", "quarterly", "yearly", "annual"})
AGGREGATE_WORDS = frozenset({"average", "mean", "total", "median"})
# Articles carry nothing a query needs: questions and phrases are matched without them
# ("eligible for the onboarding campaign" = "eligible for onboarding campaign").
ARTICLES = frozenset({"the", "a", "an"})
_IRREGULAR = {
    "people": "person",
    "categories": "category",
    "cities": "city",
    "indices": "index",
    "goes": "go",
    "does": "do",
    "travellers": "traveler",
    "traveller": "traveler",
}


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    name: str
    value: str | None = None
    # One-word values read from the data ("Target", "Shell") are often everyday words too;
    # they match only when written as in the data.
    exact_case: bool = False
    # The words that must appear as written, when not the value itself ("Delta" for
    # "Delta Air Lines").
    written: str | None = None
    # Matched by the first word of a multi-word value only ("groceries").
    head: bool = False
    # A yes/no field: negation applies to it ("non-discretionary").
    yes_no: bool = False


def singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ys")):
        return word[:-1]
    return word


def surface(text: str) -> list[str]:
    """Lower-case word tokens as written (plurals kept), aligned with `tokens`."""
    text = text.lower().replace("-", " ").replace("_", " ").replace("avg", "average")
    return _WORD.findall(text)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, hyphens and underscores split, plurals folded."""
    return [singular(w) for w in surface(text)]


def load_states() -> dict[str, str]:
    """State name → two-letter code, from the shared reference data."""
    path = resources.files("customer360.reference") / "us_states.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["state_name"]: row["state"] for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], tuple[Entry, ...]]
    state_codes: frozenset[str]
    max_len: int
    grain_phrases: tuple[str, ...] = ()
    # Words of the model's phrases a misspelling can be read as ("segmnets" → segment,
    # "concious" → the "conscious" of "budget conscious"); never data values that must match
    # as written.
    value_words: tuple[str, ...] = ()

    # Identifier fields and the one shape all their values have: (field, prefix, digits),
    # ("customer_id", "CUST", 8) for "CUST00000042".
    identifiers: tuple[tuple[str, str, int], ...] = ()

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Every word of every phrase: a word in none of them is unknown or misspelled."""
        return frozenset(w for key in self.phrases for w in key)

    def lookup(self, words: tuple[str, ...]) -> tuple[Entry, ...]:
        return self.phrases.get(words, ())


def _text_dimensions(model: SemanticModel) -> Iterable[tuple[str, str, str]]:
    """(table base, field name, expr) of descriptive text dimensions worth matching by value."""
    for table in model.tables:
        for dim in table.dimensions:
            if dim.data_type.upper() == "VARCHAR" and not dim.unique and dim.synonyms:
                yield table.base_table.qualified, dim.name, dim.expr


def _strings(con: duckdb.DuckDBPyConnection, sql: str) -> list[str] | None:
    """The first column as text, or None when the warehouse lacks the column (older builds)."""
    try:
        return [str(r[0]) for r in con.execute(sql).fetchall()]
    except duckdb.Error:
        return None


def distinct_values(con: duckdb.DuckDBPyConnection, model: SemanticModel) -> dict[str, list[str]]:
    """Distinct values of low-cardinality text dimensions, most frequent first."""
    found: dict[str, list[str]] = {}
    for base, name, expr in _text_dimensions(model):
        sql = (
            f"select {expr}, count(*) as n from {base} where {expr} is not null "  # noqa: S608
            f"group by 1 order by n desc, 1 limit {MAX_DISTINCT + 1}"
        )
        values = _strings(con, sql)
        if values is not None and len(values) <= MAX_DISTINCT:
            found[name] = values
    return found


def identifier_shapes(
    con: duckdb.DuckDBPyConnection, model: SemanticModel
) -> tuple[tuple[str, str, int], ...]:
    """(field, prefix, digits) for each unique text field whose values all share one shape of
    letters and digits ("CUST" + 8 digits), so an id written in a question is read as it."""
    found = []
    for table in model.tables:
        for dim in table.dimensions:
            if dim.data_type.upper() != "VARCHAR" or not dim.unique:
                continue
            sql = (
                f"select regexp_replace({dim.expr}, '[0-9]', '#', 'g') as shape "  # noqa: S608
                f"from {table.base_table.qualified} group by 1 limit 2"
            )
            shapes = _strings(con, sql) or []
            if len(shapes) != 1 or not re.fullmatch(r"[A-Za-z]+[-_]?#+", shapes[0]):
                continue
            prefix = shapes[0].rstrip("#")
            found.append((dim.name, prefix, len(shapes[0]) - len(prefix)))
    return tuple(found)


def build_lexicon(
    model: SemanticModel,
    values: dict[str, list[str]] | None = None,
    identifiers: tuple[tuple[str, str, int], ...] = (),
) -> Lexicon:
    index: dict[tuple[str, ...], list[Entry]] = {}

    def add(phrase: str, entry: Entry) -> None:
        spellings = [phrase, phrase.replace("&", " and ")] if "&" in phrase else [phrase]
        for spelling in spellings:  # "Dining & Entertainment" = "dining and entertainment"
            key = tuple(w for w in tokens(spelling) if w not in ARTICLES)
            if key and entry not in index.setdefault(key, []):
                index[key].append(entry)

    for table in model.tables:
        for phrase in (table.name, *table.synonyms):
            add(phrase, Entry("table", table.name))
        for _, column in table.columns():
            for phrase in (column.name, *column.synonyms):
                yes_no = column.data_type.upper() == "BOOLEAN"
                add(phrase, Entry("field", column.name, yes_no=yes_no))
            for sample in column.sample_values:
                add(sample, Entry("value", column.name, sample))
        for metric in table.metrics:
            for phrase in (metric.name, *metric.synonyms):
                add(phrase, Entry("metric", metric.name))
        for flt in table.filters:
            for phrase in (flt.name, *flt.synonyms):
                add(phrase, Entry("filter", flt.name))
    # State names before warehouse values, so "New York" is the state before it is the city.
    states = load_states()
    for state_name, code in states.items():
        add(state_name, Entry("value", "state", code))
    for field, field_values in (values or {}).items():
        enumerated = len(field_values) <= ENUM_MAX_VALUES
        for value in field_values:
            one_word = len(tokens(value)) == 1
            # State codes ("IN", "OR", "ME") are everyday words in lower case.
            exact = one_word and (not enumerated or len(value) <= SHORT_VALUE)
            add(value, Entry("value", field, value, exact_case=exact))
    # Head words after every whole value: "Austin" the city is a value, not the first word of
    # a customer called Austin Sanchez.
    for field, field_values in (values or {}).items():
        enumerated = len(field_values) <= ENUM_MAX_VALUES
        _add_head_words(field, field_values, add, index, exact=not enumerated)
    frozen = {k: tuple(sorted(v, key=lambda e: KIND_RANK[e.kind])) for k, v in index.items()}
    grain_phrases = tuple(
        " ".join(k)
        for k in frozen
        if any(k[i] in GRAIN_WORDS and k[i - 1] in AGGREGATE_WORDS for i in range(1, len(k)))
    )
    value_words = tuple(
        sorted(
            {
                w
                for k, v in frozen.items()
                if not any(e.exact_case for e in v)
                for w in k
                if w.isalpha()
            }
        )
    )
    return Lexicon(
        frozen,
        frozenset(states.values()),
        max(len(k) for k in frozen),
        grain_phrases,
        value_words,
        identifiers,
    )


def _add_head_words(
    field: str,
    values: list[str],
    add: Callable[[str, Entry], None],
    index: dict[tuple[str, ...], list[Entry]],
    exact: bool,
) -> None:
    """'groceries' names 'Grocery Stores & Supermarkets': the first word of a multi-word value,
    when no other value of the field starts with it and it names nothing else. For fields with
    many values (merchants) the word must be written as in the data ("Delta", not "delta")."""
    heads: dict[str, dict[str, str]] = {}
    for value in values:  # most frequent first: the usual spelling of a value wins
        words = tokens(value)
        if len(words) > 1:
            heads.setdefault(words[0], {}).setdefault(value.lower(), value)
    for head, spellings in heads.items():
        owners = list(spellings.values())
        if len(owners) == 1 and (head,) not in index and len(head) >= 4:
            written = owners[0].split()[0] if exact else None
            add(head, Entry("value", field, owners[0], exact, written, head=True))
