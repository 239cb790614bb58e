"""The dashboard's snapshot page: download the world, replace it with a file (through /_sim/snapshot)."""
from __future__ import annotations

import io
import json
import re

import pytest

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app


def csrf_of(client) -> str:
    return client.get_cookie("ajio_sim_csrf", path="/_sim/ui").value


def flash_text(client, response) -> str:
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    m = re.search(r'<div class="flash[^"]*"[^>]*>(.*?)</div>\s*</div>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(1)).split()) if m else ""


@pytest.fixture
def two():
    """A world with a seller and orders, and an empty simulator of the same seed, each with a dashboard."""
    apps = [create_app({"db_url": "sqlite://", "seed": 7, "frozen_at": T0}) for _ in range(2)]
    sims = [Sim(FlaskTransport(a.test_client())) for a in apps]
    pob = sims[0].seller(store_code="UI-SNAP-1")
    orders = sims[0].place(pob["pob_id"], 2)
    uis = [a.test_client() for a in apps]
    for ui in uis:
        assert ui.get("/_sim/ui/snapshot").status_code == 200
    return sims, uis, pob, orders


def test_snapshot_page_shows_the_world_and_both_forms(two):
    sims, uis, pob, orders = two
    page = uis[0].get("/_sim/ui/snapshot").get_data(as_text=True)
    assert "<b>1</b> POBs, <b>2</b> orders, <b>0</b> returns" in page
    assert 'id="download-snapshot"' in page and 'enctype="multipart/form-data"' in page
    assert re.search(r'<a href="/_sim/ui/snapshot" class="on">Snapshot</a>', page)


def test_snapshot_download_is_the_control_plane_snapshot(two):
    sims, uis, pob, orders = two
    r = uis[0].get("/_sim/ui/snapshot.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["Content-Disposition"] == 'attachment; filename="ajio-sim-snapshot-20261123T1000.json"'
    assert json.loads(r.data) == sims[0].control("GET", "/snapshot", expect=200).json


def test_snapshot_upload_replaces_the_world(two):
    sims, uis, pob, orders = two
    data = uis[0].get("/_sim/ui/snapshot.json").data
    r = uis[1].post("/_sim/ui/snapshot", data={"csrf": csrf_of(uis[1]), "confirm": "REPLACE",
                                               "snapshot": (io.BytesIO(data), "world.json")},
                    content_type="multipart/form-data")
    assert r.status_code == 303
    assert flash_text(uis[1], r).startswith("imported world.json: 1 POB(s), 2 order(s), 0 return(s)")
    assert [o["order_id"] for o in sims[1].control("GET", "/orders", expect=200).json["orders"]] == \
        [o["order_id"] for o in sims[0].control("GET", "/orders", expect=200).json["orders"]]


def test_snapshot_upload_of_another_version_shows_the_refusal(two):
    sims, uis, pob, orders = two
    doc = {**json.loads(uis[0].get("/_sim/ui/snapshot.json").data), "format_version": 3}
    r = uis[1].post("/_sim/ui/snapshot", data={"csrf": csrf_of(uis[1]), "confirm": "REPLACE",
                                               "snapshot": (io.BytesIO(json.dumps(doc).encode()), "old.json")},
                    content_type="multipart/form-data")
    text = flash_text(uis[1], r)
    assert "import of old.json refused (400 VALIDATION_FAILED)" in text and "snapshot format_version 3" in text
    assert "field: format_version" in text
    assert sims[1].control("GET", "/orders", expect=200).json["orders"] == []


def test_snapshot_upload_needs_the_confirmation_word(two):
    sims, uis, pob, orders = two
    r = uis[1].post("/_sim/ui/snapshot", data={"csrf": csrf_of(uis[1]), "confirm": "",
                                               "snapshot": (io.BytesIO(b"{}"), "w.json")},
                    content_type="multipart/form-data")
    assert "type REPLACE in the box" in flash_text(uis[1], r)


def test_snapshot_upload_without_csrf_is_refused(two):
    sims, uis, pob, orders = two
    r = uis[1].post("/_sim/ui/snapshot", data={"confirm": "REPLACE", "snapshot": (io.BytesIO(b"{}"), "w.json")},
                    content_type="multipart/form-data")
    assert r.status_code == 403


def test_snapshot_upload_larger_than_the_request_limit_is_accepted(two):
    sims, uis, pob, orders = two
    sims[0].place(pob["pob_id"], 1000)
    data = uis[0].get("/_sim/ui/snapshot.json").data
    assert len(data) > 1024 * 1024
    r = uis[1].post("/_sim/ui/snapshot", data={"csrf": csrf_of(uis[1]), "confirm": "REPLACE",
                                               "snapshot": (io.BytesIO(data), "big.json")},
                    content_type="multipart/form-data")
    assert r.status_code == 303 and "1002 order(s)" in flash_text(uis[1], r)
