"""Named errors. The CLI turns each into one clear line and a non-zero exit code."""

from __future__ import annotations


class C360Error(Exception):
    """A user-facing failure: the message says what, where, and what to do."""

    exit_code = 1


class UsageError(C360Error):
    """A bad option value or an unusable path given by the user."""

    exit_code = 2


class LandingFileError(C360Error):
    """A landing file that cannot be read as a whole (missing, empty, truncated, bad header)."""


class WarehouseBusyError(C360Error):
    """Another writer holds the warehouse."""
