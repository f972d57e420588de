"""DDL and names of the bronze and ops tables ingest writes."""

from __future__ import annotations

import duckdb

from customer360.ingest.entities import ENTITIES, Entity

MANIFEST = "ops.file_manifest"
QUARANTINE = "ops.quarantine"
CATEGORIES = "bronze.merchant_categories"
CUSTOMERS_TABLE = "bronze.customers"

LINEAGE_COLUMNS = (
    ("_batch", "VARCHAR"),
    ("_source_file", "VARCHAR"),
    ("_source_row", "BIGINT"),
    ("_loaded_at", "TIMESTAMP"),
)

_MANIFEST_DDL = f"""
create table if not exists {MANIFEST} (
    path varchar not null,
    entity varchar not null,
    batch varchar not null,
    sha256 varchar,
    bytes bigint,
    rows_in bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    status varchar not null,
    error varchar,
    loaded_at timestamp not null
)
"""

_QUARANTINE_DDL = f"""
create table if not exists {QUARANTINE} (
    entity varchar not null,
    batch varchar not null,
    source_file varchar not null,
    source_row bigint not null,
    reason varchar not null,
    column_name varchar,
    detail varchar not null,
    raw_line varchar,
    loaded_at timestamp not null
)
"""


# The natural key as validation compares it (trimmed, upper-case); kept so that duplicate checks
# against bronze compare a stored column (cheap, prunable) instead of re-trimming every row.
KEY_COLUMN = "_key"


def bronze_ddl(entity: Entity) -> str:
    columns = [f"{c.name} {c.bronze_type}" for c in entity.columns]
    columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
    columns.append(f"{KEY_COLUMN} VARCHAR")
    return f"create table if not exists {entity.table} ({', '.join(columns)})"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the bronze and ops schemas and tables when missing; never drops anything."""
    con.execute("create schema if not exists bronze")
    con.execute("create schema if not exists ops")
    con.execute(_MANIFEST_DDL)
    con.execute(_QUARANTINE_DDL)
    for entity in ENTITIES:
        con.execute(bronze_ddl(entity))
