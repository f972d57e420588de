"""The monthly retrain publishes a new model only if it is not worse than the current one; a
refused model leaves the live warehouse and its model in place. (The leakage sentinel refuses
inside training itself, tested with the churn stage.)"""

from __future__ import annotations

import duckdb

from customer360.orchestrate import keys
from customer360.orchestrate.churn_assets import GATE
from customer360.orchestrate.definitions import build_definitions

from .conftest import PARTITION, digest


def _retrain(world, instance, **config):
    job = build_definitions(world).resolve_job_def("monthly_retrain")
    return job.execute_in_process(
        instance=instance,
        partition_key=PARTITION,
        run_config={"ops": {"ml__churn_model": {"config": config}}},
        raise_on_error=False,
    )


def _runs(world) -> list[str]:
    with duckdb.connect(str(world.warehouse_path), read_only=True) as con:
        return [row[0] for row in con.execute("select model_version from ml.model_runs").fetchall()]


def test_a_model_worse_than_the_current_one_is_not_published(world, instance):
    live, models = digest(world.warehouse_path), sorted(world.models_dir.iterdir())
    # No model can beat the current one by a whole unit of ROC-AUC.
    result = _retrain(world, instance, override_sentinel=True, max_auc_drop=-1.0)
    assert not result.success
    [gate] = [e for e in result.get_asset_check_evaluations() if e.check_name == GATE]
    assert not gate.passed
    assert "does not replace" in gate.description
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert keys.CHURN_PREDICTIONS not in materialized and keys.WAREHOUSE not in materialized
    assert digest(world.warehouse_path) == live
    assert sorted(world.models_dir.iterdir()) == models
