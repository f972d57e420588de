"""Every command given a bad value: one line on stderr, a non-zero exit, never a traceback.

The table runs the real `c360` in subprocesses (several at once) against a copy of the session's
tiny world, an empty folder, a file where a folder should be, and a 5-customer world too small to
train on. Each line must name what was wrong (the option or value) so the user knows what to fix.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from customer360.config import load_settings
from customer360.generate import GenerateOptions, generate_world
from pipeline_world import World

TIMEOUT = 90
LLM = {"C360_LLM_BASE_URL": "http://127.0.0.1:9", "C360_LLM_MODEL": "any"}


@dataclass(frozen=True)
class Misuse:
    """`c360 <args> --data-dir <world>` must fail with one line containing every `says`."""

    args: tuple[str, ...]
    world: str  # built | empty | file | missing | five | none (no --data-dir given)
    says: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.env.items() if k not in LLM)
        return " ".join([*self.args, f"[{self.world}]", extra]).strip()


def m(*args: str, world: str = "empty", says: tuple[str, ...] = (), **env: str) -> Misuse:
    return Misuse(args, world, says, env)


def llm_timeout(value: str) -> Misuse:
    env = LLM | {"C360_LLM_TIMEOUT": value}
    return m("ask", "How many customers?", world="built", says=("C360_LLM_TIMEOUT", value), **env)


TABLE = (
    # generate
    m("generate", "--customers", "0", says=("--customers", "0")),
    m("generate", "--customers", "many", says=("--customers",)),
    m("generate", "--as-of", "0001-01-01", says=("--as-of", "0001-01-01")),
    m("generate", "--as-of", "9999-12-31", says=("--as-of", "9999-12-31")),
    m("generate", "--as-of", "1960-06-30", says=("--as-of", "1960-06-30")),
    m("generate", "--as-of", "2026-02-30", says=("--as-of", "2026-02-30")),
    m("generate", "--days", "5", says=("--days", "5")),
    m("generate", "--format", "xls", says=("--format", "xls")),
    m("generate", "--defect-rate", "1.5", says=("--defect-rate",)),
    m("generate", "--transactions-per-customer", "-3", says=("--transactions-per-customer",)),
    m("generate", "--increments", "9999", says=("--increments",)),
    m("generate", "--seed", "-1", says=("--seed",)),
    m("generate", "--customers", "10", world="file", says=("not a directory",)),
    # ingest, retract
    m("ingest", says=("c360 generate",)),
    m("ingest", world="file", says=("not a directory",)),
    m("retract", "transactions/nope.csv", world="built", says=("nope.csv",)),
    m("retract", "transactions/nope.csv", says=("c360 pipeline",)),
    # transform, train, score, pipeline
    m("transform", "--as-of", "0001-01-01", world="built", says=("--as-of", "0001-01-01")),
    m("transform", "--as-of", "9999-12-31", world="built", says=("--as-of", "9999-12-31")),
    m("transform", "--as-of", "yesterday", world="built", says=("--as-of", "yesterday")),
    m("transform", "--as-of", "1960-01-01", world="built", says=("--as-of", "1960-01-01")),
    m("transform", says=("c360 pipeline",)),
    m("train", "--seed", "-1", world="built", says=("--seed", "-1")),
    m("train", "--as-of", "9999-12-31", world="built", says=("--as-of", "9999-12-31")),
    m("train", "--as-of", "1960-01-01", world="built", says=("1960-01-01",)),
    m("train", says=("c360 pipeline",)),
    m("score", "--as-of", "9999-12-31", world="built", says=("--as-of", "9999-12-31")),
    m("score", "--as-of", "1960-01-01", world="built", says=("1960-01-01",)),
    m("score", says=("c360 pipeline",)),
    m("pipeline", "--as-of", "9999-12-31", world="built", says=("--as-of", "9999-12-31")),
    m("pipeline", world="five", says=("churned", "customers")),
    m("pipeline", says=("c360 generate",)),
    # demo, app: refused before any work is done
    m("demo", "--customers", "0", "--no-app", says=("--customers", "0")),
    m("demo", "--port", "99999", says=("--port", "99999")),
    m("app", "--port", "99999", world="built", says=("--port", "99999")),
    m("app", "--port", "0", world="built", says=("--port", "0")),
    m("app", "--address", "999.1.1.1", world="built", says=("--address", "999.1.1.1")),
    m("app", "--address", "192.0.2.1", world="built", says=("--address", "192.0.2.1")),
    m("app", "--port", "{busy_port}", world="built", says=("--port", "in use")),
    m("app", world="file", says=("not a directory",)),
    m("orchestrate", "--port", "99999", world="built", says=("--port", "99999")),
    m("orchestrate", "--port", "{busy_port}", world="built", says=("--port", "in use")),
    m("orchestrate", world="file", says=("not a directory",)),
    # status and the data directory itself
    m("status", world="file", says=("not a directory",)),
    m("status", world="missing", says=("no data directory", "c360 generate")),
    m("status", world="none", says=("C360_DATA_DIR", "not a directory"), C360_DATA_DIR="{file}"),
    # ask: the optional LLM backend's settings
    llm_timeout("-1"),
    llm_timeout("0"),
    llm_timeout("nan"),
    llm_timeout("inf"),
    llm_timeout("soon"),
    m("ask", "How many customers?", says=("c360 pipeline",)),
    # reports, eval, bench
    m("eval", "--threshold", "2", world="built", says=("--threshold", "2")),
    m("eval", "--cases", "nowhere.yaml", world="built", says=("nowhere.yaml",)),
    m("segments-report", "--out", "{dir}", world="built", says=("Is a directory",)),
    m("segments-report", says=("c360 pipeline",)),
    m("refresh-samples", says=("c360 pipeline",)),
    m("bench", "--stages", "bogus", world="none", says=("bogus",)),
    m("bench", "--customers", "0", world="none", says=("--customers", "0")),
    m("bench", "--work-dir", "{file}", world="none", says=("not a directory",)),
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Worlds:
    root: Path
    built: Path
    five: Path
    file: Path
    busy_port: int

    def data_dir(self, case: Misuse, index: int) -> Path | None:
        if case.world == "built":
            copy = self.root / f"built-{index}"
            shutil.copytree(self.built, copy, ignore=shutil.ignore_patterns("runs"))
            return copy
        if case.world == "five":
            copy = self.root / f"five-{index}"
            shutil.copytree(self.five, copy)
            return copy
        if case.world == "empty":
            folder = self.root / f"empty-{index}"
            folder.mkdir()
            return folder
        return {"file": self.file, "missing": self.root / "missing"}.get(case.world)

    def expand(self, text: str, data_dir: Path | None) -> str:
        return text.format(busy_port=self.busy_port, file=self.file, dir=self.root)


def _run(worlds: Worlds, index: int, case: Misuse) -> tuple[subprocess.CompletedProcess[str], str]:
    data_dir = worlds.data_dir(case, index)
    before = _digest(data_dir / "warehouse.duckdb") if case.world == "built" else ""
    args = [worlds.expand(a, data_dir) for a in case.args]
    if data_dir is not None:
        args += ["--data-dir", str(data_dir)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("C360_")}
    env |= {k: worlds.expand(v, data_dir) for k, v in case.env.items()}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "customer360", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            cwd=worlds.root,
        )
    except subprocess.TimeoutExpired as exc:
        result = subprocess.CompletedProcess(exc.cmd, -1, "", f"timed out after {TIMEOUT} s")
    after = _digest(data_dir / "warehouse.duckdb") if case.world == "built" else ""
    return result, "unchanged" if before == after else "changed"


@pytest.fixture(scope="module")
def outcomes(
    pipeline_world: World, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[subprocess.CompletedProcess[str], str]]]:
    root = tmp_path_factory.mktemp("misuse")
    five = load_settings(root / "five-customers")
    generate_world(GenerateOptions(customers=5, seed=1, defect_rate=0.0), five)
    blocker = root / "a-file"
    blocker.write_text("not a data directory\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        worlds = Worlds(root, pipeline_world.data_dir, five.data_dir, blocker, port)
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {c.id: pool.submit(_run, worlds, i, c) for i, c in enumerate(TABLE)}
            yield {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize("case", TABLE, ids=[case.id for case in TABLE])
def test_misuse_is_one_line_and_a_non_zero_exit(outcomes, case: Misuse) -> None:
    result, warehouse = outcomes[case.id]
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode > 0, output[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith("error: "), lines[0]
    for fragment in case.says:
        assert fragment in lines[0], (fragment, lines[0])
    assert warehouse == "unchanged", "a failed command changed the live warehouse"
