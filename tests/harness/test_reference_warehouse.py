"""The reference connector run by hand: no warehouse file means no guess at the stock (issue 21)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from fixtures.simclient import T0
from simulator.embedded import InProcessServer

ROOT = Path(__file__).resolve().parents[2]
CONNECTOR = ROOT / "examples/reference_connector/connector.py"
BUGGY = ROOT / "examples/buggy_connectors/buggy.py"


def _connector(env: dict, *args: str, script: Path = CONNECTOR, cwd: Path | None = None):
    full = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_")}
    full.update(env)
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=full,
                          timeout=120, cwd=cwd)


@pytest.fixture
def demo_like(tmp_path):
    """A simulator with one Dropship POB and two orders, as a person would find the demo world."""
    server = InProcessServer(seed=1, start=T0)
    base = server.base_url
    pob = requests.post(f"{base}/_sim/sellers", json={"model": "ds"}).json()
    ids = requests.post(f"{base}/_sim/orders", json={"pob_id": pob["pob_id"], "count": 2}).json()["order_ids"]
    env = {"AJIO_BASE_URL": base, "AJIO_USERNAME": pob["pob_id"], "AJIO_PASSWORD": pob["password"],
           "AJIO_STATE_DIR": str(tmp_path / "state")}
    yield base, env, ids
    server.stop()


def test_reference_connector_without_warehouse_refuses_to_start(tmp_path):
    # Nothing listens at this URL: a refusal before any call is the only way to exit cleanly with 2.
    done = _connector({"AJIO_BASE_URL": "http://127.0.0.1:9", "AJIO_USERNAME": "DVX", "AJIO_PASSWORD": "pw"},
                      cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("connector: refusing to start: no warehouse file: set AJIO_WAREHOUSE")
    assert "--assume-stock N" in done.stderr and not (tmp_path / "state.json").exists()


def test_reference_connector_with_a_missing_warehouse_file_refuses_naming_it(tmp_path):
    missing = tmp_path / "nowhere.json"
    done = _connector({"AJIO_BASE_URL": "http://127.0.0.1:9", "AJIO_USERNAME": "DVX", "AJIO_PASSWORD": "pw",
                       "AJIO_WAREHOUSE": str(missing)})
    assert done.returncode == 2
    assert f"AJIO_WAREHOUSE names {missing}, which does not exist" in done.stderr


def test_reference_connector_assume_stock_confirms_the_orders(demo_like):
    base, env, ids = demo_like
    for _ in range(2):  # import, then acknowledge (one sync later, as the reference does)
        done = _connector(env, "--assume-stock", "20")
        assert done.returncode == 0, done.stdout + done.stderr
    assert "no warehouse file: assuming 20 unit(s) of every SKU" in done.stdout
    assert [requests.get(f"{base}/_sim/orders/{i}").json()["status"] for i in ids] == ["CONFIRMED", "CONFIRMED"]


def test_reference_connector_assume_stock_zero_cancels_as_told(demo_like):
    base, env, ids = demo_like
    for _ in range(2):
        assert _connector(env, "--assume-stock", "0").returncode == 0
    assert [requests.get(f"{base}/_sim/orders/{i}").json()["status"] for i in ids] == ["CANCELLED", "CANCELLED"]


def test_buggy_connector_passes_assume_stock_on(tmp_path):
    done = _connector({"AJIO_BASE_URL": "http://127.0.0.1:9", "AJIO_USERNAME": "DVX", "AJIO_PASSWORD": "pw"},
                      "split_invoice", script=BUGGY, cwd=tmp_path)
    assert done.returncode == 2 and "refusing to start: no warehouse file" in done.stderr


def test_reference_connector_negative_assume_stock_is_a_usage_error():
    done = _connector({}, "--assume-stock", "-1")
    assert done.returncode == 2 and "--assume-stock must be 0 or more" in done.stderr
