"""VMS forward flow (seed 002): acknowledge, B2B PO after a lag (or missing), B2B e-invoice, packing
documents, seller cancellation per e-invoice model, manifest; every move through the order's table."""
from __future__ import annotations

from sqlalchemy import insert, select, update

from simulator.domain import documents
from simulator.domain.catalog import adjust_stock
from simulator.domain.context import move, save
from simulator.domain.machines import order_machine
from simulator.domain.orders import open_qty
from simulator.domain.paging import paged
from simulator.domain.sellers import get_pob
from simulator.domain.vms import erp
from simulator.domain.vms.common import CHANNEL, fingerprint, plain, settings, sku_of, vms_order
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS
from simulator.errors import ConflictingRepeat, IllegalTransition, NotFound, NotYet, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import manifests, orders, pobs

MAX_MANIFEST = 250
# VMS has no label call with dimensions: the packing documents print a standard small parcel.
PARCEL = {"weight_grams": 500, "length_cm": 30.0, "breadth_cm": 25.0, "height_cm": 5.0}
_PO_RULE = "seed 002: the B2B PO is fetched after the acknowledgement and may be missing for a while"


class PoNotYet(NotYet):
    """API.md: GET /vms/orders/{id}/po answers a 404-like "not yet" until AJIO has the PO."""

    status = 404


def vms_order_data(pob: dict, data: dict) -> None:
    """What a VMS order carries beside the Dropship order fields (called when a customer orders)."""
    eans = [sku_of(l) for l in data["lines"]]
    if len(set(eans)) != len(eans):
        raise ValidationFailed("a VMS order names each SKU once (channelSkuCode identifies the line)", field="lines")
    model = settings(pob)["einvoice_model"]
    data["machine"] = f"vms_{model}_order"
    data["vms"] = {"einvoice_model": model, "acknowledged_at": None, "po_withheld": False, "po_missing": False,
                   "b2b_invoice": None, "cancel": None, "rto_request": None}


def _line_view(line: dict) -> dict:
    d = line["item_details"]
    return {"order_item_id": line["order_item_id"], "channelSkuCode": sku_of(line), "sku": line["sku"],
            "name": d["name"], "brand_name": d["brand_name"], "size": d["size"], "color": d["color"],
            "hsn": line["hsn"], "quantity": open_qty(line), "ordered_quantity": line["ordered_quantity"],
            "customer_cancelled_qty": line["customer_cancelled_qty"],
            "seller_cancelled_qty": line["seller_cancelled_qty"] + line["seller_short_picked_qty"],
            "invoiced_quantity": line.get("invoiced_quantity"), "mrp": line["mrp"], "unit_price": line["unit_price"]}


def order_view(rec: dict) -> dict:
    d = rec["data"]
    inv = d["vms"]["b2b_invoice"]
    return {"order_id": rec["order_id"], "order_date": rec["order_date"], "status": VMS_PUBLIC_STATUS[rec["status"]],
            "payment_method": d["payment_method"], "total_amount": d["total_amount"],
            "po_available": d["po"] is not None, "forwardPurchaseOrder": (d["po"] or {}).get("po_number"),
            "invoiceNumber": inv["invoiceNumber"] if inv else None, "tracking_number": d["tracking_number"],
            "manifest_id": d["manifest_id"], "return_order_ids": list(d["return_order_ids"]),
            "order_lines": [_line_view(l) for l in d["lines"]]}


def list_orders(ctx, pob_id: str, *, from_date: int, to_date: int, page: int, size: int) -> dict:
    stmt = select(orders).where(orders.c.pob_id == pob_id, orders.c.order_date >= from_date,
                                orders.c.order_date <= to_date)
    rows, block = paged(ctx.conn, stmt, [orders.c.order_date, orders.c.order_id], page, size)
    return {"orders": [order_view(dict(r)) for r in rows], "page": block}


# -- acknowledgement and the PO ------------------------------------------------------------------
def acknowledge_order(ctx, pob_id: str, order_id: str) -> dict:
    """The acknowledgement reaches AJIO; from now on AJIO stops customer cancellations (seed 002)."""
    rec = vms_order(ctx, order_id, pob_id)
    v = rec["data"]["vms"]
    if v["acknowledged_at"] is None:
        move(ctx, order_machine(rec), rec, "acknowledge", "seller acknowledged: AJIO stops customer cancellations")
        for line in rec["data"]["lines"]:
            line["acknowledged"], line["confirmed_quantity"] = True, open_qty(line)
        v["acknowledged_at"] = ctx.now
        rec["data"]["po_due_at"] = ctx.now + ctx.config.po_lag
        schedule(ctx, "vms_po_issue", order_id, rec["data"]["po_due_at"])
        save(ctx, "order", rec)
    # A repeat answers the first acknowledgement (same instant), whatever happened since.
    return {"order_id": order_id, "status": VMS_PUBLIC_STATUS[rec["status"]], "acknowledged_at": v["acknowledged_at"]}


