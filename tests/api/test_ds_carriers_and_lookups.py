"""Smaller truths: a manifest per carrier, the create-RTO's items checked against the order, returns looked
up by return id and by order id (no status filter, no "updated since")."""
from __future__ import annotations

import pytest
from dsworld import World, assert_error, pdf_text


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def test_manifest_mixing_carriers_refuses_the_other_carriers_items_naming_them(w):
    """Seed 003 step 8: a manifest is presented to one courier at pickup (DS-MANIFEST-ONE-CARRIER)."""
    [delhivery] = w.drive("PACKED", 1, carrier="Delhivery")
    [bluedart] = w.drive("PACKED", 1, carrier="Blue Dart")
    answer = w.ok("POST", "/orders/dispatch", {"dispatchItems": [delhivery.dispatch_item, bluedart.dispatch_item]})
    [failed] = answer["failedDispatchItems"]
    assert failed["orderId"] == bluedart.order_id
    assert "ships with Blue Dart" in failed["error_message"] and "with Delhivery" in failed["error_message"]
    assert w.order(delhivery.order_id)["status"] == "READY_TO_DISPATCH"
    assert w.order(bluedart.order_id)["status"] == "PACKED"
    second = w.ok("POST", "/orders/dispatch", {"dispatchItems": [bluedart.dispatch_item]})
    assert second["failedDispatchItems"] == [] and second["manifest_id"] != answer["manifest_id"]


def test_manifest_pdf_names_its_carrier(w):
    [order] = w.drive("READY_TO_DISPATCH", 1, carrier="Shadowfax")
    assert "Carrier(s): Shadowfax" in pdf_text(w.sim.get_url(order.manifest["manifestUrl"], w.token).content)


def test_orders_placed_for_a_carrier_get_its_awb(w):
    [order] = w.drive("PACKED", 1, carrier="XpressBees")
    assert order.label["carrier"] == "XpressBees" and order.label["tracking_number"].startswith("14")


def test_place_orders_unknown_carrier_refused(w):
    r = w.sim.control("POST", "/orders", {"pob_id": w.pob_id, "carrier": "India Post"})
    assert_error(r, 400, code="VALIDATION_FAILED", field="carrier")


def _rto_body(order_id: str, line: dict, **item) -> dict:
    return {"order_id": order_id, "order_items": [{"order_item_id": line["order_item_id"], "quantity": 1,
                                                   "qc_code": "GOOD", **item}]}


def test_create_rto_item_id_of_another_item_refused_naming_it(w):
    order = w.one("DISPATCHED")
    [line, *_] = w.order(order.order_id)["order_lines"]
    before = w.snapshot([order.order_id])
    r = w.ds("POST", "/return/rto", _rto_body(order.order_id, line, item_id="SOME-OTHER-SKU"))
    assert_error(r, 400, code="VALIDATION_FAILED", field="order_items[0].item_id", message="is not the item of line",
                 rule="DS-RTO-ITEMS-OF-ORDER")
    assert w.snapshot([order.order_id]) == before


@pytest.mark.parametrize("key", ["item_code", "ean"])
def test_create_rto_item_id_may_be_the_lines_sku_or_ean(w, key):
    order = w.one("DISPATCHED")
    [line, *_] = w.order(order.order_id)["order_lines"]
    r = w.ds("POST", "/return/rto", _rto_body(order.order_id, line, item_id=line["item_details"][key]))
    assert r.status == 200 and r.json["status"] == "SUCCESS", r.content


def test_create_rto_unknown_line_names_the_rule(w):
    order = w.one("DISPATCHED")
    r = w.ds("POST", "/return/rto", {"order_id": order.order_id, "order_items": [
        {"order_item_id": "00000000000000000", "quantity": 1, "qc_code": "GOOD"}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="order_items[0].order_item_id", rule="DS-RTO-ITEMS-OF-ORDER")


def test_returns_looked_up_by_return_id_and_by_order_id(w):
    first, second = w.drive("DELIVERED", 2)
    r1 = w.customer_return(first.order_id)
    r2 = w.customer_return(second.order_id)
    by_id = w.ok("GET", f"/returns?returnOrderIds={r2}")["returns"]
    assert [r["return_order_id"] for r in by_id] == [r2]
    by_order = w.ok("GET", f"/returns?orderIds={first.order_id},{second.order_id}")["returns"]
    assert sorted(r["return_order_id"] for r in by_order) == sorted([r1, r2])
    assert w.ok("GET", f"/returns?orderIds={first.order_id}")["returns"][0]["return_order_id"] == r1


def test_returns_lookup_of_an_unknown_or_other_pobs_return_is_404(sim, w):
    order = w.one("DELIVERED")
    mine = w.customer_return(order.order_id)
    other = World.new(sim)
    assert_error(other.ds("GET", f"/returns?returnOrderIds={mine}"), 404, code="NOT_FOUND", field="returnOrderIds",
                 message=mine)
    assert other.ok("GET", f"/returns?orderIds={order.order_id}")["returns"] == []


@pytest.mark.parametrize("query,field", [("returnStatus=RETURN_CREATED", "returnStatus"),
                                         ("updatedSince=0", "updatedSince"), ("orderIds=,", "orderIds")])
def test_returns_have_no_status_or_updated_since_filter(w, query, field):
    """No public source shows either on AJIO's returns list (docs/dropship.md); API.md: no "updated since"."""
    assert_error(w.ds("GET", f"/returns?{query}"), 400, code="VALIDATION_FAILED", field=field)
