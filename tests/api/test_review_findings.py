"""Defects found in review, each pinned by the rule it broke (API.md, seeds 000 and 003)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from dsworld import Order, World, assert_error, pdf_text


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def _raw_post(w: World, path: str, text: str):
    """A body sent byte for byte (the test client's json= would refuse a lone surrogate itself)."""
    return w.sim.http("POST", path, data=text.encode(), headers={"apiKey": w.token, "Content-Type": "application/json"})


# -- never a 500 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path, template", [
    ("/ds/authToken", '{"username": "%s", "password": "x"}'),
    ("/ds/orders", '{"order_id": "%s", "status": "Acknowledge"}'),
    ("/ds/updateInventory", '{"inventory": [{"sku": "%s", "quantity": 1}]}'),
    ("/ds/orders/dispatch", '{"dispatchItems": [{"masterAWB": "x", "orderId": "%s", "invoiceNo": "x"}]}'),
    ("/ds/return/rto", '{"order_id": "%s", "order_items": [{"order_item_id": "x", "quantity": 1, "qc_code": "GOOD"}]}'),
    ("/_sim/sellers", '{"model": "ds", "seller_id": "%s"}'),
    ("/_sim/orders", '{"pob_id": "%s"}'),
], ids=["auth", "acknowledge", "inventory", "dispatch", "create-rto", "create-seller", "create-orders"])
def test_post_lone_surrogate_in_json_string_refused_not_500(w, path, template):
    """API.md: 400 = invalid request. A lone UTF-16 surrogate escape ("\\ud800") is valid JSON
    syntax but no Unicode text (RFC 8259 section 8.2): it cannot be stored, so it is a client error."""
    r = _raw_post(w, path, template % "\\ud800")
    assert_error(r, 400, code="VALIDATION_FAILED", message="surrogate")


def test_post_surrogate_as_raw_utf8_bytes_refused_not_500(w):
    """As above, when the surrogate comes as raw (invalid) UTF-8 bytes rather than an escape:
    Python's JSON parser lets both through."""
    r = w.sim.http("POST", "/ds/orders", data=b'{"order_id": "\xed\xa0\x80", "status": "Acknowledge"}',
                   headers={"apiKey": w.token, "Content-Type": "application/json"})
    assert_error(r, 400, code="VALIDATION_FAILED", message="surrogate")


def test_post_surrogate_pair_in_json_string_accepted(w):
    """A correctly paired surrogate escape is ordinary Unicode (an emoji) and stays accepted."""
    r = _raw_post(w, "/ds/updateInventory", '{"inventory": [{"sku": "\\ud83d\\ude00", "quantity": 1}]}')
    # Parsed and judged on its merits: an unknown SKU (so nothing applied, a 400), not bad Unicode.
    assert r.status == 400 and r.json["field"] == "inventory", r.content
    assert r.json["failed_items"][0]["sku"] == "\U0001F600"


# -- quantities used consistently ------------------------------------------------------------------
def _amount(text: str, label: str) -> str:
    match = re.search(label + r"\s*Rs\.\s*([\d,]+\.\d\d)", text)
    assert match, text
    return match.group(1)


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
    billed = _amount(b2c, "Invoice Total")
    assert "COD" in label
    assert f"Rs. {billed}" in label, (billed, label)


