"""SemanticQuery → SQL, with joins derived from the model's relationships.

Values never reach the SQL as raw text: `literal` renders each one from its Python type (strings
are quoted with doubled single quotes, numbers must be finite, dates are typed literals), and the
guard re-parses the whole statement before anything runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import sqlglot
from sqlglot import exp

from customer360.semantic.expressions import (
    conditional_share,
    filtered,
    parsed,
    share_total,
    slug,
)
from customer360.semantic.grains import count_through, relate_finer
from customer360.semantic.graph import AGGREGATIONS, CompileError, ModelGraph
from customer360.semantic.model import Relationship, Table
from customer360.semantic.pushdown import plan_pushdown
from customer360.semantic.query import (
    PERIOD_CHANGE_COLUMNS,
    Filter,
    Operator,
    Related,
    SemanticQuery,
    TimeRange,
    Value,
)

__all__ = ["AGGREGATIONS", "CompileError", "CompiledQuery", "Compiler", "literal", "share_total"]

MAX_ROWS = 1000


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    columns: tuple[str, ...]
    base_table: str
    # The query as compiled: with the grain rules applied (semi-joins, distinct counts).
    query: SemanticQuery | None = None


def literal(value: Value) -> str:
    """A SQL literal for a Python value; the only way user-derived values enter SQL."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CompileError(f"not a finite number: {value}")
        return repr(value)
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise CompileError(f"unsupported value type {type(value).__name__}")


@lru_cache(maxsize=4096)
def qualify(expr: str, alias: str) -> str:
    """Prefix every unqualified column of a model expression with its table alias."""
    tree = sqlglot.parse_one(expr, read="duckdb")
    for column in tree.find_all(exp.Column):
        if not column.table:
            column.set("table", exp.to_identifier(alias))
    return tree.sql(dialect="duckdb")


