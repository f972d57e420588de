"""The generator's planted defects all end up in quarantine, and nothing else does."""

import duckdb
import pytest

from customer360.config import load_settings
from customer360.generate import GenerateOptions, generate_world
from customer360.ingest import ingest_landing
from customer360.warehouse import building, connect_read


@pytest.fixture(scope="module")
def dirty_world(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("dirty"))
    options = GenerateOptions(customers=400, seed=11, defect_rate=0.01, increments=3)
    summary = generate_world(options, settings)
    with building(settings.warehouse_path) as staging:
        first = ingest_landing(settings.landing_dir, staging)
    with building(settings.warehouse_path) as staging:
        second = ingest_landing(settings.landing_dir, staging)
    return settings, summary, first, second


def _planted(settings):
    con = duckdb.connect()
    rows = con.execute(
        "select replace(file, 'landing/', '') as file, cast(line as integer) as line, kind "
        "from read_csv(?, all_varchar = true) where expect = 'quarantine'",
        [str(settings.oracle_dir / "defects.csv")],
    ).fetchall()
    con.close()
    return {(file, line) for file, line, _ in rows}


def test_every_planted_defect_is_quarantined_and_nothing_else(dirty_world):
    settings, _, _, _ = dirty_world
    with connect_read(settings.warehouse_path) as con:
        held = set(con.execute("select source_file, source_row from ops.quarantine").fetchall())
    planted = _planted(settings)
    assert planted, "the generator planted no defects"
    assert held == planted


def test_every_file_reconciles_rows_in_to_loaded_plus_quarantined(dirty_world):
    settings, _, first, _ = dirty_world
    assert not first.failed
    for result in first.loaded:
        assert result.rows_in == result.rows_loaded + result.rows_quarantined
    with connect_read(settings.warehouse_path) as con:
        unbalanced = con.execute(
            "select count(*) from ops.file_manifest where rows_in <> rows_loaded + rows_quarantined"
        ).fetchone()[0]
    assert unbalanced == 0


def test_increment_batches_are_ingested_in_order(dirty_world):
    _, _, first, _ = dirty_world
    batches = [result.batch for result in first.files if result.entity == "transactions"]
    assert batches == sorted(batches)
    assert len({batch for batch in batches if batch != "0000-history"}) == 3


def test_second_ingest_of_the_same_landing_changes_nothing(dirty_world):
    settings, _, first, second = dirty_world
    assert not second.loaded and len(second.skipped) == len(first.files)
    with connect_read(settings.warehouse_path) as con:
        loaded = con.execute("select count(*) from bronze.transactions").fetchone()[0]
    assert loaded == sum(r.rows_loaded for r in first.files if r.entity == "transactions")
