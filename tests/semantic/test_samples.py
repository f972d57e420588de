from pathlib import Path

import duckdb
import yaml

from customer360.semantic import load_model
from customer360.semantic.model import DEFAULT_MODEL_PATH
from customer360.semantic.samples import refresh_sample_values


def test_refresh_writes_values_from_the_data_and_keeps_the_rest(
    gold_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "model.yaml"
    changed = refresh_sample_values(gold_warehouse, DEFAULT_MODEL_PATH, out)
    before, after = load_model(), load_model(out)
    with duckdb.connect(str(gold_warehouse), read_only=True) as con:
        rows = con.execute("select distinct channel from gold.fct_transactions").fetchall()
    channels = {r[0] for r in rows}
    assert set(after.fields["channel"][2].sample_values) == channels
    assert "state" in changed and len(after.fields["state"][2].sample_values) >= 6
    assert after.verified_queries == before.verified_queries
    assert (
        list(after.fields) == list(before.fields) and after.metrics.keys() == before.metrics.keys()
    )
    assert out.read_text().startswith("# Customer 360 semantic model")


def test_refresh_never_samples_personal_or_unlisted_columns(
    gold_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "model.yaml"
    refresh_sample_values(gold_warehouse, DEFAULT_MODEL_PATH, out)
    raw = yaml.safe_load(out.read_text())
    dims = {d["name"]: d for t in raw["tables"] for d in t.get("dimensions") or []}
    for name in ("first_name", "last_name", "full_name", "email", "customer_id", "city"):
        assert "sample_values" not in dims[name], name


def test_refresh_is_idempotent(gold_warehouse: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    refresh_sample_values(gold_warehouse, DEFAULT_MODEL_PATH, first)
    assert refresh_sample_values(gold_warehouse, first, second) == {}
    assert first.read_text() == second.read_text()
