"""The AI Assistant: deterministic question engine, verified queries, SQL guard, evaluation."""

from customer360.assistant.answer import Answer
from customer360.assistant.engine import Assistant, ask
from customer360.assistant.guard import GuardError, GuardPolicy, guard_sql, policy_for

__all__ = ["Answer", "Assistant", "GuardError", "GuardPolicy", "ask", "guard_sql", "policy_for"]
