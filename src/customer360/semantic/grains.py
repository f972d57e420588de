"""Grain rules: rewrites that let a query cross tables of different grain without fanning out.

A condition on finer rows ("customers who used Mobile") becomes a semi-join, a negated one
("never used Mobile") an anti-join, and a count of customers grouped by a transaction attribute
a distinct count over the transactions. They are rewrites of the semantic query, applied by the
compiler, so they hold for every source of queries (the reader, the LLM backend).
"""

from __future__ import annotations

from customer360.semantic.graph import ModelGraph
from customer360.semantic.model import Table
from customer360.semantic.query import PERIOD_CHANGE_COLUMNS, Filter, Order, Related, SemanticQuery

NEGATED_OPS = {"!=": "=", "not in": "in"}


def positive(flt: Filter) -> Filter:
    """The filter a negated one excludes: `channel != 'Mobile'` → `channel = 'Mobile'`."""
    return Filter(flt.field, NEGATED_OPS[flt.op], flt.values)  # type: ignore[arg-type]


def count_through(graph: ModelGraph, query: SemanticQuery) -> SemanticQuery:
    """ "Customers by merchant category": a count of customers grouped by something only
    their transactions have is a distinct count of customers over those transactions."""
    if query.subject or not query.metrics or not (query.dimensions or query.periods):
        return query
    tables = {graph.field_table(m).name for m in query.metrics}
    if len(tables) != 1:
        return query
    base = graph.model.table(tables.pop())
    reachable = graph.reachable(base.name).keys() | {base.name}
    # grouped by something only finer rows have, or compared across their periods
    grouped = [*query.dimensions, *(p.field for p in query.periods[:1])]
    far = {graph.field_table(d).name for d in grouped} - reachable
    if not far or base.primary_key is None or len(base.primary_key.columns) != 1:
        return query
    key = graph.pk_fields(base)[0]
    plain_count = {f"count({base.primary_key.columns[0]})", "count(*)"}
    counts = all(
        m in graph.model.metrics
        and graph.model.metrics[m][1].expr.lower().replace(" ", "") in plain_count
        for m in query.metrics
    )
    via = {graph.via(base.name, t) for t in far}
    if not counts or len(via) != 1 or None in via:
        return query
    subject = via.pop()
    assert subject is not None
    path = graph.reachable(subject)[base.name]
    if len(path) == 1 and path[0].relationship_columns[0].right_column == key:
        key = path[0].relationship_columns[0].left_column  # no join back to count the key
    return query.with_changes(
        metrics=(f"count_distinct__{key}",),
        subject=subject,
        order=tuple(
            Order(f"count_distinct__{key}", o.descending) if o.field in query.metrics else o
            for o in query.order
        ),
    )


def relate_finer(graph: ModelGraph, query: SemanticQuery, base: Table) -> SemanticQuery:
    """Filters on a finer table (one that points to `base`) become semi-joins.

    "How many customers used Mobile": transactions are finer than customers, so the filter
    selects customers with a matching transaction instead of joining (which would count a
    customer once per transaction).
    """
    reachable = graph.reachable(base.name).keys() | {base.name}
    finer: dict[str, list[Filter]] = {}
    for flt in query.filters:
        if flt.field in PERIOD_CHANGE_COLUMNS:
            continue
        table = graph.field_table(flt.field).name
        via = graph.via(base.name, table) if table not in reachable else None
        if via:
            finer.setdefault(via, []).append(flt)
    named: dict[str, list[str]] = {}
    for name in query.named_filters:
        table = graph.field_table(name).name
        via = graph.via(base.name, table) if table not in reachable else None
        if via:
            named.setdefault(via, []).append(name)
    time_table = graph.field_table(query.time_range.field).name if query.time_range else None
    moved_time = time_table is not None and time_table not in reachable
    if moved_time and time_table:
        time_table = graph.via(base.name, time_table)
    if not finer and not named and not moved_time:
        return query
    related = []
    for table in sorted(finer.keys() | named.keys() | ({time_table} if moved_time else set())):
        rows = finer.get(table, [])
        window = query.time_range if time_table == table else None
        # "customers who never used Mobile": none of their rows match, not "a row that
        # does not match".
        negated = [f for f in rows if f.op in NEGATED_OPS and not graph.is_metric(f.field)]
        related += [
            Related(table, filters=(positive(f),), time_range=window, negated=True) for f in negated
        ]
        plain = [f for f in rows if f not in negated]
        if plain or named.get(table) or (window and not negated):
            related.append(
                Related(
                    table,
                    filters=tuple(f for f in plain if not graph.is_metric(f.field)),
                    named_filters=tuple(named.get(table, [])),
                    time_range=window,
                    having=tuple(f for f in plain if graph.is_metric(f.field)),
                )
            )
    moved = {id(f) for fs in finer.values() for f in fs}
    moved_named = {n for ns in named.values() for n in ns}
    return query.with_changes(
        filters=tuple(f for f in query.filters if id(f) not in moved),
        named_filters=tuple(n for n in query.named_filters if n not in moved_named),
        time_range=None if moved_time else query.time_range,
        related=(*query.related, *related),
    )
