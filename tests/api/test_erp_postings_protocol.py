"""What the ERP hears after OUTWARD_ORDER_CREATE (seeds 002, 004): a fresh CREATE when quantities change
before the e-invoice, CANCEL for a complete cancellation, COMPLETE after a customer's late partial one;
dead letters kept and redelivered; the return posting's fields as seed 002's example means them.
A real HTTP test ERP receives what `POST /_sim/erp/deliver` sends."""
from __future__ import annotations

import pytest
from dsworld import assert_error

from contracts.erp import POSTING_SCHEMAS
from fixtures.vmsworld import TestErp, VmsWorld, zoned
from simulator.erp_delivery import MAX_ATTEMPTS, backoff


@pytest.fixture
def erp():
    server = TestErp()
    yield server
    server.close()


def deliver(w: VmsWorld) -> dict:
    return w.sim.control("POST", "/erp/deliver", {}, expect=200).json


def two_sku_order(w: VmsWorld, quantities=(2, 1)) -> str:
    skus, seed = [], 0
    while len(skus) < len(quantities):
        line = w.order(w.place(1, seed=seed)[0])["order_lines"][0]
        if line["sku"] not in skus:
            skus.append(line["sku"])
        seed += 1
    return w.place(1, lines=[{"sku": s, "quantity": q} for s, q in zip(skus, quantities)])[0]


def with_po(w: VmsWorld, order_id: str) -> dict:
    w.acknowledge(order_id)
    w.sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
    return w.ok(w.vms("GET", f"/orders/{order_id}/po"))


def bodies(erp: TestErp, event: str, order_id: str) -> list[dict]:
    return [r["body"] for r in erp.received if r["event"] == event and r["body"].get("orderCode") == order_id]


def valid(posting: dict, kind: str) -> None:
    assert POSTING_SCHEMAS[kind]().validate(posting) == {}, posting


# -- item 1: the ERP never invoices a quantity that is gone ------------------------------------------
def test_partial_cancel_after_create_posts_a_superseding_create(sim, erp):
    """Seed 002: the B2B order posting carries 'the final quantity only for which invoice is to be created'."""
    w = VmsWorld.create(sim, erp_url=erp.url)
    order_id = two_sku_order(w, (2, 1))
    po = with_po(w, order_id)
    deliver(w)
    sku = po["lines"][0]["channelSkuCode"]
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    assert deliver(w)["delivered"] == 1
    first, latest = bodies(erp, "OUTWARD_ORDER_CREATE", order_id)
    valid(latest, "OUTWARD_ORDER_CREATE")
    assert "supersedesMessageId" not in first and latest["supersedesMessageId"] == first["messageId"]
    assert latest["messageId"] > first["messageId"]
    assert {i["channelSkuCode"]: i["quantity"] for i in latest["orderItems"]}[sku] == 1
    # An ERP invoicing the superseded quantity is refused, naming the field, the rule and the posting to follow.
    stale = w.invoice_payload(po, lines=[{"channelSkuCode": i["channelSkuCode"], "quantity": i["quantity"]}
                                         for i in first["orderItems"]])
    body = assert_error(w.erp("POST", "/b2bInvoice/posting", stale), 400, rule="VMS-INVOICE-FINAL-QUANTITY",
                        message=str(latest["messageId"]))
    assert body["field"].startswith("invoiceLineEntries[")
    final = w.invoice_payload(po, lines=[{"channelSkuCode": i["channelSkuCode"], "quantity": i["quantity"]}
                                         for i in latest["orderItems"]])
    assert w.ok(w.erp("POST", "/b2bInvoice/posting", final))["order_status"] == "INVOICED"


def test_complete_cancel_before_the_einvoice_posts_cancel_without_invoice(sim, erp):
    w = VmsWorld.create(sim, erp_url=erp.url)
    order_id = w.place(1)[0]
    with_po(w, order_id)
    deliver(w)  # the ERP has the CREATE
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
    deliver(w)
    assert [r["event"] for r in erp.received] == ["OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"]
    [cancel] = bodies(erp, "OUTWARD_ORDER_CANCEL", order_id)
    valid(cancel, "OUTWARD_ORDER_CANCEL")
    assert "invoiceNumber" not in cancel and cancel["orderItems"]


