"""VMS fulfilment (seed 002): the B2B e-invoice (quantities not invoiced are cancelled), packing
documents, seller cancellation per e-invoice model, and the manifest at handover."""
from __future__ import annotations

from sqlalchemy import insert, select

from simulator.domain import courier, documents
from simulator.domain.catalog import adjust_stock
from simulator.domain.context import move, save
from simulator.domain.machine import order_machine
from simulator.domain.orders import open_qty
from simulator.domain.sellers import get_pob
from simulator.domain.vms import erp
from simulator.domain.vms.common import CHANNEL, fingerprint, plain, settings, sku_of, vms_order
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS
from simulator.domain.vms.orders import PO_RULE, po_withheld
from simulator.errors import ConflictingRepeat, IllegalTransition, NotFound, NotYet, ValidationFailed
from simulator.store import manifests, orders

MAX_MANIFEST = 250
# VMS has no label call with dimensions: the packing documents print a standard small parcel.
PARCEL = {"weight_grams": 500, "length_cm": 30.0, "breadth_cm": 25.0, "height_cm": 5.0}


# -- the B2B e-invoice ---------------------------------------------------------------------------
def _restock(ctx, rec: dict, line: dict, quantity: int) -> None:
    uncovered = min(quantity, line.get("oversold_qty", 0))
    line["oversold_qty"] = line.get("oversold_qty", 0) - uncovered
    if quantity - uncovered:
        adjust_stock(ctx, rec["pob_id"], line["sku"], quantity - uncovered)


def _invoice_answer(ctx, rec: dict) -> dict:
    inv = rec["data"]["vms"]["b2b_invoice"]
    return {"status": "SUCCESS", "order_id": rec["order_id"], "order_status": VMS_PUBLIC_STATUS[rec["status"]],
            "forwardPurchaseOrder": rec["data"]["po"]["po_number"], "invoiceNumber": inv["invoiceNumber"],
            "invoice_pdf_url": ctx.doc_url(inv["document_id"]), "invoiced": inv["invoiced"],
            "cancelled": inv["cancelled"]}


def order_for_po(ctx, pob_id: str, po_number: str) -> dict:
    """The ERP names the order by its PO (seed 002 forwardPurchaseOrder)."""
    row = ctx.conn.execute(select(orders.c.order_id).where(
        orders.c.pob_id == pob_id, orders.c.model == "vms",
        orders.c.data["po"]["po_number"].as_string() == po_number).limit(1)).first()
    if row is not None:
        return vms_order(ctx, row[0], pob_id)
    raise NotFound(f"forwardPurchaseOrder {po_number} is no PO of this seller", field="forwardPurchaseOrder",
                   rule="VMS-INVOICE-FOR-PO")


def _invoiced_quantities(rec: dict, payload: dict) -> dict[str, int]:
    open_lines = {sku_of(l): l for l in rec["data"]["lines"] if open_qty(l) > 0}
    entries = payload.get("invoiceLineEntries")
    if entries is None:
        if payload["isPartialInvoice"]:
            raise ValidationFailed("a partial invoice (isPartialInvoice true) must list its invoiceLineEntries",
                                   field="invoiceLineEntries", rule="VMS-INVOICE-PARTIAL-FLAG")
        return {sku: open_qty(l) for sku, l in open_lines.items()}
    invoiced = {}
    for i, entry in enumerate(entries):
        sku, qty = entry["channelSkuCode"], entry["quantity"]
        if sku not in open_lines:
            raise ValidationFailed(f"channelSkuCode {sku} is no open line of the PO of order {rec['order_id']}",
                                   field=f"invoiceLineEntries[{i}].channelSkuCode",
                                   rule="VMS-INVOICE-FINAL-QUANTITY")
        if qty > open_qty(open_lines[sku]):
            raise ValidationFailed(f"quantity {qty} is above the ordered (open) quantity {open_qty(open_lines[sku])} "
                                   f"of {sku}", field=f"invoiceLineEntries[{i}].quantity",
                                   rule="VMS-INVOICE-FINAL-QUANTITY")
        invoiced[sku] = qty
    whole = all(invoiced.get(sku, 0) == open_qty(l) for sku, l in open_lines.items())
    if whole == payload["isPartialInvoice"]:
        raise ValidationFailed(f"isPartialInvoice is {str(payload['isPartialInvoice']).lower()} but the lines invoice "
                               f"{'all' if whole else 'part'} of the open quantities", field="isPartialInvoice",
                               rule="VMS-INVOICE-PARTIAL-FLAG")
    return invoiced


