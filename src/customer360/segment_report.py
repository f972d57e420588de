"""How the computed segments line up with the generator's hidden personas.

The personas live only in the oracle; this report is the one place that joins them to the
gold segments, to show how well behaviour alone recovers them. Nothing in the pipeline reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from customer360.errors import UsageError

SEGMENTS = (
    "High-Value Travelers",
    "Declining",
    "New & Growing",
    "Budget-Conscious",
    "Stable Mid-Spenders",
)
SHARE_BOUNDS = {
    "High-Value Travelers": (10, 15),
    "Declining": (5, 10),
    "New & Growing": (10, 15),
    "Budget-Conscious": (20, 25),
    "Stable Mid-Spenders": (40, 50),
}

_CONFUSION_SQL = """
    select o.persona, p.customer_segment, count(*) as customers
    from gold.customer_360_profile as p
    inner join read_csv(?, header = true, all_varchar = true) as o
        on o.customer_id = p.customer_id
    group by all
"""


@dataclass(frozen=True)
class SegmentReport:
    customers: int
    # (persona, computed segment) -> customers
    cells: dict[tuple[str, str], int]

    def share(self, segment: str) -> float:
        count = sum(n for (_, seg), n in self.cells.items() if seg == segment)
        return 100 * count / self.customers if self.customers else 0.0

    def to_markdown(self) -> str:
        personas = sorted({persona for persona, _ in self.cells}, key=_segment_order)
        lines = [
            f"Computed segment shares at as_of over {self.customers:,} customers:",
            "",
            "| segment | share | target |",
            "|---|---:|---|",
        ]
        for segment in SEGMENTS:
            low, high = SHARE_BOUNDS[segment]
            lines.append(f"| {segment} | {self.share(segment):.1f}% | {low}–{high}% |")
        lines += [
            "",
            "Rows: hidden persona (oracle). Columns: computed segment (gold). Cells: customers.",
            "",
            "| persona \\ segment | " + " | ".join(SEGMENTS) + " | recovered |",
            "|---|" + "---:|" * (len(SEGMENTS) + 1),
        ]
        for persona in personas:
            row = [self.cells.get((persona, segment), 0) for segment in SEGMENTS]
            total = sum(row)
            same = self.cells.get((persona, persona), 0)
            recovered = f"{100 * same / total:.0f}%" if persona in SEGMENTS and total else "–"
            lines.append(
                f"| {persona} | " + " | ".join(f"{n:,}" for n in row) + f" | {recovered} |"
            )
        return "\n".join(lines) + "\n"


def _segment_order(name: str) -> int:
    return SEGMENTS.index(name) if name in SEGMENTS else len(SEGMENTS)


def segment_report(warehouse: Path, oracle_dir: Path) -> SegmentReport:
    personas = oracle_dir / "customers.csv.gz"
    if not personas.exists():
        raise UsageError(f"no oracle at {personas}; the report needs a generated world")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(_CONFUSION_SQL, [str(personas)]).fetchall()
    finally:
        con.close()
    cells = {(persona, segment): int(n) for persona, segment, n in rows}
    return SegmentReport(customers=sum(cells.values()), cells=cells)
