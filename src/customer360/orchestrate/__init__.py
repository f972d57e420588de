"""Dagster definitions over the pipeline: assets, jobs, schedules, a landing sensor, checks.

Installed with the `orchestrate` extra (`uv sync --extra orchestrate`); the rest of the
package never imports it. Every asset calls the library functions the CLI calls.
"""
