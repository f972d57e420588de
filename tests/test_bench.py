import json

import pytest

from customer360.bench import parse_stages, run_bench
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
