"""Loaders for the shared reference CSVs in `customer360/reference/`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

GROUPS = ("Travel", "Dining & Entertainment", "Necessities", "Retail", "Other")


def _rows(name: str) -> list[dict[str, str]]:
    text = files("customer360.reference").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Categories:
    """Merchant categories, indexed 0..n-1 in file order."""

    name: tuple[str, ...]
    mcc: tuple[str, ...]
    spending_type: tuple[str, ...]
    group: np.ndarray  # index into GROUPS
    typical_amount: np.ndarray
    popularity: np.ndarray
    merchant_names: tuple[str, ...]  # all merchants, grouped by category
    merchant_start: np.ndarray  # first merchant index per category
    merchant_count: np.ndarray


@dataclass(frozen=True)
class Places:
    """US states with population weights, and real cities per state."""

    state: tuple[str, ...]
    state_weight: np.ndarray
    city: tuple[str, ...]  # all cities, grouped by state
    city_state: np.ndarray  # state index per city
    city_weight: np.ndarray


@dataclass(frozen=True)
class Names:
    first: tuple[str, ...]
    first_weight: np.ndarray
    last: tuple[str, ...]
    last_weight: np.ndarray


@cache
def categories() -> Categories:
    rows = _rows("merchant_categories.csv")
    merchants = _rows("merchants.csv")
    names = tuple(r["category_name"] for r in rows)
    by_cat: dict[str, list[str]] = {n: [] for n in names}
    for m in merchants:
        by_cat[m["category_name"]].append(m["merchant_name"])
    counts = np.array([len(by_cat[n]) for n in names])
    return Categories(
        name=names,
        mcc=tuple(r["mcc"] for r in rows),
        spending_type=tuple(r["spending_type"] for r in rows),
        group=np.array([GROUPS.index(r["category_group"]) for r in rows]),
        typical_amount=np.array([float(r["typical_amount"]) for r in rows]),
        popularity=np.array([float(r["popularity"]) for r in rows]),
        merchant_names=tuple(m for n in names for m in by_cat[n]),
        merchant_start=np.concatenate([[0], np.cumsum(counts)[:-1]]),
        merchant_count=counts,
    )


@cache
def places() -> Places:
    states = _rows("us_states.csv")
    cities = _rows("us_cities.csv")
    codes = tuple(r["state"] for r in states)
    return Places(
        state=codes,
        state_weight=np.array([float(r["population_thousands"]) for r in states]),
        city=tuple(r["city"] for r in cities),
        city_state=np.array([codes.index(r["state"]) for r in cities]),
        city_weight=np.array([float(r["weight"]) for r in cities]),
    )


@cache
def names() -> Names:
    first = _rows("first_names.csv")
    last = _rows("last_names.csv")
    return Names(
        first=tuple(r["first_name"] for r in first),
        first_weight=np.array([float(r["weight"]) for r in first]),
        last=tuple(r["last_name"] for r in last),
        last_weight=np.array([float(r["weight"]) for r in last]),
    )
