"""What the app needs from its settings: the warehouse and the viewer's role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from customer360.config import MASKED_ROLES, Role, load_settings, load_viewer_role


@dataclass(frozen=True)
class AppContext:
    data_dir: Path
    warehouse_path: Path
    role: Role

    @property
    def mask_pii(self) -> bool:
        return self.role in MASKED_ROLES


def app_context() -> AppContext:
    settings = load_settings()
    return AppContext(settings.data_dir, settings.warehouse_path, load_viewer_role())
