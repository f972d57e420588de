"""Segment Explorer: filter the portfolio and compare segments."""

from __future__ import annotations

from functools import partial

import streamlit as st

from customer360.app import charts, data
from customer360.app.cache import load
from customer360.app.data import RISK_ORDER, SegmentFilter
from customer360.app.ui import (
    csv_download,
    data_required,
    empty,
    masked,
    money,
    number,
    page_header,
)

LIST_LIMIT = 1000
EXPORT_LIMIT = 10_000_000


def _filters(options: dict[str, list[str]]) -> SegmentFilter:
    with st.sidebar:
        st.subheader("Filters")
        segments = st.multiselect("Segment", options.get("segment", []), key="seg_segments")
        states = st.multiselect("State", options.get("state", []), key="seg_states")
        risks = st.multiselect("Churn risk", options.get("risk", []), key="seg_risks")
        cards = st.multiselect("Card type", options.get("card_type", []), key="seg_cards")
        min_ltv = st.number_input(
            "Min lifetime value ($)", min_value=0.0, value=0.0, step=1000.0, key="seg_min_ltv"
        )
    return SegmentFilter(tuple(segments), tuple(states), tuple(risks), tuple(cards), min_ltv)


def render() -> None:
    page_header("Segment Explorer", "Current customers by computed segment, risk and value.")
    with data_required():
        chosen = _filters(load(data.filter_options))
        summary = load(data.segment_summary, chosen)
        if not summary["customers"]:
            empty("No customers match these filters. Widen or clear a filter in the sidebar.")
            return
        cards = st.columns(4)
        cards[0].metric("Customers", number(summary["customers"]))
        cards[1].metric("Total lifetime value", money(summary["total_ltv"]))
        cards[2].metric("Avg lifetime value", money(summary["avg_ltv"]))
        scored = int(summary["scored"])
        cards[3].metric(
            "Avg churn risk score",
            number(summary["avg_risk_score"], 1) if scored else "Not scored",
            help=f"Over {scored:,} scored customers; unscored customers are excluded.",
        )
        mix = load(data.segment_mix, chosen)
        risk = load(data.risk_mix, chosen)
        risk = risk.set_index("churn_risk_category").reindex(RISK_ORDER).dropna().reset_index()
        left, middle, right = st.columns(3)
        left.plotly_chart(
            charts.donut(mix, "customer_segment", "customers", "Segment mix"),
            key="chart_segment_mix",
        )
        middle.plotly_chart(
            charts.risk_bars(risk, "Churn-risk distribution"), key="chart_risk_distribution"
        )
        right.plotly_chart(
            charts.bar(mix, "customer_segment", "avg_ltv", "Avg lifetime value by segment"),
            key="chart_ltv_by_segment",
        )
        customers = load(data.customer_list, chosen, LIST_LIMIT)
        shown = f"top {LIST_LIMIT:,} by lifetime value" if len(customers) >= LIST_LIMIT else "all"
        st.subheader(f"Customers ({shown})")
        st.dataframe(
            masked(customers),
            hide_index=True,
            key="segment_customers",
            column_config={
                "lifetime_value": st.column_config.NumberColumn(format="dollar"),
                "avg_monthly_spend": st.column_config.NumberColumn(format="dollar"),
                "credit_limit": st.column_config.NumberColumn(format="dollar"),
                "spend_change_pct": st.column_config.NumberColumn(format="%.1f%%"),
            },
        )
        csv_download(
            partial(load, data.customer_list, chosen, EXPORT_LIMIT),
            "Download all matching customers (CSV)",
            "segment_customers.csv",
            key="segment_csv",
        )
