"""Hostile questions never crash the assistant and never run anything but a guarded SELECT."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer360.assistant import Assistant, guard_sql

FRAGMENTS = [
    "'; drop table gold.customer_360_profile; --",
    "read_csv('/etc/passwd')",
    '" or 1=1 --',
    "delete",
    "union select password from secrets",
    "pragma",
    "attach",
    "copy",
    "$",
    "%",
    "California",
    "Premium",
    "by state",
    "over $10k",
    "last 90 days",
    "how many customers",
    "O'Brien",
    "🙂",
    "ß",
    "\x00",
    "\\",
    "*/",
    "/*",
    ";",
    "glob('*')",
    "information_schema",
]
QUESTIONS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=12).map(
    " ".join
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=QUESTIONS)
def test_hostile_questions_only_run_guarded_selects(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.status in ("answered", "refused", "clarify")
    if answer.sql is not None:
        assert guard_sql(answer.sql, assistant.policy).lower().startswith(("select", "with"))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
)
@given(question=QUESTIONS.map(lambda q: (q + " ") * 400))
def test_very_long_questions_do_not_crash(assistant: Assistant, question: str) -> None:
    assert assistant.ask(question).status in ("answered", "refused", "clarify")