def test_customer_return_repeated_order_item_id_refused(w):
    """Seed 000 point 15: a customer return takes back at most what was delivered; naming one line
    twice must not return it twice (create-RTO and cancellations refuse repeats the same way)."""
    order = w.one("DELIVERED", lines=[{"sku": w.skus()[0], "quantity": 1}])
    [line] = w.order(order.order_id)["order_lines"]
    item = {"order_item_id": line["order_item_id"], "quantity": 1}
    before = w.snapshot([order.order_id])
    r = w.sim.control("POST", f"/orders/{order.order_id}/customer-return", {"lines": [item, item]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="lines[1].order_item_id", message="repeated")
    assert w.snapshot([order.order_id]) == before


def test_list_orders_tax_summary_adds_up_to_po_amount_and_total_tax(w):
    """API.md (grounded): acknowledged orders carry po_amount and total_tax, lines a tax_summary.
    A connector reconciles them; to the paisa, the lines' tax must add up to total_tax and
    taxable value plus tax to po_amount (the same GST split as the PO and invoice PDFs)."""
    orders = w.drive("CONFIRMED", 25)
    wrong = []
    for o in orders:
        view = w.order(o.order_id)
        tax = sum(Decimal(str(l["tax_summary"]["tax_amount"])) for l in view["order_lines"])
        taxable = sum(Decimal(str(l["tax_summary"]["taxable_value"])) for l in view["order_lines"])
        if tax != Decimal(str(view["total_tax"])) or taxable + tax != Decimal(str(view["po_amount"])):
            wrong.append((o.order_id, str(tax), view["total_tax"], str(taxable + tax), view["po_amount"]))
    assert wrong == []


# -- inventory arithmetic ----------------------------------------------------------------------------
def test_customer_cancel_of_order_beyond_stock_restores_stock_exactly(w):
    """API.md / seed 003 step 6: stock goes down on order placement and back on cancellation. An
    order for more units than the listing showed takes the count to 0; its cancellation gives back
    what it took, not units that never were in stock."""
    sku = w.skus()[0]
    stock = w.product(sku)["quantity"]
    [order_id] = w.place(lines=[{"sku": sku, "quantity": stock + 3}])
    assert w.product(sku)["quantity"] == 0
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel", expect=200)
    assert w.product(sku)["quantity"] == stock


def test_customer_cancel_of_partly_oversold_line_restocks_only_units_taken(w):
    """As above, per unit: cancelling the units AJIO could not cover first gives nothing back;
    cancelling the rest gives back exactly the units the order took."""
    sku = w.skus()[0]
    stock = w.product(sku)["quantity"]
    [order_id] = w.place(lines=[{"sku": sku, "quantity": stock + 2}])
    [line] = w.state(order_id)["lines"]
    cancel = lambda q: w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                                     {"lines": [{"order_item_id": line["order_item_id"], "quantity": q}]}, expect=200)
    cancel(2)
    assert w.product(sku)["quantity"] == 0
    cancel(stock)
    assert w.product(sku)["quantity"] == stock


# -- repeated query parameters ----------------------------------------------------------------------
def test_list_orders_repeated_order_ids_parameter_not_silently_dropped(w):
    """API.md: GET /ds/orders?orderIds= (a comma list). A client that repeats the parameter
    (orderIds=A&orderIds=B) must get both orders, as a Spring backend binds repeated values into
    one comma-joined value, never just the first one with the second silently lost."""
    a, b = w.drive("CONFIRMED", 2)
    answer = w.ok("GET", f"/orders?orderIds={a.order_id}&orderIds={b.order_id}")
    assert sorted(o["order_id"] for o in answer["orders"]) == sorted([a.order_id, b.order_id])


def test_list_products_repeated_page_parameter_refused(w):
    """A repeated scalar parameter (page=0&page=1) is ambiguous: 400 naming it, not a silent pick."""
    assert_error(w.ds("GET", "/products?page=0&page=1"), 400, code="VALIDATION_FAILED", field="page")


def test_list_orders_po_amount_follows_cancellation_after_po_and_matches_invoice(w):
    """Seed 000 point 12.1 / API.md open quantity: a customer may cancel part of an order after AJIO
    issued its PO (until invoicing). po_amount and total_tax then value the open quantities, as the
    whole-order B2B invoice does (seed 000 point 5), not the units that will never ship."""
    order_id = w.place_lines(2, 1)
    w.drive_existing([Order(order_id)], "CONFIRMED")
    before = w.order(order_id)
    assert before["po_number"]
    first = before["order_lines"][0]
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                  {"lines": [{"order_item_id": first["order_item_id"], "quantity": 1}]}, expect=200)
    invoice = w.ok("POST", f"/orders/{order_id}/invoice", {})
    text = pdf_text(w.sim.get_url(invoice["invoice_pdf_url"], w.token).content)
    after = w.order(order_id)
    assert after["po_amount"] < before["po_amount"]
    assert f"{after['po_amount']:,.2f}" == _amount(text, "Invoice Total")
    assert f"{after['total_tax']:,.2f}" == _amount(text, "Total Tax")


# -- the journal -------------------------------------------------------------------------------------
def _journal(w: World) -> list[tuple]:
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob_id}", expect=200).json["entries"]
    return [(e["method"], e["path"], e["status"]) for e in entries]


def test_journal_files_expired_token_call_under_its_pob(w):
    """API.md control plane: GET /_sim/journal?pob_id= gives every AJIO-facing request and its answer.
    A call with an expired token (30 minutes, API.md) is the classic connector bug QA looks for;
    it belongs to the POB whose token it carries."""
    stale = w.token
    w.sim.advance(30 * 60)
    assert w.sim.ds("GET", "/orders/pendency", stale).status == 401
    assert ("GET", "/ds/orders/pendency", 401) in _journal(w)


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/ds/order/pendency", 404),
    ("POST", "/ds/orders/pendency", 405),
], ids=["unknown-path", "wrong-method"])
def test_journal_records_call_to_unknown_ds_route(w, method, path, status):
    """API.md control plane: the journal holds every AJIO-facing request. A connector calling a
    mistyped path or the wrong method is AJIO-facing too (and what QA most needs to see)."""
    r = w.sim.http(method, path, json_body={}, headers={"apiKey": w.token})
    assert r.status == status
    assert (method, path, status) in _journal(w)


