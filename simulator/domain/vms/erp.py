"""Postings to a seller's ERP (seeds 002, 004): built and queued in the transaction of the change they
report; simulator/erp_delivery.py sends them outside any request, retrying in simulated time."""
from __future__ import annotations

from sqlalchemy import insert

from contracts.erp import POSTING_SCHEMAS
from simulator.domain import documents
from simulator.domain.orders import open_qty
from simulator.domain.vms.common import settings, sku_of, zoned
from simulator.store import erp_postings

_SCHEMAS = {kind: cls() for kind, cls in POSTING_SCHEMAS.items()}


def enqueue(ctx, pob: dict, event_type: str, entity_id: str, payload: dict) -> int | None:
    """Queue one posting for the POB's registered ERP; without an erp_url there is nobody to tell."""
    url = settings(pob)["erp_url"]
    if not url:
        return None
    body = _SCHEMAS[event_type].dump(payload)
    result = ctx.conn.execute(insert(erp_postings).values(
        pob_id=pob["pob_id"], event_type=event_type, entity_id=entity_id, url=url, status="PENDING", attempts=0,
        created_at=ctx.now, next_attempt_at=ctx.now, payload=body, log=[]))
    ctx.touched.append(entity_id)
    return int(result.inserted_primary_key[0])


def _address(customer: dict) -> dict:
    a = customer["address"]
    return {"name": customer["name"], "line1": a["line1"], "line2": a.get("line2"), "line3": None,
            "phone": customer.get("phone"), "email": customer.get("email"), "city": a["city"], "state": a["state"],
            "zip": a["pincode"], "country": "IN"}


def _tax_items(line: dict, qty: int, intra: bool) -> list[dict]:
    tax = documents.line_tax(line, 1, b2b=True, intra_state=intra)
    rate = tax["rate"]
    if intra:
        half = round(tax["tax"] / 2, 2)
        return [{"type": t, "rate": rate / 2, "taxPerUnit": half, "taxTotal": round(half * qty, 2)}
                for t in ("CGST", "SGST")]
    return [{"type": "IGST", "rate": rate, "taxPerUnit": tax["tax"], "taxTotal": round(tax["tax"] * qty, 2)}]


def _header(ctx, pob: dict, rec: dict, event_type: str) -> dict:
    return {"eventType": event_type, "messageId": ctx.seq("erp_message"), "partnerCode": "AJIO",
            "locationCode": pob["store_code"], "channelName": pob["pob_id"], "orderCode": rec["order_id"],
            "forwardPurchaseOrder": (rec["data"]["po"] or {}).get("po_number"), "orderTime": zoned(rec["order_date"]),
            "paymentMethod": rec["data"]["payment_method"]}


def _intra(ctx, rec: dict) -> bool:
    from simulator.domain.sellers import seller_state_code
    return documents.place_of_supply(rec, seller_state_code(ctx.conn, rec["pob_id"]))[1]


def order_create_payload(ctx, pob: dict, rec: dict) -> dict:
    """OUTWARD_ORDER_CREATE: the B2B order with the final quantities to e-invoice (seed 002 model 1)."""
    intra = _intra(ctx, rec)
    items = [{"orderItemCode": l["order_item_id"], "channelSkuCode": sku_of(l), "hsn": l["hsn"],
              "quantity": open_qty(l), "orderedQuantity": l["ordered_quantity"],
              "sellingPricePerUnit": round(l["b2b_base_price"] + l["b2b_tax"], 2),
              "baseSellingPricePerUnit": l["b2b_base_price"], "taxItems": _tax_items(l, open_qty(l), intra)}
             for l in rec["data"]["lines"] if open_qty(l) > 0]
    customer = rec["data"]["customer"]
    return {**_header(ctx, pob, rec, "OUTWARD_ORDER_CREATE"), "orderItems": items,
            "shippingAddress": _address(customer), "billingAddress": _address(customer)}


def order_cancel_payload(ctx, pob: dict, rec: dict, cancelled: list[dict]) -> dict:
    """OUTWARD_ORDER_CANCEL: a complete cancellation after the e-invoice (seed 002: never partial)."""
    by_sku = {sku_of(l): l for l in rec["data"]["lines"]}
    return {**_header(ctx, pob, rec, "OUTWARD_ORDER_CANCEL"), "invoiceNumber": rec["data"]["invoice"]["invoice_number"],
            "cancelledAt": zoned(ctx.now),
            "orderItems": [{"orderItemCode": by_sku[c["channelSkuCode"]]["order_item_id"],
                            "channelSkuCode": c["channelSkuCode"], "quantity": c["quantity"],
                            "cancelledQuantity": c["quantity"]} for c in cancelled]}


