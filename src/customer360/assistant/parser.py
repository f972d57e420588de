"""Pieces → SemanticQuery: the deterministic, compositional question engine."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from customer360.assistant.accounting import unused_phrases
from customer360.assistant.followup import FollowUp, merge
from customer360.assistant.lexicon import Lexicon, load_states, tokens
from customer360.assistant.parsed import Parsed
from customer360.assistant.periods import ALL_TIME, PeriodError
from customer360.assistant.pieces import (
    AGG_WORDS,
    ASC_WORDS,
    COUNT_PAIRS,
    DESC_WORDS,
    NEGATORS,
    Pieces,
    Span,
    extract,
)
from customer360.assistant.ranking import (
    CHANGE_WORDS,
    DROP_WORDS,
    PARTICLES,
    PLURAL_LIMIT,
    SINGULAR_LIMIT,
    change_direction,
    superlative_limit,
)
from customer360.assistant.shapes import asked_back, says_people
from customer360.assistant.shares import make_conditional, share_of
from customer360.assistant.terms import DETERMINERS, EXTREME_WORDS, TermReader
from customer360.assistant.when import apply_periods
from customer360.assistant.words import (
    CUE_WORDS,
    FUNCTION_WORDS,
    PEOPLE_NOUNS,
    is_write_request,
)
from customer360.semantic.expressions import columns_of, conditioned_aggregate
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import (
    Filter,
    Order,
    Related,
    SemanticQuery,
    TimeRange,
)

AMBIGUOUS = {
    w: w for w in ("best", "worst", "performance", "performing", "perform", "good", "well")
}
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
    r"then|ok|okay|excluding|except|without|exclude|for|among|break|split|as(?! of)|"
    r"narrow|restrict|limit|filter|keep|drop|remove|add"
    r"|how many (?:are|were|is|was|have|had|did|do)\b(?! there))\b",  # "how many are Platinum?"
    re.I,
)
# "how many transactions was that?": a question about the previous answer, asked at its end.
FOLLOW_UP_END = re.compile(r"\b(?:was|is|were) (?:that|it)\W*$", re.I)
# Openings that only make sense after an answer: "and downgrades?", "what about Texas?".
REFINES_PREVIOUS = re.compile(
    r"^\s*(?:and|what about|how about|same|instead|but|also|then)\b", re.I
)
# "For the board pack I'd like …": a leading purpose clause that runs into the request itself.
PURPOSE = re.compile(
    r"^\s*for (?:the|our|my|a|an|this) [\w' &-]{1,40}? (?=(?:i'd like|i would like|i need|i want"
    r"|can you|could you|please|what|how|which|who|show|give|list|pull)\b)",
    re.I,
)
# A leading clause set off by a colon, a dash or a full stop.
PREFACE = re.compile(r"^\s*([^:?]{3,80}?)(?::|\s[-–—]\s|\.\s|,\s)(.+)$", re.S)
# A preface that tries to steer the reader is not context; it is refused with the question.
STEERING_WORDS = frozenset(
    {"ignore", "instruction", "prompt", "system", "pretend", "override", "disregard", "jailbreak"}
)
# "drop California and Texas": a removal verb and what it removes, up to a clause break.
DROP_VALUE = re.compile(
    r"(^|\s)(?:drop|remove|take out)\s+([^,;.!?]+?)"
    r"(?=\s+(?:then|and just|and give|and show)\b|[,;.!?]|$)",
    re.I,
)
COORDINATORS = frozenset({"and", "or"})
# Words between a date field or event and its period: "opened their accounts in 2024".
PERIOD_LINKS = frozenset({"account", "card", "was", "were", "been", "got", "get", "in"})
# Words saying where something is: "merchants located in Texas".
LOCATION_WORDS = frozenset({"located", "based", "headquartered", "situated", "registered"})
# Clauses a question may open with before the question itself.
MAX_PREFACES = 3
# "the quarter before that", "the month after it": relative to the previous answer's period.
BEFORE_THAT = re.compile(r"\b(?:the )?(month|quarter|year) (before|after) (?:that|it|this)\b", re.I)
# Words pointing back at the previous answer: "how many of them live in Texas".
ANAPHORA = frozenset({"them", "those", "these", "they", "their", "same"})
COMPARISON_WORDS = frozenset({"vs", "v", "versus", "compare", "compared", "comparison", "against"})
# Superlatives about how many ("the most declined transactions"), not how large ("the
# largest increase" is about an amount).
COUNT_SUPERLATIVES = frozenset({"most", "fewest", "least", "top", "bottom"})
# Words before a count of rows that ask about their amounts, not their number.
AMOUNT_OF_ROWS = frozenset(
    {"average", "mean", "median", "typical", "value", "amount", "biggest", "largest", "smallest"}
)
# Words that ask for a measure: a question with one of them is never a plain list of rows.
MEASURE_CUES = frozenset(
    {"rate", "ratio", "percent", "percentage", "share", "average", "mean", "median", "total", "sum"}
)
DISTINCT_WORDS = frozenset({"distinct", "different", "unique", "individual"})
NO_ROWS_AND_ROWS = (
    "That asks for rows that exist in one period and not in another (or with a value and "
    "without it), which I cannot combine in one answer yet; ask for each group separately."
)
NO_ROWS_UNPLACED = (
    "I read 'no'/'never'/'without' before a value but could not tell whose rows must not have "
    "it; ask e.g. 'customers with no Mobile transactions in 2026'."
)


class Parser(TermReader):
    def __init__(
        self,
        model: SemanticModel,
        lexicon: Lexicon,
        as_of: date,
        private: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(model)
        self.lexicon = lexicon
        self.as_of = as_of
        self.states = load_states()
        self.private = private  # columns the role may not read: left out of listings

    def parse(self, question: str, previous: SemanticQuery | None = None) -> Parsed:
        question = self.exclusions_for_drops(question)
        if is_write_request(question):
            return Parsed("refused", message="I can only read data; I cannot change or delete it.")
        if previous is not None:
            question = _relative_to(question, previous)
        try:
            prefaces = []
            for _ in range(MAX_PREFACES):  # "Product team here, we're reviewing X. How many …"
                question, preface = self._without_preface(question)
                if not preface:
                    break
                prefaces.append(preface)
            pieces = extract(question, self.lexicon, self.as_of, self.states)
        except PeriodError as exc:
            return Parsed("clarify", message=str(exc))
        if prefaces:
            pieces.corrections += (f"set aside the preface '{', '.join(prefaces)}'",)
        unknown = tuple(
            w
            for w in pieces.unknown
            if w.isalnum() and w not in FUNCTION_WORDS and w not in CUE_WORDS
        )
        if unknown:
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        grouped_values = [
            " ".join(pieces.words[s.start : s.end])
            for s in pieces.spans
            if s.entry.kind == "value"
            and pieces.before(s)[-1:] in (["by"], ["per"])
            and not (  # "by approved spend": the value restricts the measure after it
                not s.entry.head
                and any(m.start == s.end and m.entry.kind == "metric" for m in pieces.spans)
            )
        ]
        if grouped_values:
            return Parsed(
                "refused",
                message=f"'{grouped_values[0]}' is a value, not something to group by; "
                "did you mean only those rows, or a breakdown by its field?",
            )
        misplaced = (
            self._misplaced_location(pieces)
            or self._ranked_within(pieces)
            or self._compared_conditions(pieces)
            or asked_back(self, pieces, following=previous is not None)
        )
        if misplaced:
            return Parsed("clarify", message=misplaced)
        ambiguous = [w for w in pieces.words if w in AMBIGUOUS]
        known = [  # a table's rows alone say nothing to compute, unless aggregated
            s
            for s in pieces.spans
            if s.entry.kind != "table"
            or set(pieces.before(s, 2)) & (set(AGG_WORDS) | set(EXTREME_WORDS))
        ]
        if previous is not None and (
            FOLLOW_UP.match(question)
            or FOLLOW_UP_END.search(question)
            or bool(set(pieces.words) & ANAPHORA)
            or not known
            or self._refines_only(pieces)
            or "instead" in pieces.words
        ):
            follow = self._follow_up(pieces, previous)
            merged = self._widened(pieces, merge(previous, follow, self.compiler), previous)
            merged = self._listed(pieces, merged, follow)
            if follow.explicit_metric and all(map(self.compiler.is_share, merged.metrics)):
                shared = self._share_of_selection(merged)
                if shared is None:
                    return Parsed(
                        "clarify",
                        message="A share of what? With no breakdown and nothing selected the "
                        "answer is 100 %; say which part, e.g. 'as a share of all spend'.",
                    )
                merged = shared
            unchanged = merged.with_changes(notes=()) == previous.with_changes(notes=())
            lost_period = (  # "of those, how many … in 2025?": a period nothing took
                bool(pieces.periods)
                and merged.time_range == previous.time_range
                and merged.periods == previous.periods
                and all(r.time_range is None for r in merged.related if r not in previous.related)
            )
            if (unchanged and _says_more(pieces)) or lost_period:
                # "and the median?", "by week": read but not applied, so not answered as before
                return Parsed(
                    "clarify",
                    message=f"I could not apply '{question.strip()}' to the previous answer; "
                    "please ask the whole question.",
                )
            return Parsed("answered", merged)
        counted = any(self.counted_table(pieces, s) for s in pieces.spans)
        if (
            not known
            and not counted
            and not pieces.numerics
            and not (pieces.list_cue and pieces.spans)
        ):
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        unmeasured = (  # "top 5 merchants": by spend? by transactions? by customers?
            pieces.descending is not None
            and not pieces.count_cue
            and not self._names_a_measure(pieces)
            and not set(pieces.words) & ({"most", "fewest", "least"} | PEOPLE_NOUNS)
            and not any(e.kind == "table" for s in pieces.spans for e in s.entries)
            and not pieces.at_the_time
        )
        changed = len(pieces.periods) > 1 or any(p.ends for p in pieces.periods)
        if (
            changed
            and pieces.loose_words & CHANGE_WORDS
            and not self._names_a_measure(pieces)
            and not pieces.count_cue
            and not set(pieces.words) & PEOPLE_NOUNS
        ):
            word = sorted(pieces.loose_words & CHANGE_WORDS)[0]
            options = "spend, transactions or customers"
            return Parsed("clarify", message=f"'{word}' in what? e.g. {options}.")
        if (ambiguous or unmeasured) and not self._names_a_measure(pieces):
            ambiguous = ambiguous or [w for w in pieces.words if w in DESC_WORDS | ASC_WORDS][:1]
            options = ", ".join(CLARIFY_OPTIONS)
            return Parsed("clarify", message=f"'{ambiguous[0]}' by which measure? e.g. {options}.")
        query = self._build(pieces)
        if isinstance(query, Parsed):
            return query
        query = self._unfiltered_amounts(query)
        clash = _contradiction(query.filters)
        if clash:
            return Parsed(
                "clarify",
                message=f"That asks for {clash} at once, which no row can be; did you mean to "
                "compare them? Ask for each separately, or for a breakdown by it.",
            )
        if self._share_over_rows(query):
            return Parsed(
                "clarify",
                message="A share whose part or whole depends on transactions or events (in a "
                "period, or added up per customer) is not something I can compute in one answer "
                "yet; ask for the two counts, e.g. 'how many customers in California spent over "
                "$10,000 in 2025' and 'how many customers are in California'.",
            )
        unused = unused_phrases(self, pieces, query)
        if len(query.periods) < 2 and not any(f.field == "change" for f in query.filters):
            unused += [
                w
                for i, w in enumerate(pieces.words)
                if w in pieces.unknown and w in CHANGE_WORDS - PARTICLES and not _links(pieces, i)
            ]
        if unused:
            return Parsed(
                "clarify",
                message=f"I read {', '.join(repr(u) for u in unused)} but could not use it in "
                "this question; please rephrase so it is clear what it applies to.",
                unknown=tuple(unused),
            )
        if pieces.unresolved:
            numbers = ", ".join(pieces.unresolved)
            return Parsed(
                "clarify",
                message=f"What does {numbers} compare? Name the measure, e.g. "
                "'spend over $500' or 'more than 40 transactions'.",
            )
        talks_about_rows = any(
            s.entry.kind == "table" or pieces.words[s.start] == "customer" for s in pieces.spans
        )
        selects = (
            talks_about_rows
            or pieces.list_cue
            or query.filters
            or query.named_filters
            or query.related
            or query.excluded_named_filters
        )
        averaged_counts = self._averaged_counts(pieces) or self._unused_average(pieces, query)
        if averaged_counts:  # "the average declined transaction": an average of a count?
            return Parsed(
                "clarify",
                message=f"I read '{averaged_counts[0]}' but nothing here computes it; say what to "
                "average or add up, e.g. 'average transaction amount' or 'number of declined "
                "transactions'.",
                unknown=tuple(averaged_counts),
            )
        measure_words = [w for w in pieces.words if w in MEASURE_CUES]
        measured = (
            query.metrics
            or any(r.having for r in query.related)
            or any(self.compiler.is_metric(f.field) for f in query.filters)
        )
        if not measured and measure_words:  # "the charge-off rate on Standard cards"
            return Parsed(
                "clarify",
                message=f"I read '{measure_words[0]}' but found no measure it applies to; "
                "please name the measure, e.g. 'decline rate' or 'average spend'.",
                unknown=(measure_words[0],),
            )
        if not query.metrics and not selects:
            return Parsed("refused", message=_unknown_message(unknown), unknown=unknown)
        return Parsed("answered", query.with_changes(notes=(*pieces.corrections, *query.notes)))

    def exclusions_for_drops(self, question: str) -> str:
        """ "Now drop California": dropping a value from an answer excludes it; the verb
        becomes "excluding". Dropping anything else (a table, the customers) stays a write
        request and is refused."""

        def rewrite(match: re.Match[str]) -> str:
            pieces = extract(match[2], self.lexicon, self.as_of, self.states)
            values = [s for s in pieces.spans if s.entry.kind == "value"]
            covered = {i for s in values for i in range(s.start, s.end)}
            content = {i for i, w in enumerate(pieces.words) if w not in COORDINATORS}
            if values and content <= covered:
                return f"{match[1]}excluding {match[2]}"
            return match[0]

        return DROP_VALUE.sub(rewrite, question)

    def _misplaced_location(self, pieces: Pieces) -> str | None:
        """ "Merchants located in Texas": a place is recorded for some rows only (customers); said
        of other rows it would silently become the customers' place."""
        for i, word in enumerate(pieces.words):
            if word not in LOCATION_WORDS:
                continue
            place = next((s for s in pieces.spans if s.start > i and s.entry.kind == "value"), None)
            noun = next((s for s in sorted(pieces.spans, key=lambda s: -s.end) if s.end <= i), None)
            if place is None or noun is None or place.start - i > 3 or i - noun.end > 2:
                continue
            where = self.compiler.field_table(place.entry.name).name
            named = noun.entry.name
            table = named if noun.entry.kind == "table" else self.compiler.field_table(named).name
            if table != where and table not in self.compiler.reachable(where):
                field = place.entry.name.replace("_", " ")
                holder = (self.model.table(where).synonyms or (where.replace("_", " "),))[0]
                return (
                    f"The model records {field} for {holder} only, not for "
                    f"{' '.join(pieces.words[noun.start : noun.end])}; I cannot place those."
                )
        return None

    def _unfiltered_amounts(self, query: SemanticQuery) -> SemanticQuery:
        """ "Total amount declined in 2025": spend counts approved rows only, so with a filter
        on another status it would be empty; the plain aggregate of the amount is meant."""
        renamed: dict[str, str] = {}
        for name in query.metrics:
            definition = self.model.metrics.get(name)
            own = conditioned_aggregate(definition[1].expr) if definition else None
            if own is None or definition is None:
                continue
            agg, column, value, fact_column = own
            columns = [c for _, c in definition[0].columns()]
            field = next((c.name for c in columns if c.expr == column), None)
            fact = next((c.name for c in columns if c.expr == fact_column), None)
            clash = any(
                f.field == field and f.op in ("=", "in") and value not in f.values
                for f in query.filters
            )
            if clash and fact:
                renamed[name] = f"{agg}__{fact}"
        if not renamed:
            return query
        return query.with_changes(
            metrics=tuple(renamed.get(m, m) for m in query.metrics),
            order=tuple(replace(o, field=renamed.get(o.field, o.field)) for o in query.order),
        )

    def _share_over_rows(self, query: SemanticQuery) -> bool:
        """A conditional share of customers combined with related rows (a semi-join, a period
        on other rows): whether those belong to the part or the whole cannot be told apart."""
        shares = [m for m in query.metrics if self.compiler.is_share(m)]
        if not shares or self.compiler.field_table(shares[0]).name != "customer_profile":
            return False
        conditional = query.share_filters or query.share_named_filters
        # with no condition and no breakdown, rows or a period would select the whole: 100 %
        return bool((conditional or not query.dimensions) and (query.related or query.time_range))

    def _compared_conditions(self, pieces: Pieces) -> str | None:
        """ "Weekend vs weekday spend", "discretionary vs non-discretionary": two conditions that
        are not values of one field, compared; both at once would match nothing."""
        for i, word in enumerate(pieces.words):
            if word not in ("vs", "v", "versus"):
                continue
            before = [s for s in pieces.spans if s.end == i]
            after = [s for s in pieces.spans if i < s.start <= i + 2][:1]
            conditions = [
                s
                for s in (*before, *after)
                if s.entry.kind in ("filter", "value") or s.entry.yes_no or s.negated
            ]
            if len(conditions) < 2:
                continue
            first, second = conditions[0], conditions[-1]
            same_field = first.entry.kind == second.entry.kind == "value" and (
                first.entry.name == second.entry.name
            )
            if not same_field:
                a, b = (
                    ("not " if span.negated else "") + " ".join(pieces.words[span.start : span.end])
                    for span in (first, second)
                )
                return (
                    f"Comparing {a} with {b} side by side is not something I can do in one "
                    f"answer yet; ask for each (e.g. '… on {a}' and '… on {b}')."
                )
        return None

    def _ranked_within(self, pieces: Pieces) -> str | None:
        """ "The top category for each state", "the highest spender in every segment": a ranking
        inside each group, which one query here cannot give; asked back, not flattened."""
        ranked = pieces.descending is not None or pieces.limit is not None
        if not ranked:
            return None
        for span in pieces.spans:
            if span.entry.kind != "field" or not set(pieces.before(span, 2)) & {
                "each",
                "every",
                "per",
            }:
                continue
            group = " ".join(pieces.words[span.start : span.end])
            return (
                f"Ranking within each {group} is not something I can do in one answer yet; ask "
                f"for the ranking in one {group} (e.g. 'top categories in Texas') or across all."
            )
        return None

    def _averaged_counts(self, pieces: Pieces) -> list[str]:
        """Aggregation words ("average", "median") right before a count of rows, where the
        count would silently replace the average."""
        found = []
        for span in pieces.spans:
            if span.entry.kind != "metric" or not self._counts_rows(span.entry.name):
                continue
            if pieces.words[span.start] in PEOPLE_NOUNS:
                continue  # "lifetime value of customers": the people, not a count of them
            before = [w for w in pieces.before(span, 3) if w not in DETERMINERS | {"of"}]
            if before and before[-1] in AMOUNT_OF_ROWS:  # "value of declined transactions"
                found.append(before[-1])
        return found

    def _unused_average(self, pieces: Pieces, query: SemanticQuery) -> list[str]:
        """ "The average size of our segments": an average asked for that no measure computes."""
        asked = [w for w in pieces.loose_words if w in ("average", "mean", "median", "typical")]
        if not asked:
            return []
        names = [*query.metrics, *(f.field for f in query.filters), *query.dimensions]
        names += [h.field for r in query.related for h in r.having]
        averaged = any(
            n.startswith(("avg__", "median__"))
            or (n in self.model.metrics and _averages(self.model.metrics[n][1].expr))
            or (n in self.model.fields and self.model.fields[n][1] == "fact")
            for n in names
        )
        medians = [w for w in asked if w in ("median", "typical")]
        if medians:  # "median spend per customer": a mean would answer a different question
            averaged = any(
                n.startswith("median__")
                or (n in self.model.metrics and "median(" in self.model.metrics[n][1].expr.lower())
                for n in names
            )
        return [] if averaged else (medians or asked)[:1]

    def _without_preface(self, question: str) -> tuple[str, str]:
        """ "CFO asking: what share of …": a leading clause (before ':', ' - ', '. ') that names
        nothing in the model is context, not part of the question; the answer says it was set
        aside. A preface that names anything stays part of the question."""
        purpose = PURPOSE.match(question)
        if purpose and not extract(purpose[0], self.lexicon, self.as_of, self.states).spans:
            return question[purpose.end() :], purpose[0].strip()
        match = PREFACE.match(question)
        if match is None:
            return question, ""
        preface, rest = match[1].strip(), match[2].strip()
        pieces = extract(preface, self.lexicon, self.as_of, self.states)
        steering = set(pieces.words) & STEERING_WORDS  # "ignore previous instructions: …"
        # "assuming declined transactions don't count, …": a measure with an operator stays;
        # "txn count jan, feb and mar 2026": so does one whose rest names no measure
        operator = bool(set(pieces.words) & NEGATORS)
        measured = any(s.entry.kind == "metric" for s in pieces.spans)
        after = extract(rest, self.lexicon, self.as_of, self.states)
        rest_measures = after.count_cue or any(  # people alone are no measure
            s.entry.kind == "table"
            or (
                s.entry.kind == "metric"
                and not self._holds_people(self.compiler.field_table(s.entry.name).name)
            )
            for s in after.spans
        )
        restricting = any(s.entry.kind in ("value", "filter") for s in pieces.spans) or (
            measured and (operator or not rest_measures)
        )
        if restricting or pieces.numerics or pieces.periods or steering:
            return question, ""
        unknown = [
            w
            for w in pieces.unknown
            if w.isalpha() and w not in FUNCTION_WORDS and w not in CUE_WORDS
        ]
        if not unknown:
            return question, ""  # it reads as part of the question: keep it
        if not rest:
            return question, ""
        return rest, preface

    def _follow_up(self, pieces: Pieces, previous: SemanticQuery) -> FollowUp:
        update = self._build(pieces)
        if isinstance(update, Parsed):  # alone it would be asked back; its filters still refine
            filters, named, excluded, _ = self._filters(pieces)
            update = SemanticQuery(
                filters=tuple(filters),
                named_filters=tuple(named),
                excluded_named_filters=tuple(excluded),
            )
        _, new_dims, _, _ = self._terms(pieces, self._filters(pieces)[3])
        explicit_metric = any(
            s.entry.kind == "metric" and pieces.words[s.start] not in PEOPLE_NOUNS
            for s in pieces.spans
        )
        swapped = self._swap_counted(previous, update)
        if swapped is not None:
            update, explicit_metric = swapped, True
        if explicit_metric and update.metrics and all(map(self.compiler.is_share, update.metrics)):
            # "as percentages", "share instead": the previous measure as a share, or nothing
            update = self._as_share(previous, update)
            explicit_metric = bool(update.metrics)
        return FollowUp(
            update=update,
            new_dimensions=tuple(new_dims),
            explicit_metric=explicit_metric,
            periods=pieces.periods,
            descending=pieces.descending,
            replaces="instead" in pieces.words,
            limit=pieces.limit,
            default_time=self.model.default_time_field,
            count_metric=(
                self._row_count(previous.subject)
                if pieces.count_cue and previous.subject and not previous.metrics
                else None
            ),
            compares=bool(set(tokens(pieces.question)) & COMPARISON_WORDS),
        )

    def _widened(
        self, pieces: Pieces, merged: SemanticQuery, previous: SemanticQuery
    ) -> SemanticQuery:
        """ "and for all card types?", "across all states", "over all time": the previous
        filter on that field (or period) is lifted; a new breakdown by a field the previous
        question filtered to one value ("for every card type?") shows all of its values."""
        lifted = {
            s.entry.name
            for s in pieces.spans
            if s.entry.kind == "field" and set(pieces.before(s, 2)) & {"all", "any"}
        }
        lifted |= set(merged.dimensions) - set(previous.dimensions)
        filters = tuple(
            f
            for f in merged.filters
            if not (f in previous.filters and f.field in lifted and f.op == "=")
        )
        dimensions = tuple(  # "across all states": the total, not a breakdown by state
            d
            for d in merged.dimensions
            if d in previous.dimensions
            or not any(
                s.entry.name == d and set(pieces.before(s, 2)) & {"all", "any"}
                for s in pieces.spans
            )
        )
        changes: dict[str, object] = {"filters": filters, "dimensions": dimensions}
        if re.search(ALL_TIME, pieces.question):
            changes |= {"time_range": None, "periods": ()}
        return merged.with_changes(**changes)

    def _listed(self, pieces: Pieces, merged: SemanticQuery, follow: FollowUp) -> SemanticQuery:
        """ "How many customers are Declining?" then "which of them have Platinum cards?": the
        people counted, now listed (a question about who, with no measure of its own)."""
        asks_who = pieces.words[:1] in (["which"], ["who"]) or pieces.list_cue
        counted = merged.metrics[:1]
        if not asks_who or follow.explicit_metric or merged.dimensions or len(merged.metrics) != 1:
            return merged
        table = self.compiler.field_table(counted[0]).name
        if not self._holds_people(table) or not self._is_count(counted[0]):
            return merged
        columns = [c for c in DEFAULT_COLUMNS.get(table, ()) if c not in self.private]
        reachable = self.compiler.reachable(table).keys() | {table}
        columns += [
            f.field
            for f in merged.filters
            if f.field not in columns and self.model.fields[f.field][0].name in reachable
        ]
        return merged.with_changes(metrics=(), dimensions=tuple(columns), subject=table)

    def _share_of_selection(self, query: SemanticQuery) -> SemanticQuery | None:
        """ "How many online transactions in 2025?" then "as a percentage of all transactions":
        without a breakdown, what the previous question selected (its value filters) is the
        part and the period the whole; None when nothing would make it less than 100 %."""
        if query.dimensions:
            return query
        part = [f for f in query.filters if not self.compiler.is_metric(f.field)]
        if not part and not query.share_filters and not query.share_named_filters:
            if not query.named_filters:
                return None
            return query.with_changes(
                named_filters=(),
                share_named_filters=(*query.share_named_filters, *query.named_filters),
            )
        return query.with_changes(
            filters=tuple(f for f in query.filters if f not in part),
            share_filters=(*query.share_filters, *part),
        )

    def _as_share(self, previous: SemanticQuery, update: SemanticQuery) -> SemanticQuery:
        """The previous measure's share metric: spend → spend share; a count of rows meeting a
        condition (declined transactions) → the rows' share with that condition as its part.
        No metrics when the previous measure has no share (the follow-up is then asked back)."""
        if len(previous.metrics) != 1 or self.compiler.is_share(previous.metrics[0]):
            return update.with_changes(metrics=())
        measure = previous.metrics[0]
        condition = self.condition_of(measure)
        if condition is not None:
            measure = self._row_count(self.compiler.field_table(measure).name)
        shared = share_of([update.metrics[0], measure], self.compiler, set())
        if len(shared) != 1 or not self.compiler.is_share(shared[0]):
            return update.with_changes(metrics=())
        return update.with_changes(
            metrics=(shared[0],),
            share_filters=(condition,) if isinstance(condition, Filter) else (),
            share_named_filters=(condition,) if isinstance(condition, str) else (),
        )

    def _swap_counted(self, previous: SemanticQuery, update: SemanticQuery) -> SemanticQuery | None:
        """ "How many upgrades …" then "and downgrades?": a value of the field a counted
        condition is about swaps the count, it does not filter the old one to nothing."""
        conditions = [self.condition_of(m) for m in previous.metrics]
        fields = {c.field for c in conditions if isinstance(c, Filter)}
        for flt in update.filters:
            if flt.field not in fields or flt.op != "=":
                continue
            for name in self.model.metrics:
                if self.condition_of(name) == Filter(flt.field, "=", flt.values):
                    rest = tuple(f for f in update.filters if f is not flt)
                    return update.with_changes(metrics=(name,), filters=rest)
        return None

    def _refines_only(self, pieces: Pieces) -> bool:
        """No measure, no count and no list request: "for non-Premium cardholders"."""
        measures = any(
            s.entry.kind == "metric"
            for s in pieces.spans
            if pieces.words[s.start] not in PEOPLE_NOUNS
        )
        facts = any(
            s.entry.kind == "field" and self.model.fields[s.entry.name][1] == "fact"
            for s in pieces.spans
        )
        return not (measures or facts or pieces.count_cue or pieces.list_cue)

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
            return next(m.name for m in table.metrics if self._counts_rows(m.name))
        if self._mentions(pieces, "transactions") and not noun:
            return "transaction_count"
        events = {  # "upgrades per year": values naming events count the events' rows
            self.compiler.field_table(s.entry.name).name
            for s in pieces.spans
            if s.entry.kind == "value"
        }
        people = says_people(pieces)
        if not noun and not people and len(events) == 1:
            table = events.pop()
            if self.model.default_time_field(table):
                return self._row_count(table)
        return "customer_count"

    def _build(self, pieces: Pieces) -> SemanticQuery | Parsed:
        filters, named, excluded, consumed = self._filters(pieces)
        filters, named = self._scope_periods(pieces, filters, named)
        metrics, dims, facts, noun = self._terms(pieces, consumed)
        if pieces.counts_occurrences:  # "how many times did customers shop at Amazon"
            occurrences = self._occurrences(pieces)
            if occurrences is None:
                return Parsed(
                    "clarify",
                    message="How many times of what? Name the event, e.g. "
                    "'purchases', 'declined transactions' or 'card upgrades'.",
                )
            people = {t.name for t in self.model.tables if self._holds_people(t.name)}
            metrics = [occurrences] + [
                m
                for m in metrics
                if not (self._is_count(m) and self.compiler.field_table(m).name in people)
                and m != occurrences
            ]
            noun = False
        counted_first = any(  # "how many limit increases did Premium cardholders get"
            s.entry.kind == "metric"
            and pieces.words[s.start] not in PEOPLE_NOUNS
            and _counted(pieces, s)
            for s in pieces.spans
        )
        if counted_first and not self._people_counted(pieces):
            # "count of declined transactions for customers outside Florida": the rows are
            # counted; the people after them only say whose rows
            first = min(s.start for s in pieces.spans if _counted(pieces, s))
            noun = noun and not all(
                s.start > first for s in pieces.spans if pieces.words[s.start] in PEOPLE_NOUNS
            )
        noun = noun or any(  # "the most valuable customer", "Premium customers": a phrase that
            pieces.words[s.end - 1] in PEOPLE_NOUNS  # ends with people names them
            for s in pieces.spans
            if s.entry.name in pieces.absorbed or (s.entry.kind == "filter" and not counted_first)
        )
        superlative = pieces.descending is not None or any(
            set(pieces.words[s.start : s.end]) & (DESC_WORDS | ASC_WORDS)
            for s in pieces.spans
            if s.entry.kind == "metric"
        )
        if pieces.descending is None and pieces.words[:1] in (["which"], ["what"]) and superlative:
            # "which merchant had the single biggest purchase": the superlative inside the
            # measure's name ranks the groups asked for
            inside = {
                w
                for s in pieces.spans
                if s.entry.kind == "metric"
                for w in pieces.words[s.start : s.end]
            }
            pieces.descending = not inside & ASC_WORDS or bool(inside & DESC_WORDS)
        asks_who = (
            (  # "who made the biggest purchase", "which customer made …"
                pieces.words[:1] == ["who"]
                or (
                    pieces.words[:1] == ["which"]
                    and pieces.words[1:2]
                    and pieces.words[1] in PEOPLE_NOUNS
                )
            )
            and superlative
        )
        noun = noun or asks_who  # "who made the biggest purchase": a person, ranked
        metrics, filters = self._coordinated_counts(pieces, metrics, filters)
        if noun:  # "customers who had a declined transaction"; "the most declined …" ranks
            metrics = self._counts_as_conditions(metrics, filters, named, pieces)
        metrics = share_of(metrics, self.compiler, pieces.absorbed)
        having = any(self.compiler.is_metric(f.field) for f in filters)
        if (
            pieces.count_cue
            and dims
            and (self._distinct_before(pieces, dims[0]) or self._counted_dimension(pieces, dims[0]))
            and (all(self._is_count(m) for m in metrics) or "how many different" in pieces.lowered)
            and not having  # "number of states with more than 20 customers" counts the groups
        ):
            # "how many different states do customers live in", "how many different categories
            # show up in his transactions": a distinct count, no breakdown; rows named after
            # it are where to count, not a second measure
            metrics, dims = [f"count_distinct__{dims[0]}"], dims[1:]
        filters = self._from_to(pieces, filters)
        if set(pieces.words) & (COMPARISON_WORDS | {"between"}):
            # "compare between weekends and weekdays": both sides of the breakdown, not one
            filters = [f for f in filters if not (f.field in dims and f.op == "=")]
            named = [n for n in named if not self._same_columns(n, dims)]
        # "California vs Texas", "Washington and Oregon": the values side by side;
        # "medium or high risk" is one set
        if "or" not in pieces.words or set(pieces.words) & COMPARISON_WORDS:
            by_values = {f.field for f in filters if len(f.values) > 1 and f.op == "in"}
            dims += [d for d in by_values if d not in dims]
        soft = [m for m in metrics if self._metric_fact(m) in facts]
        hard = [m for m in metrics if m not in soft]
        counting = (
            pieces.count_cue
            or any(self.counted_table(pieces, s) for s in pieces.spans)
            or any(  # "unique customers who …": a count of them
                pieces.before(s)[-1:] and pieces.before(s)[-1] in DISTINCT_WORDS
                for s in pieces.spans
                if pieces.words[s.start] in PEOPLE_NOUNS
            )
        )
        if not metrics and not facts and pieces.question.lstrip().startswith("how much"):
            money = self._event_money(pieces)  # "how much did we get from United Way?"
            if money is None:
                return Parsed("clarify", message="How much of what? e.g. spend or transactions.")
            metrics, hard = [money], [money]
        # "new accounts opened in 2023 vs 2024": people compared across periods are counted
        listing = noun and not hard and not counting and not dims and len(pieces.periods) < 2
        compared = len(pieces.periods) > 1
        asks_rows = (  # "customers in Texas", "list Premium cardholders", "transactions over $5k"
            pieces.list_cue
            or noun
            or any(e.kind == "table" for s in pieces.spans for e in s.entries)
            or bool(facts)
            or any(  # "High-Value Travelers": a value that is itself a plural noun
                s.entry.kind == "value" and s.plural and str(s.entry.value).lower().endswith("s")
                for s in pieces.spans
            )
        )
        if (listing or (not metrics and not dims and not counting)) and not asks_rows:
            return Parsed(  # "what's the number for Texas?", "Compare Platinum."
                "clarify",
                message="What would you like to know about that? e.g. the number of customers, "
                "their spend, or a list of them.",
            )
        if listing or (
            not metrics and not dims and not counting and not pieces.grain and not compared
        ):
            return self._listing(pieces, filters, named, excluded, facts, dims, consumed)
        grouped_having = [f.field for f in filters if self.compiler.is_metric(f.field)]
        if not metrics and dims and grouped_having:
            # "states with total spend over $1M": the groups' own measure, filtered (HAVING).
            metrics = grouped_having[:1]
        if not metrics:
            metrics = (
                [f"avg__{facts[0]}"]
                if facts and not pieces.count_cue
                else [self._count_metric(pieces, noun)]
            )
        base = self.compiler.field_table(metrics[0]).name
        metrics = [m for m in metrics if self.compiler.field_table(m).name == base] or metrics
        if (
            noun
            and not dims
            and not self._people_counted(pieces)
            and (pieces.descending is not None or pieces.limit or asks_who)
        ):
            # "top 5 customers by spend in 2025": rank customers by a measure of their rows.
            key = self._key_towards(base, "customer_profile")
            if key:
                dims = [key]
                customer = next(
                    (s for s in pieces.spans if pieces.words[s.start] in PEOPLE_NOUNS),
                    None,
                )
                if pieces.limit is None and customer is not None:
                    pieces.limit = PLURAL_LIMIT if customer.plural else SINGULAR_LIMIT
                elif pieces.limit is None and asks_who:
                    pieces.limit = SINGULAR_LIMIT
        return self._aggregate(pieces, base, metrics, dims, filters, named, excluded)

    def _scope_periods(
        self, pieces: Pieces, filters: list[Filter], named: list[str]
    ) -> tuple[list[Filter], list[str]]:
        """With several periods, one written right after a date field or an event belongs to it:
        "customers who opened accounts in 2024 … spent in 2026" (2024 is the opening date),
        "2025 spend of customers who were downgraded in 2026" (the downgrade in 2026). Such a
        period filters that date or the event's rows; the others stay periods."""
        if set(tokens(pieces.question)) & COMPARISON_WORDS:
            return filters, named  # "opened in 2023 vs 2024" compares; nothing to scope
        if len(pieces.periods) == 1 and not self._event_then_measure(pieces):
            return filters, named
        if not pieces.periods:
            return filters, named
        kept_periods = []
        for period in pieces.periods:
            owner = self._period_owner(pieces, pieces.period_at.get(period))
            if owner is None or (period.start is None and period.end is None):
                kept_periods.append(period)
                continue
            entry = owner.entry
            kind = self.model.fields[entry.name][1] if entry.name in self.model.fields else ""
            if entry.kind == "field" and kind == "time_dimension":
                bounds = [(">=", period.start), ("<", period.end)]
                filters = filters + [Filter(entry.name, op, (d,)) for op, d in bounds if d]
                pieces.absorbed.add(entry.name)
                continue
            table = self.compiler.field_table(entry.name).name
            time = self.model.default_time_field(table)
            if time is None:
                kept_periods.append(period)
                continue
            as_value = self._value_filter(entry.name) if entry.kind == "filter" else None
            own = [  # the event's own condition only: "opened before 2020" is not the increase
                f
                for f in filters
                if (f.field == entry.name and entry.value in (*f.values, None))
                or (
                    as_value is not None
                    and f.field == as_value.field
                    and f.values == as_value.values
                )
            ]
            own_named = [n for n in named if n == entry.name]
            window = TimeRange(time, period.start, period.end, period.label)
            pieces.scoped.append(Related(table, tuple(own), tuple(own_named), window))
            filters = [f for f in filters if f not in own]
            named = [n for n in named if n not in own_named]
        pieces.periods = tuple(kept_periods)
        return filters, named

    def _same_columns(self, named: str, dims: list[str]) -> bool:
        """Whether a named filter reads the same columns as one of the breakdown's dimensions
        ("weekdays only" and "is weekend" both read the transaction date)."""
        own = columns_of(self.model.named_filters[named][1].expr)
        return any(
            own & columns_of(self.model.fields[d][2].expr) for d in dims if d in self.model.fields
        )

    def _event_then_measure(self, pieces: Pieces) -> bool:
        """ "Spend by customers who upgraded in 2025": one period, written right after an event
        of one table, in a question measuring another table's rows."""
        period = pieces.periods[0]
        owner = self._period_owner(pieces, pieces.period_at.get(period))
        if owner is None or owner.entry.kind not in ("filter", "value"):
            return False
        table = self.compiler.field_table(owner.entry.name).name
        if self.model.default_time_field(table) is None or self._holds_people(table):
            return False
        measured = {
            self.compiler.field_table(s.entry.name).name
            for s in pieces.spans
            if s.entry.kind == "metric" and pieces.words[s.start] not in PEOPLE_NOUNS
        }
        return any(t != table and not self._holds_people(t) for t in measured)

    def _period_owner(self, pieces: Pieces, position: int | None) -> Span | None:
        """The date field or event phrase a period follows, past "their account(s)"."""
        if position is None:
            return None
        for span in sorted(pieces.spans, key=lambda s: -s.end):
            if span.end > position:
                continue
            between = pieces.words[span.end : position]
            if any(w not in DETERMINERS and w not in PERIOD_LINKS for w in between):
                return None
            if span.entry.kind == "table":
                continue  # "opened their accounts in 2024"
            time_field = span.entry.kind == "field" and (
                self.model.fields[span.entry.name][1] == "time_dimension"
            )
            event = span.entry.kind in ("value", "filter") and self.model.default_time_field(
                self.compiler.field_table(span.entry.name).name
            )
            return span if time_field or event else None
        return None

    def _from_to(self, pieces: Pieces, filters: list[Filter]) -> list[Filter]:
        """ "Upgraded from Standard to Premium": the first value is the previous version's
        (the field whose column is `previous_<column>`), the second the new one's."""
        spans = {s.entry.value: s for s in pieces.spans if s.entry.kind == "value"}
        out = []
        for flt in filters:
            single = spans.get(flt.values[0]) if flt.op == "=" else None
            pair = self._previous_pair(flt.field) if single else None
            changed = pair is not None and any(  # a change of the versions table is named
                s.entry.kind in ("filter", "value")
                and self.compiler.field_table(s.entry.name).name
                == self.compiler.field_table(pair[0]).name
                for s in pieces.spans
            )
            if single and changed and pieces.before(single)[-1:] in (["from"], ["off"]):
                # "downgraded off a Platinum card": the card before the change
                out.append(Filter(pair[0], "=", flt.values))
                continue
            first = spans.get(flt.values[0]) if flt.op == "in" and len(flt.values) == 2 else None
            second = spans.get(flt.values[1]) if first else None
            moved = (
                first is not None
                and second is not None
                and pieces.before(first)[-1:] == ["from"]
                and pieces.words[first.end : second.start] in (["to"], ["into"], ["up", "to"])
            )
            pair = self._previous_pair(flt.field) if moved else None
            if pair is None:
                out.append(flt)
                continue
            previous, current = pair
            out += [Filter(previous, "=", (flt.values[0],)), Filter(current, "=", (flt.values[1],))]
        return out

    def _previous_pair(self, name: str) -> tuple[str, str] | None:
        """The (previous, new) fields of the versions table for `name`'s column, if any."""
        column = self.model.fields[name][2].expr
        for previous, (table, _, col) in self.model.fields.items():
            if col.expr != f"previous_{column}":
                continue
            current = next((c.name for _, c in table.columns() if c.expr == column), None)
            if current:
                return previous, current
        return None

    def _coordinated_counts(
        self, pieces: Pieces, metrics: list[str], filters: list[Filter]
    ) -> tuple[list[str], list[Filter]]:
        """ "approved and declined transactions": a value coordinated with a counted condition
        on the same field is another count (approved_transaction_count), not a filter that
        would leave the other count at zero."""
        for span in pieces.spans:
            condition = self.condition_of(span.entry.name) if span.entry.kind == "metric" else None
            if not isinstance(condition, Filter):
                continue
            for value in pieces.spans:
                first, last = sorted((value, span), key=lambda sp: sp.start)
                between = pieces.words[first.end : last.start]
                if value.entry.kind != "value" or value.entry.name != condition.field:
                    continue
                if not between or not set(between) <= {"and", "or", "vs", "versus"}:
                    continue
                twin = self._count_of(Filter(condition.field, "=", (value.entry.value,)))
                if twin is None:
                    continue
                metrics = [twin, *metrics] if value is first else [*metrics, twin]
                filters = [f for f in filters if f.field != condition.field]
        if metrics or says_people(pieces):
            return metrics, filters
        for span in pieces.spans:  # "card upgrades by state": the upgrades are counted
            as_value = self._value_filter(span.entry.name) if span.entry.kind == "filter" else None
            twin = self._count_of(as_value) if as_value and span.plural else None
            if twin and as_value:
                return [twin], [f for f in filters if f != as_value]
        if not pieces.grain:
            return metrics, filters
        # "upgrades and downgrades per year": values that each have their own count are counts,
        # one column each per period
        for flt in filters:
            twins = [self._count_of(Filter(flt.field, "=", (v,))) for v in flt.values]
            if flt.op == "in" and all(twins):
                metrics = [t for t in twins if t]
                filters = [f for f in filters if f is not flt]
                break
        return metrics, filters

    def _count_of(self, condition: Filter) -> str | None:
        """The model's metric counting rows that meet `condition` (downgrade_count)."""
        return next((m for m in self.model.metrics if self.condition_of(m) == condition), None)

    def _counts_as_conditions(
        self, metrics: list[str], filters: list[Filter], named: list[str], pieces: Pieces
    ) -> list[str]:
        """ "How many customers had a declined transaction": with customers as the subject, a
        count of other rows meeting a condition is that condition on the customers' rows."""
        kept = []
        ranking = pieces.descending is not None or pieces.limit is not None
        ranked = {  # "the most declined transactions", "top 4 customers by number of declined
            s.entry.name  # transactions": a count to rank by, not a condition
            for s in pieces.spans
            if s.entry.kind == "metric"
            and (
                set(pieces.before(s, 1)) & COUNT_SUPERLATIVES
                or (ranking and "by" in pieces.before(s, 3))
            )
        }
        for metric in metrics:
            table = self.compiler.field_table(metric).name
            counted = table != "customer_profile" and metric not in ranked
            condition = self.condition_of(metric) if counted else None
            restricted = any(  # the counted rows are restricted by a value or a period
                self.compiler.via(table, self.compiler.field_table(f.field).name) is not None
                for f in filters
            ) or bool(pieces.periods)
            if isinstance(condition, Filter):
                filters.append(condition)
            elif isinstance(condition, str):
                named.append(condition)
            elif counted and self._people_counted(pieces) and restricted and self._is_count(metric):
                # "how many customers had transactions at Hilton": the rows exist; not a count
                continue
            else:
                kept.append(metric)
        return kept

    def _counted_dimension(self, pieces: Pieces, dimension: str) -> bool:
        """ "How many merchants are there", "number of cities": the dimension's values counted."""
        return any(
            s.entry.name == dimension and pieces.before(s, 2) in COUNT_PAIRS for s in pieces.spans
        )

    def _people_counted(self, pieces: Pieces) -> bool:
        """ "How many customers …", "number of cardholders …": the people are what is counted."""
        return any(
            pieces.words[s.start] in PEOPLE_NOUNS and pieces.before(s, 2) in COUNT_PAIRS
            for s in pieces.spans
        )

    def _distinct_before(self, pieces: Pieces, dimension: str) -> bool:
        """ "different states": a distinct word right before the dimension."""
        return any(
            s.entry.name == dimension
            and pieces.before(s)[-1:]
            and pieces.before(s)[-1] in DISTINCT_WORDS
            for s in pieces.spans
        )

    def _key_towards(self, table: str, entity: str) -> str | None:
        """The column of `table` that points at rows of `entity` ("transaction_customer_id")."""
        for rel in self.model.relationships:
            if rel.left_table == table and rel.right_table == entity:
                return rel.relationship_columns[0].left_column
        return None

    def _aggregate(
        self,
        pieces: Pieces,
        base: str,
        metrics: list[str],
        dims: list[str],
        filters: list[Filter],
        named: list[str],
        excluded: list[str],
    ) -> SemanticQuery | Parsed:
        timed = apply_periods(self, pieces, base, filters, named, self.as_of, dims)
        if isinstance(timed, Parsed):
            return timed
        ranges, notes = timed
        period_part: list[Filter] = []
        overlap = next(
            ((a, b) for i, a in enumerate(ranges) for b in ranges[i + 1 :] if _overlap(a, b)), None
        )
        if overlap is not None:
            outer, inner = overlap if _within(overlap[1], overlap[0]) else overlap[::-1]
            if len(ranges) != 2 or not _within(inner, outer):
                return Parsed("clarify", message=_OVERLAP.format(inner=inner, outer=outer))
            if not any(self.compiler.is_share(m) for m in metrics):
                return Parsed("clarify", message=_OVERLAP.format(inner=inner, outer=outer))
            # "what share of 2025 spend happened in December": the part in the inner period
            bounds = [(">=", inner.start), ("<", inner.end)]
            period_part = [Filter(inner.field, op, (d,)) for op, d in bounds if d is not None]
            ranges = (outer,)
        # "customers who made purchases each month": the grain of the rows the period is on
        default_time = self.model.default_time_field(base) or (ranges[0].field if ranges else None)
        if pieces.grain and not default_time and not pieces.pick_one:
            return Parsed(
                "clarify",
                message=f"By {pieces.grain} of what? Customer attributes have no date of their "
                "own; ask about spend or transactions by period, or name the date (e.g. "
                "accounts opened by year).",
            )
        grain = pieces.grain if default_time else None
        if grain and default_time:
            dims = [default_time, *dims]
        order: tuple[Order, ...] = ()
        limit = pieces.limit
        comparing = len(ranges) > 1
        direction = change_direction(pieces) if comparing and dims else None
        if direction is not None:
            # "which categories saw spend fall": the groups whose change has that sign.
            filters = [*filters, Filter("change", direction, (0,))]
            order = (Order("change", direction == ">"),)
        elif (
            comparing
            and dims
            and (pieces.descending is not None or pieces.loose_words & CHANGE_WORDS)
        ):
            # "the biggest drop" is the most negative change; "the biggest increase" the largest.
            drop = bool(set(pieces.words) & DROP_WORDS)
            biggest = pieces.descending is not False
            order = (Order("change", biggest != drop),)
            limit = limit or superlative_limit(self, pieces, dims)
        elif pieces.descending is not None and not comparing:
            order = (Order(metrics[0], pieces.descending),)
            limit = limit or (superlative_limit(self, pieces, dims) if dims else None)
        elif dims and not grain and not comparing and not self.compiler.natural_order(dims[0]):
            order = (Order(metrics[0], True),)  # a calendar breakdown reads in calendar order
        filters, related = self._both(pieces, base, filters)
        absent = self._absent_rows(pieces, base, filters, ranges)
        if isinstance(absent, Parsed):
            return absent
        related, ranges = self._within_period((*related, *absent), ranges, base)
        related = (*related, *pieces.scoped)
        if not pieces.at_the_time:
            filters, named, events = self._customer_events(base, filters, named)
            related = (*related, *events)
        dims = [d for d in dims if not any(r.filters and r.filters[0].field == d for r in related)]
        if pieces.at_the_time:
            dims, filters = self._as_they_were(pieces, base, dims, filters)
        conditions = [self.condition_of(m) for m in metrics]
        # Groups of the counted rows' own fields are the rows meeting the condition ("upgrades
        # by previous card type"); groups of another table (categories) are shown with zeros.
        own = [self.compiler.field_table(d).name == base for d in dims]
        if (grain or (dims and all(own))) and not comparing and conditions and all(conditions):
            # "number of downgrades by year": the periods when there were any; the dates of
            # other rows (account openings) say nothing about downgrades. Several counts on
            # one field ("upgrades and downgrades"): the rows meeting any of them.
            fields = {c.field for c in conditions if isinstance(c, Filter)}
            if len(conditions) == 1 and isinstance(conditions[0], str):
                named = [*named, conditions[0]]
            elif len(fields) == 1 and all(
                isinstance(c, Filter) and c.op == "=" for c in conditions
            ):
                values = tuple(v for c in conditions if isinstance(c, Filter) for v in c.values)
                field = fields.pop()
                filters = [*filters, Filter(field, "in" if len(values) > 1 else "=", values)]
        if not dims and not comparing:
            order = ()
        counted_groups = bool(dims) and any(
            s.entry.kind == "field"
            and s.entry.name == dims[0]
            and pieces.before(s, 2) in COUNT_PAIRS
            for s in pieces.spans
        )
        query = SemanticQuery(
            count_rows=counted_groups and any(self.compiler.is_metric(f.field) for f in filters),
            related=related,
            metrics=tuple(dict.fromkeys(metrics)),
            dimensions=tuple(dict.fromkeys(dims)),
            filters=tuple(filters),
            named_filters=tuple(dict.fromkeys(named)),
            excluded_named_filters=tuple(dict.fromkeys(excluded)),
            time_range=ranges[0] if len(ranges) == 1 else None,
            periods=ranges if comparing else (),
            grain=grain,
            order=order,
            limit=limit,
            notes=tuple(notes) + self._assumptions(base, dims, filters),
        )
        query = make_conditional(query, pieces, self.compiler)
        if period_part:
            query = query.with_changes(share_filters=(*query.share_filters, *period_part))
        return query

    def _both(
        self, pieces: Pieces, base: str, filters: list[Filter]
    ) -> tuple[list[Filter], tuple[Related, ...]]:
        """ "Customers who used both Mobile and Online": one related row for each value, not
        one row with both (which no single transaction has)."""
        if "both" not in pieces.words:
            return filters, ()
        kept, related = [], []
        for flt in filters:
            table = self.compiler.field_table(flt.field).name
            via = self.compiler.via(base, table) if table != base else None
            if flt.op == "in" and via:
                related += [
                    Related(via, filters=(Filter(flt.field, "=", (v,)),)) for v in flt.values
                ]
            else:
                kept.append(flt)
        return kept, tuple(related)

    def _absent_rows(
        self, pieces: Pieces, base: str, filters: list[Filter], ranges: tuple[TimeRange, ...]
    ) -> tuple[Related, ...] | Parsed:
        """The anti-joins the question asks for, or the question back when they cannot be
        placed, or clash with rows that must exist ("bought airline tickets in 2025 but no
        airline transactions in 2026": which rows, in which period, is more than one query)."""
        absent = self._no_rows(pieces, base)
        if absent is None:
            return Parsed("clarify", message=NO_ROWS_UNPLACED)
        denied = {f for r in absent for f in r.filters}
        if absent and (len(ranges) > 1 or denied & set(filters)):
            return Parsed("clarify", message=NO_ROWS_AND_ROWS)
        return absent

    def _no_rows(self, pieces: Pieces, base: str) -> tuple[Related, ...] | None:
        """ "Customers who had no transactions in June": none of the named table's rows point to
        them (an anti-join; the period, if any, applies inside it)."""
        found = []
        absent = [s for s in pieces.spans if s.absent]
        for span in pieces.spans:
            table = next((e.name for e in span.entries if e.kind == "table"), None)
            metric = next((e.name for e in span.entries if e.kind == "metric"), None)
            if table is None and metric is not None and span.negated:
                table = self.compiler.field_table(metric).name  # "no travel spend"
            if not span.negated or table is None or table == base:
                continue
            if self.compiler.via(base, table) == table:
                values = [s for s in absent if s.start < span.start]
                absent = [s for s in absent if s not in values]
                condition = self.condition_of(metric) if metric else None
                extra = (condition,) if isinstance(condition, Filter) else ()
                filters = (*self._absent_filters(values), *extra)
                found.append(Related(table, filters=filters, negated=True))
        for table, values in self._by_event_table(absent).items():  # "never used Online"
            # "spend by customers who never used Online": rows of the same table, related
            # through the customer they belong to
            through = table == base and says_people(pieces)
            if through or self.compiler.via(base, table) == table:
                absent = [s for s in absent if s not in values]
                found.append(Related(table, filters=self._absent_filters(values), negated=True))
        if absent:
            return None
        return tuple(found)

    def _absent_filters(self, spans: list[Span]) -> tuple[Filter, ...]:
        """The conditions of rows that do not exist: one per field, several values in a list."""
        values: dict[str, list[object]] = {}
        for span in spans:
            values.setdefault(span.entry.name, []).append(span.entry.value)
        return tuple(
            Filter(f, "=", (v[0],)) if len(v) == 1 else Filter(f, "in", tuple(v))
            for f, v in values.items()
        )

    def _by_event_table(self, spans: list[Span]) -> dict[str, list[Span]]:
        """Values grouped by the dated table whose rows carry them (through its relations)."""
        grouped: dict[str, list[Span]] = {}
        for span in spans:
            table = self.compiler.field_table(span.entry.name).name
            events = [
                t.name
                for t in self.model.tables
                if self.model.default_time_field(t.name) is not None
                and not self._holds_people(t.name)
                and table in self.compiler.reachable(t.name).keys() | {t.name}
            ]
            if len(events) == 1:
                grouped.setdefault(events[0], []).append(span)
        return grouped

    def _customer_events(
        self, base: str, filters: list[Filter], named: list[str]
    ) -> tuple[list[Filter], list[str], tuple[Related, ...]]:
        """ "Spend of customers who got a limit increase": a change event is the customer's, not
        the version a transaction was made on; it relates rows through the customer. Fields that
        mirror a current attribute ("card type at the time") keep their meaning."""

        def event(name: str) -> str | None:
            if name in self.model.fields:
                table, _, column = self.model.fields[name]
                mirrored = any(  # history_card_type mirrors card_type: a state, not an event
                    t.name != table.name and c.expr == column.expr
                    for t, _, c in self.model.fields.values()
                )
            else:
                table, mirrored = self.model.named_filters[name][0], False
            if table.name == base or mirrored or not self.model.default_time_field(table.name):
                return None
            return table.name if table.name in self.compiler.reachable(base) else None

        moved_filters = [f for f in filters if f.field in self.model.fields and event(f.field)]
        moved_named = [n for n in named if event(n)]
        if not moved_filters and not moved_named:
            return filters, named, ()
        tables = {event(f.field) for f in moved_filters} | {event(n) for n in moved_named}
        events = tuple(
            Related(
                t,
                tuple(f for f in moved_filters if event(f.field) == t),
                tuple(n for n in moved_named if event(n) == t),
            )
            for t in sorted(x for x in tables if x)
        )
        kept = [f for f in filters if f not in moved_filters]
        return kept, [n for n in named if n not in moved_named], events

    def _within_period(
        self, related: tuple[Related, ...], ranges: tuple[TimeRange, ...], base: str
    ) -> tuple[tuple[Related, ...], tuple[TimeRange, ...]]:
        """ "Both online and in-store during May": each related row is in the period, not a
        third condition that some row is."""
        if len(ranges) != 1 or not related or any(r.table == base for r in related):
            return related, ranges  # "2026 spend of customers who never …": the period is the
            # measure's own rows, which the related rows are a condition on
        table = self.compiler.field_table(ranges[0].field).name
        if any(r.table != table for r in related):
            return related, ranges
        return tuple(replace(r, time_range=ranges[0]) for r in related), ()

    def _as_they_were(
        self, pieces: Pieces, base: str, dims: list[str], filters: list[Filter]
    ) -> tuple[list[str], list[Filter]]:
        """ "At the time of purchase": each current attribute read from the table of versions
        the fact points to instead — the field there with the same column."""
        reachable = self.compiler.reachable(base)

        def twin(name: str) -> str:
            table, _, column = self.model.fields[name]
            for other, (other_table, kind, other_column) in self.model.fields.items():
                if (
                    other_table.name != table.name
                    and other_table.name in reachable
                    and table.name in reachable
                    and other_column.expr == column.expr
                    and kind == self.model.fields[name][1]
                ):
                    pieces.absorbed.add(name)  # read through its twin
                    return other
            return name

        return [twin(d) for d in dims], [replace(f, field=twin(f.field)) for f in filters]

    def _assumptions(self, base: str, dims: list[str], filters: list[Filter]) -> tuple[str, ...]:
        """Say when a fact is described by its customer's attributes as they are today."""
        if base == "customer_profile" or self._key_towards(base, "customer_profile") is None:
            return ()
        described = [
            n
            for n in (*dims, *(f.field for f in filters))
            if n in self.model.fields and self.model.fields[n][0].name == "customer_profile"
        ]
        if not described:
            return ()
        names = ", ".join(dict.fromkeys(n.replace("_", " ") for n in described))
        return (f"{names} is the customer's current one, not the one at the time",)

    def _listing(
        self,
        pieces: Pieces,
        filters: list[Filter],
        named: list[str],
        excluded: list[str],
        facts: list[str],
        dims: list[str],
        consumed: set[int],
    ) -> SemanticQuery | Parsed:
        # "customers with more than 100 transactions": that "transactions" is a fact, not the rows.
        rows_of_transactions = any(
            e.kind == "table" and e.name == "transactions"
            for i, s in enumerate(pieces.spans)
            if i not in consumed
            for e in s.entries
        ) or any(  # "transactions over $500": a condition on each transaction's own amount
            f.field in self.model.fields
            and self.model.fields[f.field][0].name == "transactions"
            and self.model.fields[f.field][1] == "fact"
            for f in filters
        )
        people_first = next(  # "which customers … on airline tickets": people are listed
            (
                pieces.words[s.start] in PEOPLE_NOUNS
                for s in pieces.spans
                if s.entry.kind != "value"
            ),
            False,
        )
        base = "transactions" if rows_of_transactions and not people_first else "customer_profile"
        columns = [c for c in DEFAULT_COLUMNS[base] if c not in self.private]
        mentioned = [*dims, *facts, *(f.field for f in filters)]
        reachable = self.compiler.reachable(base).keys() | {base}
        columns += [
            c
            for c in mentioned
            if c not in columns
            and c in self.model.fields
            and self.model.fields[c][0].name in reachable
        ]
        order: tuple[Order, ...] = ()
        limit = pieces.limit
        if pieces.descending is not None and not facts:
            options = ", ".join(CLARIFY_OPTIONS)
            return Parsed("clarify", message=f"Ranked by which measure? e.g. {options}.")
        by_fact = [
            " ".join(pieces.words[s.start : s.end])
            for s in pieces.spans
            if s.entry.name in facts and pieces.before(s)[-1:] == ["by"]
        ]
        if by_fact and pieces.descending is None and pieces.limit is None:
            return Parsed(  # "customers by age": ranked by it, or counted in its bands?
                "clarify",
                message=f"'by {by_fact[0]}': a list sorted by {by_fact[0]}, or a count of "
                f"customers per band of it? e.g. 'top 20 customers by {by_fact[0]}' or "
                "'customers by age band'.",
            )
        if pieces.grain:
            return Parsed(  # "customers who buy groceries weekly": a list has no periods
                "clarify",
                message=f"A list of rows has no breakdown by {pieces.grain}; did you mean a count "
                f"per {pieces.grain} (e.g. 'number of customers by {pieces.grain}'), or rows in "
                f"every {pieces.grain} (which I cannot compute yet)?",
            )
        if facts:
            order = (Order(facts[0], pieces.descending is not False),)
            # the last phrase naming people is the subject: "… who is the most valuable customer"
            people = [s for s in pieces.spans if set(pieces.words[s.start : s.end]) & PEOPLE_NOUNS]
            singular = bool(people) and not people[-1].plural
            limit = limit or (SINGULAR_LIMIT if singular else PLURAL_LIMIT)
        timed = apply_periods(self, pieces, base, filters, named, self.as_of)
        if isinstance(timed, Parsed):
            return timed
        ranges, notes = timed
        if len(ranges) > 1:
            return Parsed("clarify", message="Compare the periods on a measure, e.g. total spend.")
        filters, related = self._both(pieces, base, filters)
        absent = self._absent_rows(pieces, base, filters, ranges)
        if isinstance(absent, Parsed):
            return absent
        related, ranges = self._within_period((*related, *absent), ranges, base)
        related = (*related, *pieces.scoped)
        return SemanticQuery(
            related=related,
            dimensions=tuple(columns),
            filters=tuple(filters),
            named_filters=tuple(named),
            excluded_named_filters=tuple(excluded),
            time_range=ranges[0] if ranges else None,
            order=order,
            limit=limit,
            subject=base,
            notes=tuple(notes),
        )


