"""The churn model (one partition per month, retrained monthly and gated) and its scores.

A retrained model is kept only when it passes the leakage sentinel (training itself refuses)
and the blocking `not_worse_than_current` check: otherwise nothing downstream runs and the
run's copy, new model included, is discarded; the live warehouse keeps scoring with the
current model.
"""

import calendar
from collections.abc import Iterator
from datetime import date

import dagster as dg
import duckdb

from customer360.churn.artifact import current_version
from customer360.churn.champion import DEFAULT_MAX_AUC_DROP, compare_with_champion
from customer360.churn.sources import data_window, stage_sources
from customer360.orchestrate import keys
from customer360.orchestrate.build import WarehouseBuild, one_line_failures
from customer360.pipeline import score_only, train_stage
from customer360.warehouse import staged_path

MONTHS = dg.MonthlyPartitionsDefinition(start_date="2024-01-01")
GATE = "not_worse_than_current"


class RetrainConfig(dg.Config):
    seed: int = 42
    """Seed of the model's randomness."""
    override_sentinel: bool = False
    """Publish even when the leakage sentinel trips (only when sure no feature sees the future)."""
    max_auc_drop: float = DEFAULT_MAX_AUC_DROP
    """ROC-AUC the new model may lose to the current one on the same rows and still replace it."""


@dg.asset(
    key=keys.CHURN_MODEL,
    deps=list(keys.CHURN_SOURCES),
    partitions_def=MONTHS,
    group_name="ml",
    check_specs=[
        dg.AssetCheckSpec(
            GATE,
            asset=keys.CHURN_MODEL,
            blocking=True,
            description="The retrained model scores the same test customers at least as well "
            "as the model in use (within max_auc_drop); otherwise it is not published.",
        )
    ],
)
def churn_model(
    context: dg.AssetExecutionContext, config: RetrainConfig, build: WarehouseBuild
) -> Iterator[dg.MaterializeResult]:
    """Train a churn model as of the partition's month end (`c360 train`), gated."""
    settings, staging = build.settings, build.staging
    with one_line_failures():
        with duckdb.connect(str(staging)) as con:
            champion = current_version(con)
            stage_sources(con)
            _, data_end = data_window(con)
        as_of = min(_month_end(context.partition_time_window.start.date()), data_end)
        trained = train_stage(
            staging,
            settings,
            as_of=as_of,
            seed=config.seed,
            override_sentinel=config.override_sentinel,
        )
        comparison = compare_with_champion(
            staging,
            (staged_path(staging, settings.models_dir), settings.models_dir),
            trained.model_version,
            champion,
            config.max_auc_drop,
        )
    model = trained.metrics["model"]
    yield dg.MaterializeResult(
        metadata={
            "model_version": trained.model_version,
            "as_of": str(as_of),
            "test_cutoff": str(trained.plan.test),
            "roc_auc": model["roc_auc"],
            "pr_auc": model["pr_auc"],
            "f1": model["f1"],
            "baseline_roc_auc": trained.metrics["baseline"]["roc_auc"],
            "sentinel": dg.MetadataValue.json(trained.metrics["sentinel"]),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=GATE,
                passed=comparison.accepted,
                description=comparison.message(),
                metadata={
                    "current_model": comparison.champion or "none",
                    "current_roc_auc": comparison.champion_auc or float("nan"),
                    "new_roc_auc": comparison.challenger_auc,
                    "test_rows": comparison.test_rows,
                },
            )
        ],
    )


@dg.asset(key=keys.CHURN_PREDICTIONS, deps=[keys.CHURN_MODEL, *keys.CHURN_SOURCES], group_name="ml")
def churn_scores(build: WarehouseBuild) -> dg.MaterializeResult:
    """Score every eligible current customer with the model the warehouse names (`c360 score`)."""
    with one_line_failures():
        scored = score_only(build.staging, build.settings)
    return dg.MaterializeResult(
        metadata={
            "rows": scored.scored,
            "model_version": scored.model_version,
            "as_of": str(scored.as_of),
            "by_risk": dg.MetadataValue.json(scored.categories),
        }
    )


def _month_end(first_day: date) -> date:
    return first_day.replace(day=calendar.monthrange(first_day.year, first_day.month)[1])
