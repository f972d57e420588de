"""Probability calibration: isotonic regression fitted on the validation cutoff only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression


@dataclass(frozen=True)
class Calibrator:
    """A monotone map from raw model scores to calibrated probabilities (piecewise linear)."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def apply(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(raw, dtype=float), self.x, self.y)

    def to_json(self) -> dict[str, list[float]]:
        return {"x": list(self.x), "y": list(self.y)}

    @classmethod
    def from_json(cls, data: dict[str, list[float]]) -> Calibrator:
        return cls(tuple(data["x"]), tuple(data["y"]))


def fit_isotonic(raw: np.ndarray, label: np.ndarray) -> Calibrator:
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(np.asarray(raw, dtype=float), np.asarray(label, dtype=float))
    return Calibrator(
        tuple(float(v) for v in iso.X_thresholds_), tuple(float(v) for v in iso.y_thresholds_)
    )
