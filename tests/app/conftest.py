"""Fixtures for the page tests: the tiny world, an unscored copy, an empty data dir."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline_world import World

PAGES = ("segment_explorer", "customer_360", "assistant", "campaign", "churn_model", "data_health")


@pytest.fixture(scope="session")
def app_world(pipeline_world: World) -> World:
    return pipeline_world


@pytest.fixture(scope="session")
def app_data_dir(app_world: World) -> Path:
    return app_world.data_dir


@pytest.fixture(scope="session")
def unscored_dir(app_world: World) -> Path:
    """The same warehouse before the churn stage ran: everyone is 'Not Scored'."""
    return app_world.unscored_dir


@pytest.fixture()
def empty_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture()
def use_data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Point the app at a data dir (and a viewer role) the way `c360 app` does: environment."""

    def point(data_dir: Path, role: str = "") -> None:
        monkeypatch.setenv("C360_DATA_DIR", str(data_dir))
        if role:
            monkeypatch.setenv("C360_ROLE", role)
        else:
            monkeypatch.delenv("C360_ROLE", raising=False)

    yield point
