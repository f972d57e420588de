"""`ask`: question → (verified query | LLM proposal | compiled semantic query) → guard → Answer."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from customer360.assistant.answer import DETERMINISTIC, VERIFIED, Answer
from customer360.assistant.describe import interpret, period_change, suggest
from customer360.assistant.executor import ExecutionError, ResultSet, connect_locked, execute
from customer360.assistant.guard import GuardError, GuardPolicy, guard_sql, policy_for
from customer360.assistant.lexicon import tokens
from customer360.assistant.llm import LLMBackend, LLMSettings, LLMUnavailableError
from customer360.assistant.parser import REFINES_PREVIOUS, Parser
from customer360.assistant.together import never_together
from customer360.assistant.vocabulary import as_of_date, cached_lexicon
from customer360.assistant.words import is_write_request
from customer360.errors import C360Error
from customer360.semantic.compiler import CompileError, Compiler
from customer360.semantic.logical import expand_logical
from customer360.semantic.model import SemanticModel, VerifiedQuery, default_model
from customer360.semantic.query import SemanticQuery
from customer360.semantic.verified import verified_semantic_query

logger = logging.getLogger(__name__)
VERIFIED_MATCH = 0.9
MAX_QUESTION_CHARS = 2000
WRITE_REFUSAL = "I can only read data; I cannot change or delete it."


@dataclass(frozen=True, repr=False)
class Assistant:
    """Everything derived once per warehouse file: model, vocabulary, as-of, connection."""

    model: SemanticModel
    parser: Parser
    compiler: Compiler
    policy: GuardPolicy
    connection: duckdb.DuckDBPyConnection
    lock: threading.Lock
    llm: LLMBackend | None = None
    # The structure behind each verified query (None when its SQL is beyond a SemanticQuery).
    verified_queries: dict[str, SemanticQuery | None] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        warehouse: Path,
        model: SemanticModel | None = None,
        llm: LLMSettings | None = None,
        private: frozenset[str] = frozenset(),
    ) -> Assistant:
        """`private`: columns the viewer's role may not read (customer360.privacy)."""
        model = model or default_model()
        con = connect_locked(warehouse)
        as_of = as_of_date(con)
        lexicon = cached_lexicon(con, model, warehouse)
        compiler = Compiler(model)
        policy = policy_for(model, private=private)
        lock = threading.Lock()
        backend = None
        if llm is not None:
            backend = LLMBackend(llm, compiler, policy, as_of, _locked_executor(con, lock))
        verified = {v.name: verified_semantic_query(v.sql, model) for v in model.verified_queries}
        parser = Parser(model, lexicon, as_of, private)
        return cls(model, parser, compiler, policy, con, lock, backend, verified)

    def close(self) -> None:
        """Close the connection once the query in flight (if any) has finished."""
        with self.lock:
            self.connection.close()

    def ask(self, question: str, previous: Answer | None = None) -> Answer:
        question = question[:MAX_QUESTION_CHARS]
        if is_write_request(self.parser.exclusions_for_drops(question)):
            return Answer("refused", message=WRITE_REFUSAL, engine=DETERMINISTIC)
        verified = self._verified(question) if previous is None else None
        if verified is not None:
            answer = self._run(
                self._verified_sql(verified),
                f"Verified query '{verified.name}': {verified.question}",
                "verified",
            )
            # A follow-up refines the verified query's own structure, else the question's reading.
            query = self.verified_queries.get(verified.name) or self.parser.parse(question).query
            return replace(answer, query=query, engine=VERIFIED)
        if self.llm is not None:
            try:
                return self.llm.answer(question, previous.query if previous else None)
            except LLMUnavailableError as exc:
                answer = self._deterministic(question, previous)
                note = f"{exc}; answered by the deterministic engine instead."
                return replace(answer, message=f"{answer.message} {note}".strip())
        return self._deterministic(question, previous)

    def run_sql(self, sql: str) -> Answer:
        """Guard and run SQL from elsewhere (an LLM, a user): the same rules as ours."""
        return self._run(sql, "SQL supplied by the caller", "compiled", ours=False)

    def _deterministic(self, question: str, previous: Answer | None) -> Answer:
        if previous is not None and previous.query is None and REFINES_PREVIOUS.match(question):
            return Answer(
                "clarify",
                message="That refines the previous answer, which I could not give; please ask "
                "the whole question.",
                engine=DETERMINISTIC,
            )
        try:
            parsed = self.parser.parse(question, previous.query if previous else None)
        except Exception as exc:
            logger.warning("could not read %r: %s: %s", question, type(exc).__name__, exc)
            return Answer(
                "refused",
                message=f"I could not read that question ({type(exc).__name__}); "
                "please rephrase it.",
                suggestions=suggest(self.model, question),
                engine=DETERMINISTIC,
            )
        if parsed.status != "answered" or parsed.query is None:
            return Answer(
                parsed.status,
                message=parsed.message,
                suggestions=suggest(self.model, question, parsed.unknown),
                engine=DETERMINISTIC,
            )
        try:
            compiled = self.compiler.compile(parsed.query)
        except CompileError as exc:
            return Answer(
                "refused",
                message=str(exc),
                suggestions=suggest(self.model, question),
                engine=DETERMINISTIC,
            )
        clash = never_together(parsed.query, self.model, self.compiler, self._count)
        if clash:
            return Answer("clarify", message=clash, engine=DETERMINISTIC)
        computed = compiled.query or parsed.query
        answer = self._run(compiled.sql, interpret(computed), "compiled")
        message = " ".join(filter(None, [answer.message, period_change(computed, answer)]))
        return replace(answer, query=parsed.query, assumptions=parsed.query.notes, message=message)

    def _count(self, sql: str) -> int:
        """The single number a compiled count returns (guarded like every other query)."""
        with self.lock:
            result = execute(self.connection, guard_sql(sql, self.policy))
        return int(result.rows[0][0] or 0) if result.rows else 0

    def _verified_sql(self, verified: VerifiedQuery) -> str:
        """The verified query as compiled from its structure when it reads back to one (the
        same rows, `tests/semantic/test_verified.py`, with the compiler's faster plans), else
        its SQL as written."""
        query = self.verified_queries.get(verified.name)
        if query is not None:
            try:
                return self.compiler.compile(query).sql
            except CompileError:
                pass
        return expand_logical(verified.sql, self.model)

    def _verified(self, question: str) -> VerifiedQuery | None:
        words = set(tokens(question))
        best, score = None, 0.0
        for query in self.model.verified_queries:
            other = set(tokens(query.question))
            overlap = len(words & other) / max(1, len(words | other))
            if overlap > score:
                best, score = query, overlap
        return best if score >= VERIFIED_MATCH else None

    def _run(self, sql: str, interpretation: str, source: str, ours: bool = True) -> Answer:
        """Guard and run `sql`; `ours` when the engine built it (its failure is our fault)."""
        try:
            safe = guard_sql(sql, self.policy)
        except GuardError as exc:
            if ours:  # a query we built that the guard refuses is our fault, not the reader's
                logger.warning("the guard refused a compiled query: %s\n%s", exc, sql)
                message = "I could not compute that question; please rephrase it."
            else:
                message = f"Query rejected by the guard: {exc}"
            return Answer("refused", message=message, engine=DETERMINISTIC)
        with self.lock:
            try:
                result = execute(self.connection, safe)
            except ExecutionError as exc:
                if not ours:
                    return Answer("refused", sql=safe, message=str(exc), engine=DETERMINISTIC)
                # the query was ours: the database's wording means nothing to the reader
                logger.warning("a compiled query failed: %s\n%s", exc, safe)
                return Answer(
                    "refused",
                    sql=safe,
                    message="I could not compute that question (the query I built for it "
                    "failed); please rephrase it.",
                    engine=DETERMINISTIC,
                )
            except C360Error as exc:
                return Answer("refused", sql=safe, message=str(exc), engine=DETERMINISTIC)
        message = f"{len(result.rows)} row(s)."
        return Answer(
            "answered",
            safe,
            result.columns,
            result.rows,
            interpretation,
            message,
            source=source,  # type: ignore[arg-type]
            engine=DETERMINISTIC,
        )


