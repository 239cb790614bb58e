"""Domain faults through the API: a PO held back, an order repeated, a stale page, a lost acknowledgement."""
from __future__ import annotations

import pytest
from dsworld import PO_LAG, World, assert_error


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def add(w: World, *effects, **rule):
    rule.setdefault("match", {})["pob_id"] = w.pob_id
    return w.sim.control("POST", "/faults", {"effects": list(effects), **rule}, expect=201).json


def last_faults(w: World, path: str) -> list[dict]:
    return w.sim.control("GET", f"/journal?pob_id={w.pob_id}&path={path}").json["entries"][-1]["faults"]


# -- PO missing ------------------------------------------------------------------------------------
def test_po_missing_keeps_the_order_on_hold_for_n_minutes(w):
    """API.md: the PO can lag the acknowledgement; integrators keep the order on hold until it appears."""
    [order_id] = w.place()
    add(w, {"kind": "po_missing", "minutes": 240}, match={"method": "POST", "path": "/ds/orders"}, times=1)
    assert w.acknowledge(order_id).status == 200
    assert last_faults(w, "/ds/orders")[0]["orders"] == [order_id]
    w.advance(PO_LAG)  # the normal lag has passed: no PO yet
    assert w.order(order_id)["po_number"] is None
    body = assert_error(w.ds("POST", f"/orders/{order_id}/invoice", {}), 409, code="NOT_YET", message="on hold")
    assert body["available_at"] - w.sim.control("GET", "/clock").json["now"] == 240 * 60 - PO_LAG
    w.advance(240 * 60 - PO_LAG - 1)
    assert w.order(order_id)["po_number"] is None
    w.advance(1)
    assert w.order(order_id)["po_number"] is not None
    assert w.ds("POST", f"/orders/{order_id}/invoice", {}).status == 200


def test_po_missing_retry_after_names_the_new_due_time(w):
    [order_id] = w.place()
    add(w, {"kind": "po_missing", "minutes": 90}, match={"method": "POST", "path": "/ds/orders"})
    w.acknowledge(order_id)
    r = w.ds("POST", f"/orders/{order_id}/invoice", {})
    assert r.status == 409 and r.headers["Retry-After"] == str(90 * 60)


def test_po_missing_never_brings_the_po_earlier(w):
    [order_id] = w.place()
    add(w, {"kind": "po_missing", "minutes": 1}, match={"method": "POST", "path": "/ds/orders"})
    w.acknowledge(order_id)
    w.advance(60)
    assert w.order(order_id)["po_number"] is None
    w.advance(PO_LAG - 60)
    assert w.order(order_id)["po_number"] is not None


# -- an order repeated in pendency -----------------------------------------------------------------
def test_repeat_order_lists_the_first_order_twice(w):
    first, second = w.place(2)
    add(w, {"kind": "repeat_order"}, match={"path": "/ds/orders/pendency"}, times=1)
    ids = [o["order_id"] for o in w.ok("GET", "/orders/pendency")["orders"]]
    assert ids == [first, second, first]
    assert [o["order_id"] for o in w.ok("GET", "/orders/pendency")["orders"]] == [first, second]


def test_repeat_order_shows_an_acknowledged_order_again_and_a_second_ack_changes_nothing(w):
    [order_id] = w.place()
    assert w.acknowledge(order_id).status == 200
    before = w.state(order_id)
    add(w, {"kind": "repeat_order", "order_id": order_id}, match={"path": "/ds/orders/pendency"})
    [ghost] = w.ok("GET", "/orders/pendency")["orders"]
    assert ghost["order_id"] == order_id and ghost["order_lines"]
    # The connector that double-processes acknowledges it again: AJIO answers the first result.
    again = w.acknowledge(order_id)
    assert again.status == 200 and again.json["failed_items"] == []
    after = w.state(order_id)
    assert after["timeline"] == before["timeline"] and after["version"] == before["version"]


