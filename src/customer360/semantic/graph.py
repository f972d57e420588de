"""The semantic model as a graph of tables: where each name lives and which tables join.

Joins follow relationships from the many side to the one side only, so rows never fan out; a
table that points at another is *finer* than it (transactions → customers).
"""

from __future__ import annotations

from collections import deque

from customer360.errors import C360Error
from customer360.semantic.expressions import share_total
from customer360.semantic.model import Relationship, SemanticModel, Table

# Ad-hoc metrics over any fact: "avg__credit_limit", "median__age", ...
AGGREGATIONS = {
    "sum": "sum({})",
    "avg": "avg({})",
    "min": "min({})",
    "max": "max({})",
    "median": "median({})",
    "count_distinct": "count(distinct {})",
}


class CompileError(C360Error):
    """The semantic query cannot be expressed over the model (unknown name, no join path)."""


class ModelGraph:
    def __init__(self, model: SemanticModel) -> None:
        self.model = model

    def is_metric(self, name: str) -> bool:
        agg, _, field = name.partition("__")
        return name in self.model.metrics or (agg in AGGREGATIONS and field in self.model.fields)

    def is_share(self, name: str) -> bool:
        """A share metric: its expression divides by a window total (`sum(…) over ()`)."""
        if name not in self.model.metrics:
            return False
        return share_total(self.model.metrics[name][1].expr) is not None

    def field_table(self, name: str) -> Table:
        agg, _, field = name.partition("__")
        if agg in AGGREGATIONS and field in self.model.fields:
            return self.model.fields[field][0]
        if name in self.model.fields:
            return self.model.fields[name][0]
        if name in self.model.metrics:
            return self.model.metrics[name][0]
        if name in self.model.named_filters:
            return self.model.named_filters[name][0]
        raise CompileError(f"unknown field {name!r}")

    def reachable(self, start: str) -> dict[str, list[Relationship]]:
        """Tables reachable from `start` along many-to-one relationships, with their paths."""
        paths: dict[str, list[Relationship]] = {}
        queue: deque[tuple[str, list[Relationship]]] = deque([(start, [])])
        while queue:
            current, path = queue.popleft()
            for rel in self.model.relationships:
                if rel.left_table == current and rel.right_table not in paths | {start: []}:
                    paths[rel.right_table] = [*path, rel]
                    queue.append((rel.right_table, [*path, rel]))
        return paths

    def via(self, base: str, table: str) -> str | None:
        """The finer table whose rows point to `base` and reach `table` (itself if it does)."""
        candidates = [
            t.name
            for t in self.model.tables
            if base in self.reachable(t.name)
            and (t.name == table or table in self.reachable(t.name))
        ]
        candidates.sort(key=lambda t: (t != table, len(self.reachable(t).get(base, []))))
        return candidates[0] if candidates else None

    def pk_fields(self, base: Table) -> list[str]:
        """Logical names of the base table's primary-key columns (matched by expression)."""
        assert base.primary_key is not None
        by_expr = {c.expr: c.name for _, c in base.columns()}
        return [by_expr.get(col, col) for col in base.primary_key.columns]
