"""The Dagster code location: `dagster dev -m customer360.orchestrate.definitions`.

`c360 orchestrate` starts it on the data directory it is given ($C360_DATA_DIR).
"""

from __future__ import annotations

import dagster as dg

from customer360.config import Settings, load_settings
from customer360.orchestrate.automation import (
    daily_load,
    daily_load_schedule,
    landing_sensor,
    monthly_retrain,
    monthly_retrain_schedule,
)
from customer360.orchestrate.bronze import LANDING, bronze
from customer360.orchestrate.build import WarehouseBuild
from customer360.orchestrate.churn_assets import churn_model, churn_scores
from customer360.orchestrate.dbt_models import dbt_asset_definitions
from customer360.orchestrate.dbt_project import manifest_path
from customer360.orchestrate.publish import publish_asset


def build_definitions(settings: Settings) -> dg.Definitions:
    dbt_definitions = dbt_asset_definitions(manifest_path(settings))
    built = [bronze, *dbt_definitions, churn_model, churn_scores]
    upstream = [key for definition in built for key in definition.keys]
    warehouse = publish_asset(upstream)
    return dg.Definitions(
        assets=[LANDING, *built, warehouse],
        jobs=[daily_load, monthly_retrain],
        schedules=[daily_load_schedule, monthly_retrain_schedule],
        sensors=[landing_sensor(settings)],
        resources={"build": WarehouseBuild(data_dir=str(settings.data_dir))},
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
