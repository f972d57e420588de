"""Every page on the tiny world under AppTest: widgets change what the page shows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from customer360.assistant.executor import connect_locked

from .conftest import PAGES
from .pagetest import charts, frame_with, metric, run_page, texts


def sql(data_dir: Path, query: str, *params: object) -> list[tuple]:
    """Query the fixture warehouse with the app's connection settings (DuckDB needs them equal)."""
    with connect_locked(data_dir / "warehouse.duckdb") as con:
        return con.execute(query, list(params)).fetchall()


@pytest.fixture(autouse=True)
def _world(app_data_dir: Path, use_data_dir) -> None:
    use_data_dir(app_data_dir)


def test_segment_explorer_defaults_show_the_whole_portfolio(app_data_dir: Path) -> None:
    app = run_page("segment_explorer")
    (total,) = sql(app_data_dir, "select count(*) from gold.customer_360_profile")[0]
    assert metric(app, "Customers") == f"{total:,}"
    assert charts(app) == 3
    assert len(app.dataframe[0].value) == total
    assert app.download_button(key="segment_csv")


def test_segment_filter_changes_cards_and_list(app_data_dir: Path) -> None:
    app = run_page("segment_explorer")
    app.multiselect(key="seg_segments").set_value(["Declining"]).run()
    (declining,) = sql(
        app_data_dir,
        "select count(*) from gold.customer_360_profile where customer_segment = ?",
        "Declining",
    )[0]
    assert metric(app, "Customers") == f"{declining:,}"
    assert set(app.dataframe[0].value["customer_segment"]) == {"Declining"}


def test_segment_filters_with_no_match_say_so(app_data_dir: Path) -> None:
    app = run_page("segment_explorer")
    app.number_input(key="seg_min_ltv").set_value(1e12).run()
    assert "No customers match" in texts(app)
    assert charts(app) == 0


def test_customer_search_by_partial_id_shows_the_profile(app_data_dir: Path) -> None:
    app = run_page("customer_360")
    app.text_input(key="c360_search").input("cust0000001").run()
    assert not app.exception
    chosen = app.selectbox(key="c360_choice").value
    assert chosen.startswith("CUST0000001")
    assert any(chosen in s.value for s in app.subheader)
    assert metric(app, "Lifetime value").startswith("$")
    assert app.download_button(key="c360_csv")


def test_customer_search_by_name_and_email_is_case_insensitive(app_data_dir: Path) -> None:
    full_name, email, customer_id = sql(
        app_data_dir,
        "select full_name, email, customer_id from gold.customer_360_profile "
        "order by customer_id limit 1",
    )[0]
    for text in (full_name.split()[-1].upper()[1:], email.split("@")[0][2:].lower()):
        app = run_page("customer_360")
        app.text_input(key="c360_search").input(text).run()
        assert customer_id in app.selectbox(key="c360_choice").options[0] or any(
            customer_id in option for option in app.selectbox(key="c360_choice").options
        )


@pytest.mark.parametrize(
    "hostile",
    ["' or 1=1; drop table gold.customer_360_profile --", "%", "_", "\\", "'; select 1; --"],
)
def test_hostile_search_text_finds_nothing_and_breaks_nothing(
    app_data_dir: Path, hostile: str
) -> None:
    app = run_page("customer_360")
    app.text_input(key="c360_search").input(hostile).run()
    assert not app.exception
    assert "No customer matches" in texts(app)
    assert sql(app_data_dir, "select count(*) from gold.customer_360_profile")[0][0] > 0


def test_transaction_filters_narrow_the_history(app_data_dir: Path) -> None:
    (customer_id,) = sql(
        app_data_dir,
        "select customer_id from gold.fct_transactions where status = 'declined' "
        "group by 1 order by count(*) desc limit 1",
    )[0]
    app = run_page("customer_360")
    app.text_input(key="c360_search").input(customer_id).run()
    app.selectbox(key="c360_period").select("All history").run()
    everything = frame_with(app, "transaction_id")
    app.multiselect(key="c360_statuses").set_value(["declined"]).run()
    declined = frame_with(app, "transaction_id")
    assert 0 < len(declined) < len(everything) <= 1000
    assert set(declined["status"]) == {"declined"}
    app.selectbox(key="c360_period").select("Last 30 days").run()
    app.multiselect(key="c360_statuses").set_value([]).run()
    recent = (
        frame_with(app, "transaction_id")
        if not texts(app).count("No transactions")
        else pd.DataFrame({"transaction_date": []})
    )
    as_of = sql(app_data_dir, "select as_of_date from silver.int_as_of")[0][0]
    assert all((as_of - pd.Timestamp(d).date()).days < 30 for d in recent["transaction_date"])


def test_customer_with_card_changes_shows_scd2_history(app_data_dir: Path) -> None:
    (customer_id, versions) = sql(
        app_data_dir,
        "select customer_id, count(*) from gold.dim_customer group by 1 having count(*) > 1 "
        "order by 1 limit 1",
    )[0]
    app = run_page("customer_360")
    app.text_input(key="c360_search").input(customer_id).run()
    history = frame_with(app, "version_number")
    assert len(history) == versions
    assert history["is_current"].sum() == 1


def test_unscored_customer_is_not_shown_as_low_risk(app_data_dir: Path) -> None:
    (customer_id,) = sql(
        app_data_dir,
        "select customer_id from gold.customer_360_profile where churn_risk_score is null "
        "order by 1 limit 1",
    )[0]
    app = run_page("customer_360")
    app.text_input(key="c360_search").input(customer_id).run()
    page = texts(app)
    assert "Not scored" in page
    assert "Low Risk" not in page


