"""The reference connector's AJIO client: token renewal before 30 minutes, re-login on a 401, paging."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from fixtures.simclient import T0
from harness.world import Control, InProcessServer

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path):
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # one module object, so the buggy variants share its classes
    spec.loader.exec_module(module)
    return module


ajio_client = _load("ajio_client", ROOT / "examples/reference_connector/ajio_client.py")
buggy = _load("buggy", ROOT / "examples/buggy_connectors/buggy.py")


@pytest.fixture
def world():
    server = InProcessServer(seed=5, start=T0)
    control = Control(server.base_url)
    pob = control.call("POST", "/sellers", {"model": "ds", "catalog_size": 120}, expect=201)
    yield server, control, pob
    control.close()
    server.stop()


def test_client_renews_token_after_25_minutes_of_its_own_time(world, monkeypatch):
    """API.md: tokens live 30 minutes; the reference logs in again before they run out, without a 401."""
    server, control, pob = world
    now = [1000.0]
    monkeypatch.setattr(ajio_client.time, "monotonic", lambda: now[0])
    client = ajio_client.AjioClient(server.base_url, pob["pob_id"], pob["password"])
    client.get("/orders/pendency")
    now[0] += 24 * 60
    client.get("/orders/pendency")
    assert client.logins == 1
    now[0] += 2 * 60
    client.get("/orders/pendency")
    assert client.logins == 2
    statuses = [e["status"] for e in control.journal(pob["pob_id"])]
    assert 401 not in statuses


def test_client_logs_in_again_once_on_401_when_the_clock_jumps(world):
    server, control, pob = world
    client = ajio_client.AjioClient(server.base_url, pob["pob_id"], pob["password"])
    client.get("/orders/pendency")
    control.call("POST", "/clock/advance", {"seconds": 1801})
    client.get("/orders/pendency")
    assert client.logins == 2
    assert [e["status"] for e in control.journal(pob["pob_id"])][-3:] == [401, 200, 200]


def test_sticky_token_client_fails_after_expiry(world):
    """The planted bug: without renewal, the call after 30 minutes is refused."""
    server, control, pob = world
    client = buggy.StickyTokenClient(server.base_url, pob["pob_id"], pob["password"])
    client.get("/orders/pendency")
    control.call("POST", "/clock/advance", {"seconds": 1801})
    with pytest.raises(ajio_client.AjioError) as err:
        client.get("/orders/pendency")
    assert err.value.status == 401


def test_client_pages_reads_every_page(world):
    server, control, pob = world
    client = ajio_client.AjioClient(server.base_url, pob["pob_id"], pob["password"])
    skus = [p["sku"] for p in client.pages("/products", "products")]
    assert len(skus) == len(set(skus)) == 120
    assert [e["query"] for e in control.journal(pob["pob_id"]) if e["path"] == "/ds/products"] == [
        "page=0&size=50", "page=1&size=50", "page=2&size=50"]
