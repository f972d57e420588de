"""Property-based ingest fuzzing: hostile landing files never crash or hang ingest, every line
is accounted for exactly, and bronze holds only values inside the landing schema.

Each example lands fixed good customers plus one fuzzed file per entity. A fuzzed row takes
every value from a pool of valid values, or corrupts up to two of them from a pool of invalid
ones (the coercions of issue 11, control characters, far dates, huge values), and may be
mangled as a line (a field too many or too few, garbage, blank). Rows are quoted as CSV needs,
sometimes all of them; files are plain or gzip, LF or CRLF, with or without a BOM.
"""

from __future__ import annotations

import gzip
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer360.ingest import ingest_landing, schema
from customer360.ingest.schema import (
    Amount,
    Code,
    Day,
    Email,
    OneOf,
    Text,
    Timestamp,
    WholeNumber,
)

from .landing_files import (
    CHANGE_HEADER,
    CUSTOMER_HEADER,
    LOADED_AT,
    REFERENCE,
    TRANSACTION_HEADER,
    customer,
)

BATCH = "0001-2026-06-30"  # every fuzzed file's window ends on its batch date
OPENED = "2021-03-04"  # the fixed customers' account_open_date (landing_files.customer)

Pool = tuple[list[str], list[str]]  # (valid values, invalid values)
# A value over DuckDB's 2 MB line limit, named in the pools and expanded only when written.
HUGE = "<2.5 MB of m>"
EXPANDED = {HUGE: "m" * 2_500_000}

TRANSACTION_POOLS: dict[str, Pool] = {
    "transaction_id": (
        [f"TXN{n:012d}" for n in range(1, 7)] + [" txn000000000001 "],
        ["TXN1", "TXN00000000000X", "TXN0000000000001", "", "   "],
    ),
    "customer_id": (
        ["CUST00000001", "CUST00000002", "cust00000003 "],
        ["CUST00000999", "CUST0000001", "", "CUST\x0000000001"],
    ),
    "transaction_ts": (
        ["2022-01-01 00:00:00", "2026-06-30 23:59:59", "2024-02-29 12:30:00", f"{OPENED} 00:00:00"],
        [
            "2099-12-31 00:00:00",
            "0001-01-01 00:00:00",
            "1949-12-31 23:59:59",
            "2026-07-01 00:00:00",
            "2021-03-03 23:59:59",
            "2025-1-5 1:2:3",
            "2025-02-30 00:00:00",
            "2025-05-05T05:05:05",
            "2025-05-05",
            "",
        ],
    ),
    "amount": (
        ["0.01", "42", "42.5", "42.50", "1000000.00", " 7.05 "],
        [
            "12.345",
            "1e3",
            "1_000",
            "9999999999999999.99",
            "0x1A",
            "-3.10",
            "0.00",
            "+1.00",
            "NaN",
            "inf",
            "1,000.00",
            "042.00",
            "1000000.01",
            "",
        ],
    ),
    "merchant_name": (
        ["Trader Joe's", "Café Zoë 🙂", "Smith, Jones & Co", 'The "Best" Deli', "x" * 200],
        ["x" * 201, "a\x00b", "a\tb", "a\rb", "a\x1fb", "   ", "", HUGE],
    ),
    "merchant_category": (
        ["Airlines", " GROCERY stores & supermarkets"],
        ["Space Tourism", "Airlines\x00", ""],
    ),
    "mcc": (["4511", "5411"], ["54x1", "45111", "", "５４１１"]),
    "channel": (["Online", "in-store", " Mobile "], ["Carrier Pigeon", "Online" + " " * 50, ""]),
    "status": (["approved", "DECLINED"], ["maybe", ""]),
}

CUSTOMER_POOLS: dict[str, Pool] = {
    "customer_id": (
        ["CUST00000004", "CUST00000005", " cust00000006"],
        ["CUST4", "CUST00000001", ""],
    ),
    "first_name": (["Ann", "O'Neil", "Zoë", "A" * 100], ["A" * 101, "An\x00n", ""]),
    "last_name": (["Lee", "Smith-Jones"], ["L\re", ""]),
    "email": (
        ["ann@example.com", "o'neil@mail.example.org"],
        ["@", "ann@", "ann@example", "ann lee@example.com", "a" * 250 + "@example.com", ""],
    ),
    "age": (["18", "100", " 41 "], ["17", "101", "25.7", "0x1A", "1e1", "+41", "041", "-5", ""]),
    "state": (["CA", " ny", "dc"], ["XX", "C\x00A", ""]),
    "city": (["Fresno", "St. Louis", "Winston-Salem"], ["x" * 101, "Re\x00no", ""]),
    "employment_status": (["Employed", "self-employed"], ["Astronaut", ""]),
    "card_type": (["Premium", "platinum "], ["Diamond", ""]),
    "credit_limit": (["8000.00", "8000", "0.01"], ["1e4", "8000.001", "-1", "0", "lots", ""]),
    "account_open_date": (
        ["2021-03-04", "1950-01-01", "2026-06-30"],
        ["2026-07-01", "2099-12-31", "0001-01-01", "1949-12-31", "2021-3-4", "2021-02-30", ""],
    ),
}

