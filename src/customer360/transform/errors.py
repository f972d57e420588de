"""The transform stage's named error (a C360Error, so the CLI prints one line)."""

from __future__ import annotations

from customer360.errors import C360Error


class TransformError(C360Error):
    """dbt could not build the warehouse: which model or test failed, and why."""

    exit_code = 4
