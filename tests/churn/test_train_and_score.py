from __future__ import annotations

import json

import duckdb
import pytest

from customer360.churn import LeakageError, score, train
from customer360.churn.artifact import CARD_FILE, current_version
from customer360.churn.features import FEATURE_SQL, FeatureSet
from customer360.churn.plots import PLOTS
from customer360.churn.score import risk_category, risk_score
from customer360.churn.train import TrainSettings

LEAKY_SQL = (
    "with base as ("
    + FEATURE_SQL.replace(
        "select * from final order by cutoff_date, customer_id", "select * from final"
    )
    + "), future as (select k.cutoff, p.cid, sum(p.cents) / 100.0 as spend "
    "from churn_cutoffs as k inner join churn_period_bounds as b "
    "on b.lo >= k.cutoff and b.hi <= k.cutoff + 90 "
    "inner join churn_periods as p on b.period_id = p.period_id group by all) "
    "select base.*, coalesce(future.spend, 0) / base.spend_90d as future_spend_ratio from base "
    "inner join churn_customers as c on base.customer_id = c.customer_id "
    "left join future on c.cid = future.cid and base.cutoff_date = future.cutoff "
    "order by base.cutoff_date, base.customer_id"
)


def test_training_publishes_a_versioned_artifact_with_card_plots_and_a_run_row(trained):
    database, report = trained
    out = report.model_dir
    assert (out / CARD_FILE).read_text().startswith("# Churn model card")
    assert {p.name for p in (out / "plots").iterdir()} == {f"{p}.png" for p in PLOTS}
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics["features"]) >= 35
    assert metrics["oracle"]["roc_auc"] > 0.5
    con = duckdb.connect(str(database), read_only=True)
    row = con.execute(
        "select test_cutoff, roc_auc from ml.model_runs where model_version = ?",
        [report.model_version],
    ).fetchone()
    con.close()
    assert row is not None and row[1] == pytest.approx(report.metrics["model"]["roc_auc"])


def test_the_warehouse_names_the_model_it_scores_with(trained):
    database, report = trained
    with duckdb.connect(str(database), read_only=True) as con:
        assert current_version(con) == report.model_version
    assert sorted(p.name for p in report.model_dir.parent.iterdir()) == [report.model_version]


def test_lightgbm_beats_the_logistic_baseline_on_the_test_cutoff(trained):
    metrics = trained[1].metrics
    assert metrics["model"]["roc_auc"] > metrics["baseline"]["roc_auc"] - 0.01


def test_same_seed_and_data_give_the_same_metrics(trained, copy_warehouse, world, tmp_path):
    again = train(copy_warehouse("retrain"), tmp_path, oracle_dir=world.oracle_dir, seed=3)
    assert again.model_version == trained[1].model_version
    assert again.metrics["model"] == trained[1].metrics["model"]
    assert again.metrics["baseline"] == trained[1].metrics["baseline"]


def test_sentinel_refuses_to_publish_a_model_with_a_leaky_feature(copy_warehouse, tmp_path):
    leaky = TrainSettings(features=FeatureSet(LEAKY_SQL))
    database = copy_warehouse("leaky")
    with pytest.raises(LeakageError, match="future_spend_ratio"):
        train(database, tmp_path, settings=leaky)
    assert list(tmp_path.iterdir()) == []
    with duckdb.connect(str(database), read_only=True) as con:
        assert current_version(con) is None


def test_sentinel_override_publishes_anyway(copy_warehouse, tmp_path):
    leaky = TrainSettings(features=FeatureSet(LEAKY_SQL))
    report = train(copy_warehouse("leaky-override"), tmp_path, settings=leaky, override=True)
    assert report.metrics["sentinel"]["overridden"]


def test_every_scored_customer_gets_three_readable_reasons(trained):
    database, report = trained
    result = score(database, report.model_dir.parent)
    con = duckdb.connect(str(database), read_only=True)
    rows = con.execute(
        "select churn_probability, churn_risk_score, churn_risk_category, reason_1, reason_2, "
        "reason_3, model_version, scored_at from gold.churn_predictions"
    ).fetchall()
    con.close()
    assert len(rows) == result.scored > 0
    for prob, points, category, *reasons, version, _ in rows:
        assert 0 <= prob <= 1 and points == round(prob * 100)
        assert category == risk_category(points)
        assert len(set(reasons)) == 3
        assert all(r and "nan" not in r and "=" not in r and "_" not in r for r in reasons)
        assert version == report.model_version


def test_only_eligible_customers_are_scored(trained):
    database, report = trained
    score(database, report.model_dir)
    con = duckdb.connect(str(database), read_only=True)
    as_of = con.execute("select max(transaction_date) from gold.fct_transactions").fetchone()[0]
    unscored_active = con.execute(
        "select count(*) from gold.churn_predictions as p inner join gold.dim_customer as c "
        "on p.customer_id = c.customer_id and c.is_current "
        "where c.account_open_date > ? - 90",
        [as_of],
    ).fetchone()[0]
    total, scored = con.execute(
        "select (select count(*) from gold.dim_customer where is_current), "
        "(select count(*) from gold.churn_predictions)"
    ).fetchone()
    con.close()
    assert unscored_active == 0
    assert 0 < scored < total


def test_rescoring_the_same_data_gives_identical_rows(trained):
    database, report = trained
    first = score(database, report.model_dir)
    con = duckdb.connect(str(database), read_only=True)
    before = con.execute("select * from gold.churn_predictions order by customer_id").fetchall()
    con.close()
    second = score(database, report.model_dir)
    con = duckdb.connect(str(database), read_only=True)
    after = con.execute("select * from gold.churn_predictions order by customer_id").fetchall()
    con.close()
    assert first.scored == second.scored and before == after


@pytest.mark.parametrize(
    ("points", "category"),
    [
        (100, "High Risk"),
        (70, "High Risk"),
        (69, "Medium Risk"),
        (40, "Medium Risk"),
        (39, "Low Risk"),
        (0, "Low Risk"),
    ],
)
def test_risk_categories_use_the_70_and_40_thresholds(points, category):
    assert risk_category(points) == category


def test_risk_score_is_the_probability_in_percent():
    assert list(risk_score([0.0, 0.394, 0.695, 0.7, 1.0])) == [0, 39, 70, 70, 100]
