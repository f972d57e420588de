"""The versioned model artifact under <data dir>/models/<version>/ and the runs table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import lightgbm as lgb

from customer360.churn.calibrate import Calibrator
from customer360.churn.errors import ModelNotFoundError

MODEL_FILE = "model.txt"
CALIBRATOR_FILE = "calibrator.json"
FEATURES_FILE = "features.json"
METRICS_FILE = "metrics.json"
CARD_FILE = "model_card.md"
LATEST_FILE = "LATEST"


@dataclass(frozen=True)
class ChurnModel:
    version: str
    booster: lgb.Booster
    calibrator: Calibrator
    features: list[str]
    threshold: float


def save(directory: Path, model: ChurnModel, metrics: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    model.booster.save_model(
        str(directory / MODEL_FILE), num_iteration=model.booster.best_iteration
    )
    (directory / CALIBRATOR_FILE).write_text(json.dumps(model.calibrator.to_json()))
    (directory / FEATURES_FILE).write_text(json.dumps(model.features, indent=1))
    (directory / METRICS_FILE).write_text(json.dumps(metrics, indent=2, default=str))


def mark_latest(models_dir: Path, version: str) -> None:
    tmp = models_dir / (LATEST_FILE + ".tmp")
    tmp.write_text(version + "\n")
    tmp.replace(models_dir / LATEST_FILE)


def resolve(model_dir: Path) -> Path:
    """A version directory, given either it or the models root (then the LATEST version)."""
    model_dir = Path(model_dir)
    if (model_dir / MODEL_FILE).exists():
        return model_dir
    latest = model_dir / LATEST_FILE
    if latest.exists():
        chosen = model_dir / latest.read_text().strip()
        if (chosen / MODEL_FILE).exists():
            return chosen
    raise ModelNotFoundError(f"no trained churn model in {model_dir}; run `c360 train` first")


def load(model_dir: Path) -> ChurnModel:
    directory = resolve(model_dir)
    metrics = json.loads((directory / METRICS_FILE).read_text())
    return ChurnModel(
        version=directory.name,
        booster=lgb.Booster(model_file=str(directory / MODEL_FILE)),
        calibrator=Calibrator.from_json(json.loads((directory / CALIBRATOR_FILE).read_text())),
        features=json.loads((directory / FEATURES_FILE).read_text()),
        threshold=float(metrics["threshold"]),
    )


RUNS_DDL = """
create schema if not exists ml;
create table if not exists ml.model_runs (
    model_version varchar primary key,
    trained_at timestamp,
    as_of date,
    data_start date,
    train_from date,
    train_to date,
    validation_cutoff date,
    test_cutoff date,
    train_rows integer,
    test_rows integer,
    test_base_rate double,
    threshold double,
    roc_auc double,
    pr_auc double,
    precision double,
    recall double,
    f1 double,
    brier double,
    baseline_roc_auc double,
    oracle_roc_auc double,
    oracle_pr_auc double,
    sentinel_overridden boolean,
    metrics_json varchar
)
"""


def record_run(con: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> None:
    """Insert (or replace) one row of ml.model_runs."""
    con.execute(RUNS_DDL)
    con.execute("delete from ml.model_runs where model_version = ?", [row["model_version"]])
    columns = list(row)
    placeholders = ", ".join("?" for _ in columns)
    con.execute(
        f"insert into ml.model_runs ({', '.join(columns)}) values ({placeholders})",  # noqa: S608
        [row[c] for c in columns],
    )
