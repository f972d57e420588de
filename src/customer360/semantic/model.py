"""Typed objects for a Cortex Analyst-format semantic model, loaded from YAML.

Unknown keys are rejected so a typo in the YAML fails loudly instead of being ignored. The older
Cortex name `measures` is accepted as an alias of `facts`.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from customer360.errors import C360Error

IDENTIFIER = r"^[a-z_][a-z0-9_]*$"


class SemanticModelError(C360Error):
    """The semantic model YAML is malformed or does not match the warehouse."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BaseTable(_Strict):
    database: str
    schema_: str = Field(alias="schema")
    table: str

    @property
    def qualified(self) -> str:
        """`schema.table`: the database name is the attached file, not part of the path."""
        return f"{self.schema_}.{self.table}"


class PrimaryKey(_Strict):
    columns: tuple[str, ...]


class Column(_Strict):
    """A dimension, time dimension or fact: a named SQL expression over the base table."""

    name: str = Field(pattern=IDENTIFIER)
    synonyms: tuple[str, ...] = ()
    description: str = ""
    expr: str
    data_type: str
    unique: bool = False
    is_enum: bool = False
    sample_values: tuple[str, ...] = ()
    default_aggregation: str | None = None
    access_modifier: str | None = None
    cortex_search_service_name: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _stringify_samples(cls, data: Any) -> Any:
        if isinstance(data, dict) and "sample_values" in data:
            data = {**data, "sample_values": [str(v) for v in data["sample_values"] or []]}
        return data


class Metric(_Strict):
    name: str = Field(pattern=IDENTIFIER)
    synonyms: tuple[str, ...] = ()
    description: str = ""
    expr: str
    access_modifier: str | None = None


class NamedFilter(_Strict):
    name: str = Field(pattern=IDENTIFIER)
    synonyms: tuple[str, ...] = ()
    description: str = ""
    expr: str


ColumnKind = Literal["dimension", "time_dimension", "fact"]


class Table(_Strict):
    name: str = Field(pattern=IDENTIFIER)
    synonyms: tuple[str, ...] = ()
    description: str = ""
    base_table: BaseTable
    primary_key: PrimaryKey | None = None
    dimensions: tuple[Column, ...] = ()
    time_dimensions: tuple[Column, ...] = ()
    facts: tuple[Column, ...] = ()
    metrics: tuple[Metric, ...] = ()
    filters: tuple[NamedFilter, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _measures_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "measures" in data:
            data = dict(data)
            data["facts"] = [*data.get("facts", []), *data.pop("measures")]
        return data

    def columns(self) -> tuple[tuple[ColumnKind, Column], ...]:
        return (
            *(("dimension", c) for c in self.dimensions),
            *(("time_dimension", c) for c in self.time_dimensions),
            *(("fact", c) for c in self.facts),
        )


class RelationshipColumn(_Strict):
    left_column: str
    right_column: str


class Relationship(_Strict):
    name: str
    left_table: str
    right_table: str
    relationship_columns: tuple[RelationshipColumn, ...]
    join_type: Literal["left_outer", "inner"] = "left_outer"
    relationship_type: Literal["many_to_one", "one_to_one"] = "many_to_one"


class VerifiedQuery(_Strict):
    name: str
    question: str
    sql: str
    verified_at: int | None = None
    verified_by: str | None = None
    use_as_onboarding_question: bool = False


class SemanticModel(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    name: str
    description: str = ""
    tables: tuple[Table, ...]
    relationships: tuple[Relationship, ...] = ()
    verified_queries: tuple[VerifiedQuery, ...] = ()
    custom_instructions: str | None = None

    @model_validator(mode="after")
    def _check_references(self) -> SemanticModel:
        names: dict[str, str] = {}
        for table in self.tables:
            entries = [c.name for _, c in table.columns()]
            entries += [m.name for m in table.metrics] + [f.name for f in table.filters]
            for entry in entries:
                if entry in names:
                    raise ValueError(
                        f"name {entry!r} is defined in both {names[entry]} and {table.name}; "
                        "logical names must be unique across the model"
                    )
                names[entry] = table.name
        for rel in self.relationships:
            for side, table_name, cols in (
                ("left", rel.left_table, [c.left_column for c in rel.relationship_columns]),
                ("right", rel.right_table, [c.right_column for c in rel.relationship_columns]),
            ):
                table = self.table(table_name)
                known = {c.name for _, c in table.columns()}
                missing = [c for c in cols if c not in known]
                if missing:
                    raise ValueError(f"relationship {rel.name}: {side} columns {missing} unknown")
        return self

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise ValueError(f"unknown table {name!r}")

    @cached_property
    def fields(self) -> dict[str, tuple[Table, ColumnKind, Column]]:
        """Every dimension, time dimension and fact by logical name."""
        return {c.name: (t, kind, c) for t in self.tables for kind, c in t.columns()}

    @cached_property
    def metrics(self) -> dict[str, tuple[Table, Metric]]:
        return {m.name: (t, m) for t in self.tables for m in t.metrics}

    def default_time_field(self, table_name: str) -> str | None:
        """The time dimension a bare period ("in 2025") applies to on this table, if any.

        Tables on the many side of a relationship record events or periods (transactions,
        monthly spend, customer history): their first time dimension says when a row happened.
        Entity tables (customers, categories) have none: their dates are attributes, named
        explicitly ("opened in 2024").
        """
        if not any(rel.left_table == table_name for rel in self.relationships):
            return None
        table = self.table(table_name)
        return table.time_dimensions[0].name if table.time_dimensions else None

    @cached_property
    def named_filters(self) -> dict[str, tuple[Table, NamedFilter]]:
        return {f.name: (t, f) for t in self.tables for f in t.filters}


DEFAULT_MODEL_PATH = Path(str(resources.files("customer360.semantic") / "semantic_model.yaml"))


def load_model(path: Path | None = None) -> SemanticModel:
    """Load and check a semantic model YAML (the packaged one by default)."""
    source = path or DEFAULT_MODEL_PATH
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SemanticModelError(f"cannot read semantic model {source}: {exc}") from exc
    try:
        return SemanticModel.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SemanticModelError(
            f"semantic model {source} is invalid at {where}: {first['msg']} "
            f"({exc.error_count()} problem(s)); see docs/assistant.md for the format"
        ) from exc


@lru_cache(maxsize=1)
def default_model() -> SemanticModel:
    """The packaged model, loaded once per process."""
    return load_model()
