"""`c360 orchestrate` serves the Dagster UI; headless Chromium finds the asset graph in it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from customer360.config import Settings
from e2e.conftest import CHROMIUM, _free_port

pytestmark = pytest.mark.slow

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "asset-graph.png"
# Asset nodes whose names the graph shows whole (it shortens the longer ones).
ASSETS = ("fct_transactions", "dim_customer", "churn_model", "churn_predictions", "warehouse")


def _wait_up(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"c360 orchestrate exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the Dagster UI did not come up at {url}")


@pytest.fixture()
def orchestrator(world: Settings, tmp_path: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("Debian Chromium is not installed at /usr/bin/chromium")
    port = _free_port()
    command = [
        sys.executable, "-m", "customer360", "--data-dir", str(world.data_dir),
        "orchestrate", "--port", str(port),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in {"C360_DATA_DIR", "DAGSTER_HOME"}}
    with (tmp_path / "orchestrate.log").open("w") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # dagster dev and the processes it started
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_the_ui_shows_the_asset_graph(orchestrator: str, world: Settings, chromium):
    context = chromium.new_context(viewport={"width": 1800, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{orchestrator}/asset-groups")
        page.get_by_text("Global asset lineage").wait_for()
        _dismiss_welcome(page)
        _expand_all_groups(page)
        for asset in ASSETS:
            page.get_by_text(asset, exact=True).first.wait_for(state="attached")
        if os.environ.get("C360_UPDATE_SCREENSHOT"):
            page.get_by_role("button", name="zoom_out").click()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(DOCS_SCREENSHOT))
    finally:
        context.close()
    assert (world.data_dir / "dagster" / "dagster.yaml").is_file()


def _dismiss_welcome(page) -> None:
    """A new Dagster instance greets its first visitor with a newsletter dialog."""
    skip = page.get_by_role("button", name="Skip")
    try:
        skip.wait_for(timeout=5_000)
    except Exception:
        return
    skip.click()


def _expand_all_groups(page) -> None:
    """The graph opens with one box per group; its settings menu expands them all."""
    page.get_by_role("button", name="settings", exact=True).click()
    page.get_by_text("Expand all groups").locator("visible=true").first.click()
    page.keyboard.press("Escape")
