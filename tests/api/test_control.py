"""Control plane /_sim and the simulated clock: timers, clock moves, reset, journal, admin token, HTTP edges."""
from __future__ import annotations

import json

import pytest
from dsworld import DAY, PO_LAG, World, assert_error

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def clock(sim) -> dict:
    return sim.control("GET", "/clock", expect=200).json


def journal(sim, query: str = "") -> list[dict]:
    return sim.control("GET", f"/journal?limit=5000{query}", expect=200).json["entries"]


def transition_at(state: dict, to: str, cause_part: str = "") -> int:
    [at] = [t["at"] for t in state["timeline"] if t["to"] == to and cause_part in t["cause"]]
    return at


# -- the clock and its timers ------------------------------------------------------------------------
def test_clock_advance_fires_the_po_at_its_due_time_not_at_the_new_now(w):
    """API.md: advancing the clock by N hours behaves exactly like waiting N hours."""
    [order_id] = w.place()
    w.acknowledge(order_id)
    acked_at = clock(w.sim)["now"]
    assert w.sim.advance(10 * 3600) == acked_at + 10 * 3600
    w.relogin()
    state = w.state(order_id)
    assert transition_at(state, "CONFIRMED", "issued PO") == acked_at + PO_LAG
    assert w.order(order_id)["po_date"] == acked_at + PO_LAG


def test_clock_advance_fires_courier_pickup_then_delivery_each_at_its_time(w):
    """API.md: DISPATCHED follows the manifest's pickup, then DELIVERED (courier timers: 1 day, then 3 days)."""
    order = w.one("READY_TO_DISPATCH")
    manifested_at = clock(w.sim)["now"]
    w.advance(10 * DAY)
    state = w.state(order.order_id)
    assert transition_at(state, "DISPATCHED") == manifested_at + DAY
    assert transition_at(state, "DELIVERED") == manifested_at + DAY + 3 * DAY
    assert w.order(order.order_id)["status"] == "DELIVERED"


def test_clock_advance_stops_short_of_a_timer_not_yet_due(w):
    order = w.one("READY_TO_DISPATCH")
    w.advance(DAY - 1)
    assert w.order(order.order_id)["status"] == "READY_TO_DISPATCH"
    w.advance(1)
    assert w.order(order.order_id)["status"] == "DISPATCHED"


def _world_after(steps: list[int]) -> list[dict]:
    app = create_app({"db_url": "sqlite://", "seed": 7, "frozen_at": T0})
    w = World.new(Sim(FlaskTransport(app.test_client())))
    order = w.one("READY_TO_DISPATCH")
    for step in steps:
        w.sim.advance(step)
    return w.state(order.order_id)["timeline"]


def test_clock_one_jump_equals_many_small_steps():
    """API.md: timers are due times, so one 5-day jump writes the same history as 120 one-hour steps."""
    assert _world_after([5 * DAY]) == _world_after([3600] * 120)


def test_clock_set_forward_fires_due_timers(w):
    [order_id] = w.place()
    w.acknowledge(order_id)
    acked_at = clock(w.sim)["now"]
    r = w.sim.control("POST", "/clock/set", {"now": acked_at + 7200}, expect=200)
    assert r.json["now"] == acked_at + 7200
    assert transition_at(w.state(order_id), "CONFIRMED", "issued PO") == acked_at + PO_LAG


def test_clock_set_backwards_refused(sim):
    now = clock(sim)["now"]
    assert_error(sim.control("POST", "/clock/set", {"now": now - 1}), 400, code="VALIDATION_FAILED", field="now",
                 message="only moves forward")
    assert clock(sim)["now"] == now


@pytest.mark.parametrize("body,field", [
    ({"now": 10**20}, "now"), ({"now": "1795408200"}, "now"), ({}, "now"),
], ids=["beyond-year-9999", "string", "missing"])
def test_clock_set_bad_value_refused_and_world_keeps_working(sim, body, field):
    now = clock(sim)["now"]
    assert_error(sim.control("POST", "/clock/set", body), 400, code="VALIDATION_FAILED", field=field)
    assert clock(sim)["now"] == now
    assert sim.seller()["pob_id"]  # the simulator still answers


