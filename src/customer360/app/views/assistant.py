"""AI Assistant: questions in plain English, answered from the semantic model."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import streamlit as st

from customer360.app.answers import FOLLOW_UPS, SUGGESTED, answer_frame, engine_label
from customer360.app.charts import auto_chart
from customer360.app.connection import WarehouseUnavailableError, warehouse_at
from customer360.app.context import app_context
from customer360.app.ui import csv_download, masked, page_header
from customer360.assistant import Answer
from customer360.config import load_llm_settings
from customer360.errors import C360Error
from customer360.privacy import private_columns

HISTORY = "assistant_history"
PENDING = "assistant_pending"


@dataclass(frozen=True)
class Turn:
    question: str
    answer: Answer | None
    follow_up: bool
    error: str = ""


def _queue(question: str, follow_up: bool = False) -> None:
    st.session_state[PENDING] = (question, follow_up)


def _previous() -> Answer | None:
    for turn in reversed(st.session_state.get(HISTORY, [])):
        if turn.answer is not None and turn.answer.status == "answered":
            return turn.answer
    return None


def _ask(question: str, follow_up: bool) -> None:
    previous = _previous() if follow_up else None
    try:
        context = app_context()
        private = private_columns(context.role)
        llm = load_llm_settings()  # the same optional LLM backend as `c360 ask`
        with warehouse_at(context.warehouse_path).assistant(llm, private) as assistant:
            answer = assistant.ask(question, previous=previous)
        turn = Turn(question, answer, previous is not None)
    except (C360Error, WarehouseUnavailableError, duckdb.Error) as exc:
        turn = Turn(question, None, False, str(exc).splitlines()[0])
    st.session_state.setdefault(HISTORY, []).append(turn)


def _suggestions() -> None:
    with st.sidebar:
        st.subheader("Suggested questions")
        for category, questions in SUGGESTED.items():
            with st.expander(category, expanded=category == "Churn"):
                for i, question in enumerate(questions):
                    st.button(
                        question,
                        key=f"suggest_{category}_{i}",
                        on_click=_queue,
                        args=(question,),
                        width="stretch",
                    )
        if st.session_state.get(HISTORY):
            st.button(
                "Clear history",
                key="assistant_clear",
                on_click=lambda: st.session_state.pop(HISTORY, None),
            )


def _show(turn: Turn, index: int, latest: bool) -> None:
    with st.chat_message("user"):
        st.markdown(turn.question + ("  \n*(follow-up)*" if turn.follow_up else ""))
    with st.chat_message("assistant"):
        answer = turn.answer
        if answer is None:
            st.error(turn.error)
            return
        st.caption(engine_label(answer))
        if answer.status != "answered":
            show = st.warning if answer.status == "refused" else st.info
            show(answer.message or "I could not answer that.")
            if answer.suggestions:
                st.markdown("Try one of these instead:")
                for j, suggestion in enumerate(answer.suggestions):
                    st.button(
                        suggestion, key=f"retry_{index}_{j}", on_click=_queue, args=(suggestion,)
                    )
            return
        st.markdown(f"**{answer.interpretation}**  \n{answer.message}")
        for assumption in answer.assumptions:
            st.caption(f"Assumed: {assumption}")
        rows = masked(answer_frame(answer))
        if rows.empty:
            st.info("The query ran but returned no rows.")
        else:
            chart = auto_chart(rows, answer.interpretation[:80])
            if chart is not None:
                st.plotly_chart(chart, key=f"assistant_chart_{index}")
            st.dataframe(rows, hide_index=True, key=f"assistant_table_{index}")
            csv_download(
                rows,
                "Download answer (CSV)",
                f"answer_{index + 1}.csv",
                key=f"assistant_csv_{index}",
            )
        with st.expander("SQL"):
            st.code(answer.sql or "", language="sql")
        if latest:
            cols = st.columns(len(FOLLOW_UPS))
            for j, follow in enumerate(FOLLOW_UPS):
                cols[j].button(
                    f"↳ {follow}", key=f"follow_{index}_{j}", on_click=_queue, args=(follow, True)
                )


def render() -> None:
    page_header(
        "AI Assistant",
        "Ask about customers, segments, spending and risk in plain "
        "English. Answers come from the semantic model; every query is read-only.",
    )
    _suggestions()
    follow_up = st.toggle(
        "Treat my next question as a follow-up to the last answer",
        key="assistant_follow_up",
        disabled=_previous() is None,
    )
    typed = st.chat_input(
        "Ask a question, e.g. “average lifetime value by state”", key="assistant_input"
    )
    if typed:
        _queue(typed, follow_up)
    pending = st.session_state.pop(PENDING, None)
    if pending:
        with st.spinner("Thinking…"):
            _ask(*pending)
    history: list[Turn] = st.session_state.get(HISTORY, [])
    if not history:
        st.info("Pick a suggested question in the sidebar or type your own below.")
    for index, turn in enumerate(history):
        _show(turn, index, latest=index == len(history) - 1)
