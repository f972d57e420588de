"""The run's private copy of the warehouse, published by the `warehouse` asset or discarded.

A run holds the writer lock from its first step to its last (so `c360 pipeline` and a Dagster
run never build at once), every asset writes into one staging copy, and only the `warehouse`
asset renames it over the live file. A run that fails or is killed before that step leaves the
last good warehouse live; its copy is removed when the run ends (or by the next build).
Steps share the copy, so the definitions run every step in one process (`in_process_executor`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from customer360.config import Settings, load_settings
from customer360.errors import C360Error
from customer360.warehouse import discard_build, publish_build, start_build, writer_lock


class WarehouseBuild(dg.ConfigurableResource):
    """The staging copy of `<data_dir>/warehouse.duckdb` every asset of a run writes."""

    data_dir: str
    _staging: Path | None = PrivateAttr(default=None)

    @property
    def settings(self) -> Settings:
        return load_settings(self.data_dir)

    @property
    def staging(self) -> Path:
        if self._staging is None:
            raise dg.Failure("the warehouse build was not started for this run")
        return self._staging

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseBuild]:
        warehouse = self.settings.warehouse_path
        with ExitStack() as stack:
            with one_line_failures():
                stack.enter_context(writer_lock(warehouse))
                self._staging = start_build(warehouse)
            stack.callback(discard_build, self._staging)  # a no-op once published
            yield self

    def publish(self) -> Path:
        """Rename the copy over the live warehouse; the live path."""
        warehouse = self.settings.warehouse_path
        with one_line_failures():
            publish_build(self.staging, warehouse)
        return warehouse


@contextmanager
def one_line_failures() -> Iterator[None]:
    """Our named errors reach the Dagster UI as their one clear line, not a traceback."""
    try:
        yield
    except C360Error as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from exc