def test_cancellations_before_the_po_post_nothing_and_create_carries_the_final_quantity(sim, erp):
    w = VmsWorld.create(sim, erp_url=erp.url)
    gone = w.place(1)[0]
    w.acknowledge(gone)
    w.ok(w.vms("POST", f"/orders/{gone}/cancel", {}))
    order_id = two_sku_order(w, (2, 1))
    w.acknowledge(order_id)
    sku = w.order(order_id)["order_lines"][0]["channelSkuCode"]
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    w.sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
    deliver(w)
    [create] = bodies(erp, "OUTWARD_ORDER_CREATE", order_id)
    assert {i["channelSkuCode"]: i["quantity"] for i in create["orderItems"]}[sku] == 1
    assert "supersedesMessageId" not in create and bodies(erp, "OUTWARD_ORDER_CREATE", gone) == []


def test_complete_cancel_after_the_einvoice_posts_cancel_naming_the_invoice(sim, erp):
    w = VmsWorld.create(sim, erp_url=erp.url)
    order_id = w.place(1)[0]
    out = w.to_stage(order_id, "INVOICED")
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))  # the repeat posts nothing more
    deliver(w)
    [cancel] = bodies(erp, "OUTWARD_ORDER_CANCEL", order_id)
    assert cancel["invoiceNumber"] == out["invoice"]["invoiceNumber"]
    assert w.sim.state(order_id)["vms"]["b2b_invoice"]["cancelled_at"] is not None


# -- item 4: a customer's late cancellation (seed 004) ------------------------------------------------
@pytest.fixture
def late(sim, erp) -> VmsWorld:
    return VmsWorld.create(sim, erp_url=erp.url, late_customer_cancel=True)


def test_late_customer_cancel_after_einvoice_posts_cancel_seed_004(late, erp):
    """Seed 004: 'If the customer cancels the order after the e-invoice has been generated by the client,
    Omni will send another posting ... OUTWARD_ORDER_CANCEL'."""
    order_id = late.place(1)[0]
    out = late.to_stage(order_id, "INVOICED")
    assert "customer-cancel" in late.sim.state(order_id)["allowed_world_events"]
    late.sim.control("POST", f"/orders/{order_id}/customer-cancel", {}, expect=200)
    assert late.order(order_id)["status"] == "CANCELLED"
    deliver(late)
    [cancel] = bodies(erp, "OUTWARD_ORDER_CANCEL", order_id)
    assert cancel["invoiceNumber"] == out["invoice"]["invoiceNumber"]


