"""No user input is formatted into SQL; PII masking and the viewer role; swaps are followed."""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path

import pandas as pd

from customer360.app import data
from customer360.app.connection import ReadOnlyWarehouse
from customer360.app.pii import mask_email, mask_frame, mask_name
from customer360.app.ui import csv_bytes
from customer360.config import viewer_role

APP = Path(__file__).resolve().parents[2] / "src" / "customer360" / "app"
SQL_WORDS = re.compile(r"\b(select|insert|update|delete|drop|where|from|join|order by)\b", re.I)


def _sources() -> list[Path]:
    return sorted(APP.rglob("*.py"))


def test_no_sql_is_built_with_string_formatting() -> None:
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            text = None
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value for v in node.values if isinstance(v, ast.Constant) and v.value
                )
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
                and isinstance(node.func.value, ast.Constant)
            ):
                text = str(node.func.value.value)
            elif (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Mod)
                and isinstance(node.left, ast.Constant)
            ):
                text = str(node.left.value)
            if text and SQL_WORDS.search(text) and re.search(r"\b(select|where)\b", text, re.I):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_sql_is_only_in_the_data_package_and_only_concatenates_constants() -> None:
    for path in _sources():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                looks_like_query = re.match(r"\s*(select|with)\b", node.value, re.I)
                if looks_like_query and "data" not in path.parts:
                    raise AssertionError(f"SQL outside app/data: {path.name}:{node.lineno}")
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                for side in (node.left, node.right):
                    if isinstance(side, ast.Name) and SQL_WORDS.search(ast.unparse(node)):
                        assert side.id.isupper() or side.id.lstrip("_").isupper(), (
                            f"{path.name}:{node.lineno} concatenates {side.id} into SQL"
                        )


def test_every_execute_passes_parameters_separately() -> None:
    for path in (APP / "data").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "execute"
            ):
                assert len(node.args) == 2, f"{path.name}:{node.lineno} execute without params"


def test_viewer_role_reads_only_the_mapping() -> None:
    assert viewer_role({}) == "admin"
    assert viewer_role({"C360_ROLE": "analyst"}) == "analyst"
    assert viewer_role({"C360_ROLE": " Analyst "}) == "analyst"
    assert viewer_role({"C360_ROLE": "admin"}) == "admin"


def test_masking_hides_names_and_emails_everywhere() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["C1", "C2"],
            "full_name": ["Ada Lovelace", None],
            "first_name": ["Ada", "Bob"],
            "email": ["ada@example.com", "not-an-email"],
            "lifetime_value": [10.5, 20.0],
        }
    )
    out = mask_frame(frame, masked=True)
    assert out["full_name"].iloc[0] == "A••• L•••" and pd.isna(out["full_name"].iloc[1])
    assert out["email"].tolist() == ["a•••@•••.com", "•••"]
    assert out["customer_id"].tolist() == ["C1", "C2"]
    assert mask_frame(frame, masked=False) is frame
    exported = csv_bytes(frame, mask_pii=True).decode()
    assert "Lovelace" not in exported and "ada@example.com" not in exported
    assert "10.5" in exported
    assert mask_name("") == "" and mask_email(None) is None


def test_queries_follow_an_atomic_swap(app_data_dir: Path, unscored_dir: Path, tmp_path) -> None:
    live = tmp_path / "warehouse.duckdb"
    shutil.copyfile(app_data_dir / "warehouse.duckdb", live)
    wh = ReadOnlyWarehouse(live)
    before = data.segment_summary(wh, data.SegmentFilter())
    assert before["scored"] > 0
    with wh.assistant() as assistant:
        assert assistant.ask("how many customers").status == "answered"
    staged = tmp_path / "warehouse.building.duckdb"
    shutil.copyfile(unscored_dir / "warehouse.duckdb", staged)
    os.replace(staged, live)
    after = data.segment_summary(wh, data.SegmentFilter())
    assert after["scored"] == 0
    with wh.assistant() as assistant:
        answer = assistant.ask("average churn risk score")
    assert answer.status == "answered"
    assert answer.rows[0][0] is None
    wh.close()


def test_benchmark_times_every_page(app_data_dir: Path) -> None:
    from customer360.app.bench import benchmark_pages

    timings = benchmark_pages(app_data_dir / "warehouse.duckdb", repeats=3)
    assert len(timings) == 7
    assert all(p50 > 0 and p95 >= p50 for _, p50, p95 in timings)
