"""`c360 ingest` exits non-zero with one line per failed file, on every run until dealt with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .landing_files import CUSTOMER_HEADER, customer, land_customers, write_csv


def _c360(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "customer360", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_failed_files_make_ingest_exit_non_zero_with_one_line_each(tmp_path):
    landing = tmp_path / "landing"
    land_customers(landing)
    write_csv(landing / "customers" / "0001-2026-06-29.csv", ["customer_id", "CUST1"])
    (landing / "transactions" / "0000-history.csv").mkdir(parents=True)

    first = _c360(tmp_path, "ingest", "--quiet")
    second = _c360(tmp_path, "ingest", "--quiet")

    for result in (first, second):
        assert result.returncode == 3
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 2
        assert lines[0].startswith("error: customers/0001-2026-06-29.csv: header lacks column(s)")
        assert lines[0].endswith("fix the file and land it again")
        assert lines[1] == (
            "error: transactions/0000-history.csv: is a directory, not a file; "
            "move it out of the landing folder"
        )


def test_clean_ingest_exits_zero(tmp_path):
    landing = tmp_path / "landing"
    write_csv(landing / "customers" / "0000-history.csv", [CUSTOMER_HEADER, customer(1)])

    result = _c360(tmp_path, "ingest", "--quiet")

    assert (result.returncode, result.stderr) == (0, "")
