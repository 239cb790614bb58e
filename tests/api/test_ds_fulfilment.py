"""Dropship fulfilment: PO lag, invoice -> label -> manifest, retries, documents (seed 000 points 5-10, seed 003)."""
from __future__ import annotations

import pytest
from dsworld import PO_LAG, Order, World, assert_error, pdf_amount, pdf_text

from fixtures.simclient import PARCEL


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def acknowledged(w: World) -> tuple[str, int]:
    [order_id] = w.place()
    assert w.acknowledge(order_id).status == 200
    return order_id, w.sim.control("GET", "/clock", expect=200).json["now"]


def dispatch(w: World, items: list[dict], **extra):
    return w.ds("POST", "/orders/dispatch", {"dispatchItems": items, **extra})


# -- the PO and the B2B invoice --------------------------------------------------------------------
def test_invoice_before_po_not_yet_with_retry_after(w):
    """API.md: the PO lags the acknowledgement; the B2B invoice needs it (the order is on hold)."""
    order_id, _ = acknowledged(w)
    body = assert_error(w.ds("POST", f"/orders/{order_id}/invoice", {}), 409, code="NOT_YET", rule="DS-PO-ON-HOLD")
    assert body["available_at"] == w.state(order_id)["po_due_at"]
    w.advance(600)
    r = w.ds("POST", f"/orders/{order_id}/invoice", {})
    assert_error(r, 409, code="NOT_YET")
    assert int(r.headers["Retry-After"]) == PO_LAG - 600
    assert w.order(order_id)["invoice_number"] is None


def test_po_fields_absent_one_second_before_po_lag(w):
    """API.md: the PO lags the acknowledgement (30 simulated minutes here)."""
    order_id, _ = acknowledged(w)
    w.advance(PO_LAG - 1)
    assert w.order(order_id)["po_number"] is None
    assert w.ds("POST", f"/orders/{order_id}/invoice", {}).status == 409


def test_po_fields_appear_after_po_lag(w):
    """API.md (grounded): acknowledged orders add po_number, po_date, po_pdf_url, po_amount, total_tax."""
    order_id, acked_at = acknowledged(w)
    w.advance(PO_LAG)
    order = w.order(order_id)
    assert order["po_number"] and order["po_number"].isdigit()
    assert order["po_date"] == acked_at + PO_LAG
    assert order["po_pdf_url"].startswith("http://localhost/documents/")
    assert order["po_amount"] > order["total_tax"] > 0
    assert round(sum(l["tax_summary"]["taxable_value"] + l["tax_summary"]["tax_amount"]
                     for l in order["order_lines"]), 2) == pytest.approx(order["po_amount"], abs=0.05)
    po = w.sim.get_url(order["po_pdf_url"], w.token)
    assert po.status == 200 and order["po_number"] in pdf_text(po.content)
    assert w.state(order_id)["on_hold"] is False


def test_po_never_issued_for_an_order_cancelled_during_the_lag(w):
    """Seed 000 point 12.1: the customer may cancel before invoicing; AJIO then issues no PO for it."""
    order_id, _ = acknowledged(w)
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel", expect=200)
    w.advance(2 * PO_LAG)
    order = w.order(order_id)
    assert order["status"] == "CANCELLED" and order["po_number"] is None
    assert [d["kind"] for d in w.state(order_id)["documents"]] == []
    assert_error(w.ds("POST", f"/orders/{order_id}/invoice", {}), 409, code="ILLEGAL_TRANSITION")


def test_invoice_repeat_returns_the_same_invoice(w):
    """Seed 000 point 7: the B2B invoice is fetched from AJIO; a retry never gets a second number."""
    order_id = w.one("CONFIRMED").order_id
    first = w.ok("POST", f"/orders/{order_id}/invoice", {})
    timeline = w.state(order_id)["timeline"]
    again = w.ok("POST", f"/orders/{order_id}/invoice", {})
    assert again == first
    assert w.state(order_id)["timeline"] == timeline
    assert w.order(order_id)["invoice_number"] == first["invoice_number"]


def test_invoice_on_pendency_order_illegal_transition(w):
    """Seed 000 point 6: invoice -> label -> manifest; the invoice needs an acknowledged order."""
    [order_id] = w.place()
    assert_error(w.ds("POST", f"/orders/{order_id}/invoice", {}), 409, code="ILLEGAL_TRANSITION",
                 rule="DS-INVOICE-LABEL-MANIFEST")


