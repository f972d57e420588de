"""Leakage sentinel: a churn model that looks too good is assumed to see the future."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from customer360.churn.errors import LeakageError

MAX_MODEL_AUC = 0.97
MAX_SINGLE_FEATURE_AUC = 0.95


@dataclass(frozen=True)
class SentinelResult:
    model_auc: float
    top_feature: str
    top_feature_auc: float

    @property
    def tripped(self) -> bool:
        return self.model_auc >= MAX_MODEL_AUC or self.top_feature_auc >= MAX_SINGLE_FEATURE_AUC

    def message(self) -> str:
        return (
            f"leakage sentinel: test ROC-AUC {self.model_auc:.3f} (limit {MAX_MODEL_AUC}), "
            f"best single feature {self.top_feature} AUC {self.top_feature_auc:.3f} "
            f"(limit {MAX_SINGLE_FEATURE_AUC}); a feature probably sees data after the cutoff. "
            "Fix the feature SQL, or retrain with override=True (`--override-sentinel`) "
            "if you are sure"
        )


def single_feature_aucs(frame: pd.DataFrame, names: list[str], label: np.ndarray) -> pd.Series:
    """Direction-free ROC-AUC of each feature alone (missing values at the median)."""
    out = {}
    for name in names:
        values = frame[name].astype(float)
        values = values.fillna(values.median() if values.notna().any() else 0.0)
        auc = roc_auc_score(label, values) if values.nunique() > 1 else 0.5
        out[name] = max(auc, 1.0 - auc)
    return pd.Series(out).sort_values(ascending=False)


def check(result: SentinelResult, *, override: bool) -> None:
    """Raise `LeakageError` when the sentinel trips, unless overridden."""
    if result.tripped and not override:
        raise LeakageError(result.message())
