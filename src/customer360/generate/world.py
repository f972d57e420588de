"""generate_world: the one entry point that builds and lands a whole synthetic portfolio."""

from __future__ import annotations

import itertools
import shutil
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from customer360.config import Settings
from customer360.errors import UsageError
from customer360.generate import defects, oracle, tables
from customer360.generate.activity import multipliers, sample_trends
from customer360.generate.calendar import Calendar
from customer360.generate.changes import build_changes
from customer360.generate.churn import sample_churn
from customer360.generate.customers import build_customers
from customer360.generate.options import GenerateOptions, GenerateSummary
from customer360.generate.transactions import plan_spending, sample_chunk
from customer360.generate.writer import write_table

ENTITIES = ("customers", "customer_changes", "transactions")
Progress = Callable[[str, int, int], None]


class _Output:
    """Files of one run, written into a staging folder and swapped in at the end."""

    def __init__(self, settings: Settings, options: GenerateOptions) -> None:
        self.settings = settings
        self.options = options
        self.stage = settings.data_dir / ".generate-staging"
        shutil.rmtree(self.stage, ignore_errors=True)
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.jobs: list[tuple[str, str, Future]] = []
        self.defect_rng = np.random.default_rng([options.seed, 7919])
        self.fresh = defects.DefectIds()
        self.rows: Counter[str] = Counter()

    def landing(self, entity: str, table: pa.Table, batch: str, part: int | None = None) -> None:
        ext = self.options.format
        name = f"{batch}.part-{part:03d}.{ext}" if part is not None else f"{batch}.{ext}"
        rel = f"landing/{entity}/{name}"
        structural = ext != "parquet"
        events = defects.plan(
            self.defect_rng, table, entity, self.options.defect_rate, self.fresh, structural
        )
        self.rows[entity] += table.num_rows
        job = self.pool.submit(write_table, self.stage / rel, table, events, ext)
        self.jobs.append((rel, entity, job))

    def oracle(self, name: str, table: pa.Table) -> None:
        rel = f"oracle/{name}"
        fmt = "csv.gz" if name.endswith(".gz") else "csv"
        self.jobs.append((rel, "", self.pool.submit(write_table, self.stage / rel, table, [], fmt)))

    def finish(self) -> tuple[list[str], Counter[str]]:
        counts: Counter[str] = Counter()
        lines = []
        for rel, _, job in self.jobs:
            for line, kind in job.result():
                counts[kind] += 1
                lines.append((rel, line, kind))
        self.pool.shutdown()
        defect_table = pa.table(
            {
                "file": pa.array([r for r, _, _ in lines], pa.string()),
                "line": pa.array([str(n) for _, n, _ in lines], pa.string()),
                "kind": pa.array([k for _, _, k in lines], pa.string()),
                "expect": pa.array(
                    [
                        "accept" if k in defects.ACCEPTED_KINDS else "quarantine"
                        for _, _, k in lines
                    ],
                    pa.string(),
                ),
            }
        )
        write_table(self.stage / "oracle/defects.csv", defect_table, [], "csv")
        files = [rel for rel, _, _ in self.jobs] + ["oracle/defects.csv"]
        self._swap()
        return files, counts

    def _swap(self) -> None:
        targets = [self.settings.landing_dir / e for e in ENTITIES] + [self.settings.oracle_dir]
        sources = [self.stage / "landing" / e for e in ENTITIES] + [self.stage / "oracle"]
        for source, target in zip(sources, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            source.mkdir(parents=True, exist_ok=True)
            old = self.stage / f"old-{target.name}"
            if target.exists():
                target.rename(old)
            source.rename(target)
        shutil.rmtree(self.stage, ignore_errors=True)


def generate_world(
    options: GenerateOptions, settings: Settings, progress: Progress | None = None
) -> GenerateSummary:
    """Generate the synthetic portfolio and land it under `settings.landing_dir`.

    Replaces the landing files and oracle of any previous generation in the same data dir.
    """
    options.validate()
    began = time.perf_counter()
    report = progress or (lambda step, done, total: None)
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"Cannot create data dir {settings.data_dir}: {exc}; pick a writable path."
        ) from exc

    rng = np.random.default_rng(options.seed)
    cal = Calendar(options.history_start, options.days, extra=oracle.OUTCOME_DAYS + 2)
    start = np.datetime64(cal.start, "D")
    first_increment = options.days - options.increments

    report("customers", 0, 1)
    people = build_customers(rng, options.customers, options.days)
    trends = sample_trends(rng, people, options.days)
    churn = sample_churn(rng, people, options.days, oracle.ONSET_HORIZON_DAYS)
    changes = build_changes(rng, people, options.days)
    mult = multipliers(cal, people, trends, churn)
    target = options.customers * options.transactions_per_customer
    spending = plan_spending(
        rng, people, mult[: options.days].sum(axis=0, dtype=np.float64), target
    )
    report("customers", 1, 1)

    out = _Output(settings, options)
    for k, (lo, hi) in enumerate(_batches(first_increment, options.days)):
        rows = np.flatnonzero((people.open_day >= lo) & (people.open_day < hi))
        if k == 0 or rows.size:
            out.landing(
                "customers", tables.customers_table(people, rows, start), _batch(k, cal, lo)
            )
    change_no = 1
    for k, (lo, hi) in enumerate(_batches(first_increment, options.days)):
        rows = np.flatnonzero((changes.day >= lo) & (changes.day < hi))
        if k == 0 or rows.size:
            table = tables.changes_table(changes, rows, change_no, start)
            out.landing("customer_changes", table, _batch(k, cal, lo))
            change_no += rows.size

    chunks = _chunks(cal, first_increment)
    month = cal.month()
    spend = np.zeros((options.days, people.n), dtype=np.float32)
    txn_no = 1
    for j, (lo, hi, batch, part) in enumerate(chunks):
        report("transactions", j, len(chunks))
        chunk = sample_chunk(rng, lo, mult[lo:hi], month, spending, churn)
        approved = ~chunk.declined
        flat = (chunk.day[approved] - lo) * people.n + chunk.customer[approved]
        spend[lo:hi] = np.bincount(
            flat, weights=chunk.cents[approved] / 100.0, minlength=(hi - lo) * people.n
        ).reshape(hi - lo, people.n)
        out.landing("transactions", tables.transactions_table(chunk, txn_no, start), batch, part)
        txn_no += len(chunk)
    report("transactions", len(chunks), len(chunks))

    report("oracle", 0, 1)
    no_churn = multipliers(cal, people, trends, None)
    cv2 = oracle.amount_cv2(people, spending)
    probs = oracle.churn_probabilities(people, churn, spending, cal, mult, no_churn, spend, cv2)
    del no_churn, spend
    out.oracle("customers.csv.gz", oracle.customers_truth(people, churn, cal))
    out.oracle("churn_probability.csv.gz", probs)
    report("oracle", 1, 1)

    report("writing", 0, 1)
    files, defect_counts = out.finish()
    report("writing", 1, 1)
    return GenerateSummary(
        files=tuple(files),
        rows=dict(out.rows),
        defects=dict(sorted(defect_counts.items())),
        seconds=round(time.perf_counter() - began, 2),
    )


def _batch(k: int, cal: Calendar, day: int) -> str:
    return "0000-history" if k == 0 else f"{k:04d}-{cal.date_of(day).isoformat()}"


def _batches(first_increment: int, days: int) -> list[tuple[int, int]]:
    """Day ranges [lo, hi) per batch: everything before the increments, then one per day."""
    low = np.iinfo(np.int64).min
    return [(low, first_increment)] + [(d, d + 1) for d in range(first_increment, days)]


def _chunks(cal: Calendar, first_increment: int) -> list[tuple[int, int, str, int | None]]:
    """Transaction chunks: calendar months of the history batch (parts), then single days."""
    months = cal.dates()[:first_increment].astype("datetime64[M]")
    edges = [0, *(np.flatnonzero(months[1:] != months[:-1]) + 1).tolist(), first_increment]
    chunks: list[tuple[int, int, str, int | None]] = [
        (lo, hi, "0000-history", i + 1)
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
        if hi > lo
    ]
    for k, d in enumerate(range(first_increment, cal.days), start=1):
        chunks.append((d, d + 1, _batch(k, cal, d), None))
    return chunks
