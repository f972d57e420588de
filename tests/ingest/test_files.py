"""Whole files: manifest, idempotency, failures that do not stop the run, Parquet, status."""

from __future__ import annotations

import gzip
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from customer360.ingest import status

from .landing_files import (
    CUSTOMER_HEADER,
    TRANSACTION_HEADER,
    customer,
    land_customers,
    transaction,
    write_csv,
)

LATER = datetime(2026, 7, 2, 6, 0, 0)


def _land_transactions(landing, name="0000-history.csv.gz", lines=None):
    rows = lines if lines is not None else [transaction(2), transaction(3, amount="x")]
    return write_csv(landing / "transactions" / name, [TRANSACTION_HEADER, *rows])


def test_rows_in_equals_loaded_plus_quarantined_per_file(landing, ingest, query):
    land_customers(landing)
    _land_transactions(landing)

    ingest()

    manifest = query(
        "select path, rows_in, rows_loaded, rows_quarantined, status from ops.file_manifest "
        "order by path"
    )
    assert manifest == [
        ("customers/0000-history.csv.gz", 3, 3, 0, "loaded"),
        ("transactions/0000-history.csv.gz", 2, 1, 1, "loaded"),
    ]
    assert query(
        "select count(*) from ops.quarantine where source_file = 'transactions/0000-history.csv.gz'"
    ) == [(1,)]


def test_manifest_records_checksum_and_size(landing, ingest, query):
    path = land_customers(landing)

    ingest()

    sha, size = query("select sha256, bytes from ops.file_manifest")[0]
    assert len(sha) == 64
    assert size == path.stat().st_size


def test_reingesting_the_same_files_is_a_noop(landing, ingest, query):
    land_customers(landing)
    _land_transactions(landing)
    ingest()
    before = query(
        "select (select count(*) from bronze.transactions), (select count(*) from ops.quarantine),"
        " (select count(*) from ops.file_manifest)"
    )

    second = ingest(LATER)

    assert {r.status for r in second.files} == {"skipped"}
    assert second.rows_loaded == 0
    after = query(
        "select (select count(*) from bronze.transactions), (select count(*) from ops.quarantine),"
        " (select count(*) from ops.file_manifest)"
    )
    assert after == before


def test_changed_file_is_ingested_again_and_repeated_rows_are_duplicates(landing, ingest, query):
    land_customers(landing)
    _land_transactions(landing, lines=[transaction(2)])
    ingest()

    _land_transactions(landing, lines=[transaction(2), transaction(3)])
    report = ingest(LATER)

    changed = next(r for r in report.files if r.entity == "transactions")
    assert (changed.status, changed.rows_loaded, changed.rows_quarantined) == ("loaded", 1, 1)
    assert query("select reason from ops.quarantine") == [("duplicate",)]
    assert query("select count(*) from bronze.transactions") == [(2,)]


