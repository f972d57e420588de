"""The merchant category reference list, loaded into `bronze.merchant_categories` each run."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime
from importlib import resources
from pathlib import Path

import duckdb

from customer360.errors import LandingFileError
from customer360.ingest.tables import CATEGORIES

REFERENCE_COLUMNS = (
    "category_name",
    "mcc",
    "category_group",
    "spending_type",
    "discretionary_flag",
)


def load_reference(
    con: duckdb.DuckDBPyConnection, reference: Path | None, loaded_at: datetime
) -> int:
    """Replace `bronze.merchant_categories` with the reference CSV; returns its row count.

    Without an explicit path the packaged `customer360/reference/merchant_categories.csv` is used.
    All columns stay text as landed; silver types them.
    """
    with ExitStack() as stack:
        if reference is None:
            packaged = resources.files("customer360").joinpath("reference/merchant_categories.csv")
            reference = stack.enter_context(resources.as_file(packaged))
        if not reference.is_file():
            raise LandingFileError(
                f"merchant category reference {reference} not found; "
                "reinstall customer360 or pass the reference file"
            )
        con.execute(
            f"""
            create or replace table {CATEGORIES} as
            select *, $loaded_at::timestamp as _loaded_at
            from read_csv($path, header = true, all_varchar = true)
            """,  # noqa: S608 - table name is our constant
            {"path": str(reference), "loaded_at": loaded_at},
        )
    columns = {row[0] for row in con.execute(f"describe {CATEGORIES}").fetchall()}
    missing = [name for name in REFERENCE_COLUMNS if name not in columns]
    if missing:
        raise LandingFileError(
            f"merchant category reference {reference} lacks column(s) {', '.join(missing)}"
        )
    row = con.execute(f"select count(*) from {CATEGORIES}").fetchone()  # noqa: S608
    return int(row[0]) if row else 0
