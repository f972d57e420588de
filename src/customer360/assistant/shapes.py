"""Question shapes a SemanticQuery cannot express, asked back instead of answered.

Each check recognises one shape and returns the question back to the user, or None. Answering
such a question as the nearest simpler one ("customers who shopped in every month" as "in any
month") is the silent wrong answer the engine exists to avoid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from customer360.assistant.pieces import Pieces, Span
from customer360.assistant.ranking import CHANGE_WORDS
from customer360.assistant.terms import DETERMINERS, RANK_VERBS, TermReader
from customer360.assistant.words import PEOPLE_NOUNS

# "every month", "each of the last three months", "at least once a week": a condition on each
# of several periods.
# "used all three channels", "shopped in every category": each value of a field.
ALL_VALUES = re.compile(r"\b(?:all|each|every one of the) (?:\d+|two|three|four|five) \w+")
PER_EVERY_PERIOD = re.compile(
    r"\bevery (?:single )?(?:day|week|month|quarter|year)\b"
    r"|\beach of the (?:last|past|previous|first) \w+ (?:days|weeks|months|quarters|years)\b"
    r"|\bonce (?:a|per|every) (?:day|week|month|quarter|year)\b"
)
# "compared with last year": a comparison whose other side is missing.
LONE_COMPARISON = re.compile(
    r"\b(?:compared? (?:with|to)|vs|versus|against|relative to)\s+(?:the\s+)?zzper\d+\b"
)
# Openings of a yes/no question, and the comparatives that make it a comparison.
YES_NO_OPENINGS = frozenset({"is", "are", "does", "do", "did", "was", "were", "has", "have"})
COMPARATIVES = frozenset(
    {"higher", "lower", "more", "less", "fewer", "bigger", "smaller", "better", "worse"}
    | {"greater", "larger", "older", "younger", "riskier"}
)


# "total spend of the top 10 customers": an aggregate over a ranked set.
OVER_RANKED = re.compile(
    r"\b(?:total|sum|average|mean|combined|share|percentage|percent)\b.*?\b(?:of|from|by)\s+"
    r"(?:the\s+|our\s+)?(?:top|bottom|best|biggest|largest|highest)\s+\w+"
)


def asked_back(reader: TermReader, pieces: Pieces, following: bool) -> str | None:
    """The first shape the question has that no query can answer, as a question back."""
    checks: list[Callable[[TermReader, Pieces], str | None]] = [
        _either_fields,
        _every_period,
        _same_period,
        _count_per_person,
        _change_per_person,
        _more_than_other,
        _yes_no_comparison,
        _one_value_picked,
        _all_values,
        _over_ranked,
        _ranked_without_measure,
    ]
    if not following:  # "compared with Q1 2025?" after an answer puts it beside that one
        checks.insert(3, _lone_comparison)
    for check in checks:
        message = check(reader, pieces)
        if message:
            return message
    return None


def says_people(pieces: Pieces) -> bool:
    """Whether the question names people, other than inside the name of a field ("the card the
    customer came from" is a card)."""
    inside = {
        i
        for s in pieces.spans
        if s.entry.kind in ("field", "value") and s.end - s.start > 1
        for i in range(s.start, s.end)
    }
    return any(w in PEOPLE_NOUNS for i, w in enumerate(pieces.words) if i not in inside)


def grouped(reader: TermReader, pieces: Pieces) -> bool:
    """A dimension the answer breaks down by ("which segments", "by state")."""
    return any(s.entry.kind == "field" and reader._breaks_down(pieces, s) for s in pieces.spans)


def _either_fields(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Platinum or in California": conditions on two different fields joined by "or" are a
    union, which the query's filters (all of them at once) cannot say."""

    def field(span: Span) -> str:
        equal = reader._value_filter(span.entry.name) if span.entry.kind == "filter" else None
        return equal.field if equal else span.entry.name

    conditions = [s for s in pieces.spans if s.entry.kind in ("value", "filter")]
    for left, right in pairwise(conditions):
        between = pieces.words[left.end : right.start]
        if "or" in between and field(left) != field(right):
            return (
                f"'{' '.join(pieces.words[left.start : right.end])}' asks for either of two "
                "conditions on different things; I can only combine conditions that all "
                "hold. Ask for each separately."
            )
    return None


def _every_period(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Customers who shopped every month", "in both 2025 and 2026", "over $2,000 in each
    month": people meeting a condition in each of several periods."""
    quantified = bool(PER_EVERY_PERIOD.search(pieces.question)) or (
        "both" in pieces.words and len(pieces.periods) > 1
    )
    quantified = quantified or bool(
        pieces.grain and pieces.numerics and not grouped(reader, pieces)
    )
    if says_people(pieces) and quantified:
        return (
            "That asks for customers active in every one of several periods, which I cannot "
            "compute yet; I can count them per period (e.g. 'customers who used Mobile by "
            "month in 2026') or over the whole window."
        )
    return None


def _same_period(reader: TermReader, pieces: Pieces) -> str | None:
    if "same period" in pieces.question or "same time last" in pieces.question:
        return "The same period as what? Name both periods, e.g. 'spend in Q2 2026 vs Q2 2025'."
    return None


def _lone_comparison(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Total spend compared with last year": one period, and nothing to compare it with."""
    if LONE_COMPARISON.search(pieces.lowered) and len(pieces.periods) == 1 and not pieces.grain:
        return (
            f"Compared with what? Name both periods, e.g. 'spend in 2026 vs "
            f"{pieces.periods[0].label}'."
        )
    return None


def _count_per_person(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Transactions per customer by card type": an average over people of their rows."""
    per_people = any(
        pieces.words[s.start] in PEOPLE_NOUNS and pieces.before(s)[-1:] in (["per"], ["a"])
        for s in pieces.spans
    )

    def table(span: Span) -> str:
        name = span.entry.name
        return name if span.entry.kind == "table" else reader.compiler.field_table(name).name

    of_rows = any(
        s.entry.kind in ("metric", "table")
        and pieces.words[s.start] not in PEOPLE_NOUNS
        and not reader._holds_people(table(s))
        for s in pieces.spans
    )
    if per_people and of_rows:
        return (
            "A count per customer (an average over customers) is not something I can compute "
            "yet; ask for the count and the number of customers, e.g. 'number of "
            "transactions by card type' and 'number of customers by card type'."
        )
    return None


def _change_per_person(reader: TermReader, pieces: Pieces) -> str | None:
    """ "How many customers increased their spend from 2025 to 2026": each one's change."""
    changed = len(pieces.periods) > 1 or any(p.ends for p in pieces.periods)
    if (
        says_people(pieces)
        and changed
        and pieces.loose_words & CHANGE_WORDS
        and not grouped(reader, pieces)
    ):
        return (
            "That asks for each customer's change between periods, which I cannot compute "
            "yet; I can compare the periods for all customers or by group (e.g. 'spend by "
            "segment, 2025 vs 2026')."
        )
    return None


def _more_than_other(reader: TermReader, pieces: Pieces) -> str | None:
    """ "More on travel than on groceries": two conditions compared with each other (a
    "than" left after the numbers were read; "other than" is a negation)."""
    words = pieces.words
    if "than" in words and words[words.index("than") - 1 : words.index("than")] != ["other"]:
        return (
            "That compares two things with each other (more … than …), which I cannot "
            "compute in one answer yet; ask for each, e.g. their spend by category."
        )
    return None


def _yes_no_comparison(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Is churn risk higher for Standard cardholders?" (not "higher in 2025 or 2026?")."""
    words = pieces.words
    alternatives = "or" in words or len(pieces.periods) > 1
    if words[:1] and words[0] in YES_NO_OPENINGS and set(words) & COMPARATIVES and not alternatives:
        return (
            "I cannot answer yes/no comparisons; ask for the figures side by side, e.g. "
            "'average churn risk score by card type'."
        )
    return None


def _one_value_picked(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Which airline has the most spend?": one value (the Airlines category) offered as the
    set to pick from ("which hotel merchant" and "which Premium customers" name the set)."""
    words = pieces.words
    picked = next((s for s in pieces.spans if s.start > 0), None)
    if picked is None or words[:1] not in (["which"], ["what"]):
        return None
    named = (
        any(  # "which hotel merchant", "which Recurring-type category"
            words[picked.end : s.start] in ([], ["type"], ["kind"])
            and s.entry.kind in ("field", "table", "metric")
            for s in pieces.spans
            if s.start >= picked.end
        )
        or bool(set(words[picked.start : picked.end]) & PEOPLE_NOUNS)
    )
    if (
        not named
        and picked.entry.kind in ("value", "filter")
        and all(w in DETERMINERS for w in words[1 : picked.start])
        and (pieces.descending is not None or pieces.limit is not None)
    ):
        phrase = " ".join(words[picked.start : picked.end])
        return (
            f"'{phrase}' is one value, not a set to pick from; say what to rank, e.g. "
            "merchants, states or days of the week."
        )
    return None


def _over_ranked(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Total spend of the top 10 customers": a measure over the members of a ranking."""
    if OVER_RANKED.search(pieces.question):
        return (
            "That adds up a measure over the top of a ranking, which I cannot do in one answer "
            "yet; ask for the ranking (e.g. 'top 10 customers by spend') and add it up."
        )
    return None


def _ranked_without_measure(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Rank the merchants": ranked by what?"""
    ranks = set(pieces.words) & RANK_VERBS
    measured = any(s.entry.kind == "metric" for s in pieces.spans) or any(
        s.entry.kind == "field" and reader.model.fields[s.entry.name][1] == "fact"
        for s in pieces.spans
    )
    if ranks and not measured and not pieces.count_cue:
        return "Ranked by which measure? e.g. spend, number of transactions or customers."
    return None


def _all_values(reader: TermReader, pieces: Pieces) -> str | None:
    """ "Customers who used all three channels": a row for every value of a field."""
    if says_people(pieces) and ALL_VALUES.search(pieces.question):
        return (
            "That asks for customers with rows for every one of several values (e.g. all three "
            "channels), which I cannot compute yet; I can count customers per value (e.g. "
            "'customers by channel')."
        )
    return None
