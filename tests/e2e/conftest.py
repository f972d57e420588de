"""The dashboard as a real server on 127.0.0.1, and headless Debian Chromium to drive it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline_world import World

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(tempfile.gettempdir()) / "c360-e2e-screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


def start_app(data_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [
        sys.executable, "-m", "customer360", "--data-dir", str(data_dir),
        "app", "--port", str(port), "--address", "127.0.0.1",
    ]  # fmt: skip
    env = dict(os.environ)
    env.pop("C360_ROLE", None)
    env.pop("C360_DATA_DIR", None)
    handle = log.open("w")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
    except BaseException:
        process.terminate()
        process.wait(10)
        raise
    return process, url


@pytest.fixture(scope="session")
def e2e_world(pipeline_world: World) -> World:
    if not CHROMIUM.exists():
        pytest.skip("Debian Chromium is not installed at /usr/bin/chromium")
    return pipeline_world


@pytest.fixture(scope="session")
def app_url(e2e_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, url = start_app(e2e_world.data_dir, tmp_path_factory.mktemp("e2e") / "app.log")
    yield url
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser(e2e_world: World, chromium):
    return chromium


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
