"""Metrics on the time-based test set: ranking, operating point, calibration, lift, oracle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    precision_recall_curve,
    roc_auc_score,
)

ORACLE_FILE = "churn_probability.csv.gz"


def best_f1_threshold(label: np.ndarray, prob: np.ndarray) -> float:
    """The probability threshold that maximises F1 (chosen on validation, never on test)."""
    precision, recall, thresholds = precision_recall_curve(label, prob)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(thresholds[int(np.argmax(f1[:-1]))])


def at_threshold(label: np.ndarray, prob: np.ndarray, threshold: float) -> dict[str, float]:
    predicted = prob >= threshold
    tp = float(np.sum(predicted & (label == 1)))
    precision = tp / max(float(predicted.sum()), 1.0)
    recall = tp / max(float(label.sum()), 1.0)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return {
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "flagged_share": float(predicted.mean()),
    }


def lift_by_decile(label: np.ndarray, prob: np.ndarray) -> pd.DataFrame:
    """Deciles by descending score: churn rate, lift over base rate, cumulative churners caught."""
    order = np.argsort(-prob, kind="stable")
    deciles = np.minimum(np.arange(len(prob)) * 10 // len(prob), 9) + 1
    frame = pd.DataFrame({"decile": deciles, "churned": label[order], "prob": prob[order]})
    table = frame.groupby("decile").agg(
        customers=("churned", "size"), churners=("churned", "sum"), mean_score=("prob", "mean")
    )
    base = label.mean()
    table["churn_rate"] = table["churners"] / table["customers"]
    table["lift"] = table["churn_rate"] / base if base > 0 else np.nan
    table["captured_pct"] = 100 * table["churners"].cumsum() / max(label.sum(), 1)
    return table.reset_index()


def ranking_metrics(label: np.ndarray, prob: np.ndarray) -> dict[str, float]:
    return {
        "roc_auc": float(roc_auc_score(label, prob)),
        "pr_auc": float(average_precision_score(label, prob)),
        "brier": float(brier_score_loss(label, np.clip(prob, 0, 1))),
    }


def oracle_probabilities(oracle_dir: Path | None, test: pd.DataFrame) -> np.ndarray | None:
    """The generator's true churn probability for the test rows, or None without an oracle.

    Read only here, for evaluation; never a feature.
    """
    if oracle_dir is None or not (Path(oracle_dir) / ORACLE_FILE).exists():
        return None
    oracle = pd.read_csv(Path(oracle_dir) / ORACLE_FILE, dtype=str)
    cutoff = str(test["cutoff_date"].iloc[0])
    oracle = oracle[oracle["cutoff_date"] == cutoff]
    merged = test[["customer_id"]].merge(oracle, on="customer_id", how="left")
    if merged["true_churn_probability"].isna().mean() > 0.01:
        return None
    return merged["true_churn_probability"].astype(float).fillna(0.0).to_numpy()
