"""Document records (invoice, label, manifest, PO, credit note) and the payloads their PDFs print."""
from __future__ import annotations

import json
from datetime import timedelta, timezone

from sqlalchemy import insert, select

from simulator import datagen
from simulator.datagen_tables import STATE_CODES
from simulator.domain import numbers
from simulator.domain.numbers import financial_year  # noqa: F401 (DS and JIT take it from here)
from simulator.domain.orders import open_qty
from simulator.domain.sellers import seller_profile
from simulator.errors import NotFound
from simulator.store import documents

IST = timezone(timedelta(hours=5, minutes=30))
# Reliance Retail's PAN; AJIO bills in the state of supply with a GSTIN built on it.
_RELIANCE_PAN = "AABCR1718E"


def create(ctx, pob_id: str, kind: str, entity_id: str, payload: dict) -> str:
    document_id = ctx.ids.document_id(ctx.seq("document"))
    ctx.conn.execute(insert(documents).values(document_id=document_id, pob_id=pob_id, kind=kind,
                                              entity_id=entity_id, created_at=ctx.now, payload=payload))
    irn = (payload.get("einvoice") or {}).get("irn")
    if irn:  # the e-invoice portal issues an IRN once: no two documents carry the same one
        numbers.claim_irn(ctx, irn, document_id, kind, entity_id,
                          payload.get("invoice_number") or payload.get("credit_note_number"))
    return document_id


def fetch(conn, document_id: str, pob_id: str) -> dict:
    row = conn.execute(select(documents).where(documents.c.document_id == document_id)).mappings().first()
    # Documents carry customers' addresses: another POB's document is as absent as a missing one.
    if row is None or row["pob_id"] != pob_id:
        raise NotFound(f"document {document_id} not found", field="document_id")
    return dict(row)


def for_entity(conn, entity_id: str) -> list[dict]:
    rows = conn.execute(select(documents.c.document_id, documents.c.kind, documents.c.created_at)
                        .where(documents.c.entity_id == entity_id).order_by(documents.c.created_at)).mappings()
    return [dict(r) for r in rows]


def ajio_buyer(state_code: str, address: dict | None = None) -> dict:
    first14 = f"{state_code}{_RELIANCE_PAN}1Z"
    return {"name": "Reliance Retail Limited (AJIO)", "gstin": first14 + datagen.gstin_check_char(first14),
            "address": address or {"line1": "3rd Floor, Court House", "line2": "Lokmanya Tilak Marg, Dhobi Talao",
                                   "city": "Mumbai", "state": "Maharashtra", "pincode": "400002"}}


def place_of_supply(rec: dict, seller_state_code: str) -> tuple[str, bool]:
    """AJIO bills from the customer's state: its state code, and whether that is the seller's (CGST+SGST)."""
    state_code = STATE_CODES.get(rec["data"]["customer"]["address"]["state"], seller_state_code)
    return state_code, state_code == seller_state_code


def line_tax(line: dict, qty: int, *, b2b: bool, intra_state: bool) -> dict:
    """GST on `qty` units of a line: the one split every document and the orders' tax_summary use,
    so their amounts agree to the paisa."""
    unit = line["b2b_base_price"] + line["b2b_tax"] if b2b else line["unit_price"]
    rate = line["b2b_gst_rate"] if b2b else line["gst_rate"]
    return {"unit": unit, "rate": rate, **datagen.split_tax(round(unit * qty, 2), rate, intra_state)}


def money_lines(lines: list[dict], quantity_of, *, b2b: bool, intra_state: bool) -> tuple[list[dict], dict]:
    """Invoice lines with GST split; `quantity_of(line)` says how many units each line bills."""
    out, totals = [], {"taxable_value": 0.0, "cgst": 0.0, "sgst": 0.0, "igst": 0.0, "tax": 0.0, "total": 0.0}
    for line in lines:
        qty = quantity_of(line)
        if qty <= 0:
            continue
        tax = line_tax(line, qty, b2b=b2b, intra_state=intra_state)
        unit, rate = tax["unit"], tax["rate"]
        row = {"sku": line["sku"], "name": line["item_details"]["name"], "hsn": line["hsn"], "quantity": qty,
               "unit_price": round(unit, 2), "taxable_value": tax["taxable_value"], "gst_rate": rate,
               "cgst": tax["cgst"], "sgst": tax["sgst"], "igst": tax["igst"], "total": tax["total"],
               "mrp": line["mrp"]}
        out.append(row)
        for key in ("taxable_value", "cgst", "sgst", "igst", "tax", "total"):
            totals[key] = round(totals[key] + tax[key], 2)
    return out, totals


def einvoice_block(ctx, pob: dict, number: str, seller_gstin: str, total: float) -> dict | None:
    """An e-invoicing POB's documents carry an IRN and a signed QR (seed 000: GstEInvoicing)."""
    if not pob["settings"].get("einvoicing"):
        return None
    irn = ctx.ids.irn(number, seller_gstin)
    qr = json.dumps({"SellerGstin": seller_gstin, "DocNo": number, "DocDt": ctx.now, "TotInvVal": total,
                     "Irn": irn}, separators=(",", ":"), sort_keys=True)
    return {"irn": irn, "ack_number": str(100000000000000 + int(irn[:12], 16) % 900000000000000),
            "ack_date": ctx.now, "qr_payload": qr}