def _po_withheld(ctx, rec: dict) -> bool:
    return rec["data"]["vms"]["po_withheld"] or settings(get_pob(ctx.conn, rec["pob_id"]))["po_missing"]


def _issue_po(ctx, rec: dict, cause: str) -> None:
    pob = get_pob(ctx.conn, rec["pob_id"])
    po_number = ctx.ids.po_number(ctx.seq("po"))
    lines = [l for l in rec["data"]["lines"] if open_qty(l) > 0]
    payload = {**documents.purchase_order_payload(ctx, pob, rec, po_number, lines), **CHANNEL}
    document_id = documents.create(ctx, rec["pob_id"], "purchase_order", rec["order_id"], payload)
    rec["data"]["po"] = {"po_number": po_number, "po_date": ctx.now, "document_id": document_id,
                         "po_amount": payload["totals"]["total"], "total_tax": payload["totals"]["tax"]}
    rec["data"]["vms"]["po_missing"] = False
    move(ctx, order_machine(rec), rec, "po_issued", f"{cause}: PO {po_number}")
    if settings(pob)["einvoice_model"] == "erp":
        erp.enqueue(ctx, pob, "OUTWARD_ORDER_CREATE", rec["order_id"], erp.order_create_payload(ctx, pob, rec))


@timer_handler("vms_po_issue")
def _po_timer(ctx, order_id: str) -> None:
    rec = vms_order(ctx, order_id)
    if rec["data"]["po"] is not None or rec["status"] != "ACKNOWLEDGED":
        return
    if _po_withheld(ctx, rec):
        rec["data"]["vms"]["po_missing"] = True  # due, but AJIO has none yet: released by the control plane
    else:
        _issue_po(ctx, rec, "AJIO issued the B2B PO")
    save(ctx, "order", rec)


def _po_state(rec: dict) -> dict:
    v = rec["data"]["vms"]
    return {"order_id": rec["order_id"], "po_available": rec["data"]["po"] is not None,
            "po_withheld": v["po_withheld"], "po_missing": v["po_missing"], "po_due_at": rec["data"]["po_due_at"]}


def set_po_missing(ctx, order_id: str, missing: bool) -> dict:
    """Control plane: AJIO's PO for this order is missing (or no longer)."""
    rec = vms_order(ctx, order_id)
    rec["data"]["vms"]["po_withheld"] = missing
    _release_if_due(ctx, rec)
    save(ctx, "order", rec)
    return _po_state(rec)


def _release_if_due(ctx, rec: dict) -> None:
    d = rec["data"]
    if (d["po"] is None and rec["status"] == "ACKNOWLEDGED" and d["po_due_at"] is not None
            and d["po_due_at"] <= ctx.now and not _po_withheld(ctx, rec)):
        _issue_po(ctx, rec, "AJIO issued the B2B PO (no longer missing)")


def issue_po_now(ctx, order_id: str) -> dict:
    """Control plane: AJIO issues the PO at once (lag skipped, a missing PO released)."""
    rec = vms_order(ctx, order_id)
    if rec["data"]["po"] is None:
        order_machine(rec).next(rec["status"], "po_issued")
        rec["data"]["vms"]["po_withheld"] = False
        _issue_po(ctx, rec, "AJIO issued the B2B PO (control plane)")
        save(ctx, "order", rec)
    return _po_state(rec)


def set_pob_po_missing(ctx, pob_id: str, missing: bool) -> dict:
    """Control plane: every PO of this POB that comes due is missing (or, released, issued now)."""
    pob = get_pob(ctx.conn, pob_id)
    if pob["model"] != "vms":
        raise ValidationFailed(f"POB {pob_id} is a {pob['model']} POB; the PO knob is a VMS one", field="pob_id")
    ctx.conn.execute(update(pobs).where(pobs.c.pob_id == pob_id)
                     .values(settings={**pob["settings"], "po_missing": missing}))
    released = []
    if not missing:
        ids = [r[0] for r in ctx.conn.execute(select(orders.c.order_id).where(
            orders.c.pob_id == pob_id, orders.c.status == "ACKNOWLEDGED"))]
        for order_id in ids:
            rec = vms_order(ctx, order_id)
            had = rec["data"]["po"] is not None
            _release_if_due(ctx, rec)
            if not had and rec["data"]["po"] is not None:
                save(ctx, "order", rec)
                released.append(order_id)
    return {"pob_id": pob_id, "po_missing": missing, "released": released}


