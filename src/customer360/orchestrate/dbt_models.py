"""Every dbt model as its own asset and every dbt test as an asset check (dagster-dbt).

dbt runs in-process through the transform stage's own functions, against the run's staging
copy; its structured events become Dagster materialisations and check results. The models
split in two steps: everything up to the marts (`dbt_models`), and the marts that read churn
scores (`score_marts`), rebuilt after the churn step writes gold.churn_predictions.
"""

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliEventMessage, dbt_assets
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dbt_common.events.functions import msg_to_dict

from customer360.dates import require_plausible
from customer360.errors import UsageError
from customer360.orchestrate.build import WarehouseBuild, one_line_failures
from customer360.pipeline import SCORE_CONSUMERS, rebuild_score_consumers, transform_stage
from customer360.transform import TransformError
from customer360.transform.runner import EventCallback

# `dbt_models` runs the tests whose every model it builds (or is upstream of one it builds): a
# test that also reads a score mart waits for `score_marts`, which runs every test touching
# the marts it builds (dbt's default), when all the other models are built.
TESTS_OF_BUILT_MODELS = "buildable"

DbtStep = Callable[[str, EventCallback], object]


class TransformConfig(dg.Config):
    as_of: str | None = None
    """Rebuild as of this date (YYYY-MM-DD); empty: the latest landed transaction."""
    full_refresh: bool = False
    """Rebuild the incremental models from scratch (after a retraction or a late batch)."""


class WarehouseTranslator(DagsterDbtTranslator):
    """Keys are `[schema, table]` as in the warehouse, so dbt's sources meet the assets that
    write them: bronze.* (ingest) and gold.churn_predictions (churn scores)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return dg.AssetKey([_schema(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return _schema(dbt_resource_props)


def _schema(props: Mapping[str, Any]) -> str:
    return props.get("config", {}).get("schema") or props["schema"]


def dbt_asset_definitions(manifest: Path) -> list[dg.AssetsDefinition]:
    translator = WarehouseTranslator()

    @dbt_assets(manifest=manifest, exclude=SCORE_CONSUMERS, dagster_dbt_translator=translator)
    def dbt_models(
        context: dg.AssetExecutionContext, config: TransformConfig, build: WarehouseBuild
    ) -> Iterator[Any]:
        """dbt build of silver and gold (`c360 transform`), incremental unless full_refresh."""
        with one_line_failures():
            as_of = _as_of(config.as_of)
        yield from _run_dbt(
            context,
            manifest,
            translator,
            lambda select, on_event: transform_stage(
                build.staging,
                build.settings,
                as_of=as_of,
                full_refresh=config.full_refresh,
                select=select,
                indirect_selection=TESTS_OF_BUILT_MODELS,
                on_event=on_event,
            ),
        )

    @dbt_assets(manifest=manifest, select=SCORE_CONSUMERS, dagster_dbt_translator=translator)
    def score_marts(context: dg.AssetExecutionContext, build: WarehouseBuild) -> Iterator[Any]:
        """The marts that carry churn scores, rebuilt after scoring."""
        yield from _run_dbt(
            context,
            manifest,
            translator,
            lambda select, on_event: rebuild_score_consumers(
                build.staging, build.settings, select=select, on_event=on_event
            ),
        )

    return [dbt_models, score_marts]


def _run_dbt(
    context: dg.AssetExecutionContext,
    manifest: Path,
    translator: DagsterDbtTranslator,
    step: DbtStep,
) -> Iterator[Any]:
    """Run `step` on the selected models; report what dbt did, then fail if dbt failed."""
    events: list[dict[str, Any]] = []
    failure: TransformError | None = None
    try:
        step(
            _selection(context, manifest, translator),
            lambda message: events.append(msg_to_dict(message)),
        )
    except TransformError as exc:
        failure = exc
    for raw in events:
        event: DbtCliEventMessage = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
        yield from event.to_default_asset_events(
            manifest=manifest, dagster_dbt_translator=translator, context=context
        )
    if failure is not None:
        with one_line_failures():
            raise failure


def _selection(
    context: dg.AssetExecutionContext, manifest: Path, translator: DagsterDbtTranslator
) -> str:
    """The dbt models of this step's selected assets, as a dbt `--select`."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    names = {
        translator.get_asset_key(props): props["name"]
        for props in nodes
        if props["resource_type"] == "model"
    }
    return " ".join(sorted(names[key] for key in context.selected_asset_keys))


def _as_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"as_of {text!r} is not a date; use YYYY-MM-DD") from exc
    return require_plausible(day, "as_of")
