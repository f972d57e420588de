"""Without the orchestrate extra, `c360 orchestrate` says what to install, in one line."""

from __future__ import annotations

import subprocess
import sys

# Python refuses to import a module whose sys.modules entry is None: as if it were absent.
WITHOUT_DAGSTER = """
import sys
for name in ("dagster", "dagster_dbt", "dagster_webserver"):
    sys.modules[name] = None
sys.argv = ["c360", "orchestrate", "--data-dir", sys.argv[1]]
from customer360.cli import main
main()
"""


def test_orchestrate_without_dagster_says_what_to_install(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_DAGSTER, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()
    assert "uv sync --extra orchestrate" in line
    assert "Traceback" not in done.stderr
