"""`c360 orchestrate`: the Dagster UI and daemon over one data directory.

Imports nothing from Dagster, so without the `orchestrate` extra it can say what to install.
Dagster's own state (run history, schedule ticks, event logs) lives in `<data dir>/dagster`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import NoReturn

from customer360.config import DATA_DIR_ENV, Settings
from customer360.dashboard import check_listen
from customer360.errors import UsageError

DEFINITIONS_MODULE = "customer360.orchestrate.definitions"
EXTRA_PACKAGES = ("dagster", "dagster_dbt", "dagster_webserver")
# Every run builds the warehouse's one staging copy under its writer lock: one run at a time,
# the others wait in Dagster's queue instead of failing on the lock.
INSTANCE_SETTINGS = """\
# Written by `c360 orchestrate`; edit freely, it is not rewritten.
concurrency:
  runs:
    max_concurrent_runs: 1
telemetry:
  enabled: false
"""


def require_extra() -> None:
    missing = [name for name in EXTRA_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(
            f"Dagster is not installed ({', '.join(missing)} missing); install the extra with "
            "`uv sync --extra orchestrate` and re-run `c360 orchestrate`"
        )


def dagster_home(settings: Settings) -> Path:
    """Dagster's instance folder under the data directory, with its settings file."""
    home = (settings.data_dir / "dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_SETTINGS)
    return home


def orchestrator_command(port: int, address: str) -> list[str]:
    return [
        sys.executable, "-m", "dagster", "dev",
        "-m", DEFINITIONS_MODULE,
        "--host", address, "--port", str(port),
    ]  # fmt: skip


def serve(settings: Settings, port: int = 3000, address: str = "127.0.0.1") -> NoReturn:
    """Replace this process with `dagster dev` (UI + daemon), so signals reach it directly."""
    require_extra()
    check_listen(port, address)
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home(settings)),
        DATA_DIR_ENV: str(settings.data_dir.resolve()),
    }
    print(f"Dagster UI on http://{address}:{port} (Ctrl-C to stop)", flush=True)
    command = orchestrator_command(port, address)
    os.execve(command[0], command, environment)
