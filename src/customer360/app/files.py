"""Artifacts the pages read from disk: the model card and plots, stage run records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from customer360.runlog import read_run

PLOT_TITLES = {
    "roc.png": "ROC curve",
    "pr.png": "Precision-recall curve",
    "calibration.png": "Calibration",
    "lift.png": "Lift by decile",
    "importance.png": "Feature importance",
    "scores.png": "Score distribution (test set)",
}


@dataclass(frozen=True)
class ModelArtifact:
    version: str
    directory: Path
    metrics: dict[str, Any]
    card_markdown: str
    plots: tuple[tuple[str, Path], ...]


def model_artifact(data_dir: Path, version: str | None) -> ModelArtifact | None:
    """The artifact of `version` (the warehouse's current model) under `<data dir>/models/`."""
    if not version:
        return None
    directory = data_dir / "models" / version
    metrics_file = directory / "metrics.json"
    if not metrics_file.exists():
        return None
    card = directory / "model_card.md"
    plots = tuple(
        (title, directory / "plots" / name)
        for name, title in PLOT_TITLES.items()
        if (directory / "plots" / name).exists()
    )
    return ModelArtifact(
        version=version,
        directory=directory,
        metrics=json.loads(metrics_file.read_text()),
        card_markdown=card.read_text() if card.exists() else "",
        plots=plots,
    )


def stage_runs(runs_dir: Path) -> pd.DataFrame:
    """The latest record of every stage under `<data dir>/runs/` (see `runlog`)."""
    rows = []
    if runs_dir.is_dir():
        for path in sorted(runs_dir.glob("*-latest.json")):
            record = read_run(runs_dir, path.name.removesuffix("-latest.json")) or {}
            rows.append(
                {
                    "stage": record.get("stage"),
                    "rows": record.get("rows"),
                    "finished_at": pd.to_datetime(record.get("finished_at"), unit="s"),
                    "details": json.dumps(
                        {k: v for k, v in record.items() if k not in {"stage", "rows"}},
                        default=str,
                    )[:300],
                }
            )
    return pd.DataFrame(rows)