def test_late_partial_customer_cancel_after_einvoice_is_in_the_complete_posting_seed_004(late, erp):
    """Seed 004: after a partial cancellation by the customer after the e-invoice, OUTWARD_ORDER_COMPLETE
    lets the ERP create a return order; the invoice itself is left as it is (model 1)."""
    order_id = two_sku_order(late, (2, 1))
    out = late.to_stage(order_id, "INVOICED")
    line = late.sim.state(order_id)["lines"][0]
    late.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                     {"lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]}, expect=200)
    order = late.order(order_id)
    assert order["status"] == "INVOICED" and order["invoiceNumber"] == out["invoice"]["invoiceNumber"]
    assert deliver(late)["attempted"] == 1  # the CREATE only: partial cancellations are never posted
    late.to_stage_from(order_id, "INVOICED", "READY_TO_DISPATCH")
    deliver(late)
    [complete] = bodies(erp, "OUTWARD_ORDER_COMPLETE", order_id)
    valid(complete, "OUTWARD_ORDER_COMPLETE")
    item = {i["orderItemCode"]: i for i in complete["orderItems"]}[line["order_item_id"]]
    assert (item["invoicedQuantity"], item["quantity"], item["cancelledAfterInvoiceQuantity"]) == (2, 1, 1)


@pytest.mark.parametrize("stage,lines", [("PACKED", True), ("READY_TO_DISPATCH", False)])
def test_late_customer_cancel_stops_at_packing_or_handover(late, stage, lines):
    order_id = two_sku_order(late, (2, 1))
    late.to_stage(order_id, stage)
    line = late.sim.state(order_id)["lines"][0]
    body = {"lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]} if lines else {}
    assert_error(late.sim.control("POST", f"/orders/{order_id}/customer-cancel", body), 409,
                 rule="VMS-LATE-CUSTOMER-CANCEL")
    assert late.order(order_id)["status"] == stage


def test_without_the_setting_customers_stop_at_the_acknowledgement(sim):
    w = VmsWorld.create(sim)
    order_id = w.place(1)[0]
    w.to_stage(order_id, "INVOICED")
    assert "customer-cancel" not in w.sim.state(order_id)["allowed_world_events"]
    assert_error(w.sim.control("POST", f"/orders/{order_id}/customer-cancel", {}), 409,
                 rule="VMS-CUSTOMER-CANCEL-UNTIL-ACK")


@pytest.mark.parametrize("settings,field", [({"late_customer_cancel": "yes"}, "late_customer_cancel"),
                                            ({"channel_name": "a b"}, "channel_name")])
def test_vms_world_settings_bad_values_refused(sim, settings, field):
    assert_error(sim.control("POST", "/sellers", {"model": "vms", **settings}), 400, field=field)


@pytest.mark.parametrize("key,value", [("late_customer_cancel", True), ("vms_layer", "simulated"), ("ack_hold", 60)])
def test_vms_world_settings_refused_on_a_dropship_seller(sim, key, value):
    assert_error(sim.control("POST", "/sellers", {"model": "ds", key: value}), 400, field=key)


def test_model2_late_partial_customer_cancel_cancels_the_rms_invoice(sim):
    """Model 2: the issued invoice is cancelled, never edited; RMS posts a new one, with a new number."""
    rms = VmsWorld.create(sim, einvoice_model="rms", late_customer_cancel=True)
    order_id = two_sku_order(rms, (2, 1))
    out = rms.to_stage(order_id, "INVOICED")
    line = rms.sim.state(order_id)["lines"][0]
    rms.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                    {"lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]}, expect=200)
    state = rms.sim.state(order_id)
    assert state["status"] == "ACKNOWLEDGED" and state["invoice"] is None
    [old] = state["vms"]["b2b_invoice_history"]
    assert old["invoiceNumber"] == out["invoice"]["invoiceNumber"] and old["cancelled"]["reason"]
    _refusals_then_reissue(rms, order_id, out)


def test_model2_seller_partial_cancel_then_reissue(sim):
    rms = VmsWorld.create(sim, einvoice_model="rms")
    order_id = two_sku_order(rms, (2, 1))
    out = rms.to_stage(order_id, "INVOICED")
    sku = out["po"]["lines"][0]["channelSkuCode"]
    rms.ok(rms.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    _refusals_then_reissue(rms, order_id, out)


def _refusals_then_reissue(rms: VmsWorld, order_id: str, out: dict) -> None:
    old = rms.invoice_payload(out["po"])
    r = rms.vms("POST", f"/orders/{order_id}/b2bInvoice", old)  # the cancelled invoice, posted again
    assert_error(r, 409, field="invoiceNumber", rule="VMS-INVOICE-IMMUTABLE")
    same_number = rms.invoice_payload(out["po"], irnNumber="f" * 64)
    assert_error(rms.vms("POST", f"/orders/{order_id}/b2bInvoice", same_number), 409, field="invoiceNumber",
                 rule="GST-INVOICE-NUMBER-UNIQUE")
    same_irn = rms.invoice_payload(out["po"], invoiceNumber="RMS/NEW/1")
    assert_error(rms.vms("POST", f"/orders/{order_id}/b2bInvoice", same_irn), 409, field="irnNumber")
    new = rms.invoice_payload(out["po"], invoiceNumber="RMS/NEW/1", irnNumber="e" * 64)
    answer = rms.ok(rms.vms("POST", f"/orders/{order_id}/b2bInvoice", new))
    assert answer["invoiceNumber"] == "RMS/NEW/1" and answer["order_status"] == "INVOICED"
    assert sum(i["quantity"] for i in answer["invoiced"]) == 2  # 3 ordered, 1 cancelled
    docs = rms.sim.state(order_id)["documents"]
    assert [d["kind"] for d in docs].count("b2b_invoice") == 2


# -- item 6: dead letters --------------------------------------------------------------------------
def exhaust(w: VmsWorld) -> None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver(w)["attempted"] == 1
        w.advance(backoff(attempt))


def test_exhausted_posting_is_a_dead_letter_and_redelivered_seed_002(sim):
    erp = TestErp([500] * MAX_ATTEMPTS)
    try:
        w = VmsWorld.create(sim, erp_url=erp.url)
        order_id = w.place(1)[0]
        with_po(w, order_id)
        exhaust(w)
        [dead] = sim.control("GET", f"/erp/dead-letters?pob_id={w.pob['pob_id']}", expect=200).json["dead_letters"]
        assert dead["status"] == "FAILED" and dead["attempts"] == MAX_ATTEMPTS and "dead letter" in dead["log"][-1][
            "outcome"]
        assert deliver(w)["attempted"] == 0  # nothing due: kept, not retried by itself
        assert sim.control("POST", f"/erp/postings/{dead['id']}/redeliver", {}, expect=200).json == {
            "redelivered": [dead["id"]]}
        assert deliver(w) == {"attempted": 1, "delivered": 1, "retrying": 0, "failed": 0}
        posting = w.postings(entity_id=order_id)[0]
        assert posting["status"] == "DELIVERED" and posting["attempts"] == MAX_ATTEMPTS + 1
        assert any(e.get("redelivery") and e["outcome"] == "redelivery requested" for e in posting["log"])
        entries = sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=http*", expect=200).json["entries"]
        assert [e["status"] for e in entries] == [500] * MAX_ATTEMPTS + [200]
    finally:
        erp.close()


def test_redeliver_refuses_what_is_no_dead_letter(sim, erp):
    w = VmsWorld.create(sim, erp_url=erp.url)
    order_id = w.place(1)[0]
    with_po(w, order_id)
    [pending] = w.postings(entity_id=order_id)
    assert_error(sim.control("POST", f"/erp/postings/{pending['id']}/redeliver", {}), 409, field="id",
                 rule="ERP-DEAD-LETTERS")
    assert_error(sim.control("POST", "/erp/postings/999999/redeliver", {}), 404, field="id")
    assert_error(sim.control("POST", "/erp/redeliver", {}), 400, field="pob_id")


def test_redeliver_every_dead_letter_of_a_pob_in_order(sim):
    """A posting behind a dead letter about the same order waits for it: CANCEL never overtakes CREATE."""
    erp = TestErp([500] * MAX_ATTEMPTS)
    try:
        w = VmsWorld.create(sim, erp_url=erp.url)
        order_id = w.place(1)[0]
        with_po(w, order_id)
        exhaust(w)
        w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
        assert deliver(w)["attempted"] == 0  # the CANCEL waits behind its dead CREATE
        redone = sim.control("POST", "/erp/redeliver", {"pob_id": w.pob["pob_id"]}, expect=200).json["redelivered"]
        assert len(redone) == 1
        assert deliver(w)["delivered"] == 2
        assert [r["event"] for r in erp.received][-2:] == ["OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"]
    finally:
        erp.close()


# -- item 7: the return order posting's fields -------------------------------------------------------
def test_return_posting_invoice_pairs_and_location_codes_seed_002(sim, erp):
    """Seed 002's example: generatedInvoiceId/Date is one invoice (the B2C invoice made at packing),
    externalInvoiceId/Date another (the ERP's B2B e-invoice); partnerLocationCode is AJIO's code of the
    location (the POB), locationCode the store's; channelName the customer code."""
    w = VmsWorld.create(sim, erp_url=erp.url, return_model="rsi", channel_name="120997")
    order_id = w.place(1)[0]
    out = w.to_stage(order_id, "INVOICED")
    w.advance(3600)  # packed an hour after the e-invoice: the two dates differ
    packed_at = w.sim.control("GET", "/clock").json["now"]
    w.to_stage_from(order_id, "INVOICED", "DELIVERED")
    rid = w.sim.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
    w.sim.control("POST", f"/returns/{rid}/deliver", expect=200)
    ret = next(r for r in w.returns() if r["return_order_id"] == rid)
    w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": [
        {"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS"} for i in ret["items"]]}))
    deliver(w)
    posting = next(r["body"] for r in erp.received if r["event"] == "RETURN_ORDER")
    valid(posting, "RETURN_ORDER")
    shipment = posting["shipments"][0]
    b2c = w.sim.state(order_id)["shipment"]["b2c_invoice_number"]
    assert (shipment["generatedInvoiceId"], shipment["generatedInvoiceDate"]) == (b2c, zoned(packed_at))
    assert (shipment["externalInvoiceId"], shipment["externalInvoiceDate"]) == (
        out["invoice"]["invoiceNumber"], zoned(packed_at - 3600))
    assert posting["partnerLocationCode"] == w.pob["pob_id"] != posting["locationCode"] == w.pob["store_code"]
    assert posting["channelName"] == "120997"


