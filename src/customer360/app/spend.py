"""Daily and per-category spend derived from a customer's transaction rows (no SQL)."""

from __future__ import annotations

import pandas as pd


def approved(transactions: pd.DataFrame) -> pd.DataFrame:
    return transactions[transactions["is_approved"].fillna(False).astype(bool)]


def daily_spend(transactions: pd.DataFrame) -> pd.DataFrame:
    rows = approved(transactions)
    daily = rows.groupby("transaction_date", as_index=False).agg(
        spend=("transaction_amount", "sum"), transactions=("transaction_id", "count")
    )
    daily["spend"] = daily["spend"].astype(float)
    return daily.sort_values("transaction_date")


def category_mix(transactions: pd.DataFrame) -> pd.DataFrame:
    rows = approved(transactions).assign(
        category_name=lambda f: f["category_name"].fillna("Unknown")
    )
    mix = rows.groupby("category_name", as_index=False)["transaction_amount"].sum()
    mix = mix.rename(columns={"transaction_amount": "spend"})
    mix["spend"] = mix["spend"].astype(float)
    return mix.sort_values("spend", ascending=False)
