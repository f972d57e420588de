"""Silver and gold: the dbt project in transform/, run in-process."""

from customer360.transform.dictionary import write_data_dictionary
from customer360.transform.errors import TransformError
from customer360.transform.project import dbt_project_dir
from customer360.transform.runner import TransformReport, run_transform

__all__ = [
    "TransformError",
    "TransformReport",
    "dbt_project_dir",
    "run_transform",
    "write_data_dictionary",
]
