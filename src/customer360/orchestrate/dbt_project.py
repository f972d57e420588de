"""The dbt project's manifest, which dagster-dbt reads to know the models, tests and sources.

Parsed in-process (dbt's own runner, as the transform stage runs dbt) into the data directory,
and parsed again only when a file of the project is newer than the manifest.
"""

from __future__ import annotations

from pathlib import Path

from customer360.config import Settings
from customer360.transform import TransformError, dbt_project_dir

_PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests")


def manifest_path(settings: Settings) -> Path:
    """`<data dir>/runs/dagster/dbt/manifest.json`, parsed when missing or stale."""
    target = (settings.runs_dir / "dagster" / "dbt").resolve()
    manifest = target / "manifest.json"
    if not manifest.is_file() or manifest.stat().st_mtime < _project_mtime(dbt_project_dir()):
        _parse(target)
    return manifest


def _project_mtime(project: Path) -> float:
    newest = 0.0
    for part in _PROJECT_PARTS:
        path = project / part
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


def _parse(target: Path) -> None:
    from dbt.cli.main import dbtRunner

    project = dbt_project_dir()
    outcome = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
            "--log-level",
            "none",
        ]
    )
    if not outcome.success:
        raise TransformError(
            f"dbt could not parse the project at {project}: {outcome.exception}; "
            f"details in {target / 'logs' / 'dbt.log'}"
        )
