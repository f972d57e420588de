"""An explicit as_of rebuilds history at that date; nothing after it counts."""

from __future__ import annotations

from datetime import date

import duckdb

from customer360.transform import run_transform

from .conftest import rows

EARLIER = date(2026, 3, 31)


def test_explicit_as_of_measures_every_window_from_that_date(copy_warehouse, dbt_target):
    database = copy_warehouse("as-of")
    report = run_transform(database, as_of=EARLIER, target_dir=dbt_target, full_refresh=True)
    assert report.as_of == EARLIER
    con = duckdb.connect(str(database), read_only=True)
    try:
        updated = rows(con, "select distinct profile_updated_date from gold.customer_360_profile")
        latest = rows(con, "select max(last_transaction_date) from gold.customer_360_profile")
    finally:
        con.close()
    assert updated == [(EARLIER,)]
    assert latest[0][0] <= EARLIER
