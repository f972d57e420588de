"""Row-level validation in SQL: one staging table per file with the first failed rule per row.

`_rule` is NULL for a good row, `MALFORMED_RULE` for a line with the wrong number of fields,
`DUPLICATE_RULE` for a repeated key, else the 1-based index into `Entity.all_rules`.
Rules are evaluated in order and the first failure wins, so each rejected row has one reason.
"""

from __future__ import annotations

import duckdb

from customer360.ingest.entities import DUPLICATE_RULE, MALFORMED_RULE, Entity
from customer360.ingest.tables import CATEGORIES, CUSTOMERS_TABLE

STAGE = "_ingest_stage"


def stage_sql(entity: Entity, fields_sql: str, expected_fields: int) -> str:
    """`create temp table` for the staged file: text columns, typed columns, `_rule`, `_key`.

    Binds the entity's `params` and the file's window (`$earliest`, `$latest`).
    """
    typed = ", ".join(f"{c.typed_sql()} as {c.typed}" for c in entity.columns if c.typed)
    whens = " ".join(
        f"when {rule.condition} then {number}"
        for number, rule in enumerate(entity.all_rules, start=1)
    )
    joins = ""
    if entity.checks_customer:
        joins += f"""
            left join (
                select _key, min(account_open_date) as _open from {CUSTOMERS_TABLE} group by _key
            ) kc on kc._key = upper(trim(f.customer_id))"""  # noqa: S608
    if entity.checks_category:
        joins += f"""
            left join (select distinct lower(trim(category_name)) as _k from {CATEGORIES}) kg
                on kg._k = lower(trim(f.merchant_category))"""  # noqa: S608
    known = ", kc._key as _known_customer, kc._open as _open_date" if entity.checks_customer else ""
    known += ", kg._k as _known_category" if entity.checks_category else ""
    return f"""
        create or replace temp table {STAGE} as
        with fields as ({fields_sql}),
        typed as (
            select f.*, {typed or "null as _t_none"}{known}
            from fields f {joins}
        )
        select *,
            case when _nfields <> {expected_fields} then {MALFORMED_RULE}
                when {entity.clean_when} then null {whens} end as _rule,
            upper(trim({entity.key})) as _key
        from typed
    """  # noqa: S608 - identifiers are our constants


def mark_duplicates(con: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    """Flag good rows whose key repeats an earlier good row in the file or a row in bronze.

    Bronze is searched only within the staged keys' range: an equal key must lie inside it,
    and the range lets DuckDB skip every row group of earlier batches by its min/max.
    """
    bounds = con.execute(
        f"select min(_key), max(_key) from {STAGE} where _rule is null"  # noqa: S608
    ).fetchone()
    if bounds is None or bounds[0] is None:
        return
    con.execute(
        f"""
        update {STAGE} set _rule = {DUPLICATE_RULE}
        where _source_row in (
            select _source_row from (
                select _source_row,
                    row_number() over (partition by _key order by _source_row) as _nth
                from {STAGE}
                where _rule is null and _key in (
                    select _key from {STAGE} where _rule is null
                    group by _key having count(*) > 1
                )
            )
            where _nth > 1
            union all
            select s._source_row from {STAGE} s
            semi join (
                select _key from {entity.table} where _key between $low and $high
            ) b on b._key = s._key
            where s._rule is null
        )
        """,  # noqa: S608 - identifiers are our constants
        {"low": bounds[0], "high": bounds[1]},
    )