@pytest.mark.parametrize("key", ["lines", "items", "quantity", "order_item_ids"])
def test_invoice_naming_a_part_of_the_order_refused(w, key):
    """Seed 000 point 5: order split is not supported; the invoice covers the whole order."""
    order_id = w.one("CONFIRMED").order_id
    before = w.snapshot([order_id])
    assert_error(w.ds("POST", f"/orders/{order_id}/invoice", {key: [1]}), 400, code="VALIDATION_FAILED",
                 field=key, message="seed 000 point 5")
    assert w.snapshot([order_id]) == before


def test_invoice_of_another_pobs_order_not_found(w):
    theirs = World.new(w.sim)
    order_id = theirs.one("CONFIRMED").order_id
    w.relogin()  # the other POB's PO wait outlived this token
    assert_error(w.ds("POST", f"/orders/{order_id}/invoice", {}), 404, code="NOT_FOUND", field="order_id")
    assert theirs.order(order_id)["invoice_number"] is None


# -- the label -----------------------------------------------------------------------------------
def test_label_before_invoice_illegal_transition_naming_seed(w):
    """Seed 000 point 6: invoice generation > label generation > manifest."""
    order_id = w.one("CONFIRMED").order_id
    before = w.snapshot([order_id])
    assert_error(w.ds("POST", f"/orders/{order_id}/label", PARCEL), 409, code="ILLEGAL_TRANSITION",
                 field="status", rule="DS-INVOICE-LABEL-MANIFEST")
    assert w.snapshot([order_id]) == before


def test_label_without_dimensions_names_the_rule(w):
    """Seed 003: "Ensure package weight and dimensions are entered": the refusal names the rule, not only the field."""
    order_id = w.one("INVOICED").order_id
    before = w.snapshot([order_id])
    assert_error(w.ds("POST", f"/orders/{order_id}/label", {"weight_grams": 450}), 400, code="VALIDATION_FAILED",
                 field="length_cm", rule="DS-LABEL-NEEDS-DIMENSIONS")
    assert w.snapshot([order_id]) == before


def test_label_repeat_same_dimensions_same_awb(w):
    """Seed 000 point 8: the label (and B2C invoice) is fetched from AJIO; a retry gets the same AWB."""
    order = w.one("PACKED")
    again = w.ok("POST", f"/orders/{order.order_id}/label", dict(PARCEL))
    assert again == order.label
    assert [t["to"] for t in w.state(order.order_id)["timeline"]].count("PACKED") == 1


def test_label_repeat_other_dimensions_conflict(w):
    """Seed 000 point 5: one order ships as one package; a second parcel would split it."""
    order = w.one("PACKED")
    before = w.snapshot([order.order_id])
    assert_error(w.ds("POST", f"/orders/{order.order_id}/label", {**PARCEL, "weight_grams": 900}), 409,
                 code="CONFLICTING_REPEAT", field="weight_grams", rule="DS-NO-ORDER-SPLIT",
                 message=order.label["tracking_number"])
    assert w.snapshot([order.order_id]) == before


def test_label_answer_and_order_carry_the_awb(w):
    """API.md: tracking_number is the AWB, used as masterAWB in dispatch; the order becomes PACKED."""
    order = w.one("PACKED")
    assert set(order.label) >= {"tracking_number", "carrier", "label_pdf_url", "b2c_invoice_pdf_url"}
    listed = w.order(order.order_id)
    assert listed["status"] == "PACKED" and listed["tracking_number"] == order.label["tracking_number"]
    assert listed["carrier"] == order.label["carrier"]


# -- dispatch (manifest) -------------------------------------------------------------------------
BAD_ITEMS = {
    "wrong-masterAWB": lambda o, others: {**o.dispatch_item, "masterAWB": "NOTTHEAWB1"},
    "wrong-invoiceNo": lambda o, others: {**o.dispatch_item, "invoiceNo": "NOTTHEINVOICE"},
    "unpacked-order": lambda o, others: {"masterAWB": "AWB0", "orderId": others["invoiced"],
                                         "invoiceNo": others["invoice_number"]},
    "unknown-order": lambda o, others: {**o.dispatch_item, "orderId": "FN0000000000"},
    "other-pobs-order": lambda o, others: others["theirs"],
}


