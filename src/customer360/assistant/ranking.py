"""Superlatives and changes: how many rows "which … highest" returns, which way a change goes."""

from __future__ import annotations

from typing import Literal

from customer360.assistant.pieces import Pieces, Span
from customer360.assistant.terms import TermReader

# Change words: "the biggest drop in spend between Q1 and Q2" compares the two periods.
# "go up", "went down": change words only next to a change of periods.
PARTICLES = frozenset({"up", "down"})
CHANGE_WORDS = frozenset(
    {
        "drop",
        "fall",
        "fell",
        "decline",
        "declined",
        "change",
        "changed",
        "growth",
        "grew",
        "increase",
        "decrease",
        "difference",
        "rise",
        "rose",
        "jump",
        "shift",
        *("increased", "decreased", "dropped", "jumped", "risen", "grown", "shifted"),
        *("lost", "lose", "gained", "gain"),
        *PARTICLES,
    }
)
# Verbs of moving that make "from Q4 2025 to Q1 2026" two periods compared, not one range
# ("how did spend move from …"); elsewhere they are history ("moved from Standard to Premium").
MOVE_WORDS = frozenset({"move", "moved", "go", "went", "evolve", "evolved", "trend", "trended"})
DROP_WORDS = frozenset(
    {"drop", "fall", "fell", "decline", "declined", "decrease", "dropped", "down", "lost", "lose"}
)
RISE_WORDS = frozenset(
    {"rise", "rose", "grew", "growth", "increase", "increased", "jump", "jumped", "up"}
)
SINGULAR_LIMIT = 1
PLURAL_LIMIT = 10


def change_direction(pieces: Pieces) -> Literal["<", ">"] | None:
    """A change word without a superlative states a direction: 'fell' is < 0, 'grew' > 0."""
    words = pieces.loose_words
    if pieces.descending is not None or not words & CHANGE_WORDS:
        return None
    if words & DROP_WORDS:
        return "<"
    if words & RISE_WORDS:
        return ">"
    return None


def superlative_limit(reader: TermReader, pieces: Pieces, dims: list[str]) -> int | None:
    """'Which state has the highest …' is one row; 'which states …' the top ten."""
    if pieces.pick_one:
        return SINGULAR_LIMIT
    grouped: dict[str, Span] = {}  # the first mention: "which state …, among states with …"
    for s in pieces.spans:
        if s.entry.kind == "field" and s.entry.name in dims:
            grouped.setdefault(s.entry.name, s)
    spans = [grouped[d] for d in dims if d in grouped]
    if not spans:
        return PLURAL_LIMIT
    span = spans[0]
    if reader._is_grouped(pieces, span):
        return None  # "spend by state, highest first": every group, ranked
    return PLURAL_LIMIT if span.plural else SINGULAR_LIMIT
