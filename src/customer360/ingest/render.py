"""Rich rendering of an ingest report."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from customer360.ingest.report import IngestReport

_STATUS_STYLE = {"loaded": "green", "skipped": "dim", "failed": "red"}


def render_ingest_report(console: Console, report: IngestReport) -> None:
    files = Table(title="Ingested files", title_justify="left")
    files.add_column("file")
    files.add_column("status")
    for heading in ("rows in", "loaded", "quarantined"):
        files.add_column(heading, justify="right")
    for result in report.files:
        style = _STATUS_STYLE[result.status]
        files.add_row(
            result.path,
            f"[{style}]{result.status}[/{style}]",
            f"{result.rows_in:,}",
            f"{result.rows_loaded:,}",
            f"{result.rows_quarantined:,}",
        )
    console.print(files)
    console.print(
        f"{len(report.loaded)} loaded, {len(report.skipped)} skipped (already ingested), "
        f"{len(report.failed)} failed; {report.rows_loaded:,} rows loaded, "
        f"{report.rows_quarantined:,} quarantined"
    )
    if report.quarantined_by_reason:
        reasons = Table(title="Quarantined this run", title_justify="left")
        reasons.add_column("entity")
        reasons.add_column("reason")
        reasons.add_column("rows", justify="right")
        for (entity, reason), count in sorted(report.quarantined_by_reason.items()):
            reasons.add_row(entity, reason, f"{count:,}")
        console.print(reasons)
