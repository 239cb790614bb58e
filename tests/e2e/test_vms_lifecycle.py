"""VMS lives through the real `ajio-sim serve` process (seeds 002, 004): both e-invoice models, both
return models, and a real HTTP test ERP fed by the server's background sender."""
from __future__ import annotations

import threading
from urllib.parse import quote

import pytest

from fixtures.vmsworld import PO_LAG, TestErp, VmsWorld, zoned

pytestmark = pytest.mark.e2e


def _pdf(w: VmsWorld, url: str) -> None:
    r = w.sim.get_url(url, w.token)
    assert r.status == 200 and r.mimetype == "application/pdf" and r.content.startswith(b"%PDF"), r.content[:200]


def _now(w: VmsWorld) -> int:
    return w.sim.control("GET", "/clock", expect=200).json["now"]


def _two_sku_order(w: VmsWorld, quantities=(2, 1)) -> str:
    skus, seed = [], 0
    while len(skus) < len(quantities):
        line = w.order(w.place(1, seed=seed)[0])["order_lines"][0]
        if line["sku"] not in skus:
            skus.append(line["sku"])
        seed += 1
    return w.place(1, lines=[{"sku": s, "quantity": q} for s, q in zip(skus, quantities)])[0]


@pytest.fixture
def erp():
    server = TestErp()
    yield server
    server.close()


