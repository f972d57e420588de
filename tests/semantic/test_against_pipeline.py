"""The semantic model and the assistant against a warehouse built by the real pipeline."""

import json
import shutil
import subprocess
import sys

import pytest

from customer360.semantic.model import default_model
from customer360.semantic.validate import find_problems
from customer360.warehouse import connect_read


@pytest.fixture(scope="module")
def warehouse(pipeline_world, tmp_path_factory):
    """A private copy: other suites hold connections with their own settings to the original."""
    copy = tmp_path_factory.mktemp("semantic") / "warehouse.duckdb"
    shutil.copyfile(pipeline_world.data_dir / "warehouse.duckdb", copy)
    return copy


def test_every_semantic_model_expression_compiles_on_the_real_gold_layer(warehouse):
    with connect_read(warehouse) as con:
        problems = find_problems(con, default_model())
    assert problems == []


def test_ask_json_from_the_command_line(pipeline_world):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "customer360",
            "--data-dir",
            str(pipeline_world.data_dir),
            "ask",
            "How many customers are in each segment?",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "answered"
    assert answer["columns"] and sum(row[-1] for row in answer["rows"]) == 500
