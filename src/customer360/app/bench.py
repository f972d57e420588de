"""Timings of the queries behind each page interaction (no Streamlit needed).

Each interaction runs every query its page needs on a cold cache (the app's cache would make
repeats near-free), so the numbers are the worst case a user meets after a filter change.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from customer360.app import data, spend
from customer360.app.connection import ReadOnlyWarehouse
from customer360.app.data import SegmentFilter, TransactionFilter
from customer360.campaign import Audience, CampaignParams, profit_curve, simulate

Timing = tuple[str, float, float]
DEFAULT_REPEATS = 30


def benchmark_pages(warehouse_path: Path | str, repeats: int = DEFAULT_REPEATS) -> list[Timing]:
    """(interaction, p50 ms, p95 ms) for each page interaction, on `warehouse_path`."""
    wh = ReadOnlyWarehouse(Path(warehouse_path))
    try:
        return _run_all(wh, repeats)
    finally:
        wh.close()


def _run_all(wh: ReadOnlyWarehouse, repeats: int) -> list[Timing]:
    options = data.filter_options(wh)
    ids = data.sample_customer_ids(wh, repeats)
    segments = options.get("segment", []) or [""]
    states = options.get("state", []) or [""]
    filters = [
        SegmentFilter(
            segments=(segments[i % len(segments)],),
            states=tuple(states[i % len(states) : i % len(states) + 3]),
            min_ltv=float(i * 500),
        )
        for i in range(repeats)
    ]
    as_of = data.freshness(wh)["as_of_date"]
    periods = [
        TransactionFilter(start=(as_of - np.timedelta64(90, "D")).date(), end=as_of.date()),
        TransactionFilter(),
        TransactionFilter(statuses=("approved",)),
    ]
    params = CampaignParams(incentive=50.0, contact_cost=2.0, save_rate=0.25)

    def segment_page(i: int) -> None:
        f = filters[i]
        data.filter_options(wh)
        data.segment_summary(wh, f)
        data.segment_mix(wh, f)
        data.risk_mix(wh, f)
        data.customer_list(wh, f, 1000)

    def lookup(i: int) -> None:
        found = data.search_customers(wh, ids[i])
        data.customer_profile(wh, found["customer_id"].iloc[0])
        data.customer_versions(wh, ids[i])

    def name_search(i: int) -> None:
        data.search_customers(wh, ids[i][-4:])

    def transactions(i: int) -> None:
        f = periods[i % len(periods)]
        rows = data.customer_transactions(wh, ids[i], f, 1_000_000)
        spend.daily_spend(rows)
        spend.category_mix(rows)

    def campaign(i: int) -> None:
        f = SegmentFilter(risks=("High Risk", "Medium Risk"), min_risk_score=i)
        targets = data.campaign_audience(wh, f)
        data.unscored_in_audience(wh, f)
        p = targets["churn_probability"].to_numpy(dtype=float)
        v = targets["forward_value"].fillna(0).to_numpy(dtype=float)
        simulate(Audience.of(p, v), params)
        profit_curve(p, v, params)

    def churn(i: int) -> None:
        if "ml.model_runs" in data.existing_tables(wh):
            data.latest_model(wh)
        data.score_distribution(wh)

    def health(i: int) -> None:
        data.freshness(wh)
        data.table_rows(wh)
        data.ingest_batches(wh)
        data.quarantine_by_reason(wh)

    scenarios: list[tuple[str, Callable[[int], None]]] = [
        ("Segment Explorer: filter change", segment_page),
        ("Customer 360: lookup by id", lookup),
        ("Customer 360: partial search", name_search),
        ("Customer 360: transactions + charts", transactions),
        ("Campaign Simulator: audience + economics", campaign),
        ("Churn Model: page", churn),
        ("Data Health: page", health),
    ]
    return [(name, *_time(run, repeats)) for name, run in scenarios]


def _time(run: Callable[[int], None], repeats: int) -> tuple[float, float]:
    run(0)
    samples = []
    for i in range(repeats):
        started = time.perf_counter()
        run(i)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return round(statistics.median(samples), 1), round(p95, 1)
