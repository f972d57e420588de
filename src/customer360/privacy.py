"""Personal data: which columns identify a person, and which roles may see them.

The one place these rules live: the dashboard masks these columns for masked roles, and the
assistant's guard refuses any SQL that reads them (selects, filters, groups or derives from them)
for those roles.
"""

from __future__ import annotations

NAME_COLUMNS = ("first_name", "last_name", "full_name")
EMAIL_COLUMNS = ("email",)
PII_COLUMNS = NAME_COLUMNS + EMAIL_COLUMNS


def private_columns(role: str) -> frozenset[str]:
    """The columns a role may not read: personal data for masked roles, nothing otherwise."""
    from customer360.config import MASKED_ROLES

    return frozenset(PII_COLUMNS) if role in MASKED_ROLES else frozenset()
