"""`ask`: question → (verified query | compiled semantic query) → guard → execution → Answer."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb

from customer360.assistant.answer import Answer
from customer360.assistant.describe import interpret, suggest
from customer360.assistant.executor import connect_locked, execute
from customer360.assistant.guard import GuardError, GuardPolicy, guard_sql, policy_for
from customer360.assistant.lexicon import build_lexicon, distinct_values, tokens
from customer360.assistant.parser import Parser
from customer360.errors import C360Error
from customer360.semantic.compiler import CompileError, Compiler
from customer360.semantic.logical import expand_logical
from customer360.semantic.model import SemanticModel, VerifiedQuery, load_model

VERIFIED_MATCH = 0.9
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True, repr=False)
class Assistant:
    """Everything derived once per warehouse file: model, vocabulary, as-of, connection."""

    model: SemanticModel
    parser: Parser
    compiler: Compiler
    policy: GuardPolicy
    connection: duckdb.DuckDBPyConnection
    lock: threading.Lock

    @classmethod
    def open(cls, warehouse: Path, model: SemanticModel | None = None) -> Assistant:
        model = model or load_model()
        con = connect_locked(warehouse)
        as_of = _as_of(con)
        lexicon = build_lexicon(model, distinct_values(con, model))
        return cls(
            model,
            Parser(model, lexicon, as_of),
            Compiler(model),
            policy_for(model),
            con,
            threading.Lock(),
        )

    def ask(self, question: str, previous: Answer | None = None) -> Answer:
        question = question[:MAX_QUESTION_CHARS]
        verified = self._verified(question) if previous is None else None
        if verified is not None:
            answer = self._run(
                expand_logical(verified.sql, self.model),
                f"Verified query '{verified.name}': {verified.question}",
                "verified",
            )
            # The compositional reading is kept so a follow-up can refine a verified answer.
            return replace(answer, query=self.parser.parse(question).query)
        parsed = self.parser.parse(question, previous.query if previous else None)
        if parsed.status != "answered" or parsed.query is None:
            return Answer(
                parsed.status,
                message=parsed.message,
                suggestions=suggest(self.model, question, parsed.unknown),
            )
        try:
            compiled = self.compiler.compile(parsed.query)
        except CompileError as exc:
            return Answer("refused", message=str(exc), suggestions=suggest(self.model, question))
        answer = self._run(compiled.sql, interpret(parsed.query), "compiled")
        return Answer(
            answer.status,
            answer.sql,
            answer.columns,
            answer.rows,
            answer.interpretation,
            answer.message,
            answer.suggestions,
            parsed.query,
            answer.source,
        )

    def run_sql(self, sql: str) -> Answer:
        """Guard and run SQL from elsewhere (an LLM, a user): the same rules as ours."""
        return self._run(sql, "SQL supplied by the caller", "compiled")

    def _verified(self, question: str) -> VerifiedQuery | None:
        words = set(tokens(question))
        best, score = None, 0.0
        for query in self.model.verified_queries:
            other = set(tokens(query.question))
            overlap = len(words & other) / max(1, len(words | other))
            if overlap > score:
                best, score = query, overlap
        return best if score >= VERIFIED_MATCH else None

    def _run(self, sql: str, interpretation: str, source: str) -> Answer:
        try:
            safe = guard_sql(sql, self.policy)
        except GuardError as exc:
            return Answer("refused", message=f"Query rejected by the guard: {exc}")
        with self.lock:
            try:
                result = execute(self.connection, safe)
            except C360Error as exc:
                return Answer("refused", sql=safe, message=str(exc))
        message = f"{len(result.rows)} row(s)."
        return Answer(
            "answered", safe, result.columns, result.rows, interpretation, message, source=source
        )  # type: ignore[arg-type]


def _as_of(con: duckdb.DuckDBPyConnection) -> date:
    row = con.execute("select max(transaction_date) from gold.fct_transactions").fetchone()
    if row is None or row[0] is None:
        raise C360Error("gold.fct_transactions is empty; run the pipeline first")
    value = row[0]
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@lru_cache(maxsize=4)
def _assistant(warehouse: str, mtime: float) -> Assistant:
    return Assistant.open(Path(warehouse))


def ask(question: str, warehouse_path: Path | str, previous: Answer | None = None) -> Answer:
    """Answer one question about the warehouse; `previous` makes it a follow-up."""
    path = Path(warehouse_path)
    if not path.exists():
        raise C360Error(f"warehouse {path} not found; run `c360 pipeline` first")
    return _assistant(str(path.resolve()), path.stat().st_mtime).ask(question, previous)
