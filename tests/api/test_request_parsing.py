"""How every AJIO-facing call's body and query are read: text that is no Unicode is a 400, never a 500,
and a repeated query parameter is bound as Spring binds it, never silently dropped (API.md: 400 = invalid)."""
from __future__ import annotations

import pytest
from dsworld import World, assert_error


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def _raw_post(w: World, path: str, text: str):
    """A body sent byte for byte (the test client's json= would refuse a lone surrogate itself)."""
    return w.sim.http("POST", path, data=text.encode(), headers={"apiKey": w.token, "Content-Type": "application/json"})


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
