"""A run killed mid-build leaves the last good warehouse readable and unchanged."""

import hashlib
import signal
import subprocess
import sys
import time

import pytest

from customer360.config import load_settings
from customer360.generate import GenerateOptions, generate_world
from customer360.ingest import ingest_landing
from customer360.warehouse import building, connect_read


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _c360(data_dir, *args):
    return [sys.executable, "-m", "customer360", "--data-dir", str(data_dir), *args]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("crash"))
    generate_world(GenerateOptions(customers=300, seed=5, defect_rate=0.0), settings)
    with building(settings.warehouse_path) as staging:
        ingest_landing(settings.landing_dir, staging)
    return settings


def test_killed_transform_leaves_previous_warehouse_intact(ingested):
    settings = ingested
    before = _digest(settings.warehouse_path)
    process = subprocess.Popen(
        _c360(settings.data_dir, "transform", "--quiet"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = settings.warehouse_path.with_name("warehouse.building.duckdb")
    deadline = time.monotonic() + 60
    while not staging.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)
    assert process.poll() is None, "transform finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(30)

    assert _digest(settings.warehouse_path) == before
    with connect_read(settings.warehouse_path) as con:
        assert con.execute("select count(*) from bronze.customers").fetchone()[0] == 300

    rerun = subprocess.run(_c360(settings.data_dir, "transform", "--quiet"), capture_output=True)
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    with connect_read(settings.warehouse_path) as con:
        profiles = con.execute("select count(*) from gold.customer_360_profile").fetchone()[0]
    assert profiles == 300
