"""World snapshots (GET/POST /_sim/snapshot): the whole world out and into a fresh store, on SQLite and PostgreSQL.

The round trip is checked twice: the imported world exports to the same document, and it then behaves
as the original (tokens still valid, pending timers fire the same when both clocks move a day, the
next ids follow on without collision, new journal rows and fault rules get fresh ids).
"""
from __future__ import annotations

import copy
import json

import pytest

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app
from simulator.demo import ensure_demo

SEED = 1


def _app(url: str, seed: int = SEED):
    app = create_app({"db_url": url, "seed": seed, "frozen_at": T0})
    app.config["CONTRACT_STRICT"] = True
    return app


def _rich_world(sim: Sim, app) -> dict:
    """The demo world (Dropship in every state, JIT, VMS, pending timers) plus a journal, a fault rule,
    throttling and a valid token."""
    pobs = ensure_demo(app.extensions["ajio_sim"])
    ds = pobs[0]
    token = sim.login(ds)
    assert sim.http("GET", "/ds/orders/pendency", headers={"apiKey": token}).status == 200
    sim.control("POST", "/faults", {"match": {"path": "/ds/orders/*/invoice"}, "effects": [{"kind": "status",
                                                                                           "status": 503}],
                                   "times": 2}, expect=201)
    sim.control("PUT", "/throttle", {"mode": "on", "limits": {"write": {"rate": 1, "burst": 5}}}, expect=200)
    return {"ds": ds, "token": token}


