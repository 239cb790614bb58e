"""Dropship forward flow after acknowledgement: invoice -> label -> manifest (seed 000 point 6)."""
from __future__ import annotations

from sqlalchemy import insert, select

from simulator.domain import courier, documents
from simulator.domain.context import load, move, save
from simulator.domain.ds.machines import DS_ORDER
from simulator.domain.idempotency import RULE as IDEMPOTENCY_RULE
from simulator.domain.idempotency import conflicting
from simulator.domain.orders import open_qty
from simulator.domain.sellers import get_pob
from simulator.errors import ConflictingRepeat, Forbidden, NotFound, NotYet, ValidationFailed
from simulator.store import manifests, prebuilt

MAX_MANIFEST = 250
_INSERT_MANIFEST = prebuilt(insert(manifests))
DIMENSIONS = ("weight_grams", "length_cm", "breadth_cm", "height_cm")


def _ds_order(ctx, pob_id: str, order_id: str) -> dict:
    rec = load(ctx, "order", order_id, pob_id)
    if rec["model"] != "ds":
        raise NotFound(f"order {order_id} not found", field="order_id")
    return rec


def invoice_view(ctx, rec: dict) -> dict:
    inv = rec["data"]["invoice"]
    out = {"order_id": rec["order_id"], "invoice_number": inv["invoice_number"],
           "invoice_date": inv["invoice_date"], "invoice_pdf_url": ctx.doc_url(inv["document_id"]),
           "po_number": rec["data"]["po"]["po_number"],
           # e-invoicing POBs (seed 000 GstEInvoicing): NIC's IRN, acknowledgement and signed QR; else null.
           "irn": inv.get("irn"), "ack_number": inv.get("ack_number"), "ack_date": inv.get("ack_date"),
           "signed_qr_code": inv.get("signed_qr_code")}
    return out


def generate_invoice(ctx, pob_id: str, order_id: str) -> dict:
    """AJIO generates the B2B invoice for the whole order (seed 000 points 5 and 7: no split)."""
    rec = _ds_order(ctx, pob_id, order_id)
    if rec["data"]["invoice"] is not None:
        return invoice_view(ctx, rec)  # a repeat answers the first invoice, never a second number
    DS_ORDER.next(rec["status"], "invoice")
    if rec["data"]["po"] is None:
        raise NotYet(f"order {order_id} is on hold: AJIO has not issued its PO yet, and the B2B invoice needs it",
                     available_at=rec["data"]["po_due_at"], now=ctx.now,
                     rule="DS-PO-ON-HOLD")
    pob = get_pob(ctx.conn, pob_id)
    fy = documents.financial_year(ctx.now)
    # GST caps invoice numbers at 16 characters: series (6) + financial year (4) + counter (6).
    number = f"{pob['settings']['invoice_series']}{fy}{ctx.seq(f'invoice:{pob_id}:{fy}'):06d}"
    payload = documents.b2b_invoice_payload(ctx, pob, rec, number)
    document_id = documents.create(ctx, pob_id, "b2b_invoice", order_id, payload)
    einvoice = payload["einvoice"] or {}
    rec["data"]["invoice"] = {"invoice_number": number, "invoice_date": ctx.now, "document_id": document_id,
                              "irn": einvoice.get("irn"), "ack_number": einvoice.get("ack_number"),
                              "ack_date": einvoice.get("ack_date"), "signed_qr_code": einvoice.get("signed_qr")}
    move(ctx, DS_ORDER, rec, "invoice", f"AJIO issued B2B invoice {number}")
    save(ctx, "order", rec)
    return invoice_view(ctx, rec)


def label_view(ctx, rec: dict) -> dict:
    s = rec["data"]["shipment"]
    return {"order_id": rec["order_id"], "tracking_number": s["tracking_number"], "carrier": s["carrier"],
            "label_pdf_url": ctx.doc_url(s["label_document_id"]),
            "b2c_invoice_pdf_url": ctx.doc_url(s["b2c_invoice_document_id"]),
            "b2c_invoice_number": s["b2c_invoice_number"],
            # The B2B invoice number beside the AWB: the two that dispatch asks for (masterAWB, invoiceNo).
            "invoice_number": rec["data"]["invoice"]["invoice_number"]}