def test_repeat_order_of_another_pobs_order_is_skipped(w):
    other = World.new(w.sim)
    [foreign] = other.place()
    add(w, {"kind": "repeat_order", "order_id": foreign}, match={"path": "/ds/orders/pendency"})
    assert w.ok("GET", "/orders/pendency")["orders"] == []
    assert "skipped" in last_faults(w, "/ds/orders/pendency")[0]


# -- an order hidden from reads -----------------------------------------------------------------------
def test_acknowledged_order_disappears_for_two_reads(w):
    """The acknowledgement succeeded but its answer was lost, and AJIO's reads lag: the order is nowhere."""
    [order_id] = w.place()
    add(w, {"kind": "vanish_after_ack"}, match={"method": "POST", "path": "/ds/orders"}, times=1)
    add(w, {"kind": "hide_order", "order_id": order_id}, match={"method": "GET", "path": "/ds/orders"}, times=2)
    assert_error(w.acknowledge(order_id), 504)
    assert w.pending(order_id) is None
    assert_error(w.ds("GET", f"/orders?orderIds={order_id}"), 404, code="NOT_FOUND", message=order_id)
    assert w.ok("GET", "/orders")["orders"] == []
    assert w.order(order_id)["status"] == "CONFIRMED"  # the third read sees it


def test_hide_order_without_id_hides_the_first_of_the_page(w):
    first, second = w.place(2)
    add(w, {"kind": "hide_order"}, match={"path": "/ds/orders/pendency"}, times=1)
    assert [o["order_id"] for o in w.ok("GET", "/orders/pendency")["orders"]] == [second]


def test_hide_return_leaves_a_return_out_of_a_returns_page_keeping_its_counts(w):
    """A lagging returns list: the page comes one return short while page.totalElements still counts it."""
    ids = [w.customer_return(w.one("DELIVERED").order_id) for _ in range(2)]
    whole = w.ok("GET", "/returns?size=50")
    add(w, {"kind": "hide_return", "return_order_id": ids[1]}, match={"method": "GET", "path": "/ds/returns"}, times=1)
    short = w.ok("GET", "/returns?size=50")
    assert [r["return_order_id"] for r in short["returns"]] == [i for i in ids if i != ids[1]]
    assert short["page"] == whole["page"]
    [fault] = last_faults(w, "/ds/returns")
    assert (fault["kind"], fault["return_order_id"]) == ("hide_return", ids[1])
    assert [r["return_order_id"] for r in w.ok("GET", "/returns?size=50")["returns"]] == ids  # once only


def test_hide_return_without_id_hides_the_first_and_skips_an_answer_without_returns(w):
    first = w.customer_return(w.one("DELIVERED").order_id)
    second = w.customer_return(w.one("DELIVERED").order_id)
    add(w, {"kind": "hide_return"}, match={"method": "GET", "path": "/ds/returns"}, times=1)
    assert [r["return_order_id"] for r in w.ok("GET", "/returns?size=50")["returns"]] == [second]
    add(w, {"kind": "hide_return"}, match={"method": "GET", "path": "/ds/orders/pendency"}, times=1)
    w.ok("GET", "/orders/pendency")
    assert "skipped" in last_faults(w, "/ds/orders/pendency")[0]
    assert first != second


# -- a stale page -------------------------------------------------------------------------------------
def test_stale_page_serves_the_first_answer_again(w):
    [order_id] = w.place()
    rule = add(w, {"kind": "stale_page"}, match={"path": "/ds/orders/pendency"}, times=1)
    first = w.ok("GET", "/orders/pendency")
    assert last_faults(w, "/ds/orders/pendency") == [{"rule_id": rule["id"], "kind": "stale_page",
                                                      "snapshot": "recorded"}]
    assert w.acknowledge(order_id).status == 200
    assert w.ok("GET", "/orders/pendency") == first  # stale: the acknowledged order still shows
    assert w.ok("GET", "/orders/pendency")["orders"] == []  # times=1 spent: fresh again
    listed = w.sim.control("GET", f"/faults/{rule['id']}").json
    assert listed["applied"] == 1


