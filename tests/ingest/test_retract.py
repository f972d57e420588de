"""Retracting a landing file: its rows leave bronze, the manifest records it, nothing reloads it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from customer360.config import load_settings
from customer360.errors import C360Error, UsageError
from customer360.generate import GenerateOptions, generate_world
from customer360.ingest import ingest_landing, retract_file, status
from customer360.pipeline import transform_stage
from customer360.warehouse import building, connect_read

from .landing_files import (
    CHANGE_HEADER,
    TRANSACTION_HEADER,
    land_customers,
    transaction,
    write_csv,
)

LATER = datetime(2026, 7, 2, 6, 0, 0)
RETRACTED_AT = datetime(2026, 7, 1, 9, 0, 0)


def _retract(database, landing, target, reason="wrong export"):
    return retract_file(database, landing, target, reason=reason, retracted_at=RETRACTED_AT)


def _land(landing, name, rows):
    return write_csv(landing / "transactions" / name, [TRANSACTION_HEADER, *rows])


def test_retract_removes_the_files_rows_and_records_it(landing, ingest, query, database):
    land_customers(landing)
    _land(landing, "0000-history.csv", [transaction(2)])
    _land(landing, "0001-2026-06-30.csv", [transaction(3), transaction(4, amount="x")])
    ingest()

    report = _retract(database, landing, "transactions/0001-2026-06-30.csv")

    assert (report.rows_removed, report.quarantine_removed) == (1, 1)
    assert query("select transaction_id from bronze.transactions") == [("TXN000000000002",)]
    assert query("select count(*) from ops.quarantine") == [(0,)]
    assert query(
        "select status, rows_in, rows_loaded, rows_quarantined, error, loaded_at "
        "from ops.file_manifest where path = 'transactions/0001-2026-06-30.csv' order by loaded_at"
    ) == [
        ("loaded", 2, 1, 1, None, datetime(2026, 7, 1, 6, 0)),
        ("retracted", 2, 1, 1, "retracted: wrong export", RETRACTED_AT),
    ]


def test_retracted_content_is_never_loaded_again_under_any_name(landing, ingest, query, database):
    land_customers(landing)
    bad = _land(landing, "0001-2026-06-30.csv", [transaction(3)])
    ingest()
    _retract(database, landing, str(bad))
    (landing / "transactions" / "0002-2026-07-01.csv").write_bytes(bad.read_bytes())

    report = ingest(LATER)

    assert {r.path: r.status for r in report.files if r.entity == "transactions"} == {
        "transactions/0001-2026-06-30.csv": "skipped",
        "transactions/0002-2026-07-01.csv": "skipped",
    }
    assert query("select count(*) from bronze.transactions") == [(0,)]
    batches = {b.batch: b for b in status(database, landing).batches if b.entity == "transactions"}
    assert batches["0001-2026-06-30"].files_retracted == 1
    assert batches["0002-2026-07-01"].files_duplicate == 1
    assert all(b.pending == 0 for b in batches.values())


def test_a_corrected_file_under_the_same_name_loads(landing, ingest, query, database):
    land_customers(landing)
    _land(landing, "0001-2026-06-30.csv", [transaction(3, amount="4200.00")])
    ingest()
    _retract(database, landing, "transactions/0001-2026-06-30.csv")
    _land(landing, "0001-2026-06-30.csv", [transaction(3, amount="42.00")])

    ingest(LATER)

    assert query("select transaction_id, amount::varchar from bronze.transactions") == [
        ("TXN000000000003", "42.00")
    ]


def test_a_failed_file_can_be_retracted_so_it_stops_failing(landing, ingest, database):
    land_customers(landing)
    (landing / "transactions" / "0000-history.csv").mkdir(parents=True)
    assert [r.status for r in ingest().files] == ["loaded", "failed"]

    report = _retract(database, landing, "transactions/0000-history.csv")

    assert (report.previous_status, report.rows_removed) == ("failed", 0)
    assert [r.status for r in ingest(LATER).files] == ["skipped", "skipped"]


def test_customers_with_rows_elsewhere_cannot_be_retracted_first(landing, ingest, database):
    customers = land_customers(landing)
    _land(landing, "0000-history.csv", [transaction(2)])
    write_csv(
        landing / "customer_changes" / "0000-history.csv",
        [CHANGE_HEADER, "CHG0000000001,CUST00000001,2025-01-02,card_type,Platinum"],
    )
    ingest()

    with pytest.raises(C360Error) as refused:
        _retract(database, landing, str(customers))

    message = str(refused.value)
    assert "customer_changes/0000-history.csv" in message
    assert "transactions/0000-history.csv" in message
    assert "retract those files first" in message


@pytest.mark.parametrize(
    ("target", "complaint"),
    [
        ("transactions/nothing-here.csv", "neither in the landing folder nor in the manifest"),
        ("elsewhere/0000-history.csv", "not a landing file"),
        ("/etc/passwd", "not a landing file"),
    ],
)
def test_unknown_targets_are_refused_with_one_line(landing, ingest, database, target, complaint):
    land_customers(landing)
    ingest()

    with pytest.raises(UsageError) as refused:
        _retract(database, landing, target)

    assert complaint in str(refused.value)


def test_retracting_twice_changes_nothing(landing, ingest, query, database):
    land_customers(landing)
    _land(landing, "0000-history.csv", [transaction(2)])
    ingest()
    _retract(database, landing, "transactions/0000-history.csv")

    again = _retract(database, landing, "transactions/0000-history.csv")

    assert again.summary() == "transactions/0000-history.csv was already retracted; nothing to do"
    assert query("select count(*) from ops.file_manifest where status = 'retracted'") == [(1,)]


def test_c360_retract_rebuilds_silver_and_gold_without_the_files_rows(tmp_path):
    settings = load_settings(tmp_path / "data")
    generate_world(GenerateOptions(customers=120, seed=4, defect_rate=0), settings)
    stray = _land(
        settings.landing_dir,
        "0001-2026-07-15.csv",
        [transaction(999_000_001, customer_no=1, transaction_ts="2026-07-15 12:00:00")],
    )
    with building(settings.warehouse_path) as staging:
        ingest_landing(settings.landing_dir, staging)
        assert transform_stage(staging, settings).as_of == date(2026, 7, 15)

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "customer360",
            "--data-dir",
            str(settings.data_dir),
            "retract",
            str(stray),
            "--reason",
            "test batch",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert "transactions/0001-2026-07-15.csv" in result.stdout
    with connect_read(settings.warehouse_path) as con:
        for table in ("bronze.transactions", "silver.stg_transactions", "gold.fct_transactions"):
            key = "_key" if table.startswith("bronze") else "transaction_id"
            found = con.execute(
                f"select count(*) from {table} where {key} = 'TXN000999000001'"
            ).fetchone()
            assert found == (0,), table
        as_of = con.execute("select as_of_date from silver.int_as_of").fetchone()
    assert as_of == (date(2026, 6, 30),)


def test_retract_command_without_a_warehouse_says_what_to_do(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "customer360", "--data-dir", str(tmp_path), "retract", "x.csv"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
