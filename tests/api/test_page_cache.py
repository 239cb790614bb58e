"""GET pendency's page cache (simulator/fast/pagecache.py) never serves a page older than the request.

The cache is per worker process; what makes it safe is the per-(POB, status) version the store keeps
by triggers on `orders` (store.order_versions). Each test runs on both engines; "two workers" are two
apps (two Simulators, as two processes or hosts would be) on one store.
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import delete, insert, select, update

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app
from simulator.lifecycle import HANDLERS, schedule
from simulator.store import Store, order_versions, orders

URL = "/ds/orders/pendency?page=0&size=20"


def _pages(app):
    return app.extensions["ajio_sim"].pages


def _world(db_url, n=3, **config):
    app = create_app({"db_url": db_url, "frozen_at": T0, "seed": 5, **config})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    ids = sim.place(pob["pob_id"], n)
    return app, sim, pob, ids


def _pendency_ids(sim, token):
    r = sim.ds("GET", URL[3:], token)
    assert r.status == 200, r.content
    return [o["order_id"] for o in r.json["orders"]], r.json


def _versions(store, pob_id):
    with store.read() as conn:
        return dict(conn.execute(select(order_versions.c.status, order_versions.c.v)
                                 .where(order_versions.c.pob_id == pob_id)).all())


def test_versions_change_with_every_kind_of_order_write(db_url):
    store = Store(db_url)
    store.create_schema()
    row = {"pob_id": "DVA", "model": "ds", "status": "CREATED", "order_date": T0, "updated_at": T0, "version": 1,
           "data": {}}
    seen = []

    def step(fn):
        with store.write() as conn:
            fn(conn)
        seen.append(_versions(store, "DVA"))

    step(lambda c: c.execute(insert(orders), [{**row, "order_id": f"FN{i}"} for i in range(3)]))
    step(lambda c: c.execute(update(orders).where(orders.c.order_id == "FN0").values(data={"x": 1})))  # data only
    step(lambda c: c.execute(update(orders).where(orders.c.order_id == "FN1").values(status="CONFIRMED")))
    step(lambda c: c.execute(update(orders).where(orders.c.order_id == "FN1").values(data={"y": 2})))
    step(lambda c: c.execute(delete(orders).where(orders.c.order_id == "FN2")))
    created = [seen[i]["CREATED"] for i in (0, 1, 2, 4)]
    assert len(set(created)) == 4, "every write to a CREATED order (or out of CREATED) changes its version"
    assert "CONFIRMED" not in seen[1] and seen[2]["CONFIRMED"] != seen[3]["CONFIRMED"]
    assert seen[3]["CREATED"] == seen[2]["CREATED"], "a change to a CONFIRMED order leaves pendency's version"
    # A reset empties the table; the versions that follow are new values, never an old one again.
    before = {v["CREATED"] for v in seen}
    store.reset()
    for i in range(5):
        step(lambda c, i=i: c.execute(insert(orders).values(**row, order_id=f"FR{i}")))
    assert not before & {v["CREATED"] for v in seen[-5:]}
    store.engine.dispose()


def test_repeat_poll_is_served_from_the_cache(db_url):
    app, sim, pob, ids = _world(db_url)
    token = sim.login(pob)
    first, body = _pendency_ids(sim, token)
    hits = _pages(app).hits
    again, body2 = _pendency_ids(sim, token)
    assert (again, body2) == (first, body) and sorted(first) == sorted(ids)
    assert _pages(app).hits == hits + 1
    # The journal has the answer the connector got, cached or not.
    entries = sim.control("GET", "/journal?path=/ds/orders/pendency", expect=200).json["entries"]
    assert len(entries) == 2 and entries[0]["response_body"] == entries[1]["response_body"]


def test_cached_page_equals_the_page_the_plain_path_answers(db_url):
    """The shortcut's equivalence test: a hit gives the bytes a simulator without the cache gives."""
    app, sim, pob, _ = _world(db_url, n=4)
    plain = Sim(FlaskTransport(create_app({"db_url": db_url, "frozen_at": T0, "seed": 5,
                                           "page_cache": 0}).test_client()))
    token = sim.login(pob)
    _pendency_ids(sim, token)
    hits = _pages(app).hits
    cached = sim.ds("GET", URL[3:], token)
    assert _pages(app).hits == hits + 1
    fresh = plain.ds("GET", URL[3:], token)
    assert (cached.status, cached.json) == (fresh.status, fresh.json) and cached.json["orders"]