def generate_label(ctx, pob_id: str, order_id: str, parcel: dict) -> dict:
    """AWB, carrier, label and B2C invoice; needs the invoice and shipping-API access (seed 003)."""
    rec = _ds_order(ctx, pob_id, order_id)
    shipment = rec["data"]["shipment"]
    if shipment is not None:
        for key in DIMENSIONS:
            if shipment[key] != parcel[key]:
                err = conflicting(f"label {shipment['tracking_number']} of order {order_id}", key, shipment[key],
                                  parcel[key])
                err.message += " (one order ships as one package: no split)"
                err.rule_id = "DS-NO-ORDER-SPLIT"
                raise err
        return label_view(ctx, rec)
    pob = get_pob(ctx.conn, pob_id)
    if not pob["settings"].get("shipping_api_access"):
        raise Forbidden(f"POB {pob_id} has no shipping API access: AJIO's account manager must enable it "
                        f"before labels can be generated", field="apiKey",
                        rule="DS-SHIPPING-API-ACCESS")
    DS_ORDER.next(rec["status"], "label")
    carrier = rec["data"]["carrier"]
    # An integer key maps one-to-one onto the carrier's number space: no two labels share an AWB.
    tracking = ctx.data.awb(carrier, ctx.seq("awb"))
    b2c_number = ctx.ids.b2c_invoice_number(ctx.seq("b2c_invoice"))
    shipment = {"tracking_number": tracking, "carrier": carrier, "b2c_invoice_number": b2c_number,
                **{k: parcel[k] for k in DIMENSIONS}}
    b2c_doc = documents.create(ctx, pob_id, "b2c_invoice", order_id,
                               documents.b2c_invoice_payload(ctx, pob, rec, b2c_number))
    label_doc = documents.create(ctx, pob_id, "label", order_id, documents.label_payload(ctx, pob, rec, shipment))
    shipment.update(label_document_id=label_doc, b2c_invoice_document_id=b2c_doc)
    rec["data"]["shipment"] = shipment
    rec["data"]["tracking_number"] = tracking
    move(ctx, DS_ORDER, rec, "label", f"label generated: {carrier} AWB {tracking}")
    save(ctx, "order", rec)
    return label_view(ctx, rec)


def _dispatch_failure(item: dict, message: str) -> dict:
    return {"masterAWB": item["masterAWB"], "orderId": item["orderId"], "invoiceNo": item["invoiceNo"],
            "error_message": message}


def _manifest_answer(ctx, manifest_id: str | None, document_id: str | None, failed: list[dict]) -> dict:
    answer = {"status": "SUCCESS" if manifest_id else "FAILED", "manifest_id": manifest_id,
              "manifestUrl": ctx.doc_url(document_id) if document_id else None, "failedDispatchItems": failed}
    if not manifest_id:
        answer["error_message"] = "no shipment could be manifested: see failedDispatchItems"
        answer["error_code"] = "DISPATCH_FAILED"
    return answer


