"""Entry file: `streamlit run src/customer360/app/main.py` (what `c360 app` runs)."""

from __future__ import annotations

import streamlit as st

from customer360.app.views import (
    assistant,
    campaign,
    churn_model,
    customer_360,
    data_health,
    segment_explorer,
)


def main() -> None:
    st.set_page_config(page_title="Customer 360", page_icon=":material/credit_card:", layout="wide")
    pages = [
        st.Page(
            segment_explorer.render,
            title="Segment Explorer",
            icon=":material/donut_large:",
            default=True,
        ),
        st.Page(
            customer_360.render,
            title="Customer 360",
            icon=":material/person_search:",
            url_path="customer",
        ),
        st.Page(
            assistant.render, title="AI Assistant", icon=":material/forum:", url_path="assistant"
        ),
        st.Page(
            campaign.render,
            title="Campaign Simulator",
            icon=":material/campaign:",
            url_path="campaign",
        ),
        st.Page(
            churn_model.render,
            title="Churn Model",
            icon=":material/model_training:",
            url_path="churn-model",
        ),
        st.Page(
            data_health.render,
            title="Data Health",
            icon=":material/monitor_heart:",
            url_path="data-health",
        ),
    ]
    st.navigation(pages).run()


main()
