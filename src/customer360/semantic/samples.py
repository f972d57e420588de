"""Refresh the `sample_values` of low-cardinality dimensions from the warehouse's data.

Only text dimensions that opted in — they already list `sample_values` or are `is_enum` — are
read, so free-text and personal columns (names, emails) never land in the YAML. Such a dimension
gets all its values, most frequent first, when it has at most `max_values` of them, else the
same number of most frequent values it listed before (or `max_values`).

The YAML is written with PyYAML: key order and the leading comment block are kept, other
comments are not, and lists of scalars are written inline to keep the file compact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import yaml

from customer360.semantic.model import SemanticModel, SemanticModelError, Table, load_model

DEFAULT_MAX_VALUES = 25
_TEXT_TYPES = ("VARCHAR", "TEXT", "STRING", "CHAR")


class _Dumper(yaml.SafeDumper):
    pass


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, str | int | float | bool) and "\n" not in str(v) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def _values(con: duckdb.DuckDBPyConnection, table: Table, expr: str, limit: int) -> list[str]:
    base = table.base_table.qualified
    sql = (
        f"select {expr} as v, count(*) as n from {base} where {expr} is not null "  # noqa: S608 - model names
        f"group by 1 order by n desc, v limit {int(limit) + 1}"
    )
    try:
        return [str(row[0]) for row in con.execute(sql).fetchall()]
    except duckdb.Error as exc:
        raise SemanticModelError(f"cannot read values of {table.name}: {exc}") from exc


def fresh_samples(
    con: duckdb.DuckDBPyConnection, model: SemanticModel, max_values: int = DEFAULT_MAX_VALUES
) -> dict[str, list[str]]:
    """New sample values by dimension name, for the dimensions that should have them."""
    found: dict[str, list[str]] = {}
    for table in model.tables:
        for dim in table.dimensions:
            opted_in = bool(dim.sample_values) or dim.is_enum
            if dim.unique or not opted_in or not dim.data_type.upper().startswith(_TEXT_TYPES):
                continue
            values = _values(con, table, dim.expr, max_values)
            if not values:
                continue
            if len(values) <= max_values:
                found[dim.name] = values
            else:
                found[dim.name] = values[: len(dim.sample_values) or max_values]
    return found


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def refresh_sample_values(
    warehouse_path: Path | str,
    model_path: Path | str,
    out_path: Path | str,
    max_values: int = DEFAULT_MAX_VALUES,
) -> dict[str, list[str]]:
    """Write the model at `model_path` to `out_path` with refreshed sample values.

    Returns the dimensions whose samples changed (name → new values). The warehouse is opened
    read-only; the result is validated by loading it back before `out_path` is replaced.
    """
    source, target = Path(model_path), Path(out_path)
    model = load_model(source)
    text = source.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        samples = fresh_samples(con, model, max_values)
    changed: dict[str, list[str]] = {}
    for table in raw["tables"]:
        for dim in table.get("dimensions") or []:
            new = samples.get(dim["name"])
            if new is None:
                continue
            if [str(v) for v in dim.get("sample_values") or []] != new:
                changed[dim["name"]] = new
            dim["sample_values"] = new
    body = yaml.dump(raw, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    staging = target.with_name(target.name + ".tmp")
    staging.write_text(_header(text) + body, encoding="utf-8")
    try:
        load_model(staging)
    except SemanticModelError:
        staging.unlink(missing_ok=True)
        raise
    staging.replace(target)
    return changed