def test_stale_page_snapshot_is_per_query(w):
    w.place(3)
    add(w, {"kind": "stale_page"}, match={"path": "/ds/orders/pendency"})
    page0 = w.ok("GET", "/orders/pendency?size=1&page=0")
    page1 = w.ok("GET", "/orders/pendency?size=1&page=1")
    assert page0 != page1
    assert w.ok("GET", "/orders/pendency?size=1&page=1") == page1


def test_stale_page_ignore_params_keys_the_snapshot_without_them(w):
    """A list whose query carries the moving clock (VMS's toDate, rsiDateTo) is never asked twice alike: with
    ignore_params the rule keys its snapshot without those parameters, so it lags such a list too; the other
    parameters still pick the snapshot."""
    w.place(3)
    rule = add(w, {"kind": "stale_page", "ignore_params": ["page"]}, match={"path": "/ds/orders/pendency"})
    page0 = w.ok("GET", "/orders/pendency?size=1&page=0")
    assert w.ok("GET", "/orders/pendency?size=1&page=1") == page0       # page ignored: the snapshot again
    assert w.ok("GET", "/orders/pendency?page=2&size=1") == page0       # in any order
    size2 = w.ok("GET", "/orders/pendency?size=2&page=0")
    assert size2 != page0 and len(size2["orders"]) == 2                  # size is not ignored: a snapshot of its own
    assert w.ok("GET", "/orders/pendency?size=2&page=1") == size2
    assert w.sim.control("GET", f"/faults/{rule['id']}").json["applied"] == 3


def test_stale_page_ignore_params_is_its_own_option(w):
    w.sim.control("POST", "/faults", {"effects": [{"kind": "status", "status": 503, "ignore_params": ["page"]}]},
                  expect=400)
    w.sim.control("POST", "/faults", {"effects": [{"kind": "stale_page", "ignore_params": []}]}, expect=400)


def test_stale_page_never_replays_a_write(w):
    first, second = w.place(2)
    add(w, {"kind": "stale_page"}, match={"method": "POST", "path": "/ds/orders"})
    assert w.acknowledge(first).json["success"]
    again = w.acknowledge(second)
    assert again.status == 200 and w.state(second)["status"] == "CONFIRMED"
    assert "skipped" in last_faults(w, "/ds/orders")[0]


# -- an acknowledgement whose answer is lost ---------------------------------------------------------
def test_vanish_after_ack_applies_ack_and_answers_an_error(w):
    [order_id] = w.place()
    add(w, {"kind": "vanish_after_ack"}, match={"method": "POST", "path": "/ds/orders"}, times=1)
    assert_error(w.acknowledge(order_id), 504, code="GATEWAY_TIMEOUT")
    assert w.pending(order_id) is None  # gone from pendency
    assert w.order(order_id)["status"] == "CONFIRMED"  # the connector finds it by reading its orders


def test_vanish_after_ack_ignores_a_refused_ack(w):
    add(w, {"kind": "vanish_after_ack", "status": 500}, match={"method": "POST", "path": "/ds/orders"})
    r = w.ds("POST", "/orders", {"order_id": "FN0000000000", "status": "Acknowledge", "order_lines": []})
    assert_error(r, 404)
    assert "skipped" in last_faults(w, "/ds/orders")[0]


# -- the JIT model gets the same faults without code of its own -------------------------------------------
def test_jit_pendency_repeat_and_po_reset_match_the_jit_model(sim):
    from fixtures.jitworld import JitWorld
    world = JitWorld.new(sim)
    first, second = world.raise_po(), world.raise_po()
    sim.control("POST", "/faults", {"match": {"model": "jit", "pob_id": world.pob_id, "path": "/jit/orders/pendency"},
                                    "effects": [{"kind": "repeat_order"}]}, expect=201)
    assert [o["order_id"] for o in world.ok("GET", "/orders/pendency")["orders"]] == [first, second, first]
    sim.control("POST", "/faults", {"match": {"model": "jit", "method": "POST", "path": "/jit/orders/*/invoice"},
                                    "effects": [{"kind": "status", "status": 502, "phase": "after"}], "times": 1},
                expect=201)
    assert_error(world.jit("POST", f"/orders/{first}/invoice", {}), 502)
    assert world.po(first)["status"] == "INVOICED"  # applied, its answer lost: the retry gets the invoice
    assert world.ok("POST", f"/orders/{first}/invoice", {})["invoice_number"]


