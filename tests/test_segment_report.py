import shutil

from customer360.segment_report import SEGMENTS, segment_report


def test_report_covers_every_customer_and_every_persona(pipeline_world, tmp_path):
    # A private copy: other suites hold connections with their own settings to the original.
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(pipeline_world.data_dir / "warehouse.duckdb", warehouse)
    report = segment_report(warehouse, pipeline_world.data_dir / "oracle")
    assert report.customers == 500
    assert {persona for persona, _ in report.cells} == set(SEGMENTS)
    assert abs(sum(report.share(segment) for segment in SEGMENTS) - 100) < 1e-6
    markdown = report.to_markdown()
    assert "| persona \\ segment |" in markdown and "recovered" in markdown
