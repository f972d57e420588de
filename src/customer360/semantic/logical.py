"""Logical SQL (Cortex Analyst style: `__table` and logical column names) → runnable SQL.

Each referenced logical table becomes a CTE projecting the model's expressions under their
logical names, so verified queries run unchanged here and in Cortex Analyst.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from customer360.semantic.model import SemanticModel, Table

LOGICAL_PREFIX = "__"


def logical_cte(table: Table) -> str:
    projections = ", ".join(f"{c.expr} as {c.name}" for _, c in table.columns())
    return f"select {projections} from {table.base_table.qualified}"  # noqa: S608 - model names only


def expand_logical(sql: str, model: SemanticModel) -> str:
    """Prefix `sql` with CTEs for the logical tables it references."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    names = {t.name.lower() for t in tree.find_all(exp.Table) if not t.db}
    known = {LOGICAL_PREFIX + t.name: t for t in model.tables}
    ctes = [(name, known[name]) for name in sorted(names) if name in known]
    if not ctes:
        return sql
    prefix = ",\n".join(f"{name} as ({logical_cte(table)})" for name, table in ctes)
    existing = tree.args.get("with")
    if existing is not None:
        raise ValueError("verified queries over logical tables cannot define their own CTEs")
    return f"with {prefix}\n{sql.strip().rstrip(';')}"
