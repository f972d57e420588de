"""Churn model: point-in-time features, time-based training and evaluation, scoring."""

from customer360.churn.errors import (
    ChurnError,
    LeakageError,
    MissingWarehouseTableError,
    ModelNotFoundError,
    NotEnoughHistoryError,
    NotEnoughLabelsError,
)
from customer360.churn.score import ScoreReport, score
from customer360.churn.train import TrainReport, TrainSettings, train

__all__ = [
    "ChurnError",
    "LeakageError",
    "MissingWarehouseTableError",
    "ModelNotFoundError",
    "NotEnoughHistoryError",
    "NotEnoughLabelsError",
    "ScoreReport",
    "TrainReport",
    "TrainSettings",
    "score",
    "train",
]
