"""Customer 360 queries: search, profile, SCD2 versions, transactions."""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer360.app.connection import ReadOnlyWarehouse
from customer360.app.data.base import PREDICTIONS, TransactionFilter, existing_tables, frame

_SEARCH_SQL = """
select customer_id, full_name, email, state, customer_segment, card_type
from gold.customer_360_profile
where upper(customer_id) = upper($text)
   or contains(lower(customer_id), $needle)
   or ($ids_only = false and (contains(lower(full_name), $needle)
                              or contains(lower(email), $needle)))
order by upper(customer_id) = upper($text) desc, customer_id
limit $limit
"""

_PROFILE_SQL = "select * from gold.customer_360_profile where customer_id = $customer_id"

_REASONS_SQL = """
select reason_1, reason_2, reason_3, model_version, scored_at
from gold.churn_predictions
where customer_id = $customer_id
"""

_VERSIONS_SQL = """
select version_number, valid_from, valid_to, is_current, card_type, credit_limit, change_reason
from gold.dim_customer
where customer_id = $customer_id
order by valid_from
"""

_CATEGORIES_SQL = "select category_name from gold.dim_merchant_category order by 1"

_TRANSACTION_WHERE = """
where t.customer_id = $customer_id
  and t.transaction_date between $start and $end
  and (len($categories::varchar[]) = 0 or list_contains($categories::varchar[], c.category_name))
  and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], t.status))
"""

_TRANSACTIONS_SQL = (
    "select t.transaction_id, t.transaction_ts, t.transaction_date, t.transaction_amount, "
    "t.merchant_name, c.category_name, c.category_group, t.channel, t.status, t.is_approved "
    "from gold.fct_transactions t "
    "left join gold.dim_merchant_category c using (merchant_category_key)"
    + _TRANSACTION_WHERE
    + "order by t.transaction_ts desc, t.transaction_id limit $limit"
)


def search_customers(
    wh: ReadOnlyWarehouse, text: str, ids_only: bool = False, limit: int = 25
) -> pd.DataFrame:
    needle = text.strip().lower()
    params = {"text": text.strip(), "needle": needle, "ids_only": ids_only, "limit": int(limit)}
    return frame(wh, _SEARCH_SQL, params)


def customer_profile(wh: ReadOnlyWarehouse, customer_id: str) -> dict[str, Any] | None:
    """The profile row plus reason codes (None when the customer does not exist)."""
    rows = frame(wh, _PROFILE_SQL, {"customer_id": customer_id})
    if rows.empty:
        return None
    profile = rows.iloc[0].to_dict()
    profile["reasons"] = []
    if PREDICTIONS in existing_tables(wh):
        reasons = frame(wh, _REASONS_SQL, {"customer_id": customer_id})
        if not reasons.empty:
            first = reasons.iloc[0]
            profile["reasons"] = [
                r for r in (first["reason_1"], first["reason_2"], first["reason_3"]) if r
            ]
    return profile


def customer_versions(wh: ReadOnlyWarehouse, customer_id: str) -> pd.DataFrame:
    return frame(wh, _VERSIONS_SQL, {"customer_id": customer_id})


def transaction_categories(wh: ReadOnlyWarehouse) -> list[str]:
    return list(frame(wh, _CATEGORIES_SQL)["category_name"])


def customer_transactions(
    wh: ReadOnlyWarehouse, customer_id: str, f: TransactionFilter, limit: int = 1000
) -> pd.DataFrame:
    """Newest first. One scan feeds the table and both charts (see `spend.py`)."""
    return frame(wh, _TRANSACTIONS_SQL, f.params(customer_id) | {"limit": int(limit)})


_SAMPLE_SQL = """
select customer_id from gold.customer_360_profile
order by hash(customer_id || $seed) limit $n
"""


def sample_customer_ids(wh: ReadOnlyWarehouse, n: int, seed: str = "c360") -> list[str]:
    """A deterministic pseudo-random sample of customer ids (for benchmarks)."""
    return list(frame(wh, _SAMPLE_SQL, {"n": int(n), "seed": seed})["customer_id"])
