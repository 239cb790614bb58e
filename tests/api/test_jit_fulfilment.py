"""JIT invoice (POST/PUT), prepack labels, box-wise pack and manifest: rules of seed 001 and API.md, bad input."""
from __future__ import annotations

import re

import pytest
from dsworld import assert_error, pdf_text, signed_qr_data

from fixtures.jitworld import JitWorld

BOX_RULE = "JIT-PACK-MATCHES-INVOICE"


@pytest.fixture
def world(sim) -> JitWorld:
    return JitWorld.new(sim)


@pytest.fixture
def po(world) -> str:
    a, b = world.skus(2)
    return world.raise_po([(a, 5), (b, 3)])


def _boxes(world, po, spec):
    """spec: [(box_id, [(line_index, qty), ...]), ...]"""
    ids = world.line_ids(po)
    return [{"box_id": box, "seal_id": f"SEAL-{box}", "items": [{"order_item_id": ids[i], "quantity": q} for i, q in items]}
            for box, items in spec]


# -- invoice ---------------------------------------------------------------------------------------
def test_invoice_from_registered_series_and_repeat_same_number(world, po):
    """Seed 001 / API.md: AJIO generates the B2B invoice from the seller's registered series; a repeat answers it again."""
    first = world.invoiced(po)
    assert first["invoice_number"].startswith(world.pob["invoice_series"])
    assert {"invoice_number", "invoice_date", "invoice_pdf_url"} <= set(first) and "irn" not in first
    assert world.invoiced(po) == first
    assert [(l["quantity"]) for l in first["invoice_lines"]] == [5, 3]


def test_invoice_body_must_be_empty(world, po):
    assert_error(world.jit("POST", f"/orders/{po}/invoice", {"lines": []}), 400, field="lines")
    assert world.po(po)["status"] == "CREATED"


def test_invoice_einvoicing_carries_irn_and_qr(sim):
    """Seed 001 prerequisites (e-invoicing): the invoice carries IRN and QR, in the answer and the PDF."""
    world = JitWorld.new(sim, einvoicing=True, einvoicing_username="u", einvoicing_password="p")
    po = world.raise_po([(world.skus(1)[0], 2)])
    inv = world.invoiced(po)
    assert len(inv["irn"]) == 64 and signed_qr_data(inv["qr_code"])["Irn"] == inv["irn"]
    text = pdf_text(sim.get_url(inv["invoice_pdf_url"], world.token).content)
    assert inv["invoice_number"] in text and "e-Invoice" in text and inv["irn"][:20] in text.replace("\n", "")
    assert "AJIO JIT" in text and po in text


def test_invoice_einvoicing_qr_carries_nic_fields_of_the_invoice(sim):
    """NIC's QR names AJIO's GSTIN as buyer, the invoiced lines' count and the HSN of the largest line."""
    world = JitWorld.new(sim, einvoicing=True, einvoicing_username="u", einvoicing_password="p")
    skus = world.skus(2)
    po = world.raise_po([(skus[0], 1), (skus[1], 4)])
    inv = world.invoiced(po)
    data = signed_qr_data(inv["qr_code"])
    lines = world.po(po)["order_lines"]
    biggest = max(lines, key=lambda l: l["quantity"] * l["b2b_base_price"])
    assert (data["DocNo"], data["DocTyp"], data["ItemCnt"]) == (inv["invoice_number"], "INV", 2)
    assert re.fullmatch(r"\d{2}AABCR1718E1Z.", data["BuyerGstin"]), data
    assert data["MainHsnCode"] == biggest["hsn"]


def test_invoice_update_after_cancellation_reissues_for_open_quantities(world, po):
    """API.md: PUT re-issues the invoice for the current open quantities, e.g. after a cancellation."""
    first = world.invoiced(po)
    line = world.line_ids(po)[0]
    world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": line, "quantity": 2}]})
    assert world.po(po)["invoice_stale"] is True
    second = world.ok("PUT", f"/orders/{po}/invoice", {})
    assert second["invoice_number"] != first["invoice_number"]
    assert [l["quantity"] for l in second["invoice_lines"]] == [3, 3]
    assert world.po(po)["invoice_stale"] is False and world.po(po)["invoice_number"] == second["invoice_number"]
    # Nothing changed since: a repeated PUT answers the same invoice (no third number).
    assert world.ok("PUT", f"/orders/{po}/invoice", {}) == second
    assert world.state(po)["invoice_history"][0]["invoice_number"] == first["invoice_number"]


