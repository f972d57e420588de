"""Check a semantic model against a warehouse: every table, column and expression compiles."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from customer360.semantic.logical import expand_logical
from customer360.semantic.model import SemanticModel, SemanticModelError


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


def _try(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        return str(exc).splitlines()[0]
    return None


def find_problems(con: duckdb.DuckDBPyConnection, model: SemanticModel) -> list[Problem]:
    """Every expression of the model that does not compile on `con`, one Problem each."""
    problems: list[Problem] = []
    for table in model.tables:
        base = table.base_table.qualified
        error = _try(con, f"select 1 from {base} limit 0")  # noqa: S608 - names from the model
        if error:
            problems.append(Problem(table.name, error))
            continue
        checks = [
            (f"{table.name}.{c.name}", f"select {c.expr} from {base} limit 0")  # noqa: S608
            for _, c in table.columns()
        ]
        checks += [
            (f"{table.name}.{m.name}", f"select {m.expr} from {base} limit 0")  # noqa: S608
            for m in table.metrics
        ]
        checks += [
            (f"{table.name}.{f.name}", f"select 1 from {base} where {f.expr} limit 0")  # noqa: S608
            for f in table.filters
        ]
        for where, sql in checks:
            error = _try(con, sql)
            if error:
                problems.append(Problem(where, error))
    for query in model.verified_queries:
        try:
            sql = expand_logical(query.sql, model)
        except Exception as exc:
            problems.append(Problem(f"verified_queries.{query.name}", str(exc)))
            continue
        error = _try(con, f"select * from ({sql}) limit 0")  # noqa: S608
        if error:
            problems.append(Problem(f"verified_queries.{query.name}", error))
    return problems


def validate_against(con: duckdb.DuckDBPyConnection, model: SemanticModel) -> None:
    """Raise SemanticModelError listing every expression that does not compile."""
    problems = find_problems(con, model)
    if problems:
        listing = "; ".join(f"{p.where}: {p.message}" for p in problems[:10])
        raise SemanticModelError(
            f"semantic model does not match the warehouse ({len(problems)} problem(s)): {listing}"
        )
