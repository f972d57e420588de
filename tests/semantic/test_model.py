from pathlib import Path

import duckdb
import pytest

from customer360.semantic import (
    CompileError,
    Compiler,
    Filter,
    SemanticModelError,
    SemanticQuery,
    find_problems,
    literal,
    load_model,
)


def test_packaged_model_meets_coverage_targets() -> None:
    model = load_model()
    dimensions = sum(len(t.dimensions) + len(t.time_dimensions) for t in model.tables)
    assert dimensions >= 40
    assert len(model.metrics) >= 30
    assert len(model.verified_queries) >= 19


def test_unknown_key_is_rejected_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("name: x\ntables: []\nbogus: 1\n")
    with pytest.raises(SemanticModelError, match="bogus"):
        load_model(bad)


def test_measures_is_accepted_as_facts(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "name: x\ntables:\n- name: t\n  base_table: {database: d, schema: s, table: t}\n"
        "  measures:\n  - {name: amount, expr: amount, data_type: NUMBER}\n"
    )
    assert load_model(path).tables[0].facts[0].name == "amount"


def test_model_compiles_against_warehouse(gold_warehouse: Path) -> None:
    with duckdb.connect(str(gold_warehouse), read_only=True) as con:
        assert find_problems(con, load_model()) == []


def test_missing_column_is_reported(gold_warehouse: Path, tmp_path: Path) -> None:
    text = load_model.__globals__["DEFAULT_MODEL_PATH"].read_text()
    path = tmp_path / "m.yaml"
    path.write_text(text.replace("expr: employment_status", "expr: employment_statuz"))
    with duckdb.connect(str(gold_warehouse), read_only=True) as con:
        problems = find_problems(con, load_model(path))
    columns = [p.where for p in problems if not p.where.startswith("verified_queries.")]
    assert columns == ["customer_profile.employment_status"]


def test_literal_quotes_strings_and_rejects_nan() -> None:
    assert literal("O'Brien; drop table x") == "'O''Brien; drop table x'"
    with pytest.raises(CompileError):
        literal(float("nan"))


def test_compiler_joins_profile_for_transaction_metric_by_state() -> None:
    sql = (
        Compiler(load_model())
        .compile(
            SemanticQuery(
                metrics=("total_spend",),
                dimensions=("state",),
                filters=(Filter("card_type", "=", ("Premium",)),),
            )
        )
        .sql
    )
    assert "left join gold.customer_360_profile as customer_profile" in sql
    assert "customer_profile.card_type = 'Premium'" in sql


def test_compiler_refuses_fan_out_join() -> None:
    with pytest.raises(CompileError, match="duplicating rows"):
        Compiler(load_model()).compile(
            SemanticQuery(metrics=("avg_lifetime_value",), dimensions=("channel",))
        )
