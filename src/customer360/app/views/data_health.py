"""Data Health: pipeline runs, rows per layer, quarantine, dbt tests, freshness."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from customer360.app import charts, data
from customer360.app.cache import load
from customer360.app.context import app_context
from customer360.app.files import stage_runs
from customer360.app.ui import data_required, number, page_header


def render() -> None:
    page_header("Data Health", "Is the data complete, fresh and tested?")
    context = app_context()
    with data_required():
        _freshness()
        _runs(context.data_dir)
        st.subheader("Rows per layer")
        rows = load(data.table_rows)
        totals = rows.groupby("layer", as_index=False, sort=False)["rows"].sum()
        cols = st.columns(max(len(totals), 1))
        for col, item in zip(cols, totals.itertuples(), strict=False):
            col.metric(item.layer, number(item.rows))
        with st.expander("Rows per table"):
            st.dataframe(rows, hide_index=True, key="health_tables")
        _quarantine()
        _dbt_results()


def _freshness() -> None:
    fresh = load(data.freshness)
    st.subheader("Freshness")
    cols = st.columns(4)
    as_of = fresh.get("as_of_date")
    latest = fresh.get("latest_transaction_date")
    cols[0].metric("Data as of", _day(as_of))
    cols[1].metric("Latest transaction", _day(latest))
    cols[2].metric("Profile built for", _day(fresh.get("profile_updated_date")))
    cols[3].metric(
        "Last ingest",
        str(pd.Timestamp(fresh["last_ingested_at"]).floor("s"))
        if pd.notna(fresh.get("last_ingested_at"))
        else "—",
    )
    if pd.notna(as_of) and pd.notna(latest) and pd.Timestamp(latest) < pd.Timestamp(as_of):
        lag = (pd.Timestamp(as_of) - pd.Timestamp(latest)).days
        st.warning(f"The latest transaction is {lag} days before the as-of date.")


def _runs(data_dir: Path) -> None:
    st.subheader("Pipeline runs")
    batches = load(data.ingest_batches)
    runs = stage_runs(data_dir / "runs")
    models = load(data.model_runs) if "ml.model_runs" in load(data.existing_tables) else None
    left, right = st.columns(2)
    left.markdown("**Ingest batches** (ops.file_manifest)")
    left.dataframe(batches, hide_index=True, key="health_batches")
    right.markdown("**Stage runs** (latest record per stage)")
    if runs.empty:
        right.caption("No stage records under the data directory's runs/ folder.")
    else:
        right.dataframe(runs, hide_index=True, key="health_runs")
    if models is not None and not models.empty:
        right.markdown("**Model training runs** (ml.model_runs)")
        right.dataframe(
            models[["model_version", "trained_at", "as_of", "roc_auc", "f1"]],
            hide_index=True,
            key="health_models",
        )


def _quarantine() -> None:
    st.subheader("Quarantined rows by reason")
    held = load(data.quarantine_by_reason)
    if held.empty:
        st.success("No rows are quarantined.")
        return
    held = held.assign(label=held["entity"] + ": " + held["reason"])
    left, right = st.columns([3, 2])
    left.plotly_chart(
        charts.bar(held, "label", "rows", "Quarantined rows", horizontal=True),
        key="health_quarantine",
    )
    right.dataframe(held.drop(columns="label"), hide_index=True, key="health_quarantine_table")


def _dbt_results() -> None:
    st.subheader("dbt build results")
    if "ops.dbt_results" not in load(data.existing_tables):
        st.info("No dbt results yet: `c360 transform` or `c360 pipeline` records them.")
        return
    results = load(data.dbt_results)
    built = results["generated_at"].max() if not results.empty else None
    st.caption(f"Last full dbt build of this warehouse: {built if built is not None else '?'}")
    if results.empty:
        st.info("The last dbt invocation ran no nodes.")
        return
    summary = results.pivot_table(
        index="resource_type", columns="status", values="name", aggfunc="count", fill_value=0
    )
    st.dataframe(summary, key="health_dbt_summary")
    results = results.drop(columns="generated_at")
    bad = results[~results["status"].isin(["success", "pass"])]
    if bad.empty:
        st.success(f"All {len(results):,} dbt nodes passed.")
    else:
        st.warning(f"{len(bad):,} dbt nodes did not pass.")
        st.dataframe(bad, hide_index=True, key="health_dbt_failures")


def _day(value: object) -> str:
    return str(pd.Timestamp(value).date()) if value is not None and pd.notna(value) else "—"
