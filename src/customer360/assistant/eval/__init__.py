"""Execution-accuracy evaluation of the assistant."""

from customer360.assistant.eval.runner import EvalReport, load_cases, run_eval

__all__ = ["EvalReport", "load_cases", "run_eval"]