def test_invoice_update_before_invoice_refused(world, po):
    assert_error(world.jit("PUT", f"/orders/{po}/invoice", {}), 409, field="order_id", message="POST first")


def test_invoice_update_after_packing_refused(world, po):
    """Issue 5 bad input: an invoice update after packing is refused, naming the rule."""
    world.packed(po)
    number = world.po(po)["invoice_number"]
    assert_error(world.jit("PUT", f"/orders/{po}/invoice", {}), 409, code="ILLEGAL_TRANSITION", field="status",
                 rule="JIT-INVOICE-UPDATE-UNTIL-PACKED")
    assert world.po(po)["invoice_number"] == number


def test_pack_with_stale_invoice_refused_until_updated(world, po):
    world.invoiced(po)
    world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": world.line_ids(po)[1], "quantity": 1}]})
    boxes = _boxes(world, po, [("B1", [(0, 5), (1, 2)])])
    assert_error(world.jit("POST", f"/orders/{po}/pack", {"boxes": boxes}), 409, field="invoice", message="PUT")
    world.ok("PUT", f"/orders/{po}/invoice", {})
    assert world.ok("POST", f"/orders/{po}/pack", {"boxes": boxes})["status"] == "PACKED"


# -- pack ------------------------------------------------------------------------------------------
def test_pack_several_boxes_one_label_each(sim, world, po):
    """Seed 001 (order pack) / API.md: box-wise pack, box id and seal id, one dummy ship label per box."""
    world.invoiced(po)
    boxes = _boxes(world, po, [("B1", [(0, 3)]), ("B2", [(0, 2), (1, 1)]), ("B3", [(1, 2)])])
    answer = world.ok("POST", f"/orders/{po}/pack", {"boxes": boxes})
    assert [b["box_id"] for b in answer["boxes"]] == ["B1", "B2", "B3"]
    assert len({b["tracking_number"] for b in answer["boxes"]}) == 3
    assert answer["master_awb"] == answer["boxes"][0]["tracking_number"] and answer["status"] == "PACKED"
    for box in answer["boxes"]:
        text = pdf_text(sim.get_url(box["label_pdf_url"], world.token).content)
        assert box["tracking_number"] in text and box["box_id"] in text and f"SEAL-{box['box_id']}" in text


def test_pack_repeat_same_boxes_same_answer_other_boxes_conflicting_repeat(world, po):
    world.invoiced(po)
    boxes = _boxes(world, po, [("B1", [(0, 5), (1, 3)])])
    first = world.ok("POST", f"/orders/{po}/pack", {"boxes": boxes})
    assert world.ok("POST", f"/orders/{po}/pack", {"boxes": boxes}) == first
    other = _boxes(world, po, [("B9", [(0, 5), (1, 3)])])
    assert_error(world.jit("POST", f"/orders/{po}/pack", {"boxes": other}), 409, code="CONFLICTING_REPEAT",
                 field="boxes")


@pytest.mark.parametrize("spec,field", [
    ([("B1", [(0, 5), (1, 2)])], "boxes[0].items[1].quantity"),
    ([("B1", [(0, 4)]), ("B2", [(0, 2), (1, 3)])], "boxes[0].items[0].quantity"),
    ([("B1", [(0, 5)])], "boxes"),
], ids=["short", "over", "line-missing"])
def test_pack_quantities_not_matching_invoice_refused(world, po, spec, field):
    """Issue 5 bad input: box quantities not adding up to the invoice are refused, nothing packed."""
    world.invoiced(po)
    r = world.jit("POST", f"/orders/{po}/pack", {"boxes": _boxes(world, po, spec)})
    assert_error(r, 400, field=field, rule=BOX_RULE)
    assert world.po(po)["status"] == "INVOICED" and world.state(po)["boxes"] == []


