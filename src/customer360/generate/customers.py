"""Customer profiles: identity, place, card, credit limit, account opening and hidden persona."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from customer360.generate import reference
from customer360.generate.personas import NEW, PERSONAS

EMPLOYMENT = ("Employed", "Self-Employed", "Retired", "Student", "Unemployed")
CARD_TYPES = ("Standard", "Premium", "Platinum")
EMAIL_DOMAINS = (
    "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com",
    "comcast.net", "proton.me", "att.net", "live.com",
)  # fmt: skip
EMAIL_DOMAIN_WEIGHTS = np.array([40, 14, 10, 8, 9, 4, 3, 2, 2, 2], dtype=float)
NEW_ACCOUNT_MAX_AGE_DAYS = 175


@dataclass(frozen=True)
class Customers:
    """One entry per customer (index i is `CUST` + zero-padded i + 1); days from history start."""

    persona: np.ndarray
    first_name: list[str]
    last_name: list[str]
    email: list[str]
    age: np.ndarray
    state: np.ndarray  # index into reference.places().state
    city: np.ndarray  # index into reference.places().city
    employment: np.ndarray
    card_type: np.ndarray
    credit_limit: np.ndarray
    open_day: np.ndarray
    monthly_spend: np.ndarray  # steady-state target, dollars
    frequency: np.ndarray  # relative transaction rate
    group_mix: np.ndarray  # (n, 5) category-group weights

    @property
    def n(self) -> int:
        return len(self.persona)


def _weighted(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    cdf = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def build_customers(rng: np.random.Generator, n: int, days: int) -> Customers:
    shares = np.array([p.share for p in PERSONAS])
    persona = _weighted(rng, shares, n)

    median = np.array([p.monthly_spend for p in PERSONAS])[persona]
    sigma = np.array([p.spend_sigma for p in PERSONAS])[persona]
    monthly = median * np.exp(sigma * rng.standard_normal(n))
    frequency = np.array([p.frequency for p in PERSONAS])[persona] * rng.lognormal(0, 0.25, n)

    mix = np.empty((n, 5))
    for k, p in enumerate(PERSONAS):
        idx = np.flatnonzero(persona == k)
        alpha = np.array(p.group_mix) * p.mix_concentration
        mix[idx] = rng.dirichlet(alpha, len(idx))

    names = reference.names()
    first_idx = _weighted(rng, names.first_weight, n)
    last_idx = _weighted(rng, names.last_weight, n)
    first = [names.first[i] for i in first_idx]
    last = [names.last[i] for i in last_idx]
    email = _emails(rng, first, last)

    age = _ages(rng, persona)
    employment = _employment(rng, age)

    places = reference.places()
    state = _weighted(rng, places.state_weight, n)
    city = _cities_in(rng, state, places)

    card_type, credit_limit = _cards(rng, monthly)
    open_day = _open_days(rng, persona, days)
    return Customers(
        persona=persona,
        first_name=first,
        last_name=last,
        email=email,
        age=age,
        state=state,
        city=city,
        employment=employment,
        card_type=card_type,
        credit_limit=credit_limit,
        open_day=open_day,
        monthly_spend=monthly,
        frequency=frequency,
        group_mix=mix,
    )


def cities_in_state(rng: np.random.Generator, state: np.ndarray) -> np.ndarray:
    """A weighted random real city inside each given state."""
    return _cities_in(rng, state, reference.places())


def _cities_in(rng: np.random.Generator, state: np.ndarray, places: reference.Places) -> np.ndarray:
    city = np.empty(len(state), dtype=np.int64)
    u = rng.random(len(state))
    for s in range(len(places.state)):
        rows = np.flatnonzero(state == s)
        if rows.size == 0:
            continue
        options = np.flatnonzero(places.city_state == s)
        cdf = np.cumsum(places.city_weight[options])
        cdf /= cdf[-1]
        pick = np.minimum(np.searchsorted(cdf, u[rows], side="right"), len(options) - 1)
        city[rows] = options[pick]
    return city


def _emails(rng: np.random.Generator, first: list[str], last: list[str]) -> list[str]:
    domain = _weighted(rng, EMAIL_DOMAIN_WEIGHTS, len(first))
    pattern = rng.integers(0, 4, len(first))
    number = rng.integers(1, 1000, len(first))
    seen: set[str] = set()
    out = []
    for i, (f, la) in enumerate(zip(first, last, strict=True)):
        f, la = f.lower(), la.lower().replace(" ", "").replace("'", "")
        local = (f"{f}.{la}", f"{f}{la}{number[i] % 100}", f"{f[0]}{la}{number[i]}", f"{la}.{f}")[
            pattern[i]
        ]
        address = f"{local}@{EMAIL_DOMAINS[domain[i]]}"
        if address in seen:
            address = f"{local}{i + 1}@{EMAIL_DOMAINS[domain[i]]}"
        seen.add(address)
        out.append(address)
    return out


def _ages(rng: np.random.Generator, persona: np.ndarray) -> np.ndarray:
    center = np.where(persona == NEW, 31.0, 46.0)
    return np.clip(np.round(rng.normal(center, 13.0)), 22, 75).astype(np.int64)


def _employment(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    u = rng.random(len(age))
    status = np.zeros(len(age), dtype=np.int64)
    status[u > 0.80] = 1
    status[u > 0.95] = 4
    status[(age >= 62) & (rng.random(len(age)) < 0.65)] = 2
    status[(age <= 25) & (rng.random(len(age)) < 0.35)] = 3
    return status


def _cards(rng: np.random.Generator, monthly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    score = np.log(monthly) + rng.normal(0, 0.35, len(monthly))
    card = np.where(score > np.log(5_500), 2, np.where(score > np.log(1_900), 1, 0))
    floor = np.array([1_000.0, 5_000.0, 15_000.0])[card]
    cap = np.array([15_000.0, 35_000.0, 100_000.0])[card]
    headroom = rng.lognormal(np.log(3.2), 0.35, len(monthly))
    tight = rng.random(len(monthly)) < 0.10  # credit-constrained holders run near their limit
    headroom[tight] = rng.uniform(1.05, 1.6, tight.sum())
    limit = np.clip(monthly * headroom, floor, cap)
    return card, np.round(limit / 500.0) * 500.0


def _open_days(rng: np.random.Generator, persona: np.ndarray, days: int) -> np.ndarray:
    n = len(persona)
    years_before = rng.gamma(2.0, 2.5, n) + 0.1
    open_day = -np.ceil(years_before * 365.25).astype(np.int64)
    new = persona == NEW
    open_day[new] = days - 1 - rng.integers(7, NEW_ACCOUNT_MAX_AGE_DAYS + 1, new.sum())
    return open_day
