"""`c360`: thin Typer commands, each calling one library function."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from typer.exceptions import TyperException

from customer360 import __version__
from customer360.bench import DEFAULT_STAGES
from customer360.config import Settings, load_settings
from customer360.errors import C360Error, UsageError, disk_full_reason
from customer360.progress import ProgressCallback, rich_progress

app = typer.Typer(
    name="c360",
    help="Customer 360: credit-card portfolio analytics on a laptop.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)


DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where all state lives (default: $C360_DATA_DIR or ./data)."),
]


class State:
    data_dir: Path | None = None


state = State()


def _settings(data_dir: Path | None) -> Settings:
    """A command's own --data-dir wins over the one given before the command.

    Loaded when a command needs it, so a bad C360_DATA_DIR never stops `--help` or `bench`.
    """
    return load_settings(data_dir if data_dir is not None else state.data_dir)


def _version(value: bool) -> None:
    if value:
        console.print(f"c360 {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="Where all state lives (default: $C360_DATA_DIR or ./data)."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    state.data_dir = data_dir


def _parse_as_of(text: str) -> date:
    from customer360.dates import require_plausible

    if text == "today":
        return date.today()
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--as-of {text!r} is not a date; use YYYY-MM-DD or 'today'") from exc
    return require_plausible(day, "--as-of")


@app.command()
def generate(
    customers: Annotated[int, typer.Option(help="Number of customers.")] = 50_000,
    seed: Annotated[
        int, typer.Option(help="Random seed; same seed and options give identical files.")
    ] = 42,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Last day of history (YYYY-MM-DD or 'today').")
    ] = "2026-06-30",
    days: Annotated[int, typer.Option(help="Days of history ending at --as-of.")] = 580,
    transactions_per_customer: Annotated[
        float, typer.Option(help="Average transactions per customer over the history.")
    ] = 270.0,
    defect_rate: Annotated[
        float, typer.Option(help="Share of landing rows made dirty on purpose (0 = clean).")
    ] = 0.002,
    increments: Annotated[
        int, typer.Option(help="Emit the last N days as daily increment batches.")
    ] = 0,
    file_format: Annotated[
        str, typer.Option("--format", help="Landing file format: csv.gz, csv or parquet.")
    ] = "csv.gz",
    quiet: Annotated[bool, typer.Option(help="No progress bar or summary.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Generate the seeded synthetic portfolio into the landing folder."""
    from customer360.generate import GenerateOptions, generate_world
    from customer360.runlog import record_run

    options = GenerateOptions(
        customers=customers,
        seed=seed,
        as_of=_parse_as_of(as_of),
        days=days,
        transactions_per_customer=transactions_per_customer,
        defect_rate=defect_rate,
        increments=increments,
        format=file_format,
    )
    settings = _settings(data_dir)
    with rich_progress(console, enabled=not quiet) as progress:
        summary = generate_world(options, settings, progress)
    record_run(
        settings.runs_dir,
        "generate",
        rows=summary.rows.get("transactions", 0),
        details={"rows_by_entity": summary.rows, "seconds": summary.seconds},
    )
    if not quiet:
        from customer360.reports import render_generate_summary

        render_generate_summary(console, summary, settings)