def post_b2b_invoice(ctx, pob_id: str, rec: dict, payload: dict, source: str) -> dict:
    """Seed 002: the B2B e-invoice (QR, IRN) for the invoiced quantities; the others are cancelled."""
    v = rec["data"]["vms"]
    fp = fingerprint(payload)
    if v["b2b_invoice"] is not None:
        if v["b2b_invoice"]["fingerprint"] == fp:
            return _invoice_answer(ctx, rec)
        raise ConflictingRepeat(f"order {rec['order_id']} already has B2B invoice {v['b2b_invoice']['invoiceNumber']}; "
                                f"a repeat must carry the same payload", field="invoiceNumber")
    machine = order_machine(rec)
    machine.next(rec["status"], "b2b_invoice")
    if rec["data"]["po"] is None:
        raise NotYet(f"order {rec['order_id']} has no B2B PO yet: the invoice is made for the PO",
                     available_at=None if po_withheld(ctx, rec) else rec["data"]["po_due_at"], now=ctx.now,
                     rule=PO_RULE)
    if payload["forwardPurchaseOrder"] != rec["data"]["po"]["po_number"]:
        raise ValidationFailed(f"forwardPurchaseOrder {payload['forwardPurchaseOrder']} is not the PO of order "
                               f"{rec['order_id']}", field="forwardPurchaseOrder",
                               rule="VMS-INVOICE-FOR-PO")
    invoiced = _invoiced_quantities(rec, payload)
    cancelled = []
    for line in rec["data"]["lines"]:
        left = open_qty(line) - invoiced.get(sku_of(line), 0)
        if left > 0:
            line["seller_cancelled_qty"] += left
            _restock(ctx, rec, line, left)
            cancelled.append({"channelSkuCode": sku_of(line), "quantity": left})
        line["invoiced_quantity"] = invoiced.get(sku_of(line), 0)
    pob = get_pob(ctx.conn, pob_id)
    number, when = payload["invoiceNumber"], int(payload["invoiceDate"].timestamp())
    doc = {**documents.b2b_invoice_payload(ctx, pob, rec, number), **CHANNEL}
    doc["invoice_date"] = when
    doc["einvoice"] = {"irn": payload["irnNumber"], "qr_payload": payload["qrCode"], "ack_number": None,
                       "ack_date": when}
    document_id = documents.create(ctx, pob_id, "b2b_invoice", rec["order_id"], doc)
    stored = {k: v for k, v in plain(payload).items() if k != "invoicePdf"}
    v["b2b_invoice"] = {**stored, "fingerprint": fp, "source": source, "posted_at": ctx.now, "document_id": document_id,
                        "invoiced": [{"channelSkuCode": s, "quantity": q} for s, q in invoiced.items()],
                        "cancelled": cancelled}
    rec["data"]["invoice"] = {"invoice_number": number, "invoice_date": when, "document_id": document_id,
                              "irn": payload["irnNumber"]}
    rest = ", ".join(f"{c['channelSkuCode']} x{c['quantity']}" for c in cancelled)
    cause = f"B2B e-invoice {number} posted via {source}" + (f"; not invoiced, cancelled: {rest}" if rest else "")
    move(ctx, machine, rec, "b2b_invoice", cause)
    save(ctx, "order", rec)
    return _invoice_answer(ctx, rec)


# -- packing documents, cancellation, manifest -----------------------------------------------------
def _documents_answer(ctx, rec: dict) -> dict:
    s = rec["data"]["shipment"]
    return {"order_id": rec["order_id"], "b2c_invoice_number": s["b2c_invoice_number"],
            "b2c_invoice_pdf_url": ctx.doc_url(s["b2c_invoice_document_id"]), "tracking_number": s["tracking_number"],
            "carrier": s["carrier"], "label_pdf_url": ctx.doc_url(s["label_document_id"])}