CHANGE_POOLS: dict[str, Pool] = {
    "change_id": ([f"CHG{n:010d}" for n in range(1, 6)], ["CHG1", ""]),
    "customer_id": (["CUST00000001", "CUST00000003"], ["CUST00000999", ""]),
    "effective_date": (
        [OPENED, "2025-01-02", "2026-06-30"],
        ["2021-03-03", "2026-07-01", "0001-01-01", "2025-1-2", ""],
    ),
    # attribute and new_value vary together (one slot of two columns, joined by " | ").
    "attribute | new_value": (
        ["card_type | Platinum", "credit_limit | 12000.00", "email | a@b.co", "city | Reno"],
        [
            "card_type | Titanium",
            "credit_limit | 1e4",
            "email | @",
            "city | Re\x00no",
            "nickname | Annie",
            " | x",
            "card_type | ",
        ],
    ),
}

KEYS = {
    "transactions": "transaction_id",
    "customers": "customer_id",
    "customer_changes": "change_id",
}
LINE_SHAPES = ["ok"] * 8 + ["extra_field", "missing_field", "garbage", "blank", "spaces"]


@dataclass(frozen=True)
class Row:
    values: dict[str, str]
    valid: bool
    shape: str
    quote_all: bool

    def line(self, header: list[str]) -> str:
        if self.shape == "garbage":
            return "#### transmission error ####"
        if self.shape in ("blank", "spaces"):
            return "" if self.shape == "blank" else "   "
        values = [EXPANDED.get(self.values[name], self.values[name]) for name in header]
        fields = [_csv_field(value, self.quote_all) for value in values]
        if self.shape == "extra_field":
            fields.append("EXTRA")
        if self.shape == "missing_field":
            fields.pop()
        return ",".join(fields)

    @property
    def is_data(self) -> bool:
        return self.shape not in ("blank", "spaces")


def _csv_field(value: str, quote: bool) -> str:
    if quote or "," in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def rows(draw: st.DrawFn, pools: dict[str, Pool]) -> Row:
    corrupt = draw(st.sets(st.sampled_from(sorted(pools)), max_size=2))
    values: dict[str, str] = {}
    for slot, (valid, invalid) in pools.items():
        chosen = draw(st.sampled_from(invalid if slot in corrupt else valid))
        values.update(zip(slot.split(" | "), chosen.split(" | "), strict=True))
    return Row(values, not corrupt, draw(st.sampled_from(LINE_SHAPES)), draw(st.booleans()))


@dataclass(frozen=True)
class FileSpec:
    entity: str
    rows: list[Row]
    gzipped: bool
    crlf: bool
    bom: bool

    @property
    def relpath(self) -> str:
        return f"{self.entity}/{BATCH}.csv" + (".gz" if self.gzipped else "")

    def write(self, landing: Path, header: str) -> None:
        lines = [("\ufeff" if self.bom else "") + header]
        lines += [row.line(header.split(",")) for row in self.rows]
        data = (("\r\n" if self.crlf else "\n").join(lines) + "\n").encode()
        path = landing / self.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(data) if self.gzipped else data)

    def expected_loaded(self) -> set[int]:
        """Lines of valid, well-shaped rows whose key no earlier loaded row of the file has."""
        seen: set[str] = set()
        loaded = set()
        for line, row in enumerate(self.rows, start=2):
            key = row.values[KEYS[self.entity]].strip(" ").upper()
            if row.valid and row.shape == "ok" and key not in seen:
                seen.add(key)
                loaded.add(line)
        return loaded

    def expected_rows_in(self) -> int:
        return sum(row.is_data for row in self.rows)


def files(entity: str, pools: dict[str, Pool]) -> st.SearchStrategy[FileSpec]:
    return st.builds(
        FileSpec,
        st.just(entity),
        st.lists(rows(pools), max_size=18),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    )


