"""Execution-accuracy evaluation: run each case's question and gold SQL, compare result sets.

A prediction is correct when every gold column has a predicted column with the same values
(extra predicted columns are allowed) and the rows agree — as multisets, or in order when the
case says `ordered: true` — with a relative tolerance for numbers.

Each case ends in one of three outcomes: correct; **silently wrong** (an answer with rows that
are not the expected ones, or any answer where a refusal was expected — the outcome that costs
a user a decision); or declined (a refusal or a question back where an answer was expected).
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb
import sqlglot
import yaml
from pydantic import BaseModel, ConfigDict

from customer360.assistant.answer import Answer
from customer360.assistant.engine import Assistant
from customer360.assistant.guard import DEFAULT_MAX_ROWS

_HERE = Path(__file__).parent
# Development sets (debugged against) and the frozen held-out split (never debugged against).
DEVELOPMENT_CASES = (
    _HERE / "cases.yaml",
    _HERE / "vocabulary.yaml",
    _HERE / "grammar.yaml",
    _HERE / "paraphrase.yaml",
    _HERE / "fresh.yaml",
    _HERE / "fresh2.yaml",
    _HERE / "fresh4.yaml",
    _HERE / "fresh5.yaml",
    _HERE / "fresh6.yaml",
    _HERE / "fresh8.yaml",
    _HERE / "fresh11.yaml",
    _HERE / "fresh12.yaml",
    _HERE / "fresh13.yaml",
    _HERE / "fresh14.yaml",
    _HERE / "fresh15.yaml",
    _HERE / "rules.yaml",
)
# The newest independent sets (session 5): scored once on first contact, now debugged against;
# their declines are still being worked through, so CI holds them to a floor of their own.
NEWEST_CASES = tuple(_HERE / f"fresh{n}.yaml" for n in (11, 12, 13, 14, 15))
ESTABLISHED_CASES = tuple(path for path in DEVELOPMENT_CASES if path not in NEWEST_CASES)
HOLDOUT_CASES = _HERE / "holdout.yaml"
# A second held-out split: independently written sets scored once (docs/assistant.md).
SECOND_HOLDOUT_CASES = _HERE / "holdout2.yaml"
DEFAULT_CASES = DEVELOPMENT_CASES
Outcome = Literal["correct", "silently wrong", "declined"]
TOLERANCE = 1e-6


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    question: str
    category: str
    expect: Literal["answered", "refused", "clarify"] = "answered"
    previous: str | None = None
    gold: str | None = None
    ordered: bool = False


@dataclass(frozen=True)
class CaseResult:
    case: Case
    outcome: Outcome
    reason: str
    seconds: float

    @property
    def passed(self) -> bool:
        return self.outcome == "correct"


@dataclass(frozen=True)
class EvalReport:
    results: tuple[CaseResult, ...]
    by_category: dict[str, Counter[Outcome]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return sum(r.passed for r in self.results) / max(1, len(self.results))

    @property
    def silently_wrong_rate(self) -> float:
        wrong = sum(r.outcome == "silently wrong" for r in self.results)
        return wrong / max(1, len(self.results))

    def percentile_ms(self, fraction: float) -> float:
        times = sorted(r.seconds for r in self.results)
        return 1000 * times[min(len(times) - 1, int(fraction * len(times)))] if times else 0.0

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(0.5)

    @property
    def p95_ms(self) -> float:
        return self.percentile_ms(0.95)

    def render(self, failures: bool = True) -> str:
        """The table per phenomenon; the failing questions too unless `failures` is False (the
        held-out split is reported, never listed, so nobody debugs against it)."""
        head = (
            f"{'phenomenon':<20} {'total':>5} {'correct':>8} {'silently wrong':>15} {'declined':>9}"
        )
        lines = [head]
        overall: Counter[Outcome] = Counter()
        for category, tally in sorted(self.by_category.items()):
            overall.update(tally)
            lines.append(_row(category, tally))
        lines.append(_row("all", overall))
        lines.append(
            f"accuracy {self.accuracy:.1%}, silently wrong {self.silently_wrong_rate:.1%}, "
            f"p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms"
        )
        for outcome in ("silently wrong", "declined") if failures else ():
            failed = [r for r in self.results if r.outcome == outcome]
            if failed:
                lines.append(f"{outcome}:")
                lines += [f"  [{r.case.id}] {r.case.question} -> {r.reason}" for r in failed]
        return "\n".join(lines)


def _row(category: str, tally: Counter[Outcome]) -> str:
    total = sum(tally.values())
    return (
        f"{category:<20} {total:>5} {tally['correct']:>8} "
        f"{tally['silently wrong']:>15} {tally['declined']:>9}"
    )


def _norm(value: Any) -> Any:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, datetime) and value == datetime.combine(value.date(), datetime.min.time()):
        value = value.date()  # a month written as a midnight timestamp is the same month
    if isinstance(value, date) and (value.month, value.day) == (1, 1):
        value = value.year  # a year written as its first day is the same year
    if isinstance(value, float | int) and not isinstance(value, bool):
        return round(float(value), 6) if math.isfinite(float(value)) else None
    return value if value is None else str(value)


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-6)
    return a == b


def _sort_key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(f"{v:.4f}" if isinstance(v, float) else str(v) for v in row)


def results_match(
    gold: list[tuple[Any, ...]], predicted: list[tuple[Any, ...]], ordered: bool
) -> str | None:
    """None when they match, else why not."""
    if len(gold) != len(predicted):
        return f"{len(predicted)} rows, expected {len(gold)}"
    if not gold:
        return None
    gold_cols = list(zip(*[[_norm(v) for v in r] for r in gold], strict=True))
    pred_cols = list(zip(*[[_norm(v) for v in r] for r in predicted], strict=True))
    chosen: list[int] = []
    for column in gold_cols:
        key = sorted(column, key=str)
        match = next(
            (
                j
                for j, p in enumerate(pred_cols)
                if j not in chosen
                and all(_close(a, b) for a, b in zip(key, sorted(p, key=str), strict=True))
            ),
            None,
        )
        if match is None:
            return f"no predicted column matches gold values {list(column)[:3]}"
        chosen.append(match)
    projected = [tuple(row[j] for j in chosen) for row in zip(*pred_cols, strict=True)]
    expected = [tuple(row) for row in zip(*gold_cols, strict=True)]
    if not ordered:
        projected, expected = sorted(projected, key=_sort_key), sorted(expected, key=_sort_key)
    for a, b in zip(expected, projected, strict=True):
        if not all(_close(x, y) for x, y in zip(a, b, strict=True)):
            return f"row {b} differs from expected {a}"
    return None


def load_cases(paths: Path | tuple[Path, ...] = DEFAULT_CASES) -> list[Case]:
    files = (paths,) if isinstance(paths, Path) else paths
    return [
        Case.model_validate(c)
        for path in files
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def _judge(case: Case, answer: Answer, con: duckdb.DuckDBPyConnection) -> tuple[Outcome, str]:
    if case.expect == "refused" and answer.status in ("refused", "clarify") and not answer.rows:
        return "correct", ""  # nothing ran: a refusal or a question back both decline safely
    if answer.status != case.expect:
        reason = f"status {answer.status} ({answer.message}), expected {case.expect}"
        return ("silently wrong" if answer.status == "answered" else "declined"), reason
    if case.expect != "answered" or case.gold is None:
        return "correct", ""
    gold = [tuple(r) for r in con.execute(case.gold).fetchall()]
    predicted = list(answer.rows)
    if len(gold) > len(predicted) == DEFAULT_MAX_ROWS and answer.sql:
        predicted = _uncapped(answer.sql, con) or predicted
    reason = results_match(gold, predicted, case.ordered)
    return ("correct", "") if reason is None else ("silently wrong", reason)


def _uncapped(sql: str, con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]] | None:
    """The full result of a listing cut by the display cap, so it is scored as a query."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    limit = tree.args.get("limit")
    if limit is None or limit.expression.name != str(DEFAULT_MAX_ROWS):
        return None  # an explicit top-N is part of the answer
    tree.set("limit", None)
    return [tuple(r) for r in con.execute(tree.sql(dialect="duckdb")).fetchall()]


def run_eval(
    warehouse_path: Path | str,
    cases_path: Path | str | tuple[Path, ...] = DEFAULT_CASES,
    verbose: bool = True,
    show_failures: bool = True,
) -> EvalReport:
    """Score every case by execution accuracy; print the table and failures when verbose."""
    assistant = Assistant.open(Path(warehouse_path))
    con = assistant.connection.cursor()  # same locked, read-only database; gold SQL is ours
    results: list[CaseResult] = []
    tally: dict[str, Counter[Outcome]] = defaultdict(Counter)
    try:
        paths = cases_path if isinstance(cases_path, tuple) else Path(cases_path)
        for case in load_cases(paths):
            previous = assistant.ask(case.previous) if case.previous else None
            start = time.perf_counter()
            answer = assistant.ask(case.question, previous)
            elapsed = time.perf_counter() - start
            try:
                outcome, reason = _judge(case, answer, con)
            except duckdb.Error as exc:
                outcome, reason = "silently wrong", f"gold SQL failed: {exc}"
            results.append(CaseResult(case, outcome, reason, elapsed))
            tally[case.category][outcome] += 1
    finally:
        con.close()
    report = EvalReport(tuple(results), dict(tally))
    if verbose:
        print(report.render(failures=show_failures))
    return report
