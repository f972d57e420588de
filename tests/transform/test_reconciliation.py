"""The bronze → silver → gold reconciliation test catches lost and invented rows, file by file,
and accepts the rows silver drops as later landings of an id it keeps."""

from __future__ import annotations

import duckdb
import pytest

from customer360.transform import TransformError, run_transform

RECONCILIATION = "assert_transactions_reconcile_bronze_silver_gold"


def _tamper(database, *statements: str) -> None:
    con = duckdb.connect(str(database))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def _reconcile(database, dbt_target) -> None:
    run_transform(database, select=RECONCILIATION, target_dir=dbt_target)


def test_a_built_warehouse_reconciles(copy_warehouse, dbt_target):
    _reconcile(copy_warehouse("reconciled"), dbt_target)


BROKEN_LAYERS = {
    "lost-row": (
        "delete from silver.stg_transactions where transaction_id = "
        "(select min(transaction_id) from silver.stg_transactions)",
        "delete from gold.fct_transactions where transaction_id not in "
        "(select transaction_id from silver.stg_transactions)",
    ),
    "invented-row": (
        "insert into silver.stg_transactions select * replace "
        "('TXN-INVENTED' as transaction_id) from silver.stg_transactions limit 1",
    ),
    "short-fact": (
        "delete from gold.fct_transactions where transaction_id = "
        "(select max(transaction_id) from gold.fct_transactions)",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN_LAYERS))
def test_a_lost_or_invented_row_fails(breakage, copy_warehouse, dbt_target):
    database = copy_warehouse(breakage)
    _tamper(database, *BROKEN_LAYERS[breakage])
    with pytest.raises(TransformError, match=RECONCILIATION):
        _reconcile(database, dbt_target)


def test_a_later_landing_of_a_kept_id_is_accounted_for(copy_warehouse, dbt_target):
    database = copy_warehouse("relanded")
    _tamper(
        database,
        "insert into bronze.transactions select * replace "
        "('landing/transactions/late.csv.gz' as _source_file) "
        "from bronze.transactions order by _key limit 1",
    )
    _reconcile(database, dbt_target)
