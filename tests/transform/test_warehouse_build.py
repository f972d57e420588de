"""The dbt build on the hand-made bronze fixture: contract, segments, SCD2, point-in-time facts."""

from __future__ import annotations

from datetime import date

from . import bronze_fixture as fx
from .conftest import rows

CONTRACT_COLUMNS = [
    "customer_id",
    "customer_key",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "age",
    "state",
    "city",
    "employment_status",
    "card_type",
    "credit_limit",
    "account_open_date",
    "account_age_days",
    "customer_segment",
    "segment_assigned_date",
    "tenure_months",
    "lifetime_value",
    "total_transactions",
    "avg_transaction_value",
    "median_transaction_value",
    "transaction_value_stddev",
    "min_transaction_value",
    "max_transaction_value",
    "spending_consistency",
    "spend_last_30_days",
    "spend_last_90_days",
    "spend_prior_90_days",
    "spend_change_pct",
    "avg_monthly_spend",
    "mom_spend_change_pct",
    "first_transaction_date",
    "last_transaction_date",
    "days_since_last_transaction",
    "recency_status",
    "travel_spend_pct",
    "necessities_spend_pct",
    "spending_profile",
    "credit_utilization_pct",
    "churn_risk_score",
    "churn_risk_category",
    "eligible_for_retention_campaign",
    "eligible_for_onboarding_campaign",
    "eligible_for_premium_campaign",
    "profile_updated_date",
]

FACT_COLUMNS = [
    "transaction_id",
    "customer_key",
    "customer_id",
    "date_key",
    "merchant_category_key",
    "transaction_date",
    "transaction_amount",
    "merchant_name",
    "channel",
    "status",
]

MONTHLY_COLUMNS = [
    "customer_id",
    "month",
    "total_spend",
    "transaction_count",
    "avg_transaction_value",
    "customer_segment",
    "card_type",
    "state",
]


def _columns(con, schema: str, table: str) -> set[str]:
    return {
        name
        for (name,) in rows(
            con,
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            schema,
            table,
        )
    }


def test_build_passes_every_data_test_and_unit_test(built):
    _, report = built
    assert report.models >= 20
    assert report.data_tests >= 100
    assert report.unit_tests >= 8
    assert {warning.name for warning in report.warnings} <= {
        "warn_segment_shares_within_bounds_at_any_scale"
    }
    assert "unit tests passed" in report.summary()


def test_as_of_defaults_to_the_data_max_transaction_date(built, con):
    _, report = built
    assert report.as_of == fx.AS_OF
    assert rows(con, "select distinct profile_updated_date from gold.customer_360_profile") == [
        (fx.AS_OF,)
    ]


def test_profile_has_every_contract_column(con):
    missing = set(CONTRACT_COLUMNS) - _columns(con, "gold", "customer_360_profile")
    assert not missing


def test_fact_and_monthly_spending_have_their_contract_columns(con):
    assert not set(FACT_COLUMNS) - _columns(con, "gold", "fct_transactions")
    assert not set(MONTHLY_COLUMNS) - _columns(con, "gold", "monthly_customer_spending")


def test_profile_has_one_row_per_customer_including_those_without_transactions(con):
    landed = rows(con, "select count(distinct customer_id) from bronze.customers")[0][0]
    profile, distinct = rows(
        con, "select count(*), count(distinct customer_id) from gold.customer_360_profile"
    )[0]
    assert profile == distinct == landed
    silent = rows(
        con,
        "select lifetime_value, total_transactions, recency_status, customer_segment "
        "from gold.customer_360_profile where customer_id = ?",
        fx.NO_TRANSACTIONS,
    )
    assert silent == [(0, 0, "Inactive (90+ days)", "Stable Mid-Spenders")]


def test_crafted_customers_land_in_their_designed_segments(con):
    segments = dict(rows(con, "select customer_id, customer_segment from gold.customer_segments"))
    assert {cid: segments[cid] for cid in fx.EXPECTED_SEGMENTS} == fx.EXPECTED_SEGMENTS


def test_scd2_versions_are_rebuilt_from_landed_changes(con):
    versions = rows(
        con,
        "select valid_from, card_type, cast(credit_limit as double), is_current "
        "from gold.dim_customer where customer_id = ? order by valid_from",
        fx.SCD2,
    )
    expected = [
        (valid_from, card, limit, index == len(fx.SCD2_VERSIONS) - 1)
        for index, (valid_from, card, limit) in enumerate(fx.SCD2_VERSIONS)
    ]
    assert versions == expected


def test_type1_changes_overwrite_every_version_without_new_versions(con):
    versions = rows(
        con, "select email, city from gold.dim_customer where customer_id = ?", fx.TYPE1
    )
    assert versions == [("new.address@example.com", "Dallas")]


def test_every_fact_carries_the_customer_version_valid_at_its_date(con):
    mismatches = rows(
        con,
        """
        select count(*)
        from gold.fct_transactions as f
        join gold.dim_customer as d on f.customer_key = d.customer_key
        where f.transaction_date < d.valid_from or f.transaction_date >= d.valid_to
        """,
    )[0][0]
    assert mismatches == 0
    card_by_year = dict(
        rows(
            con,
            """
            select f.transaction_date, d.card_type
            from gold.fct_transactions as f
            join gold.dim_customer as d on f.customer_key = d.customer_key
            where f.customer_id = ? and f.transaction_date in (date '2025-01-01', date '2026-06-24')
            """,
            fx.SCD2,
        )
    )
    assert card_by_year == {date(2025, 1, 1): "Standard", date(2026, 6, 24): "Platinum"}


def test_silver_standardises_case_and_whitespace_and_drops_duplicates(con):
    assert rows(
        con, "select count(*) - count(distinct transaction_id) from silver.stg_transactions"
    ) == [(0,)]
    channels = {c for (c,) in rows(con, "select distinct channel from gold.fct_transactions")}
    statuses = {s for (s,) in rows(con, "select distinct status from gold.fct_transactions")}
    assert channels <= {"Online", "In-Store", "Mobile"}
    assert statuses == {"approved", "declined"}
    card = rows(
        con, "select card_type from silver.stg_customers where customer_id = ?", fx.NEW_NOT_GROWING
    )
    assert card == [("Standard",)]


def test_declined_transactions_never_count_as_spend(con):
    ltv, maximum = rows(
        con,
        "select lifetime_value, max_transaction_value from gold.customer_360_profile "
        "where customer_id = ?",
        fx.BUDGET,
    )[0]
    assert float(ltv) == 900.0
    assert float(maximum) == 100.0


def test_customers_are_not_scored_until_the_ml_stage_writes_predictions(con):
    assert rows(
        con,
        "select distinct churn_risk_category, churn_risk_score from gold.customer_360_profile",
    ) == [("Not Scored", None)]


def test_dim_date_spans_the_data_not_the_build_day(con):
    first, last = rows(con, "select min(date_day), max(date_day) from gold.dim_date")[0]
    opened = rows(con, "select min(account_open_date) from bronze.customers")[0][0]
    assert (first, last) == (opened, fx.AS_OF)