def order_complete_payload(ctx, pob: dict, rec: dict) -> dict:
    """OUTWARD_ORDER_COMPLETE: the order left the warehouse (seed 004), with what was cancelled."""
    items = [{"orderItemCode": l["order_item_id"], "channelSkuCode": sku_of(l), "quantity": open_qty(l),
              "orderedQuantity": l["ordered_quantity"], "invoicedQuantity": l.get("invoiced_quantity") or 0,
              "cancelledQuantity": l["ordered_quantity"] - open_qty(l)} for l in rec["data"]["lines"]]
    return {**_header(ctx, pob, rec, "OUTWARD_ORDER_COMPLETE"),
            "invoiceNumber": (rec["data"]["invoice"] or {}).get("invoice_number"), "completedAt": zoned(ctx.now),
            "orderItems": items}


def return_order_payload(ctx, pob: dict, ret: dict, order: dict) -> dict:
    """Seed 002 'Return Order Posting Payload' after QC; shipments [] in the credit-note model."""
    lines = {l["order_item_id"]: l for l in order["data"]["lines"]}
    items = []
    for row in ret["data"]["items"]:
        line, qc = lines[row["order_item_id"]], row["qc"] or {}
        for n, unit in enumerate(qc.get("units") or [], 1):
            items.append({"itemCode": f"{row['order_item_id']}_{n}", "returnOrderItemStatus": "RECEIVED",
                          "returnReason": ret["data"]["reason"], "channelSkuCode": sku_of(line),
                          "sellingPricePerUnit": line["unit_price"], "qcStatus": unit["qcStatus"],
                          "qcReason": unit["qcReason"], "imageUrls": unit["imageUrls"],
                          "virtualSkuChildItemReturnPostings": None})
    shipments = []
    if settings(pob)["return_model"] == "rsi" and order["data"]["shipment"]:
        shipments = [_shipment(ctx, order, ret, lines)]
    customer = order["data"]["customer"]
    return {"partnerCode": "AJIO", "locationCode": pob["store_code"], "messageId": ctx.seq("erp_message"),
            "partnerLocationCode": pob["store_code"], "paymentMethod": order["data"]["payment_method"],
            "channelName": pob["pob_id"], "returnOrderCode": ret["return_order_id"],
            "forwardOrderCode": order["order_id"],
            "returnCreationTime": zoned(ret["return_date"]), "items": items, "shipments": shipments,
            "shippingAddress": _address(customer), "billingAddress": _address(customer),
            "virtualSkuDefinitions": None}


def _shipment(ctx, order: dict, ret: dict, lines: dict) -> dict:
    s, inv, intra = order["data"]["shipment"], order["data"]["invoice"] or {}, _intra(ctx, order)
    items = []
    for row in ret["data"]["items"]:
        line = lines[row["order_item_id"]]
        qty = row["return_quantity"] - row["cancelled_return_quantity"]
        tax = documents.line_tax(line, 1, b2b=False, intra_state=intra)
        items.append({"channelSkuCode": sku_of(line), "orderItemCode": line["order_item_id"], "channelDiscount": None,
                      "netTaxAmountPerUnit": tax["tax"], "netTaxAmountTotal": round(tax["tax"] * qty, 2),
                      "baseSellingPricePerUnit": tax["taxable_value"],
                      "baseSellingPriceTotal": round(tax["taxable_value"] * qty, 2),
                      "sellingPricePerUnit": line["unit_price"],
                      "sellingPriceTotal": round(line["unit_price"] * qty, 2),
                      "quantity": qty, "shippingChargePerUnit": 0.0,
                      "taxItems": [{"type": "IGST" if not intra else "GST", "rate": tax["rate"],
                                    "taxPerUnit": tax["tax"], "taxTotal": round(tax["tax"] * qty, 2)}]})
    return {"shipmentCode": order["order_id"], "generatedInvoiceId": s["b2c_invoice_number"],
            "generatedInvoiceDate": zoned(inv.get("invoice_date")),
            "invoiceDocumentUrl": ctx.doc_url(s["b2c_invoice_document_id"]),
            "shippingLabelDocumentUrl": ctx.doc_url(s["label_document_id"]),
            "externalInvoiceId": inv.get("invoice_number"), "externalInvoiceDate": zoned(inv.get("invoice_date")),
            "shipmentItems": items}
