"""Small Streamlit helpers shared by the pages: messages, money, CSV downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from customer360.app.connection import WarehouseUnavailableError
from customer360.app.context import app_context
from customer360.app.pii import mask_frame


@contextmanager
def data_required() -> Iterator[None]:
    """Turn a missing warehouse or table into one clear message instead of a traceback."""
    try:
        yield
    except WarehouseUnavailableError as exc:
        st.info(str(exc), icon=":material/database:")


def money(value: Any, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"${float(value):,.{digits}f}"


def number(value: Any, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):,.{digits}f}"


def percent(value: Any, digits: int = 1, signed: bool = True) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):{'+' if signed else ''},.{digits}f}%"


def masked(frame: pd.DataFrame) -> pd.DataFrame:
    return mask_frame(frame, app_context().mask_pii)


def csv_bytes(frame: pd.DataFrame, mask_pii: bool) -> bytes:
    """Raw values (no display formatting), with PII masked for roles that must not see it."""
    return mask_frame(frame, mask_pii).to_csv(index=False).encode("utf-8")


def csv_download(
    source: pd.DataFrame | Callable[[], pd.DataFrame], label: str, file_name: str, key: str
) -> None:
    """A CSV download; a callable source is only run when the button is clicked."""
    mask_pii = app_context().mask_pii
    if isinstance(source, pd.DataFrame):
        payload: bytes | Callable[[], bytes] = csv_bytes(source, mask_pii)
    else:

        def payload() -> bytes:
            return csv_bytes(source(), mask_pii)

    st.download_button(
        label,
        payload,
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def empty(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def page_header(title: str, caption: str, extra: Callable[[], None] | None = None) -> None:
    st.title(title)
    context = app_context()
    note = " · PII masked (analyst role)" if context.mask_pii else ""
    st.caption(f"{caption}{note}")
    if extra:
        extra()
