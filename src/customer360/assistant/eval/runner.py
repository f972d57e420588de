"""Execution-accuracy evaluation: run each case's question and gold SQL, compare result sets.

A prediction is correct when every gold column has a predicted column with the same values
(extra predicted columns are allowed) and the rows agree — as multisets, or in order when the
case says `ordered: true` — with a relative tolerance for numbers.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import sqlglot
import yaml
from pydantic import BaseModel, ConfigDict

from customer360.assistant.answer import Answer
from customer360.assistant.engine import Assistant
from customer360.assistant.guard import DEFAULT_MAX_ROWS

DEFAULT_CASES = Path(__file__).with_name("cases.yaml")
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
    passed: bool
    reason: str
    seconds: float


@dataclass(frozen=True)
class EvalReport:
    results: tuple[CaseResult, ...]
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return sum(r.passed for r in self.results) / max(1, len(self.results))

    def percentile_ms(self, fraction: float) -> float:
        times = sorted(r.seconds for r in self.results)
        return 1000 * times[min(len(times) - 1, int(fraction * len(times)))] if times else 0.0

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(0.5)

    @property
    def p95_ms(self) -> float:
        return self.percentile_ms(0.95)

    def render(self) -> str:
        lines = [f"{'category':<14} {'passed':>6} {'total':>6} {'accuracy':>9}"]
        for category, (passed, total) in sorted(self.by_category.items()):
            lines.append(f"{category:<14} {passed:>6} {total:>6} {passed / total:>9.1%}")
        lines.append(
            f"{'all':<14} {sum(r.passed for r in self.results):>6} "
            f"{len(self.results):>6} {self.accuracy:>9.1%}   "
            f"p50 {self.p50_ms:.1f} ms  p95 {self.p95_ms:.1f} ms"
        )
        failures = [r for r in self.results if not r.passed]
        if failures:
            lines.append("failures:")
            lines += [f"  [{r.case.id}] {r.case.question} -> {r.reason}" for r in failures]
        return "\n".join(lines)


def _norm(value: Any) -> Any:
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


def load_cases(path: Path = DEFAULT_CASES) -> list[Case]:
    return [Case.model_validate(c) for c in yaml.safe_load(path.read_text(encoding="utf-8"))]


def _judge(case: Case, answer: Answer, con: duckdb.DuckDBPyConnection) -> str | None:
    if answer.status != case.expect:
        return f"status {answer.status} ({answer.message}), expected {case.expect}"
    if case.expect != "answered" or case.gold is None:
        return None
    gold = [tuple(r) for r in con.execute(case.gold).fetchall()]
    predicted = list(answer.rows)
    if len(gold) > len(predicted) == DEFAULT_MAX_ROWS and answer.sql:
        predicted = _uncapped(answer.sql, con) or predicted
    return results_match(gold, predicted, case.ordered)


def _uncapped(sql: str, con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]] | None:
    """The full result of a listing cut by the display cap, so it is scored as a query."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    limit = tree.args.get("limit")
    if limit is None or limit.expression.name != str(DEFAULT_MAX_ROWS):
        return None  # an explicit top-N is part of the answer
    tree.set("limit", None)
    return [tuple(r) for r in con.execute(tree.sql(dialect="duckdb")).fetchall()]


def run_eval(
    warehouse_path: Path | str, cases_path: Path | str = DEFAULT_CASES, verbose: bool = True
) -> EvalReport:
    """Score every case by execution accuracy; print the table and failures when verbose."""
    assistant = Assistant.open(Path(warehouse_path))
    con = assistant.connection.cursor()  # same locked, read-only database; gold SQL is ours
    results: list[CaseResult] = []
    tally: dict[str, Counter[bool]] = defaultdict(Counter)
    try:
        for case in load_cases(Path(cases_path)):
            previous = assistant.ask(case.previous) if case.previous else None
            start = time.perf_counter()
            answer = assistant.ask(case.question, previous)
            elapsed = time.perf_counter() - start
            try:
                reason = _judge(case, answer, con)
            except duckdb.Error as exc:
                reason = f"gold SQL failed: {exc}"
            results.append(CaseResult(case, reason is None, reason or "", elapsed))
            tally[case.category][reason is None] += 1
    finally:
        con.close()
    by_category = {c: (t[True], t[True] + t[False]) for c, t in tally.items()}
    report = EvalReport(tuple(results), by_category)
    if verbose:
        print(report.render())
    return report