def test_pack_duplicate_box_id_in_request_refused(world, po):
    """Issue 5 bad input: a duplicate box id."""
    world.invoiced(po)
    boxes = _boxes(world, po, [("B1", [(0, 5)]), ("B2", [(1, 3)])])
    boxes[1]["box_id"] = "B1"
    assert_error(world.jit("POST", f"/orders/{po}/pack", {"boxes": boxes}), 400, field="boxes[1].box_id")


def test_pack_box_id_of_another_po_refused(world, po):
    """Issue 5 bad input: a box id (LPN) used by another PO of the POB."""
    other = world.raise_po([(world.skus(1)[0], 1)])
    world.packed(other, [{"box_id": "LPN-X", "seal_id": "S-X", "items": [
        {"order_item_id": world.line_ids(other)[0], "quantity": 1}]}])
    world.invoiced(po)
    boxes = _boxes(world, po, [("LPN-X", [(0, 5), (1, 3)])])
    assert_error(world.jit("POST", f"/orders/{po}/pack", {"boxes": boxes}), 409, field="boxes[0].box_id",
                 message=other, rule="JIT-BOX-IDS-UNIQUE")
    boxes = _boxes(world, po, [("LPN-Y", [(0, 5), (1, 3)])])
    boxes[0]["seal_id"] = "S-X"
    assert_error(world.jit("POST", f"/orders/{po}/pack", {"boxes": boxes}), 409, field="boxes[0].seal_id",
                 rule="JIT-BOX-IDS-UNIQUE")
    assert world.po(po)["status"] == "INVOICED"


def test_pack_box_ids_are_per_pob(sim, world, po):
    other = JitWorld.new(sim)
    opo = other.raise_po([(other.skus(1)[0], 1)])
    other.packed(opo, [{"box_id": "SAME", "seal_id": "SAME", "items": [
        {"order_item_id": other.line_ids(opo)[0], "quantity": 1}]}])
    world.invoiced(po)
    boxes = _boxes(world, po, [("SAME", [(0, 5), (1, 3)])])
    boxes[0]["seal_id"] = "SAME"
    assert world.ok("POST", f"/orders/{po}/pack", {"boxes": boxes})["status"] == "PACKED"


@pytest.mark.parametrize("mutate,field", [
    (lambda b: b[0]["items"].__setitem__(0, {"order_item_id": "nope", "quantity": 5}), "boxes[0].items[0].order_item_id"),
    (lambda b: b[0]["items"].append(dict(b[0]["items"][0])), "boxes[0].items[2].order_item_id"),
    (lambda b: b[0].pop("seal_id"), "boxes[0].seal_id"),
    (lambda b: b[0].__setitem__("items", []), "boxes[0].items"),
    (lambda b: b[0]["items"][0].__setitem__("quantity", 0), "boxes[0].items[0].quantity"),
    (lambda b: b[0].__setitem__("weight", 3), "boxes[0].weight"),
], ids=["unknown-line", "line-twice-in-box", "no-seal", "empty-box", "zero", "unknown-field"])
def test_pack_bad_box_names_field(world, po, mutate, field):
    world.invoiced(po)
    boxes = _boxes(world, po, [("B1", [(0, 5), (1, 3)])])
    mutate(boxes)
    assert_error(world.jit("POST", f"/orders/{po}/pack", {"boxes": boxes}), 400, field=field)
    assert world.po(po)["status"] == "INVOICED"


def test_pack_before_invoice_refused(world, po):
    """Seed 001: pack = invoice + label; the invoice comes first."""
    r = world.jit("POST", f"/orders/{po}/pack", {"boxes": _boxes(world, po, [("B1", [(0, 5), (1, 3)])])})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", rule="JIT-PACK-MATCHES-INVOICE")


def test_pack_takes_packed_units_off_ajio_stock(world, po):
    a, b = world.skus(2)
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 20}, {"sku": b, "quantity": 20}]})
    world.packed(po)
    assert world.ajio_stock()[a] == 15 and world.ajio_stock()[b] == 17