# -- a line of a manifest failing alone (line_failure) ------------------------------------------------
def test_line_failure_fails_one_dispatch_item_alone_in_a_200_and_the_next_manifest_takes_it(w):
    """AJIO answers a manifest per order: one order's line may fail inside a 200 while the others go (API.md
    per-line failures); the fault makes that happen to a correct request."""
    a, b = w.drive("PACKED", count=2, carrier="Delhivery")
    rule = add(w, {"kind": "line_failure", "order_id": b.order_id, "error_message": "courier allocation busy"},
               match={"method": "POST", "path": "/ds/orders/dispatch"}, times=1)
    answer = w.ok("POST", "/orders/dispatch", {"dispatchItems": [a.dispatch_item, b.dispatch_item]})
    assert [(f["orderId"], f["error_message"]) for f in answer["failedDispatchItems"]] == [
        (b.order_id, "courier allocation busy")]
    assert w.order(a.order_id)["status"] == "READY_TO_DISPATCH" and w.order(b.order_id)["status"] == "PACKED"
    [note] = last_faults(w, "/ds/orders/dispatch")
    assert (note["rule_id"], note["kind"], note["order_id"]) == (rule["id"], "line_failure", b.order_id)
    again = w.ok("POST", "/orders/dispatch", {"dispatchItems": [b.dispatch_item]})
    assert again["failedDispatchItems"] == [] and w.order(b.order_id)["status"] == "READY_TO_DISPATCH"


def test_line_failure_of_the_only_item_manifests_nothing(w):
    [a] = w.drive("PACKED")
    add(w, {"kind": "line_failure", "order_id": a.order_id}, match={"method": "POST", "path": "/ds/orders/dispatch"},
        times=1)
    answer = w.ds("POST", "/orders/dispatch", {"dispatchItems": [a.dispatch_item]}).json
    assert answer["manifest_id"] is None and answer["failedDispatchItems"][0]["orderId"] == a.order_id
    assert "send it again" in answer["failedDispatchItems"][0]["error_message"]
    assert w.order(a.order_id)["status"] == "PACKED"


@pytest.mark.parametrize("rule, field", [
    ({"match": {"method": "POST", "path": "/ds/orders"}}, "match"),
    ({"match": {"path": "/vms/manifests"}}, "match"),
    ({"match": {"method": "POST", "path_regex": "/vms/manifests"}}, "match"),
])
def test_line_failure_only_on_a_manifest_call_and_with_its_order(w, rule, field):
    r = w.sim.control("POST", "/faults", {"effects": [{"kind": "line_failure", "order_id": "FN1"}], **rule})
    assert r.status == 400 and field in r.content.decode() and "/vms/manifests" in r.content.decode()
    r = w.sim.control("POST", "/faults", {"effects": [{"kind": "line_failure"}],
                                          "match": {"method": "POST", "path": "/vms/manifests"}})
    assert r.status == 400 and "order_id" in r.content.decode()


