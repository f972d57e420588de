"""The two learners: LightGBM (published) and a logistic-regression baseline (for comparison)."""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from threadpoolctl import threadpool_limits


@dataclass(frozen=True)
class BoostingSettings:
    learning_rate: float = 0.2
    num_leaves: int = 15
    min_child_samples: int = 200
    max_rounds: int = 200
    early_stopping_rounds: int = 20
    max_bin: int = 63


def fit_lightgbm(
    train: pd.DataFrame,
    validation: pd.DataFrame,
    names: list[str],
    settings: BoostingSettings,
    seed: int,
) -> lgb.Booster:
    """Gradient-boosted trees; rounds chosen by early stopping on the validation cutoff."""
    params = {
        "objective": "binary",
        "learning_rate": settings.learning_rate,
        "num_leaves": settings.num_leaves,
        "min_child_samples": settings.min_child_samples,
        "max_bin": settings.max_bin,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        # One thread: on a shared 2-core machine OpenMP threads spin-waiting for each other made
        # two threads 2-5x slower than one (measured), and 89 rounds take ~3 s on one core.
        "num_threads": 1,
        "verbose": -1,
    }
    data = lgb.Dataset(train[names], train["churned"], free_raw_data=False)
    valid = lgb.Dataset(validation[names], validation["churned"], reference=data)
    booster = lgb.train(
        params,
        data,
        settings.max_rounds,
        valid_sets=[valid],
        callbacks=[lgb.early_stopping(settings.early_stopping_rounds, verbose=False)],
    )
    booster.best_iteration = booster.best_iteration or settings.max_rounds
    return booster


def predict_raw(booster: lgb.Booster, frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    return booster.predict(frame[names], num_iteration=booster.best_iteration)


BASELINE_SAMPLE_ROWS = 60_000


def fit_baseline(train: pd.DataFrame, names: list[str], seed: int) -> Pipeline:
    """Logistic regression on arcsinh-compressed, standardised features.

    Fitted on a seeded sample of at most 60,000 rows: a linear model gains nothing from more.
    """
    sample = train.sample(n=min(len(train), BASELINE_SAMPLE_ROWS), random_state=seed)
    pipeline = make_pipeline(
        SimpleImputer(strategy="median"),
        FunctionTransformer(np.arcsinh),
        StandardScaler(),
        LogisticRegression(max_iter=300),
    )
    with threadpool_limits(limits=1):  # BLAS threads spin the same way as OpenMP's
        pipeline.fit(sample[names], sample["churned"])
    return pipeline
