"""VMS forward flow in-process (seed 002): orders by date, acknowledgement, PO lag and missing PO,
B2B e-invoice, packing documents, seller cancellation per e-invoice model, manifest."""
from __future__ import annotations

import pytest
from dsworld import assert_error, pdf_text

from fixtures.simclient import T0
from fixtures.vmsworld import PO_LAG, VmsWorld

SEED2 = "seed 002"


@pytest.fixture
def w(sim) -> VmsWorld:
    return VmsWorld.create(sim)


@pytest.fixture
def rms(sim) -> VmsWorld:
    return VmsWorld.create(sim, einvoice_model="rms")




def order_with_lines(w: VmsWorld, quantities=(2, 1)) -> tuple[str, list[dict]]:
    """An order of len(quantities) distinct published SKUs with these quantities."""
    ids = []
    seed = 0
    while not ids:
        oid = w.place(1, seed=seed)[0]
        lines = w.order(oid)["order_lines"]
        if len(lines) >= len(quantities):
            ids = [l["sku"] for l in lines[: len(quantities)]]
        seed += 1
    oid = w.place(1, lines=[{"sku": s, "quantity": q} for s, q in zip(ids, quantities)])[0]
    return oid, w.order(oid)["order_lines"]


def invoiced(w: VmsWorld, order_id: str) -> dict:
    w.acknowledge(order_id)
    po = w.wait_po(order_id)
    return {"po": po, "invoice": w.invoice(order_id, po)}


# -- seller settings ---------------------------------------------------------------------------
def test_create_seller_vms_defaults_to_model1_and_credit_note(sim):
    """Seed 002: e-invoice model 1 (ERP) or 2 (RMS), return model credit note or RSI; chosen at creation."""
    pob = sim.control("POST", "/sellers", {"model": "vms"}, expect=201).json
    assert (pob["model"], pob["einvoice_model"], pob["return_model"]) == ("vms", "erp", "credit_note")
    pob = sim.control("POST", "/sellers", {"model": "vms", "einvoice_model": "rms", "return_model": "rsi"},
                      expect=201).json
    assert (pob["einvoice_model"], pob["return_model"]) == ("rms", "rsi")


@pytest.mark.parametrize("field,value", [("einvoice_model", "sap"), ("return_model", "cash")])
def test_create_seller_vms_unknown_setting_refused(sim, field, value):
    assert_error(sim.control("POST", "/sellers", {"model": "vms", field: value}), 400, field=field)


def test_create_seller_ds_with_vms_setting_refused(sim):
    assert_error(sim.control("POST", "/sellers", {"model": "ds", "return_model": "rsi"}), 400,
                 field="return_model", message="VMS setting")


# -- orders by date ------------------------------------------------------------------------------
def test_list_orders_filters_by_creation_date(w):
    """Seed 002: B2C orders are fetched with date filters (epoch seconds, API.md)."""
    early = w.place(2)
    w.advance(3600)
    late = w.place(1)
    r = w.ok(w.vms("GET", f"/orders?fromDate={T0}&toDate={T0 + 10}"))
    assert [o["order_id"] for o in r["orders"]] == early
    r = w.ok(w.vms("GET", f"/orders?fromDate={T0 + 3600}&toDate={T0 + 7200}"))
    assert [o["order_id"] for o in r["orders"]] == late
    order = r["orders"][0]
    assert order["status"] == "CREATED" and order["po_available"] is False
    assert {"order_item_id", "channelSkuCode", "quantity"} <= set(order["order_lines"][0])
    assert r["page"] == {"number": 0, "size": 20, "totalElements": 1, "totalPages": 1}


@pytest.mark.parametrize("qs,field", [("", "fromDate"), ("?fromDate=10", "toDate"),
                                      ("?fromDate=20&toDate=10", "fromDate"), ("?fromDate=x&toDate=1", "fromDate"),
                                      ("?fromDate=0&toDate=1&size=51", "size")])
def test_list_orders_bad_range_refused(w, qs, field):
    assert_error(w.vms("GET", "/orders" + qs), 400, field=field)


