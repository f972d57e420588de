"""Builders for small hand-written landing files."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

LOADED_AT = datetime(2026, 7, 1, 6, 0, 0)

CUSTOMER_HEADER = (
    "customer_id,first_name,last_name,email,age,state,city,employment_status,card_type,"
    "credit_limit,account_open_date"
)
TRANSACTION_HEADER = (
    "transaction_id,customer_id,transaction_ts,amount,merchant_name,merchant_category,mcc,"
    "channel,status"
)
CHANGE_HEADER = "change_id,customer_id,effective_date,attribute,new_value"

REFERENCE = """category_name,mcc,category_group,spending_type,discretionary_flag
Airlines,4511,Travel,Occasional,true
Grocery Stores & Supermarkets,5411,Necessities,Essential,false
"""


def customer(n: int, **overrides: str) -> str:
    values = {
        "customer_id": f"CUST{n:08d}",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": f"ann{n}@example.com",
        "age": "41",
        "state": "CA",
        "city": "Fresno",
        "employment_status": "Employed",
        "card_type": "Premium",
        "credit_limit": "8000.00",
        "account_open_date": "2021-03-04",
    }
    values.update(overrides)
    return ",".join(values.values())


def transaction(n: int, customer_no: int = 1, **overrides: str) -> str:
    values = {
        "transaction_id": f"TXN{n:012d}",
        "customer_id": f"CUST{customer_no:08d}",
        "transaction_ts": "2026-05-01 10:11:12",
        "amount": "42.50",
        "merchant_name": "Trader Joe's",
        "merchant_category": "Grocery Stores & Supermarkets",
        "mcc": "5411",
        "channel": "In-Store",
        "status": "approved",
    }
    values.update(overrides)
    return ",".join(values.values())


def write_csv(path: Path, lines: list[str], *, compress: bool = True) -> Path:
    """Write header + lines, newline-terminated; gzip when the name ends in .gz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if compress and path.name.endswith(".gz") else data)
    return path


def land_customers(landing: Path, count: int = 3, batch: str = "0000-history") -> Path:
    return write_csv(
        landing / "customers" / f"{batch}.csv.gz",
        [CUSTOMER_HEADER] + [customer(n) for n in range(1, count + 1)],
    )
