"""Verified queries read back into SemanticQuery objects that compile to the same result."""

from __future__ import annotations

from pathlib import Path

import duckdb

from customer360.semantic.compiler import Compiler
from customer360.semantic.logical import expand_logical
from customer360.semantic.model import default_model
from customer360.semantic.query import Filter
from customer360.semantic.verified import verified_semantic_query


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return sorted((tuple(r) for r in con.execute(sql).fetchall()), key=str)


def test_verified_queries_read_back_to_equivalent_semantic_queries(gold_warehouse: Path) -> None:
    model = default_model()
    compiler = Compiler(model)
    con = duckdb.connect(str(gold_warehouse), read_only=True)
    converted = 0
    for verified in model.verified_queries:
        query = verified_semantic_query(verified.sql, model)
        if query is None:
            continue
        converted += 1
        gold = _rows(con, expand_logical(verified.sql, model))
        ours = _rows(con, compiler.compile(query).sql.replace("limit 1000", ""))
        assert ours == gold, verified.name
    con.close()
    assert converted >= 17


def test_verified_reader_keeps_filters_order_and_limit() -> None:
    model = default_model()
    query = verified_semantic_query(
        "select customer_id, churn_risk_score from __customer_profile "
        "where churn_risk_score is not null and card_type in ('Premium', 'Platinum') "
        "order by churn_risk_score desc limit 5",
        model,
    )
    assert query is not None
    assert query.filters == (
        Filter("churn_risk_score", "is not null"),
        Filter("card_type", "in", ("Premium", "Platinum")),
    )
    assert query.order[0].field == "churn_risk_score" and query.order[0].descending
    assert query.limit == 5


def test_verified_reader_declines_what_it_cannot_express() -> None:
    model = default_model()
    sql = (
        "select sum(transaction_amount) from __transactions where transaction_date > "
        "(select max(transaction_date) from __transactions) - interval 90 day"
    )
    assert verified_semantic_query(sql, model) is None
    assert verified_semantic_query("select weather from __customer_profile", model) is None
