"""Arrow tables (all text columns) in the landing-file layout of docs/landing-format.md."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from customer360.generate import formatting as fmt
from customer360.generate import reference
from customer360.generate.changes import Changes
from customer360.generate.customers import CARD_TYPES, EMPLOYMENT, Customers
from customer360.generate.transactions import CHANNELS, STATUSES, TxnChunk


def customers_table(c: Customers, rows: np.ndarray, start: np.datetime64) -> pa.Table:
    places = reference.places()
    pick = rows.tolist()
    return pa.table(
        {
            "customer_id": fmt.ids("CUST", rows + 1, 8),
            "first_name": pa.array([c.first_name[i] for i in pick], pa.string()),
            "last_name": pa.array([c.last_name[i] for i in pick], pa.string()),
            "email": pa.array([c.email[i] for i in pick], pa.string()),
            "age": pa.array(c.age[rows]).cast(pa.string()),
            "state": fmt.choose(places.state, c.state[rows]),
            "city": fmt.choose(places.city, c.city[rows]),
            "employment_status": fmt.choose(EMPLOYMENT, c.employment[rows]),
            "card_type": fmt.choose(CARD_TYPES, c.card_type[rows]),
            "credit_limit": fmt.money(np.round(c.credit_limit[rows] * 100).astype(np.int64)),
            "account_open_date": fmt.dates(start, c.open_day[rows]),
        }
    )


def changes_table(
    ch: Changes, rows: np.ndarray, first_number: int, start: np.datetime64
) -> pa.Table:
    return pa.table(
        {
            "change_id": fmt.ids("CHG", np.arange(len(rows)) + first_number, 10),
            "customer_id": fmt.ids("CUST", ch.customer[rows] + 1, 8),
            "effective_date": fmt.dates(start, ch.day[rows]),
            "attribute": pa.array([ch.attribute[i] for i in rows.tolist()], pa.string()),
            "new_value": pa.array([ch.new_value[i] for i in rows.tolist()], pa.string()),
        }
    )


def transactions_table(t: TxnChunk, first_number: int, start: np.datetime64) -> pa.Table:
    cats = reference.categories()
    return pa.table(
        {
            "transaction_id": fmt.ids("TXN", np.arange(len(t), dtype=np.int64) + first_number, 12),
            "customer_id": fmt.ids("CUST", t.customer + 1, 8),
            "transaction_ts": fmt.timestamps(start, t.day, t.second),
            "amount": fmt.money(t.cents),
            "merchant_name": fmt.choose(cats.merchant_names, t.merchant),
            "merchant_category": fmt.choose(cats.name, t.category),
            "mcc": fmt.choose(cats.mcc, t.category),
            "channel": fmt.choose(CHANNELS, t.channel),
            "status": fmt.choose(STATUSES, t.declined.astype(np.int64)),
        }
    )
