"""AJIO's side of a slow Dropship seller: the acknowledgement and dispatch SLAs (docs/dropship.md "SLAs")."""
from __future__ import annotations

import pytest
from dsworld import PO_LAG, World, assert_error

HOUR = 3600
ACK_SLA = 24 * HOUR       # Config.ack_sla (not grounded)
DISPATCH_SLA = 48 * HOUR  # Config.dispatch_sla (Fynd: 100 % dispatched within 48 hours of the order)


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def test_orders_carry_their_sla_deadlines(w):
    [order_id] = w.place()
    placed = w.state(order_id)["order_date"]
    pending = w.pending(order_id)
    assert (pending["acknowledge_by"], pending["dispatch_by"]) == (placed + ACK_SLA, placed + DISPATCH_SLA)
    listed = w.order(order_id)
    assert (listed["acknowledge_by"], listed["dispatch_by"], listed["sla_breached"], listed["cancelled_by"],
            listed["cancellation_reason"]) == (placed + ACK_SLA, placed + DISPATCH_SLA, False, None, None)


def test_unacknowledged_order_cancelled_by_ajio_at_its_acknowledge_by(w):
    sku = w.skus()[0]
    stock = w.product(sku)["quantity"]
    order_id = w.place(lines=[{"sku": sku, "quantity": 2}])[0]
    assert w.product(sku)["quantity"] == stock - 2
    w.advance(ACK_SLA - 1)
    assert w.pending(order_id) is not None  # one second before: still waiting
    w.advance(1)
    assert w.pending(order_id) is None
    listed = w.order(order_id)
    assert (listed["status"], listed["cancelled_by"], listed["cancellation_reason"]) == (
        "CANCELLED", "AJIO", "ACK_SLA_BREACHED")
    assert listed["order_lines"][0]["seller_cancelled_qty"] == 2 and listed["amount_due"] == 0
    assert w.product(sku)["quantity"] == stock  # the units are back in AJIO's view of stock
    assert "not acknowledged within 24 h" in w.state(order_id)["timeline"][-1]["cause"]


def test_acknowledging_after_ajio_cancelled_refused(w):
    [order_id] = w.place()
    w.advance(ACK_SLA)
    assert_error(w.acknowledge(order_id), 409, code="ILLEGAL_TRANSITION", rule="DS-ACK-PENDING-ONLY")


def test_acknowledged_order_outlives_the_acknowledgement_sla(w):
    order = w.one("CONFIRMED")
    w.advance(ACK_SLA)
    assert w.order(order.order_id)["status"] == "CONFIRMED"


def test_ack_sla_turned_off_leaves_orders_pending(w):
    w.sim.control("PUT", "/timing", {"ack_sla": 0}, expect=200)
    [order_id] = w.place()
    assert w.pending(order_id)["acknowledge_by"] is None
    w.advance(10 * 24 * HOUR)
    assert w.pending(order_id) is not None


def test_ack_sla_turned_off_after_placement_cancels_nothing(w):
    """The deadline is set at placement; a setting turned off later makes its timer a no-op."""
    [order_id] = w.place()
    w.sim.control("PUT", "/timing", {"ack_sla": 0}, expect=200)
    w.advance(ACK_SLA + HOUR)
    assert w.pending(order_id) is not None


def test_unmanifested_order_flagged_at_its_dispatch_by(w):
    order = w.one("PACKED")
    w.advance(DISPATCH_SLA - PO_LAG - 1)
    assert w.order(order.order_id)["sla_breached"] is False
    w.advance(1)
    listed = w.order(order.order_id)
    assert (listed["status"], listed["sla_breached"], listed["cancelled_by"]) == ("PACKED", True, None)
    last = w.state(order.order_id)["timeline"][-1]
    assert (last["from"], last["to"]) == ("PACKED", "PACKED") and "dispatch SLA breached" in last["cause"]
    # Flagged, not stopped: the order can still be manifested.
    assert w.ok("POST", "/orders/dispatch", {"dispatchItems": [order.dispatch_item]})["manifest_id"]


def test_dispatch_sla_cancels_even_a_packed_order_when_configured(w):
    w.sim.control("PUT", "/timing", {"dispatch_sla_cancel": True}, expect=200)
    order = w.one("PACKED")
    w.advance(DISPATCH_SLA - PO_LAG)
    listed = w.order(order.order_id)
    assert (listed["status"], listed["sla_breached"], listed["cancelled_by"], listed["cancellation_reason"]) == (
        "CANCELLED", True, "AJIO", "DISPATCH_SLA_BREACHED")
    assert listed["order_lines"][0]["seller_short_picked_qty"] == listed["order_lines"][0]["ordered_quantity"]
    r = w.ds("POST", "/orders/dispatch", {"dispatchItems": [order.dispatch_item]})
    assert r.status == 400 and "CANCELLED" in r.json["failedDispatchItems"][0]["error_message"]


def test_manifested_order_is_not_flagged(w):
    w.sim.control("PUT", "/timing", {"dispatch_sla_cancel": True}, expect=200)
    order = w.one("READY_TO_DISPATCH")
    w.advance(DISPATCH_SLA)
    listed = w.order(order.order_id)
    assert listed["sla_breached"] is False and listed["status"] in ("READY_TO_DISPATCH", "DISPATCHED")


def test_customer_and_seller_cancellations_name_who_cancelled(w):
    [by_customer, by_seller] = w.place(2)
    w.sim.control("POST", f"/orders/{by_customer}/customer-cancel", {}, expect=200)
    w.ds("POST", "/orders", {"order_id": by_seller, "status": "Cancel", "order_lines": []})
    assert [w.order(o)["cancelled_by"] for o in (by_customer, by_seller)] == ["CUSTOMER", "SELLER"]


def test_timing_settings_read_and_changed(w):
    settings = w.sim.control("GET", "/timing", expect=200).json
    assert {k: settings[k] for k in ("profile", "ack_sla", "dispatch_sla", "dispatch_sla_cancel",
                                     "max_delivery_attempts")} == {
        "profile": "exact", "ack_sla": ACK_SLA, "dispatch_sla": DISPATCH_SLA, "dispatch_sla_cancel": False,
        "max_delivery_attempts": 3}
    changed = w.sim.control("PUT", "/timing", {"profile": "realistic", "ack_sla": 3600}, expect=200).json
    assert (changed["profile"], changed["ack_sla"], changed["dispatch_sla"]) == ("realistic", 3600, DISPATCH_SLA)
    assert changed["realistic"]["customer_return_share"] == 0.25


@pytest.mark.parametrize("body,field", [({"profile": "fast"}, "profile"), ({"ack_sla": -1}, "ack_sla"),
                                        ({"max_delivery_attempts": 0}, "max_delivery_attempts"),
                                        ({"speed": 2}, "speed")])
def test_timing_bad_settings_refused_naming_the_field(w, body, field):
    assert_error(w.sim.control("PUT", "/timing", body), 400, code="VALIDATION_FAILED", field=field)
    assert w.sim.control("GET", "/timing", expect=200).json["profile"] == "exact"


def test_reset_world_returns_to_the_configured_timing(w):
    w.sim.control("PUT", "/timing", {"profile": "realistic"}, expect=200)
    w.sim.control("POST", "/reset", {}, expect=200)
    assert w.sim.control("GET", "/timing", expect=200).json["profile"] == "exact"
