"""Snapshots from the command line: `ajio-sim snapshot export|import` against real servers, `serve --snapshot`."""
from __future__ import annotations

import json
import os
import subprocess

import pytest
import requests

from fixtures.simclient import T0, ServerProcess, ajio_sim_binary
from simulator.cli import main

pytestmark = pytest.mark.e2e


def _cli(*args: str, url: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_SIM_")}
    if url:
        env["AJIO_SIM_URL"] = url
    return subprocess.run([ajio_sim_binary(), *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A world made through the control plane (a cancelled order, time moved), saved with the CLI."""
    tmp = tmp_path_factory.mktemp("snap")
    server = ServerProcess(tmp / "a.sqlite3")
    try:
        base = server.base_url
        pob = requests.post(f"{base}/_sim/sellers", json={"model": "ds", "store_code": "SNAP-1"}).json()
        ids = requests.post(f"{base}/_sim/orders", json={"pob_id": pob["pob_id"], "count": 3}).json()["order_ids"]
        requests.post(f"{base}/_sim/orders/{ids[0]}/customer-cancel", json={}).raise_for_status()
        requests.post(f"{base}/_sim/clock/advance", json={"seconds": 7200}).raise_for_status()
        path = tmp / "world.json"
        done = _cli("snapshot", "export", str(path), url=base)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"snapshot of {base} written to {path}: 1 POB(s), 3 order(s)")
        sellers = requests.get(f"{base}/_sim/sellers").json()["sellers"]
    finally:
        server.stop()
    return path, pob, ids, sellers


def test_serve_snapshot_starts_from_the_saved_world(saved, tmp_path):
    path, pob, ids, sellers = saved
    server = ServerProcess(tmp_path / "b.sqlite3", "--snapshot", str(path))
    try:
        base = server.base_url
        assert requests.get(f"{base}/_sim/sellers").json()["sellers"] == sellers
        assert requests.get(f"{base}/_sim/orders/{ids[0]}").json()["status"] == "CANCELLED"
        assert requests.get(f"{base}/_sim/clock").json() == {"now": T0 + 7200, "frozen": True, "offset_seconds": None}
    finally:
        server.stop()


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    server = ServerProcess(tmp_path_factory.mktemp("target") / "c.sqlite3")
    yield server
    server.stop()


def test_snapshot_import_replaces_a_running_world(saved, target):
    path, pob, ids, sellers = saved
    base = target.base_url
    requests.post(f"{base}/_sim/sellers", json={"model": "jit"}).raise_for_status()  # replaced by the import
    done = _cli("snapshot", "import", str(path), url=base)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{base} now holds the world of {path}: 1 POB(s), 3 order(s), 0 return(s), " \
                                  "0 journal entries"
    assert requests.get(f"{base}/_sim/sellers").json()["sellers"] == sellers


def test_snapshot_import_of_another_format_version_is_refused(saved, target, tmp_path):
    path, *_ = saved
    other = tmp_path / "v2.json"
    other.write_text(json.dumps({**json.loads(path.read_text()), "format_version": 2}))
    before = requests.get(f"{target.base_url}/_sim/sellers").json()
    done = _cli("snapshot", "import", str(other), url=target.base_url)
    assert done.returncode == 1
    assert "refused (400 VALIDATION_FAILED)" in done.stderr and "snapshot format_version 2" in done.stderr
    assert "field: format_version" in done.stderr
    assert requests.get(f"{target.base_url}/_sim/sellers").json() == before


def test_serve_snapshot_of_another_format_version_does_not_start(saved, tmp_path, capsys):
    path, *_ = saved
    other = tmp_path / "v2.json"
    other.write_text(json.dumps({**json.loads(path.read_text()), "format_version": 2, "ajio_sim": "0.9.0"}))
    assert main(["serve", "--port", "0", "--db", "sqlite://", "--snapshot", str(other)]) == 2
    assert (f"ajio-sim serve: {other} refused: format_version: snapshot format_version 2 (written by ajio-sim "
            "0.9.0) is not supported") in capsys.readouterr().err


def test_serve_snapshot_with_another_seed_does_not_start(saved, capsys):
    path, *_ = saved
    assert main(["serve", "--port", "0", "--db", "sqlite://", "--snapshot", str(path), "--seed", "9"]) == 2
    assert "was written by a simulator started with --seed 1, not --seed 9" in capsys.readouterr().err
