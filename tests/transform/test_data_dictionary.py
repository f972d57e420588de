"""The data dictionary is generated from the dbt YAML and kept in the repo up to date."""

from __future__ import annotations

import yaml

from customer360.transform import dbt_project_dir, write_data_dictionary


def test_data_dictionary_documents_every_model_and_column(tmp_path):
    written = write_data_dictionary(tmp_path / "dictionary.md").read_text()
    for yaml_file in (dbt_project_dir() / "models").rglob("*.yml"):
        for model in yaml.safe_load(yaml_file.read_text()).get("models", []):
            assert f".{model['name']}`" in written
            for column in model.get("columns", []):
                assert f"`{column['name']}`" in written


def test_committed_data_dictionary_matches_the_yaml(tmp_path):
    fresh = write_data_dictionary(tmp_path / "dictionary.md").read_text()
    committed = dbt_project_dir().parent / "docs" / "data-dictionary.md"
    assert committed.read_text() == fresh, "run write_data_dictionary() to refresh docs"


def test_contract_models_list_their_column_types(tmp_path):
    written = write_data_dictionary(tmp_path / "dictionary.md").read_text()
    fact = written.split("### `gold.fct_transactions`")[1].split("### ")[0]
    assert "Columns and types are an enforced dbt contract." in fact
    assert "| `customer_key` | BIGINT |" in fact
    assert "| `transaction_amount` | DECIMAL(18, 2) |" in fact
