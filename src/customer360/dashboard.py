"""Starting the Streamlit dashboard bound to one data directory."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

from customer360.config import DATA_DIR_ENV, Settings
from customer360.errors import UsageError

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


def check_listen(port: int, address: str) -> None:
    """Refuse (UsageError) a port or address the server could not listen on, before starting it.

    Streamlit would otherwise fail after start-up with a traceback. The probe binds and closes
    a socket; it does not listen, so it leaves nothing behind.
    """
    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port; use 1 to 65535 (default 8501)")
    try:
        family, kind, _, _, where = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(
            f"--address {address} is neither an IP address nor a known host name; use "
            "127.0.0.1 (this machine only) or 0.0.0.0 (every interface)"
        ) from exc
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(where)
        except OSError as exc:
            raise UsageError(_bind_problem(exc, port, address)) from exc


def _bind_problem(exc: OSError, port: int, address: str) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"--port {port} is in use on {address} (another dashboard?); stop it or pick "
            "another --port"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"--address {address} is not an address of this machine; use 127.0.0.1 (this "
            "machine only) or 0.0.0.0 (every interface)"
        )
    if exc.errno == errno.EACCES:
        return f"--port {port} needs administrator rights on this machine; use a port above 1023"
    return f"cannot listen on --address {address} --port {port}: {exc.strerror or exc}"


def _announce(port: int, address: str) -> None:
    print(f"Customer 360 dashboard on http://{address}:{port} (Ctrl-C to stop)", flush=True)


def serve(settings: Settings, port: int = 8501, address: str = "127.0.0.1") -> NoReturn:
    """Replace this process with the Streamlit server, so signals reach it directly."""
    check_listen(port, address)
    _announce(port, address)
    command = dashboard_command(port, address)
    os.execve(command[0], command, _environment(settings))


def serve_after_work(settings: Settings, port: int = 8501, address: str = "127.0.0.1") -> int:
    """Serve from a child process, for a command that has already done work in this one."""
    check_listen(port, address)
    _announce(port, address)
    try:
        return subprocess.call(dashboard_command(port, address), env=_environment(settings))
    except KeyboardInterrupt:
        return 0