def test_model1_credit_note_life_with_erp_retries(live):
    """Model 1 (e-invoice via ERP) and the credit-note return model, order to credit note:
    customer cancel before ack and refused after, PO lag, partial e-invoice via /ajio-vms cancelling the
    rest, packing, manifest, delivery, customer return, QC FAIL with reason, credit note via /ajio-vms;
    the test ERP answers 500 twice then 200 and the journal shows the retries (seeds 002, 004)."""
    erp = TestErp([500, 500])
    try:
        w = VmsWorld.create(live, erp_url=erp.url)
        # Customer cancellation: possible before the acknowledgement, refused after it (seed 002).
        early = w.place(1)[0]
        live.control("POST", f"/orders/{early}/customer-cancel", {}, expect=200)
        assert w.order(early)["status"] == "CANCELLED"

        order_id = _two_sku_order(w, (3, 1))
        lines = w.order(order_id)["order_lines"]
        w.acknowledge(order_id)
        refused = live.control("POST", f"/orders/{order_id}/customer-cancel", {})
        assert refused.status == 409 and refused.json["rule_id"] == "VMS-CUSTOMER-CANCEL-UNTIL-ACK"

        # PO lag: "not yet" (404) with Retry-After, then the PO; the ERP gets OUTWARD_ORDER_CREATE.
        r = w.vms("GET", f"/orders/{order_id}/po")
        assert r.status == 404 and r.json["error_code"] == "NOT_YET" and r.headers["Retry-After"] == str(PO_LAG)
        po = w.wait_po(order_id)
        posting = w.wait_attempts(order_id, 1)
        assert posting["event_type"] == "OUTWARD_ORDER_CREATE" and posting["log"][0]["status"] == 500
        w.advance(30)  # the retry is due 30 simulated seconds later (backoff in simulated time)
        assert w.wait_attempts(order_id, 2)["log"][1]["status"] == 500
        w.advance(60)
        assert w.wait_attempts(order_id, 3)["status"] == "DELIVERED"
        assert [g["answered"] for g in erp.received] == [500, 500, 200]
        assert erp.received[0]["body"]["forwardPurchaseOrder"] == po["forwardPurchaseOrder"]
        journal = live.control("GET", f"/journal?pob_id={w.pob['pob_id']}&entity_id={order_id}&path=http*",
                               expect=200).json["entries"]
        assert [e["status"] for e in journal] == [500, 500, 200]
        assert all("eventType=OUTWARD_ORDER_CREATE" in e["query"] for e in journal)

        # The ERP posts a partial e-invoice (seed 002): the rest is cancelled.
        keep = lines[0]["channelSkuCode"]
        body = w.invoice_payload(po, lines=[{"channelSkuCode": keep, "quantity": 2}], partial=True)
        posted = w.ok(w.erp("POST", "/b2bInvoice/posting", body))
        assert posted["status"] == "SUCCESS" and posted["order_id"] == order_id
        order = w.order(order_id)
        assert order["status"] == "INVOICED"
        assert {l["channelSkuCode"]: l["quantity"] for l in order["order_lines"]} == \
            {keep: 2, lines[1]["channelSkuCode"]: 0}
        # After the e-invoice (model 1) a partial cancellation is refused.
        r = w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": keep, "quantity": 1}]})
        assert r.status == 409 and r.json["field"] == "lines" and r.json["rule_id"] == "VMS-MODEL1-COMPLETE-CANCEL-ONLY"

        docs = w.ok(w.vms("GET", f"/orders/{order_id}/documents"))
        _pdf(w, docs["label_pdf_url"])
        _pdf(w, docs["b2c_invoice_pdf_url"])
        manifest = w.ok(w.vms("POST", "/manifests", {"orderIds": [order_id]}))
        _pdf(w, manifest["manifestUrl"])
        erp.wait_for(lambda got: any(g["event"] == "OUTWARD_ORDER_COMPLETE" for g in got))
        complete = next(g["body"] for g in erp.received if g["event"] == "OUTWARD_ORDER_COMPLETE")
        assert {i["channelSkuCode"]: i["cancelledQuantity"] for i in complete["orderItems"]} == \
            {keep: 1, lines[1]["channelSkuCode"]: 1}

        live.control("POST", f"/orders/{order_id}/pickup", expect=200)
        live.control("POST", f"/orders/{order_id}/deliver", expect=200)
        rid = live.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
        live.control("POST", f"/returns/{rid}/deliver", expect=200)
        ret = next(r for r in w.returns() if r["return_order_id"] == rid)
        assert ret["order_id"] == order_id and ret["items"][0]["quantity"] == 2
        qc = w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": [
            {"itemCode": ret["items"][0]["itemCode"], "quantity": 1, "qcStatus": "FAIL", "qcReason": "PART_MISSING",
             "imageUrls": ["https://img.example.com/qc/1.jpg"]},
            {"channelSkuCode": keep, "quantity": 1, "qcStatus": "PASS"}]}))
        assert qc["items"][0]["qc"]["qcReasons"] == ["PART_MISSING"]
        erp.wait_for(lambda got: any(g["event"] == "RETURN_ORDER" for g in got))
        ret_posting = next(g["body"] for g in erp.received if g["event"] == "RETURN_ORDER")
        assert ret_posting["shipments"] == []
        assert [(i["qcStatus"], i["qcReason"]) for i in ret_posting["items"]] == [("FAIL", "PART_MISSING"),
                                                                                 ("PASS", None)]

        credit = w.ok(w.erp("POST", "/creditNote/posting", w.credit_note_payload(rid)))
        assert credit["status"] == "SUCCESS"
        state = live.return_state(rid)
        assert state["status"] == "RETURN_PROCESSED" and state["credit_note"]["credit_note_number"] == \
            credit["creditNoteNumber"]
        assert [t["to"] for t in live.state(order_id)["timeline"]] == [
            "CREATED", "ACKNOWLEDGED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED",
            "DELIVERED", "DELIVERED"]
    finally:
        erp.close()


def test_model1_complete_only_cancellation_posts_cancel(live, erp):
    """Seed 002 model 1: a missing or damaged item forces cancelling the whole order; seed 004: the ERP
    gets OUTWARD_ORDER_CANCEL for it (never a partial one)."""
    w = VmsWorld.create(live, erp_url=erp.url)
    order_id = _two_sku_order(w)
    out = w.to_stage(order_id, "PACKED")
    sku = out["po"]["lines"][0]["channelSkuCode"]
    r = w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]})
    assert r.status == 409 and r.json["error_code"] == "ILLEGAL_TRANSITION"
    assert w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))["status"] == "CANCELLED"
    got = erp.wait_for(lambda got: any(g["event"] == "OUTWARD_ORDER_CANCEL" for g in got))
    assert [g["event"] for g in got] == ["OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"]
    cancel = got[1]["body"]
    assert cancel["orderCode"] == order_id and cancel["invoiceNumber"] == out["invoice"]["invoiceNumber"]


