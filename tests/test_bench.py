import json

import pytest

from customer360.bench import (
    TABLE_END,
    TABLE_START,
    parse_stages,
    run_bench,
    write_markdown_table,
)
from customer360.errors import UsageError


def test_bench_measures_each_stage_in_its_own_process(tmp_path):
    result = run_bench(tmp_path / "world", customers=200, seed=3, stages=("generate", "ingest"))
    assert [stage.stage for stage in result.stages] == ["generate", "ingest"]
    generated, ingested = result.stages
    assert generated.rows > 0 and ingested.rows >= generated.rows
    assert all(stage.seconds > 0 and stage.peak_mb > 10 for stage in result.stages)
    payload = json.loads(result.to_json())
    assert payload["customers"] == 200 and len(payload["stages"]) == 2
    assert "| generate |" in result.to_markdown()


def test_unknown_bench_stage_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown bench stage"):
        parse_stages("generate,fly")


def test_bench_table_replaces_only_the_block_between_its_markers(tmp_path):
    page = tmp_path / "README.md"
    page.write_text(
        f"# Title\n\nProse before.\n\n{TABLE_START}\nold table\n{TABLE_END}\n\nAfter.\n"
    )

    write_markdown_table(page, "| new | table |\n")
    write_markdown_table(page, "| new | table |\n")

    assert page.read_text() == (
        f"# Title\n\nProse before.\n\n{TABLE_START}\n| new | table |\n{TABLE_END}\n\nAfter.\n"
    )


def test_bench_table_is_the_whole_file_when_there_are_no_markers(tmp_path):
    page = tmp_path / "bench.md"
    write_markdown_table(page, "| t |\n")
    assert page.read_text() == f"{TABLE_START}\n| t |\n{TABLE_END}\n"
