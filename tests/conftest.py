"""Session fixtures shared by every suite."""

from __future__ import annotations

import pytest

from pipeline_world import World, tiny_world


@pytest.fixture(scope="session")
def pipeline_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A 500-customer world through generate → ingest → dbt → train → score, built once."""
    return tiny_world(tmp_path_factory)