class Compiler(ModelGraph):
    """Semantic queries → SQL over the model's base tables."""

    def compile(self, query: SemanticQuery) -> CompiledQuery:
        if query.count_rows:
            return self._count_rows(query)
        query = count_through(self, query)
        base = self._base_table(query)
        query = relate_finer(self, query, base)
        if query.periods:
            table = self.field_table(query.periods[0].field).name
            if table not in self.reachable(base.name).keys() | {base.name}:
                raise CompileError(
                    f"periods of {table} cannot be compared on {base.name} rows; ask about "
                    f"{table} in each period instead"
                )
        pushed = self._pushdown(query, base)
        if pushed is not None:
            return pushed
        joins = self._join_plan(base, self._tables_used(query, base))
        select, columns = self._select(query, base)
        if len(query.periods) > 1 and query.dimensions and self._ranks_change(query):
            select, columns = self._pivot_periods(query, select, columns)
        elif len(query.periods) > 1:
            select.insert(0, f"{self._period_case(query.periods)} as period")
            columns = ("period", *columns)
        lines = [f"select {', '.join(select)}", f"from {base.base_table.qualified} as {base.name}"]
        lines += [self._join_sql(rel) for rel in joins]
        where = self._where(query)
        where += [self._semi_join(base, related) for related in query.related]
        if where:
            lines.append("where " + " and ".join(where))
        if query.metrics and (query.dimensions or len(query.periods) > 1):
            lines.append("group by all")
        having = [self._condition(f) for f in query.filters if self.is_metric(f.field)]
        having += [
            f"{f.field} {f.op} {literal(f.values[0])}"
            for f in query.filters
            if f.field in PERIOD_CHANGE_COLUMNS and f.values and f.op in ("<", ">", "<=", ">=")
        ]
        if having:
            lines.append("having " + " and ".join(having))
        order = self._order(query, base, columns)
        if order:
            lines.append("order by " + ", ".join(order))
        limit = min(query.limit or MAX_ROWS, MAX_ROWS)
        lines.append(f"limit {int(limit)}")
        return CompiledQuery("\n".join(lines), columns, base.name, query)

    def _expr(self, name: str) -> str:
        if name in self.model.fields:
            table, _, column = self.model.fields[name]
            return qualify(column.expr, table.name)
        if name in self.model.metrics:
            table, metric = self.model.metrics[name]
            return qualify(metric.expr, table.name)
        agg, _, field = name.partition("__")
        if agg in AGGREGATIONS and field in self.model.fields:
            return AGGREGATIONS[agg].format(self._expr(field))
        raise CompileError(f"unknown field {name!r}")

    def _tables_used(self, query: SemanticQuery, base: Table | None = None) -> set[str]:
        names = [*query.metrics, *query.dimensions, *query.named_filters]
        names += [f.field for f in query.filters if f.field not in PERIOD_CHANGE_COLUMNS]
        names += [*query.excluded_named_filters]
        shares = [f.field for f in query.share_filters] + list(query.share_named_filters)
        if base is not None:  # share conditions on finer tables become semi-joins
            reachable = self.reachable(base.name).keys() | {base.name}
            shares = [n for n in shares if self.field_table(n).name in reachable]
        names += shares
        if query.time_range:
            names.append(query.time_range.field)
        used = {self.field_table(n).name for n in names}
        return used | ({query.subject} if query.subject else set())

    def _base_table(self, query: SemanticQuery) -> Table:
        if query.subject:
            return self.model.table(query.subject)
        if query.metrics:
            tables = {self.field_table(m).name for m in query.metrics}
            if len(tables) > 1:
                raise CompileError(f"metrics come from different tables: {sorted(tables)}")
            return self.model.table(tables.pop())
        used = self._tables_used(query)
        if not used:
            raise CompileError("the query selects nothing")
        for table in self.model.tables:
            if table.name in used and used <= self.reachable(table.name).keys() | {table.name}:
                return table
        raise CompileError(f"no table joins to all of {sorted(used)}")

    def _join_plan(self, base: Table, used: set[str]) -> list[Relationship]:
        reachable = self.reachable(base.name)
        plan: list[Relationship] = []
        for name in sorted(used - {base.name}):
            if name not in reachable:
                raise CompileError(
                    f"{name} cannot be joined to {base.name} without duplicating rows; "
                    f"ask about {base.name} fields or {name} fields separately"
                )
            plan += [rel for rel in reachable[name] if rel not in plan]
        return plan

    def _join_sql(self, rel: Relationship) -> str:
        right = self.model.table(rel.right_table)
        kind = "left join" if rel.join_type == "left_outer" else "inner join"
        conditions = [
            f"{self._expr(c.left_column)} = {self._expr(c.right_column)}"
            for c in rel.relationship_columns
        ]
        return f"{kind} {right.base_table.qualified} as {right.name} on " + " and ".join(conditions)

    def _count_rows(self, query: SemanticQuery) -> CompiledQuery:
        """`select count(*) from (<the query's rows>)`: how many groups meet its conditions."""
        inner = self.compile(query.with_changes(count_rows=False, order=(), limit=MAX_ROWS))
        body = inner.sql.rsplit("\nlimit ", 1)[0]
        name = f"{query.dimensions[0]}_count" if query.dimensions else "row_count"
        sql = f"select count(*) as {name}\nfrom (\n{body}\n) as counted\nlimit 1"
        return CompiledQuery(sql, (name,), inner.base_table, query)

    def _pushdown(self, query: SemanticQuery, base: Table) -> CompiledQuery | None:
        """The query with the fact aggregated per join key first, when that is exact."""
        selected = {*query.metrics, *query.dimensions}
        if query.periods or any(o.field not in selected for o in query.order):
            return None
        own = {
            n
            for n in [
                *(f.field for f in query.filters),
                *query.named_filters,
                *query.excluded_named_filters,
            ]
            if not self.is_metric(n) and self.field_table(n).name == base.name
        }
        time_on_base = bool(query.time_range) and (
            self.field_table(query.time_range.field).name == base.name  # type: ignore[union-attr]
        )
        inner = SemanticQuery(
            filters=tuple(f for f in query.filters if f.field in own),
            named_filters=tuple(n for n in query.named_filters if n in own),
            excluded_named_filters=tuple(n for n in query.excluded_named_filters if n in own),
            time_range=query.time_range if time_on_base else None,
        )
        outer = query.with_changes(
            filters=tuple(f for f in query.filters if f.field not in own),
            named_filters=tuple(n for n in query.named_filters if n not in own),
            excluded_named_filters=tuple(n for n in query.excluded_named_filters if n not in own),
            time_range=None if time_on_base else query.time_range,
        )
        plan = plan_pushdown(self, outer, base, self._expr, self._where(inner))
        if plan is None:
            return None
        select = [f"{self._expr(d)} as {d}" for d in query.dimensions]
        select += [f"{plan.finals[m]} as {m.replace('__', '_')}" for m in query.metrics]
        columns = (*query.dimensions, *(m.replace("__", "_") for m in query.metrics))
        lines = [
            f"select {', '.join(select)}",
            f"from (\n    {plan.inner_sql}\n) as {base.name}",
            *(self._join_sql(rel) for rel in plan.joins),
        ]
        where = self._where(outer)
        if where:
            lines.append("where " + " and ".join(where))
        lines.append("group by all")
        having = [
            f"{plan.finals[f.field]} {f.op} {literal(f.values[0])}"
            for f in query.filters
            if self.is_metric(f.field) and f.values
        ]
        if having:
            lines.append("having " + " and ".join(having))
        order = self._order(query, base, columns)
        if order:
            lines.append("order by " + ", ".join(order))
        lines.append(f"limit {int(min(query.limit or MAX_ROWS, MAX_ROWS))}")
        return CompiledQuery("\n".join(lines), columns, base.name, query)

    def _select(self, query: SemanticQuery, base: Table) -> tuple[list[str], tuple[str, ...]]:
        select: list[str] = []
        columns: list[str] = []
        for name in query.dimensions:
            kind = self.model.fields[name][1] if name in self.model.fields else None
            if kind is None:
                raise CompileError(f"{name!r} is not a dimension or fact")
            if query.grain and kind == "time_dimension":
                alias = (
                    query.grain if query.grain not in self.model.fields else f"{name}_{query.grain}"
                )
                # a year reads as its number (2025); finer grains as the first day of each
                truncated = (
                    f"year({self._expr(name)})"
                    if query.grain == "year"
                    else f"cast(date_trunc('{query.grain}', {self._expr(name)}) as date)"
                )
                select.append(f"{truncated} as {alias}")
                columns.append(alias)
            else:
                select.append(f"{self._expr(name)} as {name}")
                columns.append(name)
        for name in query.metrics:
            if not self.is_metric(name):
                raise CompileError(f"{name!r} is not a metric")
            alias = name.replace("__", "_")
            expr = self._expr(name)
            condition = self._share_condition(query, base)
            if condition and self.is_share(name):
                expr = conditional_share(expr, condition)
            select.append(f"{expr} as {alias}")
            columns.append(alias)
        return select, tuple(columns)

    def _share_condition(self, query: SemanticQuery, base: Table) -> str | None:
        """The condition of a conditional share; conditions on finer rows ("percentage of
        customers who used Mobile") are semi-joins, as in WHERE."""
        local = SemanticQuery(filters=query.share_filters, named_filters=query.share_named_filters)
        moved = relate_finer(self, local, base)
        parts = [self._condition(f) for f in moved.filters]
        parts += [f"({self._named(n)})" for n in moved.named_filters]
        parts += [self._semi_join(base, related) for related in moved.related]
        return " and ".join(parts) or None

    def _named(self, name: str) -> str:
        if name not in self.model.named_filters:
            raise CompileError(f"unknown named filter {name!r}")
        table, named = self.model.named_filters[name]
        return qualify(named.expr, table.name)

    def _where(self, query: SemanticQuery) -> list[str]:
        where = [
            self._condition(f)
            for f in query.filters
            if not self.is_metric(f.field) and f.field not in PERIOD_CHANGE_COLUMNS
        ]
        where += [f"({self._named(name)})" for name in query.named_filters]
        where += [
            f"not coalesce({self._named(name)}, false)" for name in query.excluded_named_filters
        ]
        if len(query.periods) > 1:
            where.append("(" + " or ".join(self._range(p) for p in query.periods) + ")")
        elif query.time_range:
            where.append(self._range(query.time_range))
        return [w for w in where if w]

    def _range(self, period: TimeRange) -> str:
        expr = self._expr(period.field)
        bounds = []
        if period.start:
            bounds.append(f"{expr} >= {literal(period.start)}")
        if period.end:
            bounds.append(f"{expr} < {literal(period.end)}")
        return " and ".join(bounds) or "true"

    def _ranks_change(self, query: SemanticQuery) -> bool:
        """Groups compared across periods side by side: one row per group, a column per period
        and the change ("spend by channel, Q1 vs Q2"). A breakdown by the date itself (months
        of each period) stays one row per group and period."""
        names = {o.field for o in query.order} | {f.field for f in query.filters}
        if names & set(PERIOD_CHANGE_COLUMNS):
            return True
        times = {p.field for p in query.periods}
        return bool(query.dimensions) and not times & set(query.dimensions) and not query.grain

    def _pivot_periods(
        self, query: SemanticQuery, select: list[str], columns: tuple[str, ...]
    ) -> tuple[list[str], tuple[str, ...]]:
        """Groups compared across periods: one column per period, then the change."""
        dims = len(query.dimensions)
        select, out = select[:dims], list(columns[:dims])
        changes: list[str] = []
        for metric in query.metrics:
            alias = metric.replace("__", "_")
            values = []
            for period in query.periods:
                name = f"{alias}_{slug(period.label)}"
                select.append(f"{filtered(self._expr(metric), self._range(period))} as {name}")
                out.append(name)
                values.append((period.start or date.min, name))
            if not changes:  # the change is of the first metric, later period minus earlier
                first, last = min(values)[1], max(values)[1]
                changes = [
                    f"{last} - {first} as change",
                    f"100.0 * ({last} - {first}) / nullif({first}, 0) as change_pct",
                ]
        select += changes
        out += ["change", "change_pct"]
        return select, tuple(out)

    def _period_case(self, periods: tuple[TimeRange, ...]) -> str:
        whens = " ".join(f"when {self._range(p)} then {literal(p.label)}" for p in periods)
        return f"case {whens} end"

    def _semi_join(self, base: Table, related: Related) -> str:
        """`key [not] in (select key from <related rows> where … group by key having …)`."""
        low = self._below_threshold(related)
        if low is not None:
            # "customers who spent less than $100 in June": those with no rows spent nothing, so
            # they are the customers NOT among those who spent $100 or more
            return self._semi_join(base, low)
        if base.primary_key is None or len(base.primary_key.columns) != 1:
            raise CompileError(f"{base.name} has no single-column key to relate rows by")
        path = self.reachable(related.table).get(base.name)
        if path is None:
            return self._semi_join_through(base, related)
        key = self.pk_fields(base)[0]
        inner = SemanticQuery(
            dimensions=(key,),
            filters=related.filters,
            named_filters=related.named_filters,
            time_range=related.time_range,
        )
        names = [*related.named_filters, *(f.field for f in (*related.filters, *related.having))]
        names += [related.time_range.field] if related.time_range else []
        used = {self.field_table(n).name for n in names}
        table = self.model.table(related.table)
        # One hop whose column is the key: select the finer table's own column, no join back.
        direct = (
            len(path) == 1
            and base.name not in used
            and self.pk_fields(base)[0] == path[0].relationship_columns[0].right_column
            and len(path[0].relationship_columns) == 1
        )
        inner_key = (
            self._expr(path[0].relationship_columns[0].left_column) if direct else self._expr(key)
        )
        lines = [
            f"select {inner_key}",
            f"from {table.base_table.qualified} as {table.name}",
            *(
                self._join_sql(rel)
                for rel in self._join_plan(table, used if direct else used | {base.name})
            ),
        ]
        where = [*self._where(inner), f"{inner_key} is not null"]
        if where:
            lines.append("where " + " and ".join(where))
        if related.having:
            lines.append(f"group by {inner_key}")
            lines.append("having " + " and ".join(self._condition(f) for f in related.having))
        subquery = "\n    ".join(lines)
        op = "not in" if related.negated else "in"
        return f"{self._expr(key)} {op} (\n    {subquery}\n)"

    def _below_threshold(self, related: Related) -> Related | None:
        """A single "less than" condition on a sum or count of related rows, as its complement
        (`not in … having ≥`), or None."""
        if related.negated or len(related.having) != 1 or related.having[0].op not in ("<", "<="):
            return None
        flt = related.having[0]
        text = self._expr(flt.field).lower().replace(" ", "")
        if not text.startswith(("sum(", "count(", "count_if(")) or flt.values[0] < 0:
            return None
        opposite: Operator = ">=" if flt.op == "<" else ">"
        return replace(related, having=(Filter(flt.field, opposite, flt.values),), negated=True)

    def _semi_join_through(self, base: Table, related: Related) -> str:
        """Rows of `base` whose entity (the customer) has related rows: "spend of customers who
        were downgraded in 2026" keeps transactions whose customer has such a history row. Both
        tables point straight at the entity; the keys compared are those pointers."""
        mine, theirs = self.reachable(base.name), self.reachable(related.table)
        shared = [e for e in mine if e in theirs and len(mine[e]) == 1 and len(theirs[e]) == 1]
        if not shared or len(mine[shared[0]][0].relationship_columns) != 1:
            raise CompileError(f"{related.table} rows do not point to {base.name} rows")
        outer = self._expr(mine[shared[0]][0].relationship_columns[0].left_column)
        inner_key = theirs[shared[0]][0].relationship_columns[0].left_column
        inner = SemanticQuery(
            filters=related.filters,
            named_filters=related.named_filters,
            time_range=related.time_range,
        )
        names = [*related.named_filters, *(f.field for f in related.filters)]
        names += [related.time_range.field] if related.time_range else []
        table = self.model.table(related.table)
        used = {self.field_table(n).name for n in names} | {related.table}
        lines = [
            f"select {self._expr(inner_key)}",
            f"from {table.base_table.qualified} as {table.name}",
            *(self._join_sql(rel) for rel in self._join_plan(table, used)),
            "where " + " and ".join([*self._where(inner), f"{self._expr(inner_key)} is not null"]),
        ]
        subquery = "\n    ".join(lines)
        op = "not in" if related.negated else "in"
        return f"{outer} {op} (\n    {subquery}\n)"

    def _condition(self, flt: Filter) -> str:
        expr = self._expr(flt.field)
        if flt.op in ("is null", "is not null"):
            return f"{expr} {flt.op}"
        if not flt.values:
            raise CompileError(f"filter on {flt.field} has no value")
        if flt.op in ("in", "not in"):
            return f"{expr} {flt.op} ({', '.join(literal(v) for v in flt.values)})"
        return f"{expr} {flt.op} {literal(flt.values[0])}"

    def natural_order(self, name: str) -> str | None:
        """A calendar dimension (weekday names from a date) sorts in its listed order, as a
        grain does, not alphabetically: a CASE over its sample values, portable to any engine."""
        if name not in self.model.fields or self.is_metric(name):
            return None
        table, kind, column = self.model.fields[name]
        times = {t.expr for t in table.time_dimensions}
        used = {c.name for c in parsed(column.expr).find_all(exp.Column)}
        if (
            kind != "dimension"
            or not column.is_enum
            or not column.sample_values
            or not used & times
        ):
            return None
        cases = " ".join(f"when {literal(v)} then {i}" for i, v in enumerate(column.sample_values))
        return f"min(case {self._expr(name)} {cases} end)"

    def _order(self, query: SemanticQuery, base: Table, columns: tuple[str, ...]) -> list[str]:
        order: list[str] = []
        if len(query.periods) > 1 and not self._ranks_change(query):
            order.append(f"min({self._expr(query.periods[0].field)})")
        for item in query.order:
            alias = item.field.replace("__", "_")
            target = alias if alias in columns else self._expr(item.field)
            order.append(f"{target} desc nulls last" if item.descending else f"{target} asc")
        ties = list(columns[: len(query.dimensions)]) if query.metrics else []
        ties = [self.natural_order(d) or t for d, t in zip(query.dimensions, ties, strict=False)]
        if not query.metrics and base.primary_key:
            ties += [self._expr(c) if c not in columns else c for c in self.pk_fields(base)]
        order += [t for t in ties if t not in {o.split(" ")[0] for o in order}]
        return order
