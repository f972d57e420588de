"""A tiny world built by the Dagster definitions themselves, once per session.

Generated with one daily batch after the history; that batch is held back (`later/`) so tests
can land it. The first build materialises every asset in-process, as "Materialize all" in the
UI does; tests that run more jobs work on copies of its data directory.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

dg = pytest.importorskip("dagster", reason="the orchestrate extra is not installed")

from customer360.config import Settings, load_settings  # noqa: E402
from customer360.generate import GenerateOptions, generate_world  # noqa: E402
from customer360.orchestrate.definitions import build_definitions  # noqa: E402

CUSTOMERS = 400
SEED = 11
PARTITION = "2026-06-01"
# A few hundred customers are few enough for one feature to look too good by chance.
RETRAIN = {"ml__churn_model": {"config": {"override_sentinel": True}}}


@dataclass(frozen=True)
class FirstBuild:
    settings: Settings
    later: Path
    result: dg.ExecuteInProcessResult


@pytest.fixture(scope="session")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirstBuild]:
    root = tmp_path_factory.mktemp("orchestrate")
    settings = load_settings(root / "data")
    generate_world(GenerateOptions(customers=CUSTOMERS, seed=SEED, increments=1), settings)
    later = root / "later"
    for batch in sorted(settings.landing_dir.glob("*/0001-*")):
        target = later / batch.parent.name
        target.mkdir(parents=True, exist_ok=True)
        batch.rename(target / batch.name)
    defs = build_definitions(settings)
    (root / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(root / "dagster")) as instance:
        result = dg.materialize(
            list(defs.assets),
            resources=defs.resources,
            partition_key=PARTITION,
            run_config={"ops": RETRAIN},
            instance=instance,
        )
        yield FirstBuild(settings, later, result)


@pytest.fixture()
def world(first_build: FirstBuild, tmp_path: Path) -> Settings:
    """A private copy of the first build's data directory."""
    shutil.copytree(first_build.settings.data_dir, tmp_path / "data")
    return load_settings(tmp_path / "data")


@pytest.fixture()
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as test_instance:
        yield test_instance


def land_later_batch(first_build: FirstBuild, settings: Settings) -> list[Path]:
    """Drop the held-back daily batch into `settings`' landing folder."""
    landed = []
    for batch in sorted(first_build.later.glob("*/*")):
        target = settings.landing_entity_dir(batch.parent.name) / batch.name
        shutil.copyfile(batch, target)
        landed.append(target)
    return landed


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