@pytest.mark.parametrize("rule, field, words", [
    ({"match": {"method": "POST", "path": "/ds/updateInventory"}, "effects": [{"kind": "line_failure"}]},
     "effects[0].sku", "needs sku"),
    ({"match": {"method": "POST", "path": "/ds/updateInventory"},
      "effects": [{"kind": "line_failure", "order_id": "FN1"}]}, "effects[0].order_id", "names sku"),
    ({"match": {"method": "POST", "path": "/ds/updateInventory"},
      "effects": [{"kind": "line_failure", "sku": "FN1", "order_id": "FN1"}]}, "effects[0].order_id", "names sku"),
    ({"match": {"method": "POST", "path": "/ds/orders/dispatch"},
      "effects": [{"kind": "line_failure", "sku": "AJ-1"}]}, "effects[0].sku", "names order_id"),
    ({"match": {"method": "POST", "path": "/ds/updateInventory"}, "effects": [{"kind": "line_failure", "sku": ""}]},
     "effects[0].sku", "exactly as AJIO lists it"),
    ({"match": {"method": "POST", "path": "/ds/updateInventory"},
      "effects": [{"kind": "line_failure", "sku": " AJ-1"}]}, "effects[0].sku", "exactly as AJIO lists it"),
    ({"match": {"method": "POST", "path": "/ds/updateInventory"}, "effects": [{"kind": "line_failure", "sku": 7}]},
     "effects[0].sku", "Not a valid string"),
    ({"match": {"method": "POST", "path": "/jit/inventory"}, "effects": [{"kind": "line_failure", "sku": "AJ-1"}]},
     "match", "all lines or none"),
    ({"match": {"method": "GET", "path": "/ds/updateInventory"}, "effects": [{"kind": "line_failure", "sku": "AJ-1"}]},
     "match", "/ds/updateInventory"),
])
def test_line_failure_on_a_stock_push_names_its_sku_and_nothing_else(w, rule, field, words):
    """A stock push's line is a SKU's, a manifest's an order's: the wrong key, or none, is refused naming the field
    and the rule (API-PER-LINE-FAILURES)."""
    r = w.sim.control("POST", "/faults", rule)
    assert r.status == 400, r.json
    assert r.json["field"] == field and words in r.json["error_message"], r.json
    if words != "Not a valid string":
        assert r.json["rule_id"] == "API-PER-LINE-FAILURES", r.json


def test_line_failure_fails_one_sku_of_a_stock_push_alone_in_a_200(w):
    """AJIO answers a stock push per line (failed_items): one SKU's line may fail inside a 200 while the others
    apply; AJIO's count for that SKU stays what it was."""
    a, b, c = w.skus()[:3]
    before = w.product(b)["quantity"]
    rule = add(w, {"kind": "line_failure", "sku": b}, match={"method": "POST", "path": "/ds/updateInventory"})
    answer = w.ok("POST", "/updateInventory", {"inventory": [{"sku": a, "quantity": before + 3},
                                                               {"sku": b, "quantity": before + 4},
                                                               {"sku": c, "quantity": before + 5}]})
    assert answer["success"] == [{"sku": a, "quantity": before + 3}, {"sku": c, "quantity": before + 5}]
    assert answer["failed_items"] == [{"sku": b, "quantity": before + 4,
                                       "error_message": f"sku {b} could not be updated now: send it again"}]
    assert w.product(a)["quantity"] == before + 3 and w.product(b)["quantity"] == before
    assert w.product(c)["quantity"] == before + 5
    [note] = last_faults(w, "/ds/updateInventory")
    assert (note["rule_id"], note["kind"], note["sku"]) == (rule["id"], "line_failure", b)
    w.sim.control("DELETE", f"/faults/{rule['id']}")
    again = w.ok("POST", "/updateInventory", {"inventory": [{"sku": b, "quantity": before + 4}]})
    assert again["failed_items"] == [] and w.product(b)["quantity"] == before + 4


def test_line_failure_of_the_only_sku_of_a_stock_push_applies_nothing(w):
    """Alone in the call, the failed line leaves nothing applied: answered as any push where no line applied (a
    4xx with the per-line reasons)."""
    sku = w.skus()[0]
    before = w.product(sku)["quantity"]
    add(w, {"kind": "line_failure", "sku": sku, "error_message": "inventory service busy"},
        match={"method": "POST", "path": "/ds/updateInventory"})
    r = w.ds("POST", "/updateInventory", {"inventory": [{"sku": sku, "quantity": before + 1}]})
    body = assert_error(r, 400, field="inventory")
    assert body["failed_items"] == [{"sku": sku, "quantity": before + 1, "error_message": "inventory service busy"}]
    assert w.product(sku)["quantity"] == before


