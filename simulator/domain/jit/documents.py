"""Payloads of the JIT documents: B2B invoice (IRN/QR when e-invoicing), one dummy ship label per box, manifest."""
from __future__ import annotations

from simulator.datagen_tables import STATE_CODES
from simulator.domain.documents import ajio_buyer, einvoice_block, money_lines
from simulator.domain.sellers import seller_profile


def _buyer(ctx, pob: dict, rec: dict) -> tuple[dict, dict, bool]:
    seller = seller_profile(ctx.conn, pob)
    where = rec["data"]["deliver_to"]
    # AJIO buys in the state of the warehouse the PO ships to: CGST+SGST when that is the seller's state.
    state_code = STATE_CODES.get(where["state"], seller["state_code"])
    return seller, ajio_buyer(state_code, dict(where)), state_code == seller["state_code"]


def invoice_payload(ctx, pob: dict, rec: dict, number: str, quantities: dict[str, int]) -> dict:
    seller, buyer, intra = _buyer(ctx, pob, rec)
    rows, totals = money_lines(rec["data"]["lines"], lambda l: quantities.get(l["order_item_id"], 0),
                               b2b=True, intra_state=intra)
    return {"model": "jit", "invoice_number": number, "invoice_date": ctx.now, "po_number": rec["order_id"],
            "po_date": rec["data"]["po_date"], "order_id": rec["order_id"], "seller": seller, "buyer": buyer,
            "lines": rows, "totals": totals,
            "einvoice": einvoice_block(ctx, pob, number, seller["gstin"], totals["total"], buyer_gstin=buyer["gstin"],
                                       lines=rows)}


def box_label_payload(ctx, pob: dict, rec: dict, box: dict, tracking_number: str, index: int | None,
                      count: int | None) -> dict:
    seller = seller_profile(ctx.conn, pob)
    by_id = {l["order_item_id"]: l for l in rec["data"]["lines"]}
    return {"tracking_number": tracking_number, "carrier": rec["data"]["carrier"], "order_id": rec["order_id"],
            "box_id": box["box_id"], "seal_id": box.get("seal_id"), "box_index": index, "box_count": count,
            "created_at": ctx.now, "ship_to": rec["data"]["deliver_to"],
            "ship_from": {"name": seller["seller_name"], "address": seller["address"], "gstin": seller["gstin"]},
            "invoice_number": (rec["data"]["invoice"] or {}).get("invoice_number"),
            "items": [{"sku": by_id[i["order_item_id"]]["sku"], "name": by_id[i["order_item_id"]]["item_details"]["name"],
                       "quantity": i["quantity"]} for i in box.get("items", [])]}


def manifest_payload(ctx, pob: dict, manifest_id: str, shipments: list[dict]) -> dict:
    return {"manifest_id": manifest_id, "created_at": ctx.now, "seller": seller_profile(ctx.conn, pob),
            "shipments": shipments}