def get_documents(ctx, pob_id: str, order_id: str) -> dict:
    """B2C invoice and shipping label, fetched while packing, after the B2B invoice (seed 002)."""
    rec = vms_order(ctx, order_id, pob_id)
    if rec["data"]["shipment"] is not None:
        return _documents_answer(ctx, rec)
    order_machine(rec).next(rec["status"], "pack")
    pob = get_pob(ctx.conn, pob_id)
    carrier = rec["data"]["carrier"]
    tracking = ctx.data.awb(carrier, ctx.seq("awb"))
    b2c_number = ctx.ids.b2c_invoice_number(ctx.seq("b2c_invoice"))
    shipment = {"tracking_number": tracking, "carrier": carrier, "b2c_invoice_number": b2c_number, **PARCEL}
    b2c_doc = documents.create(ctx, pob_id, "b2c_invoice", order_id,
                               {**documents.b2c_invoice_payload(ctx, pob, rec, b2c_number), **CHANNEL})
    label_doc = documents.create(ctx, pob_id, "label", order_id,
                                 {**documents.label_payload(ctx, pob, rec, shipment), **CHANNEL})
    shipment.update(label_document_id=label_doc, b2c_invoice_document_id=b2c_doc)
    rec["data"]["shipment"], rec["data"]["tracking_number"] = shipment, tracking
    move(ctx, order_machine(rec), rec, "pack", f"packing documents fetched: {carrier} AWB {tracking}")
    save(ctx, "order", rec)
    return _documents_answer(ctx, rec)


def _cancel_answer(rec: dict) -> dict:
    return {"order_id": rec["order_id"], "status": VMS_PUBLIC_STATUS[rec["status"]],
            "cancelled": rec["data"]["vms"]["cancel"]["cancelled"] if rec["data"]["vms"]["cancel"] else []}


def cancel_order(ctx, pob_id: str, order_id: str, lines: list[dict] | None) -> dict:
    """Seller cancellation: {} = complete; lines = partial (model 1: never after the e-invoice)."""
    rec = vms_order(ctx, order_id, pob_id)
    v, machine = rec["data"]["vms"], order_machine(rec)
    if not lines and rec["status"] == "CANCELLED" and v["cancel"] and v["cancel"]["complete"]:
        return _cancel_answer(rec)  # the complete cancellation again
    if not machine.allows(rec["status"], "seller_cancel"):
        machine.next(rec["status"], "seller_cancel")  # handed over or cancelled: the state decides, not the lines
    by_sku = {sku_of(l): l for l in rec["data"]["lines"]}
    wanted = {sku_of(l): open_qty(l) for l in rec["data"]["lines"] if open_qty(l) > 0}
    if lines:
        for i, req in enumerate(lines):
            line = by_sku.get(req["channelSkuCode"])
            if line is None:
                raise ValidationFailed(f"channelSkuCode {req['channelSkuCode']} is not a line of order {order_id}",
                                       field=f"lines[{i}].channelSkuCode")
            if req["quantity"] > open_qty(line):
                raise ValidationFailed(f"quantity {req['quantity']} is above the open quantity {open_qty(line)}",
                                       field=f"lines[{i}].quantity")
        asked = {r["channelSkuCode"]: r["quantity"] for r in lines}
        complete = all(asked.get(sku) == q for sku, q in wanted.items())
        if not complete and not machine.allows(rec["status"], "seller_cancel_lines"):
            raise IllegalTransition(
                f"order {order_id} is {VMS_PUBLIC_STATUS[rec['status']]}: only a complete cancellation is possible "
                f"now ({machine.name}); send {{}} to cancel the whole order", field="lines",
                rule=machine.rules["seller_cancel_lines"])
        wanted = {r["channelSkuCode"]: r["quantity"] for r in lines}
    else:
        complete = True
    event = "seller_cancel" if complete else "seller_cancel_lines"
    machine.next(rec["status"], event)
    after_einvoice = v["b2b_invoice"] is not None
    for sku, qty in wanted.items():
        line = by_sku[sku]
        line["seller_cancelled_qty"] += qty
        if line.get("invoiced_quantity"):
            line["invoiced_quantity"] = min(line["invoiced_quantity"], open_qty(line))
        _restock(ctx, rec, line, qty)
    cancelled = [{"channelSkuCode": s, "quantity": q} for s, q in wanted.items()]
    v["cancel"] = {"complete": complete, "at": ctx.now, "cancelled": cancelled}
    move(ctx, machine, rec, event, "seller cancelled " + ("the order" if complete else
                                                           ", ".join(f"{s} x{q}" for s, q in wanted.items())))
    pob = get_pob(ctx.conn, pob_id)
    if complete and after_einvoice and settings(pob)["einvoice_model"] == "erp":
        # Seed 002/004: only a complete cancellation is posted (OUTWARD_ORDER_CANCEL), never a partial one.
        erp.enqueue(ctx, pob, "OUTWARD_ORDER_CANCEL", order_id, erp.order_cancel_payload(ctx, pob, rec, cancelled))
    save(ctx, "order", rec)
    return _cancel_answer(rec)


