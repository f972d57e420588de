"""A tiny hand-made bronze layer (docs/landing-format.md) hitting every segment rule and SCD2 case.

Named customers are crafted; a seeded filler adds volume. All dates end at AS_OF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np

AS_OF = date(2026, 6, 30)
HISTORY_START = date(2025, 1, 1)
HISTORY_LOADED_AT = datetime(2026, 7, 1, 6, 0, 0)
INCREMENT_LOADED_AT = datetime(2026, 7, 2, 6, 0, 0)

# (category_name, category_group, mcc, spending_type, discretionary_flag) as ingest lands them.
CATEGORIES = [
    ("Airlines", "Travel", "4511", "Occasional", "true"),
    ("Hotels & Lodging", "Travel", "7011", "Occasional", "true"),
    ("Car Rental", "Travel", "7512", "Occasional", "true"),
    ("Restaurants", "Dining & Entertainment", "5812", "Everyday", "true"),
    ("Grocery Stores", "Necessities", "5411", "Everyday", "false"),
    ("Gas Stations", "Necessities", "5541", "Everyday", "false"),
    ("Utilities", "Necessities", "4900", "Recurring", "false"),
    ("Department Stores", "Retail", "5311", "Occasional", "true"),
    ("Electronics", "Retail", "5732", "Occasional", "true"),
    ("Veterinary Services", "Other", "0742", "Occasional", "false"),
]
_MCC = {row[0]: row[2] for row in CATEGORIES}

# Named customers: the expected segment of each is asserted by the tests.
HVT = "CUST00000001"
DECLINING = "CUST00000002"
DECLINING_SMALL_PRIOR = "CUST00000003"
HVT_AND_DECLINING = "CUST00000004"
NEW_GROWING = "CUST00000005"
NEW_NOT_GROWING = "CUST00000006"
BUDGET = "CUST00000007"
STABLE = "CUST00000008"
NO_TRANSACTIONS = "CUST00000009"
SCD2 = "CUST00000010"
TYPE1 = "CUST00000011"
BRAND_NEW = "CUST00000012"

EXPECTED_SEGMENTS = {
    HVT: "High-Value Travelers",
    DECLINING: "Declining",
    DECLINING_SMALL_PRIOR: "Stable Mid-Spenders",
    HVT_AND_DECLINING: "High-Value Travelers",
    NEW_GROWING: "New & Growing",
    NEW_NOT_GROWING: "Budget-Conscious",
    BUDGET: "Budget-Conscious",
    STABLE: "Stable Mid-Spenders",
    NO_TRANSACTIONS: "Stable Mid-Spenders",
    BRAND_NEW: "New & Growing",
}

# SCD2 customer: (valid_from, card_type, credit_limit) versions the warehouse must rebuild.
SCD2_VERSIONS = [
    (date(2024, 1, 10), "Standard", 5000.0),
    (date(2025, 3, 1), "Premium", 10000.0),
    (date(2025, 9, 15), "Premium", 15000.0),
    (date(2026, 2, 1), "Platinum", 15000.0),
]
# The increment's late-arriving change splits the first post-2025-03 version.
INCREMENT_SCD2_CHANGE = (date(2025, 6, 1), "credit_limit", "12000")


@dataclass
class _Rows:
    customers: list[tuple] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)
    transactions: list[tuple] = field(default_factory=list)
    next_txn: int = 1
    next_change: int = 1

    def customer(self, customer_id, card_type, limit, opened, first="Ann", last="Smith", **kw):
        self.customers.append(
            (
                customer_id,
                first,
                last,
                kw.get("email", f"{customer_id.lower()}@example.com"),
                kw.get("age", 40),
                kw.get("state", "CA"),
                kw.get("city", "Fresno"),
                kw.get("employment", "Employed"),
                card_type,
                limit,
                opened,
            )
        )

    def change(self, customer_id, effective, attribute, value):
        self.changes.append(
            (f"CHG{self.next_change:010d}", customer_id, effective, attribute, value)
        )
        self.next_change += 1

    def txn(self, customer_id, day, amount, category, status="approved", channel="Online"):
        ts = datetime.combine(day, datetime.min.time()) + timedelta(hours=12)
        self.transactions.append(
            (
                f"TXN{self.next_txn:012d}",
                customer_id,
                ts,
                round(float(amount), 2),
                f"{category} Merchant",
                category,
                _MCC.get(category, "5999"),
                channel,
                status,
            )
        )
        self.next_txn += 1

    def spread(self, customer_id, first_day_back, last_day_back, count, amount, categories):
        """`count` evenly spaced transactions `days back` from AS_OF, cycling categories."""
        step = (first_day_back - last_day_back) / count
        for i in range(count):
            back = int(first_day_back - i * step)
            self.txn(
                customer_id, AS_OF - timedelta(days=back), amount, categories[i % len(categories)]
            )


def _history(seed: int) -> _Rows:
    rows = _Rows()
    travel_mix = ["Airlines", "Restaurants", "Hotels & Lodging", "Department Stores"]

    rows.customer(HVT, "Platinum", 50000, date(2022, 3, 1))
    rows.spread(HVT, 89, 0, 30, 600, travel_mix)
    rows.spread(HVT, 179, 90, 30, 600, travel_mix)

    rows.customer(DECLINING, "Premium", 12000, date(2023, 1, 1))
    rows.spread(DECLINING, 179, 90, 30, 150, ["Department Stores"])
    rows.spread(DECLINING, 89, 0, 10, 100, ["Department Stores"])

    rows.customer(DECLINING_SMALL_PRIOR, "Standard", 4000, date(2023, 1, 1))
    rows.spread(DECLINING_SMALL_PRIOR, 179, 90, 10, 150, ["Electronics"])
    rows.spread(DECLINING_SMALL_PRIOR, 89, 0, 5, 100, ["Electronics"])

    rows.customer(HVT_AND_DECLINING, "Platinum", 80000, date(2021, 5, 5))
    rows.spread(HVT_AND_DECLINING, 179, 90, 60, 1000, travel_mix)
    rows.spread(HVT_AND_DECLINING, 89, 0, 30, 600, travel_mix)

    rows.customer(NEW_GROWING, "Standard", 3000, date(2026, 3, 15))
    rows.spread(NEW_GROWING, 59, 30, 3, 100, ["Restaurants"])
    rows.spread(NEW_GROWING, 29, 0, 6, 100, ["Restaurants"])

    rows.customer(NEW_NOT_GROWING, " standard ", 3000, date(2026, 2, 1))
    rows.spread(NEW_NOT_GROWING, 59, 30, 6, 100, ["Grocery Stores"])
    rows.spread(NEW_NOT_GROWING, 29, 0, 3, 100, ["Grocery Stores"])

    rows.customer(BUDGET, "Standard", 2000, date(2021, 1, 1))
    rows.spread(BUDGET, 89, 0, 9, 100, ["Grocery Stores", "Utilities", "Gas Stations"])
    rows.txn(BUDGET, AS_OF - timedelta(days=3), 9000, "Electronics", status="declined")

    rows.customer(STABLE, "Premium", 15000, date(2020, 6, 1))
    rows.spread(STABLE, 89, 0, 9, 1000, ["Department Stores", "Restaurants"])
    rows.spread(STABLE, 179, 90, 9, 1000, ["Department Stores", "Restaurants"])

    rows.customer(NO_TRANSACTIONS, "Standard", 1000, date(2024, 5, 5))

    rows.customer(SCD2, "Standard", 5000, date(2024, 1, 10))
    rows.change(SCD2, date(2025, 3, 1), "card_type", "Premium")
    rows.change(SCD2, date(2025, 3, 1), "credit_limit", "10000")
    rows.change(SCD2, date(2025, 9, 15), "credit_limit", "15000.00")
    rows.change(SCD2, date(2026, 2, 1), "card_type", "  platinum ")
    day = HISTORY_START
    while day <= AS_OF:
        rows.txn(SCD2, day, 250, "Grocery Stores", channel=" in-store ", status=" Approved")
        day += timedelta(days=7)

    rows.customer(TYPE1, "Premium", 9000, date(2023, 4, 4), city="Austin", state="tx")
    rows.change(TYPE1, date(2025, 5, 1), "email", " New.Address@Example.com ")
    rows.change(TYPE1, date(2025, 8, 1), "city", "Dallas")
    rows.change(TYPE1, date(2025, 10, 1), "card_type", "Premium")  # no-op: no new version
    rows.spread(TYPE1, 300, 1, 20, 200, ["Restaurants", "Grocery Stores"])

    rows.customer(BRAND_NEW, "Standard", 2000, date(2026, 6, 20))
    rows.txn(BRAND_NEW, date(2026, 6, 25), 80, "Restaurants")
    rows.txn(BRAND_NEW, AS_OF, 120, "Restaurants", channel="MOBILE")

    rng = np.random.default_rng(seed)
    names = [row[0] for row in CATEGORIES]
    for n in range(13, 61):
        customer_id = f"CUST{n:08d}"
        opened = HISTORY_START - timedelta(days=int(rng.integers(-300, 2000)))
        opened = min(opened, AS_OF - timedelta(days=5))
        rows.customer(
            customer_id, ["Standard", "Premium", "Platinum"][n % 3], 1000.0 * (n % 20 + 1), opened
        )
        if n % 4 == 0:
            effective = opened + timedelta(days=int(rng.integers(1, 200)))
            if effective <= AS_OF:
                rows.change(customer_id, effective, "credit_limit", str(1000 * (n % 20 + 3)))
        first = max(opened, HISTORY_START)
        for _ in range(int(rng.integers(0, 40))):
            day = first + timedelta(days=int(rng.integers(0, max((AS_OF - first).days, 1) + 1)))
            status = "declined" if rng.random() < 0.05 else "approved"
            rows.txn(
                customer_id,
                min(day, AS_OF),
                rng.gamma(2.0, 60.0) + 1,
                names[int(rng.integers(0, len(names)))],
                status,
            )

    # Dirty on purpose: an exact duplicate row and mixed-case codes (bronze keeps what landed).
    rows.transactions.append(rows.transactions[0])
    return rows


_DDL = {
    "customers": """
        customer_id varchar, first_name varchar, last_name varchar, email varchar, age integer,
        state varchar, city varchar, employment_status varchar, card_type varchar,
        credit_limit decimal(18, 2), account_open_date date""",
    "customer_changes": """
        change_id varchar, customer_id varchar, effective_date date, attribute varchar,
        new_value varchar""",
    "transactions": """
        transaction_id varchar, customer_id varchar, transaction_ts timestamp,
        amount decimal(18, 2), merchant_name varchar, merchant_category varchar, mcc varchar,
        channel varchar, status varchar""",
}
# As ingest writes them; `_key` is the natural key (the first column) upper-cased and trimmed.
_LINEAGE = (
    "_batch varchar, _source_file varchar, _source_row bigint, _loaded_at timestamp, _key varchar"
)


def _insert(con, entity: str, rows: list[tuple], batch: str, loaded_at: datetime) -> None:
    source = f"landing/{entity}/{batch}.csv.gz"
    width = len(rows[0]) if rows else 0
    placeholders = ", ".join(["?"] * (width + 4))
    con.executemany(
        f"insert into bronze.{entity} values ({placeholders}, upper(trim(?)))",
        [(*row, batch, source, line, loaded_at, row[0]) for line, row in enumerate(rows, start=2)],
    )


def write_bronze(database: Path, seed: int = 7) -> None:
    """Create the bronze schema with the history batch."""
    rows = _history(seed)
    con = duckdb.connect(str(database))
    try:
        con.execute("create schema if not exists bronze")
        for entity, columns in _DDL.items():
            con.execute(f"create or replace table bronze.{entity} ({columns}, {_LINEAGE})")
        con.execute(
            "create or replace table bronze.merchant_categories (category_name varchar, "
            "category_group varchar, mcc varchar, spending_type varchar, "
            "discretionary_flag varchar, _loaded_at timestamp)"
        )
        con.executemany(
            "insert into bronze.merchant_categories values (?, ?, ?, ?, ?, ?)",
            [(*row, HISTORY_LOADED_AT) for row in CATEGORIES],
        )
        _insert(con, "customers", rows.customers, "0000-history", HISTORY_LOADED_AT)
        _insert(con, "customer_changes", rows.changes, "0000-history", HISTORY_LOADED_AT)
        _insert(con, "transactions", rows.transactions, "0000-history", HISTORY_LOADED_AT)
    finally:
        con.close()


INCREMENT_NEW_CUSTOMER = "CUST00000099"
INCREMENT_TRANSACTIONS = 3


def append_increment(database: Path) -> None:
    """A later batch: a new customer with transactions, a re-sent old row, a late SCD2 change."""
    batch = "0001-2026-07-01"
    con = duckdb.connect(str(database))
    try:
        old_txn = con.execute(
            "select * exclude (_batch, _source_file, _source_row, _loaded_at, _key) "
            "from bronze.transactions order by transaction_id limit 1"
        ).fetchone()
        top = con.execute("select max(transaction_id) from bronze.transactions").fetchone()[0]
        next_id = int(top[3:]) + 1
        customers = [
            (
                INCREMENT_NEW_CUSTOMER,
                "Zed",
                "Last",
                "zed@example.com",
                30,
                "NY",
                "Albany",
                "Student",
                "Standard",
                500,
                AS_OF,
            )
        ]
        transactions = [
            (
                f"TXN{next_id + i:012d}",
                INCREMENT_NEW_CUSTOMER,
                datetime.combine(AS_OF, datetime.min.time()) + timedelta(hours=9 + i),
                20.0 + i,
                "Corner Shop",
                "Grocery Stores",
                "5411",
                "Mobile",
                "approved",
            )
            for i in range(INCREMENT_TRANSACTIONS)
        ]
        transactions.append(old_txn)
        effective, attribute, value = INCREMENT_SCD2_CHANGE
        changes = [("CHG0000009999", SCD2, effective, attribute, value)]
        _insert(con, "customers", customers, batch, INCREMENT_LOADED_AT)
        _insert(con, "customer_changes", changes, batch, INCREMENT_LOADED_AT)
        _insert(con, "transactions", transactions, batch, INCREMENT_LOADED_AT)
    finally:
        con.close()
