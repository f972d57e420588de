"""The result of reading a question: a semantic query, or a refusal or question back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from customer360.semantic.query import SemanticQuery

Status = Literal["answered", "refused", "clarify"]


@dataclass(frozen=True)
class Parsed:
    status: Status
    query: SemanticQuery | None = None
    message: str = ""
    unknown: tuple[str, ...] = ()
