"""Cached access to the query functions, keyed on the warehouse file's identity.

A rebuild swaps the warehouse file; its new (inode, mtime, size) changes every cache key, so
pages show the new data on their next run without anyone clearing a cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from customer360.app import data
from customer360.app.connection import Version, warehouse_at
from customer360.app.context import app_context

T = TypeVar("T")


@st.cache_data(max_entries=512, show_spinner=False)
def _call(name: str, path: str, version: Version, args: tuple, kwargs: tuple) -> Any:
    return getattr(data, name)(warehouse_at(path), *args, **dict(kwargs))


def load(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `data.<query>` for the current warehouse, from cache when the file is unchanged."""
    wh = warehouse_at(app_context().warehouse_path)
    return _call(query.__name__, str(wh.path), wh.version(), args, tuple(sorted(kwargs.items())))


def warehouse_version() -> Version:
    return warehouse_at(app_context().warehouse_path).version()
