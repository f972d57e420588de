"""What a question's pieces mean: metrics, group-by dimensions, facts, filters and numbers."""

from __future__ import annotations

from sqlglot import exp

from customer360.assistant.pieces import AGG_WORDS, COUNT_PAIRS, GROUP_CUES, Numeric, Pieces, Span
from customer360.assistant.words import PEOPLE_NOUNS, PURCHASE_NOUN, PURCHASE_VERBS
from customer360.semantic.compiler import Compiler
from customer360.semantic.expressions import normalised, parsed
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import Filter, Value

# Words between a dimension and its value: "the state of Texas", "states other than Texas".
QUALIFIER_LINKS = frozenset({"of", "other", "than", "not", "except", "excluding", "outside", "in"})


# Superlatives before a table's rows: "the biggest purchase" is the largest amount.
EXTREME_WORDS = {"largest": "max", "biggest": "max", "smallest": "min"}

# Verbs asking for the groups of a dimension, ranked: "rank the Travel merchants by spend".
RANK_VERBS = frozenset({"rank", "ranked", "ranking", "sort", "sorted", "order", "ordered"})

# Words after a dimension that make it a breakdown ("state breakdown of spend").
BREAKDOWN_WORDS = frozenset({"breakdown", "distribution", "mix", "split", "wise", "level", "size"})
# A plural dimension after one of these is an object, not a breakdown ("spent on cards").
PREPOSITIONS = frozenset({"on", "at", "with", "for", "of", "about", "to"})

# Words between people and a number about them: "cardholders who are over 65".
PEOPLE_LINKS = frozenset({"who", "that", "are", "is", "aged", "age", "of", "the"})
# The largest number read as an age in years ("customers over sixty").
MAX_AGE = 120

# Words between a preposition and its noun: "spent on our cards", "at all the merchants".
DETERMINERS = frozenset(
    {"our", "the", "their", "all", "its", "my", "your", "his", "her", "these", "those"}
)

# Words between counted rows and their amount: "purchases of over $500", "at Amazon above $100".
ROW_LINKS = frozenset({"of", "at", "in", "on", "with", "from", "via", "through", "using"})
# Words between a number and what it measures: "over $400,000 in spend".
NUMBER_LINKS = frozenset(
    {"in", "of", "on", "worth", "the", "total", "dollar", "usd", "different", "distinct", "unique"}
)


def kindred(a: str, b: str) -> bool:
    """Two model names sharing a word: a number and the field derived from it
    (churn_risk_score, churn_risk_category), so "High Risk churn" names the value's kind."""
    return bool(set(a.split("_")) & set(b.split("_")))


