"""The LLM backend against a real HTTP peer speaking the chat completions protocol."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_server import ChatServer, Reply

from customer360.assistant import Assistant
from customer360.assistant.llm import LLMSettings
from customer360.errors import UsageError

MODEL = "test-model"


@pytest.fixture
def server() -> Iterator[ChatServer]:
    chat = ChatServer()
    yield chat
    chat.close()


def _assistant(warehouse: Path, base_url: str, timeout: float = 5.0) -> Assistant:
    settings = LLMSettings(base_url, MODEL, api_key="sk-test", timeout_seconds=timeout)
    return Assistant.open(warehouse, llm=settings)


def _semantic(**query: object) -> str:
    return json.dumps({"semantic_query": query})


def test_llm_semantic_query_is_compiled_guarded_and_labelled(
    gold_warehouse: Path, server: ChatServer
) -> None:
    server.replies.append(
        Reply(_semantic(metrics=["customer_count"], dimensions=["card_type"], limit=5))
    )
    answer = _assistant(gold_warehouse, server.base_url).ask("headcount per card product")
    assert answer.status == "answered", answer.message
    assert answer.engine == f"LLM: {MODEL}"
    assert answer.columns == ("card_type", "customer_count")
    assert {r[0] for r in answer.rows} == {"Standard", "Premium", "Platinum"}
    assert server.paths == ["/v1/chat/completions"]
    assert server.headers[0]["Authorization"] == "Bearer sk-test"
    assert server.requests[0]["model"] == MODEL


def test_llm_is_grounded_in_the_model_without_row_data(
    gold_warehouse: Path, server: ChatServer, assistant: Assistant
) -> None:
    server.replies.append(Reply(_semantic(metrics=["customer_count"])))
    _assistant(gold_warehouse, server.base_url).ask("how many cardholders do we have")
    sent = json.dumps(server.requests[0])
    assert "avg_lifetime_value" in sent and "customer_segment" in sent
    names = assistant.connection.execute(
        "select full_name, city, email from gold.customer_360_profile limit 20"
    ).fetchall()
    leaked = [v for row in names for v in row if v and v in sent]
    assert not leaked, leaked


def test_llm_malicious_sql_is_rejected_by_the_guard(
    gold_warehouse: Path, server: ChatServer
) -> None:
    server.replies += [
        Reply(json.dumps({"sql": "select * from read_csv('/etc/passwd')"})),
        Reply(json.dumps({"sql": "drop table gold.customer_360_profile"})),
    ]
    answer = _assistant(gold_warehouse, server.base_url).ask("show me the password file")
    assert answer.status == "refused" and answer.sql is None and not answer.rows
    assert "nothing was run" in answer.message
    assert len(server.requests) == 2  # one proposal, one repair, then stop
    repair = server.requests[1]["messages"][-1]["content"]
    assert "read_csv" in repair or "not allowed" in repair


def test_llm_bad_first_answer_is_fixed_by_the_repair_retry(
    gold_warehouse: Path, server: ChatServer
) -> None:
    server.replies += [
        Reply(_semantic(metrics=["avg_income"], dimensions=["state"])),
        Reply(
            "```json\n"
            + _semantic(metrics=["avg_lifetime_value"], dimensions=["state"], limit=3)
            + "\n```"
        ),
    ]
    answer = _assistant(gold_warehouse, server.base_url).ask("average ltv by state, top 3")
    assert answer.status == "answered" and len(answer.rows) == 3
    assert "avg_income" in server.requests[1]["messages"][-1]["content"]
    assert server.requests[1]["messages"][-2]["role"] == "assistant"


def test_llm_sql_over_logical_tables_runs_with_a_row_limit(
    gold_warehouse: Path, server: ChatServer
) -> None:
    sql = "select state, count(customer_id) as n from __customer_profile group by state"
    server.replies.append(Reply(json.dumps({"sql": sql})))
    answer = _assistant(gold_warehouse, server.base_url).ask("customers per state please")
    assert answer.status == "answered" and answer.engine == f"LLM: {MODEL}"
    assert "LIMIT 1000" in (answer.sql or "").upper()


def test_llm_timeout_falls_back_to_the_deterministic_engine(
    gold_warehouse: Path, server: ChatServer
) -> None:
    server.replies.append(Reply(_semantic(metrics=["customer_count"]), delay=2.0))
    answer = _assistant(gold_warehouse, server.base_url, timeout=0.3).ask(
        "number of customers by card type"
    )
    assert answer.status == "answered" and answer.engine == "deterministic engine"
    assert "timed out" in answer.message


def test_llm_unreachable_endpoint_falls_back(gold_warehouse: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    answer = _assistant(gold_warehouse, f"http://127.0.0.1:{port}/v1").ask(
        "number of customers by card type"
    )
    assert answer.status == "answered" and answer.engine == "deterministic engine"
    assert "unreachable" in answer.message


def test_llm_http_error_falls_back(gold_warehouse: Path, server: ChatServer) -> None:
    server.replies.append(Reply("oops", status=500))
    answer = _assistant(gold_warehouse, server.base_url).ask("total spend by channel")
    assert answer.engine == "deterministic engine" and "HTTP 500" in answer.message


def test_llm_refusal_and_write_requests(gold_warehouse: Path, server: ChatServer) -> None:
    server.replies.append(Reply(json.dumps({"refuse": "The model has no weather data."})))
    assistant = _assistant(gold_warehouse, server.base_url)
    weather = assistant.ask("what is the weather in Texas")
    assert weather.status == "refused" and weather.engine == f"LLM: {MODEL}"
    assert assistant.ask("delete all customers").status == "refused"
    assert len(server.requests) == 1  # write requests never reach the LLM


def test_verified_questions_do_not_call_the_llm(gold_warehouse: Path, server: ChatServer) -> None:
    answer = _assistant(gold_warehouse, server.base_url).ask(
        "How many customers are in each segment?"
    )
    assert answer.engine == "verified query" and not server.requests


def test_llm_follow_up_sends_the_previous_query(gold_warehouse: Path, server: ChatServer) -> None:
    server.replies += [
        Reply(_semantic(metrics=["total_spend"], dimensions=["channel"])),
        Reply(
            _semantic(
                metrics=["total_spend"],
                dimensions=["channel"],
                filters=[{"field": "card_type", "op": "=", "values": ["Premium"]}],
            )
        ),
    ]
    assistant = _assistant(gold_warehouse, server.base_url)
    first = assistant.ask("spend split by channel")
    second = assistant.ask("only the Premium ones", previous=first)
    assert second.status == "answered" and "'Premium'" in (second.sql or "")
    assert "total_spend" in json.dumps(server.requests[1]["messages"][1])


def test_settings_from_env() -> None:
    assert LLMSettings.from_env({}) is None
    settings = LLMSettings.from_env(
        {"C360_LLM_BASE_URL": "http://x/v1/", "C360_LLM_MODEL": "m", "C360_LLM_API_KEY": "k"}
    )
    assert settings is not None and settings.base_url == "http://x/v1" and "k" not in repr(settings)
    with pytest.raises(UsageError):
        LLMSettings.from_env({"C360_LLM_BASE_URL": "http://x/v1"})
    with pytest.raises(UsageError):
        LLMSettings.from_env({"C360_LLM_BASE_URL": "file:///etc/passwd", "C360_LLM_MODEL": "m"})
