"""Fixtures for the harness tests: the real `ajio-sim run`, each run its own process (tests/fixtures/forkrun.py)."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures import forkrun

ROOT = Path(__file__).resolve().parents[2]
# The bundled connectors and ERPs need only the standard library: started with -S (no site-packages, no editable
# install's path finder), each of the thousands of processes the suite starts is ~10 ms of CPU cheaper.
PYTHON = f"{sys.executable} -S"
# Through the launchers that import connector.py and buggy.py (cached bytecode) rather than compile them as scripts
# at every start (examples/reference_connector/run.py; the documented commands are run by the CLI, soak, recording
# and browser tests).
REFERENCE = f"{PYTHON} {ROOT / 'examples/reference_connector/run.py'}"
BUGGY = f"{PYTHON} {ROOT / 'examples/buggy_connectors/run_bug.py'}"


@dataclass
class RunResult:
    code: int
    output: str
    report: dict | None


def ajio_sim_run(tmp_path: Path, target: str, *args: str, timeout: float = 600) -> RunResult:
    """`ajio-sim run TARGET --json ... ARGS` as its own process, forked from a preloaded parent
    (tests/fixtures/forkrun.py: the console script's imports paid once, not per run)."""
    report = tmp_path / "report.json"
    argv = ["run", str(ROOT / target) if not target.startswith("/") else target, "--json", str(report), *args]
    code, output = forkrun.run(argv, cwd=ROOT, out_path=tmp_path / "ajio-sim-run.out", timeout=timeout,
                               env={"COLUMNS": "200"})
    data = json.loads(report.read_text()) if report.exists() else None
    return RunResult(code, output, data)


@pytest.fixture
def run_harness(tmp_path):
    return lambda target, *args, **kw: ajio_sim_run(tmp_path, target, *args, **kw)


def connector_side(paths) -> list:
    """The scenarios a run with only a connector selects: those judging the connector alone."""
    from harness.loader import load_scenario
    return [s for s in (load_scenario(p) for p in paths) if s.needs == ("connector",)]