HEADERS = {
    "customers": CUSTOMER_HEADER,
    "customer_changes": CHANGE_HEADER,
    "transactions": TRANSACTION_HEADER,
}


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(
    st.tuples(
        files("customers", CUSTOMER_POOLS),
        files("customer_changes", CHANGE_POOLS),
        files("transactions", TRANSACTION_POOLS),
    )
)
def test_fuzzed_landing_files_reconcile_exactly_and_bronze_stays_in_domain(fuzzed):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        landing = root / "landing"
        (landing / "customers").mkdir(parents=True)
        fixed = [CUSTOMER_HEADER] + [customer(n) for n in (1, 2, 3)]
        (landing / "customers" / "0000-history.csv").write_text("\n".join(fixed) + "\n")
        for spec in fuzzed:
            spec.write(landing, HEADERS[spec.entity])
        (root / "reference.csv").write_text(REFERENCE)

        report = _ingest_with_timeout(landing, root / "warehouse.duckdb", root / "reference.csv")

        assert [r.status for r in report.files] == ["loaded"] * 4, report.files
        by_path = {r.path: r for r in report.files}
        with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
            for spec in fuzzed:
                result = by_path[spec.relpath]
                assert result.rows_in == spec.expected_rows_in()
                assert result.rows_in == result.rows_loaded + result.rows_quarantined
                loaded = _lines(con, f"bronze.{spec.entity}", "_source_file", spec.relpath)
                held = _lines(con, "ops.quarantine", "source_file", spec.relpath)
                assert (len(loaded), len(held)) == (result.rows_loaded, result.rows_quarantined)
                assert loaded == spec.expected_loaded()
                assert not loaded & held
            _assert_bronze_in_domain(con)


def _ingest_with_timeout(landing: Path, database: Path, reference: Path):
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(
                ingest_landing(landing, database, loaded_at=LOADED_AT, reference=reference)
            )
        except BaseException as exc:  # reported below, with the example that caused it
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "ingest hung"
    assert not isinstance(outcome[0], BaseException), repr(outcome[0])
    return outcome[0]


def _lines(con: duckdb.DuckDBPyConnection, table: str, column: str, relpath: str) -> set[int]:
    row_column = "_source_row" if column == "_source_file" else "source_row"
    rows = con.execute(f"select {row_column} from {table} where {column} = ?", [relpath])
    return {int(line) for (line,) in rows.fetchall()}


SCHEMAS = {
    "customers": schema.CUSTOMERS,
    "customer_changes": schema.CUSTOMER_CHANGES,
    "transactions": schema.TRANSACTIONS,
}
LATEST = date(2026, 6, 30)
LATEST_UNDATED = date(2026, 7, 2)  # the fixed customers file: run clock + 1 day


def _assert_bronze_in_domain(con: duckdb.DuckDBPyConnection) -> None:
    """Every bronze value satisfies its field's declaration, read here independently of SQL."""
    for entity, fields in SCHEMAS.items():
        names = list(fields)
        result = con.execute(f"select {', '.join(names)}, _source_file from bronze.{entity}")
        for values in result.fetchall():
            latest = LATEST if BATCH in values[-1] else LATEST_UNDATED
            for name, value in zip(names, values, strict=False):
                assert _in_domain(fields[name], value, latest), (entity, name, value)
        keys = con.execute(
            f"select _key, count(*) from bronze.{entity} group by 1 having count(*) > 1"
        )
        assert keys.fetchall() == []
    early = con.execute(
        """
        select t.transaction_ts, c.account_open_date from bronze.transactions t
        join bronze.customers c on c._key = upper(trim(t.customer_id))
        where t.transaction_ts::date < c.account_open_date
        """
    ).fetchall()
    assert early == []
    for attribute, new_value in con.execute(
        "select attribute, new_value from bronze.customer_changes"
    ).fetchall():
        field = schema.CHANGE_ATTRIBUTES[attribute.strip(" ").lower()]
        assert _in_domain(field, new_value, LATEST), (attribute, new_value)


def _in_domain(field: schema.Field, value: object, latest: date) -> bool:
    match field:
        case Code():
            text = str(value)
            return len(text) <= field.max_length and bool(
                re.fullmatch(field.pattern, text.strip(" ").upper())
            )
        case OneOf():
            text = str(value)
            folded = {v.lower() for v in field.values}
            return len(text) <= field.max_length and text.strip(" ").lower() in folded
        case Text():
            text = str(value)
            return 0 < len(text.strip(" ")) <= len(text) <= field.max_length and not re.search(
                schema.CONTROL_CHARACTERS, text
            )
        case Email():
            text = str(value)
            return len(text) <= field.max_length and bool(
                re.fullmatch(field.pattern, text.strip(" "))
            )
        case Amount():
            if not isinstance(value, Decimal):  # a change's new_value, kept as text
                text = str(value).strip(" ")
                return bool(re.fullmatch(field.pattern, text)) and _in_domain(
                    field, Decimal(text), latest
                )
            return Decimal(field.low) <= value <= Decimal(field.high) and (
                value == value.quantize(Decimal("0.01"))
            )
        case WholeNumber():
            return isinstance(value, int) and field.low <= value <= field.high
        case Day():
            return isinstance(value, date) and schema.EARLIEST_DATE <= value <= latest
        case Timestamp():
            return isinstance(value, datetime) and schema.EARLIEST_DATE <= value.date() <= latest
