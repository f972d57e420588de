import threading

import duckdb
import pytest

from customer360.errors import WarehouseBusyError
from customer360.warehouse import building, connect_read, connect_write


def _write_value(path, value):
    con = connect_write(path)
    con.execute("create or replace table t as select ? as v", [value])
    con.close()


def test_building_publishes_on_success(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with building(warehouse) as staging:
        _write_value(staging, 1)
    with connect_read(warehouse) as con:
        assert con.execute("select v from t").fetchone() == (1,)
    assert not list(tmp_path.glob("*.building*"))


def test_failed_build_leaves_last_good_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with building(warehouse) as staging:
        _write_value(staging, 1)
    with pytest.raises(RuntimeError), building(warehouse) as staging:
        _write_value(staging, 2)
        raise RuntimeError("crash mid-build")
    with connect_read(warehouse) as con:
        assert con.execute("select v from t").fetchone() == (1,)


def test_open_reader_does_not_block_publish_and_sees_new_data_after_reopen(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with building(warehouse) as staging:
        _write_value(staging, 1)
    reader = connect_read(warehouse)
    with building(warehouse) as staging:
        _write_value(staging, 2)
    assert reader.execute("select v from t").fetchone() == (1,)
    reader.close()
    with connect_read(warehouse) as con:
        assert con.execute("select v from t").fetchone() == (2,)


def test_second_writer_is_refused_while_a_build_runs(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    inside = threading.Event()
    release = threading.Event()

    def hold():
        with building(warehouse) as staging:
            _write_value(staging, 1)
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(10)
    try:
        with pytest.raises(WarehouseBusyError), building(warehouse):
            pass
    finally:
        release.set()
        worker.join()


def test_building_starts_from_a_copy_of_the_live_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with building(warehouse) as staging:
        _write_value(staging, 1)
    with building(warehouse) as staging:
        con = duckdb.connect(str(staging))
        assert con.execute("select v from t").fetchone() == (1,)
        con.close()
