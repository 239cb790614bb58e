"""Bad input on every AJIO-facing /ds call: always a 4xx naming the field, never a 500, nothing half-applied.

Every case starts from a body the simulator accepts (checked by test_*_valid_baseline_accepted) and breaks
exactly one thing, so the refusal can only come from that one thing. The world is built once per module:
each test snapshots the state before its call and compares after, so sharing it is sound (a refused call
must leave everything as it was) and keeps this file fast.
"""
from __future__ import annotations

import copy
import json
import re

import pytest
from dsworld import World, assert_error

from fixtures.simclient import PARCEL, T0, FlaskTransport, Sim
from simulator.app import create_app


def _world() -> World:
    app = create_app({"db_url": "sqlite://", "seed": 7, "frozen_at": T0})
    return World.new(Sim(FlaskTransport(app.test_client())))


def build_targets(w: World) -> dict:
    """One object per operation, in the state where the operation is legal, and a body it accepts."""
    pending = w.place_lines(2, 1)
    lines = w.pending(pending)["order_lines"]
    confirmed = w.one("CONFIRMED")
    invoiced = w.one("INVOICED")
    packed = w.drive("PACKED", 2)
    dispatched = w.one("DISPATCHED")
    dispatched_line = w.order(dispatched.order_id)["order_lines"][0]
    _, return_id = w.arrived_return()
    skus = w.skus()
    return {
        "update_inventory": {"method": "POST", "path": "/updateInventory", "orders": [], "returns": [],
                             "body": {"inventory": [{"sku": skus[0], "quantity": 5}, {"sku": skus[1], "quantity": 6}]}},
        "acknowledge_order": {"method": "POST", "path": "/orders", "orders": [pending], "returns": [],
                              "body": {"order_id": pending, "status": "Acknowledge", "order_lines": [
                                  {"order_item_id": l["order_item_id"], "confirmed_quantity": l["ordered_quantity"],
                                   "cancelled_quantity": 0} for l in lines]}},
        "generate_invoice": {"method": "POST", "path": f"/orders/{confirmed.order_id}/invoice",
                             "orders": [confirmed.order_id], "returns": [], "body": {}},
        "generate_label": {"method": "POST", "path": f"/orders/{invoiced.order_id}/label",
                           "orders": [invoiced.order_id], "returns": [], "body": dict(PARCEL)},
        "dispatch_orders": {"method": "POST", "path": "/orders/dispatch", "orders": [o.order_id for o in packed],
                            "returns": [], "body": {"dispatchItems": [o.dispatch_item for o in packed]}},
        "create_rto": {"method": "POST", "path": "/return/rto", "orders": [dispatched.order_id], "returns": [],
                       "body": {"order_id": dispatched.order_id, "order_items": [{
                           "item_id": dispatched_line["item_details"]["item_code"],
                           "order_item_id": dispatched_line["order_item_id"],
                           "quantity": dispatched_line["quantity"], "qc_code": "GOOD"}]}},
        "quality_check": {"method": "POST", "path": f"/returns/{return_id}/qc", "orders": [], "returns": [return_id],
                          "body": w.qc_all(return_id)},
    }


@pytest.fixture(scope="module")
def w() -> World:
    return _world()


@pytest.fixture(scope="module")
def targets(w) -> dict:
    return build_targets(w)


@pytest.fixture(scope="module")
def baseline():
    """A second world whose objects the baseline tests may use up."""
    world = _world()
    return world, build_targets(world)


POSTS = ("update_inventory", "acknowledge_order", "generate_invoice", "generate_label", "dispatch_orders",
         "create_rto", "quality_check")


def _keys(path: str) -> list:
    return [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]


def mutate(body: dict, path: str, value=..., delete: bool = False) -> dict:
    body = copy.deepcopy(body)
    *parents, last = _keys(path)
    node = body
    for key in parents:
        node = node[key]
    if delete:
        del node[last]
    else:
        node[last] = value
    return body


def send_raw(w: World, target: dict, data: str, content_type: str = "application/json"):
    return w.sim.http(target["method"], "/ds" + target["path"], data=data,
                      headers={"apiKey": w.token, "Content-Type": content_type})


def refused_without_change(w: World, target: dict, send, status: int, **expect) -> dict:
    before = w.snapshot(target["orders"], target["returns"])
    body = assert_error(send(), status, **expect)
    assert w.snapshot(target["orders"], target["returns"]) == before, "a refused call changed the world"
    return body


