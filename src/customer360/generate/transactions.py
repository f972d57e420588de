"""Card transactions, sampled one chunk of days at a time from the activity multipliers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from customer360.generate import reference
from customer360.generate.calendar import TRAVEL_MONTH_FACTOR
from customer360.generate.churn import NO_ONSET, ChurnPlan
from customer360.generate.customers import Customers

CHANNELS = ("Online", "In-Store", "Mobile")
STATUSES = ("approved", "declined")
SIGMA_BY_SPENDING_TYPE = {"Recurring": 0.15, "Everyday": 0.35, "Occasional": 0.40}
ONLINE_CATEGORIES = {
    "Online Marketplaces": (0.80, 0.02, 0.18),
    "Digital Games": (0.70, 0.05, 0.25),
    "Streaming & Pay TV": (0.85, 0.0, 0.15),
    "Airlines": (0.65, 0.10, 0.25),
    "Travel Agencies & Tour Operators": (0.75, 0.05, 0.20),
    "Hotels & Motels": (0.45, 0.40, 0.15),
    "Taxis & Rideshare": (0.05, 0.15, 0.80),
    "Utilities": (0.75, 0.05, 0.20),
    "Telecommunication Services": (0.70, 0.10, 0.20),
    "Insurance Premiums": (0.80, 0.0, 0.20),
}
DEFAULT_CHANNEL = (0.12, 0.70, 0.18)
HOUR_WEIGHTS = np.array(
    [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 3.8, 4.5, 5.2, 6.0,
     7.0, 6.5, 5.8, 5.5, 5.8, 6.5, 7.2, 6.8, 5.6, 4.2, 2.8, 1.8]
)  # fmt: skip
BASE_DECLINE = 0.016


@dataclass(frozen=True)
class Spending:
    """Per-customer and per-category parameters shared by every chunk."""

    rate: np.ndarray  # expected transactions per day at multiplier 1
    amount_scale: np.ndarray
    group_cdf_by_month: np.ndarray  # (12, n, 5) cumulative group choice
    category_of_group: list[np.ndarray]  # category indices per group
    category_cdf_of_group: list[np.ndarray]
    sigma: np.ndarray  # per category log-sd of amounts
    channel_cdf: np.ndarray  # (categories, 3)
    decline_base: np.ndarray  # per customer


def plan_spending(
    customers: Customers, multiplier_sums: np.ndarray, target_total: float
) -> Spending:
    cats = reference.categories()
    groups = [np.flatnonzero(cats.group == g) for g in range(5)]
    within = [cats.popularity[g] / cats.popularity[g].sum() for g in groups]
    group_mean = np.array(
        [(w * cats.typical_amount[g]).sum() for g, w in zip(groups, within, strict=True)]
    )
    mean_amount = customers.group_mix @ group_mean

    relative = customers.frequency * multiplier_sums
    base = target_total / relative.sum()
    rate = base * customers.frequency
    amount_scale = customers.monthly_spend / (rate * 30.44 * mean_amount)

    weighted = customers.group_mix[None, :, :] * np.ones((12, 1, 5))
    weighted[:, :, 0] *= TRAVEL_MONTH_FACTOR[:, None]
    cdf = np.cumsum(weighted / weighted.sum(axis=2, keepdims=True), axis=2)

    channel = np.array([ONLINE_CATEGORIES.get(name, DEFAULT_CHANNEL) for name in cats.name])
    util = customers.monthly_spend / customers.credit_limit
    return Spending(
        rate=rate,
        amount_scale=amount_scale,
        group_cdf_by_month=cdf,
        category_of_group=groups,
        category_cdf_of_group=[np.cumsum(w) for w in within],
        sigma=np.array([SIGMA_BY_SPENDING_TYPE[t] for t in cats.spending_type]),
        channel_cdf=np.cumsum(channel / channel.sum(axis=1, keepdims=True), axis=1),
        decline_base=BASE_DECLINE + 0.10 * np.clip(util - 0.55, 0.0, 1.0),
    )


@dataclass(frozen=True)
class TxnChunk:
    """Transactions of a day range, in time order."""

    customer: np.ndarray
    day: np.ndarray
    second: np.ndarray
    category: np.ndarray
    merchant: np.ndarray
    cents: np.ndarray
    channel: np.ndarray
    declined: np.ndarray

    def __len__(self) -> int:
        return len(self.customer)


def sample_chunk(
    rng: np.random.Generator,
    day0: int,
    mult: np.ndarray,
    month_of_day: np.ndarray,
    spending: Spending,
    churn: ChurnPlan,
) -> TxnChunk:
    """Transactions for days day0 .. day0 + len(mult) - 1; `mult` is that slice of multipliers."""
    # Systematic rounding instead of Poisson: card holders are more regular than a Poisson process,
    # and the SPEC §5 label (a 30% drop over 90 days) would otherwise fire on noise alone.
    expected = mult * spending.rate[None, :].astype(np.float32)
    counts = np.floor(expected + rng.random(expected.shape, dtype=np.float32)).astype(np.int64)
    flat = np.flatnonzero(counts)
    reps = counts.ravel()[flat]
    day_local, customer = np.divmod(np.repeat(flat, reps), counts.shape[1])
    n = len(customer)
    day = day_local + day0
    second = _seconds(rng, n)
    order = np.argsort(day * 86_400 + second, kind="stable")
    customer, day, second = customer[order], day[order], second[order]

    month = month_of_day[day]
    group = _pick_cdf_rows(spending.group_cdf_by_month[month, customer], rng.random(n))
    category = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    for g, cats in enumerate(spending.category_of_group):
        rows = np.flatnonzero(group == g)
        pick = np.searchsorted(spending.category_cdf_of_group[g], u[rows], side="right")
        category[rows] = cats[np.minimum(pick, len(cats) - 1)]

    ref = reference.categories()
    merchant = ref.merchant_start[category] + (rng.random(n) * ref.merchant_count[category]).astype(
        np.int64
    )
    sigma = spending.sigma[category]
    amount = (
        ref.typical_amount[category]
        * spending.amount_scale[customer]
        * np.exp(sigma * rng.standard_normal(n) - 0.5 * sigma * sigma)
    )
    cents = np.clip(np.round(amount * 100.0), 100, 9_999_999).astype(np.int64)
    channel = _pick_cdf_rows(spending.channel_cdf[category], rng.random(n))

    p_decline = spending.decline_base[customer].copy()
    onset = churn.onset_day[customer]
    fading = (onset != NO_ONSET) & (day >= onset - churn.fade_days[customer])
    p_decline[fading] += 0.06
    declined = rng.random(n) < p_decline
    return TxnChunk(customer, day, second, category, merchant, cents, channel, declined)


def _pick_cdf_rows(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum((u[:, None] >= cdf).sum(axis=1), cdf.shape[1] - 1)


def _seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    cdf = np.cumsum(HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    hour = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), 23)
    return hour * 3600 + rng.integers(0, 3600, n)
