"""The landing entities: columns, keys and validation rules, assembled from the landing schema.

Every value rule comes from `schema.py` through `formats.py`. This module adds the rules that
span fields or tables: the plausible date window, a date before the customer's account opened,
references to customers and to the category reference, and a change's new value checked
against the field of its attribute. Column names are the only identifiers that reach SQL text;
domain values and window bounds are bound parameters (`Rule.params`, `$earliest`, `$latest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from customer360.ingest import formats, schema
from customer360.ingest.schema import Day, Field, Timestamp

# Rule number 0 is reserved for lines with the wrong number of fields; the duplicate check runs
# after the row-level rules, over the rows that passed them.
MALFORMED_RULE = 0
DUPLICATE_RULE = 999

# Rule messages may name the file's plausible window (see `window.Window.placeholders`).
WINDOW_MESSAGE = "is outside the plausible window {earliest} to {latest} ({basis})"


@dataclass(frozen=True)
class Column:
    name: str
    field: Field
    # The value must also match a row of another table (a customer, a reference category): a
    # row whose value matched one is in format, so its cheap test only bounds the length.
    referenced: bool = False

    @property
    def bronze_type(self) -> str:
        return formats.bronze_type(self.field)

    @property
    def param(self) -> str:
        """The bound parameter holding this column's list of values (a `OneOf` field)."""
        return f"domain_{self.name}"

    def typed_sql(self) -> str | None:
        """The parsed value of the trimmed text (NULL when not in format); None for text."""
        return formats.parse_sql(self.field, self.name)

    @property
    def typed(self) -> str | None:
        """The staged column holding `typed_sql`, for typed columns."""
        return None if self.typed_sql() is None else f"_t_{self.name}"

    @property
    def is_dated(self) -> bool:
        return isinstance(self.field, Day | Timestamp)

    def rules(self) -> tuple[Rule, ...]:
        """Too long, then out of format or range, then (dates) outside the window."""
        text, f = f"trim({self.name})", self.field
        rules = [
            Rule(
                "bad_text",
                self.name,
                f"length({self.name}) > {f.max_length}",
                f"is longer than {f.max_length} characters",
            ),
            Rule(
                formats.reason(f),
                self.name,
                f"not ({formats.valid_sql(f, text, self.typed, self.param)})",
                formats.describe(f),
                formats.params(f, self.param),
            ),
        ]
        if self.is_dated:
            rules.append(
                Rule("implausible_date", self.name, f"not ({self.in_window()})", WINDOW_MESSAGE)
            )
        return tuple(rules)

    def in_window(self) -> str:
        return f"cast({self.typed} as date) between $earliest and $latest"

    def clean_sql(self) -> str:
        if self.referenced:
            return f"length({self.name}) <= {self.field.max_length}"
        clean = formats.clean_sql(self.field, self.name, self.typed, self.param)
        return f"{clean} and {self.in_window()}" if self.is_dated else clean


@dataclass(frozen=True)
class Rule:
    """A row-level check. `condition` is true when the row is bad.

    `clean`, when given, is a cheaper test that implies the rule passes (see `Entity.clean_when`).
    """

    reason: str
    column: str
    condition: str
    message: str
    params: dict[str, object] = field(default_factory=dict)
    clean: str | None = None


@dataclass(frozen=True)
class Entity:
    name: str
    columns: tuple[Column, ...]
    key: str
    # Rules that span fields or tables, checked after every column's own rules.
    rules: tuple[Rule, ...] = ()
    # Rules may use `_known_customer` (id found in bronze.customers), `_open_date` (that
    # customer's account_open_date) and `_known_category`.
    checks_customer: bool = False
    checks_category: bool = False

    @property
    def table(self) -> str:
        return f"bronze.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @cached_property
    def all_rules(self) -> tuple[Rule, ...]:
        """Missing required fields first, then each column's rules, then the entity's own."""
        required = tuple(
            Rule("missing_required", c.name, f"nullif(trim({c.name}), '') is null", "is required")
            for c in self.columns
        )
        own = tuple(rule for column in self.columns for rule in column.rules())
        return required + own + self.rules

    @cached_property
    def clean_when(self) -> str:
        """A cheap test, on values as landed, that a row passes every rule.

        Most rows are clean, so the full rule chain (trimming and case-folding every field) runs
        only on rows this does not clear. It never clears a row the rules would reject.
        """
        tests = [column.clean_sql() for column in self.columns]
        tests += [rule.clean or f"not coalesce({rule.condition}, true)" for rule in self.rules]
        return " and ".join(f"({test})" for test in tests)

    @cached_property
    def params(self) -> dict[str, object]:
        """Every bound value the rules and `clean_when` use (not the window's)."""
        merged: dict[str, object] = {}
        for column in self.columns:
            merged.update(formats.clean_params(column.field, column.param))
        for rule in self.all_rules:
            merged.update(rule.params)
        return merged


def _columns(fields: dict[str, Field], referenced: tuple[str, ...] = ()) -> tuple[Column, ...]:
    return tuple(Column(name, f, name in referenced) for name, f in fields.items())


_UNKNOWN_CUSTOMER = Rule(
    "unknown_customer",
    "customer_id",
    "_known_customer is null",
    "is not a customer in bronze.customers",
    clean="_known_customer is not null",
)


def _not_before_opening(column: str) -> Rule:
    day = f"cast(_t_{column} as date)"
    return Rule(
        "implausible_date",
        column,
        f"{day} < _open_date",
        "is before the customer's account_open_date",
        clean=f"{day} >= _open_date",
    )


def _new_value_rule(attribute: str, f: Field) -> Rule:
    column = Column(attribute, f)
    text = "trim(new_value)"
    typed = formats.parse_sql(f, "new_value")
    valid = formats.valid_sql(f, text, typed, column.param)
    expected = formats.describe(f).removeprefix("is not ")
    return Rule(
        "bad_domain",
        "new_value",
        f"lower(trim(attribute)) = '{attribute}' and not ({valid})",
        f"is not a valid {attribute} ({expected})",
        formats.params(f, column.param),
    )


CUSTOMERS = Entity(
    name="customers",
    key="customer_id",
    columns=_columns(schema.CUSTOMERS),
)

CUSTOMER_CHANGES = Entity(
    name="customer_changes",
    key="change_id",
    columns=_columns(schema.CUSTOMER_CHANGES, referenced=("customer_id",)),
    rules=(
        *(_new_value_rule(attribute, f) for attribute, f in schema.CHANGE_ATTRIBUTES.items()),
        _UNKNOWN_CUSTOMER,
        _not_before_opening("effective_date"),
    ),
    checks_customer=True,
)

TRANSACTIONS = Entity(
    name="transactions",
    key="transaction_id",
    columns=_columns(schema.TRANSACTIONS, referenced=("customer_id", "merchant_category")),
    rules=(
        _UNKNOWN_CUSTOMER,
        _not_before_opening("transaction_ts"),
        Rule(
            "unknown_category",
            "merchant_category",
            "_known_category is null",
            "is not in the merchant category reference",
            clean="_known_category is not null",
        ),
    ),
    checks_customer=True,
    checks_category=True,
)

# Load order within a run: referential checks see customers landed earlier in the same run.
ENTITIES: tuple[Entity, ...] = (CUSTOMERS, CUSTOMER_CHANGES, TRANSACTIONS)
ENTITY_BY_NAME = {entity.name: entity for entity in ENTITIES}
