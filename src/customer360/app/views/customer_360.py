"""Customer 360: find one customer and see profile, account history, risk and transactions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from customer360.app import charts, data, spend
from customer360.app.cache import load
from customer360.app.context import app_context
from customer360.app.data import TransactionFilter
from customer360.app.pii import mask_record
from customer360.app.ui import (
    csv_download,
    data_required,
    empty,
    masked,
    money,
    number,
    page_header,
    percent,
)

PERIODS = {"Last 30 days": 30, "Last 90 days": 90, "Last 12 months": 365, "All history": None}
STATUSES = ("approved", "declined")
TRANSACTION_LIMIT = 1000
ALL_ROWS = 1_000_000


def render() -> None:
    page_header("Customer 360", "One customer: profile, account history, churn risk, spending.")
    mask = app_context().mask_pii
    with data_required():
        hint = "Customer id" if mask else "Customer id, name or email"
        text = st.text_input(
            "Search customers", key="c360_search", placeholder=f"{hint} (partial matches work)"
        )
        if mask:
            st.caption("Name and email search are disabled for the analyst role.")
        if not text.strip():
            st.info("Type part of a customer id, name or email to look a customer up.")
            return
        matches = load(data.search_customers, text, mask)
        if matches.empty:
            empty(f"No customer matches “{text.strip()}”.")
            return
        shown = masked(matches)
        labels = {
            row.customer_id: f"{row.customer_id} · {row.full_name} · {row.state}"
            for row in shown.itertuples()
        }
        customer_id = st.selectbox(
            f"{len(matches)} match(es)" + (" (first 25 shown)" if len(matches) == 25 else ""),
            list(labels),
            format_func=labels.__getitem__,
            key="c360_choice",
        )
        profile = load(data.customer_profile, customer_id)
        if profile is None:
            empty("This customer is no longer in the warehouse.")
            return
        _profile(mask_record(profile, mask))
        _history(customer_id)
        _transactions(customer_id, profile)


def _churn_alert(p: dict[str, Any]) -> None:
    category = p.get("churn_risk_category")
    score = p.get("churn_risk_score")
    if score is None or pd.isna(score) or category in (None, "Not Scored"):
        st.info(
            "**Not scored.** This customer is outside the churn model's scope (no approved "
            "purchase in the last 90 days or an account younger than 90 days), so there is no "
            "risk estimate — this is not the same as low risk.",
            icon=":material/help:",
        )
        return
    reasons = p.get("reasons") or []
    text = f"**{category}** — churn risk score {int(score)}/100"
    if reasons:
        text += "\n\nTop reasons: " + "; ".join(reasons)
    show = {"High Risk": st.error, "Medium Risk": st.warning}.get(str(category), st.success)
    show(text, icon=":material/warning:" if category != "Low Risk" else ":material/check:")


def _profile(p: dict[str, Any]) -> None:
    st.subheader(f"{p['full_name']} · {p['customer_id']}")
    st.caption(
        f"{p.get('customer_segment')} · {p.get('spending_profile')} · {p.get('recency_status')}"
        f" · profile as of {pd.Timestamp(p['profile_updated_date']).date()}"
    )
    _churn_alert(p)
    m = st.columns(6)
    m[0].metric("Lifetime value", money(p.get("lifetime_value")))
    m[1].metric(
        "Spend, last 90 days",
        money(p.get("spend_last_90_days")),
        delta=percent(p.get("spend_change_pct")) if pd.notna(p.get("spend_change_pct")) else None,
        help="Change vs the 90 days before.",
    )
    m[2].metric(
        "Month-over-month",
        percent(p.get("mom_spend_change_pct")),
        help="Last complete month vs the month before.",
    )
    m[3].metric("Avg monthly spend", money(p.get("avg_monthly_spend")))
    m[4].metric(
        "Avg transaction",
        money(p.get("avg_transaction_value"), 2),
        help=f"Consistency: {p.get('spending_consistency')}",
    )
    m[5].metric("Credit utilisation", percent(p.get("credit_utilization_pct"), signed=False))
    left, right = st.columns(2)
    with left:
        st.markdown("**Profile**")
        st.table(
            pd.DataFrame(
                {
                    "": [
                        p.get("email"),
                        f"{p.get('city')}, {p.get('state')}",
                        number(p.get("age")),
                        p.get("employment_status"),
                    ]
                },
                index=["Email", "Location", "Age", "Employment"],
            )
        )
    with right:
        st.markdown("**Account**")
        st.table(
            pd.DataFrame(
                {
                    "": [
                        p.get("card_type"),
                        money(p.get("credit_limit")),
                        str(pd.Timestamp(p["account_open_date"]).date())
                        if p.get("account_open_date")
                        else "—",
                        f"{number(p.get('tenure_months'))} months",
                        number(p.get("total_transactions")),
                        f"{number(p.get('days_since_last_transaction'))} days",
                    ]
                },
                index=[
                    "Card",
                    "Credit limit",
                    "Opened",
                    "Tenure",
                    "Approved transactions",
                    "Since last purchase",
                ],
            )
        )


def _history(customer_id: str) -> None:
    versions = load(data.customer_versions, customer_id)
    st.markdown("**Card and credit-limit history** (SCD Type 2 versions)")
    if len(versions) <= 1:
        st.caption("No changes since the account was opened.")
    st.dataframe(
        versions,
        hide_index=True,
        key="c360_versions",
        column_config={"credit_limit": st.column_config.NumberColumn(format="dollar")},
    )


def _transactions(customer_id: str, profile: dict[str, Any]) -> None:
    st.subheader("Transactions")
    as_of = pd.Timestamp(profile["profile_updated_date"]).date()
    cols = st.columns([1, 2, 1])
    period = cols[0].selectbox("Period", list(PERIODS), index=1, key="c360_period")
    categories = cols[1].multiselect(
        "Category", load(data.transaction_categories), key="c360_categories"
    )
    statuses = cols[2].multiselect("Status", STATUSES, key="c360_statuses")
    days = PERIODS[period]
    start: date | None = as_of - timedelta(days=days - 1) if days else None
    chosen = TransactionFilter(start, as_of, tuple(categories), tuple(statuses))
    rows = load(data.customer_transactions, customer_id, chosen, ALL_ROWS)
    if rows.empty:
        empty("No transactions for this customer with these filters.")
        return
    history = rows.head(TRANSACTION_LIMIT).drop(columns="is_approved")
    daily = spend.daily_spend(rows)
    mix = spend.category_mix(rows)
    left, right = st.columns([3, 2])
    if daily.empty:
        left.info("No approved spend in this selection.")
    else:
        left.plotly_chart(
            charts.line(daily, "transaction_date", "spend", "Daily approved spend"),
            key="c360_daily",
        )
    if not mix.empty:
        right.plotly_chart(
            charts.donut(mix.head(10), "category_name", "spend", "Approved spend by category"),
            key="c360_categories_pie",
        )
    st.caption(f"{len(history):,} most recent transactions (up to {TRANSACTION_LIMIT:,}).")
    st.dataframe(
        history,
        hide_index=True,
        key="c360_transactions",
        column_config={
            "transaction_amount": st.column_config.NumberColumn(format="dollar"),
        },
    )
    csv_download(
        history,
        "Download these transactions (CSV)",
        f"{customer_id}_transactions.csv",
        key="c360_csv",
    )
