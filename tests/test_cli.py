import subprocess
import sys
from pathlib import Path

import pytest
import typer

from customer360.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
COMMANDS = sorted(typer.main.get_command(app).commands)


def c360(*args: str, env_data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    prefix = ["--data-dir", str(env_data_dir)] if env_data_dir else []
    return subprocess.run(
        [sys.executable, "-m", "customer360", *prefix, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = c360(command, "--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"`c360 {command}" in README.read_text()


def test_bad_option_value_is_one_line_and_exit_2():
    result = c360("generate", "--customers", "many")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--customers" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_as_of_date_is_one_line(tmp_path):
    result = c360("generate", "--as-of", "30/06/2026", env_data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --as-of '30/06/2026' is not a date; use YYYY-MM-DD or 'today'"
    ]


def test_ingest_without_landing_folder_says_what_to_do(tmp_path):
    result = c360("ingest", env_data_dir=tmp_path / "nowhere")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "c360 generate" in result.stderr


def test_unknown_command_is_one_line():
    result = c360("frobnicate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreadable_data_dir_is_one_line(tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    result = c360("generate", "--customers", "10", env_data_dir=blocker)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_status_on_empty_data_dir_explains_next_step(tmp_path):
    result = c360("status", env_data_dir=tmp_path)
    assert result.returncode == 0
    assert "c360 generate" in result.stdout
