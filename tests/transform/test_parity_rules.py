"""The parity comparison fails on a difference beyond a column's tolerance, on a lost or an
invented row, and on a table nobody declared a key for; it passes what a tolerance allows."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from .parity import differences, load_rules

RULES = load_rules()


def _world() -> dict[str, list[dict[str, object]]]:
    return {
        "gold.dim_customer": [
            {"customer_key": 11, "customer_id": "C1", "valid_from": date(2025, 1, 1)},
            {"customer_key": 12, "customer_id": "C1", "valid_from": date(2025, 6, 1)},
        ],
        "gold.metric_avg_transaction_value": [
            {
                "customer_id": "C1",
                "avg_transaction_value": 133.33333333333334,
                "total_transactions": 3,
                "median_transaction_value": Decimal("1.50"),
            }
        ],
        "gold.fct_transactions": [
            {"transaction_id": "T1", "customer_key": 12, "transaction_amount": Decimal("10.00")}
        ],
    }


def test_identical_worlds_have_no_difference():
    assert differences(_world(), _world(), RULES) == []


def test_a_changed_value_is_a_difference():
    engine = _world()
    engine["gold.metric_avg_transaction_value"][0]["median_transaction_value"] = Decimal("1.51")
    (found,) = differences(_world(), engine, RULES)
    assert found.startswith("gold.metric_avg_transaction_value.median_transaction_value: 1 of 1")


def test_a_declared_tolerance_allows_a_small_difference_and_no_more():
    engine = _world()
    row = engine["gold.metric_avg_transaction_value"][0]
    row["avg_transaction_value"] = Decimal("133.333333")
    assert differences(_world(), engine, RULES) == []
    row["avg_transaction_value"] = Decimal("133.33")
    assert len(differences(_world(), engine, RULES)) == 1


def test_numbers_compare_by_value_whatever_their_type():
    engine = _world()
    engine["gold.metric_avg_transaction_value"][0]["total_transactions"] = Decimal("3")
    assert differences(_world(), engine, RULES) == []


def test_a_null_differs_from_a_value():
    engine = _world()
    engine["gold.fct_transactions"][0]["transaction_amount"] = None
    assert len(differences(_world(), engine, RULES)) == 1


def test_surrogate_keys_compare_as_the_version_they_name():
    engine = _world()
    for row, key in zip(engine["gold.dim_customer"], (901, 902), strict=True):
        row["customer_key"] = key
    engine["gold.fct_transactions"][0]["customer_key"] = 902
    assert differences(_world(), engine, RULES) == []
    engine["gold.fct_transactions"][0]["customer_key"] = 901
    (found,) = differences(_world(), engine, RULES)
    assert found.startswith("gold.fct_transactions.customer_key")


def test_lost_and_invented_rows_are_differences():
    engine = _world()
    engine["gold.fct_transactions"][0]["transaction_id"] = "T2"
    found = differences(_world(), engine, RULES)
    assert any("1 rows missing" in line for line in found)
    assert any("1 rows not on DuckDB" in line for line in found)


def test_a_table_without_a_declared_key_is_a_difference():
    reference = _world()
    reference["gold.new_mart"] = [{"customer_id": "C1"}]
    engine = copy.deepcopy(reference)
    assert differences(reference, engine, RULES) == [
        "gold.new_mart: no key declared in parity.yaml"
    ]