@pytest.mark.parametrize("seconds", [-1, 1.5, "60", True], ids=["negative", "float", "string", "bool"])
def test_clock_advance_bad_seconds_refused(sim, seconds):
    now = clock(sim)["now"]
    assert_error(sim.control("POST", "/clock/advance", {"seconds": seconds}), 400, code="VALIDATION_FAILED",
                 field="seconds")
    assert clock(sim)["now"] == now


def test_clock_freeze_and_unfreeze(sim):
    assert clock(sim) == {"now": T0, "frozen": True, "offset_seconds": None}
    from freezegun import freeze_time
    with freeze_time("2026-01-01 00:00:00") as wall:
        thawed = sim.control("POST", "/clock/freeze", {"frozen": False}, expect=200).json
        assert thawed == {"now": T0, "frozen": False}
        wall.tick(90)
        running = clock(sim)
    # Thawed at T0, it runs with wall time, T0 - wall seconds ahead of it.
    assert running == {"now": T0 + 90, "frozen": False, "offset_seconds": T0 - 1767225600}
    frozen = sim.control("POST", "/clock/freeze", {}, expect=200).json
    assert frozen["frozen"] is True and frozen["now"] >= thawed["now"]
    assert clock(sim)["now"] == clock(sim)["now"] == frozen["now"]
    assert sim.advance(60) == frozen["now"] + 60


# -- reset ------------------------------------------------------------------------------------------
def test_reset_empties_the_world(w):
    order = w.one("PACKED")
    old_token = w.token
    assert w.sim.control("POST", "/reset", expect=200).json == {"status": "SUCCESS"}
    assert journal(w.sim) == []
    assert w.sim.control("GET", "/sellers", expect=200).json == {"sellers": []}
    assert_error(w.sim.control("GET", f"/orders/{order.order_id}"), 404, code="NOT_FOUND")
    assert_error(w.sim.ds("GET", "/orders/pendency", old_token), 401, code="UNAUTHORIZED")
    assert_error(w.sim.http("POST", "/ds/authToken", json_body={"username": w.pob_id,
                                                                 "password": w.pob["password"]}), 401)
    assert clock(w.sim)["now"] == T0


# -- journal -----------------------------------------------------------------------------------------
def test_journal_records_ajio_facing_requests_only(w):
    w.ok("GET", "/orders/pendency")
    w.sim.control("GET", "/sellers", expect=200)
    paths = [e["path"] for e in journal(w.sim)]
    assert paths == ["/ds/authToken", "/ds/orders/pendency"]


def test_journal_entry_carries_pob_status_query_and_answer(w):
    w.ds("GET", "/orders?orderIds=FN0000000000")
    [entry] = journal(w.sim, "&path=/ds/orders")
    assert (entry["pob_id"], entry["method"], entry["status"], entry["query"]) == (
        w.pob_id, "GET", 404, "orderIds=FN0000000000")
    assert json.loads(entry["response_body"])["error_code"] == "NOT_FOUND"
    assert entry["at"] == T0


def test_journal_login_entry_names_the_pob_and_hides_the_password(w):
    w.sim.http("POST", "/ds/authToken", json_body={"username": w.pob_id, "password": "a-wrong-password"})
    ok, failed = journal(w.sim, "&path=/ds/authToken")
    assert ok["pob_id"] == w.pob_id and ok["status"] == 200
    assert failed["status"] == 401
    for entry in (ok, failed):
        body = json.loads(entry["request_body"])
        assert body == {"username": w.pob_id, "password": "***"}
        assert w.pob["password"] not in json.dumps(entry) and "a-wrong-password" not in json.dumps(entry)


