"""Fixtures for the harness tests: the real `ajio-sim run` binary, run as a subprocess."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures.simclient import ajio_sim_binary

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = f"{sys.executable} {ROOT / 'examples/reference_connector/connector.py'}"
BUGGY = f"{sys.executable} {ROOT / 'examples/buggy_connectors/buggy.py'}"


@dataclass
class RunResult:
    code: int
    output: str
    report: dict | None


def ajio_sim_run(tmp_path: Path, target: str, *args: str, timeout: float = 600) -> RunResult:
    report = tmp_path / "report.json"
    cmd = [ajio_sim_binary(), "run", str(ROOT / target) if not target.startswith("/") else target,
           "--json", str(report), *args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**__import__("os").environ, "COLUMNS": "200"})
    data = json.loads(report.read_text()) if report.exists() else None
    return RunResult(proc.returncode, proc.stdout + proc.stderr, data)


@pytest.fixture
def run_harness(tmp_path):
    return lambda target, *args, **kw: ajio_sim_run(tmp_path, target, *args, **kw)
