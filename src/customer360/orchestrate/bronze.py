"""Landing → bronze: the ingest stage as one step, one asset per bronze table.

Each table's materialisation carries this run's loaded and quarantined rows (by reason); the
`quarantine_rate` check warns when more than `MAX_QUARANTINE_RATE` of a table's incoming rows
were rejected (they are kept in ops.quarantine either way).
"""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb

from customer360.ingest import IngestReport, ingest_landing
from customer360.orchestrate import keys
from customer360.orchestrate.build import WarehouseBuild, one_line_failures

MAX_QUARANTINE_RATE = 0.05
QUARANTINE_CHECK = "quarantine_rate"

LANDING = dg.AssetSpec(
    keys.LANDING,
    description="Files dropped into <data dir>/landing/<entity>/ by a source system or "
    "`c360 generate`; the landing sensor starts a daily load when new ones appear.",
    group_name="landing",
)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            keys.bronze(table),
            deps=[keys.LANDING],
            group_name="bronze",
            description=f"bronze.{table}: typed landed rows with lineage columns.",
        )
        for table in keys.BRONZE_TABLES
    ],
    check_specs=[
        dg.AssetCheckSpec(
            QUARANTINE_CHECK,
            asset=keys.bronze(table),
            description=f"At most {MAX_QUARANTINE_RATE:.0%} of this run's incoming rows "
            "quarantined.",
        )
        for table in keys.BRONZE_TABLES
    ],
    can_subset=False,
)
def bronze(build: WarehouseBuild) -> Iterator[dg.MaterializeResult]:
    """Load every landing file not yet in the manifest (`c360 ingest`)."""
    settings = build.settings
    with one_line_failures():
        report = ingest_landing(settings.landing_dir, build.staging)
    rows = _row_counts(build.staging)
    for table in keys.BRONZE_TABLES:
        loaded, quarantined, reasons = _incoming(report, table)
        rate = quarantined / (loaded + quarantined) if loaded + quarantined else 0.0
        yield dg.MaterializeResult(
            asset_key=keys.bronze(table),
            metadata={
                "rows": rows[table],
                "rows_loaded": loaded,
                "rows_quarantined": quarantined,
                "quarantined_by_reason": dg.MetadataValue.json(reasons),
                "files_loaded": sum(1 for f in report.loaded if f.entity == table),
                "files_failed": sum(1 for f in report.failed if f.entity == table),
            },
            check_results=[
                dg.AssetCheckResult(
                    asset_key=keys.bronze(table),
                    check_name=QUARANTINE_CHECK,
                    passed=rate <= MAX_QUARANTINE_RATE,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={"quarantine_rate": rate, "limit": MAX_QUARANTINE_RATE},
                )
            ],
        )


def _incoming(report: IngestReport, table: str) -> tuple[int, int, dict[str, int]]:
    """This run's (loaded, quarantined, quarantined by reason) rows of one bronze table."""
    if table == "merchant_categories":
        return report.reference_rows, 0, {}
    files = [result for result in report.files if result.entity == table]
    reasons = {
        reason: rows
        for (entity, reason), rows in report.quarantined_by_reason.items()
        if entity == table
    }
    return (
        sum(result.rows_loaded for result in files),
        sum(result.rows_quarantined for result in files),
        reasons,
    )


def _row_counts(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            table: con.execute(f"select count(*) from bronze.{table}").fetchone()[0]  # noqa: S608 -- a constant
            for table in keys.BRONZE_TABLES
        }