def test_journal_filters_by_pob(w):
    theirs = World.new(w.sim)
    theirs.ok("GET", "/returns")
    w.ok("GET", "/products")
    mine = journal(w.sim, f"&pob_id={w.pob_id}")
    assert mine and all(e["pob_id"] == w.pob_id for e in mine)
    assert "/ds/returns" not in [e["path"] for e in mine]


def test_journal_records_an_oversized_request(w):
    w.sim.http("POST", "/ds/updateInventory", data="x" * (1024 * 1024 + 1),
               headers={"apiKey": w.token, "Content-Type": "application/json"})
    [entry] = journal(w.sim, "&path=/ds/updateInventory")
    assert entry["status"] == 413 and "1048577" in (entry["request_body"] or "")


def test_journal_since_out_of_range_refused(sim):
    assert_error(sim.control("GET", "/journal?since=99999999999999999999999"), 400, code="VALIDATION_FAILED",
                 field="since")


# -- admin token -------------------------------------------------------------------------------------
@pytest.fixture
def guarded() -> Sim:
    app = create_app({"db_url": "sqlite://", "frozen_at": T0, "admin_token": "s3cret"})
    return Sim(FlaskTransport(app.test_client()))


@pytest.mark.parametrize("headers", [{}, {"X-Admin-Token": "wrong"}, {"X-Admin-Token": ""},
                                     {"Authorization": "Bearer wrong"}],
                         ids=["none", "wrong", "empty", "wrong-bearer"])
def test_control_plane_without_the_admin_token_unauthorized(guarded, headers):
    assert_error(guarded.http("GET", "/_sim/clock", headers=headers), 401, code="UNAUTHORIZED",
                 field="X-Admin-Token")
    assert_error(guarded.http("POST", "/_sim/sellers", json_body={"model": "ds"}, headers=headers), 401)


@pytest.mark.parametrize("headers", [{"X-Admin-Token": "s3cret"}, {"Authorization": "Bearer s3cret"}],
                         ids=["x-admin-token", "bearer"])
def test_control_plane_with_the_admin_token_allowed(guarded, headers):
    assert guarded.http("GET", "/_sim/clock", headers=headers).status == 200
    r = guarded.http("POST", "/_sim/sellers", json_body={"model": "ds"}, headers=headers)
    assert r.status == 201
    # The AJIO-facing side never needs the admin token: a connector has only its POB credentials.
    assert guarded.login(r.json)


# -- HTTP edges in AJIO's error shape ----------------------------------------------------------------
@pytest.mark.parametrize("path", ["/nope", "/ds/nope", "/ds/orders/FN1/nope", "/_sim/nope"])
def test_unknown_route_not_found_in_ajio_shape(sim, path):
    assert_error(sim.http("GET", path), 404, code="NOT_FOUND", message=path)


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/ds/orders", "GET"), ("GET", "/ds/updateInventory", "POST"), ("PUT", "/ds/orders/dispatch", "POST"),
    ("GET", "/ds/authToken", "POST"), ("DELETE", "/_sim/clock", "GET"),
], ids=lambda v: v if isinstance(v, str) and v.startswith("/") else None)
def test_wrong_method_405_in_ajio_shape_with_allow_header(sim, method, path, allowed):
    r = sim.http(method, path)
    assert_error(r, 405, code="METHOD_NOT_ALLOWED", message=method)
    assert allowed in r.headers.get("Allow", ""), r.headers


@pytest.mark.parametrize("path", ["/ds/updateInventory", "/ds/authToken", "/_sim/sellers"])
def test_body_over_1_mib_refused_413(w, path):
    r = w.sim.http("POST", path, data=json.dumps({"pad": "x" * (1024 * 1024)}),
                   headers={"apiKey": w.token, "Content-Type": "application/json"})
    assert_error(r, 413, code="PAYLOAD_TOO_LARGE", field="body")