@pytest.mark.parametrize("case", list(BAD_ITEMS))
def test_dispatch_bad_item_fails_alone_good_items_manifested(w, case):
    """Grounded: per-item partial failure in failedDispatchItems inside a 200; the rest is manifested."""
    theirs = World.new(w.sim).one("PACKED")
    invoiced = w.one("INVOICED")
    good, bad = w.drive("PACKED", 2)
    others = {"invoiced": invoiced.order_id, "invoice_number": invoiced.invoice["invoice_number"],
              "theirs": theirs.dispatch_item}
    bad_item = BAD_ITEMS[case](bad, others)
    r = dispatch(w, [good.dispatch_item, bad_item])
    assert r.status == 200, r.content
    assert r.json["status"] == "SUCCESS" and r.json["manifest_id"] and r.json["manifestUrl"]
    [failed] = r.json["failedDispatchItems"]
    assert {k: failed[k] for k in ("masterAWB", "orderId", "invoiceNo")} == bad_item
    assert failed["error_message"]
    assert w.order(good.order_id)["status"] == "READY_TO_DISPATCH"
    assert w.order(good.order_id)["manifest_id"] == r.json["manifest_id"]
    assert w.order(bad.order_id)["status"] == "PACKED"
    assert w.order(invoiced.order_id)["status"] == "CONFIRMED"


def test_dispatch_all_items_failing_refused_with_status_failed(w):
    """Seed 000 point 10: the manifest closes only with shipments in it; nothing manifested is a 4xx."""
    a, b = w.drive("PACKED", 2)
    before = w.snapshot([a.order_id, b.order_id])
    items = [{**a.dispatch_item, "masterAWB": "X1"}, {**b.dispatch_item, "invoiceNo": "X2"}]
    r = dispatch(w, items)
    assert r.status == 400
    assert r.json["status"] == "FAILED" and r.json["manifest_id"] is None and r.json["manifestUrl"] is None
    assert [f["orderId"] for f in r.json["failedDispatchItems"]] == [a.order_id, b.order_id]
    assert r.json["error_message"]
    assert w.snapshot([a.order_id, b.order_id]) == before


def test_dispatch_same_order_twice_in_one_call_fails_the_repeat(w):
    order = w.one("PACKED")
    r = dispatch(w, [order.dispatch_item, order.dispatch_item])
    assert r.status == 200 and r.json["status"] == "SUCCESS"
    assert [f["error_message"] for f in r.json["failedDispatchItems"]] == ["orderId repeated in this manifest"]


def test_dispatch_retry_of_the_same_call_returns_the_same_manifest(w):
    """API.md: Unicommerce's CreateManifest utility retries up to 3 times until status is SUCCESS."""
    orders = w.drive("PACKED", 2)
    items = [o.dispatch_item for o in orders]
    first = dispatch(w, items)
    assert first.status == 200
    timelines = [w.state(o.order_id)["timeline"] for o in orders]
    for _ in range(3):
        again = dispatch(w, items)
        assert (again.status, again.json) == (200, first.json)
    assert [w.state(o.order_id)["timeline"] for o in orders] == timelines


def test_dispatch_retry_with_a_still_failing_item_returns_the_same_manifest(w):
    good, bad = w.drive("PACKED", 2)
    items = [good.dispatch_item, {**bad.dispatch_item, "masterAWB": "WRONG"}]
    first = dispatch(w, items)
    again = dispatch(w, items)
    assert again.status == 200 and again.json == first.json


def test_dispatch_mixing_manifested_and_new_orders_conflicts(w):
    """Seed 000 point 10: an order is on one manifest; a retry must not mix in new orders."""
    first, second = w.drive("PACKED", 2, carrier="Delhivery")
    dispatch(w, [first.dispatch_item])
    before = w.snapshot([second.order_id])
    assert_error(dispatch(w, [first.dispatch_item, second.dispatch_item]), 409, code="CONFLICTING_REPEAT",
                 field="dispatchItems")
    assert w.snapshot([second.order_id]) == before


def test_dispatch_body_with_unicommerce_auth_string_accepted(w):
    """API.md: Unicommerce's utility sends an "auth" string beside dispatchItems; a real client's body."""
    order = w.one("PACKED")
    r = dispatch(w, [order.dispatch_item], auth="Bearer 3f9c0a1e-uc-channel-token")
    assert r.status == 200 and r.json["status"] == "SUCCESS" and r.json["failedDispatchItems"] == []


# -- documents ------------------------------------------------------------------------------------
def test_label_pdf_carries_the_awb(w):
    """Seed 000 point 8 / seed 003 step 8: the label is fetched from AJIO with the tracking number."""
    order = w.one("PACKED")
    r = w.sim.get_url(order.label["label_pdf_url"], w.token)
    assert r.status == 200 and r.mimetype == "application/pdf"
    assert order.label["tracking_number"] in pdf_text(r.content)


