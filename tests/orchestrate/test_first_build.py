"""Materialising every asset in-process builds and publishes the warehouse from landing."""

from __future__ import annotations

import duckdb

from customer360.orchestrate import keys
from customer360.orchestrate.bronze import QUARANTINE_CHECK
from customer360.orchestrate.churn_assets import GATE
from customer360.orchestrate.definitions import build_definitions

from .conftest import CUSTOMERS, FirstBuild, dg


def _metadata(first_build: FirstBuild, key: dg.AssetKey) -> dict:
    [materialization] = [
        event.step_materialization_data.materialization
        for event in first_build.result.get_asset_materialization_events()
        if event.asset_key == key
    ]
    return {name: value.value for name, value in materialization.metadata.items()}


def test_every_asset_materialises_and_the_warehouse_is_published(first_build: FirstBuild):
    assert first_build.result.success
    materialized = {e.asset_key for e in first_build.result.get_asset_materialization_events()}
    assert {keys.WAREHOUSE, keys.CHURN_MODEL, keys.CHURN_PREDICTIONS} <= materialized
    assert dg.AssetKey(["gold", "customer_360_profile"]) in materialized
    settings = first_build.settings
    assert not settings.warehouse_path.with_name("warehouse.building.duckdb").exists()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        profiles = con.execute("select count(*) from gold.customer_360_profile").fetchone()[0]
        scored = con.execute("select count(*) from gold.churn_predictions").fetchone()[0]
        with_scores = con.execute(
            "select count(*) from gold.customer_360_profile where churn_risk_score is not null"
        ).fetchone()[0]
    assert profiles == CUSTOMERS
    assert 0 < scored == with_scores


def test_bronze_row_and_quarantine_counts_are_metadata(first_build: FirstBuild):
    transactions = _metadata(first_build, keys.bronze("transactions"))
    with duckdb.connect(str(first_build.settings.warehouse_path), read_only=True) as con:
        rows = con.execute("select count(*) from bronze.transactions").fetchone()[0]
        quarantined = dict(
            con.execute(
                "select reason, count(*) from ops.quarantine "
                "where entity = 'transactions' group by reason"
            ).fetchall()
        )
    assert transactions["rows"] == transactions["rows_loaded"] == rows
    assert transactions["rows_quarantined"] == sum(quarantined.values()) > 0
    assert transactions["quarantined_by_reason"] == quarantined


def test_dbt_tests_and_our_checks_are_asset_checks_that_passed(first_build: FirstBuild):
    evaluations = first_build.result.get_asset_check_evaluations()
    by_name = {(e.asset_key, e.check_name): e.passed for e in evaluations}
    dbt_checks = [k for k in by_name if k[0].path[0] in {"silver", "gold"}]
    assert len(dbt_checks) >= 20
    assert (dg.AssetKey(["gold", "dim_customer"]), "not_null_dim_customer_customer_key") in by_name
    assert all(by_name[k] for k in dbt_checks)
    assert by_name[(keys.bronze("transactions"), QUARANTINE_CHECK)]
    assert by_name[(keys.CHURN_MODEL, GATE)]  # the first model has nothing to be worse than


def test_every_check_reports_in_a_full_build(first_build: FirstBuild):
    defs = build_definitions(first_build.settings)
    declared = set(defs.resolve_asset_graph().asset_check_keys)
    evaluated = {e.asset_check_key for e in first_build.result.get_asset_check_evaluations()}
    assert declared == evaluated
