import os
import subprocess
import sys

from customer360.transform.project import dbt_project_dir


def test_dbt_parse_passes_for_the_snowflake_target(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SNOWFLAKE_", "C360_DBT_TARGET"))
    }
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    project = dbt_project_dir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dbt.cli.main",
            "parse",
            "--target",
            "snowflake",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (tmp_path / "target" / "manifest.json").exists()