def test_b2b_invoice_pdf_carries_the_invoice_number(w):
    """Seed 000 point 7: the B2B invoice PDF with invoice details is fetched from AJIO."""
    order = w.one("INVOICED")
    r = w.sim.get_url(order.invoice["invoice_pdf_url"], w.token)
    assert r.status == 200 and r.mimetype == "application/pdf"
    assert order.invoice["invoice_number"] in pdf_text(r.content)


def test_manifest_pdf_lists_the_awbs(w):
    """Seed 000 point 10: the manifest format is fetched from AJIO (seed 003 step 8: present it at pickup)."""
    orders = w.drive("READY_TO_DISPATCH", 2, carrier="Blue Dart")
    text = pdf_text(w.sim.get_url(orders[0].manifest["manifestUrl"], w.token).content)
    assert all(o.label["tracking_number"] in text for o in orders)


@pytest.mark.parametrize("einvoicing,irn_expected", [(True, True), (False, False)],
                         ids=["einvoicing-pob", "plain-pob"])
def test_b2b_invoice_pdf_has_irn_only_when_einvoicing(sim, einvoicing, irn_expected):
    """Seed 000: GstEInvoicing enabled -> e-invoice (IRN) for Ajio dropship, otherwise a plain invoice."""
    w = World.new(sim, einvoicing=einvoicing)
    order = w.one("INVOICED")
    text = pdf_text(w.sim.get_url(order.invoice["invoice_pdf_url"], w.token).content)
    assert order.invoice["invoice_number"] in text
    assert ("IRN" in text) is irn_expected
    assert (order.invoice["irn"] is not None) is irn_expected


def test_document_of_another_pob_not_found(w):
    """API.md: documents carry customers' addresses; another POB gets 404."""
    order = w.one("PACKED")
    theirs = World.new(w.sim)
    for url in (order.invoice["invoice_pdf_url"], order.label["label_pdf_url"], order.label["b2c_invoice_pdf_url"]):
        assert_error(w.sim.get_url(url, theirs.token), 404, code="NOT_FOUND", field="document_id")
        assert w.sim.get_url(url, w.token).status == 200


def test_document_without_api_key_unauthorized(w):
    order = w.one("INVOICED")
    path = order.invoice["invoice_pdf_url"].replace("http://localhost", "")
    assert_error(w.sim.http("GET", path), 401, code="UNAUTHORIZED", field="apiKey")


def test_invoice_numbers_never_repeat_across_pobs_with_similar_store_codes(sim):
    """Seed 003 step 1: each POB registers its own invoice format; no two POBs print one number."""
    numbers = []
    for store_code in ("BLR-01", "BLR-012", "BLR-0123"):
        world = World.new(sim, store_code=store_code)
        numbers.append(world.one("INVOICED").invoice["invoice_number"])
    assert len(set(numbers)) == 3, numbers
    assert all(len(n) <= 16 for n in numbers), "GST invoice numbers are at most 16 characters"


def test_dispatch_all_items_failing_carries_error_code(w):
    """API.md: a manifest call where nothing could be manifested is a 4xx with per-item reasons."""
    order = w.one("INVOICED")
    r = w.ds("POST", "/orders/dispatch", {"dispatchItems": [
        {"masterAWB": "NOPE", "orderId": order.order_id, "invoiceNo": order.invoice["invoice_number"]}]})
    assert r.status == 400
    assert r.json["status"] == "FAILED" and r.json["error_code"] == "DISPATCH_FAILED"
    assert [f["orderId"] for f in r.json["failedDispatchItems"]] == [order.order_id]


def test_generate_label_cod_amount_excludes_cancelled_quantities(w):
    """Seed 000 points 8 and 12.1 / API.md open quantity: once a customer cancelled part of a COD
    order, the courier collects what the B2C invoice bills (the open quantity), not the original total."""
    a, b = w.skus()[:2]
    [order_id] = w.sim.place(w.pob_id, 1, lines=[{"sku": a, "quantity": 2}, {"sku": b, "quantity": 1}],
                             payment_method="COD")
    first = w.state(order_id)["lines"][0]
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                  {"lines": [{"order_item_id": first["order_item_id"], "quantity": 1}]}, expect=200)
    [order] = w.drive_existing([Order(order_id)], "PACKED")
    b2c = pdf_text(w.sim.get_url(order.label["b2c_invoice_pdf_url"], w.token).content)
    label = pdf_text(w.sim.get_url(order.label["label_pdf_url"], w.token).content)
    billed = pdf_amount(b2c, "Invoice Total")
    assert "COD" in label
    assert f"Rs. {billed}" in label, (billed, label)
