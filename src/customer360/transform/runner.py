"""Run `dbt build` on a DuckDB file in-process and turn the outcome into a report or an error."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from customer360.transform.errors import TransformError
from customer360.transform.project import dbt_project_dir

ProgressCallback = Callable[[str, int, int], None]
# Receives every structured dbt event (a dbt `EventMsg`), e.g. to report results elsewhere.
EventCallback = Callable[[object], None]

WAREHOUSE_ENV = "C360_WAREHOUSE_PATH"
DEFAULT_DBT_TARGET = "duckdb"
_STEP = "transform"
_RUN_LOCK = threading.Lock()
_MAX_FAILURES_IN_MESSAGE = 5
# dbt's saved parse of the project. Every data directory has its own target folder (run
# results, compiled SQL, logs), but the parse depends only on the project, the dbt target, the
# --vars and the connection settings, so a copy beside the project for each of those lets a
# fresh data directory skip the ~2 s full parse. The DuckDB path is a connection setting: dbt
# runs from the warehouse's folder and opens it by file name, so it is the same in every folder.
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
SHARED_PARSE_DIR = "target/shared-parse"


@dataclass(frozen=True)
class NodeOutcome:
    """One dbt node that did not simply pass."""

    name: str
    resource_type: str
    status: str
    message: str


@dataclass(frozen=True)
class TransformReport:
    """What one `dbt build` did."""

    database: Path
    as_of: date | None
    models: int
    data_tests: int
    unit_tests: int
    seconds: float
    warnings: tuple[NodeOutcome, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        warned = f", {len(self.warnings)} warnings" if self.warnings else ""
        as_of = self.as_of.isoformat() if self.as_of else "n/a"
        return (
            f"dbt build: {self.models} models, {self.data_tests} data tests, "
            f"{self.unit_tests} unit tests passed{warned} in {self.seconds:.1f} s (as_of {as_of})"
        )


def run_transform(
    database: Path,
    as_of: date | None = None,
    progress: ProgressCallback | None = None,
    *,
    select: str | None = None,
    indirect_selection: str | None = None,
    full_refresh: bool = False,
    target_dir: Path | None = None,
    on_event: EventCallback | None = None,
) -> TransformReport:
    """Build silver and gold (models, data tests and unit tests) into `database`.

    `database` is written in place: callers publish atomically with `warehouse.building`.
    `select` narrows the build with dbt selection syntax (e.g. after scoring:
    "stg_churn_predictions+"); `indirect_selection` is dbt's rule for the tests it then runs
    (default eager: any test touching a selected model). `on_event` sees every dbt event as it
    happens. The DuckDB file is closed when this returns.
    """
    database = Path(database).resolve()
    if not database.exists():
        raise TransformError(
            f"no warehouse at {database}; run `c360 ingest` first so bronze exists"
        )
    with _working_directory(database.parent), _environment(WAREHOUSE_ENV, database.name):
        build = run_dbt_build(
            DEFAULT_DBT_TARGET,
            as_of=as_of,
            progress=progress,
            select=select,
            indirect_selection=indirect_selection,
            full_refresh=full_refresh,
            target_dir=target_dir,
            connection_name=database.name,
            on_event=on_event,
        )
    return TransformReport(
        database=database,
        as_of=_resolved_as_of(database),
        models=build.models,
        data_tests=build.data_tests,
        unit_tests=build.unit_tests,
        seconds=build.seconds,
        warnings=build.warnings,
    )


@dataclass(frozen=True)
class BuildOutcome:
    """What one `dbt build` on one dbt target did."""

    dbt_target: str
    models: int
    data_tests: int
    unit_tests: int
    seconds: float
    warnings: tuple[NodeOutcome, ...] = field(default_factory=tuple)


def run_dbt_build(
    dbt_target: str,
    *,
    as_of: date | None = None,
    progress: ProgressCallback | None = None,
    select: str | None = None,
    indirect_selection: str | None = None,
    full_refresh: bool = False,
    target_dir: Path | None = None,
    connection_name: str = "",
    on_event: EventCallback | None = None,
) -> BuildOutcome:
    """`dbt build` of transform/ in-process on the profile's output `dbt_target` (duckdb, spark,
    snowflake, fakesnow: transform/profiles.yml), whose connection settings come from the
    environment. `connection_name` tells apart connections whose settings are equal (the DuckDB
    file name) in the parse dbt saves for later runs; `on_event` sees every dbt event."""
    from dbt.cli.main import dbtRunner

    project = dbt_project_dir()
    if not (project / "dbt_project.yml").is_file():
        raise TransformError(
            f"dbt project not found at {project}; run from a source checkout "
            "(uv sync installs the package editable)"
        )
    target = (target_dir or project / "target").resolve()
    args = [
        "build",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target",
        dbt_target,
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--log-level",
        "none",
        "--no-use-colors",
        "--log-level-file",
        "info",
    ]
    variables = json.dumps({"as_of": as_of.isoformat()}) if as_of is not None else None
    if variables:
        args += ["--vars", variables]
    if select:
        args += ["--select", select]
    if indirect_selection:
        args += ["--indirect-selection", indirect_selection]
    if full_refresh:
        args.append("--full-refresh")
    shared_parse = _shared_parse_path(project, dbt_target, variables, connection_name)
    if shared_parse.is_file():
        args += ["--partial-parse-file-path", str(shared_parse)]

    counter = _ProgressCounter(progress)
    callbacks = [counter.on_event, *([on_event] if on_event is not None else [])]
    started = time.perf_counter()
    with _RUN_LOCK, _silent_logging_errors():
        try:
            outcome = dbtRunner(callbacks=callbacks).invoke(args)
        finally:
            _close_connections(dbt_target)
    seconds = time.perf_counter() - started

    results = list(getattr(outcome.result, "results", None) or [])
    if not outcome.success:
        raise TransformError(_failure_message(outcome.exception, results, target))
    _share_parse(target / PARTIAL_PARSE_FILE, shared_parse)
    return BuildOutcome(
        dbt_target=dbt_target,
        models=_count(results, "model"),
        data_tests=_count(results, "test"),
        unit_tests=_count(results, "unit_test"),
        seconds=seconds,
        warnings=tuple(_outcome(result) for result in results if str(result.status) == "warn"),
    )


class _ProgressCounter:
    def __init__(self, progress: ProgressCallback | None) -> None:
        self._progress = progress
        self._done = 0
        self._total = 0

    def on_event(self, event) -> None:  # dbt EventMsg
        if self._progress is None:
            return
        name = event.info.name
        if name == "LogStartLine":
            self._total = max(self._total, int(event.data.total))
        elif name == "NodeFinished":
            self._done += 1
            self._progress(_STEP, self._done, max(self._total, self._done))


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def _shared_parse_path(
    project: Path, dbt_target: str, variables: str | None, connection_name: str
) -> Path:
    state = f"{dbt_target}\0{variables or ''}\0{connection_name}"
    digest = hashlib.sha256(state.encode()).hexdigest()[:16]
    return project / SHARED_PARSE_DIR / f"{dbt_target}-{digest}.msgpack"


def _share_parse(produced: Path, shared: Path) -> None:
    """Publish this run's parse for other data directories (atomically; best effort)."""
    if not produced.is_file():
        return
    temporary = shared.with_name(f"{shared.name}.{os.getpid()}.tmp")
    try:
        shared.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(produced, temporary)
        os.replace(temporary, shared)
    except OSError:  # a read-only checkout: every run parses in full, nothing else changes
        with suppress(OSError):
            temporary.unlink(missing_ok=True)