# -- a CREATE the ERP never received is withdrawn, not sent after it stopped being true ------------------
def withdrawn(w: VmsWorld, order_id: str) -> list[dict]:
    return [p for p in w.postings(entity_id=order_id) if p["status"] == "WITHDRAWN"]


def test_complete_cancel_withdraws_a_create_never_sent_and_posts_nothing(sim, erp):
    """ERP-ORDER-FINAL-QUANTITY: the ERP never had the order, so it hears nothing of it (before, the stale CREATE
    went out first and an ERP that e-invoiced it met 409 VMS-INVOICE-FOR-PO before the CANCEL came)."""
    w = VmsWorld.create(sim, erp_url=erp.url)
    order_id = w.place(1)[0]
    with_po(w, order_id)
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
    assert deliver(w)["attempted"] == 0 and erp.received == []
    [create] = withdrawn(w, order_id)
    assert create["event_type"] == "OUTWARD_ORDER_CREATE" and create["next_attempt_at"] is None
    assert create["log"][-1]["withdrawn"] is True and "never received" in create["log"][-1]["outcome"]
    assert [p["event_type"] for p in w.postings(entity_id=order_id)] == ["OUTWARD_ORDER_CREATE"]
    causes = [t["cause"] for t in sim.control("GET", f"/orders/{order_id}", expect=200).json["timeline"]]
    assert any("withdrawn: the ERP never received it" in c for c in causes), causes


