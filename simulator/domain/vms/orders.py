"""VMS orders (seed 002): placement data, the date-filtered list, acknowledgement (held by the simulated
VMS layer when ajio-sim plays it), and the B2B PO after a lag (or missing, by the control plane's knobs)."""
from __future__ import annotations

from sqlalchemy import select, update

from simulator.domain import documents
from simulator.domain.context import move, save
from simulator.domain.machine import order_machine
from simulator.domain.orders import open_qty
from simulator.domain.paging import paged
from simulator.domain.sellers import get_pob
from simulator.domain.vms import erp
from simulator.domain.vms.common import CHANNEL, settings, sku_of, vms_order
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS
from simulator.errors import IllegalTransition, NotYet, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import orders, pobs

PO_RULE = "VMS-PO-AFTER-ACK"
LAYER_RULE = "VMS-LAYER-SIMULATED"
# The timer by which the simulated VMS layer sends a held acknowledgement to AJIO (seed 002: 4 hours).
ACK_TIMER = "vms_ack_release"


# The timer that issues AJIO's B2B PO after the acknowledgement (the po_missing fault holds it back).
PO_TIMER = "vms_po_issue"


class PoNotYet(NotYet):
    """API.md: GET /vms/orders/{id}/po answers a 404-like "not yet" until AJIO has the PO."""

    status = 404


def vms_order_data(pob: dict, data: dict) -> None:
    """What a VMS order carries beside the Dropship order fields (called when a customer orders)."""
    eans = [sku_of(l) for l in data["lines"]]
    if len(set(eans)) != len(eans):
        raise ValidationFailed("a VMS order names each SKU once (channelSkuCode identifies the line)", field="lines")
    s = settings(pob)
    model = s["einvoice_model"]
    data["machine"] = f"vms_{model}_late_order" if s["late_customer_cancel"] else f"vms_{model}_order"
    data["vms"] = {"einvoice_model": model, "acknowledged_at": None, "po_withheld": False, "po_missing": False,
                   "b2b_invoice": None, "cancel": None, "rto_request": None,
                   # The VMS layer's hold (seed 002): who keeps it, how long, and when it ends for this order.
                   "layer": s["vms_layer"], "ack_hold": s["ack_hold"], "ack_hold_until": data["order_date"] + s["ack_hold"]}


def after_placement(ctx, pob_id: str, order_ids: list[str]) -> None:
    """The simulated VMS layer takes each new order from the WMS at once and holds its acknowledgement
    (seed 002: "for a definite time (4 hours)"); a connector-played layer does this itself."""
    s = settings(get_pob(ctx.conn, pob_id))
    if s["vms_layer"] != "simulated":
        return
    for order_id in order_ids:
        if s["ack_hold"]:
            schedule(ctx, ACK_TIMER, order_id, ctx.now + s["ack_hold"])
        else:
            _release_ack(ctx, vms_order(ctx, order_id), "the simulated VMS layer sent the acknowledgement (no hold)")


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
def _ack_answer(rec: dict) -> dict:
    return {"order_id": rec["order_id"], "status": VMS_PUBLIC_STATUS[rec["status"]],
            "acknowledged_at": rec["data"]["vms"]["acknowledged_at"]}


def _release_ack(ctx, rec: dict, cause: str) -> None:
    """The acknowledgement reaches AJIO: customer cancellations stop (seed 002), the PO comes due."""
    move(ctx, order_machine(rec), rec, "acknowledge", cause)
    for line in rec["data"]["lines"]:
        line["acknowledged"], line["confirmed_quantity"] = True, open_qty(line)
    rec["data"]["vms"]["acknowledged_at"] = ctx.now
    rec["data"]["po_due_at"] = ctx.now + ctx.config.po_lag
    schedule(ctx, PO_TIMER, rec["order_id"], rec["data"]["po_due_at"])
    save(ctx, "order", rec)