def test_vms_needs_a_vms_token(sim, w):
    ds = sim.seller()
    token = sim.login(ds)
    assert_error(w.vms("GET", f"/orders?fromDate=0&toDate={T0}", token=token), 401, field="apiKey")
    assert_error(w.vms("GET", f"/orders?fromDate=0&toDate={T0}", token=""), 401, field="apiKey")


def test_other_pobs_order_is_not_found(sim, w):
    other = VmsWorld.create(sim)
    order_id = other.place(1)[0]
    assert_error(w.vms("POST", f"/orders/{order_id}/acknowledge", {}), 404)
    assert_error(w.vms("GET", f"/orders/{order_id}/po"), 404)


# -- acknowledgement and customer cancellation ------------------------------------------------------
def test_customer_cancel_before_acknowledgement_allowed(w):
    """Seed 002: the hold window lets customers cancel until the acknowledgement reaches AJIO."""
    order_id = w.place(1)[0]
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel", {}, expect=200)
    assert w.order(order_id)["status"] == "CANCELLED"
    assert_error(w.vms("POST", f"/orders/{order_id}/acknowledge", {}), 409, code="ILLEGAL_TRANSITION")


def test_customer_cancel_after_acknowledgement_refused_seed_002(w):
    """Seed 002: 'At this step Ajio will stop customer cancellations'."""
    order_id = w.place(1)[0]
    ack = w.acknowledge(order_id)
    assert ack == {"order_id": order_id, "status": "ACKNOWLEDGED", "acknowledged_at": T0}
    r = w.sim.control("POST", f"/orders/{order_id}/customer-cancel", {})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", rule=SEED2)
    assert w.order(order_id)["status"] == "ACKNOWLEDGED"


def test_acknowledge_repeat_answers_the_first(w):
    order_id = w.place(1)[0]
    first = w.acknowledge(order_id)
    w.advance(60)
    assert w.acknowledge(order_id) == first
    timeline = w.sim.state(order_id)["timeline"]
    assert [t["to"] for t in timeline].count("ACKNOWLEDGED") == 1


def test_acknowledge_takes_empty_body_only(w):
    order_id = w.place(1)[0]
    assert_error(w.vms("POST", f"/orders/{order_id}/acknowledge", {"lines": []}), 400, field="lines")


# -- the B2B PO ----------------------------------------------------------------------------------
def test_po_before_acknowledgement_refused(w):
    order_id = w.place(1)[0]
    assert_error(w.vms("GET", f"/orders/{order_id}/po"), 409, field="order_id", rule=SEED2)


def test_po_lags_the_acknowledgement_not_yet_then_available(w):
    """Seed 002: B2B order details are fetched after the acknowledgement; the PO comes after a lag."""
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    r = w.vms("GET", f"/orders/{order_id}/po")
    body = assert_error(r, 404, code="NOT_YET", rule=SEED2)
    assert r.headers["Retry-After"] == str(PO_LAG) and body["available_at"] == T0 + PO_LAG
    po = w.wait_po(order_id)
    assert po["forwardPurchaseOrder"].startswith("40") and po["po_date"] == T0 + PO_LAG
    assert po["lines"] and all(l["quantity"] > 0 for l in po["lines"])
    assert "Purchase Order" in pdf_text(w.sim.get_url(po["po_pdf_url"], w.token).content)
    assert w.order(order_id)["po_available"] is True


def test_po_missing_knob_per_order_then_released(w):
    """Seed 002: the PO may be missing for a while; the control plane withholds and releases it."""
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    w.sim.control("POST", f"/vms/orders/{order_id}/po-missing", {"missing": True}, expect=200)
    w.advance(PO_LAG * 4)
    r = w.vms("GET", f"/orders/{order_id}/po")
    assert_error(r, 404, code="NOT_YET", message="missing")
    assert "Retry-After" not in r.headers
    assert w.sim.state(order_id)["vms"]["po_missing"] is True
    state = w.sim.control("POST", f"/vms/orders/{order_id}/po-missing", {"missing": False}, expect=200).json
    assert state["po_available"] is True
    assert w.ok(w.vms("GET", f"/orders/{order_id}/po"))["po_date"] == T0 + PO_LAG * 4


