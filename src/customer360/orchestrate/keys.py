"""Asset keys shared by the definitions: `[schema, table]` as in the warehouse."""

from __future__ import annotations

import dagster as dg

from customer360.churn.sources import REQUIRED_TABLES
from customer360.ingest.entities import ENTITIES

LANDING = dg.AssetKey("landing")
# The bronze tables ingest writes: the landed entities and the merchant category reference.
BRONZE_TABLES = (*(entity.name for entity in ENTITIES), "merchant_categories")
CHURN_MODEL = dg.AssetKey(["ml", "churn_model"])
CHURN_PREDICTIONS = dg.AssetKey(["gold", "churn_predictions"])
WAREHOUSE = dg.AssetKey("warehouse")
# The gold tables the churn features read.
CHURN_SOURCES = tuple(dg.AssetKey(table.split(".")) for table in REQUIRED_TABLES)


def bronze(table: str) -> dg.AssetKey:
    return dg.AssetKey(["bronze", table])
