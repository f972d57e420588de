"""Jobs and what starts them: a daily schedule, a monthly retrain schedule, a landing sensor.

- `daily_load`: landing → bronze → dbt (incremental) → churn scores → score marts → publish.
- `monthly_retrain` (one partition per month): retrain (gated) → scores → score marts → publish.

The landing sensor asks for a `daily_load` run when landed files are pending (not yet in the
live warehouse's manifest); its run key is those files' batches, so one set of new files asks
for one run, and a failed run is not retried in a loop (re-execute it from the UI).
"""

import hashlib
import json
from datetime import timedelta

import dagster as dg

from customer360.config import Settings
from customer360.ingest import status
from customer360.orchestrate import keys

DAILY_CRON = "0 6 * * *"  # 06:00 UTC, after the source systems' nightly drop
RETRAIN_DAY, RETRAIN_HOUR = 1, 7  # the 1st of each month, 07:00 UTC, for the month just ended
SENSOR_INTERVAL = timedelta(minutes=1)

WITHOUT_TRAINING = dg.AssetSelection.all() - dg.AssetSelection.assets(keys.CHURN_MODEL)
AFTER_TRAINING = dg.AssetSelection.assets(keys.CHURN_MODEL).downstream()

daily_load = dg.define_asset_job(
    "daily_load",
    selection=WITHOUT_TRAINING,
    description="Ingest new landing files, build silver and gold incrementally, re-score with "
    "the current model, publish.",
)
monthly_retrain = dg.define_asset_job(
    "monthly_retrain",
    selection=AFTER_TRAINING,
    description="Retrain the churn model as of the month's end; publish it and its scores only "
    "if it passes the leakage sentinel and is not worse than the current model.",
)


@dg.schedule(
    job=daily_load,
    cron_schedule=DAILY_CRON,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_load_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every morning, whether or not the sensor saw files (catches a sensor switched off)."""
    day = context.scheduled_execution_time.date().isoformat()
    return dg.RunRequest(run_key=f"daily-{day}", tags={"c360/scheduled_for": day})


monthly_retrain_schedule = dg.build_schedule_from_partitioned_job(
    monthly_retrain,
    day_of_month=RETRAIN_DAY,
    hour_of_day=RETRAIN_HOUR,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def landing_sensor(settings: Settings) -> dg.SensorDefinition:
    @dg.sensor(
        job=daily_load,
        minimum_interval_seconds=int(SENSOR_INTERVAL.total_seconds()),
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def new_landing_files(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        """A daily load when files in the landing folder are not yet ingested."""
        report = status(settings.warehouse_path, settings.landing_dir)
        pending = sorted((b.entity, b.batch, b.pending) for b in report.batches if b.pending > 0)
        if not pending:
            return dg.SensorResult(skip_reason=f"no new files in {settings.landing_dir}")
        digest = hashlib.sha256(json.dumps(pending).encode()).hexdigest()[:16]
        batches = ", ".join(f"{entity}/{batch} ({files})" for entity, batch, files in pending)
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(run_key=f"landing-{digest}", tags={"c360/pending": batches})
            ]
        )

    return new_landing_files
