"""Settings: the one place that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from customer360.errors import UsageError

if TYPE_CHECKING:
    from customer360.assistant.llm import LLMSettings

DEFAULT_DATA_DIR = Path("data")
DATA_DIR_ENV = "C360_DATA_DIR"

Role = Literal["admin", "analyst"]
ROLE_ENV = "C360_ROLE"
MASKED_ROLES: frozenset[str] = frozenset({"analyst"})


@dataclass(frozen=True)
class Settings:
    """Where all state lives. Everything is derived from the data directory."""

    data_dir: Path

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def oracle_dir(self) -> Path:
        """Hidden ground truth from the generator; never read by the pipeline's features."""
        return self.data_dir / "oracle"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def runs_dir(self) -> Path:
        """Reports of past runs (benchmarks, ingest summaries)."""
        return self.data_dir / "runs"

    @property
    def models_dir(self) -> Path:
        """Versioned churn model artifacts with their model cards (the warehouse names the
        current one in `ml.model_runs`)."""
        return self.data_dir / "models"

    def landing_entity_dir(self, entity: str) -> Path:
        return self.landing_dir / entity


def load_settings(data_dir: str | Path | None = None) -> Settings:
    """Settings from an explicit data dir, else `C360_DATA_DIR`, else `./data`.

    The folder need not exist yet (`c360 generate` creates it), but a file or anything else
    that is not a folder is refused, naming where the path came from.
    """
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV)
    path = Path(chosen) if chosen else DEFAULT_DATA_DIR
    if path.exists() and not path.is_dir():
        source = f"--data-dir {path}" if data_dir is not None else f"{DATA_DIR_ENV}={path}"
        if data_dir is None and not chosen:
            source = f"the default data directory {path}"
        raise UsageError(
            f"{source} is not a directory; point --data-dir (or {DATA_DIR_ENV}) at a data "
            "directory, or at a new path for `c360 generate` to create"
        )
    return Settings(data_dir=path)


def load_llm_settings() -> LLMSettings | None:
    """The optional LLM backend from `C360_LLM_*`; None keeps the assistant offline."""
    from customer360.assistant.llm import LLMSettings

    return LLMSettings.from_env(os.environ)


def viewer_role(environ: Mapping[str, str]) -> Role:
    """`C360_ROLE=analyst` masks personal data; anything else (or unset) sees it in full."""
    return "analyst" if environ.get(ROLE_ENV, "").strip().lower() in MASKED_ROLES else "admin"


def load_viewer_role() -> Role:
    """The dashboard viewer's role from `C360_ROLE`."""
    return viewer_role(os.environ)
