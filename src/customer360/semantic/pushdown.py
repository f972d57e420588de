"""Aggregate pushdown: aggregate the fact per join key before joining the coarser tables.

"Average transaction value by card type" joins 13.5M transactions to 50K customers only to read
one attribute per customer. Aggregating the transactions per customer first (partial sums,
counts, minima and maxima), then joining those few rows, gives the same numbers for a fraction
of the work — about 3× faster at default scale when the key is numeric (the customer version
key rather than the text customer id). Only exact rewrites are made: every aggregate must be
decomposable (sum, count, count_if, min, max, avg as sum / count) and the fact's own columns
may filter but not group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from customer360.semantic.graph import ModelGraph
from customer360.semantic.model import Relationship, Table
from customer360.semantic.query import SemanticQuery

_FINAL = {exp.Sum: "sum", exp.Count: "sum", exp.CountIf: "sum", exp.Min: "min", exp.Max: "max"}


@dataclass(frozen=True)
class PushedAggregates:
    """The fact aggregated per key, and how to finish each metric over it."""

    inner_sql: str
    joins: tuple[Relationship, ...]
    finals: dict[str, str]  # metric name → expression over the partial columns


def plan_pushdown(
    graph: ModelGraph,
    query: SemanticQuery,
    base: Table,
    expr: Callable[[str], str],
    inner_where: list[str],
) -> PushedAggregates | None:
    """The pushdown for `query` on fact `base`, or None when it would not be exact or useful."""
    if (
        not query.metrics
        or query.periods
        or query.related
        or query.share_filters
        or query.share_named_filters
        or query.grain
    ):
        return None
    own = [d for d in query.dimensions if graph.field_table(d).name == base.name]
    columns = [graph.model.fields[d][2].expr for d in own]
    if any(not isinstance(sqlglot.parse_one(c, read="duckdb"), exp.Column) for c in columns):
        return None  # a computed column of the fact ("day of week") is left to the plain query
    coarse = {graph.field_table(d).name for d in query.dimensions} - {base.name}
    filtered = [f.field for f in query.filters if not graph.is_metric(f.field)]
    filtered += list(query.named_filters) + list(query.excluded_named_filters)
    filtered += [query.time_range.field] if query.time_range else []
    coarse |= {graph.field_table(n).name for n in filtered} - {base.name}
    if not coarse:
        return None  # nothing to join: the plain query is already one scan
    first = _first_hop(graph, base, coarse)
    if first is None:
        return None
    key = graph.model.fields[first.relationship_columns[0].left_column][2].expr
    if not isinstance(sqlglot.parse_one(key, read="duckdb"), exp.Column):
        return None
    having = [f.field for f in query.filters if graph.is_metric(f.field)]
    partials: list[str] = []
    finals: dict[str, str] = {}
    for name in dict.fromkeys([*query.metrics, *having]):
        final = _decompose(expr(name), base.name, partials)
        if final is None:
            return None
        finals[name] = final
    keys = [key, *(c for c in columns if c != key)]  # the fact's own breakdown columns too
    inner = [
        "select "
        + ", ".join(f"{base.name}.{k} as {k}" for k in keys)
        + ", "
        + ", ".join(f"{p} as p{i}" for i, p in enumerate(partials)),
        f"from {base.base_table.qualified} as {base.name}",
    ]
    if inner_where:
        inner.append("where " + " and ".join(inner_where))
    inner.append("group by " + ", ".join(str(i + 1) for i in range(len(keys))))
    joins = [first]
    for table in sorted(coarse - {first.right_table}):
        joins += [r for r in graph.reachable(first.right_table)[table] if r not in joins]
    return PushedAggregates("\n    ".join(inner), tuple(joins), finals)


def _first_hop(graph: ModelGraph, base: Table, coarse: set[str]) -> Relationship | None:
    """The relationship out of the fact through which every coarse table is reached; a
    numeric key first (it aggregates and joins faster than text), then the shortest path."""
    hops = []
    for rel in graph.model.relationships:
        if rel.left_table != base.name or len(rel.relationship_columns) != 1:
            continue
        reach = graph.reachable(rel.right_table).keys() | {rel.right_table}
        if coarse <= reach:
            column = graph.model.fields[rel.relationship_columns[0].left_column][2]
            numeric = column.data_type.upper() == "NUMBER"
            depth = max(len(graph.reachable(rel.right_table).get(t, [])) for t in coarse)
            hops.append((not numeric, depth, rel.name, rel))
    return min(hops)[3] if hops else None


def _decompose(metric_sql: str, alias: str, partials: list[str]) -> str | None:
    """`metric_sql` with each aggregate replaced by its combination of partial columns; a
    window over an aggregate (a share's total) keeps its window around the combination."""
    tree = sqlglot.parse_one(metric_sql, read="duckdb")
    for window in list(tree.find_all(exp.Window)):
        total = window.this
        if not isinstance(total, exp.AggFunc) or not isinstance(total.this, exp.AggFunc):
            return None
        inner = _combine(total.this, alias, partials)
        if inner is None:
            return None
        total.this.replace(inner)
    aggregates = [
        a
        for a in tree.find_all(exp.AggFunc)
        if a.find_ancestor(exp.AggFunc) is None
        and a.find_ancestor(exp.Window) is None
        and not _is_partial(a, alias)
    ]
    for agg in aggregates:
        replacement = _combine(agg, alias, partials)
        if replacement is None:
            return None
        if agg is tree:
            return replacement.sql(dialect="duckdb")
        agg.replace(replacement)
    return tree.sql(dialect="duckdb")


def _is_partial(agg: exp.AggFunc, alias: str) -> bool:
    """An aggregate already rewritten over the partial columns."""
    columns = list(agg.find_all(exp.Column))
    return bool(columns) and all(c.table == alias and c.name.startswith("p") for c in columns)


def _combine(agg: exp.AggFunc, alias: str, partials: list[str]) -> exp.Expression | None:
    def partial(sql: str) -> exp.Expression:
        partials.append(sql)
        return exp.column(f"p{len(partials) - 1}", table=alias)

    if isinstance(agg, exp.Avg):
        total = partial(exp.Sum(this=agg.this.copy()).sql(dialect="duckdb"))
        count = partial(exp.Count(this=agg.this.copy()).sql(dialect="duckdb"))
        return exp.Div(
            this=exp.Sum(this=total),
            expression=exp.func("nullif", exp.Sum(this=count), exp.Literal.number(0)),
        )
    final = _FINAL.get(type(agg))
    if final is None or (isinstance(agg, exp.Count) and isinstance(agg.this, exp.Distinct)):
        return None
    combined = exp.func(final, partial(agg.sql(dialect="duckdb")))
    if isinstance(agg, exp.Count | exp.CountIf):  # a count over no rows is 0, as unpushed
        return exp.func("coalesce", combined, exp.Literal.number(0))
    return combined