def test_po_missing_knob_per_pob_releases_every_due_po(w):
    orders = w.place(2)
    for order_id in orders:
        w.acknowledge(order_id)
    w.sim.control("POST", f"/vms/sellers/{w.pob['pob_id']}/po-missing", {"missing": True}, expect=200)
    w.advance(PO_LAG)
    for order_id in orders:
        assert_error(w.vms("GET", f"/orders/{order_id}/po"), 404, code="NOT_YET")
    out = w.sim.control("POST", f"/vms/sellers/{w.pob['pob_id']}/po-missing", {"missing": False}, expect=200).json
    assert sorted(out["released"]) == sorted(orders)
    for order_id in orders:
        assert w.ok(w.vms("GET", f"/orders/{order_id}/po"))["forwardPurchaseOrder"]


def test_po_issue_now_skips_the_lag(w):
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    w.sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
    assert w.ok(w.vms("GET", f"/orders/{order_id}/po"))["po_date"] == T0


# -- the B2B e-invoice ---------------------------------------------------------------------------
def test_b2b_invoice_whole_order(w):
    """Seed 002 payload: invoiceNumber, zoned invoiceDate, forwardPurchaseOrder, QR code, IRN, invoicePdf."""
    order_id, lines = order_with_lines(w, (2, 1))
    w.acknowledge(order_id)
    po = w.wait_po(order_id)
    answer = w.invoice(order_id, po)
    assert answer["order_status"] == "INVOICED" and answer["cancelled"] == []
    assert sorted((l["channelSkuCode"], l["quantity"]) for l in answer["invoiced"]) == \
        sorted((l["channelSkuCode"], l["quantity"]) for l in lines)
    text = pdf_text(w.sim.get_url(answer["invoice_pdf_url"], w.token).content)
    irn = w.invoice_payload(po)["irnNumber"]
    assert answer["invoiceNumber"] in text and irn in text.replace("\n", "")
    assert w.order(order_id)["invoiceNumber"] == answer["invoiceNumber"]


def test_partial_invoice_cancels_the_rest_seed_002(w):
    """Seed 002: 'for invoiced quantities ... B2B invoice ... other quantities will be cancelled'."""
    order_id, lines = order_with_lines(w, (2, 1))
    w.acknowledge(order_id)
    po = w.wait_po(order_id)
    first = lines[0]["channelSkuCode"]
    answer = w.invoice(order_id, po, lines=[{"channelSkuCode": first, "quantity": 1}], partial=True)
    assert answer["invoiced"] == [{"channelSkuCode": first, "quantity": 1}]
    assert sorted((c["channelSkuCode"], c["quantity"]) for c in answer["cancelled"]) == \
        sorted([(first, 1), (lines[1]["channelSkuCode"], 1)])
    after = {l["channelSkuCode"]: l for l in w.order(order_id)["order_lines"]}
    assert after[first]["quantity"] == 1 and after[first]["seller_cancelled_qty"] == 1
    assert after[lines[1]["channelSkuCode"]]["quantity"] == 0


def test_b2b_invoice_repeat_same_payload_answers_first_different_conflicts(w):
    """Idempotency: the same invoice again answers the first result; another payload is a ConflictingRepeat."""
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    po = w.wait_po(order_id)
    body = w.invoice_payload(po)
    first = w.ok(w.vms("POST", f"/orders/{order_id}/b2bInvoice", body))
    assert w.ok(w.vms("POST", f"/orders/{order_id}/b2bInvoice", body)) == first
    assert_error(w.vms("POST", f"/orders/{order_id}/b2bInvoice", {**body, "invoiceNumber": "OTHER1"}), 409,
                 code="CONFLICTING_REPEAT", field="invoiceNumber")


