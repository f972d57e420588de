"""Dated customer changes: card and limit changes (SCD2), email and city (type 1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from customer360.generate.customers import CARD_TYPES, EMAIL_DOMAINS, Customers, cities_in_state
from customer360.generate.personas import DECL
from customer360.generate.reference import places

CARD_FLOOR = np.array([1_000.0, 5_000.0, 15_000.0])


@dataclass(frozen=True)
class Changes:
    """Long format, sorted by (effective_day, customer). Values are already text."""

    customer: np.ndarray
    day: np.ndarray
    attribute: list[str]
    new_value: list[str]


def build_changes(rng: np.random.Generator, customers: Customers, days: int) -> Changes:
    n = customers.n
    first_day = np.maximum(customers.open_day + 30, 0)
    eligible = first_day < days - 1
    rows: list[tuple[int, int, str, str]] = []

    p_type2 = np.where(customers.persona == DECL, 0.22, 0.12)
    who = np.flatnonzero(eligible & (rng.random(n) < p_type2))
    for i in who.tolist():
        card = int(customers.card_type[i])
        limit = float(customers.credit_limit[i])
        events = 1 + int(rng.random() < 0.3)
        when = np.sort(rng.integers(first_day[i], days, events))
        for day in when.tolist():
            u = rng.random()
            declining = customers.persona[i] == DECL
            if u < 0.25 and card < 2 and not declining:
                card += 1
                limit = max(limit * rng.uniform(1.3, 2.0), CARD_FLOOR[card])
                rows.append((i, day, "card_type", CARD_TYPES[card]))
            elif u < 0.35 and card > 0:
                card -= 1
                limit = limit * rng.uniform(0.5, 0.8)
                rows.append((i, day, "card_type", CARD_TYPES[card]))
            elif u < 0.8 and not declining:
                limit = limit * rng.uniform(1.1, 1.6)
            else:
                limit = limit * rng.uniform(0.6, 0.9)
            limit = max(500.0, round(limit / 500.0) * 500.0)
            rows.append((i, day, "credit_limit", f"{limit:.2f}"))

    who = np.flatnonzero(eligible & (rng.random(n) < 0.02))
    for i in who.tolist():
        local, _ = customers.email[i].split("@")
        domain = EMAIL_DOMAINS[int(rng.integers(0, len(EMAIL_DOMAINS)))]
        day = int(rng.integers(first_day[i], days))
        rows.append((i, day, "email", f"{local}{int(rng.integers(1, 100))}@{domain}"))

    who = np.flatnonzero(eligible & (rng.random(n) < 0.02))
    new_city = cities_in_state(rng, customers.state[who])
    city_names = places().city
    for i, city in zip(who.tolist(), new_city.tolist(), strict=True):
        if city == customers.city[i]:
            continue
        rows.append((i, int(rng.integers(first_day[i], days)), "city", city_names[city]))

    rows.sort(key=lambda r: (r[1], r[0]))
    return Changes(
        customer=np.array([r[0] for r in rows], dtype=np.int64),
        day=np.array([r[1] for r in rows], dtype=np.int64),
        attribute=[r[2] for r in rows],
        new_value=[r[3] for r in rows],
    )
