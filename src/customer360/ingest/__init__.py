"""Landing files → bronze tables, with a file manifest, row validation and quarantine."""

from customer360.ingest.loader import ingest_landing
from customer360.ingest.report import FileResult, IngestReport
from customer360.ingest.retract import RetractReport, retract_file
from customer360.ingest.status import BatchStatus, StatusReport, status

__all__ = [
    "BatchStatus",
    "FileResult",
    "IngestReport",
    "RetractReport",
    "StatusReport",
    "ingest_landing",
    "retract_file",
    "status",
]