# -- the baselines: without them every refusal below could be vacuous --------------------------------
@pytest.mark.parametrize("name", POSTS)
def test_post_valid_baseline_accepted(baseline, name):
    """The unbroken body of every case below is accepted: each refusal comes from the one broken thing."""
    world, t = baseline
    r = world.ds(t[name]["method"], t[name]["path"], t[name]["body"])
    assert r.status == 200, r.content


# -- body framing ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", POSTS)
def test_post_malformed_json_refused(w, targets, name):
    t = targets[name]
    refused_without_change(w, t, lambda: send_raw(w, t, '{"inventory": [,'), 400, code="VALIDATION_FAILED",
                           field="body", message="not valid JSON")


@pytest.mark.parametrize("name", POSTS)
def test_post_non_object_json_refused(w, targets, name):
    t = targets[name]
    refused_without_change(w, t, lambda: w.ds(t["method"], t["path"], [t["body"]]), 400,
                           code="VALIDATION_FAILED", field="body", message="must be a JSON object")


@pytest.mark.parametrize("name", POSTS)
def test_post_json_null_refused(w, targets, name):
    t = targets[name]
    refused_without_change(w, t, lambda: send_raw(w, t, "null"), 400, code="VALIDATION_FAILED", field="body",
                           message="must be a JSON object")


@pytest.mark.parametrize("name", POSTS)
def test_post_deeply_nested_json_refused_not_500(w, targets, name):
    t = targets[name]
    depth = 50_000
    refused_without_change(w, t, lambda: send_raw(w, t, "[" * depth + "]" * depth), 400,
                           code="VALIDATION_FAILED", field="body")


@pytest.mark.parametrize("name", POSTS)
def test_post_text_plain_content_type_refused_415(w, targets, name):
    t = targets[name]
    refused_without_change(w, t, lambda: send_raw(w, t, json.dumps(t["body"]), "text/plain"), 415,
                           code="UNSUPPORTED_MEDIA_TYPE", field="Content-Type", message="application/json")


# -- the body's fields ------------------------------------------------------------------------------
MISSING = [
    ("update_inventory", "inventory"), ("update_inventory", "inventory[1].sku"),
    ("update_inventory", "inventory[1].quantity"),
    ("acknowledge_order", "order_id"), ("acknowledge_order", "status"),
    ("acknowledge_order", "order_lines[1].order_item_id"),
    ("generate_label", "weight_grams"), ("generate_label", "length_cm"), ("generate_label", "breadth_cm"),
    ("generate_label", "height_cm"),
    ("dispatch_orders", "dispatchItems"), ("dispatch_orders", "dispatchItems[1].masterAWB"),
    ("dispatch_orders", "dispatchItems[1].orderId"), ("dispatch_orders", "dispatchItems[1].invoiceNo"),
    ("create_rto", "order_id"), ("create_rto", "order_items"), ("create_rto", "order_items[0].order_item_id"),
    ("create_rto", "order_items[0].quantity"), ("create_rto", "order_items[0].qc_code"),
    ("quality_check", "items"), ("quality_check", "items[0].return_item_id"), ("quality_check", "items[0].quantity"),
    ("quality_check", "items[0].qc_code"),
]


@pytest.mark.parametrize("name,path", MISSING, ids=[f"{n}-{p}" for n, p in MISSING])
def test_post_missing_required_field_refused(w, targets, name, path):
    t = targets[name]
    body = mutate(t["body"], path, delete=True)
    refused_without_change(w, t, lambda: w.ds(t["method"], t["path"], body), 400, code="VALIDATION_FAILED",
                           field=path, message="Missing data for required field")


