"""Incremental runs, churn hand-over, failure reporting and the runner's hygiene."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from customer360.transform import TransformError, dbt_project_dir, run_transform
from customer360.transform.runner import _share_parse

from . import bronze_fixture as fx
from .conftest import rows


def _snapshot(database: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {
            table: rows(con, f"select * from {table} order by all")
            for table in (
                "silver.stg_transactions",
                "gold.fct_transactions",
                "gold.dim_customer",
                "gold.customer_360_profile",
            )
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def incremented(copy_warehouse, dbt_target):
    database = copy_warehouse("incremental")
    before = _snapshot(database)
    fx.append_increment(database)
    first = run_transform(database, target_dir=dbt_target)
    after_first = _snapshot(database)
    run_transform(database, target_dir=dbt_target)
    after_second = _snapshot(database)
    return database, before, first, after_first, after_second


def test_incremental_run_adds_only_the_new_transactions(incremented):
    _, before, _, after, _ = incremented
    added = len(after["gold.fct_transactions"]) - len(before["gold.fct_transactions"])
    assert added == fx.INCREMENT_TRANSACTIONS
    assert len(after["silver.stg_transactions"]) == len(after["gold.fct_transactions"])


def test_incremental_run_adds_the_new_customer_to_the_profile(incremented):
    database, *_ = incremented
    con = duckdb.connect(str(database), read_only=True)
    try:
        found = rows(
            con,
            "select total_transactions from gold.customer_360_profile where customer_id = ?",
            fx.INCREMENT_NEW_CUSTOMER,
        )
    finally:
        con.close()
    assert found == [(fx.INCREMENT_TRANSACTIONS,)]


def test_late_arriving_change_rekeys_already_loaded_facts(incremented):
    database, *_ = incremented
    effective, _, value = fx.INCREMENT_SCD2_CHANGE
    con = duckdb.connect(str(database), read_only=True)
    try:
        limit = rows(
            con,
            """
            select distinct cast(d.credit_limit as double)
            from gold.fct_transactions as f
            join gold.dim_customer as d on f.customer_key = d.customer_key
            where f.customer_id = ? and f.transaction_date >= ? and f.transaction_date < ?
            """,
            fx.SCD2,
            effective,
            date(2025, 9, 15),
        )
    finally:
        con.close()
    assert limit == [(float(value),)]


def test_rerun_without_new_data_is_idempotent(incremented):
    *_, after_first, after_second = incremented
    assert after_first == after_second


def test_profile_reads_churn_predictions_once_the_ml_stage_writes_them(copy_warehouse, dbt_target):
    database = copy_warehouse("scored")
    con = duckdb.connect(str(database))
    try:
        con.execute(
            "create table gold.churn_predictions as select customer_id, "
            "0.8 as churn_probability, 80.0 as churn_risk_score, "
            "'High Risk' as churn_risk_category, "
            "'test' as model_version, ?::timestamp as scored_at "
            "from silver.stg_customers where customer_id = ?",
            [datetime(2026, 7, 1), fx.STABLE],
        )
    finally:
        con.close()
    run_transform(database, select="stg_churn_predictions+", target_dir=dbt_target)
    con = duckdb.connect(str(database), read_only=True)
    try:
        scored = rows(
            con,
            "select customer_id, churn_risk_score, churn_risk_category, "
            "eligible_for_retention_campaign from gold.customer_360_profile "
            "where churn_risk_score is not null",
        )
    finally:
        con.close()
    assert scored == [(fx.STABLE, 80.0, "High Risk", True)]


def test_failed_data_test_raises_transform_error_naming_the_test(copy_warehouse, dbt_target):
    database = copy_warehouse("broken")
    con = duckdb.connect(str(database))
    try:
        con.execute(
            "insert into bronze.transactions select * replace ("
            "'TXN999999999999' as transaction_id, 'TXN999999999999' as _key, "
            "'Space Tourism' as merchant_category, "
            "?::timestamp as _loaded_at) from bronze.transactions limit 1",
            [datetime(2026, 7, 3)],
        )
    finally:
        con.close()
    with pytest.raises(TransformError, match="stg_transactions_merchant_category_key"):
        run_transform(database, select="stg_transactions", target_dir=dbt_target)


def test_no_duckdb_handle_lingers_after_a_run(warehouse):
    script = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"
    subprocess.run([sys.executable, "-c", script, str(warehouse)], check=True, timeout=60)


def test_missing_warehouse_is_a_transform_error(tmp_path):
    with pytest.raises(TransformError, match="run `c360 ingest` first"):
        run_transform(tmp_path / "absent.duckdb")


def test_dbt_project_is_found_next_to_the_package():
    project = dbt_project_dir()
    assert (project / "dbt_project.yml").is_file()
    assert (project / "profiles.yml").is_file()


def test_a_runs_parse_is_shared_atomically_for_other_data_directories(tmp_path):
    produced = tmp_path / "data" / "runs" / "dbt-target" / "partial_parse.msgpack"
    produced.parent.mkdir(parents=True)
    produced.write_bytes(b"parsed project")
    shared = tmp_path / "project" / "target" / "partial_parse.msgpack"

    _share_parse(produced, shared)

    assert shared.read_bytes() == b"parsed project"
    assert sorted(path.name for path in shared.parent.iterdir()) == ["partial_parse.msgpack"]


def test_an_unwritable_project_folder_only_costs_a_full_parse(tmp_path):
    produced = tmp_path / "partial_parse.msgpack"
    produced.write_bytes(b"parsed project")
    blocker = tmp_path / "project"
    blocker.write_text("a file where the target folder should be")

    _share_parse(produced, blocker / "target" / "partial_parse.msgpack")  # no error

    assert blocker.read_text() == "a file where the target folder should be"


def test_a_fresh_data_directory_reuses_the_parse_of_an_earlier_one(tmp_path):
    logs = []
    for folder in ("first", "second"):
        database = tmp_path / folder / "parse-probe.duckdb"
        database.parent.mkdir()
        fx.write_bronze(database)
        target = tmp_path / folder / "dbt-target"
        run_transform(database, select="stg_merchant_categories", target_dir=target)
        logs.append((target / "logs" / "dbt.log").read_text())

    assert "Unable to do partial parsing" not in logs[1]
