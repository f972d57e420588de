"""Campaign Simulator: the economics of a retention offer to a chosen audience."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from customer360.app import charts, data
from customer360.app.cache import load
from customer360.app.data import SegmentFilter
from customer360.app.ui import csv_download, data_required, empty, money, number, page_header
from customer360.campaign import (
    Audience,
    CampaignParams,
    breakeven_incentive,
    breakeven_save_rate,
    profit_curve,
    roi_sensitivity,
    simulate,
)

SAVE_RATES = tuple(np.round(np.linspace(0.0, 1.0, 21), 2))


def _audience_filters(options: dict[str, list[str]]) -> SegmentFilter:
    with st.sidebar:
        st.subheader("Target audience")
        segments = st.multiselect("Segments", options.get("segment", []), key="camp_segments")
        risks = st.multiselect(
            "Risk levels",
            [r for r in options.get("risk", []) if r != "Not Scored"],
            default=[r for r in ("High Risk", "Medium Risk") if r in options.get("risk", [])],
            key="camp_risks",
        )
        cards = st.multiselect("Card types", options.get("card_type", []), key="camp_cards")
        min_ltv = st.number_input(
            "Min lifetime value ($)", 0.0, value=0.0, step=1000.0, key="camp_min_ltv"
        )
        min_score = st.slider("Min churn risk score", 0, 100, 0, key="camp_min_score")
    return SegmentFilter(tuple(segments), (), tuple(risks), tuple(cards), min_ltv, min_score)


def _parameters() -> CampaignParams:
    cols = st.columns(4)
    incentive = cols[0].number_input(
        "Incentive per redeemer ($)", 0.0, 10_000.0, 50.0, 5.0, key="camp_incentive"
    )
    contact = cols[1].number_input(
        "Contact cost per target ($)", 0.0, 1_000.0, 2.0, 0.5, key="camp_contact"
    )
    save = cols[2].slider(
        "Save rate (% of would-be churners kept)", 0, 100, 25, key="camp_save_rate"
    )
    redeem = cols[3].slider(
        "Non-churner redemption (%)",
        0,
        100,
        30,
        key="camp_redeem",
        help="Share of customers who would have stayed anyway but still take the offer: pure cost.",
    )
    return CampaignParams(incentive, contact, save / 100, redeem / 100)


def render() -> None:
    page_header(
        "Campaign Simulator",
        "Incremental economics of a retention offer: only "
        "would-be churners can be saved; value is forward 12-month issuer margin.",
    )
    with data_required():
        chosen = _audience_filters(load(data.filter_options))
        params = _parameters()
        targets = load(data.campaign_audience, chosen)
        unscored = load(data.unscored_in_audience, chosen)
        if unscored:
            st.caption(
                f"{unscored:,} unscored customers match the filters and are left out: "
                "without a churn probability there is no expected saving to estimate."
            )
        if targets.empty:
            empty(
                "No scored customers match this audience. Widen the filters, or run the "
                "churn stage if nobody is scored yet."
            )
            return
        p = targets["churn_probability"].to_numpy(dtype=float)
        v = targets["forward_value"].fillna(0).to_numpy(dtype=float)
        audience = Audience.of(p, v)
        result = simulate(audience, params)
        _results(result)
        _breakdown_and_sensitivity(audience, params, result)
        _profit_curve(p, v, params)
        export = targets.assign(
            expected_saves=params.save_rate * targets["churn_probability"],
            expected_value_saved=params.save_rate * targets["churn_probability"] * v,
        )
        csv_download(export, "Download target list (CSV)", "campaign_targets.csv", key="camp_csv")


def _results(r) -> None:
    st.subheader("Results")
    m = st.columns(4)
    m[0].metric("Targets", number(r.targets))
    m[1].metric("Expected churners", number(r.expected_churners, 1))
    m[2].metric("Incremental saves", number(r.incremental_saves, 1))
    m[3].metric("Value saved", money(r.value_saved))
    n = st.columns(4)
    n[0].metric("Total cost", money(r.total_cost))
    n[1].metric("Net benefit", money(r.net_benefit))
    n[2].metric("ROI", "—" if r.roi is None else f"{r.roi:.0%}")
    n[3].metric("Cost per save", money(r.cost_per_save))


def _breakdown_and_sensitivity(audience: Audience, params: CampaignParams, r) -> None:
    left, right = st.columns(2)
    parts = {
        "Contact": r.contact_cost,
        "Incentives to saved churners": r.incentive_cost_saved,
        "Incentives to non-churners": r.incentive_cost_non_churners,
    }
    if r.total_cost > 0:
        left.plotly_chart(charts.cost_breakdown(parts, "Cost breakdown"), key="camp_costs")
    else:
        left.info("This campaign costs nothing with these parameters.")
    points = roi_sensitivity(audience, params, SAVE_RATES)
    frame = pd.DataFrame(
        [(s * 100, roi * 100) for s, roi in points if roi is not None],
        columns=["save_rate_pct", "roi_pct"],
    )
    be_rate = breakeven_save_rate(audience, params)
    right.plotly_chart(
        charts.curve(
            frame["save_rate_pct"],
            frame["roi_pct"],
            "ROI sensitivity to save rate",
            "Save rate (%)",
            "ROI (%)",
            marker_x=params.save_rate * 100,
        ),
        key="camp_sensitivity",
    )
    be_incentive = breakeven_incentive(audience, params)
    b = st.columns(2)
    b[0].metric(
        "Breakeven save rate",
        "not reachable" if be_rate is None or be_rate > 1 else f"{be_rate:.1%}",
        help="Save rate at which net benefit is zero, other inputs unchanged.",
    )
    b[1].metric(
        "Breakeven incentive",
        "none (loses money even at $0)" if be_incentive is None else money(be_incentive, 2),
        help="Incentive at which net benefit is zero, other inputs unchanged.",
    )


def _profit_curve(p: np.ndarray, v: np.ndarray, params: CampaignParams) -> None:
    k, net = profit_curve(p, v, params)
    best = int(k[int(np.argmax(net))])
    st.plotly_chart(
        charts.curve(
            k,
            net,
            "Profit curve: net benefit by how many top-risk customers to target",
            "Customers targeted (highest churn probability first)",
            "Net benefit ($)",
            marker_x=best,
        ),
        key="camp_profit_curve",
    )
    st.caption(
        f"Best: target the top {best:,} customers for a net benefit of {money(float(net.max()))}."
    )
