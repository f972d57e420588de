"""docs/data-dictionary.md, generated from the dbt YAML (the single source of column docs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from customer360.transform.project import dbt_project_dir

_LAYERS = (
    ("staging", "Silver — staging"),
    ("intermediate", "Silver — intermediate"),
    ("marts/core", "Gold — core star schema"),
    ("marts/customer", "Gold — customer marts"),
)


def write_data_dictionary(path: Path | None = None) -> Path:
    """Write the data dictionary (default: docs/data-dictionary.md next to transform/)."""
    project = dbt_project_dir()
    target = path or project.parent / "docs" / "data-dictionary.md"
    lines = [
        "# Data dictionary",
        "",
        "Generated from the dbt YAML in `transform/models/` by "
        "`customer360.transform.write_data_dictionary`; edit the YAML, not this file.",
        "",
    ]
    for folder, title in _LAYERS:
        models = _models_in(project / "models" / folder)
        if not models:
            continue
        schema = "gold" if folder.startswith("marts") else "silver"
        lines += [f"## {title} (`{schema}`)", ""]
        for model in models:
            lines += _model_section(model, schema)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return target


def _models_in(folder: Path) -> list[dict[str, Any]]:
    models: list[dict[str, Any]] = []
    for yaml_file in sorted(folder.glob("*.yml")):
        document = yaml.safe_load(yaml_file.read_text(encoding="utf-8")) or {}
        models.extend(document.get("models", []))
    return models


def _model_section(model: dict[str, Any], schema: str) -> list[str]:
    lines = [f"### `{schema}.{model['name']}`", "", _one_line(model.get("description", "")), ""]
    columns = model.get("columns", [])
    if model.get("config", {}).get("contract", {}).get("enforced"):
        lines += ["Columns and types are an enforced dbt contract.", ""]
    typed = any("data_type" in column for column in columns)
    if columns:
        header = ["Column", *(["Type"] if typed else []), "Description", "Tests"]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for column in columns:
            tests = ", ".join(_test_name(test) for test in column.get("data_tests", []))
            description = _one_line(column.get("description", "")).replace("|", "\\|")
            data_type = [column.get("data_type", "").upper()] if typed else []
            cells = [f"`{column['name']}`", *data_type, description, tests]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def _test_name(test: str | dict[str, Any]) -> str:
    if isinstance(test, str):
        return test
    return next(iter(test))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
