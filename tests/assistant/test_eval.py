from pathlib import Path

from customer360.assistant import Answer, ask
from customer360.assistant.eval import load_cases, run_eval
from customer360.assistant.eval.runner import ESTABLISHED_CASES, NEWEST_CASES
from customer360.assistant.eval.runner import HOLDOUT_CASES as HOLDOUT
from customer360.assistant.eval.runner import SECOND_HOLDOUT_CASES as HOLDOUT2

# Floors on the pipeline-built test world; raise them as the engine improves, never lower them.
# The targets (issue 10) are 90 % correct and at most 2 % silently wrong on both sets.
THRESHOLD = 0.96  # development sets include eight written by separate authors
SILENTLY_WRONG_CEILING = 0.01
# The five newest sets by separate authors (session 5; first contact 64-82 % correct).
NEWEST_THRESHOLD = 0.82
NEWEST_SILENTLY_WRONG_CEILING = 0.01
HOLDOUT_THRESHOLD = 0.95  # held-out wordings: the engine must generalise, not memorise
HOLDOUT_SILENTLY_WRONG_CEILING = 0.015
# The second split (two independent sets, scored once): 90.2 % / 2.3 % when frozen.
HOLDOUT2_THRESHOLD = 0.90
HOLDOUT2_SILENTLY_WRONG_CEILING = 0.025


def test_eval_suite_meets_threshold(gold_warehouse: Path) -> None:
    report = run_eval(gold_warehouse, ESTABLISHED_CASES, verbose=False)
    assert report.accuracy >= THRESHOLD, report.render()
    assert report.silently_wrong_rate <= SILENTLY_WRONG_CEILING, report.render()
    suggested = [r for r in report.results if r.case.category == "suggested"]
    assert len(suggested) == 19 and all(r.passed for r in suggested), report.render()
    assert all(r.passed for r in report.results if r.case.expect == "refused"), report.render()


def test_newest_sets_meet_their_floor(gold_warehouse: Path) -> None:
    report = run_eval(gold_warehouse, NEWEST_CASES, verbose=False)
    assert report.accuracy >= NEWEST_THRESHOLD, report.render()
    assert report.silently_wrong_rate <= NEWEST_SILENTLY_WRONG_CEILING, report.render()
    assert all(r.passed for r in report.results if r.case.expect == "refused"), report.render()


def test_suite_has_enough_cases() -> None:
    assert len(load_cases()) >= 550
    held_out = load_cases(HOLDOUT)
    assert len(held_out) >= 80
    phenomena = {c.category for c in held_out}
    assert all(sum(c.category == p for c in held_out) >= 8 for p in phenomena)


def test_held_out_questions_meet_threshold(gold_warehouse: Path) -> None:
    report = run_eval(gold_warehouse, HOLDOUT, verbose=False)
    summary = report.render(failures=False)  # reported, never listed: nobody debugs against it
    assert report.accuracy >= HOLDOUT_THRESHOLD, summary
    assert report.silently_wrong_rate <= HOLDOUT_SILENTLY_WRONG_CEILING, summary
    refusals = [r for r in report.results if r.case.expect == "refused"]
    assert all(r.passed for r in refusals), summary


def test_second_held_out_split_meets_its_floor(gold_warehouse: Path) -> None:
    report = run_eval(gold_warehouse, HOLDOUT2, verbose=False)
    summary = report.render(failures=False)
    assert report.accuracy >= HOLDOUT2_THRESHOLD, summary
    assert report.silently_wrong_rate <= HOLDOUT2_SILENTLY_WRONG_CEILING, summary
    assert all(r.passed for r in report.results if r.case.expect == "refused"), summary


def test_held_out_questions_are_not_in_the_suite() -> None:
    suite = {(c.question.lower(), c.previous) for c in load_cases()}
    held_out = [(c.question.lower(), c.previous) for c in load_cases(HOLDOUT)]
    assert not [q for q in held_out if q in suite]
    second = [(c.question.lower(), c.previous) for c in load_cases(HOLDOUT2)]
    assert not [q for q in second if q in suite or q in held_out]


def test_ask_returns_json_with_contract_fields(gold_warehouse: Path) -> None:
    answer = ask("How many customers are in each segment?", gold_warehouse)
    assert isinstance(answer, Answer)
    assert set(answer.to_dict()) >= {
        "status",
        "sql",
        "columns",
        "rows",
        "interpretation",
        "message",
        "suggestions",
    }
    assert answer.to_json().startswith("{")


def test_follow_up_refines_previous_question(gold_warehouse: Path) -> None:
    first = ask("number of customers by card type", gold_warehouse)
    second = ask("only Texas", gold_warehouse, previous=first)
    assert second.status == "answered" and "'TX'" in (second.sql or "")


def test_refusal_comes_with_suggestions(gold_warehouse: Path) -> None:
    answer = ask("What is the average income by state?", gold_warehouse)
    assert answer.status == "refused" and answer.suggestions and answer.sql is None
