"""Turning assistant answers into frames for tables, charts and downloads (no Streamlit)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from customer360.assistant import Answer

SUGGESTED: dict[str, tuple[str, ...]] = {
    "Churn": (
        "Which customers are at highest risk of churning?",
        "What is the average churn risk score by segment?",
        "Show me High-Value Travelers with high churn risk",
        "Which states have the highest churn risk?",
    ),
    "Segmentation": (
        "How many customers are in each segment?",
        "Compare lifetime value across segments",
        "Which segments have Premium cards?",
        "Show me Declining segment customers in California",
    ),
    "Spending": (
        "What is the total spending in the last 90 days?",
        "Which customers increased spending the most?",
        "What is the average transaction value by card type?",
        "What is the average lifetime value by state?",
    ),
    "Geography": (
        "Which states have the most Premium cardholders?",
        "Show me customer distribution across states",
        "Compare spending between California and Texas",
    ),
    "Campaign targeting": (
        "Show me customers eligible for retention campaigns",
        "Which Premium cardholders are at medium or high risk?",
        "Find customers with declining spend in the last 90 days",
        "Show high-value customers with low recent activity",
    ),
}

FOLLOW_UPS = ("now only Premium", "and by state?", "only High Risk")

TIME_SUFFIXES = ("_month", "_date", "_day", "_week", "_quarter", "_year")


def answer_frame(answer: Answer) -> pd.DataFrame:
    """The rows as a DataFrame, decimals as floats and date-like columns as datetimes."""
    frame = pd.DataFrame(list(answer.rows), columns=list(answer.columns))
    for column in frame.columns:
        values = frame[column].dropna()
        if values.empty:
            continue
        sample = values.iloc[0]
        if isinstance(sample, Decimal):
            frame[column] = pd.to_numeric(frame[column].map(_as_float))
        elif column.endswith(TIME_SUFFIXES) or column in {"month", "date"}:
            converted = pd.to_datetime(frame[column], errors="coerce")
            if converted.notna().all():
                frame[column] = converted
    return frame


def engine_label(answer: Answer) -> str:
    source = {
        "verified": "curated verified SQL",
        "compiled": "SQL compiled from the semantic model",
        "llm": "LLM proposal checked by the SQL guard",
    }.get(answer.source, "no query ran")
    return f"Engine: {answer.engine or 'assistant'} · {source}"


def _as_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
