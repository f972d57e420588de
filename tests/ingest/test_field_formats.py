"""Strict field formats and plausible ranges: nothing is coerced, every reject names its field."""

from __future__ import annotations

import pytest

from .landing_files import (
    CHANGE_HEADER,
    CUSTOMER_HEADER,
    TRANSACTION_HEADER,
    customer,
    land_customers,
    transaction,
    write_csv,
)

# (field, landed value, expected reason)
BAD_TRANSACTION_VALUES = [
    ("amount", "12.345", "bad_amount"),
    ("amount", "1e3", "bad_amount"),
    ("amount", "1_000", "bad_amount"),
    ("amount", "9999999999999999.99", "bad_amount"),
    ("amount", "1000000.01", "bad_amount"),
    ("amount", "0x1A", "bad_amount"),
    ("amount", "+42.50", "bad_amount"),
    ("amount", "42.", "bad_amount"),
    ("amount", ".50", "bad_amount"),
    ("amount", "042.50", "bad_amount"),
    ("amount", "NaN", "bad_amount"),
    ("amount", "inf", "bad_amount"),
    ("transaction_ts", "2025-1-5 1:2:3", "bad_date"),
    ("transaction_ts", "2026-05-01T10:11:12", "bad_date"),
    ("transaction_ts", "2026-05-01 10:11:12.5", "bad_date"),
    ("transaction_ts", "2026-05-01", "bad_date"),
    ("transaction_ts", "2026-05-01 24:00:00", "bad_date"),
    ("merchant_name", "x" * 1_000_000, "bad_text"),
    ("merchant_name", "Trader\x00Joe", "bad_text"),
    ("merchant_name", "Trader\tJoe", "bad_text"),
    ("customer_id", "CUST0000001", "bad_domain"),
    ("mcc", "５４１１", "bad_domain"),
    ("channel", "Online" + " " * 5000, "bad_text"),
]

BAD_CUSTOMER_VALUES = [
    ("age", "25.7", "bad_domain"),
    ("age", "0x1A", "bad_domain"),
    ("age", "1e1", "bad_domain"),
    ("age", "+41", "bad_domain"),
    ("age", "041", "bad_domain"),
    ("email", "@", "bad_domain"),
    ("email", "ann@", "bad_domain"),
    ("email", "ann@example", "bad_domain"),
    ("email", "ann lee@example.com", "bad_domain"),
    ("email", "a" * 300 + "@example.com", "bad_text"),
    ("credit_limit", "1e4", "bad_amount"),
    ("credit_limit", "8000.001", "bad_amount"),
    ("credit_limit", "9999999999999999.99", "bad_amount"),
    ("account_open_date", "2021-3-4", "bad_date"),
    ("account_open_date", "2021-03-04 00:00:00", "bad_date"),
    ("first_name", "A" * 101, "bad_text"),
    ("city", "Fres\x00no", "bad_text"),
    ("state", "C\x00A", "bad_domain"),
]


def _quarantined(query):
    return query("select source_row, reason, column_name, detail from ops.quarantine order by 1")


@pytest.mark.parametrize(("field", "value", "reason"), BAD_TRANSACTION_VALUES)
def test_bad_transaction_value_is_quarantined_naming_the_field(
    landing, ingest, query, field, value, reason
):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.csv",
        [TRANSACTION_HEADER, transaction(2), transaction(3, **{field: value})],
    )

    ingest()

    [(row, got_reason, column, detail)] = _quarantined(query)
    assert (row, got_reason, column) == (3, reason, field)
    assert detail.startswith(f"{field} ")
    assert len(detail) < 300
    assert query("select transaction_id from bronze.transactions") == [("TXN000000000002",)]


@pytest.mark.parametrize(("field", "value", "reason"), BAD_CUSTOMER_VALUES)
def test_bad_customer_value_is_quarantined_naming_the_field(
    landing, ingest, query, field, value, reason
):
    write_csv(
        landing / "customers" / "0000-history.csv",
        [CUSTOMER_HEADER, customer(1), customer(2, **{field: value})],
    )

    ingest()

    [(row, got_reason, column, detail)] = _quarantined(query)
    assert (row, got_reason, column) == (3, reason, field)
    assert detail.startswith(f"{field} ")
    assert query("select customer_id from bronze.customers") == [("CUST00000001",)]


@pytest.mark.parametrize(
    ("attribute", "value", "reason"),
    [
        ("credit_limit", "1e4", "bad_domain"),
        ("credit_limit", "12000.555", "bad_domain"),
        ("email", "@", "bad_domain"),
        ("card_type", "Titanium", "bad_domain"),
        ("city", "Re\x00no", "bad_text"),
    ],
)
def test_change_value_follows_the_format_of_its_attribute(
    landing, ingest, query, attribute, value, reason
):
    land_customers(landing)
    write_csv(
        landing / "customer_changes" / "0000-history.csv",
        [
            CHANGE_HEADER,
            "CHG0000000001,CUST00000001,2025-01-02,credit_limit,12000.00",
            f"CHG0000000002,CUST00000001,2025-01-02,{attribute},{value}",
        ],
    )

    ingest()

    [(row, got_reason, column, detail)] = _quarantined(query)
    assert (row, got_reason, column) == (3, reason, "new_value")
    assert detail.startswith("new_value ")
    assert attribute in detail or reason == "bad_text"


def test_values_in_the_strict_formats_load_exactly(landing, ingest, query):
    write_csv(
        landing / "customers" / "0000-history.csv",
        [
            CUSTOMER_HEADER,
            customer(1, age=" 18 ", credit_limit="8000", email="o'neil@mail.example.org"),
        ],
    )
    write_csv(
        landing / "transactions" / "0000-history.csv",
        [
            TRANSACTION_HEADER,
            transaction(2, amount="42"),
            transaction(3, amount="42.5"),
            transaction(4, amount=" 0.01 "),
            transaction(5, amount="1000000.00", merchant_name="Café Zoë 🙂"),
            transaction(6, merchant_name='"Smith, Jones & Co"'),
        ],
    )

    ingest()

    assert query("select count(*) from ops.quarantine") == [(0,)]
    assert query("select age, credit_limit::varchar from bronze.customers") == [(18, "8000.00")]
    assert query("select amount::varchar from bronze.transactions order by _source_row") == [
        ("42.00",),
        ("42.50",),
        ("0.01",),
        ("1000000.00",),
        ("42.50",),
    ]