def acknowledge_order(ctx, pob_id: str, order_id: str) -> dict:
    """The acknowledgement reaches AJIO; from now on AJIO stops customer cancellations (seed 002). AJIO
    does not hold it: the hold is the VMS layer's (the connector's, or ajio-sim's when it plays the layer)."""
    rec = vms_order(ctx, order_id, pob_id)
    v = rec["data"]["vms"]
    if v["acknowledged_at"] is None:
        if v.get("layer") == "simulated":
            raise IllegalTransition(
                f"POB {pob_id}'s VMS layer is simulated: ajio-sim acknowledges order {order_id} itself when its "
                f"hold ends (at {v.get('ack_hold_until')}); end it now with POST /_sim/vms/orders/{order_id}/release-ack",
                field="order_id", rule=LAYER_RULE)
        _release_ack(ctx, rec, "seller acknowledged: AJIO stops customer cancellations")
    # A repeat answers the first acknowledgement (same instant), whatever happened since.
    return _ack_answer(rec)


@timer_handler(ACK_TIMER)
def _ack_timer(ctx, order_id: str) -> None:
    rec = vms_order(ctx, order_id)
    if rec["status"] == "CREATED":  # cancelled by the customer during the hold: nothing to send
        _release_ack(ctx, rec, f"the simulated VMS layer sent the acknowledgement after its "
                               f"{rec['data']['vms']['ack_hold'] // 60}-minute hold: AJIO stops customer cancellations")


def release_ack_now(ctx, order_id: str) -> dict:
    """Control plane: the simulated VMS layer ends this order's hold and sends the acknowledgement now."""
    rec = vms_order(ctx, order_id)
    v = rec["data"]["vms"]
    if v.get("layer") != "simulated":
        raise IllegalTransition(f"order {order_id}'s VMS layer is the connector under test: it holds and sends the "
                                f"acknowledgement itself (POST /vms/orders/{order_id}/acknowledge)", field="order_id",
                                rule=LAYER_RULE)
    if v["acknowledged_at"] is None:
        order_machine(rec).next(rec["status"], "acknowledge")
        _release_ack(ctx, rec, "the simulated VMS layer sent the acknowledgement (hold ended from the control plane)")
    return _ack_answer(rec)


def po_withheld(ctx, rec: dict) -> bool:
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
        erp.send_create(ctx, pob, rec)


@timer_handler(PO_TIMER)
def _po_timer(ctx, order_id: str) -> None:
    rec = vms_order(ctx, order_id)
    if rec["data"]["po"] is not None or rec["status"] != "ACKNOWLEDGED":
        return
    if po_withheld(ctx, rec):
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
            and d["po_due_at"] <= ctx.now and not po_withheld(ctx, rec)):
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
                                    field="order_id", rule=PO_RULE)
        if rec["status"] == "CANCELLED":
            raise IllegalTransition(f"order {order_id} was cancelled before AJIO issued its PO", field="order_id",
                                    rule=PO_RULE)
        withheld = po_withheld(ctx, rec)
        due = None if withheld else d["po_due_at"]
        why = "is missing at AJIO for now" if withheld or d["po_due_at"] <= ctx.now else "is not issued yet"
        raise PoNotYet(f"the B2B PO of order {order_id} {why}; keep the order on hold and fetch again",
                       available_at=due, now=ctx.now, rule=PO_RULE)
    return {"order_id": order_id, "forwardPurchaseOrder": d["po"]["po_number"], "po_date": d["po"]["po_date"],
            "po_pdf_url": ctx.doc_url(d["po"]["document_id"]),
            "lines": [{"order_item_id": l["order_item_id"], "channelSkuCode": sku_of(l), "hsn": l["hsn"],
                       "quantity": open_qty(l), "b2b_unit_price": round(l["b2b_base_price"] + l["b2b_tax"], 2)}
                      for l in d["lines"] if open_qty(l) > 0]}
