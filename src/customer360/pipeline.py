"""Runs the stages in order on one private copy of the warehouse, then publishes it.

Readers (the dashboard, `c360 ask`) keep the last good warehouse until the whole run has
succeeded; a failure anywhere leaves it untouched. Everything a stage writes is part of that
copy: dbt's results are a table in it, a new model version is staged beside it
(`warehouse.staged_path`) and the model to score with is the one its `ml.model_runs` names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from customer360.config import Settings
from customer360.errors import UsageError
from customer360.ingest import IngestReport, ingest_landing
from customer360.progress import ProgressCallback
from customer360.transform import TransformReport, run_transform
from customer360.transform.results import record_results
from customer360.transform.runner import EventCallback
from customer360.warehouse import building, staged_path

if TYPE_CHECKING:  # the churn stack (LightGBM, scikit-learn) costs ~3 s to import
    from customer360.churn import ScoreReport, TrainReport

# The marts that read churn scores; rebuilt after scoring so the profile carries them.
SCORE_CONSUMERS = "stg_churn_predictions+"


@dataclass(frozen=True)
class PipelineReport:
    ingest: IngestReport
    transform: TransformReport
    train: TrainReport | None
    score: ScoreReport | None

    def lines(self) -> list[str]:
        lines = [
            f"ingest: {len(self.ingest.loaded)} files loaded, {len(self.ingest.skipped)} skipped, "
            f"{len(self.ingest.failed)} failed; {self.ingest.rows_loaded:,} rows loaded, "
            f"{self.ingest.rows_quarantined:,} quarantined",
            self.transform.summary(),
        ]
        if self.train is not None:
            lines.append(self.train.summary())
        if self.score is not None:
            lines.append(self.score.summary())
        return lines


def _require_landing(settings: Settings) -> None:
    if not settings.landing_dir.is_dir():
        raise UsageError(
            f"no landing folder at {settings.landing_dir}; run `c360 generate` first "
            "or point --data-dir at a data directory"
        )


def transform_stage(
    staging: Path,
    settings: Settings,
    *,
    as_of: date | None = None,
    full_refresh: bool = False,
    select: str | None = None,
    indirect_selection: str | None = None,
    progress: ProgressCallback | None = None,
    on_event: EventCallback | None = None,
) -> TransformReport:
    """Run the dbt build (all of it unless `select`; see `run_transform`) and keep its test
    results in the warehouse it built."""
    target = settings.runs_dir / "dbt-target"
    if as_of is not None:
        _require_as_of_within_data(staging, as_of)
    report = run_transform(
        staging,
        as_of=as_of,
        progress=progress,
        target_dir=target,
        full_refresh=full_refresh,
        select=select,
        indirect_selection=indirect_selection,
        on_event=on_event,
    )
    record_results(staging, target / "run_results.json")
    return report


def _require_as_of_within_data(staging: Path, as_of: date) -> None:
    """Windows measured from before the first landed transaction have no customers to read."""
    first = _first_landed_day(staging)
    if first is not None and as_of < first:
        raise UsageError(
            f"--as-of {as_of} is before the first landed transaction ({first}); use a date "
            "from then on, or leave it out for the latest transaction"
        )


def _first_landed_day(staging: Path) -> date | None:
    if not staging.exists():
        return None
    con = duckdb.connect(str(staging), read_only=True)
    try:
        row = con.execute("select min(transaction_ts)::date from bronze.transactions").fetchone()
    except duckdb.CatalogException:  # nothing landed yet: dbt says so itself
        return None
    finally:
        con.close()
    return row[0]


def train_stage(
    staging: Path,
    settings: Settings,
    *,
    as_of: date | None = None,
    seed: int = 42,
    override_sentinel: bool = False,
    progress: ProgressCallback | None = None,
) -> TrainReport:
    """Train a new churn model version; the oracle is used for evaluation only."""
    from customer360.churn import train

    return train(
        staging,
        staged_path(staging, settings.models_dir),
        oracle_dir=settings.oracle_dir,
        as_of=as_of,
        seed=seed,
        override=override_sentinel,
        progress=progress,
    )


def score_stage(
    staging: Path,
    settings: Settings,
    *,
    as_of: date | None = None,
    progress: ProgressCallback | None = None,
) -> ScoreReport:
    """Score with the model the warehouse names, then rebuild the marts that carry the scores.

    A model trained in this build is still staged; an earlier one is published.
    """
    scored = score_only(staging, settings, as_of=as_of)
    rebuild_score_consumers(staging, settings, progress=progress)
    return scored


def score_only(staging: Path, settings: Settings, *, as_of: date | None = None) -> ScoreReport:
    """Write gold.churn_predictions with the model the warehouse names (staged or published)."""
    from customer360.churn import score

    return score(staging, (staged_path(staging, settings.models_dir), settings.models_dir), as_of)


def rebuild_score_consumers(
    staging: Path,
    settings: Settings,
    *,
    select: str = SCORE_CONSUMERS,
    indirect_selection: str | None = None,
    progress: ProgressCallback | None = None,
    on_event: EventCallback | None = None,
) -> TransformReport:
    """Rebuild the marts that read gold.churn_predictions (or the part of them in `select`)."""
    return run_transform(
        staging,
        select=select,
        indirect_selection=indirect_selection,
        progress=progress,
        target_dir=settings.runs_dir / "dbt-target",
        on_event=on_event,
    )


def run_pipeline(
    settings: Settings,
    *,
    as_of: date | None = None,
    retrain: bool = True,
    full_refresh: bool = False,
    progress: ProgressCallback | None = None,
) -> PipelineReport:
    """Ingest new landing files, rebuild silver and gold, train and score; publish once."""
    from customer360.churn.artifact import current_version

    _require_landing(settings)
    with building(settings.warehouse_path) as staging:
        ingested = ingest_landing(settings.landing_dir, staging, progress)
        transformed = transform_stage(
            staging, settings, as_of=as_of, full_refresh=full_refresh, progress=progress
        )
        with duckdb.connect(str(staging)) as con:
            needs_model = current_version(con) is None
        trained = (
            train_stage(staging, settings, as_of=as_of, progress=progress)
            if retrain or needs_model
            else None
        )
        scored = score_stage(staging, settings, as_of=as_of, progress=progress)
    return PipelineReport(ingested, transformed, trained, scored)
