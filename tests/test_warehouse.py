import errno
import os
import shutil
import threading

import duckdb
import pytest

from customer360.errors import DiskFullError, WarehouseBusyError
from customer360.warehouse import building, connect_read, connect_write, staged_path


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


def test_files_staged_with_a_build_are_published_with_it(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    (tmp_path / "models" / "old").mkdir(parents=True)
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "note.txt").write_text("before")
    with building(warehouse) as staging:
        _write_value(staging, 1)
        new_model = staged_path(staging, tmp_path / "models" / "new")
        new_model.mkdir(parents=True)
        (new_model / "model.txt").write_text("trees")
        note = staged_path(staging, tmp_path / "runs" / "note.txt")
        note.parent.mkdir(parents=True)
        note.write_text("after")
        assert not (tmp_path / "models" / "new").exists()
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["new", "old"]
    assert (tmp_path / "models" / "new" / "model.txt").read_text() == "trees"
    assert (tmp_path / "runs" / "note.txt").read_text() == "after"
    assert not list(tmp_path.glob("*.building*"))


def test_files_staged_with_a_failed_build_are_discarded(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with pytest.raises(RuntimeError), building(warehouse) as staging:
        _write_value(staging, 1)
        new_model = staged_path(staging, tmp_path / "models" / "new")
        new_model.mkdir(parents=True)
        raise RuntimeError("crash mid-build")
    assert not (tmp_path / "models").exists()
    assert not warehouse.exists()
    assert not list(tmp_path.glob("*.building*"))


def test_a_killed_builds_leftovers_are_removed_by_the_next_build(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with building(warehouse) as staging:
        _write_value(staging, 1)
    staging.write_bytes(b"half a copy")  # what a kill -9 mid-build leaves
    staged_path(staging, tmp_path / "models" / "orphan").mkdir(parents=True)
    with building(warehouse) as staging:
        pass
    assert not (tmp_path / "models").exists()
    assert not list(tmp_path.glob("*.building*"))


def test_a_full_disk_while_copying_leaves_no_partial_copy(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    with building(warehouse) as staging:
        _write_value(staging, 1)
    before = warehouse.read_bytes()

    def copy_half(source, target):
        target.write_bytes(source.read_bytes()[:1000])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfile", copy_half)
    with (
        pytest.raises(DiskFullError, match=r"No space left on device.*unchanged"),
        building(warehouse),
    ):
        pass
    assert warehouse.read_bytes() == before
    assert not list(tmp_path.glob("*.building*"))