def test_model2_rsi_life_with_missing_po_and_rto_request(live):
    """Model 2 (RMS) and the RSI return model: missing PO released, partial cancellation after the
    invoice, RTO generation request with the expectation after a lag, QC FAIL, RSI range rule, RSI
    fetched by connector and ERP, accepted (seed 002)."""
    w = VmsWorld.create(live, einvoice_model="rms", return_model="rsi")
    order_id = _two_sku_order(w, (2, 2))
    w.acknowledge(order_id)
    live.control("POST", f"/vms/orders/{order_id}/po-missing", {"missing": True}, expect=200)
    w.advance(PO_LAG * 2)
    r = w.vms("GET", f"/orders/{order_id}/po")
    assert r.status == 404 and "missing" in r.json["error_message"] and "Retry-After" not in r.headers
    live.control("POST", f"/vms/orders/{order_id}/po-missing", {"missing": False}, expect=200)
    po = w.ok(w.vms("GET", f"/orders/{order_id}/po"))
    first = w.invoice(order_id, po)
    sku = po["lines"][0]["channelSkuCode"]
    partial = w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    # The issued RMS invoice is cancelled, not edited: RMS invoices what is left, with a new number and IRN.
    assert partial["status"] == "ACKNOWLEDGED" and partial["invoice_cancelled"] == first["invoiceNumber"]
    assert w.vms("GET", f"/orders/{order_id}/documents").status == 409
    w.ok(w.vms("POST", f"/orders/{order_id}/b2bInvoice",
               w.invoice_payload(po, invoiceNumber="RMS/2/" + po["forwardPurchaseOrder"][-6:], irnNumber="d" * 64)))
    w.ok(w.vms("GET", f"/orders/{order_id}/documents"))
    w.ok(w.vms("POST", "/manifests", {"orderIds": [order_id]}))
    live.control("POST", f"/orders/{order_id}/pickup", expect=200)

    # The parcel came back without an RTO expectation: request one; it arrives after a lag.
    asked = w.ok(w.vms("POST", "/returns/rto", {"order_id": order_id}))
    assert [r for r in w.returns(returnType="RTO") if r["order_id"] == order_id] == []
    w.advance(asked["expectation_due_at"] - _now(w))
    [rto] = [r for r in w.returns(returnType="RTO") if r["order_id"] == order_id]
    assert {i["channelSkuCode"]: i["quantity"] for i in rto["items"]} == {sku: 1, po["lines"][1]["channelSkuCode"]: 2}
    items = [{"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS"} for i in rto["items"]]
    items[0] = {**items[0], "qcStatus": "FAIL", "qcReason": "PACKAGING_DAMAGE"}
    w.ok(w.vms("POST", f"/returns/{rto['return_order_id']}/qc", {"items": items}))

    number = live.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [rto["return_order_id"]]},
                          expect=201).json["rsiNumber"]
    now = _now(w)
    too_wide = f"/rsi?rsiDateFrom={quote(zoned(now - 3 * 86400))}&rsiDateTo={quote(zoned(now))}"
    r = w.vms("GET", too_wide)
    assert r.status == 400 and r.json["field"] == "rsiDateTo"
    window = f"/rsi?rsiDateFrom={quote(zoned(now - 86400))}&rsiDateTo={quote(zoned(now + 86400))}"
    [rsi] = w.ok(w.vms("GET", window))["returnSalesInvoices"]
    assert rsi["rsiNumber"] == number and {l["returnOrderCode"] for l in rsi["rsiLines"]} == {rto["return_order_id"]}
    assert w.ok(w.erp("GET", window))["returnSalesInvoices"] == [rsi]
    _pdf(w, rsi["rsiPdfUrl"])
    assert w.ok(w.vms("POST", f"/rsi/{number}/accept", {}))["status"] == "ACCEPTED"
    r = w.vms("POST", f"/returns/{rto['return_order_id']}/creditNote", w.credit_note_payload(rto["return_order_id"]))
    assert r.status == 409  # the RSI model has no seller credit note


def test_rsi_accepted_before_the_items_arrive(live):
    """Seed 002: RSI may list items not received yet; they are marked ACCEPTED all the same."""
    w = VmsWorld.create(live, return_model="rsi")
    order_id = w.place(1)[0]
    w.to_stage(order_id, "DELIVERED")
    rid = live.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
    number = live.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [rid]},
                          expect=201).json["rsiNumber"]
    assert w.ok(w.vms("POST", f"/rsi/{number}/accept", {}))["status"] == "ACCEPTED"
    assert live.return_state(rid)["status"] == "RETURN_INITIATED"


