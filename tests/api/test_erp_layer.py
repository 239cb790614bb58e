"""The ERP integration layer `/ajio-vms` (seed 002) and the postings to a seller's ERP (seeds 002, 004),
in-process: a real HTTP test ERP receives what `POST /_sim/erp/deliver` sends synchronously."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from dsworld import assert_error

from contracts.erp import POSTING_SCHEMAS
from fixtures.simclient import T0
from fixtures.vmsworld import PDF_B64, TestErp, VmsWorld, zoned

SEED2 = "seed 002"


@pytest.fixture
def erp():
    server = TestErp()
    yield server
    server.close()


@pytest.fixture
def w(sim, erp) -> VmsWorld:
    return VmsWorld.create(sim, erp_url=erp.url)


def deliver(w: VmsWorld) -> dict:
    return w.sim.control("POST", "/erp/deliver", {}, expect=200).json


def acknowledged_with_po(w: VmsWorld) -> tuple[str, dict]:
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    return order_id, w.wait_po(order_id)


# -- /ajio-vms auth -------------------------------------------------------------------------------
@pytest.mark.parametrize("username,password,field", [("", "x", "authUsername"), ("DV000000", "", "authPassword"),
                                                     ("DV000000", "x", "authPassword")])
def test_erp_layer_auth_headers_seed_002(w, username, password, field):
    """Seed 002: the ERP calls carry authUsername and authPassword."""
    r = w.erp("GET", f"/rsi?rsiDateFrom={quote(zoned(T0))}&rsiDateTo={quote(zoned(T0))}",
              username=username, password=password or "")
    assert_error(r, 401, field=field)


def test_erp_layer_wrong_password_and_ds_pob_refused(sim, w):
    assert_error(w.erp("GET", "/rsi", password="nope"), 401, field="authPassword")
    ds = sim.seller()
    assert_error(w.erp("GET", "/rsi", username=ds["pob_id"], password=ds["password"]), 401, field="authUsername")


# -- POST /ajio-vms/b2bInvoice/posting ---------------------------------------------------------------
def test_b2b_invoice_posting_by_po_invoices_the_order(w):
    """Seed 002: the client's ERP posts the B2B invoice for the PO; 200 on success."""
    order_id, po = acknowledged_with_po(w)
    r = w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po))
    body = w.ok(r)
    assert body["status"] == "SUCCESS" and body["order_id"] == order_id
    assert body["forwardPurchaseOrder"] == po["forwardPurchaseOrder"]
    assert w.order(order_id)["status"] == "INVOICED"
    # The connector's own call with the same payload is the same invoice (idempotent), not a second one.
    assert w.ok(w.vms("POST", f"/orders/{order_id}/b2bInvoice", w.invoice_payload(po)))["invoiceNumber"] == \
        body["invoiceNumber"]
    entry = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/ajio-vms/*", expect=200).json["entries"][-1]
    assert entry["status"] == 200 and order_id in entry["entity_ids"]


def test_b2b_invoice_posting_unknown_po_is_404(w):
    acknowledged_with_po(w)
    r = w.erp("POST", "/b2bInvoice/posting", w.invoice_payload({"forwardPurchaseOrder": "4099999999"}))
    assert_error(r, 404, field="forwardPurchaseOrder", rule=SEED2)


@pytest.mark.parametrize("missing", ["invoiceNumber", "invoiceDate", "forwardPurchaseOrder", "qrCode", "irnNumber",
                                     "isPartialInvoice"])
def test_b2b_invoice_posting_mandatory_fields_seed_002(w, missing):
    """Seed 002's table: these fields are mandatory (yes)."""
    order_id, po = acknowledged_with_po(w)
    body = w.invoice_payload(po)
    del body[missing]
    assert_error(w.erp("POST", "/b2bInvoice/posting", body), 400, field=missing)
    assert w.order(order_id)["status"] == "ACKNOWLEDGED"


def test_b2b_invoice_posting_without_pdf_or_url_refused_seed_002(w):
    """Seed 002: invoicePdf / invoiceURL, 'any one of these is mandatory': neither is a 400 naming the rule."""
    order_id, po = acknowledged_with_po(w)
    body = w.invoice_payload(po)
    del body["invoicePdf"]
    assert_error(w.erp("POST", "/b2bInvoice/posting", body), 400, field="invoicePdf", rule="VMS-EINVOICE-FIELDS")
    assert w.order(order_id)["status"] == "ACKNOWLEDGED"


@pytest.mark.parametrize("docs", [{"invoicePdf": PDF_B64}, {"invoiceURL": "https://erp.example.com/1.pdf"},
                                  {"invoicePdf": PDF_B64, "invoiceURL": "https://erp.example.com/1.pdf"}],
                         ids=["pdf", "url", "both"])
@pytest.mark.parametrize("path", ["/ajio-vms", "/vms"])
def test_b2b_invoice_pdf_url_or_both_accepted_seed_002(w, docs, path):
    """Seed 002's sample payload sends invoicePdf and invoiceURL together; its table asks for at least one."""
    order_id, po = acknowledged_with_po(w)
    body = {**{k: v for k, v in w.invoice_payload(po).items() if k != "invoicePdf"}, **docs}
    r = (w.erp("POST", "/b2bInvoice/posting", body) if path == "/ajio-vms"
         else w.vms("POST", f"/orders/{order_id}/b2bInvoice", body))
    assert w.ok(r)["status"] == "SUCCESS" and w.order(order_id)["status"] == "INVOICED"


def test_b2b_invoice_posting_for_rms_seller_refused(sim):
    """Seed 002 model 2: RMS creates the B2B invoice; the ERP does not post it."""
    rms = VmsWorld.create(sim, einvoice_model="rms")
    _, po = acknowledged_with_po(rms)
    assert_error(rms.erp("POST", "/b2bInvoice/posting", rms.invoice_payload(po)), 409, rule="VMS-MODEL2-RMS-INVOICES")


def test_b2b_invoice_posting_not_json_is_415(w):
    r = w.sim.http("POST", "/ajio-vms/b2bInvoice/posting", data="x", headers={
        "authUsername": w.pob["pob_id"], "authPassword": w.pob["password"], "Content-Type": "text/plain"})
    assert_error(r, 415)


# -- POST /ajio-vms/creditNote/posting, GET /ajio-vms/rsi ---------------------------------------------


def test_credit_note_posting_seed_002(w):
    rid = w.processed_return()
    body = w.credit_note_payload(rid)
    del body["ackNumber"], body["ackDate"]  # optional in seed 002's table
    answer = w.ok(w.erp("POST", "/creditNote/posting", body))
    assert answer["status"] == "SUCCESS" and answer["returnOrderId"] == rid
    assert w.ok(w.erp("POST", "/creditNote/posting", body)) == answer


@pytest.mark.parametrize("missing", ["creditNoteNumber", "returnOrderId", "irnNumber", "signedQrCode"])
def test_credit_note_posting_mandatory_fields_seed_002(w, missing):
    rid = w.processed_return()
    body = w.credit_note_payload(rid)
    del body[missing]
    assert_error(w.erp("POST", "/creditNote/posting", body), 400, field=missing)


def test_credit_note_posting_unknown_return_is_404(w):
    w.processed_return()
    assert_error(w.erp("POST", "/creditNote/posting", w.credit_note_payload("RT00000000")), 404,
                 field="returnOrderId", rule="ERP-CREDIT-NOTE-POSTING")


def test_erp_rsi_fetch_range_rule_seed_002(sim):
    w = VmsWorld.create(sim, return_model="rsi")
    ok = f"/rsi?rsiDateFrom={quote(zoned(T0))}&rsiDateTo={quote(zoned(T0 + 86400))}"
    assert w.ok(w.erp("GET", ok)) == {"returnSalesInvoices": []}
    bad = f"/rsi?rsiDateFrom={quote(zoned(T0))}&rsiDateTo={quote(zoned(T0 + 3 * 86400))}"
    assert_error(w.erp("GET", bad), 400, field="rsiDateTo", message="2 days")


# -- postings to the ERP ---------------------------------------------------------------------------
def _valid(posting: dict, kind: str) -> None:
    """What the ERP got is exactly what the contract schema dumps (no field outside contracts/erp.py), and
    it passes that schema's own validation: the postings `ajio-sim contract --erp-url` calls valid are the
    ones the simulator sends (one definition)."""
    assert POSTING_SCHEMAS[kind]().dump(posting) == posting
    assert POSTING_SCHEMAS[kind]().validate(posting) == {}


def test_model1_postings_create_complete_cancel_seed_004(w, erp):
    """Seed 004: OUTWARD_ORDER_CREATE for the e-invoice, OUTWARD_ORDER_COMPLETE when the order leaves,
    OUTWARD_ORDER_CANCEL for a complete cancellation after the e-invoice."""
    shipped, cancelled = w.place(2)
    out = w.to_stage(shipped, "READY_TO_DISPATCH")
    w.to_stage(cancelled, "INVOICED")
    w.ok(w.vms("POST", f"/orders/{cancelled}/cancel", {}))
    assert deliver(w)["delivered"] == 4
    got = {(r["body"]["eventType"], r["body"]["orderCode"]): r["body"] for r in erp.received}
    assert set(got) == {("OUTWARD_ORDER_CREATE", shipped), ("OUTWARD_ORDER_COMPLETE", shipped),
                        ("OUTWARD_ORDER_CREATE", cancelled), ("OUTWARD_ORDER_CANCEL", cancelled)}
    assert len(erp.received) == 4
    create = got[("OUTWARD_ORDER_CREATE", shipped)]
    assert create["forwardPurchaseOrder"] == out["po"]["forwardPurchaseOrder"]
    assert [(i["channelSkuCode"], i["quantity"]) for i in create["orderItems"]] == \
        [(l["channelSkuCode"], l["quantity"]) for l in out["po"]["lines"]]
    assert got[("OUTWARD_ORDER_CANCEL", cancelled)]["invoiceNumber"]
    for (kind, _), body in got.items():
        _valid(body, kind)
    events = [r["event"] for r in erp.received]
    assert events.index("OUTWARD_ORDER_CREATE") < events.index("OUTWARD_ORDER_COMPLETE")


def test_model2_sends_no_forward_postings(sim, erp):
    """Seed 002 model 2: RMS e-invoices; no B2B order posting goes to the ERP."""
    rms = VmsWorld.create(sim, einvoice_model="rms", erp_url=erp.url)
    rms.to_stage(rms.place(1)[0], "READY_TO_DISPATCH")
    assert deliver(rms)["attempted"] == 0 and erp.received == []


def test_return_order_posting_shipments_empty_in_credit_note_model_seed_002(w, erp):
    """Seed 002: return order posting after processing; 'Shipment Array will come empty: []'."""
    rid = w.processed_return()
    deliver(w)
    posting = next(r["body"] for r in erp.received if r["event"] == "RETURN_ORDER")
    _valid(posting, "RETURN_ORDER")
    assert posting["returnOrderCode"] == rid and posting["shipments"] == []
    assert posting["partnerCode"] == "AJIO" and posting["locationCode"] == w.pob["store_code"]
    assert {i["qcStatus"] for i in posting["items"]} == {"PASS"}
    assert all(i["itemCode"].count("_") == 1 for i in posting["items"])


def test_return_order_posting_carries_the_shipment_in_rsi_model(sim, erp):
    rsi = VmsWorld.create(sim, return_model="rsi", erp_url=erp.url)
    rid = rsi.processed_return()
    deliver(rsi)
    posting = next(r["body"] for r in erp.received if r["event"] == "RETURN_ORDER")
    assert posting["returnOrderCode"] == rid and len(posting["shipments"]) == 1
    assert posting["shipments"][0]["shipmentItems"][0]["channelSkuCode"] == posting["items"][0]["channelSkuCode"]


def test_no_erp_url_no_postings(sim):
    plain = VmsWorld.create(sim)
    plain.to_stage(plain.place(1)[0], "READY_TO_DISPATCH")
    assert deliver(plain)["attempted"] == 0 and plain.postings() == []


def test_non_2xx_retried_with_backoff_in_simulated_time_and_journaled(sim):
    """Seed 002: any non-200 answer means the call is retried; every attempt is in the journal."""
    erp = TestErp([500, 500])
    try:
        w = VmsWorld.create(sim, erp_url=erp.url)
        order_id, _ = acknowledged_with_po(w)
        assert deliver(w) == {"attempted": 1, "delivered": 0, "retrying": 1, "failed": 0}
        assert deliver(w)["attempted"] == 0  # not due again until 30 simulated seconds pass
        w.advance(30)
        assert deliver(w)["retrying"] == 1
        w.advance(59)
        assert deliver(w)["attempted"] == 0
        w.advance(1)
        assert deliver(w)["delivered"] == 1
        posting = w.postings(entity_id=order_id)[0]
        assert posting["status"] == "DELIVERED" and posting["attempts"] == 3
        assert [(a["status"], a["outcome"].split(" ")[0]) for a in posting["log"]] == \
            [(500, "retry"), (500, "retry"), (200, "delivered")]
        assert [a["at"] for a in posting["log"]] == [T0 + 1800, T0 + 1830, T0 + 1890]
        entries = sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=http*", expect=200).json["entries"]
        assert [e["status"] for e in entries] == [500, 500, 200]
        assert json.loads(entries[0]["request_body"])["eventType"] == "OUTWARD_ORDER_CREATE"
        assert [r["answered"] for r in erp.received] == [500, 500, 200]
    finally:
        erp.close()


def test_unreachable_erp_is_retried_and_logged(sim):
    w = VmsWorld.create(sim, erp_url="http://127.0.0.1:9/nothing-listens-here")
    order_id, _ = acknowledged_with_po(w)
    assert deliver(w)["retrying"] == 1
    entry = w.postings(entity_id=order_id)[0]["log"][0]
    assert entry["status"] is None and "connection error" in entry["answer"]


def test_cancel_posting_waits_for_its_create(sim):
    """Postings about one order keep their order: OUTWARD_ORDER_CANCEL never overtakes a failing CREATE."""
    erp = TestErp([500])
    try:
        w = VmsWorld.create(sim, erp_url=erp.url)
        order_id, po = acknowledged_with_po(w)
        deliver(w)  # CREATE answered 500
        w.invoice(order_id, po)
        w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
        assert deliver(w)["attempted"] == 0
        w.advance(30)
        assert deliver(w)["delivered"] == 2
        assert erp.events() == ["OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"]
    finally:
        erp.close()


def test_postings_query_bad_input(sim):
    assert_error(sim.control("GET", "/erp/postings?status=SENT"), 400, field="status")
    assert_error(sim.control("GET", "/erp/postings?event_type=X"), 400, field="event_type")


def test_rsi_and_return_posting_share_return_id_and_ean_seed_002(sim, erp):
    """Seed 002 RSI key points: line items are identified by EAN in the return posting and in the RSI, and
    the return order id is in both; the RSI carries the plant/store code and the customer (channel) code."""
    w = VmsWorld.create(sim, return_model="rsi", erp_url=erp.url)
    rid = w.processed_return()
    deliver(w)
    posting = next(r["body"] for r in erp.received if r["event"] == "RETURN_ORDER")
    number = sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [rid]},
                         expect=201).json["rsiNumber"]
    rsi = sim.control("GET", f"/vms/rsi/{number}", expect=200).json
    assert {l["returnOrderCode"] for l in rsi["rsiLines"]} == {posting["returnOrderCode"]} == {rid}
    assert {l["clientSkuCode"] for l in rsi["rsiLines"]} == {i["channelSkuCode"] for i in posting["items"]}
    assert rsi["locationCode"] == posting["locationCode"] == w.pob["store_code"]
    assert rsi["channelName"] == posting["channelName"] != w.pob["pob_id"]  # the customer code, not the POB


def test_held_back_postings_never_hide_a_sendable_one(app, sim):
    """A posting waiting behind its order's failing CREATE is left out by the query itself: with room for
    one posting per round, another order's due posting still goes out."""
    from simulator import erp_delivery

    erp = TestErp([500])
    try:
        w = VmsWorld.create(sim, erp_url=erp.url)
        first, po = acknowledged_with_po(w)
        assert deliver(w)["retrying"] == 1  # first's CREATE: 500, due again in 30 simulated seconds
        w.invoice(first, po)
        w.ok(w.vms("POST", f"/orders/{first}/cancel", {}))  # its CANCEL: due, but held back
        second = w.place(1)[0]
        w.acknowledge(second)
        sim.control("POST", f"/vms/orders/{second}/po", {}, expect=200)  # PO now: the clock stays put
        sent = erp_delivery.deliver_due(app.extensions["ajio_sim"], limit=1)
        assert sent == {"attempted": 1, "delivered": 1, "retrying": 0, "failed": 0}
        assert erp.received[-1]["body"]["orderCode"] == second
        assert [p["status"] for p in w.postings(entity_id=first)] == ["PENDING", "PENDING"]
    finally:
        erp.close()


def test_a_redirect_is_not_success_and_is_retried(sim):
    """Seed 002: anything other than 200 is retried; a 302 is not followed (it would turn the POST into a GET)."""
    erp = TestErp([302])
    try:
        w = VmsWorld.create(sim, erp_url=erp.url)
        order_id, _ = acknowledged_with_po(w)
        assert deliver(w)["retrying"] == 1
        assert w.postings(entity_id=order_id)[0]["log"][0]["status"] == 302
        w.advance(30)
        assert deliver(w)["delivered"] == 1
    finally:
        erp.close()
