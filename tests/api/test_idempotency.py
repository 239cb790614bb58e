"""Every mutating Dropship call, repeated: the same payload answers the first result and changes nothing;
another payload is refused with CONFLICTING_REPEAT naming the field (issue 8; API.md's retrying clients)."""
from __future__ import annotations

import pytest
from dsworld import CREDIT_NOTE_DELAY, World, assert_error

from fixtures.simclient import PARCEL


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def repeat_is_replay(w: World, method: str, path: str, body, first, order_ids=(), return_ids=()):
    """The repeat answers exactly the first answer and leaves every record, timeline and document as it was."""
    before = w.snapshot(order_ids, return_ids)
    again = w.ds(method, path, body)
    assert again.status == 200, again.content
    assert again.json == first
    assert w.snapshot(order_ids, return_ids) == before


def refused_as_conflicting(w: World, method: str, path: str, body, field: str, order_ids=(), return_ids=(),
                           rule: str = "API-IDEMPOTENT-REPEAT"):
    before = w.snapshot(order_ids, return_ids)
    out = assert_error(w.ds(method, path, body), 409, code="CONFLICTING_REPEAT", field=field, rule=rule)
    assert "first payload" in out["error_message"]
    assert w.snapshot(order_ids, return_ids) == before
    return out


def ack(order_id: str, lines=()) -> dict:
    return {"order_id": order_id, "status": "Acknowledge", "order_lines": list(lines)}


def line(item: str, confirmed: int, cancelled: int = 0) -> dict:
    return {"order_item_id": item, "confirmed_quantity": confirmed, "cancelled_quantity": cancelled}


# -- acknowledge ------------------------------------------------------------------------------------
def test_acknowledge_repeat_answers_first_result(w):
    order_id = w.place_lines(2)
    [item] = [l["order_item_id"] for l in w.pending(order_id)["order_lines"]]
    first = w.ok("POST", "/orders", ack(order_id, [line(item, 1, 1)]))
    repeat_is_replay(w, "POST", "/orders", ack(order_id, [line(item, 1, 1)]), first, [order_id])


def test_acknowledge_repeat_with_other_cancelled_quantity_conflicts(w):
    order_id = w.place_lines(2)
    [item] = [l["order_item_id"] for l in w.pending(order_id)["order_lines"]]
    w.ok("POST", "/orders", ack(order_id, [line(item, 1, 1)]))
    body = refused_as_conflicting(w, "POST", "/orders", ack(order_id, [line(item, 1, 0)]),
                                  "order_lines[0].cancelled_quantity", [order_id])
    assert "= 1" in body["error_message"] and "sends 0" in body["error_message"]


def test_acknowledge_partial_repeat_conflict_while_other_lines_pend(w):
    """Some lines acknowledged, others pending: a differing repeat of an acknowledged line alone is refused."""
    order_id = w.place_lines(2, 1)
    first_item, _ = [l["order_item_id"] for l in w.pending(order_id)["order_lines"]]
    w.ok("POST", "/orders", ack(order_id, [line(first_item, 2)]))
    body = refused_as_conflicting(w, "POST", "/orders", ack(order_id, [line(first_item, 1, 1)]),
                                  "order_lines[0].confirmed_quantity", [order_id])
    assert body["failed_items"][0]["order_item_id"] == first_item


# -- seller cancellation -----------------------------------------------------------------------------
def test_seller_cancel_repeat_answers_first_result(w):
    [order_id] = w.place()
    body = {"order_id": order_id, "status": "Cancel", "order_lines": []}
    first = w.ok("POST", "/orders", body)
    repeat_is_replay(w, "POST", "/orders", body, first, [order_id])


def test_seller_cancel_repeat_with_other_lines_conflicts(w):
    order_id = w.place_lines(1)
    [item] = [l["order_item_id"] for l in w.pending(order_id)["order_lines"]]
    w.ok("POST", "/orders", {"order_id": order_id, "status": "Cancel", "order_lines": []})
    refused_as_conflicting(w, "POST", "/orders", {"order_id": order_id, "status": "Cancel", "order_lines": [
        {"order_item_id": item, "cancelled_quantity": 1}]}, "order_lines", [order_id])


# -- invoice ---------------------------------------------------------------------------------------
def test_invoice_repeat_answers_first_invoice_no_second_number(w):
    order = w.one("INVOICED")
    repeat_is_replay(w, "POST", f"/orders/{order.order_id}/invoice", {}, order.invoice, [order.order_id])
    kinds = [d["kind"] for d in w.state(order.order_id)["documents"]]
    assert kinds.count("b2b_invoice") == 1


# -- label -----------------------------------------------------------------------------------------
def test_label_repeat_answers_first_awb_no_second_label(w):
    order = w.one("PACKED")
    repeat_is_replay(w, "POST", f"/orders/{order.order_id}/label", dict(PARCEL), order.label, [order.order_id])
    kinds = [d["kind"] for d in w.state(order.order_id)["documents"]]
    assert kinds.count("label") == 1 and kinds.count("b2c_invoice") == 1


@pytest.mark.parametrize("key", ["weight_grams", "length_cm", "breadth_cm", "height_cm"])
def test_label_repeat_with_other_parcel_conflicts_naming_the_field(w, key):
    order = w.one("PACKED")
    # One order ships as one package: another parcel for it would be a split (seed 000 point 5).
    refused_as_conflicting(w, "POST", f"/orders/{order.order_id}/label", {**PARCEL, key: PARCEL[key] + 1}, key,
                           [order.order_id], rule="DS-NO-ORDER-SPLIT")