@pytest.mark.parametrize("change", ["acknowledge", "customer_cancel_line", "new_order"])
def test_a_change_by_another_worker_is_seen_at_once(db_url, change):
    app_a, sim_a, pob, ids = _world(db_url)
    sku = sim_a.control("GET", f"/sellers/{pob['pob_id']}/inventory", expect=200).json["inventory"][0]["sku"]
    ids += sim_a.place(pob["pob_id"], 1, lines=[{"sku": sku, "quantity": 3}])  # ids[-1]: one line of 3
    app_b = create_app({"db_url": db_url, "frozen_at": T0, "seed": 5})
    sim_b = Sim(FlaskTransport(app_b.test_client()))
    token = sim_a.login(pob)
    _pendency_ids(sim_a, token)
    cached, _ = _pendency_ids(sim_a, token)  # now in worker A's cache
    if change == "acknowledge":
        assert sim_b.acknowledge_all(token, ids[0]).status == 200
    elif change == "customer_cancel_line":  # 1 of 3: the order stays CREATED, only its data changes
        item = sim_b.state(ids[-1])["lines"][0]["order_item_id"]
        sim_b.control("POST", f"/orders/{ids[-1]}/customer-cancel",
                      {"lines": [{"order_item_id": item, "quantity": 1}]}, expect=200)
        assert sim_b.state(ids[-1])["status"] == "CREATED"
    else:
        sim_b.place(pob["pob_id"], 1)
    now, body = _pendency_ids(sim_a, token)
    fresh = create_app({"db_url": db_url, "frozen_at": T0, "seed": 5, "page_cache": 0})
    truth = Sim(FlaskTransport(fresh.test_client())).ds("GET", URL[3:], token).json
    assert body == truth, "worker A answered what the store holds, not its cached page"
    if change == "acknowledge":
        assert ids[0] in cached and ids[0] not in now


def test_timers_fired_by_the_request_itself_are_not_hidden_by_the_cache(db_url):
    app, sim, pob, ids = _world(db_url)
    store = app.extensions["ajio_sim"].store

    def relabel(ctx, entity_id):
        data = ctx.conn.execute(select(orders.c.data).where(orders.c.order_id == entity_id)).scalar_one()
        ctx.conn.execute(update(orders).where(orders.c.order_id == entity_id)
                         .values(data={**data, "carrier": "TIMER-CARRIER"}))

    HANDLERS["test_relabel"] = relabel
    try:
        token = sim.login(pob)
        _pendency_ids(sim, token)
        _pendency_ids(sim, token)  # cached
        with store.write() as conn:
            schedule(app.extensions["ajio_sim"].ctx(conn, T0), "test_relabel", ids[0], T0 + 60)
        # The clock moves without a request firing the timer (the control plane's advance would fire
        # it, so the clock is written directly): the next pendency request is the one that fires it.
        with store.write() as conn:
            store.put_meta(conn, "clock", {"offset": 0.0, "frozen_at": T0 + 120})
        _, body = _pendency_ids(sim, token)
        carriers = {o["order_id"]: o["carrier"] for o in body["orders"]}
        assert carriers[ids[0]] == "TIMER-CARRIER"
    finally:
        HANDLERS.pop("test_relabel", None)


def test_cache_off_and_bounded(db_url):
    app, sim, pob, _ = _world(db_url, page_cache=0)
    token = sim.login(pob)
    for _ in range(3):
        _pendency_ids(sim, token)
    assert _pages(app).hits == 0 and len(_pages(app)) == 0

    app, sim, pob, _ = _world(db_url, n=30, page_cache=2)
    token = sim.login(pob)
    for page in range(3):
        for size in (1, 2):
            assert sim.ds("GET", f"/orders/pendency?page={page}&size={size}", token).status == 200
    assert len(_pages(app)) == 2


def test_errors_are_never_cached(db_url):
    app, sim, pob, _ = _world(db_url, n=2)
    token = sim.login(pob)
    _pendency_ids(sim, token)
    r = sim.ds("GET", "/orders/pendency?page=5&size=20", token)
    assert r.status == 400 and "page" in r.content.decode()
    assert all(key[2] != 5 for key in _pages(app)._pages)


def test_serve_refuses_a_negative_page_cache():
    out = subprocess.run([sys.executable, "-m", "simulator.cli", "serve", "--page-cache", "-1"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--page-cache" in out.stderr and "0 (off) or more" in out.stderr