@pytest.fixture
def gated_erp():
    """A test ERP that holds each answer until the test opens the gate."""
    gate = threading.Event()
    erp = TestErp(gate=gate)
    yield gate, erp
    gate.set()
    erp.close()


def _create_in_flight(live, erp) -> tuple[VmsWorld, str, dict]:
    """An acknowledged order whose OUTWARD_ORDER_CREATE the background sender has posted, unanswered."""
    w = VmsWorld.create(live, erp_url=erp.url)
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    po = w.wait_po(order_id)  # queues OUTWARD_ORDER_CREATE; the background sender posts it
    assert erp.arrived.wait(15), "the background sender did not post"
    return w, order_id, po


def test_a_hanging_erp_does_not_hold_up_requests(live, gated_erp):
    """Delivery must not block request handling: while the ERP holds its answer, the connector's calls
    and the control plane are served (they would wait on the ERP if postings went out inside them)."""
    gate, erp = gated_erp
    w, order_id, po = _create_in_flight(live, erp)
    assert not gate.is_set() and erp.received == []  # the ERP has the posting and has not answered
    w.invoice(order_id, po)
    w.ok(w.vms("GET", f"/orders/{order_id}/documents"))
    assert w.postings(entity_id=order_id)[0]["attempts"] == 0  # still in flight
    gate.set()
    assert w.wait_attempts(order_id, 1)["status"] == "DELIVERED"


def test_a_create_in_flight_is_not_withdrawn_by_a_cancellation(live, gated_erp):
    """A CREATE the background sender is posting may already be in the ERP's books: a complete cancellation
    then leaves it alone (only a CREATE the ERP cannot have received is withdrawn) and the CANCEL follows it."""
    gate, erp = gated_erp
    w, order_id, _ = _create_in_flight(live, erp)
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
    gate.set()
    got = erp.wait_for(lambda got: len(got) >= 2)
    assert [g["event"] for g in got] == ["OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"]
    assert {p["status"] for p in w.postings(entity_id=order_id)} == {"DELIVERED"}


def test_model2_credit_note_via_rms_life(live, erp):
    """Model 2 with the credit-note return model ('Credit note via RMS', seed 002): no forward posting goes
    to the ERP; after QC the return order posting (shipments []) does, and the credit note is posted on /vms."""
    w = VmsWorld.create(live, einvoice_model="rms", erp_url=erp.url)
    order_id = w.place(1)[0]
    w.to_stage(order_id, "DELIVERED")
    rid = live.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
    live.control("POST", f"/returns/{rid}/deliver", expect=200)
    ret = next(r for r in w.returns() if r["return_order_id"] == rid)
    w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": [
        {"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS"} for i in ret["items"]]}))
    got = erp.wait_for(lambda got: len(got) >= 1)
    assert [g["event"] for g in got] == ["RETURN_ORDER"] and got[0]["body"]["shipments"] == []
    credit = w.ok(w.vms("POST", f"/returns/{rid}/creditNote", w.credit_note_payload(rid)))
    _pdf(w, credit["credit_note_pdf_url"])
    assert live.return_state(rid)["timeline"][-1]["cause"].startswith(f"credit note {credit['creditNoteNumber']}")


def test_gunicorn_workers_send_erp_postings(tmp_path):
    """`serve --workers 2` sends ERP postings by itself, once each, as the one-process server does
    (before, only the one-process server ran the background sender: postings waited for /_sim)."""
    from fixtures.simclient import HttpTransport, ServerProcess, Sim
    erp = TestErp()
    server = ServerProcess(tmp_path / "store.sqlite3", "--workers", "2")
    try:
        w = VmsWorld.create(Sim(HttpTransport(server.base_url)), erp_url=erp.url)
        order_ids = w.place(3)
        for order_id in order_ids:
            w.acknowledge(order_id)
        w.advance(PO_LAG)
        for order_id in order_ids:
            assert w.wait_attempts(order_id, 1)["status"] == "DELIVERED"
        created = sorted(g["body"]["forwardPurchaseOrder"] for g in erp.received)
        assert len(created) == 3 and len(set(created)) == 3, "each posting sent exactly once"
    finally:
        server.stop()
        erp.close()
