"""The LLM backend: propose → compile or expand → guard → execute, with one repair retry.

The LLM never runs anything itself. A proposed semantic query goes through the same compiler as
the deterministic engine's; proposed SQL is expanded from logical names and then passes the same
guard. When a proposal fails, the error message goes back to the LLM once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlglot.errors import SqlglotError

from customer360.assistant.answer import Answer
from customer360.assistant.describe import interpret
from customer360.assistant.executor import ExecutionError, QueryTimeoutError, ResultSet
from customer360.assistant.guard import GuardError, GuardPolicy, guard_sql
from customer360.assistant.llm.client import ChatClient, Message
from customer360.assistant.llm.prompt import previous_context, system_prompt
from customer360.assistant.llm.proposal import ProposalError, parse_proposal
from customer360.assistant.llm.settings import LLMSettings
from customer360.semantic.compiler import CompileError, Compiler
from customer360.semantic.logical import expand_logical
from customer360.semantic.query import SemanticQuery

ATTEMPTS = 2  # the first proposal and one repair
_REJECTED = (ProposalError, CompileError, GuardError, ExecutionError, SqlglotError, ValueError)


@dataclass(frozen=True)
class LLMBackend:
    settings: LLMSettings
    compiler: Compiler
    policy: GuardPolicy
    as_of: date
    execute: Callable[[str], ResultSet]

    def answer(self, question: str, previous: SemanticQuery | None = None) -> Answer:
        """Raises LLMUnavailableError when the endpoint cannot be used (the caller falls back)."""
        client = ChatClient(self.settings)
        messages: list[Message] = [
            {"role": "system", "content": system_prompt(self.compiler.model, self.as_of)}
        ]
        if previous is not None:
            messages.append({"role": "system", "content": previous_context(previous)})
        messages.append({"role": "user", "content": question})
        error = ""
        for _ in range(ATTEMPTS):
            content = client.complete(messages)
            try:
                return self._try(content)
            except QueryTimeoutError as exc:
                return self._refused(str(exc))
            except _REJECTED as exc:
                error = _sanitised(exc)
                messages += [
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": f"That proposal failed: {error}. "
                        "Reply with a corrected JSON object only.",
                    },
                ]
        return self._refused(f"The LLM's proposal was rejected ({error}); nothing was run.")

    def _try(self, content: str) -> Answer:
        proposal = parse_proposal(content, self.compiler)
        label = self.settings.label
        if proposal.refuse is not None:
            return Answer("refused", message=proposal.refuse, engine=label)
        if proposal.clarify is not None:
            return Answer("clarify", message=proposal.clarify, engine=label)
        if proposal.query is not None:
            sql = self.compiler.compile(proposal.query).sql
            interpretation = interpret(proposal.query)
        else:
            assert proposal.sql is not None
            sql = expand_logical(proposal.sql, self.compiler.model)
            interpretation = f"SQL proposed by the LLM ({self.settings.model})."
        safe = guard_sql(sql, self.policy)
        result = self.execute(safe)
        return Answer(
            "answered",
            safe,
            result.columns,
            result.rows,
            interpretation,
            f"{len(result.rows)} row(s).",
            query=proposal.query,
            source="llm",
            engine=label,
        )

    def _refused(self, message: str) -> Answer:
        return Answer("refused", message=message, engine=self.settings.label)


def _sanitised(exc: Exception) -> str:
    """What may go back to the endpoint about a failed proposal. Our own messages (guard,
    compiler, proposal) only name things the proposal itself said; the database's messages can
    quote row values (a failed cast echoes the value), so only their error class is sent."""
    if isinstance(exc, ExecutionError):
        kind = str(exc).removeprefix("query failed: ").split(":")[0].strip()
        known = kind.endswith("Error") and len(kind) < 40 and kind.replace(" ", "").isalpha()
        return f"the database rejected the query ({kind if known else 'error'})"
    text = str(exc).splitlines()[0][:500] if str(exc) else ""
    return text or type(exc).__name__
