"""Courier tracking of Dropship shipments (seed 003 step 9): milestones, failed attempts, RTO after the last."""
from __future__ import annotations

import pytest
from dsworld import DAY, Order, World, assert_error

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app

HOUR = 3600


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def tracking(w: World, order_id: str) -> dict:
    return w.ok("GET", f"/orders/{order_id}/tracking")


def statuses(w: World, order_id: str) -> list[str]:
    return [e["status"] for e in tracking(w, order_id)["events"]]


def attempt(w: World, order_id: str, reason: str = "CUSTOMER_NOT_AVAILABLE", expect: int = 200):
    return w.sim.control("POST", f"/orders/{order_id}/delivery-attempt", {"reason": reason}, expect=expect)


def test_tracking_before_pickup_is_empty(w):
    """Not grounded (docs/dropship.md): no milestone before the courier picks the parcel up."""
    order = w.one("READY_TO_DISPATCH")
    answer = tracking(w, order.order_id)
    assert (answer["status"], answer["shipment_status"], answer["delivery_attempts"], answer["events"]) == (
        "READY_TO_DISPATCH", None, 0, [])
    assert answer["tracking_number"] == order.label["tracking_number"] and answer["carrier"] == order.label["carrier"]


def test_tracking_milestones_appear_as_the_clock_moves_exact_profile(w):
    """Seed 003 step 9: pickup, in transit, destination hub, out for delivery, delivered, each with time and place."""
    order = w.one("DISPATCHED")
    picked = tracking(w, order.order_id)["events"][0]
    assert picked["status"] == "PICKED_UP" and picked["location"]
    w.advance(3 * DAY * 10 // 100)
    assert statuses(w, order.order_id) == ["PICKED_UP", "IN_TRANSIT"]
    w.advance(3 * DAY * 95 // 100 - 3 * DAY * 10 // 100)
    assert statuses(w, order.order_id) == ["PICKED_UP", "IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY"]
    assert w.order(order.order_id)["status"] == "DISPATCHED"
    w.advance(3 * DAY - 3 * DAY * 95 // 100 - 1)
    assert w.order(order.order_id)["status"] == "DISPATCHED"  # one second before: not yet
    w.advance(1)
    events = tracking(w, order.order_id)["events"]
    assert [e["status"] for e in events][-1] == "DELIVERED" and events[-1]["at"] == picked["at"] + 3 * DAY
    listed = w.order(order.order_id)
    assert (listed["status"], listed["shipment_status"], listed["delivery_attempts"]) == ("DELIVERED", "DELIVERED", 0)


def test_tracking_one_jump_equals_many_small_waits(sim):
    """Timers are due times: advancing 3 days at once shows what waiting hour by hour shows."""
    def world_after(steps: list[int]) -> tuple[list[dict], list]:
        app = create_app({"db_url": "sqlite://", "seed": 7, "frozen_at": T0})
        w = World.new(Sim(FlaskTransport(app.test_client())))
        order = w.one("DISPATCHED")
        for seconds in steps:
            w.sim.advance(seconds)
        w.relogin()
        return tracking(w, order.order_id)["events"], [(t["to"], t["at"]) for t in w.state(order.order_id)["timeline"]]

    assert world_after([3 * DAY + HOUR]) == world_after([HOUR] * 73)


def test_delivery_attempt_keeps_the_order_dispatched_with_its_reason(w):
    """A failed attempt is a milestone, not an outcome (DS-FAILED-ATTEMPT-NOT-FINAL)."""
    order = w.one("DISPATCHED")
    answer = attempt(w, order.order_id, "ADDRESS_ISSUE").json
    assert (answer["status"], answer["delivery_attempts"], answer["return_order_id"]) == ("DISPATCHED", 1, None)
    last = tracking(w, order.order_id)["events"][-1]
    assert (last["status"], last["reason"]) == ("DELIVERY_ATTEMPTED", "ADDRESS_ISSUE")
    listed = w.order(order.order_id)
    assert (listed["status"], listed["shipment_status"], listed["delivery_attempts"]) == (
        "DISPATCHED", "DELIVERY_ATTEMPTED", 1)
    assert w.ok("GET", "/returns")["returns"] == []


def test_delivery_attempt_then_next_day_delivery_exact_profile(w):
    """After a failed attempt the courier comes back a day later (exact profile: and delivers)."""
    order = w.one("DISPATCHED")
    attempt(w, order.order_id)
    w.advance(DAY - 1)
    assert w.order(order.order_id)["status"] == "DISPATCHED"
    w.advance(1)
    assert statuses(w, order.order_id)[-2:] == ["OUT_FOR_DELIVERY", "DELIVERED"]
    assert w.order(order.order_id)["status"] == "DELIVERED"


def test_planned_delivery_is_void_once_an_attempt_failed(w):
    """The pickup's plan (delivery at 3 days) gives way to the failed attempt's: no delivery at 3 days."""
    order = w.one("DISPATCHED")
    w.advance(2 * DAY + 20 * HOUR)
    attempt(w, order.order_id)
    w.advance(4 * HOUR)  # the original plan's delivery time
    assert w.order(order.order_id)["status"] == "DISPATCHED"
    assert statuses(w, order.order_id).count("DELIVERED") == 0


def test_third_failed_attempt_returns_the_parcel_to_origin(w):
    """After the last attempt allowed (3) the courier gives up: AJIO raises the RTO expectation (seed 000 14.2)."""
    order = w.one("DISPATCHED")
    for reason in ("CUSTOMER_NOT_AVAILABLE", "ADDRESS_ISSUE"):
        attempt(w, order.order_id, reason)
        w.advance(HOUR)
    answer = attempt(w, order.order_id, "REFUSED").json
    assert answer["delivery_attempts"] == 3 and answer["return_order_id"]
    [ret] = w.ok("GET", "/returns?returnType=RTO")["returns"]
    assert (ret["return_order_id"], ret["order_id"], ret["return_status"]) == (
        answer["return_order_id"], order.order_id, "RETURN_CREATED")
    events = tracking(w, order.order_id)["events"]
    assert events[-1]["status"] == "RTO_INITIATED" and events[-1]["reason"] == "REFUSED"
    assert w.order(order.order_id)["status"] == "DISPATCHED"  # RTO shows as DISPATCHED to connectors
    w.advance(3 * DAY)  # RTO transit (exact profile): back at the seller's warehouse
    assert tracking(w, order.order_id)["shipment_status"] == "RTO_DELIVERED"
    assert w.ok("GET", f"/returns?returnOrderIds={ret['return_order_id']}")["returns"][0]["return_status"] == \
        "RETURN_DELIVERED"


def test_max_delivery_attempts_is_a_world_setting(w):
    w.sim.control("PUT", "/timing", {"max_delivery_attempts": 1}, expect=200)
    order = w.one("DISPATCHED")
    assert attempt(w, order.order_id).json["return_order_id"]


def test_delivery_attempt_before_pickup_refused_naming_the_rule(w):
    order = w.one("READY_TO_DISPATCH")
    r = attempt(w, order.order_id, expect=None)
    assert_error(r, 409, code="ILLEGAL_TRANSITION", field="status", message="out with the courier",
                 rule="DS-COURIER-AFTER-MANIFEST")
    assert tracking(w, order.order_id)["events"] == []


def test_delivery_attempt_after_delivery_refused(w):
    order = w.one("DELIVERED")
    assert_error(attempt(w, order.order_id, expect=None), 409, code="ILLEGAL_TRANSITION",
                 rule="DS-COURIER-AFTER-MANIFEST")


def test_delivery_attempt_unknown_reason_refused_naming_the_field(w):
    order = w.one("DISPATCHED")
    r = w.sim.control("POST", f"/orders/{order.order_id}/delivery-attempt", {"reason": "DOG_ATE_IT"})
    assert_error(r, 400, code="VALIDATION_FAILED", field="reason")
    assert tracking(w, order.order_id)["delivery_attempts"] == 0


def test_cod_not_ready_on_a_prepaid_order_refused(sim):
    w = World.new(sim)
    [order_id] = w.sim.place(w.pob_id, payment_method="PREPAID")
    w.drive_existing([Order(order_id)], "DISPATCHED")
    r = w.sim.control("POST", f"/orders/{order_id}/delivery-attempt", {"reason": "COD_NOT_READY"})
    assert_error(r, 400, code="VALIDATION_FAILED", field="reason", message="prepaid")


def test_scan_injected_by_qa_and_the_shipment_never_goes_back(w):
    order = w.one("DISPATCHED")
    w.advance(HOUR)
    r = w.sim.control("POST", f"/orders/{order.order_id}/scan", {"milestone": "OUT_FOR_DELIVERY", "location": "Pune"},
                      expect=200)
    assert r.json["shipment_status"] == "OUT_FOR_DELIVERY"
    w.advance(2 * DAY)  # the plan's IN_TRANSIT and destination-hub scans (ranked before) were dropped
    assert statuses(w, order.order_id) == ["PICKED_UP", "OUT_FOR_DELIVERY"]
    assert tracking(w, order.order_id)["events"][-1]["location"] == "Pune"


def test_scan_of_an_outcome_refused(w):
    order = w.one("DISPATCHED")
    r = w.sim.control("POST", f"/orders/{order.order_id}/scan", {"milestone": "DELIVERED"})
    assert_error(r, 400, code="VALIDATION_FAILED", field="milestone")


def test_forced_delivery_ends_the_plan(w):
    order = w.one("DISPATCHED")
    w.sim.control("POST", f"/orders/{order.order_id}/deliver", expect=200)
    w.advance(4 * DAY)
    assert statuses(w, order.order_id) == ["PICKED_UP", "DELIVERED"]


def test_control_plane_rto_takes_a_reason_only(w):
    """README: POST /_sim/orders/{id}/rto takes {} or {"reason"}; lines belong to customer returns."""
    order = w.one("DISPATCHED")
    r = w.sim.control("POST", f"/orders/{order.order_id}/rto", {"lines": []})
    assert_error(r, 400, code="VALIDATION_FAILED", field="lines")
    r = w.sim.control("POST", f"/orders/{order.order_id}/rto", {"reason": "REFUSED"}, expect=201)
    assert r.json["return_order_id"]
    last = tracking(w, order.order_id)["events"][-1]
    assert (last["status"], last["reason"]) == ("RTO_INITIATED", "REFUSED")


def test_tracking_of_another_pobs_order_is_404(sim, w):
    order = w.one("DISPATCHED")
    other = World.new(sim)
    assert_error(other.ds("GET", f"/orders/{order.order_id}/tracking"), 404, code="NOT_FOUND", field="order_id")


def test_control_plane_tracking_shows_the_plan(w):
    order = w.one("DISPATCHED")
    state = w.sim.control("GET", f"/orders/{order.order_id}/tracking", expect=200).json
    assert [e["status"] for e in state["planned"]] == ["IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY",
                                                       "DELIVERED"]
    assert state["due"]["event"] == "deliver" and state["due"]["at"] == state["planned"][-1]["at"]
    assert w.state(order.order_id)["tracking"]["planned"] == state["planned"]
