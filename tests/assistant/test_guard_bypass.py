"""Hostile corpus: SQL that tries to read more than the model allows, through the guard and
through the LLM path, and questions that try to re-identify people under a masked role."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from chat_server import ChatServer, Reply

from customer360.assistant import Assistant, GuardError, guard_sql, policy_for
from customer360.assistant.executor import connect_locked
from customer360.assistant.llm import LLMSettings
from customer360.privacy import PII_COLUMNS, private_columns
from customer360.semantic import load_model

MODEL = load_model()
ADMIN = policy_for(MODEL)
ANALYST = policy_for(MODEL, private=private_columns("analyst"))

# Bypass attempts every role must be refused.
EVERY_ROLE = [
    "select p from gold.customer_360_profile p",  # a whole row as a struct
    "select customer_360_profile from gold.customer_360_profile",
    "select to_json(p) from gold.customer_360_profile p",
    "select columns('.*') from gold.customer_360_profile",
    "select columns(*) from gold.customer_360_profile",
    "select p.* from gold.customer_360_profile p",
    "select * exclude (email) from gold.customer_360_profile",
    "select struct_pack(a := state) from gold.customer_360_profile",
    "select {'a': state} from gold.customer_360_profile",
    "select len(range(3000000000))",
    "select count(*) from range(3000000000)",
    "select unnest(generate_series(1, 1000000000))",
    "select repeat('x', 1000000000)",
    "select nosuch from gold.customer_360_profile",
    "select table_name from duckdb_tables()",
    "select * from duckdb_settings()",
    "select current_setting('memory_limit')",
    "select state from gold.customer_360_profile, lateral (select 1)",
]
# Personal data in any position: the analyst role cannot read it at all.
PERSONAL = [
    "select email from gold.customer_360_profile",
    "select email as contact from gold.customer_360_profile",
    "select full_name as state from gold.customer_360_profile",
    "select upper(first_name) || last_name as x from gold.customer_360_profile",
    "select count(*) from gold.customer_360_profile where email like 'a%'",
    "select state from gold.customer_360_profile where full_name = 'Rita Ramos'",
    "select full_name, count(*) as n from gold.customer_360_profile group by 1",
    "with c as (select email as e from gold.customer_360_profile) select e from c",
    "select x.e from (select email as e from gold.customer_360_profile) as x",
    "select cast(email as int) as n from gold.customer_360_profile",
    "select length(email) as n from gold.customer_360_profile order by email",
]


@pytest.mark.parametrize("sql", EVERY_ROLE)
def test_bypass_is_refused_for_every_role(sql: str) -> None:
    for policy in (ADMIN, ANALYST):
        with pytest.raises(GuardError):
            guard_sql(sql, policy)


@pytest.mark.parametrize("sql", PERSONAL)
def test_personal_data_is_unreadable_for_the_analyst_role(sql: str) -> None:
    with pytest.raises(GuardError, match=r"personal data|not in the semantic model"):
        guard_sql(sql, ANALYST)
    guard_sql(sql.replace("cast(email as int)", "length(email)"), ADMIN)


def test_compiled_queries_still_pass(assistant: Assistant) -> None:
    for question in ("spend by state in 2025", "customers in Texas", "top 5 merchants by spend"):
        answer = assistant.ask(question)
        assert answer.status == "answered", answer.message


def test_analyst_cannot_re_identify_people(gold_warehouse: Path) -> None:
    with closing(connect_locked(gold_warehouse)) as con:
        name, email = con.execute(
            "select full_name, email from gold.customer_360_profile order by customer_id limit 1"
        ).fetchone()
    analyst = Assistant.open(gold_warehouse, private=private_columns("analyst"))
    try:
        for question in (
            f"lifetime value of {name}",
            "list emails of high risk customers",
            "customers by full name",
            f"how many customers have the email {email}",
        ):
            answer = analyst.ask(question)
            assert answer.status != "answered" or not answer.rows, question
            flat = json.dumps(answer.to_json())
            assert email not in flat and name not in flat, question
        listing = analyst.ask("customers in Texas")
        assert listing.status == "answered"
        assert not set(listing.columns) & set(PII_COLUMNS)
    finally:
        analyst.close()


def test_cli_ask_follows_the_role(gold_warehouse: Path) -> None:
    env = {"C360_ROLE": "analyst", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "customer360",
            "--data-dir",
            str(gold_warehouse.parent),
            "ask",
            "list emails of high risk customers",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert "@" not in result.stdout, result.stdout[:500]
    assert "Traceback" not in result.stderr


def test_llm_path_refuses_bypasses_and_leaks_no_values(gold_warehouse: Path) -> None:
    """Proposals that echo values in database errors: what goes back to the endpoint is the
    error class only, never a value from the warehouse."""
    with closing(connect_locked(gold_warehouse)) as con:
        values = [
            str(v)
            for row in con.execute(
                "select customer_id, email, full_name, state, city from gold.customer_360_profile"
            ).fetchall()
            for v in row
        ]
    server = ChatServer()
    try:
        hostile = [
            "select cast(email as int) as n from gold.customer_360_profile",
            "select cast(full_name as date) as d from gold.customer_360_profile",
            "select cast(city as int) as n from gold.customer_360_profile",
            "select cast(customer_id as int) as n from gold.customer_360_profile",
            *EVERY_ROLE,
        ]
        for sql in hostile:
            server.replies += [Reply(json.dumps({"sql": sql})), Reply(json.dumps({"sql": sql}))]
        settings = LLMSettings(server.base_url, "test-model", api_key="sk", timeout_seconds=5)
        assistant = Assistant.open(gold_warehouse, llm=settings)
        try:
            for _ in hostile:
                answer = assistant.ask("anything")
                assert answer.status != "answered" or "email" not in answer.columns
        finally:
            assistant.close()
        sent = json.dumps(server.requests)
        leaked = [v for v in values if len(v) > 3 and v in sent and v not in "".join(hostile)]
        assert not leaked, leaked[:5]
    finally:
        server.close()
