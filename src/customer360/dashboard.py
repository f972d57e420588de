"""Starting the Streamlit dashboard bound to one data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

from customer360.config import DATA_DIR_ENV, Settings

ENTRY_FILE = Path(__file__).resolve().parent / "app" / "main.py"


def dashboard_command(port: int, address: str, headless: bool) -> list[str]:
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
        str(headless).lower(),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]


def run_dashboard(
    settings: Settings, port: int = 8501, address: str = "127.0.0.1", headless: bool = False
) -> NoReturn:
    """Replace this process with the Streamlit server, so signals reach it directly."""
    environment = {**os.environ, DATA_DIR_ENV: str(settings.data_dir.resolve())}
    print(f"Customer 360 dashboard on http://{address}:{port} (Ctrl-C to stop)", flush=True)
    command = dashboard_command(port, address, headless)
    os.execve(command[0], command, environment)
