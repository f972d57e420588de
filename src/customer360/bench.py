"""Benchmark harness: runs stages as separate processes and measures each one.

Every stage runs as its own `python -m customer360` process so that its peak memory
(`ru_maxrss` from `wait4`) belongs to that stage alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from customer360.errors import C360Error, UsageError
from customer360.runlog import read_run

STAGES = ("generate", "ingest", "transform", "train", "score", "ask", "app")
DEFAULT_STAGES = ",".join(STAGES)
PIPELINE_STAGES = frozenset({"generate", "ingest", "transform", "train", "score"})
# Extra arguments per stage; `train` leaves scoring to the `score` stage so each is timed alone.
_STAGE_ARGS = {
    "ingest": ["ingest", "--quiet"],
    "transform": ["transform", "--quiet"],
    "train": ["train", "--no-score", "--quiet"],
    "score": ["score", "--quiet"],
    "ask": ["eval", "--threshold", "0"],
}


@dataclass(frozen=True)
class StageResult:
    stage: str
    seconds: float
    rows: int
    peak_mb: float
    note: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Interaction:
    """A dashboard interaction's latency over repeated cold-cache runs."""

    name: str
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class BenchResult:
    customers: int
    stages: tuple[StageResult, ...]
    interactions: tuple[Interaction, ...] = ()

    @property
    def total_seconds(self) -> float:
        """Wall time of the pipeline stages (the assistant evaluation is not part of it)."""
        return sum(stage.seconds for stage in self.stages if stage.stage in PIPELINE_STAGES)

    def to_json(self) -> str:
        return json.dumps(
            {
                "customers": self.customers,
                "total_seconds": round(self.total_seconds, 2),
                "stages": [
                    {**asdict(s), "rows_per_second": round(s.rows_per_second)} for s in self.stages
                ],
                "interactions": [asdict(i) for i in self.interactions],
            },
            indent=2,
        )

    def to_markdown(self) -> str:
        lines = [
            f"Scale: {self.customers:,} customers, {os.cpu_count()} cores.",
            "",
            "| stage | wall (s) | rows | rows/s | peak memory (MB) | note |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for s in self.stages:
            lines.append(
                f"| {s.stage} | {s.seconds:.1f} | {s.rows:,} | {s.rows_per_second:,.0f} "
                f"| {s.peak_mb:,.0f} | {s.note} |"
            )
        lines.append(f"| **pipeline total** | **{self.total_seconds:.1f}** | | | | |")
        if self.interactions:
            lines += [
                "",
                "| dashboard interaction | p50 (ms) | p95 (ms) |",
                "|---|---:|---:|",
            ]
            lines += [f"| {i.name} | {i.p50_ms:.0f} | {i.p95_ms:.0f} |" for i in self.interactions]
        return "\n".join(lines) + "\n"


TABLE_START = "<!-- bench:start (written by `make bench`) -->"
TABLE_END = "<!-- bench:end -->"


def write_markdown_table(path: Path, table: str) -> None:
    """Put the results table into `path`: between its bench markers if it has them (keeping the
    prose around them), else as the whole file."""
    block = f"{TABLE_START}\n{table}{TABLE_END}"
    text = path.read_text() if path.exists() else ""
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start == -1 or end < start:
        path.write_text(block + "\n")
        return
    path.write_text(text[:start] + block + text[end + len(TABLE_END) :])


def parse_stages(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [stage for stage in chosen if stage not in STAGES]
    if unknown or not chosen:
        raise UsageError(
            f"unknown bench stage {', '.join(unknown) or '(none)'}; choose from {', '.join(STAGES)}"
        )
    return chosen


def _stage_command(stage: str, data_dir: Path, customers: int, seed: int) -> list[str]:
    base = [sys.executable, "-m", "customer360", "--data-dir", str(data_dir)]
    if stage == "generate":
        return [*base, "generate", "--customers", str(customers), "--seed", str(seed), "--quiet"]
    return [*base, *_STAGE_ARGS[stage]]


def run_stage(stage: str, data_dir: Path, customers: int, seed: int) -> StageResult:
    command = _stage_command(stage, data_dir, customers, seed)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        last = errors.strip().splitlines()[-1] if errors.strip() else "no output"
        raise C360Error(f"bench stage {stage} failed (exit {process.returncode}): {last}")
    record = read_run(data_dir / "runs", stage) or {}
    return StageResult(
        stage=stage,
        seconds=seconds,
        rows=int(record.get("rows", 0)),
        peak_mb=usage.ru_maxrss / 1024,
        note=str(record.get("note", "")),
    )


def run_bench(
    data_dir: Path, customers: int, seed: int, stages: tuple[str, ...], progress=None
) -> BenchResult:
    """Run the chosen stages in order into `data_dir` and measure each."""
    results: list[StageResult] = []
    interactions: tuple[Interaction, ...] = ()
    for index, stage in enumerate(stages):
        if progress:
            progress("bench", index, len(stages))
        if stage == "app":
            interactions = _dashboard_interactions(data_dir / "warehouse.duckdb")
        else:
            results.append(run_stage(stage, data_dir, customers, seed))
    if progress:
        progress("bench", len(stages), len(stages))
    return BenchResult(customers=customers, stages=tuple(results), interactions=interactions)


def _dashboard_interactions(warehouse: Path) -> tuple[Interaction, ...]:
    """Time the data access behind each dashboard page (no Streamlit server needed)."""
    from customer360.app.bench import benchmark_pages

    if not warehouse.exists():
        raise C360Error(f"bench stage app needs a warehouse at {warehouse}; run the pipeline first")
    return tuple(Interaction(*timing) for timing in benchmark_pages(warehouse))