def test_complete_cancel_withdraws_a_create_refused_at_the_door(sim):
    """A refused connection means the ERP never read the posting: withdrawn like one never sent."""
    w = VmsWorld.create(sim, erp_url="http://127.0.0.1:9/nothing-listens-here")
    order_id = w.place(1)[0]
    with_po(w, order_id)
    assert deliver(w)["retrying"] == 1
    [attempt] = w.postings(entity_id=order_id)[0]["log"]
    assert attempt["reached"] is False and attempt["status"] is None
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
    [create] = withdrawn(w, order_id)
    assert create["attempts"] == 1 and len(w.postings(entity_id=order_id)) == 1
    assert sim.control("GET", "/erp/postings?status=WITHDRAWN", expect=200).json["postings"][0]["id"] == create["id"]
    assert_error(sim.control("POST", f"/erp/postings/{create['id']}/redeliver", {}), 409, field="id",
                 rule="ERP-DEAD-LETTERS")


def test_a_create_the_erp_may_hold_is_never_withdrawn(sim):
    """Answered (any status) means the ERP read it: the CANCEL follows it, in order."""
    erp = TestErp([500])
    try:
        w = VmsWorld.create(sim, erp_url=erp.url)
        order_id = w.place(1)[0]
        with_po(w, order_id)
        assert deliver(w)["retrying"] == 1
        assert w.postings(entity_id=order_id)[0]["log"][0]["reached"] is True
        w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
        assert withdrawn(w, order_id) == []
        w.advance(30)
        assert deliver(w)["delivered"] == 2
        assert erp.events() == ["OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"]
    finally:
        erp.close()


def test_partial_cancel_withdraws_the_unsent_create_and_sends_only_the_final_one(sim, erp):
    """The ERP gets one CREATE with the final quantities and no supersedesMessageId: it never saw the first."""
    w = VmsWorld.create(sim, erp_url=erp.url)
    order_id = two_sku_order(w, (2, 1))
    po = with_po(w, order_id)
    sku = po["lines"][0]["channelSkuCode"]
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    assert deliver(w)["delivered"] == 1
    [create] = bodies(erp, "OUTWARD_ORDER_CREATE", order_id)
    assert "supersedesMessageId" not in create
    assert {i["channelSkuCode"]: i["quantity"] for i in create["orderItems"]}[sku] == 1
    assert len(withdrawn(w, order_id)) == 1


def test_partial_cancel_supersedes_the_create_the_erp_holds_not_a_withdrawn_one(sim, erp):
    """Held, then two changes before the next delivery: the last CREATE names the one the ERP has."""
    w = VmsWorld.create(sim, erp_url=erp.url)
    order_id = two_sku_order(w, (3, 1))
    po = with_po(w, order_id)
    deliver(w)
    [held] = bodies(erp, "OUTWARD_ORDER_CREATE", order_id)
    sku = po["lines"][0]["channelSkuCode"]
    for _ in range(2):
        w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    assert deliver(w)["delivered"] == 1
    _, latest = bodies(erp, "OUTWARD_ORDER_CREATE", order_id)
    assert latest["supersedesMessageId"] == held["messageId"]
    assert {i["channelSkuCode"]: i["quantity"] for i in latest["orderItems"]}[sku] == 1
    assert len(withdrawn(w, order_id)) == 1
