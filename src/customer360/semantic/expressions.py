"""Rewrites of SQL expressions with sqlglot: aggregates restricted by a condition, share totals."""

from __future__ import annotations

import re
from functools import lru_cache

import sqlglot
from sqlglot import exp


@lru_cache(maxsize=4096)
def parsed(expr: str) -> exp.Expression:
    """A model expression parsed once (DuckDB dialect). Shared: copy before changing it."""
    return sqlglot.parse_one(expr, read="duckdb")


@lru_cache(maxsize=4096)
def normalised(expr: str) -> str:
    """A model expression in one canonical spelling, for comparing two of them."""
    return parsed(expr).sql(dialect="duckdb").lower().replace(" ", "")


def slug(label: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", label.lower()))


def filtered(expr: str, condition: str) -> str:
    """Every aggregate of `expr` restricted to rows meeting `condition` (`filter (where …)`)."""
    tree = sqlglot.parse_one(expr, read="duckdb")
    where = sqlglot.parse_one(condition, read="duckdb")
    for agg in list(tree.find_all(exp.AggFunc)):
        if agg.find_ancestor(exp.AggFunc) is None:
            wrapped = exp.Filter(this=agg.copy(), expression=exp.Where(this=where.copy()))
            if agg is tree:
                return wrapped.sql(dialect="duckdb")
            agg.replace(wrapped)
    return tree.sql(dialect="duckdb")


def share_total(expr: str) -> exp.Sum | None:
    """The `sum(<aggregate>)` a share metric's window divides by, if it is one."""
    windows = list(sqlglot.parse_one(expr, read="duckdb").find_all(exp.Window))
    if len(windows) != 1 or windows[0].args.get("partition_by"):
        return None
    total = windows[0].this
    return total if isinstance(total, exp.Sum) and isinstance(total.this, exp.AggFunc) else None


def conditional_share(expr: str, condition: str) -> str:
    """`100 * agg / sum(agg) over ()` → `100 * agg filter (where condition) / nullif(agg, 0)`.

    The share of the rows meeting `condition` within each group, not of the grand total.
    """
    tree = sqlglot.parse_one(expr, read="duckdb")
    window = next(tree.find_all(exp.Window))
    total = window.this.this.copy()
    where = sqlglot.parse_one(condition, read="duckdb")
    for agg in list(tree.find_all(exp.AggFunc)):
        if agg.find_ancestor(exp.Window) is None and agg is not window.this:
            agg.replace(exp.Filter(this=agg.copy(), expression=exp.Where(this=where.copy())))
    window.replace(exp.func("nullif", total, exp.Literal.number(0)))
    return tree.sql(dialect="duckdb")


def conditioned_aggregate(expr: str) -> tuple[str, str, str, str] | None:
    """`sum(case when status = 'approved' then transaction_amount end)` →
    ("sum", "status", "approved", "transaction_amount"); None for any other shape."""
    tree = parsed(expr)
    kinds = {exp.Sum: "sum", exp.Avg: "avg", exp.Max: "max", exp.Min: "min", exp.Median: "median"}
    agg = kinds.get(type(tree))
    case = tree.this if agg else None
    if (
        not isinstance(case, exp.Case)
        or len(case.args.get("ifs") or []) != 1
        or case.args.get("default")
    ):
        return None
    branch = case.args["ifs"][0]
    test, then = branch.this, branch.args.get("true")
    if not (isinstance(test, exp.EQ) and isinstance(test.this, exp.Column)):
        return None
    if not (isinstance(test.expression, exp.Literal) and isinstance(then, exp.Column)):
        return None
    return agg, test.this.name, test.expression.name, then.name


def columns_of(expr: str) -> set[str]:
    """The column names an expression reads."""
    return {c.name for c in parsed(expr).find_all(exp.Column)}