def test_body_just_under_1_mib_is_read(w):
    """Only the size limit refuses: a large but allowed body gets its ordinary validation answer."""
    pad = "x" * (1024 * 1024 - 100)
    r = w.ds("POST", "/updateInventory", {"inventory": [{"sku": pad[:10], "quantity": 1}], "pad": pad})
    assert_error(r, 400, code="VALIDATION_FAILED", field="pad")


# -- world events through the control plane ----------------------------------------------------------
def test_control_orders_with_unknown_sku_refused(w):
    r = w.sim.control("POST", "/orders", {"pob_id": w.pob_id, "lines": [{"sku": w.skus()[0]}, {"sku": "NOPE"}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="lines[1].sku")
    assert w.pendency() == []


def test_control_orders_for_unknown_pob_not_found(sim):
    assert_error(sim.control("POST", "/orders", {"pob_id": "DVNOSUCH1"}), 404, code="NOT_FOUND", field="pob_id")


def test_control_order_state_shows_timeline_and_allowed_events(w):
    order = w.one("DISPATCHED")
    state = w.state(order.order_id)
    assert state["pob_id"] == w.pob_id and state["model"] == "ds" and state["status"] == "DISPATCHED"
    assert [t["to"] for t in state["timeline"]] == ["CREATED", "CONFIRMED", "CONFIRMED", "INVOICED", "PACKED",
                                                   "READY_TO_DISPATCH", "DISPATCHED"]
    assert sorted(state["allowed_world_events"]) == ["deliver", "delivery-attempt", "rto", "scan"]


def test_journal_never_holds_a_usable_token(sim, w):
    """Tokens are credentials: the journal keeps a prefix to recognise them, never the whole token."""
    token = sim.login(w.pob)
    entries = sim.control("GET", f"/journal?pob_id={w.pob_id}&path=/ds/authToken", expect=200).json["entries"]
    assert entries
    assert all(token not in entry["response_body"] for entry in entries)
    import json
    assert json.loads(entries[-1]["response_body"])["result"]["accessToken"] == token[:6] + "..."


def test_set_clock_to_instant_documents_cannot_date_refused(w):
    """API.md control plane: errors are 4xx bodies. 9999-12-31T23:59:59Z is already year 10000 in
    IST, where AJIO's documents are dated: a clock set there could only answer 500s afterwards."""
    r = w.sim.control("POST", "/clock/set", {"now": 253_402_300_799})
    assert_error(r, 400, code="VALIDATION_FAILED", field="now")


def test_advance_clock_past_latest_instant_refused_clock_unchanged(w):
    """As above for advance: the resulting instant counts, not only the step."""
    from contracts.common import MAX_CLOCK
    w.sim.control("POST", "/clock/set", {"now": MAX_CLOCK - 10}, expect=200)
    r = w.sim.control("POST", "/clock/advance", {"seconds": 11})
    assert_error(r, 400, code="VALIDATION_FAILED", field="seconds")
    assert w.sim.control("GET", "/clock", expect=200).json["now"] == MAX_CLOCK - 10


def test_generate_invoice_at_latest_clock_instant_succeeds(w):
    """Every instant the clock accepts is one the simulator can work at: a B2B invoice dated then
    (in IST, with its financial year) is still a 200."""
    from contracts.common import MAX_CLOCK
    order = w.one("CONFIRMED")
    w.sim.control("POST", "/clock/set", {"now": MAX_CLOCK}, expect=200)
    w.relogin()
    assert w.ds("POST", f"/orders/{order.order_id}/invoice", {}).status == 200


def test_list_sim_orders_unfiltered_pages_count_every_order(w):
    """API.md: paging everywhere is Spring-style page{number,size,totalElements,totalPages}. Without
    a filter, GET /_sim/orders must count the whole world, and its second page must exist."""
    w.place(3)
    first = w.sim.control("GET", "/orders?size=2", expect=200).json
    assert first["page"] == {"number": 0, "size": 2, "totalElements": 3, "totalPages": 2}
    second = w.sim.control("GET", "/orders?size=2&page=1", expect=200).json
    assert len(first["orders"]) + len(second["orders"]) == 3