# -- prepack -----------------------------------------------------------------------------------------
def test_prepack_label_before_pack_is_the_boxs_label(sim, world, po):
    """Seed 001 row 4 (Prefetch Shipment Label): label and invoice fetched at picklist time, reused at pack."""
    pre = world.ok("POST", f"/orders/{po}/prepack", {"box_ids": ["P1", "P2"]})
    assert pre["invoice"]["invoice_number"] and world.po(po)["status"] == "INVOICED"
    assert "prefetched" in pdf_text(sim.get_url(pre["boxes"][0]["label_pdf_url"], world.token).content)
    assert world.ok("POST", f"/orders/{po}/prepack", {"box_ids": ["P1"]})["boxes"] == pre["boxes"][:1]
    packed = world.ok("POST", f"/orders/{po}/pack", {"boxes": _boxes(world, po, [("P1", [(0, 5), (1, 3)])])})
    assert packed["boxes"] == pre["boxes"][:1]
    boxes = {b["box_id"]: b["status"] for b in world.state(po)["boxes"]}
    assert boxes == {"P1": "PACKED", "P2": "VOID"}


def test_prepack_after_pack_refused_and_box_of_other_po_refused(world, po):
    other = world.raise_po([(world.skus(1)[0], 1)])
    world.ok("POST", f"/orders/{other}/prepack", {"box_ids": ["TAKEN"]})
    assert_error(world.jit("POST", f"/orders/{po}/prepack", {"box_ids": ["NEW", "TAKEN"]}), 409,
                 field="box_ids[1]", rule="JIT-BOX-IDS-UNIQUE")
    assert_error(world.jit("POST", f"/orders/{po}/prepack", {"box_ids": ["A", "A"]}), 400, field="box_ids[1]")
    world.packed(po)
    assert_error(world.jit("POST", f"/orders/{po}/prepack", {"box_ids": ["LATE"]}), 409, code="ILLEGAL_TRANSITION",
                 rule="JIT-PREPACK-LABEL")


# -- dispatch / manifest -------------------------------------------------------------------------------
def test_dispatch_manifest_pdf_lists_every_box(sim, world, po):
    """Seed 001 (order shipment, manifest document): grounded dispatch shape, manifest PDF with each box."""
    inv = world.invoiced(po)
    pack = world.ok("POST", f"/orders/{po}/pack", {"boxes": _boxes(world, po, [("M1", [(0, 5)]), ("M2", [(1, 3)])])})
    answer = world.ok("POST", "/orders/dispatch", {"dispatchItems": [
        {"masterAWB": pack["master_awb"], "orderId": po, "invoiceNo": inv["invoice_number"]}], "auth": "x"})
    assert answer["status"] == "SUCCESS" and answer["failedDispatchItems"] == []
    assert world.po(po)["status"] == "READY_TO_DISPATCH" and world.po(po)["manifest_id"] == answer["manifest_id"]
    text = pdf_text(sim.get_url(answer["manifestUrl"], world.token).content)
    assert all(s in text for s in (po, "M1", "M2", "SEAL-M1", pack["boxes"][1]["tracking_number"]))
    again = world.ok("POST", "/orders/dispatch", {"dispatchItems": [
        {"masterAWB": pack["master_awb"], "orderId": po, "invoiceNo": inv["invoice_number"]}]})
    assert again == answer


def test_dispatch_wrong_awb_invoice_or_unpacked_fail_per_item(world, po):
    inv = world.invoiced(po)
    other = world.raise_po([(world.skus(1)[0], 1)])
    r = world.jit("POST", "/orders/dispatch", {"dispatchItems": [
        {"masterAWB": "X", "orderId": po, "invoiceNo": inv["invoice_number"]},
        {"masterAWB": "X", "orderId": other, "invoiceNo": "Y"}]})
    body = assert_error(r, 400, code="DISPATCH_FAILED")
    assert [f["orderId"] for f in body["failedDispatchItems"]] == [po, other]
    pack = world.ok("POST", f"/orders/{po}/pack", {"boxes": world.one_box_per_line(po)})
    r = world.jit("POST", "/orders/dispatch", {"dispatchItems": [
        {"masterAWB": pack["master_awb"], "orderId": po, "invoiceNo": "OLD"}]})
    assert "not the current invoice" in assert_error(r, 400)["failedDispatchItems"][0]["error_message"]


