from pathlib import Path

import pytest

from customer360.assistant import Assistant, GuardError, guard_sql, policy_for
from customer360.assistant.executor import QueryTimeoutError, execute
from customer360.semantic import load_model

POLICY = policy_for(load_model(), max_rows=50)


@pytest.mark.parametrize(
    "sql",
    [
        "drop table gold.customer_360_profile",
        "delete from gold.customer_360_profile",
        "select 1; drop table gold.fct_transactions",
        "select * from read_csv('/etc/passwd')",
        "select customer_id from read_parquet('x.parquet')",
        "select customer_id from glob('*')",
        "pragma database_list",
        "copy gold.fct_transactions to '/tmp/x.csv'",
        "attach '/tmp/x.duckdb' as x",
        "select table_name from information_schema.tables",
        "select password from secrets",
        "select getenv('HOME')",
        "select * from gold.customer_360_profile",
        "select customer_id into x from gold.customer_360_profile",
        "select customer_id from gold.customer_segments",
        "install httpfs",
        "set enable_external_access = true",
    ],
)
def test_guard_rejects_anything_but_a_model_select(sql: str) -> None:
    with pytest.raises(GuardError):
        guard_sql(sql, POLICY)


def test_guard_enforces_row_limit() -> None:
    safe = guard_sql("select customer_id from gold.customer_360_profile limit 100000", POLICY)
    assert safe.endswith("LIMIT 50")
    assert guard_sql("select state from gold.customer_360_profile", POLICY).endswith("LIMIT 50")


def test_connection_cannot_read_files_or_loosen_settings(assistant: Assistant) -> None:
    with pytest.raises(Exception, match=r"(?i)disabled|permission|configuration"):
        assistant.connection.execute("select * from read_csv('/etc/passwd')")
    with pytest.raises(Exception, match=r"(?i)lock|configuration"):
        assistant.connection.execute("set enable_external_access = true")


def test_long_query_is_interrupted(assistant: Assistant) -> None:
    slow = "select count(*) from range(100000000000) as a(x) where x % 7 = 3"
    with pytest.raises(QueryTimeoutError):
        execute(assistant.connection, slow, timeout=0.2)


def test_write_request_is_refused(assistant: Assistant, gold_warehouse: Path) -> None:
    answer = assistant.ask("delete all customers")
    assert answer.status == "refused" and answer.sql is None
