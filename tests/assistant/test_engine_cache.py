"""`ask` keeps one assistant per warehouse file and follows atomic swaps."""

from __future__ import annotations

import shutil
from pathlib import Path

from customer360.assistant import Assistant, ask
from customer360.assistant.engine import close_all
from customer360.warehouse import building, connect_write

COUNT = "how many customers"


def _count(warehouse: Path) -> int:
    answer = ask(COUNT, warehouse)
    assert answer.status == "answered", answer.message
    return int(answer.rows[0][0])


def test_ask_sees_the_new_file_after_an_atomic_swap(gold_warehouse: Path, tmp_path: Path) -> None:
    live = tmp_path / "warehouse.duckdb"
    shutil.copyfile(gold_warehouse, live)
    try:
        before = _count(live)
        with building(live) as staging:
            con = connect_write(staging)
            con.execute(
                "delete from gold.customer_360_profile where customer_id in "
                "(select customer_id from gold.customer_360_profile order by customer_id limit 7)"
            )
            con.close()
        assert _count(live) == before - 7
        with building(live) as staging:
            con = connect_write(staging)
            con.execute("delete from gold.customer_360_profile where state = 'CA'")
            con.close()
        assert ask("how many customers in California", live).rows[0][0] == 0
    finally:
        close_all()


def test_follow_up_refines_a_verified_answer(assistant: Assistant) -> None:
    first = assistant.ask("Which customers are at highest risk of churning?")
    assert first.engine == "verified query" and first.query is not None
    follow = assistant.ask("now only Premium", first)
    assert follow.status == "answered", follow.message
    card = follow.columns.index("card_type")
    score = follow.columns.index("churn_risk_score")
    assert 0 < len(follow.rows) <= 10
    assert {row[card] for row in follow.rows} == {"Premium"}
    scores = [row[score] for row in follow.rows]
    assert None not in scores and scores == sorted(scores, reverse=True)


def test_conditional_share_is_of_the_unfiltered_population(assistant: Assistant) -> None:
    share = assistant.ask("what percentage of customers are High Risk")
    high = assistant.ask("how many High Risk customers").rows[0][0]
    total = assistant.ask(COUNT).rows[0][0]
    assert share.status == "answered", share.message
    assert abs(float(share.rows[0][0]) - 100.0 * high / total) < 1e-9