def _manifest_answer(ctx, manifest_id, document_id, failed) -> dict:
    return {"manifest_id": manifest_id, "manifestUrl": ctx.doc_url(document_id) if document_id else None,
            "failed": failed}


def create_manifest(ctx, pob_id: str, order_ids: list[str]) -> dict:
    """Create Manifest at handover (seed 002), <= 250 packed orders; each order succeeds or fails alone."""
    ok, failed, seen, replay_of = [], [], set(), set()
    for order_id in order_ids:
        if order_id in seen:
            failed.append({"orderId": order_id, "error_message": "orderId repeated in this manifest"})
            continue
        seen.add(order_id)
        try:
            rec = vms_order(ctx, order_id, pob_id)
        except NotFound:
            failed.append({"orderId": order_id, "error_message": f"order {order_id} not found"})
            continue
        if rec["data"]["manifest_id"]:
            replay_of.add(rec["data"]["manifest_id"])
        elif not order_machine(rec).allows(rec["status"], "dispatch"):
            failed.append({"orderId": order_id, "error_message": (
                f"order {order_id} is {VMS_PUBLIC_STATUS[rec['status']]}: only packed orders (B2C invoice and label "
                f"fetched) go on a manifest (seed 002)")})
        else:
            ok.append(rec)
    if replay_of:
        if len(replay_of) != 1 or ok:
            raise ConflictingRepeat("some orders of this request are already on a manifest and others are not: send "
                                    "the manifested orders alone to get their manifest again", field="orderIds")
        manifest_id = replay_of.pop()
        row = ctx.conn.execute(select(manifests).where(manifests.c.manifest_id == manifest_id)).mappings().first()
        return _manifest_answer(ctx, manifest_id, row["data"]["document_id"], failed)
    if not ok:
        raise ValidationFailed("no order could be manifested: see failed", field="orderIds",
                               extra=_manifest_answer(ctx, None, None, failed))
    pob = get_pob(ctx.conn, pob_id)
    manifest_id = ctx.ids.manifest_id(ctx.seq("manifest"))
    shipments = []
    for rec in ok:
        s = rec["data"]["shipment"]
        shipments.append({"order_id": rec["order_id"], "tracking_number": s["tracking_number"], "carrier": s["carrier"],
                          "invoice_number": rec["data"]["invoice"]["invoice_number"], "weight_grams": s["weight_grams"],
                          "quantity": sum(open_qty(l) for l in rec["data"]["lines"])})
        rec["data"]["manifest_id"] = manifest_id
        move(ctx, order_machine(rec), rec, "dispatch", f"added to manifest {manifest_id}")
        if settings(pob)["einvoice_model"] == "erp":
            erp.enqueue(ctx, pob, "OUTWARD_ORDER_COMPLETE", rec["order_id"], erp.order_complete_payload(ctx, pob, rec))
        save(ctx, "order", rec)
        courier.schedule_pickup(ctx, rec["order_id"])
    document_id = documents.create(ctx, pob_id, "manifest", manifest_id,
                                   {**documents.manifest_payload(ctx, pob, manifest_id, shipments), **CHANNEL})
    ctx.conn.execute(insert(manifests).values(manifest_id=manifest_id, pob_id=pob_id, created_at=ctx.now,
                                              data={"document_id": document_id, "shipments": shipments}))
    return _manifest_answer(ctx, manifest_id, document_id, failed)





def post_b2b_invoice_by_po(ctx, pob_id: str, payload: dict) -> dict:
    """/ajio-vms/b2bInvoice/posting: the ERP's invoice names the order by its PO (model 1 only)."""
    pob = get_pob(ctx.conn, pob_id)
    if settings(pob)["einvoice_model"] != "erp":
        raise IllegalTransition(f"POB {pob_id} e-invoices through RMS (model 2): its B2B invoices are not posted by "
                                f"an ERP", field="forwardPurchaseOrder",
                                rule="VMS-MODEL2-RMS-INVOICES")
    return post_b2b_invoice(ctx, pob_id, order_for_po(ctx, pob_id, payload["forwardPurchaseOrder"]), payload,
                            "/ajio-vms")
