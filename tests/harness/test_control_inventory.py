"""GET /_sim/sellers/{pob}/inventory: AJIO's view of stock for expectations, leaving no journal trace."""
from __future__ import annotations


def test_seller_inventory_shows_ajio_view_after_update(sim, seller, token):
    before = sim.control("GET", f"/sellers/{seller['pob_id']}/inventory", expect=200).json["inventory"]
    sku = before[0]["sku"]
    r = sim.ds("POST", "/updateInventory", token, {"inventory": [{"sku": sku, "quantity": 77}]})
    assert r.status == 200
    after = {i["sku"]: i["quantity"] for i in
             sim.control("GET", f"/sellers/{seller['pob_id']}/inventory", expect=200).json["inventory"]}
    assert after[sku] == 77 and len(after) == len(before)
    journal = sim.control("GET", f"/journal?pob_id={seller['pob_id']}", expect=200).json["entries"]
    assert [e["path"] for e in journal] == ["/ds/authToken", "/ds/updateInventory"]


def test_seller_inventory_filters_published_status(sim, seller):
    rows = sim.control("GET", f"/sellers/{seller['pob_id']}/inventory?published_status=PUBLISHED",
                       expect=200).json["inventory"]
    assert rows and {r["published_status"] for r in rows} == {"PUBLISHED"}


def test_seller_inventory_bad_status_names_field(sim, seller):
    r = sim.control("GET", f"/sellers/{seller['pob_id']}/inventory?published_status=LIVE", expect=400)
    assert r.json["field"] == "published_status"


def test_seller_inventory_unknown_pob_404(sim):
    r = sim.control("GET", "/sellers/DVNOPE0/inventory", expect=404)
    assert r.json["field"] == "pob_id"
