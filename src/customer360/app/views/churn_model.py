"""Churn Model: the model card of the model that scored the current profile."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from customer360.app import charts, data
from customer360.app.cache import load
from customer360.app.context import app_context
from customer360.app.data import RISK_ORDER
from customer360.app.files import model_artifact
from customer360.app.ui import data_required, number, page_header

METRICS = (
    ("roc_auc", "ROC-AUC"),
    ("pr_auc", "PR-AUC"),
    ("precision", "Precision"),
    ("recall", "Recall"),
    ("f1", "F1"),
    ("brier", "Brier"),
)


def render() -> None:
    page_header(
        "Churn Model",
        "The model card: honest time-based holdout metrics, plots, "
        "feature importance and today's score distribution.",
    )
    with data_required():
        tables = load(data.existing_tables)
        run = load(data.latest_model) if "ml.model_runs" in tables else None
        artifact = model_artifact(app_context().data_dir, run["model_version"] if run else None)
        if run is None and artifact is None:
            st.info(
                "No churn model has been trained yet. Run `c360 train` (or `c360 demo`); "
                "until then every customer shows as *Not Scored*."
            )
            return
        version = run["model_version"] if run else artifact.version  # type: ignore[union-attr]
        st.subheader(f"Model {version}")
        metrics: dict[str, Any] = artifact.metrics if artifact else {}
        _metrics(run, metrics)
        _scores(tables)
        if artifact is None:
            st.warning("The model's artifact folder (plots, card) is not in this data directory.")
            return
        _importance(metrics)
        plots = [item for item in artifact.plots if item[1].name != "importance.png"]
        for row in range(0, len(plots), 3):
            cols = st.columns(3)
            for col, (title, path) in zip(cols, plots[row : row + 3], strict=False):
                col.image(str(path), caption=title)
        with st.expander("Full model card"):
            st.markdown(artifact.card_markdown or "_No model card file._")


def _metrics(run: dict[str, Any] | None, metrics: dict[str, Any]) -> None:
    model = metrics.get("model") or (run or {})
    cols = st.columns(len(METRICS) + 1)
    for col, (key, label) in zip(cols, METRICS, strict=False):
        col.metric(label, number(model.get(key), 3))
    oracle = (metrics.get("oracle") or {}).get("roc_auc") or (run or {}).get("oracle_roc_auc")
    cols[-1].metric(
        "Oracle ROC-AUC",
        number(oracle, 3),
        help="AUC of the generator's true probability on the same rows: the achievable ceiling.",
    )
    base = metrics.get("test_base_rate") or (run or {}).get("test_base_rate")
    threshold = metrics.get("threshold") or (run or {}).get("threshold")
    st.caption(
        f"Test base rate {number((base or 0) * 100, 1)}% · operating threshold "
        f"{number(threshold, 3)} · as of {metrics.get('as_of') or (run or {}).get('as_of')}"
    )
    lift = metrics.get("lift")
    if lift:
        with st.expander("Lift and captured churners by decile"):
            st.dataframe(pd.DataFrame(lift), hide_index=True, key="churn_lift")


def _importance(metrics: dict[str, Any]) -> None:
    importance = metrics.get("importance") or {}
    if not importance:
        return
    frame = (
        pd.DataFrame({"feature": list(importance), "importance": list(importance.values())})
        .sort_values("importance", ascending=False)
        .head(15)
    )
    st.plotly_chart(
        charts.bar(frame, "feature", "importance", "Feature importance (top 15)", horizontal=True),
        key="churn_importance",
    )


def _scores(tables: frozenset[str]) -> None:
    scores = load(data.score_distribution)
    scored = scores[scores["churn_risk_score"].notna()]
    unscored = int(scores.loc[scores["churn_risk_score"].isna(), "customers"].sum())
    left, right = st.columns(2)
    if scored.empty:
        left.info("No customer is scored in the current profile.")
    else:
        values = scored.loc[scored.index.repeat(scored["customers"]), "churn_risk_score"]
        left.plotly_chart(
            charts.score_histogram(values, "Churn risk score distribution (current)"),
            key="churn_scores",
        )
    by_category = (
        scores.groupby("churn_risk_category", as_index=False)["customers"]
        .sum()
        .set_index("churn_risk_category")
        .reindex(RISK_ORDER)
        .dropna()
        .reset_index()
    )
    right.plotly_chart(
        charts.risk_bars(by_category, "Customers by risk category"), key="churn_categories"
    )
    if unscored:
        st.caption(f"{unscored:,} customers are not scored (too new or no recent purchase).")
