"""The README's five-minute paths, run as written against a real `ajio-sim serve --demo` (only the address,
the connector's state directory and the Python executable are substituted)."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.simclient import ServerProcess, ajio_sim_binary

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _block(containing: str) -> str:
    """The README code block holding `containing`, continuation lines joined."""
    for block in re.findall(r"```(?:sh)?\n(.*?)```", README, re.S):
        if containing in block:
            return block.replace("\\\n", " ")
    raise AssertionError(f"no README code block contains {containing!r}")


@pytest.fixture
def demo(tmp_path):
    server = ServerProcess(tmp_path / "demo.sqlite3", "--demo")
    yield server
    server.stop()


def _env(server) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AJIO_", "AJIO_SIM_"))}
    return {**env, "AJIO_SIM_URL": server.base_url}


def test_readme_integrator_path_runs_the_reference_connector_on_the_demo_world(demo, tmp_path):
    command = _block("--assume-stock").strip()
    command = command.replace("http://127.0.0.1:8080", demo.base_url).replace("var/connector", str(tmp_path / "c"))
    command = re.sub(r"(^|\s)python(\s)", rf"\g<1>{shlex.quote(sys.executable)}\g<2>", command)

    def sync() -> str:
        done = subprocess.run(command, shell=True, cwd=ROOT, env=_env(demo), capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    first = sync()
    assert len(re.findall(r"^imported FN\d+", first, re.M)) == 5  # "the first sync imports the five new orders"
    second = sync()
    assert len(re.findall(r"^acknowledged FN\d+", second, re.M)) == 5 and "seller cancel" not in second.lower()
    advance = subprocess.run([ajio_sim_binary(), "clock", "advance", "30m"], env=_env(demo), capture_output=True,
                             text=True, timeout=60)
    assert advance.returncode == 0, advance.stderr
    third = sync()
    assert len(re.findall(r"PO \d+ arrived", third)) == 5


def test_readme_qa_path_runs_as_written(demo, tmp_path):
    lines = [line.split("#")[0].strip() for line in _block("ajio-sim orders create").splitlines()]
    outputs = []
    for line in filter(None, lines):
        argv = shlex.split(line)
        assert argv[0] == "ajio-sim"
        done = subprocess.run([ajio_sim_binary(), *argv[1:]], cwd=tmp_path, env=_env(demo), capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, f"{line}: {done.stdout}{done.stderr}"
        outputs.append(done.stdout)
    assert any("is now CANCELLED" in out for out in outputs)
    assert (tmp_path / "hard-case.json").stat().st_size > 1000