def _bad_invoice_cases(po: dict, lines: list[dict]) -> list:
    sku, qty = lines[0]["channelSkuCode"], lines[0]["quantity"]
    return [
        ("neither pdf nor url", {"invoicePdf": None}, 400, "invoicePdf"),
        ("url not a url", {"invoiceURL": "not a url"}, 400, "invoiceURL"),
        ("number over 16 characters", {"invoiceNumber": "INV-2026-00000001"}, 400, "invoiceNumber"),
        ("number with a space", {"invoiceNumber": "INV 1"}, 400, "invoiceNumber"),
        ("unknown PO", {"forwardPurchaseOrder": "4099999999"}, 400, "forwardPurchaseOrder"),
        ("quantity above ordered", {"isPartialInvoice": False, "invoiceLineEntries": [
            {"channelSkuCode": sku, "quantity": qty + 1}]}, 400, "invoiceLineEntries[0].quantity"),
        ("unknown sku", {"isPartialInvoice": True, "invoiceLineEntries": [
            {"channelSkuCode": "0000000000000", "quantity": 1}]}, 400, "invoiceLineEntries[0].channelSkuCode"),
        ("repeated sku", {"isPartialInvoice": True, "invoiceLineEntries": [
            {"channelSkuCode": sku, "quantity": 1}, {"channelSkuCode": sku, "quantity": 1}]}, 400,
         "invoiceLineEntries[1].channelSkuCode"),
        ("partial flag without lines", {"isPartialInvoice": True}, 400, "invoiceLineEntries"),
        ("whole lines flagged partial", {"isPartialInvoice": True, "invoiceLineEntries": [
            {"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]} for l in lines]}, 400,
         "isPartialInvoice"),
        ("date without zone", {"invoiceDate": "2026-11-23T10:00:00"}, 400, "invoiceDate"),
        ("pdf not base64", {"invoicePdf": "not base64!"}, 400, "invoicePdf"),
        ("missing irn", {"irnNumber": None}, 400, "irnNumber"),
        ("missing qr", {"qrCode": None}, 400, "qrCode"),
        ("flag as string", {"isPartialInvoice": "false"}, 400, "isPartialInvoice"),
        ("zero quantity", {"isPartialInvoice": True, "invoiceLineEntries": [
            {"channelSkuCode": sku, "quantity": 0}]}, 400, "invoiceLineEntries[0].quantity"),
        ("unknown field", {"invoiceTotal": 10}, 400, "invoiceTotal"),
    ]


def test_b2b_invoice_bad_input_names_field_and_applies_nothing(w):
    """Seed 002's mandatory and 'any one of' rules; quantities never above ordered; nothing half-applied."""
    order_id, lines = order_with_lines(w, (2, 1))
    w.acknowledge(order_id)
    po = w.wait_po(order_id)
    before = w.order(order_id)
    for name, change, status, field in _bad_invoice_cases(po, lines):
        body = {k: v for k, v in {**w.invoice_payload(po), **change}.items() if v is not None}
        r = w.vms("POST", f"/orders/{order_id}/b2bInvoice", body)
        assert_error(r, status, field=field), name
        assert w.order(order_id) == before, name
        if field in ("invoiceDate", "irnNumber", "qrCode", "invoicePdf"):   # a mandatory field's own rule
            assert r.json.get("rule_id") == "VMS-EINVOICE-FIELDS", (name, r.json)
    assert w.sim.state(order_id)["vms"]["b2b_invoice"] is None


def test_b2b_invoice_before_po_is_not_yet(w):
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    po = {"forwardPurchaseOrder": "4000000000"}
    assert_error(w.vms("POST", f"/orders/{order_id}/b2bInvoice", w.invoice_payload(po)), 409, code="NOT_YET")


def test_b2b_invoice_for_cancelled_order_refused(w):
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    po = w.wait_po(order_id)
    w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
    assert_error(w.vms("POST", f"/orders/{order_id}/b2bInvoice", w.invoice_payload(po)), 409,
                 code="ILLEGAL_TRANSITION", rule=SEED2, message="CANCELLED")


def test_b2b_invoice_before_acknowledgement_refused(w):
    order_id = w.place(1)[0]
    r = w.vms("POST", f"/orders/{order_id}/b2bInvoice", w.invoice_payload({"forwardPurchaseOrder": "4000000001"}))
    assert_error(r, 409, code="ILLEGAL_TRANSITION")


def test_b2b_invoice_accepts_invoice_url(w):
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    po = w.wait_po(order_id)
    body = {**w.invoice_payload(po), "invoiceURL": "https://erp.example.com/i/1.pdf"}
    del body["invoicePdf"]
    assert w.ok(w.vms("POST", f"/orders/{order_id}/b2bInvoice", body))["order_status"] == "INVOICED"


# -- packing documents -------------------------------------------------------------------------------
def test_documents_need_the_b2b_invoice_first(w):
    """Seed 002: B2C invoice and shipping label are fetched while packing, after the B2B invoice."""
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    assert_error(w.vms("GET", f"/orders/{order_id}/documents"), 409, code="ILLEGAL_TRANSITION", rule=SEED2)


def test_documents_are_real_pdfs_and_repeat_is_stable(w):
    order_id = w.place(1)[0]
    invoiced(w, order_id)
    docs = w.ok(w.vms("GET", f"/orders/{order_id}/documents"))
    assert w.ok(w.vms("GET", f"/orders/{order_id}/documents")) == docs
    assert w.order(order_id)["status"] == "PACKED"
    assert docs["tracking_number"] in pdf_text(w.sim.get_url(docs["label_pdf_url"], w.token).content)
    assert docs["b2c_invoice_number"] in pdf_text(w.sim.get_url(docs["b2c_invoice_pdf_url"], w.token).content)


# -- seller cancellation ---------------------------------------------------------------------------
def test_model1_partial_cancel_after_einvoice_refused_seed_002(w):
    """Seed 002 model 1: after the e-invoice only a complete cancellation; a missing item cancels the order."""
    order_id, lines = order_with_lines(w, (2, 1))
    invoiced(w, order_id)
    before = w.order(order_id)
    r = w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": lines[0]["channelSkuCode"],
                                                                 "quantity": 1}]})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", field="lines", rule="VMS-MODEL1-COMPLETE-CANCEL-ONLY")
    assert w.order(order_id) == before
    answer = w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {}))
    assert answer["status"] == "CANCELLED" and len(answer["cancelled"]) == 2
    assert w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {})) == answer  # a repeat answers the first


