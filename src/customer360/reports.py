"""Rich renderings of stage summaries for the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from customer360.assistant import Answer
    from customer360.bench import BenchResult
    from customer360.config import Settings
    from customer360.generate import GenerateSummary


def render_generate_summary(console: Console, summary: GenerateSummary, settings: Settings) -> None:
    table = Table(title=f"Generated into {settings.landing_dir}", title_justify="left")
    table.add_column("entity")
    table.add_column("rows", justify="right")
    for entity, rows in summary.rows.items():
        table.add_row(entity, f"{rows:,}")
    console.print(table)
    defects = sum(summary.defects.values())
    console.print(
        f"{len(summary.files)} files, {defects:,} rows made dirty on purpose, "
        f"{summary.seconds:.1f} s. Ground truth in {settings.oracle_dir}."
    )


def render_bench(console: Console, result: BenchResult) -> None:
    table = Table(title=f"Benchmark at {result.customers:,} customers", title_justify="left")
    for column, justify in (
        ("stage", "left"),
        ("wall (s)", "right"),
        ("rows", "right"),
        ("rows/s", "right"),
        ("peak memory (MB)", "right"),
        ("note", "left"),
    ):
        table.add_column(column, justify=justify)
    for stage in result.stages:
        table.add_row(
            stage.stage,
            f"{stage.seconds:.1f}",
            f"{stage.rows:,}",
            f"{stage.rows_per_second:,.0f}",
            f"{stage.peak_mb:,.0f}",
            stage.note,
        )
    table.add_row("pipeline total", f"{result.total_seconds:.1f}", "", "", "", "", style="bold")
    console.print(table)
    if result.interactions:
        pages = Table(title="Dashboard interactions (cold cache)", title_justify="left")
        pages.add_column("interaction")
        pages.add_column("p50 (ms)", justify="right")
        pages.add_column("p95 (ms)", justify="right")
        for interaction in result.interactions:
            pages.add_row(
                interaction.name, f"{interaction.p50_ms:.0f}", f"{interaction.p95_ms:.0f}"
            )
        console.print(pages)


def render_answer(console: Console, answer: Answer) -> None:
    if answer.interpretation:
        console.print(f"[bold]{answer.interpretation}[/bold]")
    for assumption in answer.assumptions:
        console.print(f"[italic]Assumed: {assumption}[/italic]")
    if answer.status != "answered":
        console.print(answer.message)
        for suggestion in answer.suggestions:
            console.print(f"  • {suggestion}")
        return
    table = Table(show_lines=False)
    for column in answer.columns:
        table.add_column(column)
    for row in answer.rows:
        table.add_row(
            *(
                "" if value is None else f"{value:,.2f}" if isinstance(value, float) else str(value)
                for value in row
            )
        )
    console.print(table)
    if answer.message:
        console.print(answer.message)
    console.print(f"[dim]{answer.sql}[/dim]")
    console.print(f"[dim]Answered by: {answer.engine}[/dim]")
