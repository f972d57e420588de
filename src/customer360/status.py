"""What a data directory holds: landed vs ingested files, rows per layer, quarantine."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from customer360.config import Settings
from customer360.ingest.manifest import discover
from customer360.warehouse import connect_read

LAYERS = ("bronze", "silver", "gold", "ops")


@dataclass(frozen=True)
class BatchStatus:
    entity: str
    batch: str
    files_landed: int
    files_ingested: int
    files_failed: int


@dataclass(frozen=True)
class DataStatus:
    batches: tuple[BatchStatus, ...]
    table_rows: tuple[tuple[str, str, int], ...]
    quarantine: tuple[tuple[str, str, int], ...]
    warehouse_exists: bool


def collect_status(settings: Settings) -> DataStatus:
    landed = discover(settings.landing_dir) if settings.landing_dir.is_dir() else []
    manifest: dict[str, str] = {}
    table_rows: list[tuple[str, str, int]] = []
    quarantine: list[tuple[str, str, int]] = []
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
            names = {(schema, table) for schema, table, _ in table_rows}
            if ("ops", "file_manifest") in names:
                manifest = dict(
                    con.execute("select path, status from ops.file_manifest").fetchall()
                )
            if ("ops", "quarantine") in names:
                quarantine = [
                    (entity, reason, int(rows))
                    for entity, reason, rows in con.execute(
                        "select entity, reason, count(*) from ops.quarantine "
                        "group by all order by 3 desc"
                    ).fetchall()
                ]
    batches: dict[tuple[str, str], list[int]] = {}
    for file in landed:
        counts = batches.setdefault((file.entity, file.batch), [0, 0, 0])
        counts[0] += 1
        file_status = manifest.get(file.relpath)
        counts[1] += file_status == "loaded"
        counts[2] += file_status == "failed"
    return DataStatus(
        batches=tuple(BatchStatus(e, b, *counts) for (e, b), counts in batches.items()),
        table_rows=tuple(table_rows),
        quarantine=tuple(quarantine),
        warehouse_exists=exists,
    )


def render_status(console: Console, settings: Settings) -> None:
    status = collect_status(settings)
    console.print(f"Data directory: [bold]{settings.data_dir}[/bold]")
    if not status.batches:
        console.print("No landing files yet: run `c360 generate`.")
    else:
        table = Table(title="Batches", title_justify="left")
        for column in ("entity", "batch", "files landed", "ingested", "failed"):
            table.add_column(column, justify="left" if column in ("entity", "batch") else "right")
        for batch in status.batches:
            table.add_row(
                batch.entity,
                batch.batch,
                str(batch.files_landed),
                str(batch.files_ingested),
                f"[red]{batch.files_failed}[/red]" if batch.files_failed else "0",
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
    if status.quarantine:
        held = Table(title="Quarantined rows by reason", title_justify="left")
        held.add_column("entity")
        held.add_column("reason")
        held.add_column("rows", justify="right")
        for entity, reason, count in status.quarantine:
            held.add_row(entity, reason, f"{count:,}")
        console.print(held)
    else:
        console.print("No quarantined rows.")
