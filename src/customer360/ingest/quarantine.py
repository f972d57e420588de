"""Writing staged rows: good ones to bronze, rejected ones to `ops.quarantine`."""

from __future__ import annotations

from datetime import datetime

import duckdb

from customer360.ingest.entities import DUPLICATE_RULE, MALFORMED_RULE, Entity
from customer360.ingest.manifest import LandingFile
from customer360.ingest.reader import LINES
from customer360.ingest.schema import CONTROL_CHARACTERS
from customer360.ingest.tables import QUARANTINE
from customer360.ingest.validate import STAGE
from customer360.ingest.window import Window

RULES = "_ingest_rules"

# The offending value as a detail quotes it: control characters shown as `?`, long values cut.
EXCERPT_CHARS = 60


def _rule_rows(entity: Entity, window: Window) -> list[tuple[int, str, str | None, str]]:
    rows: list[tuple[int, str, str | None, str]] = [
        (MALFORMED_RULE, "malformed_line", None, "has the wrong number of fields"),
        (DUPLICATE_RULE, "duplicate", entity.key, "repeats an earlier row or a row in bronze"),
    ]
    rows += [
        (number, rule.reason, rule.column, rule.message.format_map(window.placeholders()))
        for number, rule in enumerate(entity.all_rules, start=1)
    ]
    return rows


def _quoted_excerpt(value: str) -> str:
    shown = f"regexp_replace({value}, '{CONTROL_CHARACTERS}', '?', 'g')"
    cut = f"left({shown}, {EXCERPT_CHARS}) || '…'"
    return (
        f"'''' || case when length({value}) > {EXCERPT_CHARS} then {cut} else {shown} end || ''''"
    )


def insert_good_rows(
    con: duckdb.DuckDBPyConnection, entity: Entity, file: LandingFile, loaded_at: datetime
) -> int:
    values = ", ".join(column.typed or column.name for column in entity.columns)
    row = con.execute(
        f"""
        insert into {entity.table}
        select {values}, $batch, $file, _source_row, $loaded_at, _key
        from {STAGE}
        where _rule is null
        """,  # noqa: S608 - identifiers are our constants
        {"batch": file.batch, "file": file.relpath, "loaded_at": loaded_at},
    ).fetchone()
    return int(row[0]) if row else 0


def insert_rejected_rows(
    con: duckdb.DuckDBPyConnection,
    entity: Entity,
    file: LandingFile,
    expected_fields: int,
    window: Window,
    loaded_at: datetime,
) -> int:
    con.execute(
        f"create or replace temp table {RULES} "
        "(rule integer, reason varchar, column_name varchar, message varchar)"
    )
    con.executemany(
        f"insert into {RULES} values (?, ?, ?, ?)",  # noqa: S608
        _rule_rows(entity, window),
    )
    offending = " ".join(
        f"when {number} then s.{rule.column}"
        for number, rule in enumerate(entity.all_rules, start=1)
    )
    value = f"case s._rule {offending} when {DUPLICATE_RULE} then s.{entity.key} end"
    row = con.execute(
        f"""
        insert into {QUARANTINE}
        select $entity, $batch, $file, s._source_row, r.reason, r.column_name,
            case
                when s._rule = {MALFORMED_RULE} and s._nfields = 0
                    then 'line cannot be split into fields (unbalanced quotes'
                        || ' or a quoted line with the control character 0x1F)'
                when s._rule = {MALFORMED_RULE}
                    then 'line has ' || s._nfields || ' fields, the header has ' || $expected
                else r.column_name || ' ' || r.message || ' (got '
                    || coalesce({_quoted_excerpt(value)}, 'nothing') || ')'
            end,
            l._raw, $loaded_at
        from {STAGE} s
        inner join {RULES} r on r.rule = s._rule
        inner join {LINES} l on l._source_row = s._source_row
        order by s._source_row
        """,  # noqa: S608 - identifiers are our constants
        {
            "entity": entity.name,
            "batch": file.batch,
            "file": file.relpath,
            "expected": expected_fields,
            "loaded_at": loaded_at,
        },
    ).fetchone()
    return int(row[0]) if row else 0


def rejected_by_reason(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, int], ...]:
    """The staged file's rejected rows per reason (after `insert_rejected_rows`)."""
    rows = con.execute(
        f"""
        select r.reason, count(*) from {STAGE} s
        inner join {RULES} r on r.rule = s._rule
        group by all order by all
        """  # noqa: S608 - identifiers are our constants
    ).fetchall()
    return tuple((str(reason), int(count)) for reason, count in rows)