def _parties(ctx, pob: dict, rec: dict) -> tuple[dict, dict, bool]:
    seller = seller_profile(ctx.conn, pob)
    state_code, intra = place_of_supply(rec, seller["state_code"])
    where = rec["data"]["customer"]["address"]
    address = {"line1": "AJIO fulfilment, place of supply", "line2": "Reliance Retail Limited",
               "city": where["city"], "state": where["state"], "pincode": where["pincode"]}
    return seller, ajio_buyer(state_code, address), intra


def purchase_order_payload(ctx, pob: dict, rec: dict, po_number: str, lines: list[dict]) -> dict:
    seller, buyer, intra = _parties(ctx, pob, rec)
    rows, totals = money_lines(lines, open_qty, b2b=True, intra_state=intra)
    return {"po_number": po_number, "po_date": ctx.now, "order_id": rec["order_id"], "seller": seller,
            "buyer": buyer, "lines": rows, "totals": totals}


def b2b_invoice_payload(ctx, pob: dict, rec: dict, number: str) -> dict:
    seller, buyer, intra = _parties(ctx, pob, rec)
    rows, totals = money_lines(rec["data"]["lines"], open_qty, b2b=True, intra_state=intra)
    po = rec["data"]["po"]
    return {"invoice_number": number, "invoice_date": ctx.now, "po_number": po["po_number"],
            "po_date": po["po_date"], "order_id": rec["order_id"], "seller": seller, "buyer": buyer,
            "lines": rows, "totals": totals, "einvoice": einvoice_block(ctx, pob, number, seller["gstin"], totals["total"])}


def b2c_invoice_payload(ctx, pob: dict, rec: dict, number: str) -> dict:
    seller, _buyer, intra = _parties(ctx, pob, rec)
    rows, totals = money_lines(rec["data"]["lines"], open_qty, b2b=False, intra_state=intra)
    customer = rec["data"]["customer"]
    return {"invoice_number": number, "invoice_date": ctx.now, "order_id": rec["order_id"],
            "order_date": rec["order_date"], "payment_method": rec["data"]["payment_method"], "seller": seller,
            "customer": {"name": customer["name"], "phone": customer["phone"], "address": customer["address"]},
            "lines": rows, "totals": totals,
            "einvoice": einvoice_block(ctx, pob, number, seller["gstin"], totals["total"])}


def label_payload(ctx, pob: dict, rec: dict, shipment: dict) -> dict:
    seller = seller_profile(ctx.conn, pob)
    d = rec["data"]
    customer = d["customer"]
    # The courier collects what the B2C invoice bills: open quantities, not the total as ordered.
    billed = money_lines(d["lines"], open_qty, b2b=False, intra_state=True)[1]["total"]
    cod = billed if d["payment_method"] == "COD" else 0
    return {"tracking_number": shipment["tracking_number"], "carrier": shipment["carrier"],
            "order_id": rec["order_id"], "order_date": rec["order_date"], "payment_method": d["payment_method"],
            "cod_amount": cod, **{k: shipment[k] for k in ("weight_grams", "length_cm", "breadth_cm", "height_cm")},
            "ship_to": {"name": customer["name"], "phone": customer["phone"], "address": customer["address"]},
            "return_to": {"name": seller["seller_name"], "address": seller["address"]},
            "invoice_number": shipment["b2c_invoice_number"],
            "items": [{"sku": l["sku"], "name": l["item_details"]["name"], "quantity": open_qty(l)}
                      for l in d["lines"] if open_qty(l) > 0]}


def manifest_payload(ctx, pob: dict, manifest_id: str, shipments: list[dict]) -> dict:
    return {"manifest_id": manifest_id, "created_at": ctx.now, "seller": seller_profile(ctx.conn, pob),
            "shipments": shipments}


def credit_note_payload(ctx, pob: dict, ret: dict, order: dict, number: str, series: str) -> dict:
    seller, buyer, intra = _parties(ctx, pob, order)
    by_item = {l["order_item_id"]: l for l in order["data"]["lines"]}
    returned = {i["order_item_id"]: i["return_quantity"] - i["cancelled_return_quantity"] for i in ret["data"]["items"]}
    lines = [by_item[i] for i in returned]
    rows, totals = money_lines(lines, lambda l: returned[l["order_item_id"]], b2b=True, intra_state=intra)
    invoice = order["data"]["invoice"] or {}
    return {"credit_note_number": number, "credit_note_series": series, "date": ctx.now,
            "return_order_id": ret["return_order_id"], "order_id": order["order_id"],
            "return_type": ret["return_type"], "original_invoice_number": invoice.get("invoice_number", ""),
            "seller": seller, "buyer": buyer, "lines": rows, "totals": totals,
            "einvoice": einvoice_block(ctx, pob, number, seller["gstin"], totals["total"])}