@pytest.fixture
def second_url(request, db_url, tmp_path):
    """Another fresh store on the same engine as db_url."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.sqlite3'}"
        return
    admin = request.getfixturevalue("pg_admin")
    url = admin.fresh_database()
    yield url
    admin.drop_database(url)


@pytest.fixture
def worlds(db_url, second_url):
    a_app, b_app = _app(db_url), _app(second_url)
    a, b = Sim(FlaskTransport(a_app.test_client())), Sim(FlaskTransport(b_app.test_client()))
    facts = _rich_world(a, a_app)
    doc = a.control("GET", "/snapshot", expect=200).json
    yield a, b, doc, facts
    for app in (a_app, b_app):
        app.extensions["ajio_sim"].store.engine.dispose()


def test_snapshot_round_trip_exports_the_same_world(worlds):
    a, b, doc, _ = worlds
    answer = b.control("POST", "/snapshot", doc, expect=200).json
    assert answer["status"] == "SUCCESS" and answer["format_version"] == 1
    assert answer["counts"]["orders"] == doc["counts"]["orders"] == 30  # the demo world's
    again = b.control("GET", "/snapshot", expect=200).json
    assert again["clock"] == doc["clock"] == {"now": T0, "frozen": True}
    for name, table in doc["tables"].items():
        assert again["tables"][name] == table, name
    assert doc["counts"]["journal"] >= 2 and doc["counts"]["faults"] == 1 and doc["counts"]["timers"] > 0


def test_snapshot_imported_token_still_logs_the_connector_in(worlds):
    a, b, doc, facts = worlds
    b.control("POST", "/snapshot", doc, expect=200)
    r = b.http("GET", "/ds/orders/pendency", headers={"apiKey": facts["token"]})
    assert r.status == 200 and r.json["orders"]


def test_snapshot_imported_world_moves_on_like_the_original(worlds):
    a, b, doc, facts = worlds
    b.control("POST", "/snapshot", doc, expect=200)
    for sim in (a, b):  # the same day passes on both: every pending timer fires the same way
        sim.control("POST", "/clock/advance", {"seconds": 86400}, expect=200)
    after_a, after_b = (s.control("GET", "/snapshot", expect=200).json for s in (a, b))
    for name in ("orders", "returns", "transitions", "timers", "documents", "sequences"):
        assert after_b["tables"][name] == after_a["tables"][name], name
    assert after_a["tables"]["transitions"] != doc["tables"]["transitions"]  # something did happen


def test_snapshot_imported_world_issues_the_next_ids_without_collision(worlds):
    a, b, doc, facts = worlds
    b.control("POST", "/snapshot", doc, expect=200)
    pob_id = facts["ds"]["pob_id"]
    made_a = a.place(pob_id, 2)
    made_b = b.place(pob_id, 2)
    assert made_b == made_a  # same seed, same sequences: the same next ids
    assert not set(made_b) & {row[0] for row in doc["tables"]["orders"]["rows"]}
    rule = b.control("POST", "/faults", {"match": {"path": "/ds/x"}, "effects": [{"kind": "reset"}]}, expect=201).json
    assert rule["id"] == max(row[0] for row in doc["tables"]["faults"]["rows"]) + 1
    entries_before = doc["counts"]["journal"]
    b.http("GET", "/ds/orders/pendency", headers={"apiKey": facts["token"]})
    newest = b.control("GET", f"/journal?pob_id={pob_id}", expect=200).json["entries"]
    assert newest[-1]["id"] > entries_before  # a fresh journal id (PostgreSQL: the serial moved past the rows)


def test_snapshot_import_keeps_a_running_clock_running_from_its_instant(db_url, second_url):
    a_app = create_app({"db_url": db_url, "seed": SEED})  # real time plus offset: running
    a = Sim(FlaskTransport(a_app.test_client()))
    a.control("POST", "/clock/advance", {"seconds": 10 * 86400}, expect=200)
    doc = a.control("GET", "/snapshot", expect=200).json
    assert doc["clock"]["frozen"] is False
    b = Sim(FlaskTransport(_app(second_url).test_client()))
    b.control("POST", "/snapshot", doc, expect=200)
    clock = b.control("GET", "/clock", expect=200).json
    assert clock["frozen"] is False and doc["clock"]["now"] <= clock["now"] <= doc["clock"]["now"] + 60


def test_snapshot_of_another_format_version_is_refused_naming_it(sim):
    doc = sim.control("GET", "/snapshot", expect=200).json
    r = sim.control("POST", "/snapshot", {**doc, "format_version": 2, "ajio_sim": "0.9.0"})
    assert r.status == 400 and r.json["field"] == "format_version"
    assert ("snapshot format_version 2 (written by ajio-sim 0.9.0) is not supported: this simulator reads "
            "format_version 1 only") in r.json["error_message"]


def test_snapshot_without_format_version_is_refused(sim):
    r = sim.control("POST", "/snapshot", {"orders": []})
    assert r.status == 400 and r.json["field"] == "format_version"
    assert "not an ajio-sim snapshot file: no format_version" in r.json["error_message"]


def test_snapshot_from_another_seed_is_refused_naming_both(sim):
    doc = sim.control("GET", "/snapshot", expect=200).json  # the app fixture runs with seed 7
    r = sim.control("POST", "/snapshot", {**doc, "seed": 3})
    assert r.status == 409 and r.json["error_code"] == "SEED_MISMATCH" and r.json["field"] == "seed"
    assert "started with --seed 3; this one runs with --seed 7" in r.json["error_message"]


def test_snapshot_with_an_unknown_table_is_refused(sim):
    doc = sim.control("GET", "/snapshot", expect=200).json
    doc["tables"]["wishlists"] = {"columns": ["id"], "rows": []}
    r = sim.control("POST", "/snapshot", doc)
    assert r.status == 400 and r.json["field"] == "tables.wishlists"
    assert "unknown table 'wishlists'" in r.json["error_message"]


def test_snapshot_row_of_the_wrong_length_is_refused_naming_it(sim, seller):
    doc = sim.control("GET", "/snapshot", expect=200).json
    doc["tables"]["pobs"]["rows"][0] = doc["tables"]["pobs"]["rows"][0][:-1]
    r = sim.control("POST", "/snapshot", doc)
    assert r.status == 400 and r.json["field"] == "tables.pobs.rows[0]"
    assert r.json["error_message"] == "tables.pobs.rows[0]: 6 values for 7 columns"


def test_snapshot_refused_by_the_store_changes_nothing(db_url):
    app = _app(db_url)
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    orders = sim.place(pob["pob_id"], 3)
    doc = sim.control("GET", "/snapshot", expect=200).json
    broken = copy.deepcopy(doc)
    broken["tables"]["orders"]["rows"].append(broken["tables"]["orders"]["rows"][0])  # one key twice
    r = sim.control("POST", "/snapshot", broken)
    assert r.status == 400 and r.json["field"] == "tables.orders.rows"
    assert r.json["error_message"].startswith("tables.orders: the rows cannot be stored:")
    assert [sim.state(o)["order_id"] for o in orders] == orders  # the world is as it was
    assert sim.control("GET", "/snapshot", expect=200).json["tables"] == doc["tables"]
    app.extensions["ajio_sim"].store.engine.dispose()


def test_snapshot_larger_than_the_request_body_limit_is_imported():
    """The size limit is the app's, not the engine's: one engine is enough here."""
    a = Sim(FlaskTransport(_app("sqlite://").test_client()))
    pob = a.seller()
    a.place(pob["pob_id"], 1000)
    doc = a.control("GET", "/snapshot", expect=200).json
    b = Sim(FlaskTransport(_app("sqlite://").test_client()))
    assert len(json.dumps(doc)) > 1024 * 1024
    assert b.control("POST", "/snapshot", doc, expect=200).json["counts"]["orders"] == 1000
    big = {"pob_id": pob["pob_id"], "lines": [{"sku": "X" * 1024 * 1024}]}  # other calls keep their limit
    assert b.control("POST", "/orders", big).status == 413


@pytest.mark.parametrize("path", ["/_sim/snapshot", "/_sim/ui/snapshot"])
def test_snapshot_upload_over_its_own_limit_gets_413(path):
    app = create_app({"db_url": "sqlite://", "seed": SEED, "frozen_at": T0, "max_snapshot_bytes": 2 * 1024 * 1024})
    sim = Sim(FlaskTransport(app.test_client()))
    r = sim.http("POST", path, data=b"{" + b" " * (2 * 1024 * 1024) + b"}", headers={"Content-Type": "application/json"})
    assert r.status == 413 and r.json["error_code"] == "PAYLOAD_TOO_LARGE"
    assert r.json["error_message"] == f"request body over {2 * 1024 * 1024} bytes"
