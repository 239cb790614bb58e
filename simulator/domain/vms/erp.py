"""Postings to a seller's ERP (seeds 002, 004): built and queued in the transaction of the change they
report; simulator/erp_delivery.py sends them outside any request, retrying in simulated time."""
from __future__ import annotations

from sqlalchemy import insert, select, update

from contracts.erp import POSTING_SCHEMAS
from simulator.domain import documents
from simulator.domain.context import record_transition
from simulator.domain.orders import open_qty
from simulator.domain.vms.common import settings, sku_of, zoned
from simulator.store import documents as documents_table
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


def _where(pob: dict) -> dict:
    """Who and where, as seed 002's postings name them: locationCode the seller's (plant/store) code,
    partnerCode AJIO with AJIO's own code for that location (the POB id), channelName the channel
    (customer) code the ERP books AJIO under (seed 002's RSI key points: "customer code and plant/store
    code will also be provided")."""
    return {"partnerCode": "AJIO", "locationCode": pob["store_code"], "partnerLocationCode": pob["pob_id"],
            "channelName": settings(pob)["channel_name"]}


def _header(ctx, pob: dict, rec: dict, event_type: str) -> dict:
    return {"eventType": event_type, "messageId": ctx.seq("erp_message"), **_where(pob), "orderCode": rec["order_id"],
            "forwardPurchaseOrder": (rec["data"]["po"] or {}).get("po_number"), "orderTime": zoned(rec["order_date"]),
            "paymentMethod": rec["data"]["payment_method"]}


def _intra(ctx, rec: dict) -> bool:
    from simulator.domain.sellers import seller_state_code
    return documents.place_of_supply(rec, seller_state_code(ctx.conn, rec["pob_id"]))[1]


def send_create(ctx, pob: dict, rec: dict) -> None:
    """OUTWARD_ORDER_CREATE with the order's quantities now; a later one supersedes the one before that the
    ERP may hold (one it cannot have received is withdrawn first: see withdraw_unreceived)."""
    v = rec["data"]["vms"]
    payload = order_create_payload(ctx, pob, rec)
    if v.get("erp_create") is not None:
        held = withdraw_unreceived(ctx, rec)
        if held is not None:
            payload["supersedesMessageId"] = held["messageId"]
    if enqueue(ctx, pob, "OUTWARD_ORDER_CREATE", rec["order_id"], payload) is not None:
        v["erp_create"] = {"message_id": payload["messageId"], "at": ctx.now,
                           "quantities": {i["channelSkuCode"]: i["quantity"] for i in payload["orderItems"]}}


def _may_hold(row) -> bool:
    """Could the ERP have this posting? Delivered, in flight now (claimed by a sender), or an attempt that
    reached it: an HTTP answer of any status, or no answer that was not a refused connection (a timeout may
    come after the ERP took it). Entries logged before `reached` was kept count as reached."""
    if row.status == "DELIVERED" or row.claim_token is not None:
        return True
    return any(e.get("reached", True) for e in row.log or [] if not e.get("redelivery"))


def withdraw_unreceived(ctx, rec: dict) -> dict | None:
    """ERP-ORDER-FINAL-QUANTITY: an OUTWARD_ORDER_CREATE of this order that the ERP cannot have received (never
    attempted, or only refused connections; waiting or a dead letter) is withdrawn when a newer posting
    replaces it, so an ERP that comes back never e-invoices a quantity that is gone (docs/vms.md, ERP
    protocol 5). Answers the latest CREATE (its payload) the ERP may hold, None when it holds none."""
    rows = ctx.conn.execute(select(erp_postings).where(
        erp_postings.c.entity_id == rec["order_id"], erp_postings.c.event_type == "OUTWARD_ORDER_CREATE")
        .order_by(erp_postings.c.id)).all()
    held = None
    for row in rows:
        if row.status == "WITHDRAWN":
            continue
        if row.status in ("PENDING", "FAILED") and not _may_hold(row):
            entry = {"attempt": row.attempts, "at": ctx.now, "status": None, "answer": "", "withdrawn": True,
                     "outcome": "withdrawn: the ERP never received it and a newer posting replaces it"}
            gone = ctx.conn.execute(update(erp_postings).where(
                erp_postings.c.id == row.id, erp_postings.c.status == row.status,
                erp_postings.c.claim_token.is_(None))
                .values(status="WITHDRAWN", next_attempt_at=None, log=[*(row.log or []), entry])).rowcount
            if gone:
                record_transition(ctx, "order", rec["order_id"], rec["status"], rec["status"],
                                  f"ERP posting {row.id} (OUTWARD_ORDER_CREATE {row.payload['messageId']}) "
                                  "withdrawn: the ERP never received it")
                continue
        held = row.payload
    return held


