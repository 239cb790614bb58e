"""VMS fulfilment (seed 002): packing documents, seller cancellation per e-invoice model, and the manifest
at handover. The B2B e-invoice is domain/vms/einvoice.py."""
from __future__ import annotations

from sqlalchemy import insert, select

from simulator.domain import courier, documents
from simulator.domain import orders as b2c
from simulator.domain.context import move, record_transition, save
from simulator.domain.machine import order_machine
from simulator.domain.orders import open_qty, restock
from simulator.domain.sellers import get_pob
from simulator.domain.vms import einvoice, erp
from simulator.domain.vms.common import CHANNEL, settings, sku_of, vms_order
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS
from simulator.errors import ConflictingRepeat, IllegalTransition, NotFound, ValidationFailed
from simulator.store import manifests

MAX_MANIFEST = 250
# VMS has no label call with dimensions: the packing documents print a standard small parcel.
PARCEL = {"weight_grams": 500, "length_cm": 30.0, "breadth_cm": 25.0, "height_cm": 5.0}


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
    shipment = {"tracking_number": tracking, "carrier": carrier, "b2c_invoice_number": b2c_number,
                "b2c_invoice_date": ctx.now, **PARCEL}
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
    c = rec["data"]["vms"]["cancel"]
    out = {"order_id": rec["order_id"], "status": VMS_PUBLIC_STATUS[rec["status"]],
           "cancelled": c["cancelled"] if c else []}
    if c and c.get("invoice_cancelled"):
        out["invoice_cancelled"] = c["invoice_cancelled"]
    return out


def cancel_order(ctx, pob_id: str, order_id: str, lines: list[dict] | None) -> dict:
    """Seller cancellation: {} = complete; lines = partial (model 1: never after the e-invoice; model 2: the
    invoice is cancelled and RMS invoices what is left)."""
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
    for sku, qty in wanted.items():
        by_sku[sku]["seller_cancelled_qty"] += qty
        restock(ctx, rec, by_sku[sku], qty)
    cancelled = [{"channelSkuCode": s, "quantity": q} for s, q in wanted.items()]
    what = "the order" if complete else ", ".join(f"{s} x{q}" for s, q in wanted.items())
    v["cancel"] = {"complete": complete, "at": ctx.now, "cancelled": cancelled,
                   "invoice_cancelled": einvoice.cancel_invoice(ctx, rec, f"seller cancelled {what}",
                                                                reissue=not complete)}
    cause = f"seller cancelled {what}"
    if v["cancel"]["invoice_cancelled"] and not complete:
        cause += f"; B2B invoice {v['cancel']['invoice_cancelled']} cancelled: RMS invoices what is left"
    move(ctx, machine, rec, event, cause)
    erp.quantities_changed(ctx, get_pob(ctx.conn, pob_id), rec)
    save(ctx, "order", rec)
    return _cancel_answer(rec)


def customer_cancel(ctx, order_id: str, lines: list[dict] | None) -> dict:
    """The customer cancels on AJIO (control plane): until the acknowledgement reaches AJIO (seed 002), or
    later for a seller whose world has late cancellations (seed 004). Model 1 tells the ERP (CANCEL, or a
    fresh CREATE before the e-invoice); model 2 cancels an RMS invoice that no longer matches."""
    rec = vms_order(ctx, order_id)

    def then(ctx, rec: dict) -> None:
        cancelled = rec["status"] == "CANCELLED"
        if rec["data"]["vms"]["b2b_invoice"] is not None and (cancelled or rec["status"] == "ACKNOWLEDGED"):
            number = einvoice.cancel_invoice(ctx, rec, "customer cancelled " + ("the order" if cancelled else
                                                                                 "part of the order"),
                                             reissue=not cancelled)
            if number and not cancelled:
                record_transition(ctx, "order", rec["order_id"], rec["status"], rec["status"],
                                  f"B2B invoice {number} cancelled: RMS invoices what is left")
        erp.quantities_changed(ctx, get_pob(ctx.conn, rec["pob_id"]), rec)

    return b2c.customer_cancel(ctx, rec, lines, then)


def _manifest_answer(ctx, manifest_id, document_id, failed) -> dict:
    return {"manifest_id": manifest_id, "manifestUrl": ctx.doc_url(document_id) if document_id else None,
            "failed": failed}


def create_manifest(ctx, pob_id: str, order_ids: list[str], refused: dict[str, str] | None = None) -> dict:
    """Create Manifest at handover (seed 002), <= 250 packed orders; each order succeeds or fails alone.
    `refused`: orders AJIO fails on this call whatever their state (a line_failure fault), with the reason."""
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
        elif refused and order_id in refused:
            failed.append({"orderId": order_id, "error_message": refused[order_id]})
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

