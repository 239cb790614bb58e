"""JIT through the real `ajio-sim serve` process (issue 5 "Done when"; seed 001 touchpoints), driven with requests."""
from __future__ import annotations

import pytest

from fixtures.jitworld import JitWorld, pdf_text

pytestmark = pytest.mark.e2e
DAY = 86400


def _pdf(world, url: str) -> str:
    r = world.sim.get_url(url, world.token)
    assert r.status == 200 and r.mimetype == "application/pdf", r.content[:300]
    return pdf_text(r.content)


def test_jit_po_from_pendency_to_manifest_with_boxes_cancellation_invoice_update_and_prepack(live):
    """Seed 001: order pull -> cancellation push -> pack (invoice + label per box, prepack) -> shipment -> manifest."""
    world = JitWorld.new(live, einvoicing=True, einvoicing_username="einv", einvoicing_password="secret")
    a, b, c = world.skus(3)
    po = world.raise_po([(a, 6), (b, 4), (c, 2)])

    # Order pull: the new PO is in pendency with the SKU mapping fields.
    pending = world.ok("GET", "/orders/pendency?size=50")["orders"]
    order = next(o for o in pending if o["order_id"] == po)
    assert [(l["sku_code"], l["quantity"]) for l in order["order_lines"]] == [(a, 6), (b, 4), (c, 2)]
    la, lb, lc = (l["order_item_id"] for l in order["order_lines"])

    # Prepack: labels and invoice at picklist time (seed 001 row 4); the PO is invoiced by it.
    pre = world.ok("POST", f"/orders/{po}/prepack", {"box_ids": [f"{po}-B1", f"{po}-B2"]})
    first_invoice = pre["invoice"]
    assert first_invoice["irn"] and "prefetched" in _pdf(world, pre["boxes"][0]["label_pdf_url"])

    # Partial seller cancellation (seed 001 cancellation push): 2 of line a, all of line c.
    cancelled = world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": la, "quantity": 2},
                                                                    {"order_item_id": lc, "quantity": 2}]})
    assert cancelled["status"] == "INVOICED" and cancelled["invoice_stale"] is True
    assert [l["open_quantity"] for l in cancelled["order_lines"]] == [4, 4, 0]

    # Packing against the stale invoice is refused; the invoice update re-issues it for 4 + 4.
    boxes = [{"box_id": f"{po}-B1", "seal_id": f"{po}-S1", "items": [{"order_item_id": la, "quantity": 4}]},
             {"box_id": f"{po}-B2", "seal_id": f"{po}-S2", "items": [{"order_item_id": lb, "quantity": 1}]},
             {"box_id": f"{po}-B3", "seal_id": f"{po}-S3", "items": [{"order_item_id": lb, "quantity": 3}]}]
    assert world.jit("POST", f"/orders/{po}/pack", {"boxes": boxes}).status == 409
    invoice = world.ok("PUT", f"/orders/{po}/invoice", {})
    assert invoice["invoice_number"] != first_invoice["invoice_number"]
    assert {l["order_item_id"]: l["quantity"] for l in invoice["invoice_lines"]} == {la: 4, lb: 4}
    text = _pdf(world, invoice["invoice_pdf_url"])
    assert invoice["invoice_number"] in text and "e-Invoice" in text

    # Box-wise pack: three boxes, prefetched labels reused, one new label.
    pack = world.ok("POST", f"/orders/{po}/pack", {"boxes": boxes})
    assert [b["tracking_number"] for b in pack["boxes"][:2]] == [b["tracking_number"] for b in pre["boxes"]]
    assert len({b["tracking_number"] for b in pack["boxes"]}) == 3 and pack["status"] == "PACKED"
    assert f"{po}-S3" in _pdf(world, pack["boxes"][2]["label_pdf_url"])
    assert world.jit("PUT", f"/orders/{po}/invoice", {}).status == 409  # no update after packing

    # Manifest (grounded dispatch shape, as Unicommerce sends it with "auth").
    manifest = world.ok("POST", "/orders/dispatch", {"auth": "token", "dispatchItems": [
        {"masterAWB": pack["master_awb"], "orderId": po, "invoiceNo": invoice["invoice_number"]}]})
    assert manifest["status"] == "SUCCESS" and manifest["failedDispatchItems"] == []
    sheet = _pdf(world, manifest["manifestUrl"])
    assert all(f"{po}-B{i}" in sheet for i in (1, 2, 3))
    assert world.po(po)["status"] == "READY_TO_DISPATCH"

    state = live.state(po)
    assert [t["to"] for t in state["timeline"]] == ["CREATED", "INVOICED", "INVOICED", "INVOICED", "INVOICED",
                                                    "PACKED", "READY_TO_DISPATCH"]
    assert state["model"] == "jit" and {b["status"] for b in state["boxes"]} == {"PACKED"}


def test_jit_reconciliation_shows_injected_drift_and_backorders_appear(live):
    """Seed 001: inventory push, daily reconciliation against AJIO's view (drift injected), back-order pull."""
    world = JitWorld.new(live)
    a, b = world.skus(2)
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 5}, {"sku": b, "quantity": 8}]})
    assert world.ok("GET", "/backorders") == {"backorders": []}

    live.control("POST", "/jit/inventory/drift", {"pob_id": world.pob_id, "lines": [{"sku": b, "delta": -3}]},
                 expect=200)
    view = world.ajio_stock()
    pushed = {a: 5, b: 8}
    assert {sku: view[sku] - qty for sku, qty in pushed.items() if view[sku] != qty} == {b: -3}

    world.raise_po([(a, 4)])
    assert world.ok("GET", "/backorders") == {"backorders": []}
    world.raise_po([(a, 3), (b, 6)])
    assert world.ok("GET", "/backorders") == {"backorders": [{"sku": a, "demand": 7, "available": 5},
                                                             {"sku": b, "demand": 6, "available": 5}]}
    world.ok("POST", "/inventory", {"inventory": [{"sku": b, "quantity": 8}]})  # the reconciliation's fix
    assert world.ok("GET", "/backorders") == {"backorders": [{"sku": a, "demand": 7, "available": 5}]}


def test_jit_ready_at_pack_courier_delivery_and_confirmed_return(live):
    """Seed 001 rows 3 and 5: ready to ship at pack; the courier's pickup and delivery; returns pulled CONFIRMED."""
    world = JitWorld.new(live, ready_to_ship_at="pack")
    po = world.raise_po([(world.skus(1)[0], 3)])
    assert world.packed(po)["status"] == "READY_TO_DISPATCH"
    world.manifested(po)
    live.advance(DAY)  # pickup timer, on the simulated clock
    world.relogin()
    assert world.po(po)["status"] == "DISPATCHED"
    live.control("POST", f"/orders/{po}/deliver", expect=200)
    rid = live.control("POST", f"/orders/{po}/customer-return", {"lines": [
        {"order_item_id": world.line_ids(po)[0], "quantity": 1}]}, expect=201).json["return_order_id"]
    pulled = [r for r in world.ok("GET", "/returns?size=50")["returns"] if r["return_order_id"] == rid]
    assert pulled and pulled[0]["return_status"] == "CONFIRMED" and pulled[0]["order_id"] == po
