"""What a data directory holds: landed vs ingested files, rows per layer, quarantine."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from customer360.config import Settings
from customer360.ingest import StatusReport
from customer360.ingest import status as ingest_status
from customer360.warehouse import connect_read

LAYERS = ("bronze", "silver", "gold", "ml", "ops")


@dataclass(frozen=True)
class DataStatus:
    ingest: StatusReport
    table_rows: tuple[tuple[str, str, int], ...]
    warehouse_exists: bool


def collect_status(settings: Settings) -> DataStatus:
    """Landing and ingest state plus the row count of every table in every layer."""
    table_rows: list[tuple[str, str, int]] = []
    exists = settings.warehouse_path.exists()
    if exists:
        with connect_read(settings.warehouse_path) as con:
            tables = con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema in (select unnest(?::varchar[])) "
                "order by table_schema, table_name",
                [list(LAYERS)],
            ).fetchall()
            for schema, table in tables:
                count = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]  # noqa: S608 -- names from the catalog
                table_rows.append((schema, table, int(count)))
    return DataStatus(
        ingest=ingest_status(settings.warehouse_path, settings.landing_dir),
        table_rows=tuple(table_rows),
        warehouse_exists=exists,
    )


def render_status(console: Console, settings: Settings) -> None:
    status = collect_status(settings)
    console.print(f"Data directory: [bold]{settings.data_dir}[/bold]")
    if not status.ingest.batches:
        console.print("No landing files yet: run `c360 generate`.")
    else:
        table = Table(title="Batches", title_justify="left")
        columns = (
            "entity",
            "batch",
            "files landed",
            "loaded",
            "failed",
            "duplicate",
            "retracted",
            "pending",
        )
        for column in columns:
            table.add_column(column, justify="left" if column in ("entity", "batch") else "right")
        for batch in status.ingest.batches:
            table.add_row(
                batch.entity,
                batch.batch,
                str(batch.files_landed),
                str(batch.files_loaded),
                f"[red]{batch.files_failed}[/red]" if batch.files_failed else "0",
                str(batch.files_duplicate),
                str(batch.files_retracted),
                str(batch.pending),
            )
        console.print(table)
    if not status.warehouse_exists:
        console.print("No warehouse yet: run `c360 ingest`.")
        return
    rows = Table(title="Rows per layer", title_justify="left")
    rows.add_column("schema")
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    for schema, table_name, count in status.table_rows:
        rows.add_row(schema, table_name, f"{count:,}")
    console.print(rows)
    if status.ingest.quarantine:
        held = Table(title="Quarantined rows by reason", title_justify="left")
        held.add_column("entity")
        held.add_column("reason")
        held.add_column("rows", justify="right")
        for entity, reason, count in status.ingest.quarantine:
            held.add_row(entity, reason, f"{count:,}")
        console.print(held)
    else:
        console.print("No quarantined rows.")