def test_line_failure_of_a_sku_not_in_the_push_or_unknown_changes_nothing(w):
    a, b = w.skus()[:2]
    add(w, {"kind": "line_failure", "sku": "NO-SUCH-SKU"}, match={"method": "POST", "path": "/ds/updateInventory"})
    answer = w.ok("POST", "/updateInventory", {"inventory": [{"sku": a, "quantity": 9}, {"sku": "NO-SUCH-SKU",
                                                                                        "quantity": 1}]})
    assert answer["success"] == [{"sku": a, "quantity": 9}]
    assert "unknown sku NO-SUCH-SKU" in answer["failed_items"][0]["error_message"]  # AJIO's own reason stays
    assert w.ok("POST", "/updateInventory", {"inventory": [{"sku": b, "quantity": 4}]})["failed_items"] == []


# -- Dropship's RTO creation answered FAILED inside a 200 (line_failure on POST /ds/return/rto) ----------------
def _rto(w: World, order_id: str) -> dict:
    [line, *_] = w.order(order_id)["order_lines"]
    return {"order_id": order_id, "order_items": [{"order_item_id": line["order_item_id"], "quantity": 1,
                                                   "qc_code": "GOOD"}]}


def _rtos(w: World, order_id: str) -> list[dict]:
    return [r for r in w.ok("GET", f"/returns?orderIds={order_id}")["returns"] if r["return_type"] == "RTO"]


def test_line_failure_answers_an_rto_creation_failed_in_a_200_and_creates_nothing(w):
    """API.md "Create RTO": `{status: SUCCESS|FAILED, return_order_id, error_message}`: a FAILED is a 200 that
    created nothing; the next creation (the fault spent) goes through."""
    order = w.one("DISPATCHED")
    rule = add(w, {"kind": "line_failure", "error_message": "return service busy"},
               match={"method": "POST", "path": "/ds/return/rto"}, times=1)
    r = w.ds("POST", "/return/rto", _rto(w, order.order_id))
    assert r.status == 200 and r.json == {"status": "FAILED", "return_order_id": None,
                                          "error_message": "return service busy"}, r.content
    assert _rtos(w, order.order_id) == []
    [note] = last_faults(w, "/ds/return/rto")
    assert (note["rule_id"], note["kind"], note["order_id"], note["answered"]) == (
        rule["id"], "line_failure", order.order_id, "FAILED")
    again = w.ok("POST", "/return/rto", _rto(w, order.order_id))
    assert again["status"] == "SUCCESS" and [x["return_order_id"] for x in _rtos(w, order.order_id)] == [
        again["return_order_id"]]


def test_line_failure_on_rto_creation_with_order_id_fails_that_order_only(w):
    a, b = w.one("DISPATCHED"), w.one("DISPATCHED")
    add(w, {"kind": "line_failure", "order_id": b.order_id}, match={"method": "POST", "path": "/ds/return/rto"})
    assert w.ok("POST", "/return/rto", _rto(w, a.order_id))["status"] == "SUCCESS"
    assert "skipped" in last_faults(w, "/ds/return/rto")[0]
    failed = w.ds("POST", "/return/rto", _rto(w, b.order_id)).json
    assert failed["status"] == "FAILED" and "send it again" in failed["error_message"]
    assert _rtos(w, b.order_id) == []


def test_line_failure_on_rto_creation_still_checks_the_token_and_body(w):
    """The FAILED is AJIO's answer to a good request: a bad one is refused as ever (nothing is failed)."""
    add(w, {"kind": "line_failure"}, match={"method": "POST", "path": "/ds/return/rto"})
    order = w.one("DISPATCHED")
    r = w.ds("POST", "/return/rto", {"order_id": order.order_id, "order_items": [
        {"order_item_id": "00000000000000000", "quantity": 1, "qc_code": "GOOD"}]})
    assert r.status == 400 and _rtos(w, order.order_id) == []


