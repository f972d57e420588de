"""SQL for the field kinds of the landing schema: parse, check and describe one value.

Arguments named `text` are SQL expressions of the trimmed landed text; `raw` is the column as
landed; `typed` is the parsed value (`parse_sql`). Patterns are matched in full by DuckDB's RE2,
then DuckDB parses the matched text exactly (`cast`, `try_strptime`), so a value is either
in its format and parsed without rounding, or it is NULL and the row is quarantined.
"""

from __future__ import annotations

from customer360.ingest.schema import (
    CONTROL_CHARACTERS,
    Amount,
    Code,
    Day,
    Email,
    Field,
    OneOf,
    Text,
    Timestamp,
    WholeNumber,
)

AMOUNT_TYPE = "DECIMAL(18, 2)"


def bronze_type(field: Field) -> str:
    match field:
        case Amount():
            return AMOUNT_TYPE
        case WholeNumber():
            return "INTEGER"
        case Day():
            return "DATE"
        case Timestamp():
            return "TIMESTAMP"
        case _:
            return "VARCHAR"


def parse_sql(field: Field, raw: str) -> str | None:
    """The typed value of `raw` (trimmed), NULL unless it is exactly in the field's format.

    The value as landed is tried first: trimming every value costs more than matching it.
    """
    match field:
        case Amount():
            return _parse_exact(raw, field.pattern, "cast({v} as " + AMOUNT_TYPE + ")")
        case WholeNumber():
            return _parse_exact(raw, field.pattern, "cast({v} as integer)")
        case Day():
            return _parse_exact(
                raw, field.pattern, f"cast(try_strptime({{v}}, '{field.format}') as date)"
            )
        case Timestamp():
            return _parse_exact(raw, field.pattern, f"try_strptime({{v}}, '{field.format}')")
        case _:
            return None


def _parse_exact(raw: str, pattern: str, value: str) -> str:
    trimmed = f"trim({raw})"
    return (
        f"case when regexp_full_match({raw}, '{pattern}') then {value.format(v=raw)}"
        f" when regexp_full_match({trimmed}, '{pattern}') then {value.format(v=trimmed)} end"
    )


def valid_sql(field: Field, text: str, typed: str | None, param: str) -> str:
    """True when the value is in the field's format and range (dates: the window is apart).

    `typed` is `parse_sql` of the same text (or an alias of it); `param` names the bound list
    of a `OneOf` field (see `params`).
    """
    match field:
        case Code():
            return f"regexp_full_match(upper({text}), '{field.pattern}')"
        case OneOf():
            return f"list_contains(${param}, lower({text}))"
        case Text():
            return f"not regexp_matches({text}, '{CONTROL_CHARACTERS}')"
        case Email():
            return f"regexp_full_match({text}, '{field.pattern}')"
        case Amount() | WholeNumber():
            return f"coalesce({typed} between {field.low} and {field.high}, false)"
        case Day() | Timestamp():
            return f"{typed} is not null"


def clean_sql(field: Field, raw: str, typed: str | None, param: str) -> str:
    """A cheap test on the value as landed that implies every check of the field passes.

    Most landed values are exactly canonical; this lets them skip trimming and case-folding.
    It may reject a good value (the full checks then decide) but never accept a bad one.
    """
    short = f"length({raw}) <= {field.max_length}"
    match field:
        case Code():
            return f"regexp_full_match({raw}, '{field.pattern}') and {short}"
        case OneOf():
            return f"list_contains(${param}_exact, {raw})"
        case Text():
            return (
                f"length({raw}) between 1 and {field.max_length} and left({raw}, 1) <> ' '"
                f" and not regexp_matches({raw}, '{CONTROL_CHARACTERS}')"
            )
        case Email():
            return f"{short} and regexp_full_match({raw}, '{field.pattern}')"
        case Amount() | WholeNumber():
            return f"{short} and {typed} between {field.low} and {field.high}"
        case Day() | Timestamp():
            return f"{short} and {typed} is not null"


def params(field: Field, param: str) -> dict[str, object]:
    """Bound values `valid_sql` uses: a `OneOf`'s list, folded."""
    return {param: folded(field.values)} if isinstance(field, OneOf) else {}


def clean_params(field: Field, param: str) -> dict[str, object]:
    """Bound values `clean_sql` uses: a `OneOf`'s list as written."""
    return {f"{param}_exact": list(field.values)} if isinstance(field, OneOf) else {}


def folded(values: tuple[str, ...] | list[str]) -> list[str]:
    """Domain values as validation compares them: trimmed and case-folded."""
    return [value.strip().lower() for value in values]


def reason(field: Field) -> str:
    """The quarantine reason for a value out of the field's format or range."""
    match field:
        case Amount():
            return "bad_amount"
        case Day() | Timestamp():
            return "bad_date"
        case Text():
            return "bad_text"
        case _:
            return "bad_domain"


def describe(field: Field) -> str:
    """What is wrong, after the column name: `amount is not a decimal like …`."""
    match field:
        case Code():
            return f"is not {field.shape}"
        case OneOf():
            return f"is not {field.label}"
        case Text():
            return "contains a control character"
        case Email():
            return "is not an email address name@domain.tld"
        case Amount():
            return f"is not a decimal like 123.45 from {field.low} to {field.high}"
        case WholeNumber():
            return f"is not a whole number from {field.low} to {field.high}"
        case Day() | Timestamp():
            return f"is not a {field.noun} {field.shape}"