def dispatch_orders(ctx, pob_id: str, items: list[dict], refused: dict[str, str] | None = None) -> dict:
    """Create a manifest of packed orders (<= 250); each item succeeds or fails on its own. `refused`: orders
    AJIO fails on this call whatever their state (a line_failure fault), with the reason."""
    if len(items) > MAX_MANIFEST:
        raise ValidationFailed(f"at most {MAX_MANIFEST} shipments per manifest (got {len(items)})",
                               field="dispatchItems", rule="MANIFEST-MAX-250")
    ok, failed, seen, replay_of = [], [], set(), set()
    carrier = None  # a manifest is handed to one courier: the first shipment's carrier is the manifest's
    for item in items:
        order_id = item["orderId"]
        if order_id in seen:
            failed.append(_dispatch_failure(item, "orderId repeated in this manifest"))
            continue
        seen.add(order_id)
        try:
            rec = _ds_order(ctx, pob_id, order_id)
        except NotFound:
            failed.append(_dispatch_failure(item, f"order {order_id} not found"))
            continue
        shipment, invoice = rec["data"]["shipment"], rec["data"]["invoice"]
        if shipment is None or not DS_ORDER.allows(rec["status"], "dispatch") and not rec["data"]["manifest_id"]:
            failed.append(_dispatch_failure(item, f"order {order_id} is {rec['status']}: only packed (labelled) "
                                                  f"orders can be manifested (seed 000 point 6)"))
        elif item["masterAWB"] != shipment["tracking_number"]:
            failed.append(_dispatch_failure(item, f"masterAWB {item['masterAWB']} is not the AWB of order {order_id}"))
        elif item["invoiceNo"] != invoice["invoice_number"]:
            failed.append(_dispatch_failure(item, f"invoiceNo {item['invoiceNo']} is not the invoice of order {order_id}"))
        elif carrier is not None and shipment["carrier"] != carrier:
            failed.append(_dispatch_failure(item, f"order {order_id} ships with {shipment['carrier']}, this manifest "
                                                  f"with {carrier}: one manifest per carrier (DS-MANIFEST-ONE-CARRIER); "
                                                  f"put it on a {shipment['carrier']} manifest"))
        elif rec["data"]["manifest_id"]:
            carrier = shipment["carrier"]
            replay_of.add(rec["data"]["manifest_id"])
            ok.append((rec, item))
        elif refused and order_id in refused:
            failed.append(_dispatch_failure(item, refused[order_id]))
        else:
            carrier = shipment["carrier"]
            ok.append((rec, item))
    if replay_of:
        return _replay_manifest(ctx, pob_id, replay_of, ok, failed)
    if not ok:
        return _manifest_answer(ctx, None, None, failed)
    pob = get_pob(ctx.conn, pob_id)
    manifest_id = ctx.ids.manifest_id(ctx.seq("manifest"))
    shipments = []
    for rec, item in ok:
        s = rec["data"]["shipment"]
        shipments.append({"order_id": rec["order_id"], "tracking_number": s["tracking_number"],
                          "carrier": s["carrier"], "invoice_number": item["invoiceNo"],
                          "weight_grams": s["weight_grams"],
                          "quantity": sum(open_qty(l) for l in rec["data"]["lines"])})
        rec["data"]["manifest_id"] = manifest_id
        move(ctx, DS_ORDER, rec, "dispatch", f"added to manifest {manifest_id}")
        save(ctx, "order", rec)
        courier.schedule_pickup(ctx, rec["order_id"])
    document_id = documents.create(ctx, pob_id, "manifest", manifest_id,
                                   documents.manifest_payload(ctx, pob, manifest_id, shipments, carrier))
    ctx.conn.execute(_INSERT_MANIFEST, {"manifest_id": manifest_id, "pob_id": pob_id, "created_at": ctx.now,
                                        "data": {"document_id": document_id, "shipments": shipments,
                                                 "carrier": carrier}})
    return _manifest_answer(ctx, manifest_id, document_id, failed)


def _replay_manifest(ctx, pob_id, replay_of, ok, failed) -> dict:
    """A client retrying a manifest call (Unicommerce retries up to 3 times) gets the first manifest."""
    new = [rec["order_id"] for rec, _ in ok if not rec["data"]["manifest_id"]]
    if len(replay_of) != 1 or new:
        raise ConflictingRepeat("some orders of this request are already on a manifest and others are not: a "
                                "retry must send the first payload again (the manifested orders alone), new "
                                "orders go on a manifest of their own", field="dispatchItems", rule=IDEMPOTENCY_RULE)
    manifest_id = replay_of.pop()
    row = ctx.conn.execute(select(manifests).where(manifests.c.manifest_id == manifest_id)).mappings().first()
    first = sorted(s["order_id"] for s in row["data"]["shipments"])
    asked = sorted(rec["order_id"] for rec, _ in ok)
    if asked != first:
        raise conflicting(f"manifest {manifest_id}", "dispatchItems", first, asked)
    return _manifest_answer(ctx, manifest_id, row["data"]["document_id"], failed)
