"""Dirty data on purpose: which lines of a landing file are defective, and how.

Defective lines are extra lines (a corrupted copy of a real row under a fresh id, an exact
duplicate, or garbage), so every good row keeps its id and values. The one exception is
`whitespace_case`: a real row with stray whitespace or mixed case in a text value, which ingest
must accept (silver standardises it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

ACCEPTED_KINDS = frozenset({"whitespace_case"})


@dataclass(frozen=True)
class EntityShape:
    id_column: str
    id_prefix: str
    id_width: int
    required: tuple[str, ...]
    cosmetic: tuple[str, ...]
    date_column: str
    amount_column: str | None = None
    customer_column: str | None = None
    category_column: str | None = None


SHAPES = {
    "customers": EntityShape(
        "customer_id", "CUST", 8, ("first_name", "last_name", "email", "city"),
        ("first_name", "last_name", "state", "city", "card_type", "employment_status"),
        "account_open_date", amount_column="credit_limit",
    ),
    "customer_changes": EntityShape(
        "change_id", "CHG", 10, ("customer_id", "attribute", "new_value"),
        ("attribute",), "effective_date", customer_column="customer_id",
    ),
    "transactions": EntityShape(
        "transaction_id", "TXN", 12, ("customer_id", "merchant_name", "merchant_category"),
        ("merchant_name", "merchant_category", "channel", "status"), "transaction_ts",
        amount_column="amount", customer_column="customer_id",
        category_column="merchant_category",
    ),
}  # fmt: skip

BAD_DATES = (
    "2026-02-30",
    "31/12/2025",
    "2025-13-01",
    "not a date",
    "20250704",
    "2025-06-31 25:61:00",
)
NON_NUMERIC = ("N/A", "12.3.4", "$45.00", "abc", "1e", "twelve")
GARBAGE = (
    "#### transmission error ####",
    "<html><body>502 Bad Gateway</body></html>",
    "lorem ipsum dolor sit amet",
    "~~~ truncated record ~~~",
)


@dataclass(frozen=True)
class Event:
    """A defective line placed before good row `row` (or replacing it when `replace`)."""

    row: int
    replace: bool
    values: tuple[str | None, ...] | None  # None for a raw garbage line
    raw: str
    kind: str


def kinds_for(entity: str, structural: bool) -> tuple[str, ...]:
    shape = SHAPES[entity]
    kinds = ["duplicate_row", "whitespace_case", "null_required", "malformed_date"]
    if shape.amount_column:
        kinds += ["non_numeric_amount", "negative_amount"]
    if shape.customer_column:
        kinds.append("unknown_customer")
    if shape.category_column:
        kinds.append("unknown_category")
    if structural:
        kinds += ["wrong_column_count", "garbage_line"]
    return tuple(kinds)


class DefectIds:
    """Fresh ids for corrupted copies: a `9`-led range that real rows never reach."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, shape: EntityShape) -> str:
        k = self.next.get(shape.id_prefix, 0)
        self.next[shape.id_prefix] = k + 1
        return f"{shape.id_prefix}9{k:0{shape.id_width - 1}d}"


def plan(
    rng: np.random.Generator,
    table: pa.Table,
    entity: str,
    rate: float,
    fresh: DefectIds,
    structural: bool,
) -> list[Event]:
    n = table.num_rows
    count = int(rng.binomial(n, rate)) if rate > 0 and n > 0 else 0
    if count == 0:
        return []
    shape = SHAPES[entity]
    kinds = kinds_for(entity, structural)
    chosen = [kinds[k] for k in rng.integers(0, len(kinds), count)]
    rows = np.sort(rng.choice(n, size=min(count, n), replace=False))
    rows = np.resize(rows, count)
    source = table.take(pa.array(rows)).to_pylist()
    columns = table.column_names
    events = []
    for row, kind, record in zip(rows.tolist(), chosen, source, strict=True):
        values = dict(record)
        replace = False
        pick = int(rng.integers(0, 1_000_000))
        if kind == "whitespace_case":
            col = shape.cosmetic[pick % len(shape.cosmetic)]
            text = values[col] or ""
            text = (text.upper(), text.lower(), text.swapcase())[pick % 3]
            values[col] = ("  " + text, text + " ", " " + text + "  ")[(pick // 3) % 3]
            replace = True
        elif kind != "duplicate_row" and kind != "garbage_line":
            values[shape.id_column] = fresh.take(shape)
            if kind == "null_required":
                cols = (shape.id_column, *shape.required, shape.date_column)
                values[cols[pick % len(cols)]] = None
            elif kind == "malformed_date":
                values[shape.date_column] = BAD_DATES[pick % len(BAD_DATES)]
            elif kind == "non_numeric_amount":
                values[shape.amount_column] = NON_NUMERIC[pick % len(NON_NUMERIC)]
            elif kind == "negative_amount":
                values[shape.amount_column] = "-" + str(values[shape.amount_column])
            elif kind == "unknown_customer":
                values[shape.customer_column] = f"CUST8{pick:07d}"
            elif kind == "unknown_category":
                values[shape.category_column] = ("Space Tourism", "Misc", "UNKNOWN", "Crypto ATM")[
                    pick % 4
                ]
        ordered = tuple(values[c] for c in columns)
        if kind == "garbage_line":
            events.append(Event(row, False, None, GARBAGE[pick % len(GARBAGE)], kind))
            continue
        fields = ["" if v is None else str(v) for v in ordered]
        if kind == "wrong_column_count":
            fields = fields[:-1] if pick % 2 else [*fields, "EXTRA"]
        at = row + 1 if kind == "duplicate_row" else row
        events.append(Event(min(at, n), replace, ordered, ",".join(fields), kind))
    events.sort(key=lambda e: (e.row, e.replace))
    return _one_replace_per_row(events)


def _one_replace_per_row(events: list[Event]) -> list[Event]:
    seen: set[int] = set()
    out = []
    for e in events:
        if e.replace:
            if e.row in seen:
                continue
            seen.add(e.row)
        out.append(e)
    return out
