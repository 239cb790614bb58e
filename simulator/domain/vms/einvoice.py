"""The VMS B2B e-invoice (seed 002): posted by the ERP (model 1) or RMS (model 2) for the final quantities,
quantities not invoiced cancelled; each number once per seller and financial year, each IRN once
(CGST rule 46, the e-invoice portal); an issued invoice never changes, it is cancelled and re-issued."""
from __future__ import annotations

from sqlalchemy import select, update

from simulator.domain import documents, numbers
from simulator.domain.context import move, save
from simulator.domain.machine import order_machine
from simulator.domain.orders import open_qty, restock
from simulator.domain.sellers import get_pob
from simulator.domain.vms import dates
from simulator.domain.vms.common import CHANNEL, fingerprint, plain, settings, sku_of, vms_order
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS
from simulator.domain.vms.orders import PO_RULE, po_withheld
from simulator.errors import ConflictingRepeat, IllegalTransition, NotFound, NotYet, ValidationFailed
from simulator.store import documents as documents_table
from simulator.store import orders

IMMUTABLE_RULE = "VMS-INVOICE-IMMUTABLE"


def invoice_answer(ctx, rec: dict) -> dict:
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
    posted = rec["data"]["vms"].get("erp_create")
    told = (f"; OUTWARD_ORDER_CREATE messageId {posted['message_id']} gave the ERP the final quantities"
            if posted else "")
    invoiced = {}
    for i, entry in enumerate(entries):
        sku, qty = entry["channelSkuCode"], entry["quantity"]
        if sku not in open_lines:
            raise ValidationFailed(f"channelSkuCode {sku} is no open line of the PO of order {rec['order_id']}{told}",
                                   field=f"invoiceLineEntries[{i}].channelSkuCode",
                                   rule="VMS-INVOICE-FINAL-QUANTITY")
        if qty > open_qty(open_lines[sku]):
            raise ValidationFailed(f"quantity {qty} is above the ordered (open) quantity {open_qty(open_lines[sku])} "
                                   f"of {sku}{told}", field=f"invoiceLineEntries[{i}].quantity",
                                   rule="VMS-INVOICE-FINAL-QUANTITY")
        invoiced[sku] = qty
    whole = all(invoiced.get(sku, 0) == open_qty(l) for sku, l in open_lines.items())
    if whole == payload["isPartialInvoice"]:
        raise ValidationFailed(f"isPartialInvoice is {str(payload['isPartialInvoice']).lower()} but the lines invoice "
                               f"{'all' if whole else 'part'} of the open quantities", field="isPartialInvoice",
                               rule="VMS-INVOICE-PARTIAL-FLAG")
    return invoiced


def _refuse_repeat(rec: dict, fp: str) -> None:
    """The same invoice again answers it; anything else for an invoiced order, or a cancelled invoice
    posted again, is refused."""
    v = rec["data"]["vms"]
    for old in v.get("b2b_invoice_history") or []:
        if old["fingerprint"] == fp:
            raise ConflictingRepeat(f"B2B invoice {old['invoiceNumber']} of order {rec['order_id']} was cancelled "
                                    f"({old['cancelled']['reason']}): post a new invoice, with a new number and IRN, "
                                    f"for the quantities left", field="invoiceNumber", rule=IMMUTABLE_RULE)
    raise ConflictingRepeat(f"order {rec['order_id']} already has B2B invoice {v['b2b_invoice']['invoiceNumber']}; "
                            f"a repeat must carry the same payload", field="invoiceNumber")


