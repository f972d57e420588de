"""`train`: stacked cutoffs → LightGBM vs logistic baseline → calibration → sentinel → artifact."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from customer360.churn import artifact, evaluate, model_card, plots, sentinel
from customer360.churn.calibrate import fit_isotonic
from customer360.churn.dataset import CutoffPlan, labelled_rows, plan_cutoffs
from customer360.churn.errors import NotEnoughLabelsError
from customer360.churn.features import DEFAULT_FEATURES, FeatureSet
from customer360.churn.model import BoostingSettings, fit_baseline, fit_lightgbm, predict_raw
from customer360.churn.sources import data_window, stage_sources
from customer360.errors import UsageError
from customer360.progress import ProgressCallback

# numpy's and LightGBM's seeds are unsigned 32-bit integers.
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class TrainSettings:
    train_cutoffs: int = 4  # monthly cutoffs stacked for training
    min_history_days: int = 180  # warm-up before the first cutoff
    boosting: BoostingSettings = field(default_factory=BoostingSettings)
    features: FeatureSet = DEFAULT_FEATURES


@dataclass(frozen=True)
class TrainReport:
    model_version: str
    model_dir: Path
    as_of: date
    plan: CutoffPlan
    rows: dict[str, int]
    metrics: dict[str, Any]
    seconds: float

    def summary(self) -> str:
        m = self.metrics
        test, base = m["model"], m["baseline"]
        lines = [
            f"churn model {self.model_version}: {self.plan.describe()}",
            f"test rows {self.rows['test']:,}, base rate {m['test_base_rate']:.1%}, "
            f"threshold {m['threshold']:.3f} (chosen on validation)",
            f"LightGBM  ROC-AUC {test['roc_auc']:.3f}  PR-AUC {test['pr_auc']:.3f}  "
            f"precision {test['precision']:.3f}  recall {test['recall']:.3f}  F1 {test['f1']:.3f}"
            f"  Brier {test['brier']:.4f}",
            f"baseline  ROC-AUC {base['roc_auc']:.3f}  PR-AUC {base['pr_auc']:.3f}  "
            f"F1 {base['f1']:.3f}",
        ]
        if m.get("oracle"):
            o = m["oracle"]
            lines.append(
                f"oracle    ROC-AUC {o['roc_auc']:.3f}  PR-AUC {o['pr_auc']:.3f}  "
                f"(model/oracle ROC-AUC {test['roc_auc'] / o['roc_auc']:.3f})"
            )
        lines.append(f"artifact {self.model_dir} in {self.seconds:.1f} s")
        return "\n".join(lines)


def _version(as_of: date, names: list[str], plan: CutoffPlan, seed: int, digest_of: Any) -> str:
    payload = json.dumps([names, plan.describe(), seed, digest_of], default=str).encode()
    return f"churn-{as_of:%Y%m%d}-{hashlib.sha256(payload).hexdigest()[:8]}"


def _scored(label: np.ndarray, prob: np.ndarray, threshold: float) -> dict[str, float]:
    return evaluate.ranking_metrics(label, prob) | evaluate.at_threshold(label, prob, threshold)


def train(
    database: Path,
    models_dir: Path,
    *,
    oracle_dir: Path | None = None,
    as_of: date | None = None,
    seed: int = 42,
    settings: TrainSettings | None = None,
    override: bool = False,
    progress: ProgressCallback | None = None,
) -> TrainReport:
    """Train, evaluate and publish a churn model from the warehouse at `database`.

    Writes the artifact to `models_dir/<version>/` and its ml.model_runs row into `database`
    (a private copy; see `warehouse.building`), which makes it the model `score` uses.
    `oracle_dir` is read only to report the achievable AUC beside the model's. Raises
    `LeakageError` when the sentinel trips and not `override`, `NotEnoughLabelsError` when a
    split lacks churned or retained customers.
    """
    if not 0 <= seed <= MAX_SEED:
        raise UsageError(f"--seed {seed} is out of range; use a whole number from 0 to {MAX_SEED}")
    settings = settings or TrainSettings()
    started = time.perf_counter()
    tick = progress or (lambda step, done, total: None)
    con = duckdb.connect(str(database))
    try:
        stage_sources(con)
        data_start, data_end = data_window(con)
        as_of = as_of or data_end
        plan = plan_cutoffs(
            data_start,
            as_of,
            train_cutoffs=settings.train_cutoffs,
            min_history_days=settings.min_history_days,
        )
        rows = labelled_rows(con, (*plan.train, plan.validation, plan.test), settings.features)
    finally:
        # Closed before fitting: DuckDB's memory and threads are released while the models train.
        con.close()
    total = 3
    tick("train: features", 1, total)
    train_rows = rows[rows["cutoff_date"].isin(plan.train)].reset_index(drop=True)
    valid_rows = rows[rows["cutoff_date"] == plan.validation].reset_index(drop=True)
    test_rows = rows[rows["cutoff_date"] == plan.test].reset_index(drop=True)
    del rows
    _require_both_outcomes(plan, train_rows, valid_rows, test_rows)
    names = settings.features.names(train_rows.drop(columns="churned"))

    booster = fit_lightgbm(train_rows, valid_rows, names, settings.boosting, seed)
    baseline = fit_baseline(train_rows, names, seed)
    calibrator = fit_isotonic(predict_raw(booster, valid_rows, names), valid_rows["churned"])
    valid_prob = calibrator.apply(predict_raw(booster, valid_rows, names))
    threshold = evaluate.best_f1_threshold(valid_rows["churned"].to_numpy(), valid_prob)
    base_valid = baseline.predict_proba(valid_rows[names])[:, 1]
    base_threshold = evaluate.best_f1_threshold(valid_rows["churned"].to_numpy(), base_valid)

    label = test_rows["churned"].to_numpy()
    prob = calibrator.apply(predict_raw(booster, test_rows, names))
    base_prob = baseline.predict_proba(test_rows[names])[:, 1]
    oracle_prob = evaluate.oracle_probabilities(oracle_dir, test_rows)
    single = sentinel.single_feature_aucs(test_rows, names, label)
    check = sentinel.SentinelResult(
        float(evaluate.ranking_metrics(label, prob)["roc_auc"]),
        str(single.index[0]),
        float(single.iloc[0]),
    )
    sentinel.check(check, override=override)

    gain = pd.Series(booster.feature_importance("gain"), index=names)
    importance = (gain / gain.sum()).sort_values(ascending=False)
    metrics: dict[str, Any] = {
        "as_of": as_of,
        "data_start": data_start,
        "plan": {"train": list(plan.train), "validation": plan.validation, "test": plan.test},
        "seed": seed,
        "rows": {"train": len(train_rows), "validation": len(valid_rows), "test": len(label)},
        "train_base_rate": float(train_rows["churned"].mean()),
        "validation_base_rate": float(valid_rows["churned"].mean()),
        "test_base_rate": float(label.mean()),
        "threshold": threshold,
        "boosting_rounds": int(booster.best_iteration),
        "model": _scored(label, prob, threshold),
        "baseline": _scored(label, base_prob, base_threshold),
        "oracle": (
            evaluate.ranking_metrics(label, oracle_prob) if oracle_prob is not None else None
        ),
        "sentinel": {
            "model_auc": check.model_auc,
            "top_feature": check.top_feature,
            "top_feature_auc": check.top_feature_auc,
            "overridden": bool(check.tripped and override),
        },
        "risk_category_shares": _category_shares(prob),
        "lift": evaluate.lift_by_decile(label, prob).to_dict(orient="records"),
        "importance": {k: float(v) for k, v in importance.items()},
        "features": names,
    }
    version = _version(as_of, names, plan, seed, [metrics["model"], metrics["baseline"]])
    out = Path(models_dir) / version
    churn_model = artifact.ChurnModel(version, booster, calibrator, names, threshold)
    artifact.save(out, churn_model, metrics)
    scores = {"model": prob, "baseline": base_prob}
    if oracle_prob is not None:
        scores["oracle"] = oracle_prob
    plots.write_plots(
        out / "plots",
        label,
        scores,
        evaluate.lift_by_decile(label, prob),
        importance,
        threshold,
    )
    (out / artifact.CARD_FILE).write_text(model_card.render(version, metrics))
    con = duckdb.connect(str(database))
    try:
        artifact.record_run(con, _run_row(version, metrics, plan))
    finally:
        con.close()
    tick("train: published", total, total)
    return TrainReport(
        model_version=version,
        model_dir=out,
        as_of=as_of,
        plan=plan,
        rows=metrics["rows"],
        metrics=metrics,
        seconds=time.perf_counter() - started,
    )


def _require_both_outcomes(plan: CutoffPlan, *splits: pd.DataFrame) -> None:
    """Each split needs churned and retained customers: to learn from, to pick and test on."""
    names = (
        f"training cutoffs {plan.train[0]}..{plan.train[-1]}",
        f"validation cutoff {plan.validation}",
        f"test cutoff {plan.test}",
    )
    for name, rows in zip(names, splits, strict=True):
        churned = int(rows["churned"].sum())
        if churned == 0 or churned == len(rows):
            raise NotEnoughLabelsError(
                f"cannot train a churn model: the {name} have {len(rows):,} eligible customers, "
                f"{churned:,} of them churned, and every split needs both outcomes; generate a "
                "larger world (e.g. `c360 generate --customers 500`) or build without a model "
                "(`c360 ingest`, then `c360 transform`)"
            )


def _category_shares(prob: np.ndarray) -> dict[str, float]:
    from customer360.churn.score import risk_category, risk_score

    categories = pd.Series([risk_category(s) for s in risk_score(prob)])
    return {k: float(v) for k, v in categories.value_counts(normalize=True).sort_index().items()}


def _run_row(version: str, metrics: dict[str, Any], plan: CutoffPlan) -> dict[str, Any]:
    model, oracle = metrics["model"], metrics["oracle"] or {}
    return {
        "model_version": version,
        "trained_at": datetime.now(UTC).replace(tzinfo=None),
        "as_of": metrics["as_of"],
        "data_start": metrics["data_start"],
        "train_from": plan.train[0],
        "train_to": plan.train[-1],
        "validation_cutoff": plan.validation,
        "test_cutoff": plan.test,
        "train_rows": metrics["rows"]["train"],
        "test_rows": metrics["rows"]["test"],
        "test_base_rate": metrics["test_base_rate"],
        "threshold": metrics["threshold"],
        "roc_auc": model["roc_auc"],
        "pr_auc": model["pr_auc"],
        "precision": model["precision"],
        "recall": model["recall"],
        "f1": model["f1"],
        "brier": model["brier"],
        "baseline_roc_auc": metrics["baseline"]["roc_auc"],
        "oracle_roc_auc": oracle.get("roc_auc"),
        "oracle_pr_auc": oracle.get("pr_auc"),
        "sentinel_overridden": metrics["sentinel"]["overridden"],
        "metrics_json": json.dumps(metrics, default=str),
    }