class TermReader:
    """Reads spans against the model; the parser builds queries from what it returns."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self.compiler = Compiler(model)

    def _metric_fact(self, metric: str) -> str | None:
        """The fact a simple metric aggregates (avg(lifetime_value) → lifetime_value)."""
        if metric not in self.model.metrics:
            return None
        tree = parsed(self.model.metrics[metric][1].expr)
        columns = {c.name for c in tree.find_all(exp.Column)}
        facts = [
            name
            for name, (_, kind, col) in self.model.fields.items()
            if kind == "fact" and col.expr in columns
        ]
        return facts[0] if len(columns) == 1 and facts else None

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
            extreme = [w for w in pieces.before(span, 2) if w != "single"][-1:]
            if entry.kind == "table" and extreme and extreme[0] in EXTREME_WORDS:
                # "the largest single purchase": the model's maximum of the rows' amount
                agg = EXTREME_WORDS[extreme[0]]
            if entry.kind == "table" and agg in ("avg", "median", "max", "min"):
                # "the average swipe": the amount of the rows the table holds
                fact = self._money_fact(entry.name)
                if fact in self.model.fields:
                    metrics.append(self.model_metric(agg, fact) or f"{agg}__{fact}")
                    continue
            if words == ["transaction"] and not span.plural:
                continue  # "per transaction", "a transaction": the unit, not a count
            measure = next(  # "spenders": people named by what they do, and that measure
                (e.name for e in span.entries if e.kind == "metric" and not self._is_count(e.name)),
                None,
            )
            if words and words[0] in PEOPLE_NOUNS and len(words) == 1 and measure:
                noun = True  # "top spenders" ranks by spend; "Very Consistent spenders" are people
                if pieces.descending is not None or pieces.limit is not None:
                    metrics.append(measure)
            elif entry.kind == "table" or (
                entry.kind == "metric" and len(words) == 1 and words[0] in PEOPLE_NOUNS
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
                if self.counted_table(pieces, span) or self._qualifies_value(pieces, index):
                    continue
                if kind == "time_dimension" and pieces.periods:
                    continue  # the field the time window applies to, not a breakdown
                if kind == "fact" and agg:
                    metrics.append(self.model_metric(agg, entry.name) or f"{agg}__{entry.name}")
                elif kind == "fact":
                    facts.append(entry.name)
                elif self._breaks_down(pieces, span):
                    dims.append(entry.name)
        return metrics, dims, facts, noun

    def _breaks_down(self, pieces: Pieces, span: Span) -> bool:
        """Whether a dimension named in the question groups the answer. It does after "by",
        "per", "each", "across", after "which"/"what", with a superlative ("top 5 merchants"),
        as a plural subject ("states with more than 40 customers", not "spent on cards"), or
        before "breakdown"/"distribution"; a bare mention ("upgrades their card") does not,
        and is reported as unused instead of silently grouping."""
        before = pieces.before(span, 2)
        after = pieces.words[span.end : span.end + 1]
        # "which state", "what card type"; "what total card spend" asks for a total
        asked = bool(set(before) & {"which", "what"}) and not set(before) & (
            {"total"} | AGG_WORDS.keys()
        )
        if self._is_grouped(pieces, span) or asked:
            return True
        if before in COUNT_PAIRS:
            return True  # "how many merchants …": the values are counted (parser)
        if self.model.fields[span.entry.name][2].unique:
            return False  # "customer numbers": one group per row is a list, not a breakdown
        if pieces.descending is not None or pieces.limit is not None or pieces.grain:
            return True
        if set(after) & BREAKDOWN_WORDS:
            return True
        # the word before the noun, past determiners: "spent on our cards"
        before = [w for w in pieces.before(span, 3) if w not in DETERMINERS]
        return span.plural and not (before[-1:] and before[-1] in PREPOSITIONS)

    def _asks_for_groups(self, pieces: Pieces, span: Span) -> bool:
        """A superlative, a limit, "which"/"what", "rank" or a group cue before the phrase, or
        "by <measure>" after it ("online marketplace merchants by spend")."""
        before = set(pieces.words[max(0, span.start - 3) : span.start]) - GROUP_CUES
        before |= set(pieces.before(span, 1))  # "by state", not "by customers in states"
        ranked = pieces.descending is not None or pieces.limit is not None
        by_measure = pieces.words[span.end : span.end + 1] == ["by"] and any(
            s.start == span.end + 1 and s.entry.kind == "metric" for s in pieces.spans
        )
        return ranked or by_measure or bool(before & ({"which", "what"} | GROUP_CUES | RANK_VERBS))

    def counted_table(self, pieces: Pieces, span: Span) -> str | None:
        """The table in "how many <table>" / "number of <table>", e.g. merchant categories."""
        before = pieces.before(span, 2)
        counting = before in COUNT_PAIRS
        if not counting and before[-1:] != ["total"]:  # "total swipes": a count of rows
            return None
        return next((e.name for e in span.entries if e.kind == "table"), None)

    def _qualifies_value(self, pieces: Pieces, index: int) -> bool:
        """A dimension next to a value names the value's kind ("Travel categories", "states
        other than Texas", "discretionary categories"), it is not a breakdown."""
        span = pieces.spans[index]
        if self._is_grouped(pieces, span):
            return False
        if index > 0:
            previous = pieces.spans[index - 1]
            yes_no = previous.entry.kind == "field" and self._is_boolean(previous.entry.name)
            if (previous.entry.kind == "value" or yes_no) and previous.end == span.start:
                # "Texas state", "Travel category group": the value's own field names its kind;
                # "hotel merchants", "Travel categories" are other rows the value restricts,
                # which group when asked ("top three hotel merchants")
                own = previous.entry.name == span.entry.name
                fact = (
                    span.entry.kind == "field" and self.model.fields[span.entry.name][1] == "fact"
                )
                if not own and fact and not kindred(span.entry.name, previous.entry.name):
                    return False  # "Platinum share of travel": a number of its own, not a kind
                return own or not self._asks_for_groups(pieces, span)
        if index + 1 < len(pieces.spans):
            following = pieces.spans[index + 1]
            between = pieces.words[span.end : following.start]
            return (  # "customers in states other than Texas"; "which states other than…" groups
                following.entry.kind == "value"
                and following.entry.name == span.entry.name
                and all(w in QUALIFIER_LINKS for w in between)
                and not (span.plural and self._asks_for_groups(pieces, span))
            )
        return False

    def _is_grouped(self, pieces: Pieces, span: Span) -> bool:
        """After "by"/"per"/"each"…, or coordinated with a dimension that is ("by employment
        status and card type"); "across all/every X" is over all of them, not by each."""
        if pieces.before(span, 2) in (["across", "all"], ["across", "every"]):
            return False
        if set(pieces.before(span, 2)) & GROUP_CUES:
            return True
        earlier = [s for s in pieces.spans if s.end <= span.start]
        if not earlier or earlier[-1].entry.kind != "field":
            return False
        between = pieces.words[earlier[-1].end : span.start]
        return between == ["and"] and self._is_grouped(pieces, earlier[-1])

    def _mentions(self, pieces: Pieces, table: str) -> bool:
        return any(e.kind == "table" and e.name == table for s in pieces.spans for e in s.entries)

    def _filters(self, pieces: Pieces) -> tuple[list[Filter], list[str], list[str], set[int]]:
        """Filters from values, named filters, yes/no fields and numbers; negated ones inverted.

        Returns the filters, the named filters, the negated named filters and the spans used.
        """
        values: dict[tuple[str, bool], list[Value]] = {}
        named: list[str] = []
        excluded: list[str] = []
        consumed: set[int] = set()
        filters: list[Filter] = []
        for index, span in enumerate(pieces.spans):
            entry = span.entry
            if span.absent and self._holds_people(self.compiler.field_table(entry.name).name):
                # "Declining customers without a Premium card": their own attribute, negated
                span.absent, span.negated = False, True
            if span.absent or (
                span.negated and any(e.kind in ("table", "metric") for e in span.entries)
            ):
                consumed.add(index)  # "no (Mobile) transactions in June": parser._no_rows
            elif entry.kind == "value" and entry.value is not None:
                values.setdefault((entry.name, span.negated), []).append(entry.value)
                consumed.add(index)
            elif entry.kind == "filter" and pieces.before(span)[-1:] in (["most"], ["least"]):
                consumed.add(index)  # "the most valuable customer": a ranking, not a threshold
                pieces.absorbed.add(entry.name)
            elif entry.kind == "filter" and (equal := self._value_filter(entry.name)):
                # "medium or high risk": a named filter that is one value joins the others
                values.setdefault((equal.field, span.negated), []).append(equal.values[0])
                pieces.field_positions.setdefault(equal.field, span.start)
                consumed.add(index)
            elif entry.kind == "filter":
                (excluded if span.negated else named).append(entry.name)
                consumed.add(index)
            elif (
                entry.kind == "field"
                and self.model.fields[entry.name][2].data_type.upper() == "BOOLEAN"
                and not self._is_grouped(pieces, span)
            ):
                filters.append(Filter(entry.name, "=", (not span.negated,)))
                consumed.add(index)
            elif (
                entry.kind == "field"
                and span.negated
                and self.model.fields[entry.name][1] == "fact"
            ):
                filters.append(Filter(entry.name, "is null", ()))  # "no churn score"
                consumed.add(index)
        previous: tuple[int, str] | None = None
        for numeric in pieces.numerics:
            paired = previous is not None and previous[0] == numeric.position - 1
            target = (  # the second end of a range compares what the first does
                (previous[1] if paired and previous else None)
                or numeric.field
                or (self._occurrences(pieces) if numeric.occurrences else None)
                or self._numeric_target(pieces, numeric.position, consumed, numeric.money)
                or self._unnamed_target(pieces, numeric)
            )
            previous = (numeric.position, target) if target else None
            if target is None:
                pieces.unresolved.append(f"{numeric.value:g}")
                continue
            if pieces.words[numeric.position - 1 : numeric.position] in (
                ["averaged"],
                ["averaging"],
            ):
                # "customers who averaged under $40 a purchase": the average of their rows
                target = self._averaged(target)
            filters.append(Filter(target, numeric.op, (numeric.value,)))
        filters += [f for f in pieces.implied if f not in filters]
        for (name, negated), vals in values.items():
            unique = list(dict.fromkeys(vals))
            if len(unique) == 1:
                filters.append(Filter(name, "!=" if negated else "=", (unique[0],)))
            else:
                filters.append(Filter(name, "not in" if negated else "in", tuple(unique)))
        return filters, named, excluded, consumed

    def _numeric_target(
        self, pieces: Pieces, position: int, consumed: set[int], money: bool = False
    ) -> str | None:
        """The fact, metric or table a number compares: the nearest one after it (across
        "in"/"of" — "over $400,000 in spend"), else the one just before it."""
        candidates = [
            (i, s) for i, s in enumerate(pieces.spans) if i not in consumed and self._measurable(s)
        ]
        in_values = {
            i for s in pieces.spans if s.entry.kind == "value" for i in range(s.start, s.end)
        }
        numbers = {n.position for n in pieces.numerics}

        def after(span: Span) -> bool:
            # "more than 10 mobile transactions": values may stand between number and measure
            between = range(position + 1, span.start)
            return span.start > position and all(  # other numbers: "between $1 and $2 in spend"
                pieces.words[i] in NUMBER_LINKS or i in in_values or i in numbers for i in between
            )

        def before(span: Span) -> bool:
            # "customers over 60": people before a number are the subject, not what it counts
            between = pieces.words[span.end : position]
            people = pieces.words[span.start] in PEOPLE_NOUNS
            return span.end <= position and len(between) <= 1 and not people

        nearest = sorted(candidates, key=lambda c: abs(c[1].start - position))
        # "spent more than $3,000 on airline tickets": a measure right before the number is
        # what it compares; the rows after it are where the money went
        verb = [(i, s) for i, s in candidates if s.end == position and s.entry.kind == "metric"]
        if verb and any(after(s) and s.entry.kind == "table" for _, s in candidates):
            nearest = verb
        for near in (after, before):
            for index, span in nearest:
                if not near(span):
                    continue
                consumed.add(index)
                for entry in span.entries:
                    if entry.kind == "field" and self.model.fields[entry.name][1] == "fact":
                        return entry.name
                if span.entry.kind == "table" and money:
                    return self._money_fact(span.entry.name)
                counted = self.model.metrics.get(span.entry.name)
                if money and counted and self._counts_rows(span.entry.name):
                    # "transactions over $500": the amounts of the counted rows; "an approved
                    # transaction over $3,000" also keeps the rows' condition
                    condition = self.condition_of(span.entry.name)
                    if isinstance(condition, Filter):
                        pieces.implied.append(condition)
                    cue = [*pieces.before(span, 2), *pieces.words[span.start : span.start + 2]]
                    if any(cue[i : i + 2] in COUNT_PAIRS for i in range(3)):
                        consumed.discard(index)  # "number of transactions over $500" counts them
                    return self._money_fact(counted[0].name)
                if span.entry.kind == "table":
                    return self._row_count(span.entry.name)
                if set(pieces.words[span.start : span.end]) & set(AGG_WORDS):
                    return span.entry.name  # "average ltv above 45k": the aggregate (HAVING)
                fact = self._metric_fact(span.entry.name)
                return fact or span.entry.name
        return None

    def _unnamed_target(self, pieces: Pieces, numeric: Numeric) -> str | None:
        """What a number names no measure for, when only one thing can be meant.

        A dollar amount restricted by a period or by what was bought ("more than $5,000 on
        travel in 2025") is spend: the one event table with a summed amount that the context
        can restrict. A plain number about people ("customers over sixty") is their age in
        years. Anything else stays unresolved and is asked back."""
        if numeric.money:
            return (
                self._per_row(pieces, numeric.position)
                or self._rows_amount(pieces, numeric.position)
                or self._counted_rows_amount(pieces)
                or self._event_money(pieces)
            )
        after_people = any(
            pieces.words[s.start] in PEOPLE_NOUNS
            and s.end <= numeric.position
            and all(w in PEOPLE_LINKS for w in pieces.words[s.end : numeric.position])
            for s in pieces.spans
        )
        years = [
            c.name
            for t in self.model.tables
            for c in t.facts
            if "in years" in c.description and self._holds_people(t.name)
        ]
        if after_people and len(years) == 1 and 0 < numeric.value <= MAX_AGE:
            return years[0]
        return None

    def _holds_people(self, table: str) -> bool:
        """Whether a table's rows are people (its synonyms include "customer", "cardholder")."""
        return bool(set(self.model.table(table).synonyms) & PEOPLE_NOUNS)

    def _averaged(self, target: str) -> str:
        """The model's average of a fact (or of the fact a sum metric adds up)."""
        fact = target if target in self.model.fields else None
        facts = [fact] if fact else self.facts_of(target)
        average = self.model_metric("avg", facts[0]) if len(facts) == 1 else None
        return average or target

    def _rows_amount(self, pieces: Pieces, position: int) -> str | None:
        """ "3 or more transactions over $500": rows another number counts, then an amount — the
        amount of each of those rows."""
        in_values = {
            i for s in pieces.spans if s.entry.kind == "value" for i in range(s.start, s.end)
        }
        for span in pieces.spans:
            between = range(span.end, position)
            # "5 purchases at Amazon above $100": values of the rows may stand between
            if pieces.words[span.start] in PEOPLE_NOUNS:
                continue  # "customers with more than $5,000": not an amount of each customer
            if span.end > position or any(
                i not in in_values and pieces.words[i] not in ROW_LINKS for i in between
            ):
                continue
            for entry in span.entries:
                if entry.kind == "table":
                    return self._money_fact(entry.name)
                if entry.kind == "metric" and self._counts_rows(entry.name):
                    return self._money_fact(self.model.metrics[entry.name][0].name)
        return None

    def _counted_rows_amount(self, pieces: Pieces) -> str | None:
        """ "How many transactions did Platinum customers make over $1,000": the amount of each
        of the rows the question counts."""
        for span in pieces.spans:
            cue = [*pieces.before(span, 2), *pieces.words[span.start : span.start + 2]]
            if not any(cue[i : i + 2] in COUNT_PAIRS for i in range(3)):
                continue
            for entry in span.entries:
                if entry.kind == "table" and not self._holds_people(entry.name):
                    return self._money_fact(entry.name)
                if entry.kind == "metric" and self._counts_rows(entry.name):
                    table = self.model.metrics[entry.name][0].name
                    return None if self._holds_people(table) else self._money_fact(table)
        return None

    def _per_row(self, pieces: Pieces, position: int) -> str | None:
        """ "$150 per approved transaction": the average amount of the rows named after "per"."""
        if pieces.words[position + 1 : position + 2] not in (["per"], ["each"], ["a"]):
            return None
        for span in pieces.spans:
            if span.start <= position + 1 or span.entry.kind == "value":
                continue
            for entry in span.entries:
                table = entry.name if entry.kind == "table" else None
                if entry.kind == "metric" and self._counts_rows(entry.name):
                    table = self.model.metrics[entry.name][0].name
                if table:
                    return self.model_metric("avg", self._money_fact(table))
            return None
        return None

    def _event_money(self, pieces: Pieces) -> str | None:
        """The summed amount of the one event table the question's period and values restrict."""
        found = []
        for table in self._event_tables(pieces):
            money = [c.name for c in self.model.table(table).facts if "USD" in c.description]
            summed = [m for f in money if (m := self.model_metric("sum", f))]
            if len(summed) == 1:
                found.append(summed[0])
        return found[0] if len(found) == 1 else None

    def _occurrences(self, pieces: Pieces) -> str | None:
        """ "shopped at Amazon more than 3 times", "upgraded more than once": the rows of the one
        event the question names (the table of its values or conditions, or the purchases its
        verb names), counted."""
        named = {
            self.compiler.field_table(s.entry.name).name
            for s in pieces.spans
            if s.entry.kind in ("value", "filter")
        }
        if set(pieces.words) & PURCHASE_VERBS:
            named |= {t.name for t in self.model.tables if PURCHASE_NOUN in t.synonyms}
        events = [
            t
            for t in named
            if self.model.default_time_field(t) is not None and not self._holds_people(t)
        ]
        if not events:
            events = self._event_tables(pieces)
        return self._row_count(events[0]) if len(set(events)) == 1 else None

    def _event_tables(self, pieces: Pieces) -> list[str]:
        """The dated tables that reach everything the question's values and conditions name,
        when a period or such a condition restricts the question at all."""
        context = {
            self.compiler.field_table(s.entry.name).name
            for s in pieces.spans
            if s.entry.kind in ("value", "filter")
        }
        people = {t.name for t in self.model.tables if self._holds_people(t.name)}
        if not pieces.periods and not context - people:
            return []  # "customers with more than $5,000": lifetime value? limit? spend?
        return [
            table.name
            for table in self.model.tables
            if self.model.default_time_field(table.name) is not None
            and context <= self.compiler.reachable(table.name).keys() | {table.name}
        ]

    def _measurable(self, span: Span) -> bool:
        entry = span.entry
        if entry.kind in ("metric", "table"):
            return True
        return entry.kind == "field" and any(
            e.kind == "field" and self.model.fields[e.name][1] == "fact" for e in span.entries
        )

    def facts_of(self, metric: str) -> list[str]:
        """The facts a model metric aggregates (`median(case … transaction_amount end)`)."""
        if metric not in self.model.metrics:
            return []
        table, definition = self.model.metrics[metric]
        columns = {c.name for c in parsed(definition.expr).find_all(exp.Column)}
        return [c.name for kind, c in table.columns() if kind == "fact" and c.expr in columns]

    def _value_filter(self, name: str) -> Filter | None:
        """A named filter that is `dimension = 'value'`, as that filter."""
        table, named = self.model.named_filters[name]
        tree = parsed(named.expr)
        if not (isinstance(tree, exp.EQ) and isinstance(tree.expression, exp.Literal)):
            return None
        if not tree.expression.is_string or not isinstance(tree.this, exp.Column):
            return None
        for kind, column in table.columns():
            if kind == "dimension" and column.expr == tree.this.name:
                return Filter(column.name, "=", (tree.expression.name,))
        return None

    def model_metric(self, agg: str, fact: str) -> str | None:
        """The model's own metric for `agg` of `fact`, with its rules ("median amount" is the
        median of approved amounts, as the model defines it), if it has exactly one."""
        table, _, column = self.model.fields[fact]
        wanted = {"avg": exp.Avg, "sum": exp.Sum, "median": exp.Median, "max": exp.Max}.get(agg)
        if wanted is None:
            return None
        found = []
        for metric in table.metrics:
            tree = parsed(metric.expr)
            if isinstance(tree, wanted) and column.expr in {
                c.name for c in tree.find_all(exp.Column)
            }:
                found.append(metric.name)
        return found[0] if len(found) == 1 else None

    def condition_of(self, metric: str) -> Filter | str | None:
        """The row condition a `count_if(…)` metric counts, as a filter or a named filter:
        "customers who had a declined transaction" = customers with a row meeting it."""
        if metric not in self.model.metrics:
            return None
        table, definition = self.model.metrics[metric]
        tree = parsed(definition.expr)
        if not isinstance(tree, exp.CountIf):
            return None
        condition = tree.this
        if isinstance(condition, exp.EQ) and isinstance(condition.expression, exp.Literal):
            column = condition.this.sql(dialect="duckdb")
            for _, col in table.columns():
                if col.expr == column:
                    return Filter(col.name, "=", (condition.expression.name,))
        text = condition.sql(dialect="duckdb").lower().replace(" ", "")
        for flt in table.filters:
            if normalised(flt.expr) == text:
                return flt.name
        return None

    def _is_boolean(self, name: str) -> bool:
        return name in self.model.fields and (
            self.model.fields[name][2].data_type.upper() == "BOOLEAN"
        )

    def _is_count(self, metric: str) -> bool:
        """A plain count of rows (`count(…)`)."""
        return self._counts_rows(metric) and self._expr_of(metric).startswith("count(")

    def _counts_rows(self, metric: str) -> bool:
        """A count of rows, all of them or those meeting a condition (`count_if(…)`)."""
        return self._expr_of(metric).startswith(("count(", "count_if("))

    def _expr_of(self, metric: str) -> str:
        definition = self.model.metrics.get(metric)
        return definition[1].expr.lower().replace(" ", "") if definition else ""

    def _money_fact(self, table: str) -> str:
        """ "transactions over $500": the table's amount in dollars (its description says USD)."""
        facts = [c for c in self.model.table(table).facts if "USD" in c.description]
        return facts[0].name if facts else self._row_count(table)

    def _row_count(self, table: str) -> str:
        """The metric counting a table's rows ("more than 40 transactions")."""
        return next(m.name for m in self.model.table(table).metrics if self._is_count(m.name))
