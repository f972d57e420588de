"""`score`: every eligible current customer at `as_of` into gold.churn_predictions.

Eligibility is the training rule (an approved transaction in the 90 days up to `as_of`, account
open ≥ 90 days); everyone else is absent and shows as 'Not Scored' in customer_360_profile.
`scored_at` is `as_of` at midnight, so re-scoring the same data gives identical rows.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from customer360.churn import artifact
from customer360.churn.errors import NotEnoughHistoryError
from customer360.churn.features import build_features
from customer360.churn.model import predict_raw
from customer360.churn.reasons import top_reasons
from customer360.churn.sources import data_window, stage_sources

HIGH_RISK_MIN = 70
MEDIUM_RISK_MIN = 40

PREDICTIONS_DDL = """
create schema if not exists gold;
create or replace table gold.churn_predictions as
select
    customer_id,
    churn_probability,
    cast(churn_risk_score as integer) as churn_risk_score,
    churn_risk_category,
    model_version,
    scored_at,
    cast(as_of_date as date) as as_of_date,
    reason_1,
    reason_2,
    reason_3
from predictions
order by customer_id
"""


def risk_score(prob: np.ndarray) -> np.ndarray:
    """0-100 integer score: the calibrated churn probability in percent, rounded."""
    return np.clip(np.rint(np.asarray(prob, dtype=float) * 100), 0, 100).astype(int)


def risk_category(score: int) -> str:
    if score >= HIGH_RISK_MIN:
        return "High Risk"
    if score >= MEDIUM_RISK_MIN:
        return "Medium Risk"
    return "Low Risk"


@dataclass(frozen=True)
class ScoreReport:
    model_version: str
    as_of: date
    scored: int
    categories: dict[str, int]
    seconds: float

    def summary(self) -> str:
        shares = ", ".join(f"{k} {v:,}" for k, v in sorted(self.categories.items()))
        return (
            f"scored {self.scored:,} eligible customers at {self.as_of} with "
            f"{self.model_version} ({shares}) in {self.seconds:.1f} s"
        )


def predictions(
    con: duckdb.DuckDBPyConnection, model: artifact.ChurnModel, as_of: date
) -> pd.DataFrame:
    """The rows of gold.churn_predictions (sources must be staged on `con`)."""
    rows = build_features(con, as_of)
    if rows.empty:  # nobody eligible: an empty table, not a model call on no rows
        prob, reasons = np.empty(0), []
    else:
        prob = model.calibrator.apply(predict_raw(model.booster, rows, model.features))
        reasons = top_reasons(model.booster, rows, model.features)
    scores = risk_score(prob)
    return pd.DataFrame(
        {
            "customer_id": rows["customer_id"],
            "churn_probability": np.round(prob, 4),
            "churn_risk_score": scores,
            "churn_risk_category": [risk_category(s) for s in scores],
            "model_version": model.version,
            "scored_at": datetime(as_of.year, as_of.month, as_of.day),
            "as_of_date": as_of,
            "reason_1": [r[0] for r in reasons],
            "reason_2": [r[1] for r in reasons],
            "reason_3": [r[2] for r in reasons],
        }
    )


def score(
    database: Path, model_dir: Path | Sequence[Path], as_of: date | None = None
) -> ScoreReport:
    """Score into gold.churn_predictions in `database` (replaced as a whole).

    `model_dir` is a version directory, or the models root (or roots, searched in order) that
    holds the version `database` names in `ml.model_runs` (see `artifact.current_version`).
    """
    started = time.perf_counter()
    con = duckdb.connect(str(database))
    try:
        model = artifact.load(artifact.resolve(model_dir, artifact.current_version(con)))
        stage_sources(con)
        first, last = data_window(con)
        as_of = as_of or last
        if as_of < first:
            raise NotEnoughHistoryError(
                f"cannot score at {as_of}: it is before the first transaction ({first}); score "
                f"at a date from {first} on (default: the latest transaction, {last})"
            )
        frame = predictions(con, model, as_of)
        con.register("predictions", frame)
        con.execute(PREDICTIONS_DDL)
        con.unregister("predictions")
    finally:
        con.close()
    counts = frame["churn_risk_category"].value_counts()
    return ScoreReport(
        model_version=model.version,
        as_of=as_of,
        scored=len(frame),
        categories={k: int(v) for k, v in counts.items()},
        seconds=time.perf_counter() - started,
    )
