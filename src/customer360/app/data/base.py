"""Query execution and the filter records shared by the query modules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from customer360.app.connection import ReadOnlyWarehouse, WarehouseUnavailableError

PROFILE = "gold.customer_360_profile"
PREDICTIONS = "gold.churn_predictions"
MODEL_RUNS = "ml.model_runs"
RISK_ORDER = ("High Risk", "Medium Risk", "Low Risk", "Not Scored")


AUDIENCE_WHERE = """
where (len($segments::varchar[]) = 0 or list_contains($segments::varchar[], customer_segment))
  and (len($states::varchar[]) = 0 or list_contains($states::varchar[], state))
  and (len($risks::varchar[]) = 0 or list_contains($risks::varchar[], churn_risk_category))
  and (len($cards::varchar[]) = 0 or list_contains($cards::varchar[], card_type))
  and coalesce(lifetime_value, 0) >= $min_ltv
  and ($min_score = 0 or coalesce(churn_risk_score, -1) >= $min_score)
"""


@dataclass(frozen=True)
class SegmentFilter:
    """Audience filters shared by the Segment Explorer and the Campaign Simulator."""

    segments: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    card_types: tuple[str, ...] = ()
    min_ltv: float = 0.0
    min_risk_score: int = 0

    def params(self) -> dict[str, Any]:
        return {
            "segments": list(self.segments),
            "states": list(self.states),
            "risks": list(self.risks),
            "cards": list(self.card_types),
            "min_ltv": float(self.min_ltv),
            "min_score": int(self.min_risk_score),
        }


@dataclass(frozen=True)
class TransactionFilter:
    start: date | None = None
    end: date | None = None
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def params(self, customer_id: str) -> dict[str, Any]:
        return {
            "customer_id": customer_id,
            "start": self.start or date(1900, 1, 1),
            "end": self.end or date(9999, 12, 31),
            "categories": list(self.categories),
            "statuses": list(self.statuses),
        }


def frame(wh: ReadOnlyWarehouse, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    try:
        with wh.cursor() as cur:
            return cur.execute(sql, params or {}).df()
    except duckdb.CatalogException as exc:
        raise WarehouseUnavailableError(
            "The warehouse does not have this data yet. Run `c360 pipeline` to build it. "
            f"({str(exc).splitlines()[0]})"
        ) from exc


def existing_tables(wh: ReadOnlyWarehouse) -> frozenset[str]:
    rows = frame(wh, "select schema_name || '.' || table_name as name from duckdb_tables()")
    return frozenset(rows["name"])
