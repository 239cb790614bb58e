"""A seller's own catalogue (seed 003 step 5: SKUs must match exactly; seed 000 points 3-4: one seller, many
stores): imported as JSON or CSV for all its POBs, each with its own stock; published and unpublished."""
from __future__ import annotations

import pytest
from dsworld import World, assert_error

from simulator.datagen import ean13_check_digit


def ean(n: int) -> str:
    first12 = f"8906012{n:05d}"
    return first12 + ean13_check_digit(first12)


def listing(sku: str, n: int, **over) -> dict:
    item = {"sku": sku, "ean": ean(n), "name": "Men Cotton Kurta", "brand": "Vastra", "size": "M", "colour": "Blue",
            "mrp": 1499, "price": 999, "hsn": "62114290", "category": "Kurtas"}
    return {**item, **over}


CATALOGUE = [listing("KRT-101-BLU-M", 1, quantity=7), listing("KRT-101-BLU-L", 2, size="L"),
             listing("TOP 22/RED/S", 3, name="Women Crop Top", hsn="61061000", mrp=799, price=559, published=False)]


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def products(w: World, query: str = "") -> dict[str, dict]:
    return {p["sku"]: p for p in w.ok("GET", f"/products?size=50{query}")["products"]}


def import_json(w: World, items: list[dict], expect: int | None = 201, **body):
    return w.sim.control("POST", "/catalogue", {"pob_id": w.pob_id, "products": items, **body}, expect=expect)


def test_import_lists_the_sellers_own_skus_instead_of_fakers(w):
    answer = import_json(w, CATALOGUE).json
    assert answer["pob_ids"] == [w.pob_id] and answer["imported"] == 3 and answer["removed"] == 20
    listed = products(w)
    assert sorted(listed) == ["KRT-101-BLU-L", "KRT-101-BLU-M", "TOP 22/RED/S"]
    top = listed["TOP 22/RED/S"]
    assert (top["ean"], top["brand_name"], top["color"], top["mrp"], top["selling_price"], top["hsn"],
            top["category"], top["published_status"], top["quantity"]) == (
        ean(3), "Vastra", "Blue", 799.0, 559.0, "61061000", "Kurtas", "UNPUBLISHED", 0)
    assert listed["KRT-101-BLU-M"]["quantity"] == 7


def test_catalogue_is_shared_by_the_sellers_pobs_each_with_its_own_stock(sim, w):
    other = World.new(sim, seller_id=w.pob["seller_id"])
    answer = import_json(w, CATALOGUE).json
    assert answer["pob_ids"] == [w.pob_id, other.pob_id]
    assert sorted(products(other)) == sorted(products(w))
    w.ok("POST", "/updateInventory", {"inventory": [{"sku": "KRT-101-BLU-M", "quantity": 2}]})
    assert products(w)["KRT-101-BLU-M"]["quantity"] == 2 and products(other)["KRT-101-BLU-M"]["quantity"] == 7
    later = World.new(sim, seller_id=w.pob["seller_id"])  # a store opened after the import lists it too
    assert sorted(products(later)) == sorted(products(w)) and products(later)["KRT-101-BLU-M"]["quantity"] == 7


def test_orders_carry_the_own_sku_exactly_with_gst_from_its_hsn(w):
    import_json(w, CATALOGUE)
    [order_id] = w.place(lines=[{"sku": "KRT-101-BLU-L", "quantity": 2}])
    [line] = w.pending(order_id)["order_lines"]
    assert (line["item_details"]["item_code"], line["item_details"]["ean"], line["unit_price"]) == (
        "KRT-101-BLU-L", ean(2), 999.0)
    state = w.state(order_id)["lines"][0]
    assert state["gst_rate"] == 5.0 and state["hsn"] == "62114290"


