"""Named errors. The CLI turns each into one clear line and a non-zero exit code."""

from __future__ import annotations

import errno
import os

# A full disk, a full quota, or a file size limit (ulimit -f): the OS's words for each appear
# in DuckDB's and dbt's messages too.
DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


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


class DiskFullError(C360Error):
    """A write failed for lack of space; the build was discarded and the live state kept."""


def disk_full_reason(exc: BaseException) -> str | None:
    """The OS's words ("No space left on device") when `exc` comes from a full disk, else None."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return os.strerror(exc.errno)
    text = str(exc)
    return next((os.strerror(n) for n in DISK_FULL_ERRNOS if os.strerror(n) in text), None)
