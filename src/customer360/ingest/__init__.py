"""Landing files → bronze tables, with a file manifest, row validation and quarantine."""

from customer360.ingest.loader import ingest_landing
from customer360.ingest.report import FileResult, IngestReport
from customer360.ingest.status import BatchStatus, StatusReport, status

__all__ = [
    "BatchStatus",
    "FileResult",
    "IngestReport",
    "StatusReport",
    "ingest_landing",
    "status",
]
