"""The LLM's reply → a checked proposal: a SemanticQuery, SQL, a refusal or a clarification.

Every name in a proposed semantic query is checked against the model here; SQL is checked
later by the guard like any other statement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from customer360.errors import C360Error
from customer360.semantic.compiler import Compiler
from customer360.semantic.query import (
    Filter,
    Grain,
    Operator,
    Order,
    SemanticQuery,
    TimeRange,
    Value,
)

MAX_LIMIT = 1000
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


class ProposalError(C360Error):
    """The LLM's reply is not a usable proposal; the message is sent back for one repair."""


@dataclass(frozen=True)
class Proposal:
    query: SemanticQuery | None = None
    sql: str | None = None
    refuse: str | None = None
    clarify: str | None = None


def _json_object(content: str) -> dict[str, Any]:
    fenced = _FENCE.search(content)
    text = fenced[1] if fenced else content
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ProposalError("the reply is not a JSON object")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise ProposalError(f"the reply is not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ProposalError("the reply is not a JSON object")
    return data


def _names(raw: Any, what: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise ProposalError(f"{what} must be a list of names")
    return tuple(raw)


def _scalar(value: Any) -> Value:
    if isinstance(value, bool | int | float | str):
        return value
    raise ProposalError(f"filter value {value!r} is not a string, number or boolean")


def _date(raw: Any, what: str) -> date | None:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ProposalError(f"{what} {raw!r} is not a YYYY-MM-DD date") from exc


def _query(raw: Any, compiler: Compiler) -> SemanticQuery:
    if not isinstance(raw, dict):
        raise ProposalError("semantic_query must be an object")
    model = compiler.model
    metrics = _names(raw.get("metrics"), "metrics")
    dims = _names(raw.get("dimensions"), "dimensions")
    named = _names(raw.get("named_filters"), "named_filters")
    bad = [m for m in metrics if not compiler.is_metric(m)]
    bad += [d for d in dims if d not in model.fields]
    bad += [n for n in named if n not in model.named_filters]
    filters: list[Filter] = []
    for item in raw.get("filters") or []:
        if not isinstance(item, dict) or item.get("op") not in get_args(Operator):
            ops = get_args(Operator)
            raise ProposalError(f"filter {item!r} needs a field and an op from {ops}")
        field = str(item.get("field"))
        if field not in model.fields and not compiler.is_metric(field):
            bad.append(field)
        values = item.get("values", item.get("value", []))
        values = values if isinstance(values, list) else [values]
        filters.append(Filter(field, item["op"], tuple(_scalar(v) for v in values)))
    time_range = None
    if raw.get("time_range"):
        spec = raw["time_range"]
        if not isinstance(spec, dict) or spec.get("field") not in model.fields:
            raise ProposalError("time_range needs the name of a time dimension in `field`")
        time_range = TimeRange(
            spec["field"], _date(spec.get("start"), "start"), _date(spec.get("end"), "end")
        )
    grain = raw.get("grain")
    if grain is not None and grain not in get_args(Grain):
        raise ProposalError(f"grain must be one of {get_args(Grain)}")
    order: list[Order] = []
    for item in raw.get("order") or []:
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            raise ProposalError("order items need a field")
        order.append(Order(item["field"], bool(item.get("descending", True))))
    limit = raw.get("limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ProposalError("limit must be a positive integer")
    if bad:
        raise ProposalError(f"unknown names {sorted(set(bad))}; use only the model's names")
    if not metrics and not dims:
        raise ProposalError("the semantic query selects nothing")
    return SemanticQuery(
        metrics=metrics,
        dimensions=dims,
        filters=tuple(filters),
        named_filters=named,
        time_range=time_range,
        grain=grain,
        order=tuple(order),
        limit=min(limit, MAX_LIMIT) if limit else None,
    )


def parse_proposal(content: str, compiler: Compiler) -> Proposal:
    data = _json_object(content)
    if isinstance(data.get("refuse"), str):
        return Proposal(refuse=data["refuse"])
    if isinstance(data.get("clarify"), str):
        return Proposal(clarify=data["clarify"])
    if "semantic_query" in data:
        return Proposal(query=_query(data["semantic_query"], compiler))
    if isinstance(data.get("sql"), str):
        return Proposal(sql=data["sql"])
    raise ProposalError("expected one of the keys semantic_query, sql, refuse, clarify")


def query_to_json(query: SemanticQuery) -> dict[str, Any]:
    """The inverse of `_query`, for sending a previous question's query as context."""
    time_range = None
    if query.time_range:
        tr = query.time_range
        time_range = {
            "field": tr.field,
            "start": tr.start.isoformat() if tr.start else None,
            "end": tr.end.isoformat() if tr.end else None,
        }
    return {
        "metrics": list(query.metrics),
        "dimensions": list(query.dimensions),
        "filters": [
            {"field": f.field, "op": f.op, "values": [str(v) for v in f.values]}
            for f in query.filters
        ],
        "named_filters": list(query.named_filters),
        "time_range": time_range,
        "grain": query.grain,
        "order": [{"field": o.field, "descending": o.descending} for o in query.order],
        "limit": query.limit,
    }
