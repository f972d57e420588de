"""The landing entities: columns, bronze types, keys and validation rules.

Everything here is a constant of ours. Column names are the only identifiers that reach SQL
text; domain values reach it as bound parameters (see `Rule.params`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# fmt: off
US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY",
)
# fmt: on
EMPLOYMENT_STATUSES = ("Employed", "Self-Employed", "Retired", "Student", "Unemployed")
CARD_TYPES = ("Standard", "Premium", "Platinum")
CHANNELS = ("Online", "In-Store", "Mobile")
TRANSACTION_STATUSES = ("approved", "declined")
CHANGE_ATTRIBUTES = ("card_type", "credit_limit", "email", "city")

DATE_FORMAT = "%Y-%m-%d"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"

# Rule number 0 is reserved for lines with the wrong number of fields; the duplicate check runs
# after the row-level rules, over the rows that passed them.
MALFORMED_RULE = 0
DUPLICATE_RULE = 999


def folded(values: tuple[str, ...] | list[str]) -> list[str]:
    """Domain values as validation compares them: trimmed and case-folded."""
    return [value.strip().lower() for value in values]


@dataclass(frozen=True)
class Column:
    name: str
    bronze_type: str = "VARCHAR"
    # SQL turning the trimmed landed text `{v}` into the bronze type; NULL when it does not parse.
    cast: str | None = None
    required: bool = True

    def typed_sql(self) -> str:
        """The value written to bronze: text columns keep what landed, typed ones are parsed."""
        if self.cast is None:
            return self.name
        return self.cast.format(v=f"trim({self.name})")


@dataclass(frozen=True)
class Rule:
    """A row-level check. `condition` is true when the row is bad."""

    reason: str
    column: str
    condition: str
    message: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Entity:
    name: str
    columns: tuple[Column, ...]
    key: str
    rules: tuple[Rule, ...]
    # Rules may use `_known_customer` (id found in bronze.customers) and `_known_category`.
    checks_customer: bool = False
    checks_category: bool = False
    # Optional cheap test, on values as landed, that a row passes every rule. Most rows are
    # clean, so the full rule chain (trimming and case-folding every field) runs only on rows
    # this does not clear. It must never clear a row the rules would reject.
    clean_when: str | None = None
    clean_params: dict[str, object] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return f"bronze.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def all_rules(self) -> tuple[Rule, ...]:
        """Missing required fields first, then the entity's own rules, in the order given."""
        required = tuple(
            Rule("missing_required", c.name, f"nullif(trim({c.name}), '') is null", "is required")
            for c in self.columns
            if c.required
        )
        return required + self.rules


def _typed(column: str) -> str:
    return f"_t_{column}"


def _not_in(column: str, param: str) -> str:
    return f"not list_contains(${param}, lower(trim({column})))"


def _pattern(column: str, pattern: str) -> str:
    return f"not regexp_full_match(upper(trim({column})), '{pattern}')"


_DECIMAL = "try_cast({v} as decimal(18, 2))"
_DATE = f"try_strptime({{v}}, '{DATE_FORMAT}')::date"
_TIMESTAMP = f"try_strptime({{v}}, '{TIMESTAMP_FORMAT}')"

CUSTOMERS = Entity(
    name="customers",
    key="customer_id",
    columns=(
        Column("customer_id"),
        Column("first_name"),
        Column("last_name"),
        Column("email"),
        Column("age", "INTEGER", "try_cast({v} as integer)"),
        Column("state"),
        Column("city"),
        Column("employment_status"),
        Column("card_type"),
        Column("credit_limit", "DECIMAL(18, 2)", _DECIMAL),
        Column("account_open_date", "DATE", _DATE),
    ),
    rules=(
        Rule(
            "bad_domain",
            "customer_id",
            _pattern("customer_id", "CUST[0-9]{8}"),
            "is not CUST + 8 digits",
        ),
        Rule("bad_domain", "email", "strpos(email, '@') = 0", "has no @"),
        Rule(
            "bad_domain",
            "age",
            f"coalesce({_typed('age')} not between 18 and 100, true)",
            "is not a whole number from 18 to 100",
        ),
        Rule(
            "bad_domain",
            "state",
            _not_in("state", "states"),
            "is not a US state code",
            {"states": folded(US_STATES)},
        ),
        Rule(
            "bad_domain",
            "employment_status",
            _not_in("employment_status", "employment"),
            "is not a known employment status",
            {"employment": folded(EMPLOYMENT_STATUSES)},
        ),
        Rule(
            "bad_domain",
            "card_type",
            _not_in("card_type", "card_types"),
            "is not Standard, Premium or Platinum",
            {"card_types": folded(CARD_TYPES)},
        ),
        Rule(
            "bad_amount",
            "credit_limit",
            f"{_typed('credit_limit')} is null or {_typed('credit_limit')} <= 0",
            "is not a positive decimal",
        ),
        Rule(
            "bad_date",
            "account_open_date",
            f"{_typed('account_open_date')} is null",
            "is not a date YYYY-MM-DD",
        ),
    ),
)

