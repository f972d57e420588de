"""Dates outside the plausible window are quarantined, so one row never moves `as_of`."""

from __future__ import annotations

from datetime import date

import pytest

from customer360.config import load_settings
from customer360.generate import GenerateOptions, generate_world
from customer360.ingest import ingest_landing
from customer360.pipeline import transform_stage
from customer360.warehouse import building, connect_read

from .landing_files import (
    CHANGE_HEADER,
    CUSTOMER_HEADER,
    TRANSACTION_HEADER,
    customer,
    land_customers,
    transaction,
    write_csv,
)

# LOADED_AT is 2026-07-01 06:00 UTC: the window of an undated batch ends on 2026-07-02.
IMPLAUSIBLE_TIMESTAMPS = [
    "2099-12-31 00:00:00",
    "0001-01-01 00:00:00",
    "1949-12-31 23:59:59",
    "2026-07-03 00:00:00",
    "2021-03-03 23:59:59",  # the day before the account opened (2021-03-04)
]


@pytest.mark.parametrize("timestamp", IMPLAUSIBLE_TIMESTAMPS)
def test_transaction_outside_the_window_is_quarantined(landing, ingest, query, timestamp):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.csv",
        [TRANSACTION_HEADER, transaction(2), transaction(3, transaction_ts=timestamp)],
    )

    ingest()

    assert query("select source_row, reason, column_name from ops.quarantine") == [
        (3, "implausible_date", "transaction_ts")
    ]
    assert query("select max(transaction_ts)::date from bronze.transactions") == [
        (date(2026, 5, 1),)
    ]


def test_window_edges_are_inside(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.csv",
        [
            TRANSACTION_HEADER,
            transaction(2, transaction_ts="2021-03-04 00:00:00"),
            transaction(3, transaction_ts="2026-07-02 23:59:59"),
        ],
    )

    ingest()

    assert query("select count(*) from ops.quarantine") == [(0,)]
    assert query("select count(*) from bronze.transactions") == [(2,)]


def test_detail_states_the_window_and_where_it_comes_from(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.csv",
        [TRANSACTION_HEADER, transaction(2, transaction_ts="2099-12-31 00:00:00")],
    )

    ingest()

    assert query("select detail from ops.quarantine") == [
        (
            "transaction_ts is outside the plausible window 1950-01-01 to 2026-07-02 "
            "(run clock 2026-07-01 06:00 UTC + 1 day) (got '2099-12-31 00:00:00')",
        )
    ]


def test_dated_batch_accepts_nothing_after_its_date(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0001-2026-06-28.csv",
        [
            TRANSACTION_HEADER,
            transaction(2, transaction_ts="2026-06-28 23:59:59"),
            transaction(3, transaction_ts="2026-06-29 00:00:00"),
        ],
    )

    ingest()

    assert query("select source_row, reason, detail from ops.quarantine") == [
        (
            3,
            "implausible_date",
            "transaction_ts is outside the plausible window 1950-01-01 to 2026-06-28 "
            "(date of batch 0001-2026-06-28) (got '2026-06-29 00:00:00')",
        )
    ]


def test_customer_opened_in_the_future_is_quarantined(landing, ingest, query):
    write_csv(
        landing / "customers" / "0000-history.csv",
        [
            CUSTOMER_HEADER,
            customer(1),
            customer(2, account_open_date="2099-12-31"),
            customer(3, account_open_date="0001-01-01"),
        ],
    )

    ingest()

    assert query("select source_row, reason, column_name from ops.quarantine order by 1") == [
        (3, "implausible_date", "account_open_date"),
        (4, "implausible_date", "account_open_date"),
    ]


def test_change_before_the_account_opened_is_quarantined(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "customer_changes" / "0000-history.csv",
        [
            CHANGE_HEADER,
            "CHG0000000001,CUST00000001,2021-03-04,card_type,Platinum",
            "CHG0000000002,CUST00000001,2021-03-03,card_type,Platinum",
            "CHG0000000003,CUST00000001,2099-01-01,card_type,Platinum",
        ],
    )

    ingest()

    assert query("select source_row, reason, column_name from ops.quarantine order by 1") == [
        (3, "implausible_date", "effective_date"),
        (4, "implausible_date", "effective_date"),
    ]
    assert query("select detail from ops.quarantine where source_row = 3") == [
        ("effective_date is before the customer's account_open_date (got '2021-03-03')",)
    ]


def test_one_far_dated_row_neither_moves_as_of_nor_breaks_transform(tmp_path):
    settings = load_settings(tmp_path / "data")
    as_of = date(2026, 6, 30)
    generate_world(GenerateOptions(customers=120, seed=3, as_of=as_of, defect_rate=0), settings)
    write_csv(
        settings.landing_dir / "transactions" / "0001-extra.csv",
        [
            TRANSACTION_HEADER,
            transaction(999_000_001, customer_no=1, transaction_ts="2099-12-31 23:59:59"),
            transaction(999_000_002, customer_no=1, transaction_ts="0001-01-01 00:00:00"),
        ],
    )
    with building(settings.warehouse_path) as staging:
        report = ingest_landing(settings.landing_dir, staging)
        transform_stage(staging, settings)

    assert report.quarantined_by_reason == {("transactions", "implausible_date"): 2}
    with connect_read(settings.warehouse_path) as con:
        assert con.execute("select as_of_date from silver.int_as_of").fetchone() == (as_of,)
        calendar = con.execute("select min(date_day), max(date_day) from gold.dim_date").fetchone()
        opened = con.execute("select min(account_open_date) from silver.stg_customers").fetchone()
    assert calendar == (opened[0], as_of)