def test_line_failure_on_rto_creation_replays_a_creation_already_taken(w):
    """Like a manifest line already manifested: a retry of an RTO AJIO created is answered as created."""
    order = w.one("DISPATCHED")
    created = w.ok("POST", "/return/rto", _rto(w, order.order_id))
    add(w, {"kind": "line_failure"}, match={"method": "POST", "path": "/ds/return/rto"})
    again = w.ok("POST", "/return/rto", _rto(w, order.order_id))
    assert (again["status"], again["return_order_id"]) == ("SUCCESS", created["return_order_id"])


def test_line_failure_on_rto_creation_names_no_sku(w):
    r = w.sim.control("POST", "/faults", {"effects": [{"kind": "line_failure", "sku": "AJ-1"}],
                                          "match": {"method": "POST", "path": "/ds/return/rto"}})
    assert r.status == 400 and "names order_id" in r.content.decode()


# -- a value AJIO added to an enum ----------------------------------------------------------------------
def test_unknown_value_changes_the_first_listed_item_holding_the_field(w):
    first, second = w.place(2)
    rule = add(w, {"kind": "unknown_value", "field": "status"}, match={"method": "GET", "path": "/ds/orders"}, times=1)
    orders = {o["order_id"]: o for o in w.ok("GET", f"/orders?orderIds={first},{second}")["orders"]}
    assert orders[first]["status"] == "NEW_VALUE_FROM_AJIO" and orders[second]["status"] == "CREATED"
    assert last_faults(w, "/ds/orders") == [{"rule_id": rule["id"], "name": None, "kind": "unknown_value",
                                                      "field": "status", "was": "CREATED",
                                                      "now": "NEW_VALUE_FROM_AJIO"}]
    again = w.ok("GET", f"/orders?orderIds={first},{second}")["orders"]
    assert {o["status"] for o in again} == {"CREATED"}  # spent: as before
    assert w.pending(first) is not None  # the pendency (no status in it) never changed
    assert w.ds("GET", f"/orders?orderIds={first}").headers.get("X-Ajio-Sim-Fault") is None


def test_unknown_value_names_its_item_and_value_and_leaves_the_world_alone(w):
    first, second = w.place(2)
    add(w, {"kind": "unknown_value", "field": "status", "value": "ON_HOLD_FOR_KYC", "item": {"order_id": second}},
        match={"method": "GET", "path": "/ds/orders"})
    orders = {o["order_id"]: o["status"] for o in w.ok("GET", f"/orders?orderIds={first},{second}")["orders"]}
    assert orders == {first: "CREATED", second: "ON_HOLD_FOR_KYC"}
    assert w.acknowledge(second).status == 200  # only the answer said so: AJIO's order is as it was


def test_unknown_value_without_a_match_is_noted_and_changes_nothing(w):
    [first] = w.place(1)
    add(w, {"kind": "unknown_value", "field": "no_such_key"}, match={"method": "GET", "path": "/ds/orders"}, times=1)
    w.ok("GET", f"/orders?orderIds={first}")
    assert last_faults(w, "/ds/orders")[0]["skipped"] == ("no listed item with no_such_key and no such field in the "
                                                          "answer itself")


def test_unknown_value_reaches_the_top_of_an_answer_that_lists_no_item_with_the_field(w):
    """An answer about one thing (its tracking, a VMS order's documents, a QC's outcome) carries the value itself."""
    order = w.one("READY_TO_DISPATCH")
    path = f"/orders/{order.order_id}/tracking"
    add(w, {"kind": "unknown_value", "field": "carrier", "item": {"order_id": order.order_id}},
        match={"method": "GET", "path": "/ds/orders/*/tracking"})
    answer = w.ok("GET", path)
    assert answer["carrier"] == "NEW_VALUE_FROM_AJIO" and answer["status"] == "READY_TO_DISPATCH"
    assert w.ds("GET", path).headers.get("X-Ajio-Sim-Fault") == "unknown_value"
    assert last_faults(w, f"/ds{path}")[0]["was"] == order.label["carrier"]


