"""The assistant's reply: what it understood, the SQL it ran and the rows, or why not."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from customer360.semantic.query import SemanticQuery

AnswerStatus = Literal["answered", "refused", "clarify"]
DETERMINISTIC = "deterministic engine"
VERIFIED = "verified query"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@dataclass(frozen=True)
class Answer:
    status: AnswerStatus
    sql: str | None = None
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    interpretation: str = ""
    message: str = ""
    suggestions: tuple[str, ...] = ()
    # What the reader assumed where the question left a choice (stated, never silent).
    assumptions: tuple[str, ...] = ()
    query: SemanticQuery | None = field(default=None, compare=False)
    source: Literal["verified", "compiled", "llm", "none"] = "none"
    engine: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "sql": self.sql,
            "columns": list(self.columns),
            "rows": [[_jsonable(v) for v in row] for row in self.rows],
            "interpretation": self.interpretation,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "assumptions": list(self.assumptions),
            "engine": self.engine,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), default=str)
