"""Helpers to run one dashboard page under Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

TIMEOUT = 60


def page(name: str) -> AppTest:
    script = f"from customer360.app.views import {name}\n{name}.render()\n"
    return AppTest.from_string(script, default_timeout=TIMEOUT)


def run_page(name: str) -> AppTest:
    app = page(name).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metric(app: AppTest, label: str) -> str:
    for item in app.metric:
        if item.label == label:
            return item.value
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in app.metric]}")


def texts(app: AppTest) -> str:
    """Everything the page wrote as text (markdown, captions, alerts, subheaders)."""
    parts = []
    for kind in (
        "title",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        parts += [str(element.value) for element in getattr(app, kind)]
    return "\n".join(parts)


def charts(app: AppTest) -> int:
    return len(app.get("plotly_chart"))


def frame_with(app: AppTest, column: str):
    """The first dataframe on the page that has `column` (dataframes carry no key in AppTest)."""
    for element in app.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no dataframe with column {column!r}")