def test_unknown_value_prefers_a_listed_item_to_the_top_of_the_answer(w):
    order = w.one("READY_TO_DISPATCH")
    w.sim.control("POST", f"/orders/{order.order_id}/pickup", expect=200)
    add(w, {"kind": "unknown_value", "field": "status"}, match={"method": "GET", "path": "/ds/orders/*/tracking"})
    answer = w.ok("GET", f"/orders/{order.order_id}/tracking")
    assert answer["events"][0]["status"] == "NEW_VALUE_FROM_AJIO" and answer["status"] == "DISPATCHED"


@pytest.mark.parametrize("effect, field", [
    ({"kind": "unknown_value"}, "field"),
    ({"kind": "unknown_value", "field": "a.b"}, "field"),
    ({"kind": "unknown_value", "field": "status", "item": {}}, "item"),
    ({"kind": "unknown_value", "field": "status", "value": ""}, "value"),
    ({"kind": "unknown_value", "field": "status", "order_id": "FN1"}, "order_id"),
])
def test_unknown_value_bad_options_are_refused_naming_the_field(w, effect, field):
    assert_error(w.sim.control("POST", "/faults", {"effects": [effect]}), 400, field=f"effects[0].{field}")


# -- the customer cancels right after a call -------------------------------------------------------------
def test_customer_cancel_cancels_the_order_right_after_the_matched_answer(w):
    """The pendency read lists the order; right after it, the customer cancels: the answer was true when given, and
    an acknowledgement sent after it is refused (the order is cancelled)."""
    first, second = w.place(2)
    rule = add(w, {"kind": "customer_cancel", "order_id": first},
               match={"method": "GET", "path": "/ds/orders/pendency"}, times=1)
    listed = {o["order_id"] for o in w.ok("GET", "/orders/pendency")["orders"]}
    assert {first, second} <= listed
    assert last_faults(w, "/ds/orders/pendency") == [{"rule_id": rule["id"], "name": None, "kind": "customer_cancel",
                                                      "order_id": first, "lines": "all"}]
    assert w.order(first)["status"] == "CANCELLED" and w.order(second)["status"] == "CREATED"
    assert w.acknowledge(first).status >= 400


def test_customer_cancel_of_lines_leaves_the_rest_open(w):
    order_id = w.place_lines(3)
    [line] = w.order(order_id)["order_lines"]
    add(w, {"kind": "customer_cancel", "order_id": order_id,
            "lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]},
        match={"method": "GET", "path": "/ds/orders/pendency"}, times=1)
    w.ok("GET", "/orders/pendency")
    order = w.order(order_id)
    [line] = order["order_lines"]
    assert order["status"] == "CREATED", order
    assert (line["ordered_quantity"], line["customer_cancelled_qty"], line["quantity"]) == (3, 1, 2), line


def test_customer_cancel_the_world_refuses_is_noted_as_skipped(w):
    [order_id] = w.place()
    add(w, {"kind": "customer_cancel", "order_id": order_id},
        match={"method": "GET", "path": "/ds/orders/pendency"}, times=2)
    w.ok("GET", "/orders/pendency")
    w.ok("GET", "/orders/pendency")   # cancelled already: the world refuses a second cancellation
    [fault] = last_faults(w, "/ds/orders/pendency")
    assert fault["kind"] == "customer_cancel" and "not allowed" in fault["skipped"], fault


def test_customer_cancel_needs_an_order_and_takes_only_its_options(w):
    r = w.sim.control("POST", "/faults", {"effects": [{"kind": "customer_cancel"}]})
    assert r.status == 400 and "order_id" in r.content.decode()
    r = w.sim.control("POST", "/faults", {"effects": [{"kind": "customer_cancel", "order_id": "FN1", "minutes": 3}]})
    assert r.status == 400 and "minutes" in r.content.decode()