def test_dispatch_line_failure_fault_fails_one_po_alone_then_it_is_manifested(world):
    a, b = world.skus(2)
    first, second = world.raise_po([(a, 1)]), world.raise_po([(b, 1)])
    items = []
    for po_id in (first, second):
        pack = world.packed(po_id)
        items.append({"masterAWB": pack["master_awb"], "orderId": po_id,
                      "invoiceNo": world.invoiced(po_id)["invoice_number"]})
    world.sim.control("POST", "/faults", {"match": {"method": "POST", "path": "/jit/orders/dispatch",
                                                    "pob_id": world.pob_id},
                                          "effects": [{"kind": "line_failure", "order_id": second}], "times": 1},
                      expect=201)
    answer = world.ok("POST", "/orders/dispatch", {"dispatchItems": items})
    assert [f["orderId"] for f in answer["failedDispatchItems"]] == [second]
    assert world.po(second)["status"] == "PACKED" and world.po(first)["status"] == "READY_TO_DISPATCH"
    again = world.ok("POST", "/orders/dispatch", {"dispatchItems": items[1:]})
    assert again["failedDispatchItems"] == [] and world.po(second)["status"] == "READY_TO_DISPATCH"


def test_dispatch_mixing_manifested_and_new_pos_conflicting_repeat(world):
    a, b = world.raise_po([(world.skus(1)[0], 1)]), world.raise_po([(world.skus(1)[0], 2)])
    world.manifested(a)
    pb = world.packed(b)
    items = [{"masterAWB": world.po(a)["master_awb"], "orderId": a, "invoiceNo": world.po(a)["invoice_number"]},
             {"masterAWB": pb["master_awb"], "orderId": b, "invoiceNo": world.po(b)["invoice_number"]}]
    assert_error(world.jit("POST", "/orders/dispatch", {"dispatchItems": items}), 409, code="CONFLICTING_REPEAT")
    assert world.po(b)["status"] == "PACKED"


def test_dispatch_over_250_refused(world):
    items = [{"masterAWB": "A", "orderId": str(i), "invoiceNo": "I"} for i in range(251)]
    assert_error(world.jit("POST", "/orders/dispatch", {"dispatchItems": items}), 400, field="dispatchItems",
                 message="250", rule="MANIFEST-MAX-250")


def test_ready_to_ship_at_pack_setting(sim):
    """Seed 001 row 5: with ready to ship at pack, the PO is READY_TO_DISPATCH once packed; the manifest keeps it."""
    world = JitWorld.new(sim, ready_to_ship_at="pack")
    po = world.raise_po([(world.skus(1)[0], 2)])
    assert world.packed(po)["status"] == "READY_TO_DISPATCH"
    assert_error(sim.control("POST", f"/orders/{po}/pickup"), 409, message="no manifest",
                 rule="JIT-COURIER-AFTER-MANIFEST")
    world.manifested(po)
    assert world.po(po)["status"] == "READY_TO_DISPATCH"
    assert sim.control("POST", f"/orders/{po}/pickup", expect=200).json["status"] == "DISPATCHED"


def test_ready_to_ship_at_manifest_default(world, po):
    """Seed 001 row 5: by default the PO is ready to ship at the manifest."""
    assert world.packed(po)["status"] == "PACKED"
    world.manifested(po)
    assert world.po(po)["status"] == "READY_TO_DISPATCH"


def test_courier_timers_dispatch_then_deliver(sim, world, po):
    """API.md time: pickup a day after the manifest, delivery three days after pickup, on the simulated clock."""
    world.manifested(po)
    sim.advance(86400 - 1)
    assert world.state(po)["status"] == "READY_TO_DISPATCH"
    sim.advance(1)
    assert world.state(po)["status"] == "DISPATCHED"
    sim.advance(3 * 86400)
    assert world.state(po)["status"] == "DELIVERED"
