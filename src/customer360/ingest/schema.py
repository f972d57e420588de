"""The landing schema: every field's format and plausible range, declared once.

Each landing column has a kind (an id code, a value from a list, free text, an email, an amount,
a whole number, a date or a timestamp) with the bounds that make a value plausible and the
longest text accepted. `formats.py` turns a kind into SQL, `entities.py` assembles the rules of
each entity from these declarations, and the docs and tests read them from here.

Nothing is coerced: a value in another format (`12.345`, `1e3`, `1_000`, `0x1A`, `25.7`,
`2025-1-5 1:2:3`) is quarantined, not rounded or reinterpreted. Surrounding spaces are the one
tolerance (values are compared trimmed and, for codes and lists, case-folded).
"""

from __future__ import annotations

from dataclasses import dataclass

from customer360.dates import CLOCK_SLACK, EARLIEST_DATE  # noqa: F401 -- part of the schema

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

# The plausible window for every date and timestamp (customer360.dates): from EARLIEST_DATE to
# its batch's date (`NNNN-YYYY-MM-DD` batches) or the run's clock plus CLOCK_SLACK, whichever is
# earlier. A transaction or change dated before its customer's account opened is implausible
# too. One such row never moves `as_of`: it is quarantined.

# C0 control characters and DEL: never part of a value (NUL, tab, a bare CR, the unit separator).
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f]"


@dataclass(frozen=True)
class Code:
    """An identifier of one fixed shape, compared trimmed and upper-cased."""

    pattern: str
    shape: str
    max_length: int = 40


@dataclass(frozen=True)
class OneOf:
    """A value from a fixed list, compared trimmed and case-folded."""

    values: tuple[str, ...]
    label: str
    max_length: int = 40


@dataclass(frozen=True)
class Text:
    """Free text: at most `max_length` characters, no control characters."""

    max_length: int


@dataclass(frozen=True)
class Email:
    """`name@domain.tld`: no spaces or control characters, a dotted domain."""

    max_length: int = 254
    pattern: str = r"[^@\s\x00-\x1f\x7f]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"


@dataclass(frozen=True)
class Amount:
    """Dollars written `123.45` (0 to 2 decimals, no sign, exponent, separators or leading zero)."""

    low: str
    high: str
    max_length: int = 40
    pattern: str = r"(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?"


@dataclass(frozen=True)
class WholeNumber:
    """Digits only (no sign, decimals, exponent, hex or leading zero)."""

    low: int
    high: int
    max_length: int = 40
    pattern: str = r"(0|[1-9][0-9]{0,8})"


@dataclass(frozen=True)
class Day:
    """A real calendar date written `YYYY-MM-DD`, within the plausible window."""

    max_length: int = 40
    pattern: str = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    format: str = "%Y-%m-%d"
    shape: str = "YYYY-MM-DD"
    noun: str = "date"


@dataclass(frozen=True)
class Timestamp:
    """A real time written `YYYY-MM-DD HH:MM:SS`, within the plausible window."""

    max_length: int = 40
    pattern: str = r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"
    format: str = "%Y-%m-%d %H:%M:%S"
    shape: str = "YYYY-MM-DD HH:MM:SS"
    noun: str = "timestamp"


Field = Code | OneOf | Text | Email | Amount | WholeNumber | Day | Timestamp

CUSTOMER_ID = Code("CUST[0-9]{8}", "CUST + 8 digits")
CARD_TYPE = OneOf(CARD_TYPES, "Standard, Premium or Platinum")
CREDIT_LIMIT = Amount("0.01", "1000000.00")
EMAIL = Email()
CITY = Text(100)

# Columns in contract order (docs/landing-format.md).
CUSTOMERS: dict[str, Field] = {
    "customer_id": CUSTOMER_ID,
    "first_name": Text(100),
    "last_name": Text(100),
    "email": EMAIL,
    "age": WholeNumber(18, 100),
    "state": OneOf(US_STATES, "a US state code (50 states + DC)"),
    "city": CITY,
    "employment_status": OneOf(EMPLOYMENT_STATUSES, "a known employment status"),
    "card_type": CARD_TYPE,
    "credit_limit": CREDIT_LIMIT,
    "account_open_date": Day(),
}

# What a customer change may set, and the field whose format its new_value must have.
CHANGE_ATTRIBUTES: dict[str, Field] = {
    "card_type": CARD_TYPE,
    "credit_limit": CREDIT_LIMIT,
    "email": EMAIL,
    "city": CITY,
}

CUSTOMER_CHANGES: dict[str, Field] = {
    "change_id": Code("CHG[0-9]{10}", "CHG + 10 digits"),
    "customer_id": CUSTOMER_ID,
    "effective_date": Day(),
    "attribute": OneOf(tuple(CHANGE_ATTRIBUTES), "card_type, credit_limit, email or city"),
    "new_value": Text(EMAIL.max_length),
}

TRANSACTIONS: dict[str, Field] = {
    "transaction_id": Code("TXN[0-9]{12}", "TXN + 12 digits"),
    "customer_id": CUSTOMER_ID,
    "transaction_ts": Timestamp(),
    "amount": Amount("0.01", "1000000.00"),
    "merchant_name": Text(200),
    # Also checked against the merchant category reference.
    "merchant_category": Text(100),
    "mcc": Code("[0-9]{4}", "4 digits"),
    "channel": OneOf(CHANNELS, "Online, In-Store or Mobile"),
    "status": OneOf(TRANSACTION_STATUSES, "approved or declined"),
}