WRONG_TYPES = [
    # (operation, path, value, what the message says)
    ("update_inventory", "inventory[1].quantity", "6", "Not a valid integer"),
    ("update_inventory", "inventory[1].quantity", 6.0, "Not a valid integer"),
    ("update_inventory", "inventory[1].quantity", True, "Not a valid integer"),
    ("update_inventory", "inventory[1].quantity", None, "may not be null"),
    ("update_inventory", "inventory[1].sku", 123, "Not a valid string"),
    ("update_inventory", "inventory", {"sku": "X", "quantity": 1}, "Not a valid list"),
    ("update_inventory", "inventory[1]", "SKU-1", "Invalid input type"),
    ("acknowledge_order", "order_lines[1].confirmed_quantity", "1", "Not a valid integer"),
    ("acknowledge_order", "order_lines[1].confirmed_quantity", 1.0, "Not a valid integer"),
    ("acknowledge_order", "order_lines[1].confirmed_quantity", True, "Not a valid integer"),
    ("acknowledge_order", "order_lines[1].cancelled_quantity", "0", "Not a valid integer"),
    ("acknowledge_order", "order_id", 1234567890, "Not a valid string"),
    ("acknowledge_order", "order_lines", {"order_item_id": "1"}, "Not a valid list"),
    ("generate_label", "weight_grams", "450", "Not a valid integer"),
    ("generate_label", "weight_grams", 450.5, "Not a valid integer"),
    ("generate_label", "weight_grams", True, "Not a valid integer"),
    ("generate_label", "length_cm", "30", "Not a valid number"),
    ("generate_label", "height_cm", False, "Not a valid number"),
    ("dispatch_orders", "dispatchItems[1].orderId", 123, "Not a valid string"),
    ("dispatch_orders", "dispatchItems", "AWB1", "Not a valid list"),
    ("dispatch_orders", "auth", 42, "Not a valid string"),
    ("create_rto", "order_items[0].quantity", "1", "Not a valid integer"),
    ("create_rto", "order_items[0].quantity", 1.0, "Not a valid integer"),
    ("create_rto", "order_items[0].quantity", True, "Not a valid integer"),
    ("quality_check", "items[0].quantity", "2", "Not a valid integer"),
    ("quality_check", "items[0].quantity", 2.0, "Not a valid integer"),
    ("quality_check", "items[0].quantity", False, "Not a valid integer"),
    ("quality_check", "items[0]", ["GOOD"], "Invalid input type"),
]


@pytest.mark.parametrize("name,path,value,message", WRONG_TYPES,
                         ids=[f"{n}-{p}-{type(v).__name__}" for n, p, v, _ in WRONG_TYPES])
def test_post_wrong_type_refused(w, targets, name, path, value, message):
    t = targets[name]
    body = mutate(t["body"], path, value)
    refused_without_change(w, t, lambda: w.ds(t["method"], t["path"], body), 400, code="VALIDATION_FAILED",
                           field=path, message=message)


UNKNOWN_FIELDS = [
    ("update_inventory", "force"), ("update_inventory", "inventory[1].price"),
    ("acknowledge_order", "reason"), ("acknowledge_order", "order_lines[1].colour"),
    ("generate_invoice", "invoice_date"),
    ("generate_label", "depth_cm"),
    ("dispatch_orders", "manifestDate"), ("dispatch_orders", "dispatchItems[1].awb"),
    ("create_rto", "return_type"), ("create_rto", "order_items[0].sku"),
    ("quality_check", "putaway"), ("quality_check", "items[0].note"),
]


@pytest.mark.parametrize("name,path", UNKNOWN_FIELDS, ids=[f"{n}-{p}" for n, p in UNKNOWN_FIELDS])
def test_post_unknown_field_refused(w, targets, name, path):
    """AJIO refuses unknown fields, naming them (contracts.common.StrictSchema)."""
    t = targets[name]
    body = mutate(t["body"], path, "x")
    refused_without_change(w, t, lambda: w.ds(t["method"], t["path"], body), 400, code="VALIDATION_FAILED",
                           field=path, message="Unknown field")


OUT_OF_RANGE = [
    ("update_inventory", "inventory[1].quantity", -1), ("update_inventory", "inventory[1].quantity", 1_000_001),
    ("update_inventory", "inventory[1].sku", ""),
    ("acknowledge_order", "order_lines[1].confirmed_quantity", -1),
    ("acknowledge_order", "order_lines[1].cancelled_quantity", -1),
    ("generate_label", "weight_grams", 0), ("generate_label", "length_cm", 0),
    ("generate_label", "breadth_cm", 300.5), ("generate_label", "height_cm", -4),
    ("dispatch_orders", "dispatchItems[1].masterAWB", ""),
    ("create_rto", "order_items[0].quantity", 0),
    ("quality_check", "items[0].quantity", 0),
]


