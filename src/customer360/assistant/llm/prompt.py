"""The grounding sent to the LLM: the semantic model's names and descriptions, never row data.

`sample_values` come from the YAML (the same metadata Cortex Analyst receives); values read
from the warehouse at run time are not sent.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from customer360.assistant.llm.proposal import query_to_json
from customer360.semantic.compiler import AGGREGATIONS
from customer360.semantic.model import Column, SemanticModel
from customer360.semantic.query import SemanticQuery

FORMAT = """\
Answer with ONE JSON object and nothing else, in one of these shapes:
1. Preferred, a semantic query:
{"semantic_query": {"metrics": ["<metric>"], "dimensions": ["<dimension or fact>"],
  "filters": [{"field": "<name>", "op": "=", "values": ["<value>"]}],
  "named_filters": ["<filter>"],
  "time_range": {"field": "<time dimension>", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"},
  "grain": "day|week|month|quarter|year", "order": [{"field": "<name>", "descending": true}],
  "limit": 10}}
   ops: = != in "not in" > >= < <= "is null" "is not null". A filter on a metric is a HAVING.
   time_range is half-open [start, end); "last N days" is (as_of - N days, as_of].
   Without metrics it lists rows (dimensions are the columns shown).
   Ad-hoc metrics over any fact: <agg>__<fact> with agg in {aggs}.
2. Only when a semantic query cannot express it, SQL over the logical tables:
{"sql": "select ... from __customer_profile ..."}  (one read-only SELECT; logical table names
   are the model table names prefixed with two underscores; columns are the logical names.)
3. When the model cannot answer it (unknown attribute, off-topic, write request):
{"refuse": "<one sentence why>"}
4. When the question is ambiguous: {"clarify": "<one question back to the user>"}
Use only names listed below. Never invent columns, tables or values."""


def _column(column: Column, kind: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": column.name, "kind": kind, "type": column.data_type}
    if column.description:
        entry["description"] = column.description
    if column.synonyms:
        entry["synonyms"] = list(column.synonyms)
    if column.sample_values:
        entry["sample_values"] = list(column.sample_values)
    return entry


def model_grounding(model: SemanticModel) -> dict[str, Any]:
    tables = []
    for table in model.tables:
        tables.append(
            {
                "name": table.name,
                "description": table.description,
                "columns": [_column(c, kind) for kind, c in table.columns()],
                "metrics": [
                    {"name": m.name, "description": m.description, "synonyms": list(m.synonyms)}
                    for m in table.metrics
                ],
                "named_filters": [
                    {"name": f.name, "description": f.description, "synonyms": list(f.synonyms)}
                    for f in table.filters
                ],
            }
        )
    joins = [f"{r.left_table} -> {r.right_table} (many to one)" for r in model.relationships]
    return {"description": model.description, "tables": tables, "joins": joins}


def system_prompt(model: SemanticModel, as_of: date) -> str:
    grounding = json.dumps(model_grounding(model), separators=(",", ":"))
    return (
        "You translate business questions about a credit-card portfolio into queries over a "
        "semantic model. Metrics from one table can be broken down by dimensions of tables it "
        f"joins to.\nThe data's as-of date is {as_of.isoformat()}.\n"
        + FORMAT.replace("{aggs}", ", ".join(AGGREGATIONS))
        + "\nSemantic model:\n"
        + grounding
    )


def previous_context(previous: SemanticQuery | None) -> str:
    """The previous question's semantic query, so a follow-up can refine it."""
    if previous is None:
        return ""
    return (
        "The user's previous question was answered with this semantic query; if the new "
        "question is a follow-up, refine it:\n" + json.dumps(query_to_json(previous))
    )
