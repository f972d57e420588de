"""Row-level validation: every defect kind lands in quarantine with reason, line and raw text."""

from __future__ import annotations

from pathlib import Path

from .landing_files import (
    CHANGE_HEADER,
    CUSTOMER_HEADER,
    LOADED_AT,
    TRANSACTION_HEADER,
    customer,
    land_customers,
    transaction,
    write_csv,
)

TRANSACTION_DEFECTS = {
    # line number → (line text, expected reason)
    3: (transaction(3, customer_id=""), "missing_required"),
    4: (transaction(4, transaction_ts="2026-13-45 10:00:00"), "bad_date"),
    5: (transaction(5, transaction_ts="05/01/2026"), "bad_date"),
    6: (transaction(6, amount="twelve"), "bad_amount"),
    7: (transaction(7, amount="-3.10"), "bad_amount"),
    8: (transaction(8, channel="Carrier Pigeon"), "bad_domain"),
    9: (transaction(9, customer_no=999), "unknown_customer"),
    10: (transaction(10, merchant_category="Space Tourism"), "unknown_category"),
    11: (transaction(2), "duplicate"),
    12: (transaction(12) + ",extra", "malformed_line"),
    13: ("%%%garbage%%%", "malformed_line"),
    14: (transaction(14, status="maybe"), "bad_domain"),
    15: (transaction(15, mcc="54x1"), "bad_domain"),
    16: (transaction(16, amount="0.00"), "bad_amount"),
    17: ('TXN000000000017,"unbalanced,quote', "malformed_line"),
}


def _land_transactions(landing: Path) -> Path:
    lines = [TRANSACTION_HEADER, transaction(2)]
    lines += [TRANSACTION_DEFECTS[n][0] for n in sorted(TRANSACTION_DEFECTS)]
    lines.append(transaction(18))
    return write_csv(landing / "transactions" / "0000-history.csv.gz", lines)


def test_every_defect_kind_is_quarantined_with_reason_line_and_raw_text(landing, ingest, query):
    land_customers(landing)
    _land_transactions(landing)

    ingest()

    rows = query(
        "select source_row, reason, raw_line, source_file, batch from ops.quarantine "
        "where entity = 'transactions' order by source_row"
    )
    expected = [(n, reason, text) for n, (text, reason) in sorted(TRANSACTION_DEFECTS.items())]
    assert [(r[0], r[1], r[2]) for r in rows] == expected
    assert {(r[3], r[4]) for r in rows} == {("transactions/0000-history.csv.gz", "0000-history")}
    assert query("select _source_row from bronze.transactions order by 1") == [(2,), (18,)]


def test_quarantine_detail_names_the_column_and_the_value(landing, ingest, query):
    land_customers(landing)
    _land_transactions(landing)

    ingest()

    details = dict(query("select source_row, detail from ops.quarantine"))
    assert details[6] == (
        "amount is not a decimal like 123.45 from 0.01 to 1000000.00 (got 'twelve')"
    )
    assert details[3] == "customer_id is required (got '')"
    assert details[12] == "line has 10 fields, the header has 9"
    assert "unbalanced quotes" in details[17]


def test_customer_defects_are_quarantined(landing, ingest, query):
    write_csv(
        landing / "customers" / "0000-history.csv",
        [
            CUSTOMER_HEADER,
            customer(1),
            customer(2, email="no-at-sign"),
            customer(3, age="17"),
            customer(4, state="XX"),
            customer(5, card_type="Diamond"),
            customer(6, credit_limit="lots"),
            customer(7, account_open_date="2021-02-30"),
            customer(8, first_name=" "),
            customer(9, customer_id="C9"),
            customer(1),
        ],
    )

    ingest()

    assert query("select source_row, reason from ops.quarantine order by 1") == [
        (3, "bad_domain"),
        (4, "bad_domain"),
        (5, "bad_domain"),
        (6, "bad_domain"),
        (7, "bad_amount"),
        (8, "bad_date"),
        (9, "missing_required"),
        (10, "bad_domain"),
        (11, "duplicate"),
    ]


