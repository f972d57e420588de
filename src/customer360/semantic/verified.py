"""Verified query SQL → the equivalent `SemanticQuery`, so follow-ups can refine it.

A verified query runs as written, but "now only Premium" after it needs the structure behind
it. Simple verified SQL (one logical table or many-to-one joins, model columns, model metrics or
`agg(fact)`, a conjunction of comparisons, order by, limit) reads back into a `SemanticQuery`;
anything else (subqueries, intervals, expressions the model does not name) returns `None` and
the caller falls back to reading the question.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from customer360.semantic.compiler import AGGREGATIONS
from customer360.semantic.expressions import normalised
from customer360.semantic.model import SemanticModel
from customer360.semantic.query import Filter, Operator, Order, SemanticQuery, Value

_COMPARISONS: dict[type[exp.Expression], Operator] = {
    exp.EQ: "=",
    exp.NEQ: "!=",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.LT: "<",
    exp.LTE: "<=",
}
_AGG_FUNCS = {"sum": "sum", "avg": "avg", "min": "min", "max": "max", "median": "median"}


class _UnsupportedError(Exception):
    """The verified SQL uses something a SemanticQuery cannot express."""


def verified_semantic_query(sql: str, model: SemanticModel) -> SemanticQuery | None:
    """The SemanticQuery equivalent to a verified query's logical SQL, or None."""
    try:
        return _read(sql, model)
    except (_UnsupportedError, sqlglot.errors.ParseError):
        return None


def _read(sql: str, model: SemanticModel) -> SemanticQuery:
    tree = sqlglot.parse_one(sql, read="duckdb")
    if not isinstance(tree, exp.Select) or tree.args.get("with") or _has_subquery(tree):
        raise _UnsupportedError
    reader = _Reader(model)
    dims: list[str] = []
    metrics: list[str] = []
    aliases: dict[str, str] = {}
    for item in tree.expressions:
        inner = item.this if isinstance(item, exp.Alias) else item
        name = reader.field(inner)
        if name is not None:
            dims.append(name)
        else:
            name = reader.metric(inner)
            metrics.append(name)
        aliases[item.alias_or_name] = name
    where = tree.args.get("where")
    filters = [reader.condition(c) for c in _conjuncts(where.this)] if where else []
    order = []
    for ordered in tree.args["order"].expressions if tree.args.get("order") else []:
        key = ordered.this
        name = aliases.get(key.name) if isinstance(key, exp.Column) and not key.table else None
        order.append(Order(name or reader.any_name(key), bool(ordered.args.get("desc"))))
    limit = tree.args.get("limit")
    return SemanticQuery(
        metrics=tuple(metrics),
        dimensions=tuple(dims),
        filters=tuple(filters),
        order=tuple(order),
        limit=int(limit.expression.name) if limit is not None else None,
    )


def _has_subquery(tree: exp.Expression) -> bool:
    return any(node is not tree for node in tree.find_all(exp.Select))


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    if isinstance(node, exp.And):
        return _conjuncts(node.left) + _conjuncts(node.right)
    return [node.unnest() if isinstance(node, exp.Paren) else node]


class _Reader:
    def __init__(self, model: SemanticModel) -> None:
        self.model = model

    def field(self, node: exp.Expression) -> str | None:
        if isinstance(node, exp.Column) and node.name in self.model.fields:
            return node.name
        return None

    def any_name(self, node: exp.Expression) -> str:
        name = self.field(node)
        return name if name is not None else self.metric(node)

    def metric(self, node: exp.Expression) -> str:
        """A model metric with the same expression, or an ad-hoc `agg__fact`."""
        physical = _normalise(_to_physical(node, self.model))
        for name, (_, metric) in self.model.metrics.items():
            if normalised(metric.expr) == physical:
                return name
        func = node.key if isinstance(node, exp.AggFunc) else None
        arg = node.this if func else None
        field = self.field(arg) if func in _AGG_FUNCS and arg is not None else None
        if field and self.model.fields[field][1] == "fact" and _AGG_FUNCS[func] in AGGREGATIONS:
            return f"{_AGG_FUNCS[func]}__{field}"
        raise _UnsupportedError

    def condition(self, node: exp.Expression) -> Filter:
        if isinstance(node, exp.Column):
            return Filter(self._require_field(node), "=", (True,))
        if isinstance(node, exp.Not) and isinstance(node.this, exp.Is):
            return Filter(self._require_field(node.this.this), "is not null")
        if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
            return Filter(self._require_field(node.this), "is null")
        if isinstance(node, exp.In) and not node.args.get("query"):
            values = tuple(_value(v) for v in node.expressions)
            return Filter(self._require_field(node.this), "in", values)
        op = _COMPARISONS.get(type(node))
        if op is None:
            raise _UnsupportedError
        return Filter(self._require_field(node.this), op, (_value(node.expression),))

    def _require_field(self, node: exp.Expression) -> str:
        name = self.field(node)
        if name is None:
            raise _UnsupportedError
        return name


def _value(node: exp.Expression) -> Value:
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        value = _value(node.this)
        return -value if isinstance(value, int | float) else value
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if not isinstance(node, exp.Literal):
        raise _UnsupportedError
    if node.is_string:
        return node.name
    number = float(node.name)
    return int(number) if number.is_integer() and "." not in node.name else number


def _to_physical(node: exp.Expression, model: SemanticModel) -> exp.Expression:
    """Logical column names → the physical expressions metrics are written in."""
    copy = node.copy()
    for column in list(copy.find_all(exp.Column)):
        field = model.fields.get(column.name)
        replacement = sqlglot.parse_one(field[2].expr) if field else exp.column(column.name)
        if column is copy:
            return replacement
        column.replace(replacement)
    return copy


def _normalise(node: exp.Expression) -> str:
    return node.sql(dialect="duckdb").lower().replace(" ", "")