@pytest.mark.parametrize("name,path,value", OUT_OF_RANGE, ids=[f"{n}-{p}={v!r}" for n, p, v in OUT_OF_RANGE])
def test_post_value_out_of_range_refused(w, targets, name, path, value):
    t = targets[name]
    body = mutate(t["body"], path, value)
    refused_without_change(w, t, lambda: w.ds(t["method"], t["path"], body), 400, code="VALIDATION_FAILED",
                           field=path)


BAD_ENUMS = [
    ("acknowledge_order", "status", "Ack"), ("acknowledge_order", "status", "ACKNOWLEDGE"),
    ("acknowledge_order", "status", "Confirm"),
    ("create_rto", "order_items[0].qc_code", "OK"), ("create_rto", "order_items[0].qc_code", "good"),
    ("quality_check", "items[0].qc_code", "OK"), ("quality_check", "items[0].qc_code", "PASS"),
]


@pytest.mark.parametrize("name,path,value", BAD_ENUMS, ids=[f"{n}-{p}={v}" for n, p, v in BAD_ENUMS])
def test_post_bad_enum_value_refused(w, targets, name, path, value):
    t = targets[name]
    body = mutate(t["body"], path, value)
    refused_without_change(w, t, lambda: w.ds(t["method"], t["path"], body), 400, code="VALIDATION_FAILED",
                           field=path, message="Must be one of")


def test_update_inventory_51_lines_refused_none_applied(w, targets):
    """API.md: at most 50 SKUs per inventory call; a 51-line call applies none of its lines."""
    t = targets["update_inventory"]
    skus = w.skus()
    lines = [{"sku": skus[i % len(skus)], "quantity": 900 + i} for i in range(51)]
    refused_without_change(w, t, lambda: w.ds("POST", "/updateInventory", {"inventory": lines}), 400,
                           code="VALIDATION_FAILED", field="inventory", message="at most 50",
                           rule="INVENTORY-ABSOLUTE-MAX-50")


def test_dispatch_251_items_refused_none_manifested(w, targets):
    """API.md (Increff): at most 250 shipments per manifest; the packed orders in the call stay packed."""
    t = targets["dispatch_orders"]
    good = t["body"]["dispatchItems"]
    items = good + [{"masterAWB": f"AWB{i}", "orderId": f"FN{i:010d}", "invoiceNo": f"INV{i}"}
                    for i in range(251 - len(good))]
    refused_without_change(w, t, lambda: w.ds("POST", "/orders/dispatch", {"dispatchItems": items}), 400,
                           code="VALIDATION_FAILED", field="dispatchItems", message="250", rule="MANIFEST-MAX-250")


EMPTY_LISTS = [("update_inventory", "inventory"), ("dispatch_orders", "dispatchItems"),
               ("create_rto", "order_items"), ("quality_check", "items")]


@pytest.mark.parametrize("name,path", EMPTY_LISTS, ids=[f"{n}-{p}" for n, p in EMPTY_LISTS])
def test_post_empty_list_refused(w, targets, name, path):
    t = targets[name]
    body = mutate(t["body"], path, [])
    refused_without_change(w, t, lambda: w.ds(t["method"], t["path"], body), 400, code="VALIDATION_FAILED",
                           field=path)


# -- unknown ids -------------------------------------------------------------------------------------
UNKNOWN_IDS = [
    ("acknowledge_order", "POST", "/orders", "order_id"),
    ("generate_invoice", "POST", "/orders/FN0000000000/invoice", "order_id"),
    ("generate_label", "POST", "/orders/FN0000000000/label", "order_id"),
    ("create_rto", "POST", "/return/rto", "order_id"),
    ("quality_check", "POST", "/returns/RT00000000/qc", "return_order_id"),
]


@pytest.mark.parametrize("name,method,path,field", UNKNOWN_IDS, ids=[u[0] for u in UNKNOWN_IDS])
def test_post_unknown_id_not_found(w, targets, name, method, path, field):
    t = targets[name]
    body = t["body"]
    if "order_id" in body:
        body = mutate(body, "order_id", "FN0000000000")
    refused_without_change(w, t, lambda: w.ds(method, path, body), 404, code="NOT_FOUND", field=field,
                           message="not found")


def test_get_credit_note_unknown_return_not_found(w):
    assert_error(w.ds("GET", "/returns/RT00000000/creditNote"), 404, code="NOT_FOUND", field="return_order_id")


