"""Card transactions, sampled one chunk of days at a time from the activity multipliers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from customer360.generate import reference
from customer360.generate.calendar import TRAVEL_MONTH_FACTOR
from customer360.generate.churn import NO_ONSET, ChurnPlan
from customer360.generate.customers import Customers
from customer360.generate.personas import HVT, PERSONAS

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
COUNT_JITTER = 0.7
GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
CATEGORY_JITTER = 0.1
NECESSITIES = 2
BIG_TICKET_DAMPING = 0.8
FADE_NARROWING = 0.6  # share of a fading customer's purchases moved to necessities at onset
FADE_DECLINES = 0.10  # extra decline probability at onset, ramping up through the fade


@dataclass(frozen=True)
class Spending:
    """Per-customer and per-category parameters shared by every chunk."""

    rate: np.ndarray  # expected transactions per day at multiplier 1
    amount_scale: np.ndarray
    group_cdf_by_month: np.ndarray  # (12, n, 5) cumulative group choice
    category_of_group: list[np.ndarray]  # category indices per group
    category_cdf_of_group: list[np.ndarray]  # per group: (personas, members) cumulative choice
    within_group: np.ndarray  # (personas, categories) choice weights, summing to 1 per group
    persona: np.ndarray
    sigma: np.ndarray  # per category log-sd of amounts
    channel_cdf: np.ndarray  # (categories, 3)
    decline_base: np.ndarray  # per customer
    phase: np.ndarray  # (6, customers) starts of the group and the 5 within-group sequences
    count_phase: np.ndarray  # per customer offset of the purchase clock, in [0, 1 - jitter)
    # Running state, advanced chunk by chunk (the arrays are updated in place):
    seen: np.ndarray  # (6, customers) draws taken from each sequence so far
    expected_so_far: np.ndarray  # expected transactions so far (the purchase clock)
    clock_level: np.ndarray  # integer crossings of the purchase clock so far


def plan_spending(
    rng: np.random.Generator,
    customers: Customers,
    multiplier_sums: np.ndarray,
    target_total: float,
) -> Spending:
    cats = reference.categories()
    groups = [np.flatnonzero(cats.group == g) for g in range(5)]
    within = within_group_weights(cats)
    mean_amount = mean_typical_amount(customers.persona, customers.group_mix, within, cats)

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
        category_cdf_of_group=[np.cumsum(within[:, g], axis=1) for g in groups],
        within_group=within,
        persona=customers.persona,
        sigma=np.array([SIGMA_BY_SPENDING_TYPE[t] for t in cats.spending_type]),
        channel_cdf=np.cumsum(channel / channel.sum(axis=1, keepdims=True), axis=1),
        decline_base=BASE_DECLINE + 0.10 * np.clip(util - 0.55, 0.0, 1.0),
        phase=rng.random((6, customers.n)),
        count_phase=rng.uniform(0.0, 1.0 - COUNT_JITTER, customers.n),
        seen=np.zeros((6, customers.n), dtype=np.int64),
        expected_so_far=np.zeros(customers.n),
        clock_level=np.zeros(customers.n),
    )


def within_group_weights(cats: reference.Categories) -> np.ndarray:
    """(personas, categories): how each persona picks a category inside its group.

    Everyone but the travellers buys big tickets (cruises, tuition, furniture) less often than
    their popularity says: popularity × (amount / group median)^-BIG_TICKET_DAMPING.
    """
    out = np.empty((len(PERSONAS), len(cats.name)))
    for g in range(5):
        members = np.flatnonzero(cats.group == g)
        relative = cats.typical_amount[members] / np.median(cats.typical_amount[members])
        for k in range(len(PERSONAS)):
            damping = 0.0 if k == HVT else BIG_TICKET_DAMPING
            w = cats.popularity[members] * relative**-damping
            out[k, members] = w / w.sum()
    return out


def mean_typical_amount(
    persona: np.ndarray, group_mix: np.ndarray, within: np.ndarray, cats: reference.Categories
) -> np.ndarray:
    """Expected typical amount of one purchase per customer (before `amount_scale`)."""
    group_mean = np.stack(
        [(within[:, cats.group == g] * cats.typical_amount[cats.group == g]).sum(axis=1)
         for g in range(5)],
        axis=1,
    )  # fmt: skip
    return (group_mix * group_mean[persona]).sum(axis=1)


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
    counts = _purchase_counts(rng, mult, spending)
    flat = np.flatnonzero(counts)
    reps = counts.ravel()[flat]
    day_local, customer = np.divmod(np.repeat(flat, reps), counts.shape[1])
    n = len(customer)
    day = day_local + day0
    second = _seconds(rng, n)
    order = np.argsort(day * 86_400 + second, kind="stable")
    customer, day, second = customer[order], day[order], second[order]

    month = month_of_day[day]
    u = _sequence(rng, customer, spending.seen[0], spending.phase[0])
    group = _pick_cdf_rows(spending.group_cdf_by_month[month, customer], u)
    onset = churn.onset_day[customer]
    into_fade = np.clip(
        (day - (onset - churn.fade_days[customer])) / np.maximum(churn.fade_days[customer], 1),
        0.0,
        1.0,
    )
    fading = (onset != NO_ONSET) & (day >= onset - churn.fade_days[customer])
    # A fading customer keeps paying for necessities and drops the discretionary groups first.
    narrowed = fading & (rng.random(n) < FADE_NARROWING * into_fade)
    group[narrowed] = NECESSITIES
    category = np.empty(n, dtype=np.int64)
    for g, cats in enumerate(spending.category_of_group):
        rows = np.flatnonzero(group == g)
        who = customer[rows]
        v = _sequence(rng, who, spending.seen[g + 1], spending.phase[g + 1])
        pick = _pick_cdf_rows(spending.category_cdf_of_group[g][spending.persona[who]], v)
        category[rows] = cats[pick]

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

    p_decline = spending.decline_base[customer] + FADE_DECLINES * into_fade * fading
    declined = rng.random(n) < p_decline
    return TxnChunk(customer, day, second, category, merchant, cents, channel, declined)


def _purchase_counts(rng: np.random.Generator, mult: np.ndarray, spending: Spending) -> np.ndarray:
    """(days, customers) purchase counts from a jittered per-customer purchase clock.

    A purchase happens each time the running expected count (plus a phase and a daily jitter)
    crosses an integer. Card holders are far more regular than a Poisson process: a quarter's
    count stays within two of its expectation, so the SPEC §5 label (a 30% drop over 90 days)
    does not fire on counting noise, while the jitter keeps the gaps between purchases irregular.
    """
    expected = mult * spending.rate[None, :].astype(np.float32)
    clock = spending.expected_so_far[None, :] + np.cumsum(expected, axis=0, dtype=np.float64)
    jitter = COUNT_JITTER * rng.random(expected.shape, dtype=np.float32)
    level = np.floor(clock + spending.count_phase[None, :] + jitter)
    level = np.maximum.accumulate(np.vstack([spending.clock_level[None, :], level]), axis=0)
    counts = np.diff(level, axis=0).astype(np.int64)
    counts[expected <= 0.0] = 0  # never before opening or after activity stops
    spending.expected_so_far[:] = clock[-1]
    spending.clock_level[:] = level[-1]
    return counts


def _sequence(
    rng: np.random.Generator, customer: np.ndarray, seen: np.ndarray, phase: np.ndarray
) -> np.ndarray:
    """Per-customer low-discrepancy uniforms (jittered Weyl sequences), one per row in order.

    Used for the group, then the category inside the group: card holders buy groceries every
    week and fly a few times a year. Independent draws would bunch big tickets into some
    quarters and leave others empty, and that lumpiness alone would trip the SPEC §5 30%-drop
    label for many steady customers. `seen` (draws taken per customer) is advanced in place.
    """
    order = np.argsort(customer, kind="stable")
    ranked = customer[order]
    rank = np.empty(len(customer), dtype=np.int64)
    rank[order] = np.arange(len(customer)) - np.searchsorted(ranked, ranked, side="left")
    index = seen[customer] + rank
    seen += np.bincount(customer, minlength=len(seen))
    jitter = CATEGORY_JITTER * rng.random(len(customer))
    return (phase[customer] + index * GOLDEN + jitter) % 1.0


def _pick_cdf_rows(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum((u[:, None] >= cdf).sum(axis=1), cdf.shape[1] - 1)


def _seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    cdf = np.cumsum(HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    hour = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), 23)
    return hour * 3600 + rng.integers(0, 3600, n)
