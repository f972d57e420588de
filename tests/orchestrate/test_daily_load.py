"""The landing sensor and the daily load: a new batch is noticed, loaded, scored, published;
a failing dbt test stops everything after it and leaves the live warehouse as it was."""

from __future__ import annotations

import duckdb

from customer360.config import Settings
from customer360.orchestrate import keys
from customer360.orchestrate.definitions import build_definitions

from .conftest import FirstBuild, dg, digest, land_later_batch


def _sensor_tick(settings: Settings, instance: dg.DagsterInstance):
    sensor = build_definitions(settings).get_sensor_def("new_landing_files")
    return sensor.evaluate_tick(dg.build_sensor_context(instance=instance))


def _count(settings: Settings, sql: str) -> int:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_sensor_skips_when_nothing_new_has_landed(world: Settings, instance):
    tick = _sensor_tick(world, instance)
    assert not tick.run_requests
    assert "no new files" in tick.skip_message


def test_sensor_asks_for_a_daily_load_when_a_batch_lands(first_build, world, instance):
    land_later_batch(first_build, world)
    [request] = _sensor_tick(world, instance).run_requests
    assert request.job_name in (None, "daily_load")
    assert "transactions/0001-" in request.tags["c360/pending"]
    assert request.run_key == _sensor_tick(world, instance).run_requests[0].run_key


def test_daily_load_ingests_the_new_batch_and_publishes(
    first_build: FirstBuild, world: Settings, instance
):
    before = _count(world, "select count(*) from gold.fct_transactions")
    landed = land_later_batch(first_build, world)
    defs = build_definitions(world)
    result = defs.resolve_job_def("daily_load").execute_in_process(instance=instance)
    assert result.success
    new_rows = _count(world, "select count(*) from gold.fct_transactions") - before
    loaded = {
        e.asset_key: e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    transactions = loaded[keys.bronze("transactions")]
    assert transactions["files_loaded"].value == sum("transactions" in str(p) for p in landed)
    assert new_rows == transactions["rows_loaded"].value > 0
    assert keys.CHURN_MODEL not in loaded  # the daily load scores with the current model
    assert _count(world, "select count(*) from ml.model_runs") == 1
    assert not _sensor_tick(world, instance).run_requests


def test_a_failing_dbt_test_stops_downstream_and_keeps_the_live_warehouse(world, instance):
    with duckdb.connect(str(world.warehouse_path)) as con:  # a row ingest should have refused
        con.execute(
            "insert into bronze.transactions select * replace ("
            "'TXN999999999999' as transaction_id, 'TXN999999999999' as _key, "
            "'Space Tourism' as merchant_category, "
            "(select max(_loaded_at) from bronze.transactions) + interval 1 second as _loaded_at) "
            "from bronze.transactions limit 1"
        )
    live = digest(world.warehouse_path)
    defs = build_definitions(world)
    result = defs.resolve_job_def("daily_load").execute_in_process(
        instance=instance, raise_on_error=False
    )
    assert not result.success
    failed = [
        (e.asset_key, e.check_name) for e in result.get_asset_check_evaluations() if not e.passed
    ]
    assert failed == [
        (
            dg.AssetKey(["silver", "stg_transactions"]),
            "not_null_stg_transactions_merchant_category_key",
        )
    ]
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert keys.CHURN_PREDICTIONS not in materialized
    assert keys.WAREHOUSE not in materialized
    assert dg.AssetKey(["gold", "fct_transactions"]) not in materialized
    assert digest(world.warehouse_path) == live
    assert not world.warehouse_path.with_name("warehouse.building.duckdb").exists()
