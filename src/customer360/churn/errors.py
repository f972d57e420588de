"""Named errors of the churn stage."""

from __future__ import annotations

from customer360.errors import C360Error


class ChurnError(C360Error):
    """A churn training or scoring failure."""


class MissingWarehouseTableError(ChurnError):
    """The warehouse lacks a silver/gold table the churn stage reads."""


class NotEnoughHistoryError(ChurnError):
    """Too little history for the time-based split (train, validation and test cutoffs)."""


class NotEnoughLabelsError(ChurnError):
    """A split of the time-based plan lacks churned or retained customers to learn or test on."""


class LeakageError(ChurnError):
    """The leakage sentinel refused to publish a model that looks too good to be true."""


class ModelNotFoundError(ChurnError):
    """No trained model where scoring looked for one."""