def test_model1_partial_cancel_covering_everything_is_complete(w):
    order_id, lines = order_with_lines(w, (2, 1))
    invoiced(w, order_id)
    body = {"lines": [{"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]} for l in lines]}
    assert w.ok(w.vms("POST", f"/orders/{order_id}/cancel", body))["status"] == "CANCELLED"


def test_model1_partial_cancel_before_einvoice_allowed(w):
    order_id, lines = order_with_lines(w, (2, 1))
    w.acknowledge(order_id)
    sku = lines[0]["channelSkuCode"]
    answer = w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    assert answer == {"order_id": order_id, "status": "ACKNOWLEDGED", "cancelled": [{"channelSkuCode": sku,
                                                                                    "quantity": 1}]}
    po = w.wait_po(order_id)
    assert {l["channelSkuCode"]: l["quantity"] for l in po["lines"]}[sku] == 1


def test_model2_partial_cancel_after_invoice_allowed_seed_002(rms):
    """Seed 002 model 2: 'if items are not found or damaged, order can be partially canceled'. The issued
    invoice is not edited: it is cancelled and the order waits, with its PO, for RMS's new invoice."""
    order_id, lines = order_with_lines(rms, (2, 1))
    first = invoiced(rms, order_id)
    sku = lines[0]["channelSkuCode"]
    answer = rms.ok(rms.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
    assert answer["status"] == "ACKNOWLEDGED" and answer["invoice_cancelled"] == first["invoice"]["invoiceNumber"]
    order = rms.order(order_id)
    line = {l["channelSkuCode"]: l for l in order["order_lines"]}[sku]
    assert line["quantity"] == 1 and line["invoiced_quantity"] is None and order["invoiceNumber"] is None


def test_model2_partial_cancel_after_packing_refused(rms):
    order_id, lines = order_with_lines(rms, (2, 1))
    invoiced(rms, order_id)
    rms.ok(rms.vms("GET", f"/orders/{order_id}/documents"))
    r = rms.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": lines[0]["channelSkuCode"],
                                                                   "quantity": 1}]})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", field="lines")


