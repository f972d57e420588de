"""Ground truth for model evaluation: personas, churn onsets, true churn probabilities."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from customer360.generate import formatting as fmt
from customer360.generate import reference
from customer360.generate.calendar import Calendar
from customer360.generate.churn import NO_ONSET, ChurnPlan
from customer360.generate.customers import Customers
from customer360.generate.personas import PERSONAS
from customer360.generate.transactions import Spending, mean_typical_amount

PRIOR_DAYS = 90
NO_TXN_DAYS = 60
OUTCOME_DAYS = 90
DROP_RATIO = 0.70
MIN_TENURE_DAYS = 90
ONSET_HORIZON_DAYS = 182
COUNT_VARIANCE = 0.5  # a quarter's count is its expectation within ±1 (clock phase and jitter)


def customers_truth(c: Customers, churn: ChurnPlan, cal: Calendar) -> pa.Table:
    horizon = cal.as_of_day + ONSET_HORIZON_DAYS
    has = (churn.onset_day != NO_ONSET) & (churn.onset_day <= horizon)
    onset = fmt.dates(np.datetime64(cal.start), np.where(has, churn.onset_day, 0))
    onset = pa.array(
        [v if h else None for v, h in zip(onset.to_pylist(), has.tolist(), strict=True)]
    )
    return pa.table(
        {
            "customer_id": fmt.ids("CUST", np.arange(c.n) + 1, 8),
            "persona": fmt.choose([p.name for p in PERSONAS], c.persona),
            "churn_onset_date": onset.cast(pa.string()),
        }
    )


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    erf = np.vectorize(math.erf, otypes=[float])
    return 0.5 * (1.0 + erf(x / math.sqrt(2.0)))


def churn_probabilities(
    c: Customers,
    churn: ChurnPlan,
    spending: Spending,
    cal: Calendar,
    mult: np.ndarray,
    mult_no_churn: np.ndarray,
    spend: np.ndarray,
    cv2: np.ndarray,
) -> pa.Table:
    """P(label event after cutoff) per eligible customer and month-end cutoff (SPEC §5 label).

    `spend` is approved spend per (day, customer) over the history. The label is: no approved
    transaction in (C, C+60d], or spend in (C, C+90d] < 70% of spend in the 90 days up to C.
    Counts follow the purchase clock; 90-day spend is taken as normal (amount spread only).
    """
    cum = np.vstack(
        [np.zeros((1, c.n), dtype=np.float64), np.cumsum(spend, axis=0, dtype=np.float64)]
    )
    mean_amount = spending.amount_scale * mean_typical_amount(
        c.persona, c.group_mix, spending.within_group, reference.categories()
    )
    approve = 1.0 - spending.decline_base
    out_ids, out_days, out_p = [], [], []
    for cut in cal.month_ends():
        before = cum[cut + 1] - cum[cut + 1 - PRIOR_DAYS]
        eligible = (before > 0) & (c.open_day <= cut - MIN_TENURE_DAYS)
        idx = np.flatnonzero(eligible)
        if idx.size == 0:
            continue
        fading_by_cut = churn.onset_day[idx] - churn.fade_days[idx] <= cut
        window = slice(cut + 1, cut + 1 + OUTCOME_DAYS)
        path = np.where(fading_by_cut[None, :], mult[window][:, idx], mult_no_churn[window][:, idx])
        lam = path * (spending.rate[idx] * approve[idx])[None, :]
        lam90 = lam.sum(axis=0)
        mu = lam90 * mean_amount[idx]
        var = mean_amount[idx] ** 2 * (lam90 * cv2[idx] + COUNT_VARIANCE)
        p_drop = _normal_cdf((DROP_RATIO * before[idx] - mu) / (np.sqrt(var) + 1e-9))
        # The purchase clock (`transactions`) fires at least once when 60 days expect one or more.
        p_silent = np.clip(1.0 - lam[:NO_TXN_DAYS].sum(axis=0), 0.0, 1.0)
        p_path = 1.0 - (1.0 - p_silent) * (1.0 - p_drop)

        h = churn.hazard_at(cut, cal.days)[idx]
        p_on_early = 1.0 - np.exp(-h * NO_TXN_DAYS)
        p_on_late = np.exp(-h * NO_TXN_DAYS) - np.exp(-h * OUTCOME_DAYS)
        p_future = p_on_early * 0.97 + p_on_late * 0.5 + (1 - p_on_early - p_on_late) * p_path
        p = np.where(fading_by_cut, p_path, p_future)
        out_ids.append(idx)
        out_days.append(np.full(idx.size, cut))
        out_p.append(np.clip(p, 0.0, 1.0))
    ids = np.concatenate(out_ids)
    days = np.concatenate(out_days)
    order = np.lexsort((ids, days))
    return pa.table(
        {
            "customer_id": fmt.ids("CUST", ids[order] + 1, 8),
            "cutoff_date": fmt.dates(np.datetime64(cal.start), days[order]),
            "true_churn_probability": pa.array(np.round(np.concatenate(out_p)[order], 4)).cast(
                pa.string()
            ),
        }
    )


def amount_cv2(c: Customers, spending: Spending) -> np.ndarray:
    """Squared coefficient of variation of one transaction amount, per customer.

    Categories follow a low-discrepancy sequence per customer (`transactions`), so over a
    quarter only the spread of amounts within a category is left, not the category lottery.
    """
    cats = reference.categories()
    m1 = mean_typical_amount(c.persona, c.group_mix, spending.within_group, cats)
    spread = cats.typical_amount**2 * np.expm1(spending.sigma**2)
    m2 = np.zeros((c.n,))
    for g in range(5):
        members = cats.group == g
        per_persona = (spending.within_group[:, members] * spread[members]).sum(axis=1)
        m2 += c.group_mix[:, g] * per_persona[c.persona]
    return m2 / (m1**2)
