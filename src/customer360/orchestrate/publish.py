"""The live warehouse: the run's copy renamed over it once every step before has succeeded.

Its freshness policy fails when no run has published for `PUBLISH_WINDOW`; its
`as_of_is_current` check warns when the data's as-of date lags the calendar by more than
`MAX_AS_OF_LAG` (a source that stopped sending files, a sensor switched off).
"""

from datetime import date, timedelta

import dagster as dg

from customer360.orchestrate import keys
from customer360.orchestrate.build import WarehouseBuild
from customer360.warehouse import connect_read

MAX_AS_OF_LAG = timedelta(days=1)
# The warehouse was published at most this long ago (a daily run failed or never ran).
PUBLISH_WINDOW = timedelta(hours=26)
AS_OF_CHECK = "as_of_is_current"


def publish_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=keys.WAREHOUSE,
        deps=upstream,
        group_name="publish",
        freshness_policy=dg.FreshnessPolicy.time_window(fail_window=PUBLISH_WINDOW),
        check_specs=[
            dg.AssetCheckSpec(
                AS_OF_CHECK,
                asset=keys.WAREHOUSE,
                description=f"The data's as-of date is at most {MAX_AS_OF_LAG.days} day behind "
                "the calendar.",
            )
        ],
    )
    def warehouse(build: WarehouseBuild) -> dg.MaterializeResult:
        """Publish the run's copy as <data dir>/warehouse.duckdb (one atomic rename)."""
        live = build.publish()
        with connect_read(live) as con:
            as_of = con.execute("select as_of_date from silver.int_as_of").fetchone()[0]
        lag = date.today() - as_of
        return dg.MaterializeResult(
            metadata={"path": str(live), "as_of": str(as_of)},
            check_results=[
                dg.AssetCheckResult(
                    check_name=AS_OF_CHECK,
                    passed=lag <= MAX_AS_OF_LAG,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={"as_of": str(as_of), "lag_days": lag.days},
                )
            ],
        )

    return warehouse
