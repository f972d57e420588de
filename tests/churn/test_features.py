from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from customer360.churn.dataset import plan_cutoffs
from customer360.churn.features import build_features
from customer360.churn.labels import OUTCOME_DAYS, build_labels
from customer360.churn.sources import stage_sources

CUTOFF = date(2025, 12, 31)


def _features(database, cutoff: date = CUTOFF) -> pd.DataFrame:
    con = duckdb.connect(str(database))
    try:
        stage_sources(con)
        return build_features(con, cutoff)
    finally:
        con.close()


def test_changing_or_deleting_every_later_transaction_leaves_features_unchanged(copy_warehouse):
    original = copy_warehouse("features-original")
    changed = copy_warehouse("features-changed")
    deleted = copy_warehouse("features-deleted")
    con = duckdb.connect(str(changed))
    con.execute(
        "update gold.fct_transactions set transaction_amount = transaction_amount * 7, "
        "status = case when status = 'approved' then 'declined' else 'approved' end, "
        "is_approved = not is_approved, channel = 'Online' where transaction_date > ?",
        [CUTOFF],
    )
    con.close()
    con = duckdb.connect(str(deleted))
    con.execute("delete from gold.fct_transactions where transaction_date > ?", [CUTOFF])
    con.execute("delete from gold.dim_customer where valid_from > ?", [CUTOFF])
    con.close()

    baseline = _features(original)
    assert len(baseline) > 1_000
    assert len(baseline.columns) - 2 >= 35
    pd.testing.assert_frame_equal(baseline, _features(changed))
    pd.testing.assert_frame_equal(baseline, _features(deleted))


def test_features_never_use_identity_or_hidden_columns(copy_warehouse):
    names = set(_features(copy_warehouse("features-names")).columns)
    assert not names & {"persona", "customer_segment", "true_churn_probability", "churned"}
    assert not any("onset" in n or "oracle" in n for n in names)


def _label_con(rows: list[tuple[str, str, float, bool]]) -> duckdb.DuckDBPyConnection:
    """A minimal gold schema holding `rows` (customer_id, date, amount, approved)."""
    con = duckdb.connect()
    con.execute("create schema gold")
    con.execute(
        "create table gold.dim_customer as select customer_id, date '2020-01-01' as valid_from, "
        "date '9999-12-31' as valid_to, date '2020-01-01' as account_open_date, "
        "'Standard' as card_type, 5000.0 as credit_limit, 40 as age "
        "from (values ('CUST1'), ('CUST2'), ('CUST3')) as t(customer_id)"
    )
    con.execute(
        "create table gold.dim_merchant_category as "
        "select 'K1' as merchant_category_key, 'Retail' as category_group, 'Books' as category_name"
    )
    con.execute(
        "create table gold.fct_transactions as select customer_id, "
        "cast(d as date) as transaction_date, "
        "cast(amount as decimal(18, 2)) as transaction_amount, "
        "approved as is_approved, 'In-Store' as channel, 'K1' as merchant_category_key "
        "from (values "
        + ", ".join("(?, ?, ?, ?)" for _ in rows)
        + ") as t(customer_id, d, amount, approved)",
        [v for row in rows for v in row],
    )
    stage_sources(con)
    return con


def test_label_is_silence_for_60_days_or_a_30_percent_drop_over_90_days():
    con = _label_con(
        [
            # CUST1: spends 100 before, nothing for 60 days, then 200: churned (silence)
            ("CUST1", "2025-12-01", 100.0, True),
            ("CUST1", "2026-03-15", 200.0, True),
            # CUST2: 100 before, 69 after: churned (drop below 70%)
            ("CUST2", "2025-11-15", 100.0, True),
            ("CUST2", "2026-01-10", 69.0, True),
            # CUST3: 100 before, 70 after (a declined 500 does not count): stays
            ("CUST3", "2025-10-05", 100.0, True),
            ("CUST3", "2026-02-20", 70.0, True),
            ("CUST3", "2026-01-05", 500.0, False),
        ]
    )
    labels = build_labels(con, CUTOFF).set_index("customer_id")["churned"].to_dict()
    assert labels == {"CUST1": 1, "CUST2": 1, "CUST3": 0}


def test_time_split_keeps_every_training_outcome_before_the_test_cutoff():
    plan = plan_cutoffs(
        date(2024, 11, 28), date(2026, 6, 30), train_cutoffs=4, min_history_days=180
    )
    assert plan.test == date(2026, 3, 31)
    assert (date(2026, 6, 30) - plan.test).days >= OUTCOME_DAYS
    for cutoff in (*plan.train, plan.validation):
        assert (plan.test - cutoff).days >= OUTCOME_DAYS
    assert list(plan.train) == sorted(plan.train) and plan.train[-1] < plan.validation


def test_too_short_history_is_a_named_error():
    from customer360.churn import NotEnoughHistoryError

    with pytest.raises(NotEnoughHistoryError):
        plan_cutoffs(date(2026, 1, 1), date(2026, 6, 30), train_cutoffs=4, min_history_days=180)
