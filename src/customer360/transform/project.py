"""Where the dbt project lives: the one place that knows the repository layout."""

from __future__ import annotations

from pathlib import Path

import customer360


def dbt_project_dir() -> Path:
    """The `transform/` dbt project of the repository holding the package (src/customer360)."""
    package_dir = Path(customer360.__file__).resolve().parent
    return package_dir.parents[1] / "transform"