def get_po(ctx, pob_id: str, order_id: str) -> dict:
    rec = vms_order(ctx, order_id, pob_id)
    d = rec["data"]
    if d["po"] is None:
        if d["vms"]["acknowledged_at"] is None:
            raise IllegalTransition(f"order {order_id} is {rec['status']}: the B2B PO follows the acknowledgement",
                                    field="order_id", rule=_PO_RULE)
        if rec["status"] == "CANCELLED":
            raise IllegalTransition(f"order {order_id} was cancelled before AJIO issued its PO", field="order_id",
                                    rule=_PO_RULE)
        withheld = _po_withheld(ctx, rec)
        due = None if withheld else d["po_due_at"]
        why = "is missing at AJIO for now" if withheld or d["po_due_at"] <= ctx.now else "is not issued yet"
        raise PoNotYet(f"the B2B PO of order {order_id} {why}; keep the order on hold and fetch again",
                       available_at=due, now=ctx.now, rule=_PO_RULE)
    return {"order_id": order_id, "forwardPurchaseOrder": d["po"]["po_number"], "po_date": d["po"]["po_date"],
            "po_pdf_url": ctx.doc_url(d["po"]["document_id"]),
            "lines": [{"order_item_id": l["order_item_id"], "channelSkuCode": sku_of(l), "hsn": l["hsn"],
                       "quantity": open_qty(l), "b2b_unit_price": round(l["b2b_base_price"] + l["b2b_tax"], 2)}
                      for l in d["lines"] if open_qty(l) > 0]}


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
    rows = ctx.conn.execute(select(orders.c.order_id, orders.c.data).where(
        orders.c.pob_id == pob_id, orders.c.model == "vms", orders.c.status != "CREATED")).all()
    for order_id, data in rows:
        if (data.get("po") or {}).get("po_number") == po_number:
            return vms_order(ctx, order_id, pob_id)
    raise NotFound(f"forwardPurchaseOrder {po_number} is no PO of this seller", field="forwardPurchaseOrder",
                   rule="seed 002: forwardPurchaseOrder is the B2B PO number the invoice is for")


def _invoiced_quantities(rec: dict, payload: dict) -> dict[str, int]:
    open_lines = {sku_of(l): l for l in rec["data"]["lines"] if open_qty(l) > 0}
    entries = payload.get("invoiceLineEntries")
    if entries is None:
        if payload["isPartialInvoice"]:
            raise ValidationFailed("a partial invoice (isPartialInvoice true) must list its invoiceLineEntries",
                                   field="invoiceLineEntries", rule="seed 002: invoiceLineEntries and isPartialInvoice")
        return {sku: open_qty(l) for sku, l in open_lines.items()}
    invoiced = {}
    for i, entry in enumerate(entries):
        sku, qty = entry["channelSkuCode"], entry["quantity"]
        if sku not in open_lines:
            raise ValidationFailed(f"channelSkuCode {sku} is no open line of the PO of order {rec['order_id']}",
                                   field=f"invoiceLineEntries[{i}].channelSkuCode",
                                   rule="seed 002: channelSkuCode is the SKU code sent in the order posting")
        if qty > open_qty(open_lines[sku]):
            raise ValidationFailed(f"quantity {qty} is above the ordered (open) quantity {open_qty(open_lines[sku])} "
                                   f"of {sku}", field=f"invoiceLineEntries[{i}].quantity",
                                   rule="seed 002: the ERP invoices the final quantity of the B2B PO, never more")
        invoiced[sku] = qty
    whole = all(invoiced.get(sku, 0) == open_qty(l) for sku, l in open_lines.items())
    if whole == payload["isPartialInvoice"]:
        raise ValidationFailed(f"isPartialInvoice is {str(payload['isPartialInvoice']).lower()} but the lines invoice "
                               f"{'all' if whole else 'part'} of the open quantities", field="isPartialInvoice",
                               rule="seed 002: isPartialInvoice is true when the ERP invoiced part of the order")
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
                     available_at=None if _po_withheld(ctx, rec) else rec["data"]["po_due_at"], now=ctx.now,
                     rule=_PO_RULE)
    if payload["forwardPurchaseOrder"] != rec["data"]["po"]["po_number"]:
        raise ValidationFailed(f"forwardPurchaseOrder {payload['forwardPurchaseOrder']} is not the PO of order "
                               f"{rec['order_id']}", field="forwardPurchaseOrder",
                               rule="seed 002: forwardPurchaseOrder is the B2B PO number the invoice is for")
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
        complete = all(any(r["channelSkuCode"] == sku and r["quantity"] == q for r in lines) for sku, q in wanted.items())
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
        if ctx.config.pickup_after:
            schedule(ctx, "courier_pickup", rec["order_id"], ctx.now + ctx.config.pickup_after)
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
                                rule="seed 002 model 2: the B2B invoice is created by Increff's RMS, not the ERP")
    return post_b2b_invoice(ctx, pob_id, order_for_po(ctx, pob_id, payload["forwardPurchaseOrder"]), payload,
                            "/ajio-vms")
