"""Each soak invariant (harness/soak/invariants.py) fails when its rule is broken and holds when it is kept.

The checker is fed a hand-made world (orders, returns with their stamps) and hand-made wire calls, so
each test states one situation and the rule id it must name.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

from harness.soak.config import HOUR, SoakConfig
from harness.soak.invariants import Checker
from harness.soak.tap import Call
from harness.soak.traffic import Fate
from harness.soak.world import Order, Return

T0 = 1_767_551_400
FATE = Fate(0, T0, None, False, "deliver", 0, None, False, "SIZE_FIT_ISSUES", None, "GOOD")


def _world(*orders: Order, returns: tuple[Return, ...] = (), missing=None):
    return SimpleNamespace(orders={o.order_id: o for o in orders}, returns={r.return_order_id: r for r in returns},
                           dirty_orders={o.order_id for o in orders}, dirty_returns={r.return_order_id for r in returns},
                           missing=dict(missing or {}), tap=SimpleNamespace(tick=0))


def _order(order_id="FN1", *, status="CREATED", acked=False, **stamps) -> Order:
    o = Order(order_id, 0, FATE, T0, status=status)
    o.lines = [{"order_item_id": "1", "sku": "SKU-A", "ordered_quantity": 1, "acknowledged": acked,
                "customer_cancelled_qty": 0, "seller_cancelled_qty": 0, "seller_short_picked_qty": 0}]
    o.stamps.update(stamps)
    return o


def _checker(world, **cfg) -> Checker:
    checker = Checker(SoakConfig(days=1, orders_per_day=1, **cfg), world)
    checker.world_changed()
    return checker


_seq = iter(range(1, 10_000))


def _call(method, path, status=200, *, tick=0, wall=0.0, token="tokA", body=None, answer=None, query="",
          retry_after=None, rule_id=None, error_code=None, cut=False, bad_body=False) -> Call:
    return Call(next(_seq), tick, wall, method, path, query, status, token, retry_after, 0.001, 0.001,
                request_body=json.dumps(body).encode() if body is not None else None,
                answer=json.dumps(answer).encode() if answer is not None else None, error_code=error_code,
                rule_id=rule_id, cut=cut, bad_body=bad_body)


def _violations(checker: Checker, key: str) -> list:
    return checker.tally[key].kept


# -- deadlines -----------------------------------------------------------------------------------------
def test_ack_in_time_order_never_acknowledged_names_ack_sla():
    checker = _checker(_world(_order()))
    checker.deadlines(24, T0 + 24 * HOUR, T0 + 25 * HOUR)
    [v] = _violations(checker, "ack-in-time")
    assert v.rule_id == "DS-ACK-WITHIN-SLA" and v.order_id == "FN1" and "still CREATED" in v.actual


def test_ack_in_time_acknowledged_within_the_sla_holds():
    checker = _checker(_world(_order(status="CONFIRMED", acked=True, acknowledged=T0 + HOUR)))
    checker.deadlines(24, T0 + 24 * HOUR, T0 + 25 * HOUR)
    assert _violations(checker, "ack-in-time") == [] and checker.tally["ack-in-time"].checks == 1


def test_ack_in_time_judged_only_when_no_later_run_can_meet_it():
    checker = _checker(_world(_order()))
    checker.deadlines(22, T0 + 22 * HOUR, T0 + 23 * HOUR)  # the run at 23:00 still can
    assert checker.tally["ack-in-time"].checks == 0


def test_ack_in_time_cancelled_by_ajio_for_want_of_acknowledgement_is_a_breach():
    order = _order(status="CANCELLED", cancelled=T0 + 24 * HOUR)
    order.ajio_cancelled = True
    checker = _checker(_world(order))
    checker.deadlines(24, T0 + 24 * HOUR, T0 + 25 * HOUR)
    [v] = _violations(checker, "ack-in-time")
    assert "cancelled by AJIO" in v.actual


def test_dispatch_in_time_acknowledged_order_not_manifested_names_dispatch_sla():
    order = _order(status="INVOICED", acked=True, acknowledged=T0 + HOUR, po=T0 + 2 * HOUR, invoiced=T0 + 3 * HOUR)
    checker = _checker(_world(order))
    checker.deadlines(48, T0 + 48 * HOUR, T0 + 49 * HOUR)
    [v] = _violations(checker, "dispatch-in-time")
    assert v.rule_id == "DS-DISPATCH-WITHIN-SLA" and v.actual == "still INVOICED"


def test_dispatch_in_time_manifested_order_holds_and_late_po_is_not_the_connectors():
    shipped = _order("FN1", status="READY_TO_DISPATCH", acked=True, po=T0 + HOUR, manifested=T0 + 5 * HOUR)
    late_po = _order("FN2", status="CONFIRMED", acked=True, po=T0 + 47 * HOUR)
    checker = _checker(_world(shipped, late_po))
    checker.deadlines(48, T0 + 48 * HOUR, T0 + 49 * HOUR)
    assert _violations(checker, "dispatch-in-time") == []


def test_final_state_order_stuck_before_the_manifest_at_the_end():
    checker = _checker(_world(_order(status="PACKED", acked=True, po=T0 + HOUR)))
    checker.finish(10, T0 + 10 * HOUR)
    [v] = _violations(checker, "final-state")
    assert v.rule_id == "DS-DISPATCH-WITHIN-SLA" and v.actual == "still PACKED"


def test_final_state_delivered_and_cancelled_orders_are_final():
    checker = _checker(_world(_order("FN1", status="DELIVERED", acked=True), _order("FN2", status="CANCELLED")))
    checker.finish(10, T0 + 10 * HOUR)
    assert _violations(checker, "final-state") == [] and checker.tally["final-state"].checks == 2


def _return(kind="CUSTOMER_RETURN", status="RETURN_DELIVERED", **stamps) -> Return:
    r = Return("RT1", "FN1", kind, status, T0)
    r.stamps.update(stamps)
    return r


def test_returns_put_away_customer_return_left_at_the_warehouse_names_cir_putaway():
    ret = _return(arrived=T0 + HOUR)
    checker = _checker(_world(_order(status="DELIVERED", acked=True), returns=(ret,)))
    checker.deadlines(30, T0 + 30 * HOUR, T0 + 31 * HOUR)
    [v] = _violations(checker, "returns-put-away")
    assert v.rule_id == "DS-CIR-PUTAWAY" and v.subject == "RT1"


def test_returns_put_away_rto_left_at_the_warehouse_names_the_rto_rule():
    ret = _return("RTO", arrived=T0 + HOUR)
    checker = _checker(_world(_order(status="RTO", acked=True), returns=(ret,)))
    checker.deadlines(30, T0 + 30 * HOUR, T0 + 31 * HOUR)
    [v] = _violations(checker, "returns-put-away")
    assert v.rule_id == "DS-RTO-CREATE-ONLY-UNEXPECTED"


def test_returns_put_away_qc_other_than_the_warehouse_found_names_putaway_good_bad():
    ret = Return("RT1", "FN1", "RTO", "RETURN_DELIVERED", T0)
    world = _world(_order("FN1", status="RTO", acked=True), returns=(ret,))
    world.qc = {"FN1": "BAD"}
    checker = _checker(world)
    qc = lambda code: _call("POST", "/ds/returns/RT1/qc", body={"items": [{"return_item_id": "1", "quantity": 1,  # noqa: E731
                                                                             "qc_code": code}]})
    checker.calls(1, T0, [qc("BAD")])
    assert _violations(checker, "returns-put-away") == []
    checker.calls(2, T0 + HOUR, [qc("GOOD")])
    [v] = _violations(checker, "returns-put-away")
    assert v.rule_id == "DS-PUTAWAY-GOOD-BAD" and "GOOD" in v.actual


def test_returns_put_away_in_time_holds():
    ret = _return(status="RETURN_PROCESSED", arrived=T0 + HOUR, processed=T0 + 2 * HOUR)
    checker = _checker(_world(_order(status="DELIVERED", acked=True), returns=(ret,)))
    checker.deadlines(30, T0 + 30 * HOUR, T0 + 31 * HOUR)
    assert _violations(checker, "returns-put-away") == []


def test_returns_put_away_parcel_back_without_expectation_never_reported():
    order = _order(status="DISPATCHED", acked=True)
    checker = _checker(_world(order))
    checker.parcel_came_back("FN1", T0 + HOUR)
    checker.world_changed()
    checker.deadlines(30, T0 + 30 * HOUR, T0 + 31 * HOUR)
    [v] = _violations(checker, "returns-put-away")
    assert v.rule_id == "DS-RTO-CREATE-ONLY-UNEXPECTED" and "without AJIO's RTO expectation" in v.what


def test_credit_notes_issued_and_never_read_names_credit_note_fetched():
    ret = _return(status="RETURN_PROCESSED", arrived=T0, processed=T0 + HOUR, credit_note=T0 + 3 * HOUR)
    ret.documents = {"DOC9": "credit_note"}
    ret.credit_note_number = "RS1"
    checker = _checker(_world(_order(status="DELIVERED", acked=True), returns=(ret,)))
    checker.deadlines(30, T0 + 30 * HOUR, T0 + 31 * HOUR)
    [v] = _violations(checker, "credit-notes")
    assert v.rule_id == "DS-CREDIT-NOTE-FETCHED" and "GET creditNote answered 200" in v.actual


def test_credit_notes_read_with_their_pdf_hold():
    ret = _return(status="RETURN_PROCESSED", arrived=T0, processed=T0 + HOUR, credit_note=T0 + 3 * HOUR)
    ret.documents = {"DOC9": "credit_note"}
    checker = _checker(_world(_order(status="DELIVERED", acked=True), returns=(ret,)))
    checker.calls(4, T0 + 4 * HOUR, [_call("GET", "/ds/returns/RT1/creditNote"), _call("GET", "/documents/DOC9")])
    checker.deadlines(30, T0 + 30 * HOUR, T0 + 31 * HOUR)
    assert _violations(checker, "credit-notes") == []


def test_documents_invoice_pdf_never_fetched_names_its_rule():
    order = _order(status="INVOICED", acked=True)
    order.documents = {"DOC1": "purchase_order", "DOC2": "b2b_invoice"}
    order.doc_issued = {"DOC1": T0, "DOC2": T0}
    checker = _checker(_world(order))
    checker.calls(1, T0 + HOUR, [_call("GET", "/documents/DOC1")])
    checker.deadlines(24, T0 + 24 * HOUR, T0 + 25 * HOUR)
    [v] = _violations(checker, "documents")
    assert v.rule_id == "DS-INVOICE-PDF-FETCHED" and v.subject == "DOC2"


def test_documents_fetched_again_in_a_later_run_overdoes_but_a_retry_in_the_run_does_not():
    order = _order(status="INVOICED", acked=True)
    order.documents = {"DOC1": "purchase_order", "DOC2": "b2b_invoice"}
    world = _world(order)
    world.doc_index = {"DOC1": ("purchase_order", "FN1"), "DOC2": ("b2b_invoice", "FN1")}
    checker = _checker(world)
    checker.calls(1, T0 + HOUR, [_call("GET", "/documents/DOC1", tick=1), _call("GET", "/documents/DOC1", tick=1),
                                 _call("GET", "/documents/DOC2", tick=1)])
    assert _violations(checker, "documents") == []
    checker.calls(2, T0 + 2 * HOUR, [_call("GET", "/documents/DOC2", tick=2)])
    checker.calls(3, T0 + 3 * HOUR, [_call("GET", "/documents/DOC2", tick=3)])
    [v] = _violations(checker, "documents")
    assert (v.rule_id, v.subject, v.order_id) == ("DS-INVOICE-PDF-FETCHED", "DOC2", "FN1")


def test_logins_more_than_two_in_a_run_names_login_sparingly():
    checker = _checker(_world())
    checker.calls(1, T0, [_call("POST", "/ds/authToken", tick=1), _call("POST", "/ds/authToken", 401, tick=1),
                          _call("POST", "/ds/authToken", tick=1)])
    assert _violations(checker, "logins") == [] and checker.tally["logins"].checks == 1
    checker.calls(2, T0 + HOUR, [_call("POST", "/ds/authToken", tick=2) for _ in range(3)])
    [v] = _violations(checker, "logins")
    assert v.rule_id == "AUTH-LOGIN-SPARINGLY" and v.tick == 2


def _read_ids(ids, tick):
    return _call("GET", "/ds/orders", tick=tick, query="orderIds=" + "%2C".join(ids) + "&page=0&size=50")


def test_status_sync_pickup_neither_reread_nor_tracked_names_both_rules():
    checker = _checker(_world(_order("FN1", status="DISPATCHED", acked=True, dispatched=T0 + HOUR),
                              _order("FN2", status="DISPATCHED", acked=True, dispatched=T0 + HOUR)))
    checker.calls(2, T0 + 2 * HOUR, [_read_ids(["FN2"], 2), _call("GET", "/ds/orders/FN2/tracking", tick=2)])
    checker.deadlines(20, T0 + 20 * HOUR, T0 + 21 * HOUR)
    assert _violations(checker, "status-sync") == []      # a day to learn it
    checker.deadlines(26, T0 + 26 * HOUR, T0 + 28 * HOUR)
    assert sorted((v.subject, v.rule_id) for v in _violations(checker, "status-sync")) == [
        ("FN1", "DS-STATUS-SYNC"), ("FN1", "DS-TRACKING-SYNC")]


def test_status_sync_delivery_learnt_by_tracking_or_reread_holds_and_not_learnt_names_status_sync():
    checker = _checker(_world(_order("FN1", status="DELIVERED", acked=True, delivered=T0 + HOUR),
                              _order("FN2", status="DELIVERED", acked=True, delivered=T0 + HOUR)))
    checker.calls(2, T0 + 2 * HOUR, [_call("GET", "/ds/orders/FN2/tracking", tick=2)])
    checker.deadlines(26, T0 + 26 * HOUR, T0 + 28 * HOUR)
    assert [(v.subject, v.rule_id) for v in _violations(checker, "status-sync")] == [("FN1", "DS-STATUS-SYNC")]


def test_status_sync_final_order_read_in_a_third_run_overdoes_but_its_retry_and_a_second_run_do_not():
    world = _world(_order("FN1", status="DELIVERED", acked=True, delivered=T0 + HOUR),
                   _order("FN2", status="CANCELLED", acked=True, cancelled=T0 + HOUR))
    checker = _checker(world)
    checker.calls(2, T0 + 2 * HOUR, [_read_ids(["FN1", "FN2"], 2), _read_ids(["FN1", "FN2"], 2)])
    assert _violations(checker, "status-sync") == []
    checker.calls(3, T0 + 3 * HOUR, [_read_ids(["FN2"], 3)])
    assert _violations(checker, "status-sync") == []      # a second run: the first may have lost what it read
    checker.calls(4, T0 + 4 * HOUR, [_read_ids(["FN2"], 4)])
    checker.calls(5, T0 + 5 * HOUR, [_read_ids(["FN2"], 5)])
    [v] = _violations(checker, "status-sync")
    assert (v.rule_id, v.subject, v.tick) == ("DS-STATUS-SYNC", "FN2", 4) and "third run" in v.what


def test_inventory_pushing_an_unchanged_count_names_changed_only():
    checker = _checker(_world())
    checker.inventory(0, T0, {"A": 5, "B": 3}, {"A": 5, "B": 4}, [_push([{"sku": "A", "quantity": 5},
                                                                        {"sku": "B", "quantity": 4}])])
    [v] = _violations(checker, "inventory")
    assert v.rule_id == "DS-INVENTORY-CHANGED-ONLY" and v.subject == "A"


# -- the connector's calls ---------------------------------------------------------------------------
def test_no_refusal_a_refused_call_names_the_refusals_rule():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("POST", "/ds/orders/FN1/label", 409, rule_id="DS-INVOICE-LABEL-MANIFEST",
                                error_code="ILLEGAL_TRANSITION", answer={"error_message": "label before invoice"})])
    [v] = _violations(checker, "no-refusal")
    assert v.rule_id == "DS-INVOICE-LABEL-MANIFEST" and v.order_id == "FN1" and "label before invoice" in v.actual


def test_no_refusal_credit_note_not_yet_is_ajios_normal_answer():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/returns/RT1/creditNote", 409, rule_id="DS-CREDIT-NOTE-AFTER-PUTAWAY",
                                error_code="NOT_YET")])
    assert _violations(checker, "no-refusal") == [] and checker.tally["no-refusal"].checks == 1


def test_no_refusal_a_spoiled_answer_is_a_transport_failure_not_a_refusal():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("POST", "/ds/orders", 409, bad_body=True, body={"order_id": "FN1"}),
                          _call("POST", "/ds/orders", 200, body={"order_id": "FN1"})])
    assert _violations(checker, "no-refusal") == []


def test_manifest_size_over_250_names_manifest_max_250_once():
    items = [{"masterAWB": str(i), "orderId": f"FN{i}", "invoiceNo": "S1"} for i in range(251)]
    checker = _checker(_world())
    checker.calls(3, T0, [_call("POST", "/ds/orders/dispatch", 400, body={"dispatchItems": items},
                                rule_id="MANIFEST-MAX-250", answer={"error_message": "too many"})])
    assert [v.rule_id for v in _violations(checker, "manifest-size")] == ["MANIFEST-MAX-250"]
    assert _violations(checker, "no-refusal") == []  # judged from the body once, not again as a refusal


def test_manifest_size_250_holds():
    items = [{"masterAWB": str(i), "orderId": f"FN{i}", "invoiceNo": "S1"} for i in range(250)]
    checker = _checker(_world())
    checker.calls(3, T0, [_call("POST", "/ds/orders/dispatch", 200, body={"dispatchItems": items},
                                answer={"status": "SUCCESS", "failedDispatchItems": []})])
    assert _violations(checker, "manifest-size") == []


def test_processed_once_invoice_done_twice_names_order_listed_again():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("POST", "/ds/orders/FN1/invoice", 200)])
    checker.calls(4, T0 + HOUR, [_call("POST", "/ds/orders/FN1/invoice", 200)])
    [v] = _violations(checker, "processed-once")
    assert v.rule_id == "API-ORDER-LISTED-AGAIN" and v.order_id == "FN1"


def test_processed_once_retry_after_a_lost_answer_is_not_a_repeat():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("POST", "/ds/orders/FN1/label", 503), _call("POST", "/ds/orders/FN1/label", 200)])
    checker.calls(3, T0, [_call("POST", "/ds/orders/FN2/label", 200, cut=True),
                          _call("POST", "/ds/orders/FN2/label", 200)])
    assert _violations(checker, "processed-once") == []


def test_retry_after_repeat_sooner_than_announced_names_throttle_rule():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/orders/pendency", 429, wall=10.0, retry_after="1", query="page=0"),
                          _call("GET", "/ds/orders/pendency", 200, wall=10.06, query="page=0")])
    [v] = _violations(checker, "retry-after")
    assert v.rule_id == "API-THROTTLE-RETRY-AFTER" and "Retry-After 1" in v.what


def test_retry_after_waited_or_left_for_the_next_tick_holds():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/products", 429, wall=10.0, retry_after="1"),
                          _call("GET", "/ds/products", 200, wall=11.06)])
    checker.calls(4, T0, [_call("POST", "/ds/orders/dispatch", 429, wall=20.0, retry_after="120",
                                body={"dispatchItems": []})])
    checker.calls(5, T0 + HOUR, [_call("POST", "/ds/orders/dispatch", 200, wall=20.1, body={"dispatchItems": []})])
    assert _violations(checker, "retry-after") == [] and checker.tally["retry-after"].checks == 2


def test_expired_token_used_again_after_a_401_names_token_rule():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/orders/pendency", 401, token="old"),
                          _call("GET", "/ds/orders/pendency", 401, token="old"),
                          _call("GET", "/ds/orders/pendency", 401, token="old")])
    [v] = _violations(checker, "expired-token")
    assert v.rule_id == "AUTH-TOKEN-30-MIN"


def test_expired_token_logging_in_again_after_a_401_holds():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/orders/pendency", 401, token="old"),
                          _call("POST", "/ds/authToken", 200, token=None),
                          _call("GET", "/ds/orders/pendency", 200, token="new")])
    assert _violations(checker, "expired-token") == []


def test_transient_failure_never_retried_names_retry_transient():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("POST", "/ds/orders/FN1/invoice", 503)])
    [v] = _violations(checker, "transient-retried")
    assert v.rule_id == "API-RETRY-TRANSIENT" and v.order_id == "FN1"


def test_transient_failure_retried_holds_and_hammering_does_not():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/returns", 0, query="page=0"), _call("GET", "/ds/returns", 200, query="page=0")])
    assert _violations(checker, "transient-retried") == []
    checker.calls(4, T0, [_call("GET", "/ds/products", 503) for _ in range(12)])
    [v] = _violations(checker, "transient-retried")
    assert "hammered" in v.what



def test_transient_spoiled_body_of_a_2xx_must_be_retried():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/returns/RT1/creditNote", 200, bad_body=True)])
    [v] = _violations(checker, "transient-retried")
    assert "200 with a body no JSON parser accepts" in v.what


def test_transient_spoiled_body_of_a_4xx_is_the_status_answer_not_a_transit_failure():
    checker = _checker(_world())
    checker.calls(3, T0, [_call("GET", "/ds/returns/RT1/creditNote", 409, bad_body=True),
                          _call("GET", "/ds/returns/RT2/creditNote", 409, cut=True)])
    assert _violations(checker, "transient-retried") == []

# -- inventory -----------------------------------------------------------------------------------------
def _push(lines, status=200):
    return _call("POST", "/ds/updateInventory", status, body={"inventory": lines},
                 answer={"success": lines, "failed_items": []} if status == 200 else {"error_message": "no"})


def test_inventory_pushed_to_the_warehouse_count_holds():
    checker = _checker(_world())
    for tick in range(4):
        checker.inventory(tick, T0 + tick * HOUR, {"A": 3, "B": 9}, {"A": 5, "B": 9}, [_push([{"sku": "A", "quantity": 5}])])
    assert _violations(checker, "inventory") == [] and checker.tally["inventory"].checks == 8


def test_inventory_differing_past_the_sla_names_reflects_warehouse():
    checker = _checker(_world(), inventory_sla=2 * HOUR)
    for tick in range(3):
        checker.inventory(tick, T0 + tick * HOUR, {"A": 3}, {"A": 5}, [_push([{"sku": "A", "quantity": 5}], 400)])
    [v] = _violations(checker, "inventory")
    assert v.rule_id == "DS-INVENTORY-REFLECTS-WAREHOUSE" and v.tick == 2 and "AJIO 3 / warehouse 5" in v.actual


def test_inventory_one_spoiled_sync_is_forgiven():
    checker = _checker(_world(), inventory_sla=2 * HOUR)
    checker.inventory(0, T0, {"A": 3}, {"A": 5}, [])                      # throttled: nothing pushed
    checker.inventory(1, T0 + HOUR, {"A": 3}, {"A": 5}, [_push([{"sku": "A", "quantity": 5}])])
    checker.inventory(2, T0 + 2 * HOUR, {"A": 5}, {"A": 5}, [])
    assert _violations(checker, "inventory") == []


# -- confirming against stock (DS-ACK-WHAT-IS-IN-STOCK, both sides; harness/soak/stock.py) ------------------
def _stock_order(order_id, qty, *, status="CREATED"):
    o = _order(order_id, status=status)
    o.lines[0]["ordered_quantity"] = qty
    return o


def test_ack_within_stock_two_orders_confirmed_from_one_unit_names_in_stock_rule():
    a, b = _stock_order("FN1", 1), _stock_order("FN2", 1)
    checker = _checker(_world(a, b))
    checker.before_run(1, T0, {"SKU-A": 1})
    for o in (a, b):
        o.status, o.stamps["acknowledged"] = "CONFIRMED", T0
        o.lines[0]["acknowledged"] = True
    checker.calls(1, T0, [])
    [v] = checker.tally["ack-within-stock"].kept
    assert v.rule_id == "DS-ACK-WHAT-IS-IN-STOCK" and "2 unit(s) of SKU-A confirmed" in v.what


def test_ack_within_stock_cancelling_the_shortfall_holds_and_cancelling_more_overdoes():
    for cancelled, broken in ((1, False), (2, True)):
        a, b = _stock_order("FN1", 2), _stock_order("FN2", 2)
        checker = _checker(_world(a, b))
        checker.before_run(1, T0, {"SKU-A": 3})
        a.status, a.stamps["acknowledged"] = "CONFIRMED", T0
        b.status, b.stamps["acknowledged"] = "CONFIRMED", T0
        b.lines[0]["seller_cancelled_qty"] = cancelled
        checker.calls(1, T0, [])
        kept = checker.tally["ack-within-stock"].kept
        assert bool(kept) is broken, cancelled
        assert checker.tally["ack-within-stock"].checks == 2


def test_lost_stock_cancelled_an_order_invoiced_with_units_the_warehouse_lost_and_one_cancelled_in_time():
    lost = _stock_order("FN1", 2, status="INVOICED")
    lost.stamps.update(acknowledged=T0, invoiced=T0 + HOUR)
    kept = _stock_order("FN2", 2, status="CANCELLED")
    kept.stamps.update(acknowledged=T0, cancelled=T0 + HOUR)
    checker = _checker(_world(lost, kept, missing={"FN1": {"SKU-A": 2}, "FN2": {"SKU-A": 2}}))
    [v] = checker.tally["lost-stock-cancelled"].kept
    assert (v.order_id, v.rule_id) == ("FN1", "DS-ACK-WHAT-IS-IN-STOCK") and "invoiced" in v.what
    assert checker.tally["lost-stock-cancelled"].checks == 2


def test_ack_within_stock_a_lost_order_may_be_cancelled_whole_but_nothing_else():
    a = _stock_order("FN1", 3, status="CONFIRMED")
    b = _stock_order("FN2", 2, status="CONFIRMED")
    checker = _checker(_world(a, b, missing={"FN1": {"SKU-A": 1}}))
    checker.before_run(1, T0, {"SKU-A": 0})
    a.status, a.lines[0]["seller_cancelled_qty"] = "CANCELLED", 3    # the whole order: allowed
    checker.calls(1, T0, [])
    assert checker.tally["ack-within-stock"].kept == []
    checker.before_run(2, T0 + HOUR, {"SKU-A": 0})
    b.status, b.lines[0]["seller_cancelled_qty"] = "CANCELLED", 2    # nothing lost: overdone
    checker.calls(2, T0 + HOUR, [])
    [v] = checker.tally["ack-within-stock"].kept
    assert v.order_id == "FN2" and "lacked 0" in v.what
