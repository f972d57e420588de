"""The versioned model artifact under <data dir>/models/<version>/ and the runs table.

The warehouse names the model it scores with: the `ml.model_runs` row trained last. Nothing
outside the warehouse does, so a model trained by a build that was never published is never
used, and the pointer moves with the atomic publish of the warehouse.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def current_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The model this warehouse scores with: its `ml.model_runs` row trained last (or None)."""
    try:
        row = con.execute(
            "select model_version from ml.model_runs order by trained_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def resolve(model_dir: Path | Sequence[Path], version: str | None) -> Path:
    """A version directory: `model_dir` itself when it is one, else `version` in the first of
    the models roots `model_dir` that holds it."""
    roots = [Path(model_dir)] if isinstance(model_dir, str | Path) else [Path(r) for r in model_dir]
    if len(roots) == 1 and (roots[0] / MODEL_FILE).exists():
        return roots[0]
    if version is None:
        raise ModelNotFoundError(
            "the warehouse has no trained churn model (ml.model_runs is empty); "
            "run `c360 train` first"
        )
    for root in roots:
        if (root / version / MODEL_FILE).exists():
            return root / version
    raise ModelNotFoundError(
        f"model {version}, the one the warehouse's ml.model_runs names, is not in "
        f"{roots[-1]}; retrain with `c360 train`"
    )


def load(directory: Path) -> ChurnModel:
    """The model in a version directory (see `resolve`)."""
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
