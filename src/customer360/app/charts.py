"""Plotly chart builders sharing one theme."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"
PRIMARY = "#1f4e79"
PALETTE = ("#1f4e79", "#2e86ab", "#f18f01", "#c73e1d", "#6a994e", "#8e6c8a", "#b8b8b8")
RISK_COLOURS = {
    "High Risk": "#c73e1d",
    "Medium Risk": "#f18f01",
    "Low Risk": "#6a994e",
    "Not Scored": "#b8b8b8",
}


def themed(fig: go.Figure, title: str, height: int = 340) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "font": {"size": 15}},
        font={"family": FONT, "size": 12, "color": "#222"},
        colorway=list(PALETTE),
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    colours: Sequence[str] | None = None,
    horizontal: bool = False,
) -> go.Figure:
    trace = (
        go.Bar(y=frame[x], x=frame[y], orientation="h", marker_color=colours or PRIMARY)
        if horizontal
        else go.Bar(x=frame[x], y=frame[y], marker_color=colours or PRIMARY)
    )
    fig = go.Figure(trace)
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    return themed(fig, title)


def donut(frame: pd.DataFrame, names: str, values: str, title: str) -> go.Figure:
    colours = [RISK_COLOURS.get(str(n)) for n in frame[names]]
    marker = {"colors": colours} if all(colours) else {"colors": list(PALETTE)}
    fig = go.Figure(
        go.Pie(labels=frame[names], values=frame[values], hole=0.45, marker=marker, sort=False)
    )
    return themed(fig, title)


def risk_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    colours = [RISK_COLOURS.get(str(c), PRIMARY) for c in frame["churn_risk_category"]]
    return bar(frame, "churn_risk_category", "customers", title, colours)


def line(frame: pd.DataFrame, x: str, y: str, title: str, markers: bool = False) -> go.Figure:
    mode = "lines+markers" if markers else "lines"
    fig = go.Figure(go.Scatter(x=frame[x], y=frame[y], mode=mode, line={"color": PRIMARY}))
    return themed(fig, title)


def score_histogram(values: pd.Series, title: str, width: int = 5) -> go.Figure:
    """Risk scores in fixed 0–100 bins, so bars line up with the category thresholds."""
    bins = go.histogram.XBins(start=0, end=100 + width, size=width)
    fig = go.Figure(go.Histogram(x=values, xbins=bins, marker_color=PRIMARY))
    fig.update_xaxes(range=[0, 100 + width])
    return themed(fig, title)


def cost_breakdown(parts: dict[str, float], title: str) -> go.Figure:
    frame = pd.DataFrame({"part": list(parts), "cost": list(parts.values())})
    return donut(frame, "part", "cost", title)


def curve(
    x: Sequence[float],
    y: Sequence[float],
    title: str,
    x_title: str,
    y_title: str,
    marker_x: float | None = None,
) -> go.Figure:
    fig = go.Figure(go.Scatter(x=list(x), y=list(y), mode="lines", line={"color": PRIMARY}))
    fig.add_hline(y=0, line={"color": "#999", "dash": "dot"})
    if marker_x is not None:
        fig.add_vline(x=marker_x, line={"color": RISK_COLOURS["High Risk"], "dash": "dash"})
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title)
    return themed(fig, title)


def auto_chart(frame: pd.DataFrame, title: str) -> go.Figure | None:
    """A sensible chart for an assistant answer: a time line, a bar per category, or nothing."""
    if frame.empty or len(frame.columns) < 2 or len(frame) < 2:
        return None
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    labels = [c for c in frame.columns if c not in numeric]
    if not numeric or not labels:
        return None
    label, value = labels[0], numeric[-1]
    shown = frame.head(30)
    is_time = pd.api.types.is_datetime64_any_dtype(frame[label]) or label.lower() in {
        "month",
        "date",
        "day",
        "week",
        "year",
        "quarter",
    }
    if is_time:
        return line(shown.sort_values(label), label, value, title, markers=True)
    shown = shown.assign(**{label: shown[label].astype(str)})
    return bar(shown, label, value, title, horizontal=len(shown) > 8)
