"""Whole files: manifest, idempotency, failures that do not stop the run, Parquet, status."""

from __future__ import annotations

import gzip
import os
import threading
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

    assert [r.status for r in ingest(LATER).files] == ["failed"]

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


def test_directory_named_like_a_landing_file_fails_alone(landing, ingest, query):
    land_customers(landing)
    (landing / "transactions" / "0000-history.csv").mkdir(parents=True)
    _land_transactions(landing, "0001-2026-06-30.csv", [transaction(2)])

    report = ingest()

    by_path = {r.path: r for r in report.files}
    folder = by_path["transactions/0000-history.csv"]
    assert folder.status == "failed"
    assert "is a directory" in (folder.error or "")
    assert by_path["transactions/0001-2026-06-30.csv"].status == "loaded"
    assert query("select count(*) from bronze.transactions") == [(1,)]


def test_named_pipe_fails_without_blocking_the_run(landing, ingest, query):
    land_customers(landing)
    (landing / "transactions").mkdir()
    os.mkfifo(landing / "transactions" / "0000-history.csv.gz")
    _land_transactions(landing, "0001-2026-06-30.csv", [transaction(2)])
    outcome: list = []

    worker = threading.Thread(target=lambda: outcome.append(ingest()), daemon=True)
    worker.start()
    worker.join(timeout=60)

    assert not worker.is_alive(), "ingest blocked on a named pipe"
    by_path = {r.path: r for r in outcome[0].files}
    pipe = by_path["transactions/0000-history.csv.gz"]
    assert pipe.status == "failed"
    assert "not a regular file" in (pipe.error or "")
    assert query("select count(*) from bronze.transactions") == [(1,)]


def test_very_long_line_is_quarantined_and_the_file_loads(landing, ingest, query):
    land_customers(landing)
    _land_transactions(
        landing,
        "0000-history.csv.gz",
        [transaction(2), transaction(3, merchant_name="m" * 3_000_000), transaction(4)],
    )

    report = ingest()

    result = next(r for r in report.files if r.entity == "transactions")
    assert (result.status, result.rows_in, result.rows_loaded) == ("loaded", 3, 2)
    assert query("select source_row, reason, column_name from ops.quarantine") == [
        (3, "bad_text", "merchant_name")
    ]
    assert query("select _source_row from bronze.transactions order by 1") == [(2,), (4,)]


def test_bare_carriage_return_is_data_not_a_line_break(landing, ingest, query):
    land_customers(landing)
    (landing / "transactions").mkdir()
    lines = [
        TRANSACTION_HEADER,
        transaction(2),
        transaction(3, merchant_name='"Bare\rReturn"'),
        transaction(4, merchant_name="Bare\rUnquoted"),
        transaction(5),
    ]
    (landing / "transactions" / "0000-history.csv").write_bytes("\r\n".join(lines).encode())

    report = ingest()

    result = next(r for r in report.files if r.entity == "transactions")
    assert (result.status, result.rows_in, result.rows_loaded) == ("loaded", 4, 2)
    assert query("select source_row, reason, column_name from ops.quarantine order by 1") == [
        (3, "bad_text", "merchant_name"),
        (4, "bad_text", "merchant_name"),
    ]
    assert query("select _source_row, merchant_name from bronze.transactions order by 1") == [
        (2, "Trader Joe's"),
        (5, "Trader Joe's"),
    ]


def test_unit_separator_in_a_line_quarantines_that_line_only(landing, ingest, query):
    land_customers(landing)
    _land_transactions(
        landing,
        "0000-history.csv",
        [
            transaction(2),
            transaction(3, merchant_name="Unit\x1fSeparator"),
            transaction(4, merchant_name='"Quoted\x1f, too"'),
            transaction(5),
        ],
    )

    ingest()

    assert query("select source_row, reason from ops.quarantine order by 1") == [
        (3, "bad_text"),
        (4, "malformed_line"),
    ]
    assert query("select _source_row from bronze.transactions order by 1") == [(2,), (5,)]


def test_identical_file_landed_under_a_new_name_is_recorded_not_pending(
    landing, ingest, query, database
):
    land_customers(landing)
    original = _land_transactions(landing, "0001-2026-06-29.csv.gz", [transaction(2)])
    ingest()
    copy = landing / "transactions" / "0002-2026-06-30.csv.gz"
    copy.write_bytes(original.read_bytes())

    report = ingest(LATER)

    relanded = next(r for r in report.files if r.path == "transactions/0002-2026-06-30.csv.gz")
    assert relanded.status == "skipped"
    assert query(
        "select status, error from ops.file_manifest where path = ?",
        ["transactions/0002-2026-06-30.csv.gz"],
    ) == [("duplicate", "same content as transactions/0001-2026-06-29.csv.gz, already loaded")]
    pending = {b.batch: b.pending for b in status(database, landing).batches}
    assert pending["0002-2026-06-30"] == 0
    assert query("select count(*) from bronze.transactions") == [(1,)]
    assert [r.status for r in ingest(LATER).files] == ["skipped", "skipped", "skipped"]
    assert query("select count(*) from ops.file_manifest") == [(3,)]


def test_unchanged_failed_file_is_reported_as_failed_on_every_run(landing, ingest, query):
    write_csv(landing / "customers" / "0000-history.csv.gz", ["customer_id", "CUST1"])
    (landing / "customers" / "0001-2026-06-30.csv").mkdir()
    first = ingest()

    second = ingest(LATER)

    assert [r.status for r in second.files] == ["failed", "failed"]
    assert [r.error for r in second.files] == [r.error for r in first.files]
    assert query("select count(*) from ops.file_manifest") == [(2,)]
