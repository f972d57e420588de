"""Pieces → SemanticQuery: the deterministic, compositional question engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from customer360.assistant.followup import merge
from customer360.assistant.lexicon import Lexicon, load_states
from customer360.assistant.pieces import AGG_WORDS, Pieces, extract
from customer360.assistant.shares import make_conditional
from customer360.assistant.terms import TIME_FIELD, TermReader
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import Filter, Order, SemanticQuery, TimeRange

Status = Literal["answered", "refused", "clarify"]
WRITE_VERBS = re.compile(
    r"\b(delete|drop|update|insert|truncate|alter|remove|grant|revoke|"
    r"modify|overwrite|erase|wipe|attach|pragma|install|set)\b",
    re.I,
)
FILLER = frozenset(
    (  # noqa: SIM905 - a word list reads best as prose
        "a an the of in on for with to and or is are was were be been do does did what which "
        "who whose how me show list find give display get tell i we you my our their there that "
        "this these those have has had than as at from per each by all any every some most "
        "least more less many much number count top bottom highest lowest largest smallest "
        "biggest best worst between versus vs compare comparison across among segment group "
        "status level type it its please can could would should about overall value amount "
        "total average mean median sum max min maximum minimum rate percentage percent share "
        "their they them is it currently current now only just also what's whats s breakdown "
        "distribution split up within where when over under above below so far ever data recent "
        "recently right here out not no yes identify name names see view want know need like "
        "increased decreased spending spend increase decrease instead rather most fewest "
        "customer customers being people trend time whose has located live lives living based "
        "target targets candidate candidates "
    ).split()
)
AMBIGUOUS = {"best": "best", "worst": "worst", "performance": "performance", "good": "good"}
CLARIFY_OPTIONS = ("by lifetime value", "by spend in the last 90 days", "by churn risk score")
DEFAULT_COLUMNS = {
    "customer_profile": ("customer_id", "full_name", "customer_segment", "card_type", "state"),
    "transactions": (
        "transaction_id",
        "transaction_date",
        "transaction_customer_id",
        "merchant_name",
        "channel",
        "status",
        "transaction_amount",
    ),
}
FOLLOW_UP = re.compile(
    r"^\s*(and|now|only|just|what about|how about|same|also|instead|but|"
    r"then|ok|okay)\b",
    re.I,
)


@dataclass(frozen=True)
class Parsed:
    status: Status
    query: SemanticQuery | None = None
    message: str = ""
    unknown: tuple[str, ...] = ()


class Parser(TermReader):
    def __init__(self, model: SemanticModel, lexicon: Lexicon, as_of: date) -> None:
        super().__init__(model)
        self.lexicon = lexicon
        self.as_of = as_of
        self.states = load_states()

    def parse(self, question: str, previous: SemanticQuery | None = None) -> Parsed:
        if WRITE_VERBS.search(question):
            return Parsed("refused", message="I can only read data; I cannot change or delete it.")
        pieces = extract(question, self.lexicon, self.as_of, self.states)
        unknown = tuple(w for w in pieces.unknown if w.isalpha() and w not in FILLER)
        ambiguous = [w for w in pieces.words if w in AMBIGUOUS]
        known = [s for s in pieces.spans if s.entry.kind != "table"]
        if previous is not None and (FOLLOW_UP.match(question) or not known):
            if unknown:
                return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
            return Parsed("answered", merge(self, previous, pieces))
        if not known and not pieces.numerics and not (pieces.list_cue and pieces.spans):
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        if unknown and self._unknown_blocks(pieces, unknown):
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        query = self._build(pieces)
        talks_about_rows = any(
            s.entry.kind == "table" or pieces.words[s.start] == "customer" for s in pieces.spans
        )
        selects = talks_about_rows or pieces.list_cue or query.filters or query.named_filters
        if not query.metrics and (unknown or not selects):
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        if ambiguous and not self._names_a_measure(pieces):
            options = ", ".join(CLARIFY_OPTIONS)
            return Parsed("clarify", message=f"'{ambiguous[0]}' by which measure? e.g. {options}.")
        return Parsed("answered", query)

    def _unknown_blocks(self, pieces: Pieces, unknown: tuple[str, ...]) -> bool:
        """Unknown words matter unless the question is otherwise fully understood."""
        strong = [s for s in pieces.spans if s.entry.kind in ("metric", "field", "value", "filter")]
        after_agg = any(
            w in AGG_WORDS and nxt in unknown
            for w, nxt in zip(pieces.words, pieces.words[1:], strict=False)
        )
        return after_agg or not strong or len(unknown) > len(strong)

    def _names_a_measure(self, pieces: Pieces) -> bool:
        """Whether the question says what to measure (so "best" has a yardstick)."""
        for span in pieces.spans:
            words = pieces.words[span.start : span.end]
            if span.entry.kind == "metric" and words[0] not in ("customer", "cardholder"):
                return True
            if span.entry.kind == "field" and self.model.fields[span.entry.name][1] == "fact":
                return True
        return False

    def _count_metric(self, pieces: Pieces, noun: bool) -> str:
        """Count the rows of the table the question is about."""
        counted = [t for s in pieces.spans if (t := self.counted_table(pieces, s))]
        if counted and counted[0] != "customer_profile":
            table = self.model.table(counted[0])
            return next(m.name for m in table.metrics if m.expr.lower().startswith("count("))
        if self._mentions(pieces, "transactions") and not noun:
            return "transaction_count"
        return "customer_count"

    def _build(self, pieces: Pieces) -> SemanticQuery:
        filters, named, consumed = self._filters(pieces)
        metrics, dims, facts, noun = self._terms(pieces, consumed)
        by_values = {f.field for f in filters if len(f.values) > 1}
        dims += [d for d in by_values if d not in dims]
        soft = [m for m in metrics if self._metric_fact(m) in facts]
        hard = [m for m in metrics if m not in soft]
        listing = noun and not hard and not pieces.count_cue and not dims
        if listing or (not metrics and not dims and not pieces.count_cue and not pieces.grain):
            return self._listing(pieces, filters, named, facts, dims, consumed)
        if not metrics:
            metrics = (
                [f"avg__{facts[0]}"]
                if facts and not pieces.count_cue
                else [self._count_metric(pieces, noun)]
            )
        base = self.compiler._field_table(metrics[0]).name
        metrics = [m for m in metrics if self.compiler._field_table(m).name == base] or metrics
        return self._aggregate(pieces, base, metrics, dims, filters, named)

    def _time(self, pieces: Pieces, base: str) -> tuple[TimeRange | None, list[str]]:
        notes: list[str] = []
        if pieces.window is None:
            return None, notes
        named = [
            e.name
            for s in pieces.spans
            for e in s.entries[:1]
            if e.kind == "field" and self.model.fields[e.name][1] == "time_dimension"
        ]
        field = named[0] if named else TIME_FIELD.get(base)
        if field is None:
            notes.append(f"profile metrics are as of {self.as_of}; the time window was not applied")
            return None, notes
        return TimeRange(field, pieces.window.start, pieces.window.end), notes

    def _aggregate(
        self,
        pieces: Pieces,
        base: str,
        metrics: list[str],
        dims: list[str],
        filters: list[Filter],
        named: list[str],
    ) -> SemanticQuery:
        time_range, notes = self._time(pieces, base)
        grain = pieces.grain if base in TIME_FIELD else None
        if grain:
            dims = [TIME_FIELD[base], *dims]
        order: tuple[Order, ...] = ()
        limit = pieces.limit
        if pieces.descending is not None:
            order = (Order(metrics[0], pieces.descending),)
            limit = limit or (10 if dims else None)
        elif dims and not grain:
            order = (Order(metrics[0], True),)
        query = SemanticQuery(
            metrics=tuple(dict.fromkeys(metrics)),
            dimensions=tuple(dict.fromkeys(dims)),
            filters=tuple(filters),
            named_filters=tuple(dict.fromkeys(named)),
            time_range=time_range,
            grain=grain,
            order=order,
            limit=limit,
            notes=tuple(notes),
        )
        return make_conditional(query, pieces, self.compiler)

    def _listing(
        self,
        pieces: Pieces,
        filters: list[Filter],
        named: list[str],
        facts: list[str],
        dims: list[str],
        consumed: set[int],
    ) -> SemanticQuery:
        # "customers with more than 100 transactions": that "transactions" is a fact, not the rows.
        rows_of_transactions = any(
            e.kind == "table" and e.name == "transactions"
            for i, s in enumerate(pieces.spans)
            if i not in consumed
            for e in s.entries
        )
        base = "transactions" if rows_of_transactions else "customer_profile"
        columns = list(DEFAULT_COLUMNS[base])
        mentioned = [*dims, *facts, *(f.field for f in filters)]
        columns += [c for c in mentioned if c not in columns and c in self.model.fields]
        order: tuple[Order, ...] = ()
        limit = pieces.limit
        if facts:
            order = (Order(facts[0], pieces.descending is not False),)
            limit = limit or 10
        time_range, notes = self._time(pieces, base)
        return SemanticQuery(
            dimensions=tuple(columns),
            filters=tuple(filters),
            named_filters=tuple(named),
            time_range=time_range,
            order=order,
            limit=limit,
            notes=tuple(notes),
        )


def _unknown_message(unknown: tuple[str, ...]) -> str:
    if unknown:
        return (
            f"The semantic model has nothing called {' '.join(unknown)!r}, so I cannot answer "
            "that without guessing."
        )
    return "That question is outside the customer, transaction and spending data I can query."
