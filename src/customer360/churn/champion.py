"""Champion vs challenger: a retrained model replaces the current one only if it is not worse.

Both are scored on the same rows, the challenger's test cutoff (its outcome window complete,
never seen by the challenger's training), so the comparison is not blurred by two test sets of
different months. The current model was trained earlier, on cutoffs that may overlap those
rows' outcome windows: that can only flatter it, which makes the gate stricter, not looser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from customer360.churn import artifact, evaluate
from customer360.churn.dataset import labelled_rows
from customer360.churn.features import DEFAULT_FEATURES
from customer360.churn.model import predict_raw
from customer360.churn.sources import stage_sources

# ROC-AUC a challenger may lose to the current model and still replace it (sampling noise).
DEFAULT_MAX_AUC_DROP = 0.01


@dataclass(frozen=True)
class Comparison:
    challenger: str
    champion: str | None
    test_cutoff: date
    test_rows: int
    challenger_auc: float
    champion_auc: float | None
    max_auc_drop: float

    @property
    def accepted(self) -> bool:
        return self.champion_auc is None or (
            self.challenger_auc >= self.champion_auc - self.max_auc_drop
        )

    def message(self) -> str:
        if self.champion_auc is None:
            return f"{self.challenger} is the first model (test ROC-AUC {self.challenger_auc:.3f})"
        verdict = "replaces" if self.accepted else "is worse than, and does not replace,"
        return (
            f"{self.challenger} (ROC-AUC {self.challenger_auc:.3f}) {verdict} {self.champion} "
            f"(ROC-AUC {self.champion_auc:.3f}) on the {self.test_rows:,} customers of test "
            f"cutoff {self.test_cutoff}; allowed drop {self.max_auc_drop:.3f}"
        )


def compare_with_champion(
    database: Path,
    model_roots: Sequence[Path],
    challenger: str,
    champion: str | None,
    max_auc_drop: float = DEFAULT_MAX_AUC_DROP,
) -> Comparison:
    """Score `challenger` and `champion` (None: there is none) on the challenger's test rows.

    `database` holds both models' `ml.model_runs` rows; `model_roots` are searched in order
    for their artifacts (the staged root of a build first).
    """
    con = duckdb.connect(str(database))
    try:
        test_cutoff = con.execute(
            "select test_cutoff from ml.model_runs where model_version = ?", [challenger]
        ).fetchone()[0]
        stage_sources(con)
        rows = labelled_rows(con, (test_cutoff,), DEFAULT_FEATURES)
    finally:
        con.close()
    label = rows["churned"].to_numpy()

    def auc(version: str) -> float:
        model = artifact.load(artifact.resolve(model_roots, version))
        prob = model.calibrator.apply(predict_raw(model.booster, rows, model.features))
        return float(evaluate.ranking_metrics(label, prob)["roc_auc"])

    return Comparison(
        challenger=challenger,
        champion=champion,
        test_cutoff=test_cutoff,
        test_rows=len(rows),
        challenger_auc=auc(challenger),
        champion_auc=auc(champion) if champion is not None else None,
        max_auc_drop=max_auc_drop,
    )
