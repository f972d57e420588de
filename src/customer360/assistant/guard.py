"""The SQL guard: every statement the assistant runs passes through `guard_sql` first.

Rules (an allow-list, not a block-list): exactly one statement; it is a SELECT (set operations
of SELECTs allowed); every table is a semantic-model base table or a CTE defined in the same
statement; every column name is a model column, a CTE column or an alias defined in the
statement, and every column reference resolves, scope by scope (sqlglot's qualify), to a column
of a table in the query, so a table alias cannot be selected as a whole row; no `*` projections
and no `COLUMNS(…)`; no unknown (anonymous) functions, which is where DuckDB's file readers,
catalog functions and `getenv` live; no row generators or struct builders; no SELECT INTO; for
roles without access to personal data, no reference at all to a personal-data column (selected,
filtered, grouped or derived); and a row limit no larger than the policy's maximum is enforced
on the outermost query.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, SqlglotError
from sqlglot.optimizer.qualify import qualify

from customer360.errors import C360Error
from customer360.semantic.model import SemanticModel

MAX_SQL_CHARS = 20_000
DEFAULT_MAX_ROWS = 1000
_STATEMENTS = (exp.Select, exp.Union, exp.Intersect, exp.Except)
_FORBIDDEN_NODES = (
    *(exp.Into, exp.Lateral, exp.Placeholder, exp.Parameter, exp.SessionParameter, exp.Columns),
    # row generators and builders of whole rows: memory bombs, or a row's every column at once
    *(exp.GenerateSeries, exp.Explode, exp.Unnest, exp.Repeat, exp.Struct, exp.TableColumn),
)


class GuardError(C360Error):
    """The SQL was rejected by the guard; nothing was executed."""


@dataclass(frozen=True)
class GuardPolicy:
    tables: frozenset[tuple[str, str]]
    columns: frozenset[str]
    max_rows: int = DEFAULT_MAX_ROWS
    # schema → table → column → type: what each base table's columns are, for scope resolution
    schema: dict[str, dict[str, dict[str, str]]] | None = None
    # Columns this role may not read in any way (personal data for masked roles).
    private: frozenset[str] = frozenset()


def policy_for(
    model: SemanticModel, max_rows: int = DEFAULT_MAX_ROWS, private: frozenset[str] = frozenset()
) -> GuardPolicy:
    """Allowed tables and column names: the model's base tables and every name its exprs use;
    `private` names the columns the role may not read (see customer360.privacy)."""
    tables = {(t.base_table.schema_.lower(), t.base_table.table.lower()) for t in model.tables}
    columns = {name.lower() for name in model.fields}
    schema: dict[str, dict[str, dict[str, str]]] = {}
    for table in model.tables:
        exprs = [c.expr for _, c in table.columns()] + [m.expr for m in table.metrics]
        exprs += [f.expr for f in table.filters]
        physical = schema.setdefault(table.base_table.schema_.lower(), {}).setdefault(
            table.base_table.table.lower(), {}
        )
        for expr in exprs:
            for column in sqlglot.parse_one(expr).find_all(exp.Column):
                columns.add(column.name.lower())
                physical[column.name.lower()] = "VARCHAR"  # names resolve; types do not matter
    private = frozenset(c.lower() for c in private)
    return GuardPolicy(frozenset(tables), frozenset(columns - private), max_rows, schema, private)


def _parse_one(sql: str) -> exp.Expression:
    if len(sql) > MAX_SQL_CHARS:
        raise GuardError(f"SQL is longer than {MAX_SQL_CHARS} characters")
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except SqlglotError as exc:
        raise GuardError(f"SQL does not parse: {str(exc).splitlines()[0][:200]}") from exc
    if len(statements) != 1:
        raise GuardError(f"exactly one statement is allowed, got {len(statements)}")
    tree = statements[0]
    if not isinstance(tree, _STATEMENTS):
        raise GuardError(f"only SELECT is allowed, got {type(tree).__name__.upper()}")
    return tree


def _check_nodes(tree: exp.Expression) -> None:
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise GuardError(f"{type(node).__name__.upper()} is not allowed")
        if isinstance(node, exp.Anonymous):
            raise GuardError(f"function {node.name!r} is not allowed")
        if isinstance(node, exp.Func) and node.sql_name().lower().startswith(("read_", "glob")):
            raise GuardError(f"function {node.sql_name().lower()} is not allowed")
        if isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count):
            raise GuardError("SELECT * is not allowed; name the columns")
        if isinstance(node, exp.Command | exp.DDL | exp.DML):
            raise GuardError(f"{type(node).__name__.upper()} is not allowed")


def _check_tables(tree: exp.Expression, policy: GuardPolicy, ctes: set[str]) -> None:
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise GuardError(f"table expression {table.sql()[:80]!r} is not allowed")
        name = table.name.lower()
        if table.args.get("catalog") is not None:
            raise GuardError(f"table {table.sql()!r} is outside the semantic model")
        if not table.db and name in ctes:
            continue
        if (table.db.lower(), name) not in policy.tables:
            raise GuardError(f"table {table.sql()!r} is outside the semantic model")


def _check_columns(tree: exp.Expression, policy: GuardPolicy, ctes: set[str]) -> None:
    for column in tree.find_all(exp.Column):  # before aliases: "email as email" is still email
        if column.name.lower() in policy.private:
            raise GuardError(f"column {column.name!r} is personal data, not available to this role")
    defined = {a.alias.lower() for a in tree.find_all(exp.Alias)}
    defined |= {c.lower() for cte in tree.find_all(exp.CTE) for c in cte.alias_column_names}
    defined |= {t.alias.lower() for t in tree.find_all(exp.Table) if t.alias}
    defined |= ctes
    for column in tree.find_all(exp.Column):
        name = column.name.lower()
        if name not in policy.columns and name not in defined:
            raise GuardError(f"column {column.name!r} is not in the semantic model")


def _check_scopes(tree: exp.Expression, policy: GuardPolicy) -> None:
    """Every column resolves to a column of a table in its scope: a bare table alias (a whole
    row as a struct, every column included) or a name from nowhere is refused."""
    if policy.schema is None:
        return
    try:
        resolved = qualify(
            tree.copy(), schema=policy.schema, dialect="duckdb", validate_qualify_columns=True
        )
    except (OptimizeError, SqlglotError) as exc:
        raise GuardError(f"SQL does not resolve: {str(exc).splitlines()[0][:200]}") from exc
    for node in resolved.walk():
        if isinstance(node, exp.TableColumn):
            raise GuardError(f"selecting the table {node.name!r} as a value is not allowed")
    for column in resolved.find_all(exp.Column):
        if column.name.lower() in policy.private:
            raise GuardError(f"column {column.name!r} is personal data, not available to this role")


def _enforce_limit(tree: exp.Expression, max_rows: int) -> exp.Expression:
    limit = tree.args.get("limit")
    if limit is None:
        return tree.limit(max_rows)
    value = limit.expression
    if not isinstance(value, exp.Literal) or not value.is_int:
        raise GuardError("LIMIT must be a plain integer")
    if int(value.name) > max_rows:
        return tree.limit(max_rows)
    return tree


def guard_sql(sql: str, policy: GuardPolicy) -> str:
    """Return the SQL that may run (with a row limit), or raise GuardError."""
    tree = _parse_one(sql)
    ctes = {cte.alias.lower() for cte in tree.find_all(exp.CTE)}
    _check_nodes(tree)
    _check_tables(tree, policy, ctes)
    _check_columns(tree, policy, ctes)
    _check_scopes(tree, policy)
    return _enforce_limit(tree, policy.max_rows).sql(dialect="duckdb")