def quantities_changed(ctx, pob: dict, rec: dict) -> None:
    """After a cancellation (seller's or customer's), model 1: what the ERP must hear so that it never
    e-invoices a quantity that is gone (seed 002: "the final quantity only for which invoice is to be
    created"; seed 004: CANCEL and COMPLETE). Nothing before OUTWARD_ORDER_CREATE went out (that one will
    carry the final quantities); a complete cancellation: OUTWARD_ORDER_CANCEL, or nothing when the ERP
    cannot have received any CREATE (withdrawn); a partial one before the e-invoice: a
    fresh OUTWARD_ORDER_CREATE superseding the last; after the e-invoice: nothing now, OUTWARD_ORDER_COMPLETE
    at handover carries it (seed 002: partial cancellations are never posted)."""
    v = rec["data"]["vms"]
    if settings(pob)["einvoice_model"] != "erp" or v.get("erp_create") is None:
        return
    if rec["status"] == "CANCELLED":
        if v.get("erp_cancel_sent") or v.get("erp_withdrawn"):
            return
        # What the ERP holds is what goes: the invoiced quantities, else those of the last CREATE it may hold.
        if v["b2b_invoice"]:
            held = {i["channelSkuCode"]: i["quantity"] for i in v["b2b_invoice"]["invoiced"]}
        else:
            create = withdraw_unreceived(ctx, rec)
            if create is None:
                v["erp_withdrawn"] = ctx.now  # the ERP never heard of the order: nothing to cancel there
                return
            held = {i["channelSkuCode"]: i["quantity"] for i in create["orderItems"]}
        cancelled = [{"channelSkuCode": sku, "quantity": q} for sku, q in held.items() if q > 0]
        enqueue(ctx, pob, "OUTWARD_ORDER_CANCEL", rec["order_id"], order_cancel_payload(ctx, pob, rec, cancelled))
        v["erp_cancel_sent"] = ctx.now
        return
    if v["b2b_invoice"] is None:
        quantities = {sku_of(l): open_qty(l) for l in rec["data"]["lines"] if open_qty(l) > 0}
        if quantities != v["erp_create"]["quantities"]:
            send_create(ctx, pob, rec)


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
    """OUTWARD_ORDER_CANCEL: a complete cancellation after OUTWARD_ORDER_CREATE (seed 002: never partial);
    invoiceNumber names the e-invoice to cancel, absent when the ERP had not invoiced yet."""
    by_sku = {sku_of(l): l for l in rec["data"]["lines"]}
    inv = rec["data"]["vms"]["b2b_invoice"]
    number = {"invoiceNumber": inv["invoiceNumber"]} if inv else {}
    return {**_header(ctx, pob, rec, "OUTWARD_ORDER_CANCEL"), **number, "cancelledAt": zoned(ctx.now),
            "orderItems": [{"orderItemCode": by_sku[c["channelSkuCode"]]["order_item_id"],
                            "channelSkuCode": c["channelSkuCode"], "quantity": c["quantity"],
                            "cancelledQuantity": c["quantity"]} for c in cancelled]}


def order_complete_payload(ctx, pob: dict, rec: dict) -> dict:
    """OUTWARD_ORDER_COMPLETE: the order left the warehouse (seed 004), with what was cancelled; what was
    e-invoiced but not shipped (a customer's late cancellation) is what the ERP raises a return order for."""
    items = [{"orderItemCode": l["order_item_id"], "channelSkuCode": sku_of(l), "quantity": open_qty(l),
              "orderedQuantity": l["ordered_quantity"], "invoicedQuantity": l.get("invoiced_quantity") or 0,
              "cancelledQuantity": l["ordered_quantity"] - open_qty(l),
              "cancelledAfterInvoiceQuantity": max((l.get("invoiced_quantity") or 0) - open_qty(l), 0)}
             for l in rec["data"]["lines"]]
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
    return {**_where(pob), "messageId": ctx.seq("erp_message"), "paymentMethod": order["data"]["payment_method"],
            "returnOrderCode": ret["return_order_id"],
            "forwardOrderCode": order["order_id"],
            "returnCreationTime": zoned(ret["return_date"]), "items": items, "shipments": shipments,
            "shippingAddress": _address(customer), "billingAddress": _address(customer),
            "virtualSkuDefinitions": None}


def _b2c_invoice_date(ctx, shipment: dict) -> int | None:
    if shipment.get("b2c_invoice_date") is not None:
        return shipment["b2c_invoice_date"]
    # Orders packed before the date was kept: the B2C invoice document's own creation time.
    row = ctx.conn.execute(select(documents_table.c.created_at).where(
        documents_table.c.document_id == shipment["b2c_invoice_document_id"])).first()
    return row[0] if row else None


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
    # generated*: the B2C invoice AJIO generated at packing; external*: the ERP's B2B e-invoice (seed 002's
    # example: the external invoice a day before the generated one). One invoice per id/date pair.
    return {"shipmentCode": order["order_id"], "generatedInvoiceId": s["b2c_invoice_number"],
            "generatedInvoiceDate": zoned(_b2c_invoice_date(ctx, s)),
            "invoiceDocumentUrl": ctx.doc_url(s["b2c_invoice_document_id"]),
            "shippingLabelDocumentUrl": ctx.doc_url(s["label_document_id"]),
            "externalInvoiceId": inv.get("invoice_number"), "externalInvoiceDate": zoned(inv.get("invoice_date")),
            "shipmentItems": items}