def test_inventory_for_a_look_alike_sku_is_unknown(w):
    import_json(w, CATALOGUE)
    r = w.ds("POST", "/updateInventory", {"inventory": [{"sku": "krt-101-blu-m", "quantity": 5}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="inventory")
    assert "unknown sku krt-101-blu-m" in r.json["failed_items"][0]["error_message"]


def test_unpublished_sku_cannot_be_ordered_until_published(w):
    import_json(w, CATALOGUE)
    r = w.sim.control("POST", "/orders", {"pob_id": w.pob_id, "lines": [{"sku": "TOP 22/RED/S", "quantity": 1}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="lines[0].sku", message="not a published product")
    w.sim.control("POST", "/catalogue/publish", {"pob_id": w.pob_id, "skus": ["TOP 22/RED/S"], "published": True},
                  expect=200)
    assert products(w, "&publishedStatus=PUBLISHED")["TOP 22/RED/S"]["published_status"] == "PUBLISHED"
    assert w.place(lines=[{"sku": "TOP 22/RED/S", "quantity": 1}])


def test_unpublish_applies_to_every_pob_of_the_seller(sim, w):
    other = World.new(sim, seller_id=w.pob["seller_id"])
    import_json(w, CATALOGUE)
    answer = w.sim.control("POST", "/catalogue/publish", {"seller_id": w.pob["seller_id"], "skus": ["KRT-101-BLU-M"],
                                                          "published": False}, expect=200).json
    assert answer["listings_changed"] == 2
    assert products(other)["KRT-101-BLU-M"]["published_status"] == "UNPUBLISHED"


def test_publish_unknown_sku_is_404_naming_it(w):
    import_json(w, CATALOGUE)
    r = w.sim.control("POST", "/catalogue/publish", {"pob_id": w.pob_id, "skus": ["KRT-101-BLU-M", "krt-101-blu-m"],
                                                     "published": False})
    assert_error(r, 404, code="NOT_FOUND", field="skus[1]")


def test_import_keeping_existing_listings_adds_and_updates(w):
    faker = sorted(products(w))
    import_json(w, [listing(faker[0], 9, price=111)], replace=False)
    listed = products(w)
    assert sorted(listed) == faker and listed[faker[0]]["selling_price"] == 111.0


def test_import_csv(w):
    csv = ("SKU,EAN,Name,Brand,Size,Colour,MRP,Price,HSN,Category,Published,Quantity\n"
           f"KRT-1,{ean(1)},Kurta,Vastra,M,Blue,1499,999,62114290,Kurtas,yes,4\n"
           f"KRT-2,{ean(2)},Kurta,Vastra,L,Blue,1499,999,62114290,Kurtas,no,\n")
    r = w.sim.http("POST", f"/_sim/catalogue?pob_id={w.pob_id}", data=csv.encode(),
                   headers={"Content-Type": "text/csv"})
    assert r.status == 201, r.content
    listed = products(w)
    assert (listed["KRT-1"]["quantity"], listed["KRT-1"]["published_status"], listed["KRT-2"]["published_status"]) == (
        4, "PUBLISHED", "UNPUBLISHED")


@pytest.mark.parametrize("csv,field,message", [
    ("sku,ean\nA,1\n", "name", "no 'name' column"),
    ("sku,ean,name,brand,size,colour,mrp,price,hsn,category,stock\n", "stock", "unknown CSV column"),
    ("sku,ean,name,brand,size,colour,mrp,price,hsn,category\nA,{ean},K,B,M,Blue,cheap,9,62114290,K\n",
     "products[0].mrp", "products[0].mrp"),
], ids=["missing-column", "unknown-column", "bad-number"])
def test_import_csv_refusals_name_the_column_or_cell(w, csv, field, message):
    r = w.sim.http("POST", f"/_sim/catalogue?pob_id={w.pob_id}", data=csv.format(ean=ean(1)).encode(),
                   headers={"Content-Type": "text/csv"})
    assert_error(r, 400, code="VALIDATION_FAILED", field=field, message=message)
    assert len(products(w)) == 20


@pytest.mark.parametrize("items,field,message", [
    ([listing("A", 1), listing("A", 2)], "products[1].sku", "listed twice"),
    ([listing("A", 1), listing("B", 1)], "products[1].ean", "overlapping barcodes"),
    ([listing("A", 1, ean="8906012000012")], "products[0].ean", "check digit"),
    ([listing("A", 1, price=2000)], "products[0].price", "above mrp"),
    ([listing("A", 1, hsn="85171300")], "products[0].hsn", "prices GST"),
    ([listing(" A", 1)], "products[0].sku", "leading or trailing"),
], ids=["dup-sku", "dup-ean", "bad-ean", "price-above-mrp", "unpriced-hsn", "sku-spaces"])
def test_import_refusals_name_the_row_and_field_and_change_nothing(w, items, field, message):
    r = import_json(w, items, expect=None)
    assert_error(r, 400, code="VALIDATION_FAILED", field=field, message=message)
    assert len(products(w)) == 20


def test_import_needs_exactly_one_of_seller_or_pob(w):
    r = w.sim.control("POST", "/catalogue", {"products": CATALOGUE})
    assert_error(r, 400, code="VALIDATION_FAILED", field="seller_id")


def test_import_skips_jit_pobs_of_the_seller(sim, w):
    jit = sim.control("POST", "/sellers", {"model": "jit", "seller_id": w.pob["seller_id"]}, expect=201).json
    answer = import_json(w, CATALOGUE).json
    assert answer["pob_ids"] == [w.pob_id] and answer["skipped_pob_ids"] == [jit["pob_id"]]