def test_get_orders_unknown_order_id_not_found(w, targets):
    known = targets["generate_invoice"]["orders"][0]
    body = assert_error(w.ds("GET", f"/orders?orderIds={known},FN0000000000"), 404, code="NOT_FOUND",
                        field="orderIds")
    assert "FN0000000000" in body["error_message"] and known not in body["error_message"]


def test_get_document_unknown_id_not_found(w):
    assert_error(w.sim.get_url("http://localhost/documents/DOC000000000000", w.token), 404, code="NOT_FOUND",
                 field="document_id")


def test_qc_unknown_return_item_refused(w, targets):
    t = targets["quality_check"]
    body = mutate(t["body"], "items[0].return_item_id", "RI000000000000")
    refused_without_change(w, t, lambda: w.ds("POST", t["path"], body), 400, code="VALIDATION_FAILED",
                           field="items[0].return_item_id", message="RI000000000000")


def test_create_rto_unknown_order_item_refused(w, targets):
    t = targets["create_rto"]
    body = mutate(t["body"], "order_items[0].order_item_id", "00000000000000000")
    refused_without_change(w, t, lambda: w.ds("POST", t["path"], body), 400, code="VALIDATION_FAILED",
                           field="order_items[0].order_item_id")


# -- GET queries ----------------------------------------------------------------------------------------
LISTS = ["/products", "/orders/pendency", "/orders", "/returns"]


def _q(path: str, query: str) -> str:
    return f"{path}?{query}"


PAGING = [
    ("page=-1", "page", "must be >= 0"), ("page=abc", "page", "Not a valid integer"),
    ("page=1.0", "page", "Not a valid integer"), ("page=7", "page", "out of range"),
    ("size=0", "size", "between 1 and 50"), ("size=51", "size", "between 1 and 50"),
    ("size=-5", "size", "between 1 and 50"), ("size=ten", "size", "Not a valid integer"),
    ("updatedSince=1795408200", "updatedSince", "Unknown field"),
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query,field,message", PAGING, ids=[p[0] for p in PAGING])
def test_get_list_bad_paging_or_unknown_param_refused(w, targets, path, query, field, message):
    """API.md: pages count from 0, size <= 50; there is no "updated since" filter on AJIO's API."""
    assert_error(w.ds("GET", _q(path, query)), 400, code="VALIDATION_FAILED", field=field, message=message)


@pytest.mark.parametrize("path", LISTS)
def test_get_list_page_past_last_refused(w, targets, path):
    first = w.ok("GET", _q(path, "size=1"))["page"]
    assert first["totalPages"] >= 1
    assert w.ds("GET", _q(path, f"size=1&page={first['totalPages'] - 1}")).status == 200
    assert_error(w.ds("GET", _q(path, f"size=1&page={first['totalPages']}")), 400, code="VALIDATION_FAILED",
                 field="page", message="out of range")


BAD_FILTERS = [
    ("/products?publishedStatus=LIVE", "publishedStatus", "Must be one of"),
    ("/products?publishedStatus=published", "publishedStatus", "Must be one of"),
    ("/products?sku=", "sku", "Length"),
    ("/orders?status=Ack", "status", "Must be one of"),
    ("/orders?status=INVOICED", "status", "Must be one of"),  # internal state, not one of AJIO's statuses
    ("/orders?orderIds=", "orderIds", "Length"),
    ("/orders?orderIds=,,", "orderIds", "order id"),
    ("/returns?returnType=RETURN", "returnType", "Must be one of"),
    ("/returns?returnType=rto", "returnType", "Must be one of"),
    ("/returns?fromDate=yesterday", "fromDate", "Not a valid integer"),
    ("/returns?fromDate=-1", "fromDate", ""),
    ("/returns?fromDate=200&toDate=100", "fromDate", "after toDate"),
    ("/returns?toDate=99999999999999999999999999", "toDate", ""),
    ("/returns?fromDate=99999999999999999999999999", "fromDate", ""),
]


@pytest.mark.parametrize("path,field,message", BAD_FILTERS, ids=[b[0] for b in BAD_FILTERS])
def test_get_list_bad_filter_refused(w, path, field, message):
    assert_error(w.ds("GET", path), 400, code="VALIDATION_FAILED", field=field, message=message)


def test_get_orders_over_50_ids_refused(w):
    ids = ",".join(f"FN{i:010d}" for i in range(51))
    assert_error(w.ds("GET", f"/orders?orderIds={ids}"), 400, code="VALIDATION_FAILED", field="orderIds",
                 message="at most 50")