def test_truncated_gzip_fails_the_file_and_the_rest_loads(landing, ingest, query):
    land_customers(landing)
    lines = [TRANSACTION_HEADER] + [transaction(n) for n in range(2, 5000)]
    full = gzip.compress(("\n".join(lines) + "\n").encode())
    (landing / "transactions").mkdir()
    (landing / "transactions" / "0000-history.part-001.csv.gz").write_bytes(full[: len(full) // 2])
    _land_transactions(landing, "0000-history.part-002.csv.gz", [transaction(9000)])

    report = ingest()

    failed = [r for r in report.files if r.status == "failed"]
    assert [r.path for r in failed] == ["transactions/0000-history.part-001.csv.gz"]
    assert "truncated" in (failed[0].error or "")
    assert query("select transaction_id from bronze.transactions") == [("TXN000000009000",)]
    assert query("select status, rows_loaded from ops.file_manifest where status = 'failed'") == [
        ("failed", 0)
    ]


def test_empty_file_fails_and_header_only_file_loads_zero_rows(landing, ingest, query):
    land_customers(landing)
    (landing / "transactions").mkdir()
    (landing / "transactions" / "0000-history.part-001.csv").write_bytes(b"")
    _land_transactions(landing, "0000-history.part-002.csv", [])

    report = ingest()

    by_path = {r.path: r for r in report.files}
    empty = by_path["transactions/0000-history.part-001.csv"]
    assert empty.status == "failed"
    assert "empty" in (empty.error or "")
    header_only = by_path["transactions/0000-history.part-002.csv"]
    assert (header_only.status, header_only.rows_in) == ("loaded", 0)


def test_non_utf8_file_fails_with_a_one_line_error_and_the_rest_loads(landing, ingest, query):
    land_customers(landing)
    (landing / "transactions").mkdir()
    bad = (TRANSACTION_HEADER + "\n" + transaction(2, merchant_name="Caf\xe9") + "\n").encode(
        "latin-1"
    )
    (landing / "transactions" / "0000-history.part-001.csv").write_bytes(bad)
    _land_transactions(landing, "0000-history.part-002.csv", [transaction(3)])

    report = ingest()

    failed = report.failed
    assert len(failed) == 1
    assert "not UTF-8" in (failed[0].error or "")
    assert "\n" not in (failed[0].error or "")
    assert query("select count(*) from bronze.transactions") == [(1,)]
    assert query("select count(*) from ops.quarantine") == [(0,)]


def test_wrong_header_fails_the_file_and_names_the_missing_columns(landing, ingest, query):
    write_csv(
        landing / "customers" / "0000-history.csv.gz",
        ["customer_id,first_name", "CUST00000001,Ann"],
    )
    write_csv(landing / "customers" / "0001-2026-06-30.csv.gz", [CUSTOMER_HEADER, customer(2)])

    report = ingest()

    assert [r.status for r in report.files] == ["failed", "loaded"]
    assert "last_name" in (report.files[0].error or "")
    assert query("select customer_id from bronze.customers") == [("CUST00000002",)]


def test_failed_file_is_retried_only_when_its_checksum_changes(landing, ingest, query):
    path = write_csv(landing / "customers" / "0000-history.csv.gz", ["customer_id", "CUST1"])
    ingest()

    assert [r.status for r in ingest(LATER).files] == ["skipped"]

    write_csv(path, [CUSTOMER_HEADER, customer(1)])
    assert [r.status for r in ingest(LATER).files] == ["loaded"]
    assert query("select status from ops.file_manifest order by loaded_at") == [
        ("failed",),
        ("loaded",),
    ]


def test_columns_in_another_order_are_read_by_name(landing, ingest, query):
    names = CUSTOMER_HEADER.split(",")
    values = customer(1).split(",")
    write_csv(
        landing / "customers" / "0000-history.csv",
        [",".join(reversed(names)), ",".join(reversed(values))],
    )

    ingest()

    assert query("select customer_id, age from bronze.customers") == [("CUST00000001", 41)]


def test_parquet_file_loads_with_row_ordinals(landing, ingest, query):
    land_customers(landing)
    rows = [transaction(2).split(","), transaction(3, amount="-1").split(",")]
    columns = TRANSACTION_HEADER.split(",")
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    (landing / "transactions").mkdir()
    pq.write_table(table, landing / "transactions" / "0000-history.parquet")

    report = ingest()

    result = next(r for r in report.files if r.entity == "transactions")
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 1, 1)
    assert query("select _source_row from bronze.transactions") == [(1,)]
    quarantined = query("select source_row, reason, raw_line from ops.quarantine")
    assert quarantined == [(2, "bad_amount", transaction(3, amount="-1"))]


def test_merchant_categories_are_replaced_each_run(landing, ingest, query, reference):
    land_customers(landing)
    ingest()
    reference.write_text("category_name,mcc,category_group,spending_type,discretionary_flag\n")

    ingest(LATER)

    assert query("select count(*) from bronze.merchant_categories") == [(0,)]


def test_status_compares_landing_with_the_manifest(landing, ingest, database):
    land_customers(landing)
    _land_transactions(landing)
    ingest()
    _land_transactions(landing, "0001-2026-06-30.csv.gz", [transaction(7)])

    report = status(database, landing)

    pending = {(b.entity, b.batch): b.pending for b in report.batches}
    assert pending == {
        ("customers", "0000-history"): 0,
        ("transactions", "0000-history"): 0,
        ("transactions", "0001-2026-06-30"): 1,
    }
    assert dict(report.bronze_rows)["bronze.transactions"] == 1
    assert report.quarantine == (("transactions", "bad_amount", 1),)


def test_progress_counts_files_on_one_step(landing, database, reference):
    from customer360.ingest import ingest_landing

    land_customers(landing)
    _land_transactions(landing)
    calls: list[tuple[str, int, int]] = []

    ingest_landing(landing, database, lambda *a: calls.append(a), reference=reference)

    assert calls == [("ingest", 0, 2), ("ingest", 1, 2), ("ingest", 2, 2)]


def test_missing_file_is_recorded_as_failed(landing, ingest, query):
    land_customers(landing)
    (landing / "transactions").mkdir()
    (landing / "transactions" / "0000-history.csv.gz").symlink_to(landing / "gone.csv.gz")

    report = ingest()

    assert [r.status for r in report.files] == ["loaded", "failed"]
    assert "missing" in (report.files[1].error or "")
    assert query("select status, sha256 is null from ops.file_manifest order by path") == [
        ("loaded", False),
        ("failed", True),
    ]


def test_report_counts_quarantined_rows_by_entity_and_reason(landing, ingest):
    land_customers(landing)
    _land_transactions(landing, lines=[transaction(2), transaction(3, amount="x"), transaction(2)])

    report = ingest()

    assert report.quarantined_by_reason == {
        ("transactions", "bad_amount"): 1,
        ("transactions", "duplicate"): 1,
    }
    assert report.rows_quarantined == 2