@contextmanager
def _silent_logging_errors() -> Iterator[None]:
    """dbt logs every event to a file; when that write fails (a full disk), Python's logging
    would print a traceback per event to stderr (thousands of lines) before dbt's own error."""
    previous = logging.raiseExceptions
    logging.raiseExceptions = False
    try:
        yield
    finally:
        logging.raiseExceptions = previous


@contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    """Run from `folder` (every path given to dbt is absolute; only the DuckDB file is not)."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _close_connections(dbt_target: str) -> None:
    """Close dbt's connections; dbt-duckdb also keeps one DuckDB instance per process, closed
    so no handle on the file lingers. (A Spark session outlives the build: it is the process's.)"""
    from dbt.adapters.factory import cleanup_connections, reset_adapters

    cleanup_connections()
    if dbt_target == DEFAULT_DBT_TARGET:
        _close_duckdb_instance()
    reset_adapters()


def _close_duckdb_instance() -> None:
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if environment is not None:
            environment.close()


def _count(results: list, resource_type: str) -> int:
    return sum(
        1
        for result in results
        if result.node.resource_type == resource_type and str(result.status) in {"success", "pass"}
    )


def _outcome(result) -> NodeOutcome:
    message = result.message or ""
    if result.failures:
        message = f"{result.failures} failing rows. {message}".strip()
    return NodeOutcome(
        name=result.node.name,
        resource_type=str(result.node.resource_type),
        status=str(result.status),
        message=" ".join(message.split()),
    )


def _failure_message(exception: BaseException | None, results: list, target: Path) -> str:
    if exception is not None:
        return f"dbt could not run: {' '.join(str(exception).split())}"
    failed = [
        _outcome(result)
        for result in results
        if str(result.status) in {"error", "fail", "runtime error"}
    ]
    skipped = sum(1 for result in results if str(result.status) == "skipped")
    parts = [
        f"{item.resource_type} {item.name} {item.status}: {item.message}"
        for item in failed[:_MAX_FAILURES_IN_MESSAGE]
    ]
    more = len(failed) - len(parts)
    tail = f" (+{more} more)" if more > 0 else ""
    skip = f"; {skipped} downstream nodes skipped" if skipped else ""
    return (
        f"dbt build failed: {'; '.join(parts) or 'unknown failure'}{tail}{skip}. "
        f"Details in {target / 'logs' / 'dbt.log'}"
    )


def _resolved_as_of(database: Path) -> date | None:
    con = duckdb.connect(str(database), read_only=True)
    try:
        row = con.execute("select as_of_date from silver.int_as_of").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None
