"""Stacked monthly cutoffs and the time-based split: train < validation < test, all honest.

The test cutoff is the latest month end whose 90-day outcome window is complete by `as_of`.
Validation and training cutoffs are earlier month ends whose own outcome windows end on or
before the test cutoff, so nothing the model learns from happened after the test cutoff: the
test rows are scored as if the model had been trained on the test cutoff's day.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from customer360.churn.errors import NotEnoughHistoryError
from customer360.churn.features import FeatureSet, build_features
from customer360.churn.labels import OUTCOME_DAYS, build_labels


@dataclass(frozen=True)
class CutoffPlan:
    train: tuple[date, ...]
    validation: date
    test: date

    def describe(self) -> str:
        return (
            f"train cutoffs {self.train[0]}..{self.train[-1]} ({len(self.train)}), "
            f"validation {self.validation}, test {self.test}"
        )


def month_ends(first: date, last: date) -> list[date]:
    """Every month end in [first, last]."""
    out = []
    year, month = first.year, first.month
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > last:
            return out
        if end >= first:
            out.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def plan_cutoffs(
    data_start: date, as_of: date, *, train_cutoffs: int, min_history_days: int
) -> CutoffPlan:
    ends = month_ends(data_start + timedelta(days=min_history_days), as_of)
    horizon = timedelta(days=OUTCOME_DAYS)
    complete = [c for c in ends if c + horizon <= as_of]
    if complete:
        test = complete[-1]
        before_test = [c for c in ends if c + horizon <= test]
        if len(before_test) >= 2:
            validation = before_test[-1]
            train = tuple(c for c in ends if c < validation and c + horizon <= test)
            return CutoffPlan(train[-train_cutoffs:], validation, test)
    raise NotEnoughHistoryError(
        f"history {data_start}..{as_of} is too short for a time-based split: need "
        f"{min_history_days} days of warm-up, then two training/validation month ends and a test "
        f"month end {OUTCOME_DAYS} days apart; generate more days (`c360 generate --days`)"
    )


def labelled_rows(
    con: duckdb.DuckDBPyConnection, cutoffs: Sequence[date], features: FeatureSet
) -> pd.DataFrame:
    """Eligible feature rows at every cutoff with their `churned` label (one query each)."""
    rows = build_features(con, cutoffs, features)
    labels = build_labels(con, cutoffs)
    return rows.merge(labels, on=["customer_id", "cutoff_date"], how="inner", validate="one_to_one")