def test_customer_change_defects_are_quarantined(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "customer_changes" / "0000-history.csv.gz",
        [
            CHANGE_HEADER,
            "CHG0000000001,CUST00000001,2025-01-02,card_type,Platinum",
            "CHG0000000002,CUST00000001,2025-01-02,credit_limit,-5",
            "CHG0000000003,CUST00000001,2025-01-02,nickname,Annie",
            "CHG0000000004,CUST00000999,2025-01-02,city,Reno",
            "CHG0000000005,CUST00000001,not-a-date,city,Reno",
            "CHG0000000001,CUST00000001,2025-01-02,card_type,Platinum",
            "CHG0000000006,CUST00000001,2025-01-02,card_type,Titanium",
        ],
    )

    ingest()

    assert query("select source_row, reason from ops.quarantine order by 1") == [
        (3, "bad_domain"),
        (4, "bad_domain"),
        (5, "unknown_customer"),
        (6, "bad_date"),
        (7, "duplicate"),
        (8, "bad_domain"),
    ]
    assert query("select count(*) from bronze.customer_changes") == [(1,)]


def test_whitespace_and_mixed_case_rows_load_as_landed(landing, ingest, query):
    land_customers(landing)
    messy = transaction(
        2,
        transaction_id=" txn000000000002 ",
        customer_id="cust00000001 ",
        amount=" 42.50",
        merchant_category="  GROCERY stores & supermarkets",
        channel="in-store",
        status=" APPROVED",
    )
    write_csv(landing / "transactions" / "0000-history.csv.gz", [TRANSACTION_HEADER, messy])

    ingest()

    assert query("select count(*) from ops.quarantine") == [(0,)]
    row = query("select transaction_id, channel, status, amount::varchar from bronze.transactions")
    assert row == [(" txn000000000002 ", "in-store", " APPROVED", "42.50")]


def test_quoted_fields_with_commas_and_escaped_quotes_are_split(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.csv",
        [
            TRANSACTION_HEADER,
            transaction(2, merchant_name='"Smith, Jones & Co"'),
            transaction(3, merchant_name='"The ""Best"" Deli"'),
        ],
    )

    ingest()

    assert query("select merchant_name from bronze.transactions order by _source_row") == [
        ("Smith, Jones & Co",),
        ('The "Best" Deli',),
    ]


def test_blank_lines_keep_physical_line_numbers_and_are_not_rows(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.csv.gz",
        [TRANSACTION_HEADER, transaction(2), "", "   ", transaction(5, amount="x"), ""],
    )

    report = ingest()

    result = next(r for r in report.files if r.entity == "transactions")
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    assert query("select source_row from ops.quarantine") == [(5,)]


def test_customers_landed_earlier_in_the_same_run_are_known(landing, ingest, query):
    land_customers(landing, count=1)
    write_csv(landing / "customers" / "0001-2026-06-30.csv.gz", [CUSTOMER_HEADER, customer(2)])
    write_csv(
        landing / "transactions" / "0001-2026-06-30.csv.gz",
        [TRANSACTION_HEADER, transaction(2, customer_no=2)],
    )

    ingest()

    assert query("select customer_id from bronze.transactions") == [("CUST00000002",)]


def test_duplicates_across_files_are_quarantined(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.part-001.csv.gz",
        [TRANSACTION_HEADER, transaction(2), transaction(3)],
    )
    write_csv(
        landing / "transactions" / "0000-history.part-002.csv.gz",
        [TRANSACTION_HEADER, transaction(4), transaction(3, amount="99.00")],
    )

    ingest()

    assert query("select source_file, source_row, reason from ops.quarantine") == [
        ("transactions/0000-history.part-002.csv.gz", 3, "duplicate")
    ]
    assert query("select count(*) from bronze.transactions") == [(3,)]


def test_first_good_row_wins_when_an_earlier_copy_is_bad(landing, ingest, query):
    land_customers(landing)
    write_csv(
        landing / "transactions" / "0000-history.csv.gz",
        [TRANSACTION_HEADER, transaction(2, amount="bad"), transaction(2)],
    )

    ingest()

    assert query("select source_row, reason from ops.quarantine") == [(2, "bad_amount")]
    assert query("select _source_row from bronze.transactions") == [(3,)]


def test_lineage_columns_are_set_on_every_bronze_row(landing, ingest, query):
    land_customers(landing, count=2)

    ingest()

    assert query(
        "select _batch, _source_file, _source_row, _loaded_at from bronze.customers order by 3"
    ) == [
        ("0000-history", "customers/0000-history.csv.gz", 2, LOADED_AT),
        ("0000-history", "customers/0000-history.csv.gz", 3, LOADED_AT),
    ]
