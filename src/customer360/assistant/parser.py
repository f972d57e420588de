"""Pieces → SemanticQuery: the deterministic, compositional question engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import sqlglot
from sqlglot import exp

from customer360.assistant.lexicon import Lexicon, load_states
from customer360.assistant.pieces import AGG_WORDS, GROUP_CUES, Pieces, Span, extract
from customer360.semantic.compiler import Compiler
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import Filter, Order, SemanticQuery, TimeRange, Value

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
        "customer customers being people trend time whose has "
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
TIME_FIELD = {"transactions": "transaction_date", "monthly_spending": "month"}
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


class Parser:
    def __init__(self, model: SemanticModel, lexicon: Lexicon, as_of: date) -> None:
        self.model = model
        self.lexicon = lexicon
        self.as_of = as_of
        self.compiler = Compiler(model)
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
            return Parsed("answered", self._merge(previous, pieces))
        if not known and not pieces.numerics and not (pieces.list_cue and pieces.spans):
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        if unknown and self._unknown_blocks(pieces, unknown):
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        query = self._build(pieces)
        talks_about_rows = any(
            s.entry.kind == "table" or pieces.words[s.start] == "customer" for s in pieces.spans
        )
        if not query.metrics and (unknown or not (talks_about_rows or pieces.list_cue)):
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        if ambiguous and not query.metrics and not query.order:
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

    def _metric_fact(self, metric: str) -> str | None:
        """The fact a simple metric aggregates (avg(lifetime_value) → lifetime_value)."""
        if metric not in self.model.metrics:
            return None
        tree = sqlglot.parse_one(self.model.metrics[metric][1].expr)
        columns = {c.name for c in tree.find_all(exp.Column)}
        facts = [
            name
            for name, (_, kind, col) in self.model.fields.items()
            if kind == "fact" and col.expr in columns
        ]
        return facts[0] if len(columns) == 1 and facts else None

    def _is_group(self, pieces: Pieces, span: Span) -> bool:
        before = pieces.before(span, 2)
        return bool(before) and (
            before[-1] in GROUP_CUES
            or before[0] in ("which", "what")
            or before[-1] in ("which", "what")
            or before == ["for", "each"]
        )

    def _terms(
        self, pieces: Pieces, consumed: set[int]
    ) -> tuple[list[str], list[str], list[str], bool]:
        """Metrics, group-by dimensions and facts mentioned; whether 'customers' was said."""
        metrics: list[str] = []
        dims: list[str] = []
        facts: list[str] = []
        noun = False
        for index, span in enumerate(pieces.spans):
            if index in consumed:
                continue
            entry = span.entry
            words = pieces.words[span.start : span.end]
            agg = AGG_WORDS.get(pieces.before(span)[-1]) if pieces.before(span) else None
            if words == ["transaction"]:
                continue
            if entry.kind == "table" or (
                entry.kind == "metric"
                and len(words) == 1
                and words[0] in ("customer", "cardholder", "client")
            ):
                noun = noun or entry.name == "customer_profile" or entry.kind == "metric"
            elif entry.kind == "metric":
                fact = self._metric_fact(entry.name)
                plain = not agg and not set(words) & set(AGG_WORDS)
                if fact and plain:
                    facts.append(fact)
                metrics.append(entry.name)
            elif entry.kind == "field":
                kind = self.model.fields[entry.name][1]
                if kind == "fact" and agg:
                    metrics.append(f"{agg}__{entry.name}")
                elif kind == "fact":
                    facts.append(entry.name)
                else:
                    dims.append(entry.name)
        return metrics, dims, facts, noun

    def _build(self, pieces: Pieces) -> SemanticQuery:
        filters, named, consumed = self._filters(pieces)
        metrics, dims, facts, noun = self._terms(pieces, consumed)
        by_values = {f.field for f in filters if len(f.values) > 1}
        dims += [d for d in by_values if d not in dims]
        soft = [m for m in metrics if self._metric_fact(m) in facts]
        hard = [m for m in metrics if m not in soft]
        listing = noun and not hard and not pieces.count_cue and not dims
        if listing or (not metrics and not dims and not pieces.count_cue):
            return self._listing(pieces, filters, named, facts, dims)
        if not metrics:
            metrics = (
                [f"avg__{facts[0]}"]
                if facts and not pieces.count_cue
                else [
                    "transaction_count"
                    if self._mentions(pieces, "transactions") and not noun
                    else "customer_count"
                ]
            )
        base = self.compiler._field_table(metrics[0]).name
        metrics = [m for m in metrics if self.compiler._field_table(m).name == base] or metrics
        return self._aggregate(pieces, base, metrics, dims, filters, named)

    def _mentions(self, pieces: Pieces, table: str) -> bool:
        return any(e.kind == "table" and e.name == table for s in pieces.spans for e in s.entries)

    def _filters(self, pieces: Pieces) -> tuple[list[Filter], list[str], set[int]]:
        values: dict[str, list[Value]] = {}
        named: list[str] = []
        consumed: set[int] = set()
        filters: list[Filter] = []
        for index, span in enumerate(pieces.spans):
            entry = span.entry
            if entry.kind == "value" and entry.value is not None:
                values.setdefault(entry.name, []).append(entry.value)
                consumed.add(index)
            elif entry.kind == "filter":
                named.append(entry.name)
                consumed.add(index)
        for numeric in pieces.numerics:
            target = self._numeric_target(pieces, numeric.position, consumed)
            filters.append(Filter(target, numeric.op, (numeric.value,)))
        for name, vals in values.items():
            unique = list(dict.fromkeys(vals))
            filters.append(
                Filter(name, "=", (unique[0],))
                if len(unique) == 1
                else Filter(name, "in", tuple(unique))
            )
        return filters, named, consumed

    def _numeric_target(self, pieces: Pieces, position: int, consumed: set[int]) -> str:
        candidates = [
            (i, s)
            for i, s in enumerate(pieces.spans)
            if i not in consumed and s.entry.kind in ("field", "metric", "table")
        ]
        for distance in (
            lambda s: s.start - position - 1,
            lambda s: position - s.end,
            lambda s: position - s.end - 1,
        ):
            for index, span in candidates:
                if distance(span) != 0:
                    continue
                consumed.add(index)
                for entry in span.entries:
                    if entry.kind == "field" and self.model.fields[entry.name][1] == "fact":
                        return entry.name
                if span.entry.kind == "table" and span.entry.name == "transactions":
                    return "total_transactions"
                fact = self._metric_fact(span.entry.name)
                return fact or span.entry.name
        return "lifetime_value"

    def _time(self, pieces: Pieces, base: str) -> tuple[TimeRange | None, list[str]]:
        notes: list[str] = []
        field = TIME_FIELD.get(base)
        if pieces.window is None:
            return None, notes
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
        return SemanticQuery(
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

    def _listing(
        self,
        pieces: Pieces,
        filters: list[Filter],
        named: list[str],
        facts: list[str],
        dims: list[str],
    ) -> SemanticQuery:
        base = "transactions" if self._mentions(pieces, "transactions") else "customer_profile"
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

    def _merge(self, previous: SemanticQuery, pieces: Pieces) -> SemanticQuery:
        update = self._build(pieces)
        new_fields = {f.field for f in update.filters}
        filters = [f for f in previous.filters if f.field not in new_fields] + list(update.filters)
        dims = list(previous.dimensions)
        _, new_dims, _, _ = self._terms(pieces, self._filters(pieces)[2])
        new_dims += [f.field for f in update.filters if len(f.values) > 1]
        if previous.metrics:
            dims += [d for d in new_dims if d not in dims]
        explicit_metric = any(
            s.entry.kind == "metric" and pieces.words[s.start] != "customer" for s in pieces.spans
        )
        return SemanticQuery(
            metrics=update.metrics if explicit_metric else previous.metrics,
            dimensions=tuple(dims),
            filters=tuple(filters),
            named_filters=tuple(dict.fromkeys([*previous.named_filters, *update.named_filters])),
            time_range=update.time_range or previous.time_range,
            grain=update.grain or previous.grain,
            order=update.order if pieces.descending is not None else previous.order,
            limit=pieces.limit or previous.limit,
        )


def _unknown_message(unknown: tuple[str, ...]) -> str:
    if unknown:
        return (
            f"The semantic model has nothing called {' '.join(unknown)!r}, so I cannot answer "
            "that without guessing."
        )
    return "That question is outside the customer, transaction and spending data I can query."
