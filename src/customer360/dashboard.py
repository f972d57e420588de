"""Starting the Streamlit dashboard bound to one data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

from customer360.config import DATA_DIR_ENV, Settings

ENTRY_FILE = Path(__file__).resolve().parent / "app" / "main.py"


def dashboard_command(port: int, address: str) -> list[str]:
    # Headless: Streamlit then neither opens a browser nor asks for an e-mail on first run.
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRY_FILE),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]


def _environment(settings: Settings) -> dict[str, str]:
    return {**os.environ, DATA_DIR_ENV: str(settings.data_dir.resolve())}


def _announce(port: int, address: str) -> None:
    print(f"Customer 360 dashboard on http://{address}:{port} (Ctrl-C to stop)", flush=True)


def serve(settings: Settings, port: int = 8501, address: str = "127.0.0.1") -> NoReturn:
    """Replace this process with the Streamlit server, so signals reach it directly."""
    _announce(port, address)
    command = dashboard_command(port, address)
    os.execve(command[0], command, _environment(settings))


def serve_after_work(settings: Settings, port: int = 8501, address: str = "127.0.0.1") -> int:
    """Serve from a child process, for a command that has already done work in this one."""
    _announce(port, address)
    try:
        return subprocess.call(dashboard_command(port, address), env=_environment(settings))
    except KeyboardInterrupt:
        return 0