def _contradiction(filters: tuple[Filter, ...]) -> str | None:
    """Two conditions on one field that no row meets together (yes and no, A and B)."""
    equal: dict[str, set[object]] = {}
    unequal: dict[str, set[object]] = {}
    for flt in filters:
        if flt.op == "=":
            equal.setdefault(flt.field, set()).add(flt.values[0])
        elif flt.op == "!=":
            unequal.setdefault(flt.field, set()).add(flt.values[0])
    for field, values in equal.items():
        if len(values) > 1 or values & unequal.get(field, set()):
            shown = " and ".join(sorted({str(v) for v in values | unequal.get(field, set())}))
            return f"{field.replace('_', ' ')} {shown}"
    return None


def _averages(expr: str) -> bool:
    text = expr.lower().replace(" ", "")
    return "avg(" in text or "median(" in text or "/" in text


def _relative_to(question: str, previous: SemanticQuery) -> str:
    """ "What about the quarter before that?": the calendar unit before (or after) the previous
    answer's period, written out as dates."""
    match = BEFORE_THAT.search(question)
    window = previous.time_range
    if match is None or window is None or window.start is None or window.end is None:
        return question
    months = {"month": 1, "quarter": 3, "year": 12}[match[1]]
    step = relativedelta(months=months if match[2] == "after" else -months)
    start, end = window.start + step, window.end + step - timedelta(days=1)
    dates = f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    return f"{question[: match.start()]}{dates}{question[match.end() :]}"


