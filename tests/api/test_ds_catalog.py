"""Dropship catalog: absolute inventory updates with per-line results, product filters (API.md, seed 003)."""
from __future__ import annotations

import pytest
from dsworld import World, assert_error


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def update(w: World, *lines: tuple[str, int]):
    return w.ds("POST", "/updateInventory", {"inventory": [{"sku": s, "quantity": q} for s, q in lines]})


def test_update_inventory_is_absolute_not_a_delta(w):
    """API.md: the inventory update sets an absolute quantity (not a delta)."""
    sku = w.skus()[0]
    assert update(w, (sku, 7)).json == {"success": [{"sku": sku, "quantity": 7}], "failed_items": []}
    assert update(w, (sku, 3)).status == 200
    assert w.product(sku)["quantity"] == 3


def test_update_inventory_to_zero(w):
    sku = w.skus()[0]
    assert update(w, (sku, 0)).status == 200
    assert w.product(sku)["quantity"] == 0


def test_update_inventory_unknown_sku_fails_alone_rest_applied(w):
    """API.md: per-line result; seed 003: SKUs must match AJIO's exactly."""
    a, b = w.skus()[:2]
    r = update(w, (a, 11), ("NO-SUCH-SKU", 5), (b, 12))
    assert r.status == 200
    assert r.json["success"] == [{"sku": a, "quantity": 11}, {"sku": b, "quantity": 12}]
    [failed] = r.json["failed_items"]
    assert (failed["sku"], failed["quantity"]) == ("NO-SUCH-SKU", 5) and "unknown sku" in failed["error_message"]
    assert (w.product(a)["quantity"], w.product(b)["quantity"]) == (11, 12)


def test_update_inventory_sku_differing_in_case_is_unknown(w):
    """Seed 003: SKUs must match exactly across both systems."""
    sku = w.skus()[0]
    before = w.product(sku)["quantity"]
    r = update(w, (sku.lower(), before + 5))
    # Nothing applied: a 400 that still lists the per-line reasons.
    assert r.status == 400 and r.json["success"] == [] and r.json["failed_items"][0]["sku"] == sku.lower()
    assert r.json["error_code"] == "VALIDATION_FAILED" and r.json["field"] == "inventory"
    assert w.product(sku)["quantity"] == before


def test_update_inventory_duplicate_sku_applies_first_line_only(w):
    sku = w.skus()[0]
    r = update(w, (sku, 4), (sku, 9))
    assert r.status == 200
    assert r.json["success"] == [{"sku": sku, "quantity": 4}]
    [failed] = r.json["failed_items"]
    assert failed["quantity"] == 9 and "duplicate sku" in failed["error_message"]
    assert w.product(sku)["quantity"] == 4


def test_update_inventory_of_another_pobs_sku_is_unknown(w):
    """Seed 000: one POB = one store; inventory is per POB."""
    theirs = World.new(w.sim)
    their_sku = theirs.skus()[0]
    assert their_sku not in w.skus()  # catalogs are per POB (seeded: the same on every run)
    before = theirs.product(their_sku)["quantity"]
    r = update(w, (their_sku, before + 10))
    assert r.status == 400 and r.json["success"] == [] and r.json["failed_items"][0]["sku"] == their_sku
    assert theirs.product(their_sku)["quantity"] == before


def test_update_inventory_50_lines_accepted(w):
    """API.md: at most 50 SKUs per call; exactly 50 is fine (per-line results for all)."""
    skus = w.skus()
    lines = [(skus[i], 100 + i) if i < len(skus) else (f"UNKNOWN-{i}", 1) for i in range(50)]
    r = update(w, *lines)
    assert r.status == 200
    assert len(r.json["success"]) + len(r.json["failed_items"]) == 50
    assert len(r.json["success"]) == len(skus)


def test_list_products_filter_by_sku(w):
    sku = w.skus()[3]
    answer = w.ok("GET", f"/products?sku={sku}")
    assert [p["sku"] for p in answer["products"]] == [sku]
    assert answer["page"] == {"number": 0, "size": 20, "totalElements": 1, "totalPages": 1}


def test_list_products_filter_by_unknown_sku_is_empty(w):
    answer = w.ok("GET", "/products?sku=NO-SUCH-SKU")
    assert answer == {"products": [], "page": {"number": 0, "size": 20, "totalElements": 0, "totalPages": 0}}


@pytest.mark.parametrize("status", ["PUBLISHED", "UNPUBLISHED"])
def test_list_products_filter_by_published_status(w, status):
    everything = w.ok("GET", "/products?size=50")["products"]
    chosen = w.ok("GET", f"/products?size=50&publishedStatus={status}")["products"]
    assert chosen, "the generated catalog has listings in both states"
    assert all(p["published_status"] == status for p in chosen)
    assert {p["sku"] for p in chosen} == {p["sku"] for p in everything if p["published_status"] == status}


def test_list_products_pages_are_disjoint_and_complete(w):
    total = w.ok("GET", "/products?size=50")["page"]["totalElements"]
    pages = [w.ok("GET", f"/products?size=7&page={n}") for n in range(-(-total // 7))]
    skus = [p["sku"] for page in pages for p in page["products"]]
    assert len(skus) == len(set(skus)) == total
    assert all(page["page"]["totalPages"] == -(-total // 7) for page in pages)


def test_list_products_size_51_refused(w):
    """API.md: at most 50 per page."""
    assert_error(w.ds("GET", "/products?size=51"), 400, code="VALIDATION_FAILED", field="size")


def test_placing_an_order_lowers_stock_and_cancel_restores_it(w):
    sku = w.skus()[0]
    stock = w.product(sku)["quantity"]
    [order_id] = w.place(lines=[{"sku": sku, "quantity": 2}])
    assert w.product(sku)["quantity"] == stock - 2
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel", expect=200)
    assert w.product(sku)["quantity"] == stock
