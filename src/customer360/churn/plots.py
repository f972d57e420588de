"""Model card plots (PNG): ROC, PR, calibration, lift/gains, feature importance, score histogram."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve, roc_curve

PLOTS = ("roc", "pr", "calibration", "lift", "importance", "scores")


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4.0), dpi=100)
    return plt, fig, ax


def _save(plt, fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def write_plots(
    out: Path,
    label: np.ndarray,
    scores: dict[str, np.ndarray],
    lift: pd.DataFrame,
    importance: pd.Series,
    threshold: float,
) -> list[str]:
    """One PNG per plot into `out`; `scores` maps model/baseline/oracle to probabilities."""
    out.mkdir(parents=True, exist_ok=True)
    plt, fig, ax = _figure()
    for name, prob in scores.items():
        fpr, tpr, _ = roc_curve(label, prob)
        ax.plot(fpr, tpr, label=name)
    ax.plot([0, 1], [0, 1], "k:", lw=0.8)
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC (test cutoff)")
    ax.legend()
    _save(plt, fig, out / "roc.png")

    plt, fig, ax = _figure()
    for name, prob in scores.items():
        precision, recall, _ = precision_recall_curve(label, prob)
        ax.plot(recall, precision, label=name)
    ax.axhline(label.mean(), color="k", ls=":", lw=0.8, label="base rate")
    ax.set(xlabel="recall", ylabel="precision", title="Precision-recall (test cutoff)")
    ax.legend()
    _save(plt, fig, out / "pr.png")

    plt, fig, ax = _figure()
    for name, prob in scores.items():
        observed, predicted = calibration_curve(
            label, np.clip(prob, 0, 1), n_bins=10, strategy="quantile"
        )
        ax.plot(predicted, observed, marker="o", label=name)
    ax.plot([0, 1], [0, 1], "k:", lw=0.8)
    ax.set(xlabel="predicted probability", ylabel="observed churn rate", title="Calibration")
    ax.legend()
    _save(plt, fig, out / "calibration.png")

    plt, fig, ax = _figure()
    ax.bar(lift["decile"], lift["lift"], color="#4c72b0", label="lift")
    ax.set(
        xlabel="score decile (1 = highest risk)",
        ylabel="lift over base rate",
        title="Lift and gains by decile",
    )
    gains = ax.twinx()
    gains.plot(
        lift["decile"],
        lift["captured_pct"],
        color="#dd8452",
        marker="o",
        label="churners captured %",
    )
    gains.set_ylim(0, 100)
    gains.set_ylabel("cumulative churners captured %")
    _save(plt, fig, out / "lift.png")

    plt, fig, ax = _figure()
    top = importance.head(15)[::-1]
    ax.barh(top.index, top.to_numpy(), color="#55a868")
    ax.set(xlabel="share of total gain", title="Feature importance (top 15)")
    ax.tick_params(axis="y", labelsize=7)
    _save(plt, fig, out / "importance.png")

    plt, fig, ax = _figure()
    model = scores["model"]
    ax.hist(model[label == 0], bins=40, alpha=0.6, label="stayed", density=True)
    ax.hist(model[label == 1], bins=40, alpha=0.6, label="churned", density=True)
    ax.axvline(threshold, color="k", ls="--", lw=0.8, label="threshold")
    ax.set(xlabel="calibrated churn probability", ylabel="density", title="Score distribution")
    ax.legend()
    _save(plt, fig, out / "scores.png")
    return [f"{name}.png" for name in PLOTS]