@pytest.mark.parametrize("body,field", [
    ({"lines": [{"channelSkuCode": "0000000000000", "quantity": 1}]}, "lines[0].channelSkuCode"),
    ({"lines": [{"channelSkuCode": "SKU", "quantity": 0}]}, "lines[0].quantity"),
    ({"lines": []}, "lines"),
    ({"reason": "x"}, "reason"),
])
def test_cancel_bad_input(w, body, field):
    order_id = w.place(1)[0]
    assert_error(w.vms("POST", f"/orders/{order_id}/cancel", body), 400, field=field)
    assert w.order(order_id)["status"] == "CREATED"


def test_cancel_quantity_above_open_refused(w):
    order_id, lines = order_with_lines(w, (2, 1))
    r = w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": lines[1]["channelSkuCode"],
                                                                 "quantity": 2}]})
    assert_error(r, 400, field="lines[0].quantity")


def test_cancel_after_manifest_refused(w):
    order_id = w.place(1)[0]
    w.to_stage(order_id, "READY_TO_DISPATCH")
    assert_error(w.vms("POST", f"/orders/{order_id}/cancel", {}), 409, code="ILLEGAL_TRANSITION")


# -- manifest ------------------------------------------------------------------------------------
def test_manifest_of_packed_orders_with_per_order_failures(w):
    """Seed 002: Create Manifest at handover; only packed orders; each order fails alone."""
    packed, unpacked = w.place(2)
    w.to_stage(packed, "PACKED")
    answer = w.ok(w.vms("POST", "/manifests", {"orderIds": [packed, unpacked, "FN0000000000"]}))
    assert answer["manifest_id"].startswith("MF")
    assert [f["orderId"] for f in answer["failed"]] == [unpacked, "FN0000000000"]
    assert packed in pdf_text(w.sim.get_url(answer["manifestUrl"], w.token).content)
    assert w.order(packed)["status"] == "READY_TO_DISPATCH" and w.order(packed)["manifest_id"] == answer["manifest_id"]
    again = w.ok(w.vms("POST", "/manifests", {"orderIds": [packed]}))
    assert again["manifest_id"] == answer["manifest_id"]


def test_manifest_line_failure_fault_fails_one_order_alone_and_a_second_manifest_takes_it(w):
    packed, other = w.place(2)
    w.to_stage(packed, "PACKED")
    w.to_stage(other, "PACKED")
    w.sim.control("POST", "/faults", {"match": {"method": "POST", "path": "/vms/manifests", "pob_id": w.pob["pob_id"]},
                                      "effects": [{"kind": "line_failure", "order_id": other}], "times": 1},
                  expect=201)
    answer = w.ok(w.vms("POST", "/manifests", {"orderIds": [packed, other]}))
    assert [f["orderId"] for f in answer["failed"]] == [other] and answer["manifest_id"]
    assert w.order(other)["status"] == "PACKED"
    again = w.ok(w.vms("POST", "/manifests", {"orderIds": [other]}))
    assert again["failed"] == [] and again["manifest_id"] != answer["manifest_id"]
    assert w.order(other)["status"] == "READY_TO_DISPATCH"


def test_manifest_nothing_packed_is_400_with_reasons(w):
    order_id = w.place(1)[0]
    body = assert_error(w.vms("POST", "/manifests", {"orderIds": [order_id]}), 400, field="orderIds")
    assert body["failed"][0]["orderId"] == order_id and body["manifest_id"] is None


def test_manifest_over_250_refused(w):
    """Increff support (API.md): at most 250 shipments per manifest."""
    assert_error(w.vms("POST", "/manifests", {"orderIds": [f"FN{i:010d}" for i in range(251)]}), 400,
                 field="orderIds", message="250")


def test_manifest_mixing_manifested_and_new_orders_conflicts(w):
    a, b = w.place(2)
    w.to_stage(a, "READY_TO_DISPATCH")
    w.to_stage(b, "PACKED")
    assert_error(w.vms("POST", "/manifests", {"orderIds": [a, b]}), 409, code="CONFLICTING_REPEAT", field="orderIds")
    assert w.order(b)["status"] == "PACKED"


def test_control_plane_shows_vms_status_and_flags(w):
    order_id = w.place(1)[0]
    w.to_stage(order_id, "INVOICED")
    state = w.sim.state(order_id)
    assert state["model"] == "vms" and state["status"] == "INVOICED" and state["ajio_status"] == "INVOICED"
    assert state["vms"]["einvoice_model"] == "erp" and state["vms"]["b2b_invoice"]["invoiceNumber"]
    assert "invoicePdf" not in state["vms"]["b2b_invoice"]  # the PDF bytes are not kept in the record