# -- dispatch --------------------------------------------------------------------------------------
def manifests(w: World) -> list[str]:
    states = [w.state(o["order_id"]) for o in w.sim.control("GET", f"/orders?pob_id={w.pob_id}&size=50").json["orders"]]
    return sorted({s["manifest_id"] for s in states if s["manifest_id"]})


def test_dispatch_repeat_answers_first_manifest_no_second_entry(w):
    orders = w.drive("READY_TO_DISPATCH", 2, carrier="Delhivery")
    body = {"dispatchItems": [o.dispatch_item for o in orders]}
    repeat_is_replay(w, "POST", "/orders/dispatch", body, orders[0].manifest, [o.order_id for o in orders])
    assert manifests(w) == [orders[0].manifest["manifest_id"]]


def test_dispatch_repeat_with_part_of_the_manifest_conflicts(w):
    first, second = w.drive("READY_TO_DISPATCH", 2, carrier="Delhivery")
    refused_as_conflicting(w, "POST", "/orders/dispatch", {"dispatchItems": [first.dispatch_item]}, "dispatchItems",
                           [first.order_id, second.order_id])


def test_dispatch_repeat_mixing_new_orders_conflicts(w):
    first, = w.drive("READY_TO_DISPATCH", 1, carrier="Delhivery")
    new, = w.drive("PACKED", 1, carrier="Delhivery")
    refused_as_conflicting(w, "POST", "/orders/dispatch", {"dispatchItems": [first.dispatch_item, new.dispatch_item]},
                           "dispatchItems", [first.order_id, new.order_id])


# -- QC ----------------------------------------------------------------------------------------------
def test_qc_repeat_answers_first_result(w):
    _, return_id = w.arrived_return()
    body = w.qc_all(return_id)
    first = w.ok("POST", f"/returns/{return_id}/qc", body)
    repeat_is_replay(w, "POST", f"/returns/{return_id}/qc", body, first, return_ids=[return_id])


def test_qc_repeat_with_other_reason_conflicts(w):
    _, return_id = w.arrived_return()
    body = w.qc_all(return_id, "BAD")
    for item in body["items"]:
        item["reason"] = "PACKAGING_DAMAGE"
    w.ok("POST", f"/returns/{return_id}/qc", body)
    for item in body["items"]:
        item["reason"] = "USED_PRODUCT"
    refused_as_conflicting(w, "POST", f"/returns/{return_id}/qc", body, "items", return_ids=[return_id])


# -- create RTO ------------------------------------------------------------------------------------
def rto(order_id: str, order_line: dict, qc_code: str = "GOOD") -> dict:
    return {"order_id": order_id, "order_items": [{"order_item_id": order_line["order_item_id"], "quantity": 1,
                                                   "qc_code": qc_code, "reason": "parcel back"}]}


def test_create_rto_repeat_answers_first_return_no_second_return(w):
    order = w.one("DISPATCHED", lines=[{"sku": w.skus()[0], "quantity": 1}])
    [order_line] = w.order(order.order_id)["order_lines"]
    first = w.ok("POST", "/return/rto", rto(order.order_id, order_line))
    repeat_is_replay(w, "POST", "/return/rto", rto(order.order_id, order_line), first, [order.order_id],
                     [first["return_order_id"]])
    assert len(w.state(order.order_id)["returns"]) == 1


def test_create_rto_repeat_with_other_qc_conflicts(w):
    order = w.one("DISPATCHED", lines=[{"sku": w.skus()[0], "quantity": 1}])
    [order_line] = w.order(order.order_id)["order_lines"]
    first = w.ok("POST", "/return/rto", rto(order.order_id, order_line))
    refused_as_conflicting(w, "POST", "/return/rto", rto(order.order_id, order_line, "BAD"), "order_items",
                           [order.order_id], [first["return_order_id"]])


# -- credit note and inventory (naturally idempotent) -------------------------------------------------
def test_credit_note_read_twice_is_one_credit_note(w):
    _, return_id = w.arrived_return()
    w.ok("POST", f"/returns/{return_id}/qc", w.qc_all(return_id))
    w.advance(CREDIT_NOTE_DELAY)
    first = w.ok("GET", f"/returns/{return_id}/creditNote")
    assert w.ok("GET", f"/returns/{return_id}/creditNote") == first
    kinds = [d["kind"] for d in w.sim.return_state(return_id)["documents"]]
    assert kinds.count("credit_note") == 1


def test_update_inventory_repeat_is_absolute(w):
    sku = w.skus()[0]
    body = {"inventory": [{"sku": sku, "quantity": 7}]}
    first = w.ok("POST", "/updateInventory", body)
    assert w.ok("POST", "/updateInventory", body) == first
    assert w.product(sku)["quantity"] == 7


def test_acknowledge_differing_repeat_beside_a_new_line_fails_alone(w):
    order_id = w.place_lines(2, 1)
    first_item, second_item = [l["order_item_id"] for l in w.pending(order_id)["order_lines"]]
    w.ok("POST", "/orders", ack(order_id, [line(first_item, 2)]))
    answer = w.ok("POST", "/orders", ack(order_id, [line(first_item, 1, 1), line(second_item, 1)]))
    assert answer["success"] == [second_item]
    [failed] = answer["failed_items"]
    assert failed["order_item_id"] == first_item and "first payload" in failed["error_message"]
    assert w.state(order_id)["status"] == "CONFIRMED"
