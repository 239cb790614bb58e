"""The `serve --demo` world gives every model a login: Dropship, JIT and VMS POBs under one seller."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator import demo
from simulator.app import create_app
from simulator.cli import _banner
from simulator.store import orders, pobs, timers, transitions


@pytest.fixture
def world():
    app = create_app({"db_url": "sqlite://", "seed": 1, "frozen_at": T0})
    app.config["CONTRACT_STRICT"] = True
    sim = app.extensions["ajio_sim"]
    return sim, Sim(FlaskTransport(app.test_client())), demo.ensure_demo(sim)


def _by_model(made: list[dict], model: str) -> dict:
    [pob] = [p for p in made if p["model"] == model]
    return pob


def _counts(sim) -> dict:
    with sim.store.read() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in (pobs, orders, timers,
                                                                                          transitions)}


def test_demo_world_has_three_dropship_one_jit_and_one_vms_pob_under_one_seller(world):
    _, _, made = world
    assert [(p["store_code"], p["model"]) for p in made] == [
        ("DEMO-BLR-01", "ds"), ("DEMO-MUM-01", "ds"), ("DEMO-DEL-01", "ds"), ("DEMO-JIT-01", "jit"),
        ("DEMO-VMS-01", "vms")]
    assert len({p["seller_id"] for p in made}) == 1
    vms = _by_model(made, "vms")
    assert (vms["einvoice_model"], vms["return_model"], vms["erp_url"]) == ("erp", "credit_note", None)
    assert _by_model(made, "jit")["einvoicing"] is False


def test_demo_jit_pob_logs_in_and_its_pendency_lists_the_pending_pos(world):
    _, client, made = world
    token = client.login(_by_model(made, "jit"), model="jit")
    pending = client.http("GET", "/jit/orders/pendency?size=50", headers={"apiKey": token}).json
    assert pending["page"]["totalElements"] == 3
    assert [o["status"] for o in pending["orders"]] == ["CREATED"] * 3
    held = client.http("GET", "/jit/orders?size=50", headers={"apiKey": token}).json["orders"]
    [invoiced] = [o for o in held if o["status"] == "INVOICED"]
    assert invoiced["invoice_number"] and invoiced["order_id"] not in {o["order_id"] for o in pending["orders"]}
    # A Dropship login is refused on /jit: each demo POB is of one model.
    r = client.http("POST", "/jit/authToken", json_body={"username": made[0]["pob_id"],
                                                         "password": made[0]["password"]})
    assert r.status == 401


def test_demo_vms_pob_logs_in_and_shows_orders_awaiting_acknowledgement_and_pos_issued(world):
    sim, client, made = world
    vms = _by_model(made, "vms")
    # Issued when the demo was built (its own tick), not by the first request that comes along.
    with sim.store.read() as conn:
        stored = conn.execute(select(orders.c.status, orders.c.data).where(orders.c.pob_id == vms["pob_id"])).all()
    issued = [d["po"] for status, d in stored if status == "ACKNOWLEDGED"]
    assert len(issued) == 2 and all(po and po["po_date"] < T0 for po in issued)
    token = client.login(vms, model="vms")
    listed = client.http("GET", f"/vms/orders?fromDate=0&toDate={T0}&size=50", headers={"apiKey": token}).json
    by_status: dict[str, list] = {}
    for o in listed["orders"]:
        by_status.setdefault(o["status"], []).append(o)
    assert sorted((s, len(os)) for s, os in by_status.items()) == [("ACKNOWLEDGED", 2), ("CREATED", 3)]
    assert not any(o["po_available"] for o in by_status["CREATED"])
    for o in by_status["ACKNOWLEDGED"]:
        assert o["po_available"] and o["forwardPurchaseOrder"]
        po = client.http("GET", f"/vms/orders/{o['order_id']}/po", headers={"apiKey": token})
        assert po.status == 200 and po.json["forwardPurchaseOrder"] == o["forwardPurchaseOrder"]
    waiting = by_status["CREATED"][0]["order_id"]
    assert client.http("POST", f"/vms/orders/{waiting}/acknowledge", json_body={},
                       headers={"apiKey": token}).status == 200


def test_second_ensure_demo_creates_nothing_new(world):
    sim, _, made = world
    before = _counts(sim)
    assert demo.ensure_demo(sim) == made
    assert _counts(sim) == before


def test_demo_world_is_the_same_for_the_same_seed(world):
    sim, _, made = world
    other = create_app({"db_url": "sqlite://", "seed": 1, "frozen_at": T0}).extensions["ajio_sim"]
    assert demo.ensure_demo(other) == made

    def ids(s):
        with s.store.read() as conn:
            return conn.execute(select(orders.c.order_id, orders.c.status).order_by(orders.c.order_id)).all()
    assert ids(other) == ids(sim)


def test_older_demo_database_gets_the_jit_and_vms_pobs_on_its_next_start(monkeypatch):
    """A database made when the demo had only the Dropship POBs: they stay as they were, the others are added."""
    sim = create_app({"db_url": "sqlite://", "seed": 1, "frozen_at": T0}).extensions["ajio_sim"]
    with monkeypatch.context() as m:
        m.setattr(demo, "_other_models", lambda *a: None)
        old = demo.ensure_demo(sim)
    assert [p["model"] for p in old] == ["ds", "ds", "ds"]
    with sim.store.read() as conn:
        ds_orders = conn.execute(select(orders).order_by(orders.c.order_id)).mappings().all()
    made = demo.ensure_demo(sim)
    assert made[:3] == old and [p["model"] for p in made[3:]] == ["jit", "vms"]
    with sim.store.read() as conn:
        after = conn.execute(select(orders).order_by(orders.c.order_id)).mappings().all()
        assert [r for r in after if r["model"] == "ds"] == ds_orders
        assert sorted(r["model"] for r in after if r["model"] != "ds") == ["jit"] * 4 + ["vms"] * 5


def test_serve_banner_lists_every_demo_pob_with_how_to_log_in(world):
    _, _, made = world
    text = _banner("127.0.0.1", 8080, None, made)
    logins = [line for line in text.splitlines() if "  store DEMO-" in line]
    assert [line.split()[:4] for line in logins] == [[p["pob_id"], p["password"], "store", p["store_code"]]
                                                      for p in made]
    assert "(shipping API on)" in logins[0] and "(NO shipping API access)" in logins[2]
    assert "JIT" in logins[3] and "POST /jit/authToken" in logins[3]
    assert "VMS" in logins[4] and "POST /vms/authToken" in logins[4]
    # The try: lines still log in the first Dropship POB.
    assert f'"username": "{made[0]["pob_id"]}"' in text and "/ds/orders/pendency" in text