# -- credit notes -----------------------------------------------------------------------------------
def test_get_credit_note_of_cancelled_return_is_not_a_not_yet(w):
    """API.md: the credit note is available 2.5 h after putaway, "before that a clear 'not yet'
    answer". A return the customer cancelled before pickup is never put away: answering NOT_YET
    would have a connector poll forever; it is a plain conflict that names the cancellation."""
    order = w.one("DELIVERED")
    return_id = w.customer_return(order.order_id)
    w.sim.control("POST", f"/returns/{return_id}/cancel", expect=200)
    r = w.ds("GET", f"/returns/{return_id}/creditNote")
    body = assert_error(r, 409, code="CONFLICT", message="cancelled")
    assert "Retry-After" not in r.headers and "available_at" not in body


# -- the clock's range ------------------------------------------------------------------------------
def test_set_clock_to_instant_documents_cannot_date_refused(w):
    """API.md control plane: errors are 4xx bodies. 9999-12-31T23:59:59Z is already year 10000 in
    IST, where AJIO's documents are dated: a clock set there could only answer 500s afterwards."""
    r = w.sim.control("POST", "/clock/set", {"now": 253_402_300_799})
    assert_error(r, 400, code="VALIDATION_FAILED", field="now")


def test_advance_clock_past_latest_instant_refused_clock_unchanged(w):
    """As above for advance: the resulting instant counts, not only the step."""
    from contracts.common import MAX_CLOCK
    w.sim.control("POST", "/clock/set", {"now": MAX_CLOCK - 10}, expect=200)
    r = w.sim.control("POST", "/clock/advance", {"seconds": 11})
    assert_error(r, 400, code="VALIDATION_FAILED", field="seconds")
    assert w.sim.control("GET", "/clock", expect=200).json["now"] == MAX_CLOCK - 10


def test_generate_invoice_at_latest_clock_instant_succeeds(w):
    """Every instant the clock accepts is one the simulator can work at: a B2B invoice dated then
    (in IST, with its financial year) is still a 200."""
    from contracts.common import MAX_CLOCK
    order = w.one("CONFIRMED")
    w.sim.control("POST", "/clock/set", {"now": MAX_CLOCK}, expect=200)
    w.relogin()
    assert w.ds("POST", f"/orders/{order.order_id}/invoice", {}).status == 200


@pytest.mark.parametrize("path, body, field", [
    ("/ds/orders", {"order_id": "X", "status": "Ack"}, "status"),
    ("/ds/orders/dispatch", {"dispatchItems": [{"masterAWB": "A", "orderId": "B"}]}, "dispatchItems[0].invoiceNo"),
], ids=["bad-enum", "missing-field"])
def test_journal_records_contract_violation_of_refused_request(w, path, body, field):
    """API.md control plane: GET /_sim/journal gives every AJIO-facing request and its answer,
    "with contract violations" (DESIGN: contracts/ validate the connector's requests, recorded in
    the journal). A body the contract refuses carries the offending field in its entry."""
    assert w.ds("POST", path.removeprefix("/ds"), body).status == 400
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob_id}", expect=200).json["entries"]
    [entry] = [e for e in entries if e["path"] == path]
    assert [v["field"] for v in entry["violations"] or []] == [field]


def test_journal_has_no_violation_for_a_valid_request(w):
    """As above: a request within the contract, even one the rules refuse, is no contract violation."""
    [order_id] = w.place()
    assert w.ds("POST", f"/orders/{order_id}/invoice", {}).status == 409
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob_id}", expect=200).json["entries"]
    assert entries[-1]["path"].endswith("/invoice") and entries[-1]["violations"] is None


# -- paging -----------------------------------------------------------------------------------------
def test_list_sim_orders_unfiltered_pages_count_every_order(w):
    """API.md: paging everywhere is Spring-style page{number,size,totalElements,totalPages}. Without
    a filter, GET /_sim/orders must count the whole world, and its second page must exist."""
    w.place(3)
    first = w.sim.control("GET", "/orders?size=2", expect=200).json
    assert first["page"] == {"number": 0, "size": 2, "totalElements": 3, "totalPages": 2}
    second = w.sim.control("GET", "/orders?size=2&page=1", expect=200).json
    assert len(first["orders"]) + len(second["orders"]) == 3