def _locked_executor(
    con: duckdb.DuckDBPyConnection, lock: threading.Lock
) -> Callable[[str], ResultSet]:
    def run(sql: str) -> ResultSet:
        with lock:
            return execute(con, sql)

    return run


Version = tuple[int, int, int]
_OPEN: dict[tuple[str, LLMSettings | None, frozenset[str]], tuple[Version, Assistant]] = {}
_OPEN_LOCK = threading.Lock()
_MAX_OPEN = 4


def file_version(path: Path) -> Version:
    """Identity of the file at `path`; an atomic swap (rename over it) changes it."""
    stat = os.stat(path)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _assistant(path: Path, llm: LLMSettings | None, private: frozenset[str]) -> Assistant:
    """The cached assistant for the file now at `path`, reopened after a swap.

    DuckDB shares one database instance per path within a process: while any connection to the
    replaced file stays open, connecting to the path again returns the old data. So every
    assistant on a swapped path is closed before the new file is opened.
    """
    key = str(path.resolve())
    version = file_version(path)
    with _OPEN_LOCK:
        hit = _OPEN.get((key, llm, private))
        if hit is not None and hit[0] == version:
            return hit[1]
        stale = [k for k, (v, _) in _OPEN.items() if k[0] == key and v != version]
        while len(_OPEN) - len(stale) >= _MAX_OPEN:
            stale.append(next(k for k in _OPEN if k not in stale))
        for old in stale:
            _OPEN.pop(old)[1].close()
        assistant = Assistant.open(Path(key), llm=llm, private=private)
        _OPEN[(key, llm, private)] = (version, assistant)
        return assistant


def close_all() -> None:
    """Close every assistant `ask` opened (tests, or before replacing files in-process)."""
    with _OPEN_LOCK:
        while _OPEN:
            _OPEN.popitem()[1][1].close()


def ask(
    question: str,
    warehouse_path: Path | str,
    previous: Answer | None = None,
    llm: LLMSettings | None = None,
    private: frozenset[str] = frozenset(),
) -> Answer:
    """Answer one question about the warehouse; `previous` makes it a follow-up.

    With `llm` (see `LLMSettings.from_env`), an OpenAI-compatible endpoint proposes the query;
    `private` names the columns the viewer's role may not read (customer360.privacy).
    """
    path = Path(warehouse_path)
    if not path.exists():
        raise C360Error(f"warehouse {path} not found; run `c360 pipeline` first")
    return _assistant(path, llm, private).ask(question, previous)
