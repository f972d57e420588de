"""The evaluation's judge: which predicted results count as the gold ones."""

from datetime import date
from decimal import Decimal

from customer360.assistant.eval.runner import results_match


def test_a_year_written_as_its_first_day_is_that_year() -> None:
    gold = [(2025, 10.0), (2026, 12.0)]
    predicted = [(date(2025, 1, 1), Decimal("10")), (date(2026, 1, 1), 12)]
    assert results_match(gold, predicted, True) is None


def test_other_dates_are_not_years() -> None:
    gold = [(2025, 10.0)]
    assert results_match(gold, [(date(2025, 3, 1), 10.0)], False) is not None


def test_values_must_agree_row_by_row() -> None:
    assert results_match([("a", 1.0), ("b", 2.0)], [("a", 2.0), ("b", 1.0)], False) is not None
    assert results_match([("a", 1.0), ("b", 2.0)], [("b", 2.0), ("a", 1.0)], False) is None
