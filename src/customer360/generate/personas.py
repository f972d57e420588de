"""Hidden personas: how each kind of card holder spends. Never written to the landing files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    """Spending behaviour of one hidden persona.

    `monthly_spend` is the median steady-state monthly spend (dollars) and `spend_sigma` its
    log-scale spread across customers; `frequency` is relative to the portfolio average;
    `group_mix` weights the category groups (Travel, Dining & Entertainment, Necessities, Retail,
    Other) and `mix_concentration` sets how tightly customers follow it (lower = noisier).
    `churn_per_year` is the baseline churn hazard.
    """

    name: str
    share: float
    monthly_spend: float
    spend_sigma: float
    frequency: float
    group_mix: tuple[float, float, float, float, float]
    mix_concentration: float
    churn_per_year: float


HIGH_VALUE_TRAVELER = Persona(
    name="High-Value Travelers",
    share=0.13,
    monthly_spend=8_200.0,
    spend_sigma=0.32,
    frequency=1.9,
    group_mix=(0.42, 0.20, 0.16, 0.15, 0.07),
    mix_concentration=40.0,
    churn_per_year=0.07,
)
STABLE_MID_SPENDER = Persona(
    name="Stable Mid-Spenders",
    share=0.41,
    monthly_spend=2_400.0,
    spend_sigma=0.45,
    frequency=1.05,
    group_mix=(0.10, 0.20, 0.40, 0.20, 0.10),
    mix_concentration=25.0,
    churn_per_year=0.09,
)
BUDGET_CONSCIOUS = Persona(
    name="Budget-Conscious",
    share=0.255,
    monthly_spend=650.0,
    spend_sigma=0.40,
    frequency=0.85,
    group_mix=(0.02, 0.07, 0.76, 0.10, 0.05),
    mix_concentration=60.0,
    churn_per_year=0.10,
)
DECLINING = Persona(
    name="Declining",
    share=0.06,
    monthly_spend=2_900.0,
    spend_sigma=0.40,
    frequency=1.0,
    group_mix=(0.10, 0.20, 0.40, 0.20, 0.10),
    mix_concentration=25.0,
    churn_per_year=0.30,
)
NEW_AND_GROWING = Persona(
    name="New & Growing",
    share=0.145,
    monthly_spend=1_900.0,
    spend_sigma=0.45,
    frequency=1.0,
    group_mix=(0.08, 0.24, 0.38, 0.22, 0.08),
    mix_concentration=25.0,
    churn_per_year=0.08,
)

PERSONAS: tuple[Persona, ...] = (
    HIGH_VALUE_TRAVELER,
    STABLE_MID_SPENDER,
    BUDGET_CONSCIOUS,
    DECLINING,
    NEW_AND_GROWING,
)
HVT, STABLE, BUDGET, DECL, NEW = range(len(PERSONAS))
