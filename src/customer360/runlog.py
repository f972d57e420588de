"""Run records: each stage writes a small JSON summary under `<data dir>/runs/`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any


def record_run(runs_dir: Path, stage: str, rows: int, details: dict[str, Any]) -> Path:
    """Write `<stage>-latest.json` (rows processed plus stage details) atomically."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    target = runs_dir / f"{stage}-latest.json"
    temporary = target.with_suffix(".tmp")
    payload = {"stage": stage, "rows": rows, "finished_at": time.time(), **details}
    temporary.write_text(json.dumps(payload, indent=2, default=str))
    temporary.replace(target)
    return target


def read_run(runs_dir: Path, stage: str) -> dict[str, Any] | None:
    path = runs_dir / f"{stage}-latest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())
