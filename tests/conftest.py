"""Session fixtures shared by every suite."""

from __future__ import annotations

import pytest

from pipeline_world import World, tiny_world


@pytest.fixture(scope="session")
def pipeline_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A 500-customer world through generate → ingest → dbt → train → score, built once."""
    return tiny_world(tmp_path_factory)


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium per test process, shared by every browser test: Playwright's
    sync API runs one event loop per thread, so a second `sync_playwright()` in the same worker
    fails while the first is open."""
    from playwright.sync_api import sync_playwright

    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip("Debian Chromium is not installed at /usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