def post_b2b_invoice(ctx, pob_id: str, rec: dict, payload: dict, source: str) -> dict:
    """Seed 002: the B2B e-invoice (QR, IRN) for the invoiced quantities; the others are cancelled."""
    v = rec["data"]["vms"]
    fp = fingerprint(payload)
    if v["b2b_invoice"] is not None:
        if v["b2b_invoice"]["fingerprint"] == fp:
            return invoice_answer(ctx, rec)
        _refuse_repeat(rec, fp)
    if any(old["fingerprint"] == fp for old in v.get("b2b_invoice_history") or []):
        _refuse_repeat(rec, fp)
    machine = order_machine(rec)
    machine.next(rec["status"], "b2b_invoice")
    if rec["data"]["po"] is None:
        raise NotYet(f"order {rec['order_id']} has no B2B PO yet: the invoice is made for the PO",
                     available_at=None if po_withheld(ctx, rec) else rec["data"]["po_due_at"], now=ctx.now,
                     rule=PO_RULE)
    if payload["forwardPurchaseOrder"] != rec["data"]["po"]["po_number"]:
        raise ValidationFailed(f"forwardPurchaseOrder {payload['forwardPurchaseOrder']} is not the PO of order "
                               f"{rec['order_id']}", field="forwardPurchaseOrder", rule="VMS-INVOICE-FOR-PO")
    invoiced = _invoiced_quantities(rec, payload)
    pob = get_pob(ctx.conn, pob_id)
    number, when = payload["invoiceNumber"], int(payload["invoiceDate"].timestamp())
    dates.check(ctx, "invoiceDate", when, rec["data"]["po"]["po_date"], f"the B2B invoice of order {rec['order_id']}")
    numbers.check_format(number, "invoiceNumber")
    revision = len(v.get("b2b_invoice_history") or []) + 1
    numbers.claim(ctx, "invoice", numbers.seller_scope(pob["seller_id"], when), number,
                  {"key": f"order:{rec['order_id']}:{revision}", "order_id": rec["order_id"], "pob_id": pob_id,
                   "text": f"the B2B invoice of order {rec['order_id']} (POB {pob_id})"}, field="invoiceNumber")
    cancelled = []
    for line in rec["data"]["lines"]:
        left = open_qty(line) - invoiced.get(sku_of(line), 0)
        if left > 0:
            line["seller_cancelled_qty"] += left
            restock(ctx, rec, line, left)
            cancelled.append({"channelSkuCode": sku_of(line), "quantity": left})
        line["invoiced_quantity"] = invoiced.get(sku_of(line), 0)
    doc = {**documents.b2b_invoice_payload(ctx, pob, rec, number), **CHANNEL}
    doc["invoice_date"] = when
    doc["einvoice"] = {"irn": payload["irnNumber"], "qr_payload": payload["qrCode"], "ack_number": None,
                       "ack_date": when}
    document_id = documents.create(ctx, pob_id, "b2b_invoice", rec["order_id"], doc)  # claims the IRN
    stored = {k: val for k, val in plain(payload).items() if k != "invoicePdf"}
    v["b2b_invoice"] = {**stored, "fingerprint": fp, "source": source, "posted_at": ctx.now, "document_id": document_id,
                        "invoiced": [{"channelSkuCode": s, "quantity": q} for s, q in invoiced.items()],
                        "cancelled": cancelled}
    rec["data"]["invoice"] = {"invoice_number": number, "invoice_date": when, "document_id": document_id,
                              "irn": payload["irnNumber"]}
    rest = ", ".join(f"{c['channelSkuCode']} x{c['quantity']}" for c in cancelled)
    cause = f"B2B e-invoice {number} posted via {source}" + (f"; not invoiced, cancelled: {rest}" if rest else "")
    move(ctx, machine, rec, "b2b_invoice", cause)
    save(ctx, "order", rec)
    return invoice_answer(ctx, rec)


def post_b2b_invoice_by_po(ctx, pob_id: str, payload: dict) -> dict:
    """/ajio-vms/b2bInvoice/posting: the ERP's invoice names the order by its PO (model 1 only)."""
    pob = get_pob(ctx.conn, pob_id)
    if settings(pob)["einvoice_model"] != "erp":
        raise IllegalTransition(f"POB {pob_id} e-invoices through RMS (model 2): its B2B invoices are not posted by "
                                f"an ERP", field="forwardPurchaseOrder", rule="VMS-MODEL2-RMS-INVOICES")
    return post_b2b_invoice(ctx, pob_id, order_for_po(ctx, pob_id, payload["forwardPurchaseOrder"]), payload,
                            "/ajio-vms")


def cancel_invoice(ctx, rec: dict, reason: str, *, reissue: bool) -> str | None:
    """The order's B2B invoice is cancelled, never edited: its number and IRN stay used and its document
    is marked cancelled. `reissue`: the order goes on and waits for a new invoice (model 2)."""
    v = rec["data"]["vms"]
    inv = v["b2b_invoice"]
    if inv is None or inv.get("cancelled_at"):
        return None
    stamp = {"at": ctx.now, "reason": reason}
    row = ctx.conn.execute(select(documents_table.c.payload).where(
        documents_table.c.document_id == inv["document_id"])).first()
    if row is not None:
        ctx.conn.execute(update(documents_table).where(documents_table.c.document_id == inv["document_id"])
                         .values(payload={**row[0], "cancelled": stamp}))
    if not reissue:
        inv["cancelled_at"] = ctx.now
        return inv["invoiceNumber"]
    v["b2b_invoice_history"] = [*(v.get("b2b_invoice_history") or []), {**inv, "cancelled": stamp}]
    v["b2b_invoice"] = None
    rec["data"]["invoice"] = None
    for line in rec["data"]["lines"]:
        line["invoiced_quantity"] = None
    return inv["invoiceNumber"]