_VALID_NEW_VALUE = (
    "case lower(trim(attribute))"
    " when 'card_type' then list_contains($card_types, lower(trim(new_value)))"
    " when 'credit_limit' then coalesce(try_cast(trim(new_value) as decimal(18, 2)) > 0, false)"
    " when 'email' then strpos(new_value, '@') > 0"
    " else true end"
)

CUSTOMER_CHANGES = Entity(
    name="customer_changes",
    key="change_id",
    columns=(
        Column("change_id"),
        Column("customer_id"),
        Column("effective_date", "DATE", _DATE),
        Column("attribute"),
        Column("new_value"),
    ),
    rules=(
        Rule(
            "bad_domain",
            "change_id",
            _pattern("change_id", "CHG[0-9]{10}"),
            "is not CHG + 10 digits",
        ),
        Rule(
            "bad_date",
            "effective_date",
            f"{_typed('effective_date')} is null",
            "is not a date YYYY-MM-DD",
        ),
        Rule(
            "bad_domain",
            "attribute",
            _not_in("attribute", "attributes"),
            "is not card_type, credit_limit, email or city",
            {"attributes": list(CHANGE_ATTRIBUTES)},
        ),
        Rule(
            "bad_domain",
            "new_value",
            f"not ({_VALID_NEW_VALUE})",
            "is not valid for its attribute",
            {"card_types": folded(CARD_TYPES)},
        ),
        Rule(
            "unknown_customer",
            "customer_id",
            "_known_customer is null",
            "is not a customer in bronze.customers",
        ),
    ),
    checks_customer=True,
)

TRANSACTIONS = Entity(
    name="transactions",
    key="transaction_id",
    columns=(
        Column("transaction_id"),
        Column("customer_id"),
        Column("transaction_ts", "TIMESTAMP", _TIMESTAMP),
        Column("amount", "DECIMAL(18, 2)", _DECIMAL),
        Column("merchant_name"),
        Column("merchant_category"),
        Column("mcc"),
        Column("channel"),
        Column("status"),
    ),
    rules=(
        Rule(
            "bad_domain",
            "transaction_id",
            _pattern("transaction_id", "TXN[0-9]{12}"),
            "is not TXN + 12 digits",
        ),
        Rule(
            "bad_date",
            "transaction_ts",
            f"{_typed('transaction_ts')} is null",
            "is not a timestamp YYYY-MM-DD HH:MM:SS",
        ),
        Rule(
            "bad_amount",
            "amount",
            f"{_typed('amount')} is null or {_typed('amount')} <= 0",
            "is not a positive decimal",
        ),
        Rule("bad_domain", "mcc", _pattern("mcc", "[0-9]{4}"), "is not 4 digits"),
        Rule(
            "bad_domain",
            "channel",
            _not_in("channel", "channels"),
            "is not Online, In-Store or Mobile",
            {"channels": folded(CHANNELS)},
        ),
        Rule(
            "bad_domain",
            "status",
            _not_in("status", "statuses"),
            "is not approved or declined",
            {"statuses": folded(TRANSACTION_STATUSES)},
        ),
        Rule(
            "unknown_customer",
            "customer_id",
            "_known_customer is null",
            "is not a customer in bronze.customers",
        ),
        Rule(
            "unknown_category",
            "merchant_category",
            "_known_category is null",
            "is not in the merchant category reference",
        ),
    ),
    checks_customer=True,
    checks_category=True,
    clean_when=(
        "regexp_full_match(transaction_id, 'TXN[0-9]{12}') and _known_customer is not null"
        f" and {_typed('transaction_ts')} is not null and {_typed('amount')} > 0"
        " and trim(merchant_name) <> '' and _known_category is not null"
        " and regexp_full_match(mcc, '[0-9]{4}') and list_contains($exact_channels, channel)"
        " and list_contains($exact_statuses, status)"
    ),
    clean_params={"exact_channels": list(CHANNELS), "exact_statuses": list(TRANSACTION_STATUSES)},
)

# Load order within a run: referential checks see customers landed earlier in the same run.
ENTITIES: tuple[Entity, ...] = (CUSTOMERS, CUSTOMER_CHANGES, TRANSACTIONS)
ENTITY_BY_NAME = {entity.name: entity for entity in ENTITIES}