def test_vms_calls_are_journaled_with_violations(w):
    order_id = w.place(1)[0]
    w.vms("POST", f"/orders/{order_id}/cancel", {"lines": []})
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/vms/orders/*", expect=200).json["entries"]
    assert entries[-1]["status"] == 400 and entries[-1]["violations"][0]["field"] == "lines"



def test_vms_order_names_each_sku_once(w):
    """channelSkuCode identifies a VMS line (seed 002 invoiceLineEntries): an order repeats no SKU."""
    sku = w.order(w.place(1)[0])["order_lines"][0]["sku"]
    r = w.sim.control("POST", "/orders", {"pob_id": w.pob["pob_id"], "lines": [{"sku": sku}, {"sku": sku}]})
    assert_error(r, 400, field="lines", message="once")


def test_create_seller_vms_erp_url_must_be_http(sim):
    r = sim.control("POST", "/sellers", {"model": "vms", "erp_url": "ftp://erp.example.com/in"})
    assert_error(r, 400, field="erp_url")


def test_vms_documents_say_vms(w):
    order_id = w.place(1)[0]
    out = w.to_stage(order_id, "READY_TO_DISPATCH")
    for url in (out["po"]["po_pdf_url"], out["invoice"]["invoice_pdf_url"], out["documents"]["b2c_invoice_pdf_url"],
                out["documents"]["label_pdf_url"], out["manifest"]["manifestUrl"]):
        text = pdf_text(w.sim.get_url(url, w.token).content)
        assert "AJIO VMS" in text and "AJIO Dropship" not in text, url


def test_partial_cancel_of_a_cancelled_order_is_a_state_error(w):
    order_id, lines = order_with_lines(w, (2, 1))
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel", {}, expect=200)
    r = w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": lines[0]["channelSkuCode"],
                                                                 "quantity": 1}]})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", message="CANCELLED")
    assert_error(w.vms("POST", f"/orders/{order_id}/cancel", {}), 409, code="ILLEGAL_TRANSITION")


POSTS = ["/orders/{o}/acknowledge", "/orders/{o}/b2bInvoice", "/orders/{o}/cancel", "/manifests", "/returns/rto",
         "/returns/RT00000000/qc", "/returns/RT00000000/creditNote", "/rsi/3100000000/accept"]


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("raw,ctype,status", [("[]", "application/json", 400), ('"x"', "application/json", 400),
                                              ("{", "application/json", 400), ("{}", "text/plain", 415)],
                         ids=["array", "string", "broken", "not-json"])
def test_every_vms_post_refuses_malformed_bodies(w, path, raw, ctype, status):
    """Bad input is a 4xx naming the body, never a 500, on every POST of /vms."""
    order_id = w.place(1)[0]
    r = w.sim.http("POST", "/vms" + path.format(o=order_id), data=raw,
                   headers={"apiKey": w.token, "Content-Type": ctype})
    assert_error(r, status)
    assert w.order(order_id)["status"] == "CREATED"


def test_po_missing_fault_holds_the_vms_po(w):
    """The po_missing fault (docs/faults.md) works on VMS too: the PO a matched acknowledgement waits for
    comes no earlier than the fault says (seed 002: the PO may be missing for a while)."""
    order_id = w.place(1)[0]
    rule = {"match": {"method": "POST", "path": "/vms/orders/*/acknowledge", "pob_id": w.pob["pob_id"]},
            "effects": [{"kind": "po_missing", "minutes": 120}]}
    w.sim.control("POST", "/faults", rule, expect=201)
    w.acknowledge(order_id)
    w.advance(PO_LAG)
    r = w.vms("GET", f"/orders/{order_id}/po")
    assert_error(r, 404, code="NOT_YET")
    assert r.headers["Retry-After"] == str(120 * 60 - PO_LAG)
    w.advance(120 * 60 - PO_LAG)
    assert w.ok(w.vms("GET", f"/orders/{order_id}/po"))["po_date"] == T0 + 120 * 60