@app.command()
def ingest(
    quiet: Annotated[bool, typer.Option(help="No progress bar or report.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Load new landing files into bronze, quarantining bad rows."""
    from customer360.ingest import ingest_landing
    from customer360.ingest.render import render_ingest_report
    from customer360.runlog import record_run
    from customer360.warehouse import building

    settings = _settings(data_dir)
    if not settings.landing_dir.is_dir():
        raise UsageError(
            f"no landing folder at {settings.landing_dir}; run `c360 generate` first "
            "or point --data-dir at a data directory"
        )
    with (
        rich_progress(console, enabled=not quiet) as progress,
        building(settings.warehouse_path) as staging,
    ):
        report = ingest_landing(settings.landing_dir, staging, progress)
    record_run(
        settings.runs_dir,
        "ingest",
        rows=report.rows_loaded,
        details={"rows_quarantined": report.rows_quarantined, "files_failed": len(report.failed)},
    )
    if not quiet:
        render_ingest_report(console, report)
    for failure in report.failed:
        errors.print(f"[red]error:[/red] {failure.error}", highlight=False, soft_wrap=True)
    if report.failed:
        raise typer.Exit(code=3)


@app.command()
def retract(
    file: Annotated[
        str,
        typer.Argument(
            help="The landing file as ingest names it (transactions/0001-2026-06-28.csv.gz) "
            "or its path."
        ),
    ],
    reason: Annotated[str, typer.Option(help="Why; kept in the manifest.")] = "operator",
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Withdraw a landing file: its rows leave bronze, the manifest records it, gold is rebuilt."""
    from customer360.ingest import retract_file
    from customer360.pipeline import transform_stage
    from customer360.runlog import record_run

    settings = _settings(data_dir)
    with _staged(settings, quiet) as (staging, progress):
        report = retract_file(staging, settings.landing_dir, file, reason=reason)
        rebuilt = (
            transform_stage(staging, settings, full_refresh=True, progress=progress)
            if report.derived_layers
            else None
        )
    record_run(
        settings.runs_dir, "retract", rows=report.rows_removed, details={"path": report.path}
    )
    console.print(report.summary())
    if rebuilt is not None:
        console.print(rebuilt.summary())


@contextmanager
def _staged(settings: Settings, quiet: bool) -> Iterator[tuple[Path, ProgressCallback | None]]:
    """A progress bar and a private copy of the existing warehouse, published on success."""
    from customer360.warehouse import building

    warehouse = _require_warehouse(settings)
    with rich_progress(console, enabled=not quiet) as progress, building(warehouse) as staging:
        yield staging, progress


def _fact_rows(warehouse: Path) -> int:
    from customer360.warehouse import connect_read

    with connect_read(warehouse) as con:
        return int(con.execute("select count(*) from gold.fct_transactions").fetchone()[0])


FullRefresh = Annotated[
    bool,
    typer.Option(help="Rebuild incremental models from scratch (e.g. after a model change)."),
]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Compute 'as of' this date (default: the latest transaction)."),
]


def _optional_date(text: str | None) -> date | None:
    return _parse_as_of(text) if text else None


@app.command()
def transform(
    as_of: AsOf = None,
    full_refresh: FullRefresh = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Build silver and gold with dbt (models and all tests), then publish atomically."""
    from customer360.pipeline import transform_stage
    from customer360.runlog import record_run

    settings = _settings(data_dir)
    with _staged(settings, quiet) as (staging, progress):
        report = transform_stage(
            staging,
            settings,
            as_of=_optional_date(as_of),
            full_refresh=full_refresh,
            progress=progress,
        )
    record_run(settings.runs_dir, "transform", rows=_fact_rows(settings.warehouse_path), details={})
    console.print(report.summary())


@app.command()
def train(
    seed: Annotated[int, typer.Option(help="Random seed for the model.")] = 42,
    as_of: AsOf = None,
    override_sentinel: Annotated[
        bool,
        typer.Option(help="Publish even if the leakage sentinel fires (you own the consequences)."),
    ] = False,
    rescore: Annotated[
        bool, typer.Option("--score/--no-score", help="Re-score customers with the new model.")
    ] = True,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Retrain the churn model on stacked cutoffs and write its model card, then re-score."""
    from customer360.pipeline import score_stage, train_stage
    from customer360.runlog import record_run

    settings = _settings(data_dir)
    cutoff = _optional_date(as_of)
    with _staged(settings, quiet) as (staging, progress):
        trained = train_stage(
            staging,
            settings,
            as_of=cutoff,
            seed=seed,
            override_sentinel=override_sentinel,
            progress=progress,
        )
        scored = (
            score_stage(staging, settings, as_of=cutoff, progress=progress) if rescore else None
        )
    record_run(settings.runs_dir, "train", rows=sum(trained.rows.values()), details={})
    console.print(trained.summary())
    console.print(f"model card: {trained.model_dir / 'model_card.md'}")
    if scored is not None:
        console.print(scored.summary())


@app.command()
def score(
    as_of: AsOf = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Score every eligible current customer with the latest model into gold.churn_predictions."""
    from customer360.pipeline import score_stage
    from customer360.runlog import record_run

    settings = _settings(data_dir)
    with _staged(settings, quiet) as (staging, progress):
        scored = score_stage(staging, settings, as_of=_optional_date(as_of), progress=progress)
    record_run(settings.runs_dir, "score", rows=scored.scored, details={})
    console.print(scored.summary())


@app.command()
def pipeline(
    as_of: AsOf = None,
    full_refresh: FullRefresh = False,
    retrain: Annotated[
        bool, typer.Option(help="Retrain the churn model (off: score with the latest model).")
    ] = True,
    quiet: Annotated[bool, typer.Option(help="No progress bar or summary.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Ingest → transform → train → score → final marts, published atomically at the end."""
    from customer360.pipeline import run_pipeline
    from customer360.runlog import record_run

    settings = _settings(data_dir)
    with rich_progress(console, enabled=not quiet) as progress:
        report = run_pipeline(
            settings,
            as_of=_optional_date(as_of),
            retrain=retrain,
            full_refresh=full_refresh,
            progress=progress,
        )
    record_run(settings.runs_dir, "pipeline", rows=report.ingest.rows_loaded, details={})
    if not quiet:
        for line in report.lines():
            console.print(line)
    for failure in report.ingest.failed:
        errors.print(f"[red]error:[/red] {failure.error}", highlight=False, soft_wrap=True)
    if report.ingest.failed:
        raise typer.Exit(code=3)


@app.command()
def demo(
    customers: Annotated[int, typer.Option(help="Number of customers.")] = 50_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
    open_app: Annotated[
        bool, typer.Option("--app/--no-app", help="Open the dashboard at the end.")
    ] = True,
    port: Annotated[int, typer.Option(help="Port for the dashboard.")] = 8501,
    data_dir: DataDir = None,
) -> None:
    """Generate the default portfolio, run the whole pipeline on it and open the dashboard."""
    from customer360.dashboard import check_listen
    from customer360.generate import GenerateOptions, generate_world
    from customer360.pipeline import run_pipeline
    from customer360.reports import render_generate_summary

    settings = _settings(data_dir)
    options = GenerateOptions(customers=customers, seed=seed)
    options.validate()
    if open_app:
        check_listen(port, "127.0.0.1")  # refused now, not after minutes of work
    with rich_progress(console) as progress:
        summary = generate_world(options, settings, progress)
    render_generate_summary(console, summary, settings)
    with rich_progress(console) as progress:
        report = run_pipeline(settings, progress=progress)
    for line in report.lines():
        console.print(line)
    console.print(
        f"Ask a question: c360 --data-dir {settings.data_dir} ask "
        '"How many customers are in each segment?"'
    )
    if open_app:
        from customer360.dashboard import serve_after_work

        raise typer.Exit(code=serve_after_work(settings, port=port))


@app.command(name="app")
def dashboard(
    port: Annotated[int, typer.Option(help="Port to serve the dashboard on.")] = 8501,
    address: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 to serve other machines).")
    ] = "127.0.0.1",
    data_dir: DataDir = None,
) -> None:
    """Serve the Streamlit dashboard over the warehouse (read-only); open the printed URL."""
    from customer360.dashboard import serve

    serve(_settings(data_dir), port=port, address=address)


@app.command()
def orchestrate(
    port: Annotated[int, typer.Option(help="Port to serve the Dagster UI on.")] = 3000,
    address: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 to serve other machines).")
    ] = "127.0.0.1",
    data_dir: DataDir = None,
) -> None:
    """Start Dagster (UI, schedules, landing sensor) on the data directory (extra: orchestrate)."""
    from customer360.orchestrate.ui import serve

    serve(_settings(data_dir), port=port, address=address)


@app.command()
def status(data_dir: DataDir = None) -> None:
    """Show what the data directory holds: batches, row counts per layer, quarantine."""
    from customer360.status import render_status

    settings = _settings(data_dir)
    if not settings.data_dir.is_dir():
        raise UsageError(
            f"no data directory at {settings.data_dir}; run `c360 generate` to create one "
            "or point --data-dir at an existing one"
        )
    render_status(console, settings)


def _require_warehouse(settings: Settings) -> Path:
    if not settings.warehouse_path.exists():
        raise UsageError(
            f"no warehouse at {settings.warehouse_path}; run `c360 pipeline` first "
            "or point --data-dir at a data directory"
        )
    return settings.warehouse_path


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in plain English.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Answer a business question from the semantic model (read-only, guarded SQL)."""
    from customer360.assistant import ask as ask_question
    from customer360.config import load_llm_settings, load_viewer_role
    from customer360.privacy import private_columns
    from customer360.reports import render_answer

    warehouse = _require_warehouse(_settings(data_dir))
    private = private_columns(load_viewer_role())
    answer = ask_question(question, warehouse, llm=load_llm_settings(), private=private)
    if as_json:
        print(answer.to_json())
    else:
        render_answer(console, answer)


@app.command(name="eval")
def evaluate(
    cases: Annotated[
        Path | None,
        typer.Option(
            help="Question file (default: the development sets, then the held-out split)."
        ),
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Fail (exit 1) when execution accuracy is below this.")
    ] = 0.9,
    data_dir: DataDir = None,
) -> None:
    """Score the assistant by execution accuracy, per phenomenon, with the silently wrong rate."""
    from customer360.assistant.eval.runner import (
        DEVELOPMENT_CASES,
        HOLDOUT_CASES,
        SECOND_HOLDOUT_CASES,
        run_eval,
    )
    from customer360.runlog import record_run

    if not 0 <= threshold <= 1:
        raise UsageError(f"--threshold {threshold:g} is not a share; use 0 to 1 (e.g. 0.9)")
    settings = _settings(data_dir)
    warehouse = _require_warehouse(settings)
    sets = (
        {"cases": cases}
        if cases
        else {
            "development": DEVELOPMENT_CASES,
            "held-out": HOLDOUT_CASES,
            "held-out 2": SECOND_HOLDOUT_CASES,
        }
    )
    reports = {}
    for name, paths in sets.items():
        console.print(f"[bold]{name}[/bold]")
        held_out = name.startswith("held-out")  # reported, never listed
        reports[name] = run_eval(warehouse, paths, show_failures=not held_out)
    last = reports[list(reports)[-1]]
    times = sorted(r.seconds for report in reports.values() for r in report.results)
    p50, p95 = (1000 * times[int(f * (len(times) - 1))] for f in (0.5, 0.95))
    record_run(
        settings.runs_dir,
        "ask",
        rows=len(times),
        details={
            "note": f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, {list(reports)[-1]} "
            f"{last.accuracy:.1%} correct, {last.silently_wrong_rate:.1%} silently wrong"
        },
    )
    failing = [n for n, r in reports.items() if r.accuracy < threshold]
    if failing:
        raise C360Error(
            f"execution accuracy below {threshold:.0%} on {', '.join(failing)}"
            f" ({', '.join(f'{reports[n].accuracy:.1%}' for n in failing)})"
        )


@app.command()
def refresh_samples(
    out: Annotated[
        Path | None, typer.Option(help="Write the refreshed model here (default: in place).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Refresh the semantic model's sample values from the warehouse."""
    from customer360.semantic.model import DEFAULT_MODEL_PATH
    from customer360.semantic.samples import refresh_sample_values

    warehouse = _require_warehouse(_settings(data_dir))
    changed = refresh_sample_values(warehouse, DEFAULT_MODEL_PATH, out or DEFAULT_MODEL_PATH)
    console.print(f"{len(changed)} dimensions got new sample values: {', '.join(changed) or '-'}")


@app.command()
def segments_report(
    out: Annotated[Path | None, typer.Option(help="Also write the report as Markdown.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Compare computed segments with the generator's hidden personas (calibration check)."""
    from customer360.segment_report import segment_report

    settings = _settings(data_dir)
    report = segment_report(_require_warehouse(settings), settings.oracle_dir)
    markdown = report.to_markdown()
    print(markdown, end="")
    if out:
        out.write_text(markdown)


@app.command()
def bench(
    customers: Annotated[int, typer.Option(help="Scale of the benchmark world.")] = 50_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
    stages: Annotated[
        str, typer.Option(help="Comma-separated stages to run, in order.")
    ] = DEFAULT_STAGES,
    work_dir: Annotated[
        Path | None,
        typer.Option(help="Data directory for the benchmark world (default: a temporary one)."),
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write JSON here.")] = None,
    markdown_out: Annotated[
        list[Path] | None,
        typer.Option(
            "--markdown",
            help="Also write the Markdown table here (between the file's bench markers if it "
            "has them); repeatable.",
        ),
    ] = None,
) -> None:
    """Run the stages at a chosen scale and print wall time, rows/s and peak memory."""
    from customer360.bench import parse_stages, run_bench, write_markdown_table
    from customer360.reports import render_bench

    chosen = parse_stages(stages)
    if work_dir is not None:
        load_settings(work_dir)  # refuses a file where the folder should be
    with tempfile.TemporaryDirectory(prefix="c360-bench-") as scratch:
        target = work_dir or Path(scratch)
        with rich_progress(console) as progress:
            result = run_bench(target, customers, seed, chosen, progress)
    render_bench(console, result)
    if json_out:
        json_out.write_text(result.to_json())
    for path in markdown_out or []:
        write_markdown_table(path, result.to_markdown())


def main() -> None:
    """Entry point: user mistakes become one line on stderr and a non-zero exit."""
    try:
        # Outside standalone mode Click returns the code of a command's `typer.Exit`.
        code = app(standalone_mode=False)
    except C360Error as exc:
        _fail(str(exc), exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _fail("aborted", 130)
    except TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            console.print(exc.ctx.get_help())
            sys.exit(0)
        _fail(f"{exc.format_message()} (see `{_command_path(exc)} --help`)", exc.exit_code)
    except OSError as exc:
        where = exc.filename or "an unknown path"
        if disk_full_reason(exc):
            _fail(f"{exc.strerror} writing {where}; free space on that disk and re-run", 1)
        _fail(f"{exc.strerror or exc} at {where}; check the path and its permissions", 1)
    sys.exit(code if isinstance(code, int) else 0)


def _command_path(exc: TyperException) -> str:
    context = getattr(exc, "ctx", None)
    return context.command_path if context is not None else "c360"


def _fail(message: str, code: int) -> None:
    errors.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True, markup=True)
    sys.exit(code)
