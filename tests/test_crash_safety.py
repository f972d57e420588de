"""A run killed mid-build leaves the last good warehouse readable and unchanged."""

import hashlib
import resource
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


# A run killed (SIGKILL) exactly at a stage boundary: the driver wraps one function of the
# package so that the process kills itself right before or after it, then runs `c360`.
KILL_DRIVER = """
import importlib, os, signal, sys
module_name, name, when, *argv = sys.argv[1:]
module = importlib.import_module(module_name)
real = getattr(module, name)
def killed_here(*args, **kwargs):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(module, name, killed_here)
from customer360.cli import main
sys.argv = ["c360", *argv]
main()
"""


def _killed_at(data_dir, point, *command):
    module, name, when = point
    driver = [sys.executable, "-c", KILL_DRIVER, module, name, when]
    process = subprocess.run(
        [*driver, "--data-dir", str(data_dir), *command, "--quiet"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert process.returncode == -signal.SIGKILL, (point, process.stderr[-2000:])


def _current_model(warehouse):
    with connect_read(warehouse) as con:
        return con.execute(
            "select model_version from ml.model_runs order by trained_at desc limit 1"
        ).fetchone()[0]


def _outside_the_warehouse(data_dir):
    """Everything a run could write beside the warehouse, with its bytes."""
    return {
        str(path.relative_to(data_dir)): path.read_bytes()
        for folder in ("models", "runs")
        for path in sorted((data_dir / folder).rglob("*"))
        if path.is_file() and "dbt-target" not in path.parts
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A published world (model V0) with one more day landed that it has not ingested yet."""
    root = tmp_path_factory.mktemp("published")
    settings = load_settings(root / "data")
    generate_world(GenerateOptions(customers=300, seed=5, defect_rate=0.0, increments=1), settings)
    held = root / "held"
    for increment in settings.landing_dir.glob("*/0001-*"):
        target = held / increment.relative_to(settings.landing_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        increment.rename(target)
    subprocess.run(_c360(settings.data_dir, "pipeline", "--quiet"), check=True, timeout=240)
    for increment in held.rglob("0001-*"):
        increment.rename(settings.landing_dir / increment.relative_to(held))
    return settings.data_dir


def _copy(published, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(published, copy)
    return copy


PIPELINE_BOUNDARIES = {
    "ingest > transform": ("customer360.pipeline", "ingest_landing", "after"),
    "transform > train": ("customer360.pipeline", "transform_stage", "after"),
    "train > score": ("customer360.pipeline", "train_stage", "after"),
    "score > final marts": ("customer360.churn", "score", "after"),
    "final marts > publish": ("customer360.warehouse", "_checkpoint", "before"),
    "files published > warehouse renamed": ("customer360.warehouse", "_publish_files", "after"),
}


@pytest.fixture(scope="module")
def pipeline_kills(published, tmp_path_factory):
    """`c360 pipeline` killed once at every boundary, each on its own copy, several at once."""

    def kill(boundary):
        data_dir = _copy(published, tmp_path_factory.mktemp("killed"))
        _killed_at(data_dir, PIPELINE_BOUNDARIES[boundary], "pipeline")
        return data_dir

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(PIPELINE_BOUNDARIES, pool.map(kill, PIPELINE_BOUNDARIES), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("boundary", PIPELINE_BOUNDARIES)
def test_pipeline_killed_at_a_stage_boundary_leaves_the_last_good_state_live(
    published, pipeline_kills, boundary
):
    data_dir = pipeline_kills[boundary]
    warehouse = data_dir / "warehouse.duckdb"
    assert _digest(warehouse) == _digest(published / "warehouse.duckdb")
    model = _current_model(published / "warehouse.duckdb")
    assert _current_model(warehouse) == model
    outside, left = _outside_the_warehouse(published), _outside_the_warehouse(data_dir)
    if boundary == "files published > warehouse renamed":
        # The new model version is in place, but the live warehouse does not name it.
        added = {Path(k).parts[:2] for k in set(left) - set(outside)}
        assert len(added) == 1 and next(iter(added))[0] == "models", added
        assert next(iter(added))[1] != model
        assert {k: left[k] for k in outside} == outside
    else:
        assert left == outside


@pytest.mark.slow
def test_a_rerun_after_a_kill_mid_publish_converges(published, pipeline_kills):
    data_dir = pipeline_kills["files published > warehouse renamed"]
    rerun = subprocess.run(
        _c360(data_dir, "pipeline", "--quiet"), capture_output=True, text=True, timeout=240
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    model = _current_model(data_dir / "warehouse.duckdb")
    assert model != _current_model(published / "warehouse.duckdb")
    assert (data_dir / "models" / model / "model.txt").is_file()
    assert not list(data_dir.glob("warehouse.building*"))


def test_train_killed_before_publish_leaves_scoring_on_the_published_model(published, tmp_path):
    data_dir = _copy(published, tmp_path)
    warehouse = data_dir / "warehouse.duckdb"
    before, model = _digest(warehouse), _current_model(warehouse)

    # A new seed makes a new model version; the run dies once it is trained and written.
    _killed_at(data_dir, ("customer360.pipeline", "train_stage", "after"), "train", "--seed", "9")

    assert _digest(warehouse) == before
    assert sorted(p.name for p in (data_dir / "models").iterdir()) == [model]
    rescore = subprocess.run(_c360(data_dir, "score", "--quiet"), capture_output=True, text=True)
    assert rescore.returncode == 0, rescore.stderr[-2000:]
    with connect_read(warehouse) as con:
        runs = {row[0] for row in con.execute("select model_version from ml.model_runs").fetchall()}
        scored_with = con.execute(
            "select distinct model_version from gold.churn_predictions"
        ).fetchall()
    assert scored_with == [(model,)]
    assert model in runs
    assert not list(data_dir.glob("warehouse.building*"))


def test_ingest_killed_before_publish_leaves_the_warehouse_and_manifest_unchanged(
    published, tmp_path
):
    data_dir = _copy(published, tmp_path)
    warehouse = data_dir / "warehouse.duckdb"
    before = _digest(warehouse)
    _killed_at(data_dir, ("customer360.warehouse", "_checkpoint", "before"), "ingest")
    assert _digest(warehouse) == before
    status = subprocess.run(_c360(data_dir, "status"), capture_output=True, text=True)
    assert status.returncode == 0 and "0001-" in status.stdout


def _c360_with_file_limit(data_dir, limit, *args):
    """`c360` unable to write any file past `limit` bytes, as on a disk that fills up."""

    def cap():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        _c360(data_dir, *args), capture_output=True, text=True, timeout=240, preexec_fn=cap
    )


def test_a_disk_full_while_copying_the_warehouse_leaves_no_partial_copy(published, tmp_path):
    data_dir = _copy(published, tmp_path)
    warehouse = data_dir / "warehouse.duckdb"
    before = _digest(warehouse)
    result = _c360_with_file_limit(data_dir, warehouse.stat().st_size // 2, "transform", "--quiet")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "File too large while building" in result.stderr
    assert _digest(warehouse) == before
    assert not list(data_dir.glob("warehouse.building*"))


def test_a_disk_full_inside_dbt_is_one_line_and_leaves_the_last_good_state(published, tmp_path):
    data_dir = _copy(published, tmp_path)
    warehouse = data_dir / "warehouse.duckdb"
    before = _digest(warehouse)
    log = data_dir / "runs" / "dbt-target" / "logs" / "dbt.log"
    log.unlink()
    log.symlink_to("/dev/full")  # every write to dbt's log fails with "No space left on device"
    result = _c360_with_file_limit(
        data_dir, warehouse.stat().st_size, "transform", "--full-refresh", "--quiet"
    )
    assert "Logging error" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "File too large while building" in result.stderr
    assert _digest(warehouse) == before
    assert not list(data_dir.glob("warehouse.building*"))
