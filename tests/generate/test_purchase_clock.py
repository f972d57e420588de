from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from customer360.generate.transactions import COUNT_JITTER, _purchase_counts, _sequence

CUSTOMERS = 500
QUARTER = 90


def _clock(rng: np.random.Generator, rate: np.ndarray) -> SimpleNamespace:
    return SimpleNamespace(
        rate=rate,
        expected_so_far=np.zeros(len(rate)),
        count_phase=rng.uniform(0.0, 1.0 - COUNT_JITTER, len(rate)),
        clock_level=np.zeros(len(rate)),
    )


def test_a_quarters_purchase_count_stays_within_two_of_its_expectation():
    rng = np.random.default_rng(5)
    rate = rng.uniform(0.05, 2.0, CUSTOMERS)
    mult = rng.uniform(0.5, 1.5, (4 * QUARTER, CUSTOMERS)).astype(np.float32)
    counts = _purchase_counts(rng, mult, _clock(rng, rate))
    for q in range(4):
        window = slice(q * QUARTER, (q + 1) * QUARTER)
        expected = (mult[window] * rate[None, :]).sum(axis=0)
        assert np.abs(counts[window].sum(axis=0) - expected).max() <= 2.0


def test_big_ticket_categories_are_spread_over_the_year_not_bunched():
    rng = np.random.default_rng(9)
    draws, customers = 240, 50
    customer = np.repeat(np.arange(customers), draws)
    u = _sequence(rng, customer, np.zeros(customers, dtype=np.int64), rng.random(customers))
    big = 0.2  # a big-ticket group taking a fifth of the draws: 12 expected per 60 draws

    def block_counts(v: np.ndarray) -> np.ndarray:
        return (v.reshape(customers, draws) < big).reshape(customers, 4, draws // 4).sum(axis=2)

    spread = np.abs(block_counts(u) - 12).max()
    independent = np.abs(block_counts(rng.random(len(customer))) - 12).max()
    assert spread <= 4 < independent