_OVERLAP = (
    "{inner.label} and {outer.label} overlap, so they cannot be compared side by side; ask for "
    "each, or for the share of one in the other (e.g. 'what share of {outer.label} spend was in "
    "{inner.label}')."
)


def _within(inner: TimeRange, outer: TimeRange) -> bool:
    """Whether `inner` lies inside `outer` (open ends reach the start or end of the data)."""
    starts = outer.start is None or (inner.start is not None and inner.start >= outer.start)
    ends = outer.end is None or (inner.end is not None and inner.end <= outer.end)
    return starts and ends and inner.field == outer.field


def _overlap(a: TimeRange, b: TimeRange) -> bool:
    before = a.end is not None and b.start is not None and a.end <= b.start
    after = b.end is not None and a.start is not None and b.end <= a.start
    return a.field == b.field and not before and not after


def _says_more(pieces: Pieces) -> bool:
    """Whether a follow-up says anything a query could change: a name from the model, a
    number, a period, a grain, a ranking or a measure word."""
    measure_words = set(AGG_WORDS) | MEASURE_CUES | {"percentage", "percentages", "median"}
    return bool(
        pieces.spans
        or pieces.numerics
        or pieces.periods
        or pieces.grain
        or pieces.limit
        or pieces.descending is not None
        or set(pieces.words) & measure_words
    )


def _counted(pieces: Pieces, span: Span) -> bool:
    """ "how many upgrades", "the number of upgrades": a count cue right before the span, or
    the start of its own phrase."""
    own = pieces.words[span.start : span.start + 2]
    return pieces.before(span, 2) in COUNT_PAIRS or own in COUNT_PAIRS


def _links(pieces: Pieces, i: int) -> bool:
    """ "customers (who) fall into the Declining segment": with people as its subject and a
    place after it, a change verb says where they are, not that a measure changed."""
    people = pieces.words[i - 1 : i] and pieces.words[i - 1] in PEOPLE_NOUNS | {"who", "that"}
    return bool(people) and pieces.words[i + 1 : i + 2] in (["in"], ["into"], ["under"])


def _unknown_message(unknown: tuple[str, ...]) -> str:
    if unknown:
        return (
            f"I did not understand {' '.join(repr(w) for w in unknown)}: the semantic model has "
            "nothing by that name, so I cannot answer without guessing."
        )
    return "That question is outside the customer, transaction and spending data I can query."
