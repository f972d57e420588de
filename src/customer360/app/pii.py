"""Masking of personal data (names, emails) for viewers without PII access."""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer360.privacy import EMAIL_COLUMNS, NAME_COLUMNS, PII_COLUMNS

MASK = "•••"


def mask_name(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return " ".join(f"{part[0]}{MASK}" for part in value.split())


def mask_email(value: Any) -> Any:
    if not isinstance(value, str) or "@" not in value:
        return MASK if isinstance(value, str) and value else value
    local, _, domain = value.partition("@")
    return f"{local[:1]}{MASK}@{MASK}.{domain.rsplit('.', 1)[-1]}"


def mask_frame(frame: pd.DataFrame, masked: bool) -> pd.DataFrame:
    """A copy with name and email columns masked (the frame itself when not masked)."""
    if not masked or not any(c in frame.columns for c in PII_COLUMNS):
        return frame
    out = frame.copy()
    for column in out.columns:
        if column in NAME_COLUMNS:
            out[column] = out[column].map(mask_name)
        elif column in EMAIL_COLUMNS:
            out[column] = out[column].map(mask_email)
    return out


def mask_record(record: dict[str, Any], masked: bool) -> dict[str, Any]:
    if not masked:
        return record
    out = dict(record)
    for key in NAME_COLUMNS:
        if key in out:
            out[key] = mask_name(out[key])
    for key in EMAIL_COLUMNS:
        if key in out:
            out[key] = mask_email(out[key])
    return out
