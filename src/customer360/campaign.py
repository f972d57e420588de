"""Retention-campaign economics: incremental saves, margin-based value, cost, ROI, breakevens.

Every targeted customer i has a calibrated churn probability p_i and a forward value v_i (the
issuer's expected margin over the next 12 months if they stay). With save rate s (the share of
would-be churners the offer retains), redemption rate r (the share of customers who would have
stayed anyway but still redeem the offer), incentive I and contact cost C over N targets:

    incremental saves   S  = s · Σ p_i
    value saved         VS = s · Σ p_i · v_i
    contact cost        CC = C · N
    incentive cost      IC = I · (S + r · Σ (1 − p_i))
    net benefit         NB = VS − (CC + IC)
    ROI                    = NB / (CC + IC)
    cost per save          = (CC + IC) / S

Only churners can be saved, so the offer earns nothing on the Σ(1 − p_i) customers who would
have stayed; their redemptions are pure cost. Breakevens solve NB = 0 for s and for I.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CampaignParams:
    incentive: float
    contact_cost: float
    save_rate: float
    redemption_rate: float = 0.5

    def __post_init__(self) -> None:
        if self.incentive < 0 or self.contact_cost < 0:
            raise ValueError("incentive and contact cost must be zero or more")
        for name in ("save_rate", "redemption_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")


@dataclass(frozen=True)
class Audience:
    """The sums the formulas need, over the targeted customers."""

    targets: int
    expected_churners: float
    expected_stayers: float
    value_at_risk: float

    @classmethod
    def of(cls, probabilities: Sequence[float], values: Sequence[float]) -> Audience:
        p, v = _arrays(probabilities, values)
        return cls(
            targets=len(p),
            expected_churners=float(p.sum()),
            expected_stayers=float((1.0 - p).sum()),
            value_at_risk=float((p * v).sum()),
        )


@dataclass(frozen=True)
class CampaignResult:
    targets: int
    expected_churners: float
    incremental_saves: float
    value_saved: float
    contact_cost: float
    incentive_cost_saved: float
    incentive_cost_non_churners: float
    total_cost: float
    net_benefit: float
    roi: float | None
    cost_per_save: float | None


def simulate(audience: Audience, params: CampaignParams) -> CampaignResult:
    saves = params.save_rate * audience.expected_churners
    value = params.save_rate * audience.value_at_risk
    contact = params.contact_cost * audience.targets
    paid_saved = params.incentive * saves
    paid_stayers = params.incentive * params.redemption_rate * audience.expected_stayers
    cost = contact + paid_saved + paid_stayers
    net = value - cost
    return CampaignResult(
        targets=audience.targets,
        expected_churners=audience.expected_churners,
        incremental_saves=saves,
        value_saved=value,
        contact_cost=contact,
        incentive_cost_saved=paid_saved,
        incentive_cost_non_churners=paid_stayers,
        total_cost=cost,
        net_benefit=net,
        roi=net / cost if cost > 0 else None,
        cost_per_save=cost / saves if saves > 0 else None,
    )


def breakeven_save_rate(audience: Audience, params: CampaignParams) -> float | None:
    """The save rate at which net benefit is zero; None when no save rate can break even.

    s · (Σ p·v − I · Σ p) = C · N + I · r · Σ (1 − p). A value above 1 is returned as is: it
    means the campaign cannot pay for itself even if every churner were saved.
    """
    margin_per_rate = audience.value_at_risk - params.incentive * audience.expected_churners
    fixed = (
        params.contact_cost * audience.targets
        + params.incentive * params.redemption_rate * audience.expected_stayers
    )
    if margin_per_rate <= 0:
        return None
    return fixed / margin_per_rate


def breakeven_incentive(audience: Audience, params: CampaignParams) -> float | None:
    """The incentive at which net benefit is zero; None when even a zero incentive loses money.

    I · (s · Σ p + r · Σ (1 − p)) = s · Σ p·v − C · N.
    """
    earned = params.save_rate * audience.value_at_risk - params.contact_cost * audience.targets
    paid_per_dollar = (
        params.save_rate * audience.expected_churners
        + params.redemption_rate * audience.expected_stayers
    )
    if earned < 0 or audience.targets == 0:
        return None
    if paid_per_dollar == 0:
        return None if earned == 0 else float("inf")
    return earned / paid_per_dollar


def roi_sensitivity(
    audience: Audience, params: CampaignParams, save_rates: Sequence[float]
) -> list[tuple[float, float | None]]:
    """ROI at each save rate, other parameters unchanged."""
    out: list[tuple[float, float | None]] = []
    for rate in save_rates:
        changed = CampaignParams(
            params.incentive, params.contact_cost, float(rate), params.redemption_rate
        )
        out.append((float(rate), simulate(audience, changed).roi))
    return out


def profit_curve(
    probabilities: Sequence[float], values: Sequence[float], params: CampaignParams
) -> tuple[np.ndarray, np.ndarray]:
    """Net benefit of targeting the top k customers by churn probability, for k = 1..N.

    Returns (k, net benefit); the best k is `k[argmax(net)]`.
    """
    p, v = _arrays(probabilities, values)
    order = np.argsort(-p, kind="stable")
    p, v = p[order], v[order]
    k = np.arange(1, len(p) + 1)
    value = params.save_rate * np.cumsum(p * v)
    cost = (
        params.contact_cost * k
        + params.incentive * params.save_rate * np.cumsum(p)
        + params.incentive * params.redemption_rate * np.cumsum(1.0 - p)
    )
    return k, value - cost


def _arrays(probabilities: Sequence[float], values: Sequence[float]) -> tuple[np.ndarray, ...]:
    p = np.asarray(probabilities, dtype=float)
    v = np.asarray(values, dtype=float)
    if p.shape != v.shape:
        raise ValueError("probabilities and values must have the same length")
    if p.size and (np.isnan(p).any() or p.min() < 0 or p.max() > 1):
        raise ValueError("probabilities must be between 0 and 1")
    return p, np.nan_to_num(v, nan=0.0)