def test_scored_customer_shows_reason_codes(app_data_dir: Path) -> None:
    customer_id, reason = sql(
        app_data_dir,
        "select customer_id, reason_1 from gold.churn_predictions "
        "where churn_risk_score >= 40 order by churn_risk_score desc limit 1",
    )[0]
    app = run_page("customer_360")
    app.text_input(key="c360_search").input(customer_id).run()
    assert reason in texts(app)


def test_assistant_answers_a_suggested_question_with_table_chart_and_sql() -> None:
    app = run_page("assistant")
    app.button(key="suggest_Segmentation_0").click().run()
    assert not app.exception
    assert "Engine:" in texts(app)
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) >= 3
    assert charts(app) == 1
    assert "select" in app.code[0].value.lower()
    assert app.download_button(key="assistant_csv_0")


def test_assistant_free_text_follow_up_and_history() -> None:
    app = run_page("assistant")
    app.chat_input(key="assistant_input").set_value("average lifetime value by card type").run()
    first = app.dataframe[0].value
    assert len(first) >= 2
    app.button(key="follow_0_0").click().run()
    assert len(app.chat_message) == 4
    assert "(follow-up)" in texts(app)
    assert len(app.dataframe) == 2


def test_assistant_refuses_out_of_scope_questions_with_suggestions() -> None:
    app = run_page("assistant")
    app.chat_input(key="assistant_input").set_value("what will the weather be tomorrow").run()
    assert app.warning and "retry_0_0" in [b.key for b in app.button]


def test_campaign_parameters_move_the_results() -> None:
    app = run_page("campaign")
    targets = int(metric(app, "Targets").replace(",", ""))
    assert targets > 0
    cost = metric(app, "Total cost")
    app.number_input(key="camp_incentive").set_value(500.0).run()
    assert metric(app, "Total cost") != cost
    saves = float(metric(app, "Incremental saves"))
    app.slider(key="camp_save_rate").set_value(60).run()
    assert float(metric(app, "Incremental saves")) > saves
    app.multiselect(key="camp_risks").set_value(["High Risk"]).run()
    assert int(metric(app, "Targets").replace(",", "")) < targets
    assert charts(app) == 3
    assert "Breakeven save rate" in [m.label for m in app.metric]
    assert app.download_button(key="camp_csv")


def test_churn_model_page_shows_the_card() -> None:
    app = run_page("churn_model")
    assert float(metric(app, "ROC-AUC")) > 0.5
    assert len(app.get("imgs")) >= 4 or len(app.get("image")) >= 4 or "Lift" in texts(app)
    assert charts(app) >= 3


def test_data_health_shows_freshness_layers_quarantine_and_dbt() -> None:
    app = run_page("data_health")
    assert metric(app, "Data as of") != "—"
    assert {"bronze", "silver", "gold"} <= {m.label for m in app.metric}
    assert "dbt nodes" in texts(app)
    assert frame_with(app, "reason")["rows"].sum() > 0


def test_analyst_role_masks_names_and_emails(app_data_dir: Path, use_data_dir) -> None:
    use_data_dir(app_data_dir, role="analyst")
    app = run_page("segment_explorer")
    listed = app.dataframe[0].value
    assert listed["full_name"].str.contains("•••").all()
    assert listed["email"].str.contains("•••").all()
    full_name = sql(app_data_dir, "select full_name from gold.customer_360_profile limit 1")[0][0]
    search = run_page("customer_360")
    search.text_input(key="c360_search").input(full_name).run()
    assert "No customer matches" in texts(search)


def test_analyst_role_cannot_re_identify_people_through_the_assistant(
    app_data_dir: Path, use_data_dir
) -> None:
    use_data_dir(app_data_dir, role="analyst")
    full_name, email = sql(
        app_data_dir, "select full_name, email from gold.customer_360_profile limit 1"
    )[0]
    app = run_page("assistant")
    for question in (f"lifetime value of {full_name}", "list emails of high risk customers"):
        app.chat_input(key="assistant_input").set_value(question).run()
        assert not app.exception
    shown = (
        texts(app)
        + "".join(str(f.value) for f in app.dataframe)
        + "".join(c.value for c in app.code)
    )
    assert email not in shown and full_name not in shown.replace(
        f"lifetime value of {full_name}", ""
    )
    app.chat_input(key="assistant_input").set_value("customers in Texas").run()
    assert not {"full_name", "email"} & set(app.dataframe[-1].value.columns)


@pytest.mark.parametrize("name", PAGES)
def test_pages_explain_a_missing_warehouse(name: str, empty_dir: Path, use_data_dir) -> None:
    use_data_dir(empty_dir)
    app = run_page(name)
    if name == "customer_360":
        app.text_input(key="c360_search").input("CUST").run()
    if name == "assistant":
        app.chat_input(key="assistant_input").set_value("how many customers").run()
    assert not app.exception
    assert "c360" in texts(app) or "pipeline" in texts(app)


@pytest.mark.parametrize("name", ["segment_explorer", "campaign", "churn_model"])
def test_pages_handle_an_unscored_warehouse(name: str, unscored_dir: Path, use_data_dir) -> None:
    use_data_dir(unscored_dir)
    app = run_page(name)
    page = texts(app)
    if name == "segment_explorer":
        assert metric(app, "Avg churn risk score") == "Not scored"
    elif name == "campaign":
        assert "No scored customers" in page
    else:
        assert "No churn model" in page
