"""The pytest plugin used exactly as a user would: a sample project run by pytest in a subprocess."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pytest_connector"


def pytest_in(project: Path, *args: str) -> subprocess.CompletedProcess:
    # A clean environment for the child: no option or plugin setting of this suite leaks into it.
    # Its own --basetemp: in the shared /tmp/pytest-of-<user>, the child's cleanup (keep the 3 newest
    # numbered dirs) would delete this session's, still in use by other pytest-xdist workers.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "AJIO_SIM_"))}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           f"--basetemp={project / '.pytest-basetemp'}", *args],
                          cwd=project, capture_output=True, text=True, timeout=300, env=env)


def test_the_documented_example_passes_with_the_plugin(tmp_path):
    project = tmp_path / "user-project"
    shutil.copytree(EXAMPLE, project)
    done = pytest_in(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^4 passed", done.stdout, re.M), done.stdout


def test_a_broken_connector_fails_and_each_test_gets_a_fresh_world(tmp_path):
    project = tmp_path / "broken"
    shutil.copytree(EXAMPLE, project)
    # A connector that forgets to re-read held orders never learns of the cancellation.
    source = (project / "connector.py").read_text()
    (project / "connector.py").write_text(source.replace("ids = sorted(self.known)", "ids = []"))
    (project / "test_world.py").write_text(
        "def test_first(ajio_sim, ajio_sim_seller, ajio_sim_clock, ajio_sim_faults):\n"
        "    assert ajio_sim.sellers() == []\n"
        "    ajio_sim_seller().place_orders(2)\n"
        "    ajio_sim_clock.advance('1d')\n"
        "    ajio_sim_faults.add('reset', path='/ds/**')\n"
        "\n"
        "def test_second_sees_an_empty_world_on_the_start_instant(ajio_sim, ajio_sim_clock, ajio_sim_faults):\n"
        "    assert ajio_sim.sellers() == [] and ajio_sim.orders()['orders'] == []\n"
        "    assert ajio_sim_clock.now == 1795408200 and ajio_sim_clock.frozen\n"
        "    assert ajio_sim_faults.list() == []\n")
    done = pytest_in(project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^FAILED test_connector.py::test_learns_of_a_customer_cancellation", done.stdout, re.M), \
        done.stdout
    assert re.search(r"^1 failed, 5 passed", done.stdout, re.M), done.stdout


def test_pytest_help_lists_the_plugin_options(tmp_path):
    done = pytest_in(tmp_path, "--help")
    assert done.returncode == 0
    for option in ("--ajio-sim-url", "--ajio-sim-frozen-at", "--ajio-sim-seed", "--ajio-sim-admin-token"):
        assert option in done.stdout


def test_plugin_reuses_a_running_simulator_given_by_url(tmp_path):
    project = tmp_path / "external"
    project.mkdir()
    # A separate server: the plugin resets the world, which the shared e2e server must not see.
    from fixtures.simclient import ServerProcess
    own = ServerProcess(tmp_path / "own.sqlite3")
    try:
        (project / "test_external.py").write_text(
            "def test_talks_to_the_given_server(ajio_sim, ajio_sim_server):\n"
            f"    assert ajio_sim_server.base_url == {own.base_url!r}\n"
            "    assert ajio_sim.health()['status'] == 'ok'\n")
        done = pytest_in(project, f"--ajio-sim-url={own.base_url}")
        assert done.returncode == 0, done.stdout + done.stderr
        bad = pytest_in(project, "--ajio-sim-frozen-at=yesterday")
        assert bad.returncode != 0 and "--ajio-sim-frozen-at must be an epoch or 'real'" in bad.stdout + bad.stderr
    finally:
        own.stop()
