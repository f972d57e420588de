"""The campaign formulas: incremental saves, costs, ROI and the breakevens."""

from __future__ import annotations

import math

import pytest

from customer360.campaign import (
    Audience,
    CampaignParams,
    breakeven_incentive,
    breakeven_save_rate,
    profit_curve,
    roi_sensitivity,
    simulate,
)

P = [0.8, 0.5, 0.2, 0.1]
V = [1000.0, 400.0, 300.0, 2000.0]
PARAMS = CampaignParams(incentive=50.0, contact_cost=5.0, save_rate=0.3, redemption_rate=0.4)


def test_worked_example_by_hand() -> None:
    result = simulate(Audience.of(P, V), PARAMS)
    churners = 0.8 + 0.5 + 0.2 + 0.1
    stayers = 4 - churners
    value_at_risk = 0.8 * 1000 + 0.5 * 400 + 0.2 * 300 + 0.1 * 2000
    assert result.targets == 4
    assert result.incremental_saves == pytest.approx(0.3 * churners)
    assert result.value_saved == pytest.approx(0.3 * value_at_risk)
    assert result.contact_cost == pytest.approx(20.0)
    assert result.incentive_cost_saved == pytest.approx(50 * 0.3 * churners)
    assert result.incentive_cost_non_churners == pytest.approx(50 * 0.4 * stayers)
    cost = 20 + 50 * 0.3 * churners + 50 * 0.4 * stayers
    assert result.total_cost == pytest.approx(cost)
    assert result.net_benefit == pytest.approx(0.3 * value_at_risk - cost)
    assert result.roi == pytest.approx((0.3 * value_at_risk - cost) / cost)
    assert result.cost_per_save == pytest.approx(cost / (0.3 * churners))


def test_only_churners_can_be_saved() -> None:
    nobody_leaves = simulate(Audience.of([0.0, 0.0], [500.0, 500.0]), PARAMS)
    assert nobody_leaves.incremental_saves == 0
    assert nobody_leaves.value_saved == 0
    assert nobody_leaves.cost_per_save is None
    assert nobody_leaves.net_benefit < 0


def test_non_churner_redemptions_are_paid() -> None:
    none_redeem = CampaignParams(50.0, 5.0, 0.3, redemption_rate=0.0)
    all_redeem = CampaignParams(50.0, 5.0, 0.3, redemption_rate=1.0)
    audience = Audience.of(P, V)
    assert simulate(audience, none_redeem).incentive_cost_non_churners == 0
    assert simulate(audience, all_redeem).incentive_cost_non_churners == pytest.approx(
        50.0 * (4 - sum(P))
    )


def test_breakeven_save_rate_zeroes_net_benefit() -> None:
    audience = Audience.of(P, V)
    rate = breakeven_save_rate(audience, PARAMS)
    assert rate is not None and 0 < rate < 1
    at_breakeven = CampaignParams(PARAMS.incentive, PARAMS.contact_cost, rate, 0.4)
    assert simulate(audience, at_breakeven).net_benefit == pytest.approx(0.0, abs=1e-9)


def test_breakeven_save_rate_is_none_when_incentive_exceeds_value() -> None:
    audience = Audience.of([0.5], [10.0])
    assert breakeven_save_rate(audience, CampaignParams(100.0, 1.0, 0.5)) is None


def test_breakeven_incentive_zeroes_net_benefit() -> None:
    audience = Audience.of(P, V)
    incentive = breakeven_incentive(audience, PARAMS)
    assert incentive is not None and incentive > 0
    at_breakeven = CampaignParams(incentive, PARAMS.contact_cost, PARAMS.save_rate, 0.4)
    assert simulate(audience, at_breakeven).net_benefit == pytest.approx(0.0, abs=1e-9)


def test_breakeven_incentive_is_none_when_contact_cost_alone_loses() -> None:
    audience = Audience.of([0.1], [10.0])
    assert breakeven_incentive(audience, CampaignParams(0.0, 100.0, 0.5)) is None


def test_roi_rises_with_save_rate_when_value_exceeds_incentive() -> None:
    points = roi_sensitivity(Audience.of(P, V), PARAMS, [0.0, 0.25, 0.5, 1.0])
    rois = [roi for _, roi in points]
    assert all(r is not None for r in rois)
    assert rois == sorted(rois)
    assert rois[0] == pytest.approx(-1.0)


def test_profit_curve_targets_highest_risk_first_and_ends_at_full_audience() -> None:
    k, net = profit_curve(P, V, PARAMS)
    assert list(k) == [1, 2, 3, 4]
    full = simulate(Audience.of(P, V), PARAMS).net_benefit
    assert net[-1] == pytest.approx(full)
    first = simulate(Audience.of([0.8], [1000.0]), PARAMS).net_benefit
    assert net[0] == pytest.approx(first)


def test_empty_audience_has_no_roi() -> None:
    result = simulate(Audience.of([], []), PARAMS)
    assert result.targets == 0 and result.roi is None and result.cost_per_save is None
    assert breakeven_incentive(Audience.of([], []), PARAMS) is None


@pytest.mark.parametrize("bad", [{"save_rate": 1.5}, {"redemption_rate": -0.1}, {"incentive": -1}])
def test_parameters_are_validated(bad: dict) -> None:
    values = {"incentive": 10.0, "contact_cost": 1.0, "save_rate": 0.2} | bad
    with pytest.raises(ValueError):
        CampaignParams(**values)


def test_probabilities_outside_unit_interval_are_rejected() -> None:
    with pytest.raises(ValueError):
        Audience.of([1.2], [1.0])
    assert math.isfinite(Audience.of([0.3], [float("nan")]).value_at_risk)
