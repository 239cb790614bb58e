"""Dropship orders (seed 000): pendency, acknowledgement, the seller's and customer's cancellations,
the acknowledged orders list, and AJIO's PO after a lag."""
from __future__ import annotations

from sqlalchemy import bindparam, select

from simulator.domain import documents, sellers, timing, tracking
from simulator.domain import orders as b2c
from simulator.domain.context import load, move, save
from simulator.domain.ds import sla
from simulator.domain.ds.machines import DS_ORDER, DS_PUBLIC_STATUS
from simulator.domain.idempotency import conflicting
from simulator.domain.orders import open_qty
from simulator.domain.paging import checked_page, paged, paged_by_keys
from simulator.domain.sellers import get_pob
from simulator.errors import NotFound, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import orders, prebuilt

# The timer that issues AJIO's PO after the acknowledgement (the po_missing fault holds it back).
PO_TIMER = "po_issue"


# -- views -----------------------------------------------------------------------------------
def _line_view(line: dict, acknowledged_view: bool, intra_state: bool = False) -> dict:
    out = {"item_details": line["item_details"], "order_item_id": line["order_item_id"],
           "ordered_quantity": line["ordered_quantity"], "mrp": line["mrp"], "unit_price": line["unit_price"],
           "listing_price": line["listing_price"], "seller_discount": line["seller_discount"],
           "b2b_base_price": line["b2b_base_price"], "b2b_tax": line["b2b_tax"]}
    qty = open_qty(line)
    # Pendency shows what is left to acknowledge after a customer cancellation, so a connector can confirm it.
    out.update({"quantity": qty, "customer_cancelled_qty": line["customer_cancelled_qty"],
                "seller_cancelled_qty": line["seller_cancelled_qty"]})
    if acknowledged_view:
        tax = documents.line_tax(line, qty, b2b=True, intra_state=intra_state)
        out.update({
            "item_base_price": line["item_base_price"], "seller_short_picked_qty": line["seller_short_picked_qty"],
            "hsn": line["hsn"],
            "tax_summary": {"gst_rate": tax["rate"], "taxable_value": tax["taxable_value"], "tax_amount": tax["tax"]},
        })
    return out


def pendency_view(rec: dict) -> dict:
    d = rec["data"]
    return {"order_id": rec["order_id"], "order_date": rec["order_date"], "payment_method": d["payment_method"],
            "carrier": d["carrier"], "tracking_number": d["tracking_number"], "total_amount": d["total_amount"],
            "amount_due": b2c.amount_due(d["lines"]), "acknowledge_by": d.get("acknowledge_by"),
            "dispatch_by": d.get("dispatch_by"),
            "order_lines": [_line_view(l, False) for l in d["lines"] if not l["acknowledged"] and open_qty(l) > 0]}


def order_view(ctx, rec: dict, seller_state_code: str | None = None) -> dict:
    d = rec["data"]
    po = d["po"] or {}
    invoice = d["invoice"] or {}
    if seller_state_code is None:
        seller_state_code = sellers.seller_state_code(ctx.conn, rec["pob_id"])
    _, intra = documents.place_of_supply(rec, seller_state_code)
    # The PO's value follows its open quantities (a cancellation after the PO shrinks it), with the
    # same GST split as the lines' tax_summary and the B2B invoice, so all three agree to the paisa.
    totals = documents.money_lines(d["lines"], open_qty, b2b=True, intra_state=intra)[1] if po else {}
    out = {"order_id": rec["order_id"], "order_date": rec["order_date"], "status": DS_PUBLIC_STATUS[rec["status"]],
           "payment_method": d["payment_method"], "carrier": d["carrier"], "tracking_number": d["tracking_number"],
           "total_amount": d["total_amount"], "amount_due": b2c.amount_due(d["lines"]),
           "po_number": po.get("po_number"), "po_date": po.get("po_date"),
           "po_pdf_url": ctx.doc_url(po["document_id"]) if po else None,
           "po_amount": totals.get("total"), "total_tax": totals.get("tax"),
           "invoice_number": invoice.get("invoice_number"), "manifest_id": d["manifest_id"],
           "return_order_ids": list(d["return_order_ids"]),
           "acknowledge_by": d.get("acknowledge_by"), "dispatch_by": d.get("dispatch_by"),
           "sla_breached": bool(d.get("sla_breached")), "cancelled_by": d.get("cancelled_by"),
           "cancellation_reason": d.get("cancellation_reason"),
           **_shipment(ctx, d),
           "order_lines": [_line_view(l, True, intra) for l in d["lines"]]}
    return out


def _shipment(ctx, d: dict) -> dict:
    view = tracking.view(d, ctx.now)
    return {"shipment_status": view["shipment_status"], "delivery_attempts": view["delivery_attempts"]}


def tracking_view(ctx, pob_id: str, order_id: str) -> dict:
    """GET /ds/orders/{order_id}/tracking: the courier's milestones up to now (not grounded: docs/dropship.md)."""
    rec = load(ctx, "order", order_id, pob_id)
    if rec["model"] != "ds":
        raise NotFound(f"order {order_id} not found", field="order_id")
    d = rec["data"]
    return {"order_id": order_id, "status": DS_PUBLIC_STATUS[rec["status"]], "carrier": d["carrier"],
            "tracking_number": d["tracking_number"], **tracking.view(d, ctx.now)}


def place_orders(ctx, pob_id: str, *, count: int, seed: int | None, lines: list[dict] | None,
                 payment_method: str | None, carrier: str | None) -> list[str]:
    """Customers order: each order gets AJIO's acknowledgement and dispatch deadlines (SLAs) and their timers."""
    deadlines = sla.deadlines(timing.settings(ctx), ctx.now)
    placed: list[tuple[str, dict]] = []

    def decorate(pob: dict, data: dict) -> None:
        data.update(deadlines)
        placed.append((data["order_id"], deadlines))

    ids = b2c.place_orders(ctx, pob_id, count=count, seed=seed, lines=lines, payment_method=payment_method,
                           carrier=carrier, decorate=decorate)
    sla.schedule_deadlines(ctx, placed)
    return ids


# The page connectors poll most: built once, on the (pob_id, status, order_date, order_id) index.
_PENDENCY = prebuilt(select(orders).where(orders.c.pob_id == bindparam("pob"), orders.c.status == "CREATED")
                     .order_by(orders.c.order_date, orders.c.order_id).limit(bindparam("lim")).offset(bindparam("off")))


def get_pendency(ctx, pob_id: str, page: int, size: int) -> dict:
    # A POB is enabled for one model, so its orders are all Dropship: filtering on pob_id and status
    # keeps the query on the (pob_id, status, order_date) index.
    block = checked_page(page, size, ctx.store.count_status(ctx.conn, pob_id, "CREATED"))  # O(1) at any size
    rows = ctx.conn.execute(_PENDENCY, {"pob": pob_id, "lim": size, "off": page * size}).mappings().all()
    return {"orders": [pendency_view(dict(r)) for r in rows], "page": block}


_INTERNAL_FOR_PUBLIC = {}
for _internal, _public in DS_PUBLIC_STATUS.items():
    _INTERNAL_FOR_PUBLIC.setdefault(_public, []).append(_internal)


def list_orders(ctx, pob_id: str, *, order_ids: list[str] | None, status: str | None, page: int, size: int) -> dict:
    if order_ids:
        missing, rows, block = paged_by_keys(ctx.conn, orders, order_ids, pob_id=pob_id, page=page, size=size,
                                             statuses=_INTERNAL_FOR_PUBLIC[status] if status else None)
        if missing:
            raise NotFound(f"unknown order id(s) for this POB: {', '.join(missing)}", field="orderIds")
    else:
        # Without ids: the orders a connector holds, i.e. past acknowledgement (pendency lists the rest).
        stmt = select(orders).where(orders.c.pob_id == pob_id, orders.c.status != "CREATED")
        if status:
            stmt = stmt.where(orders.c.status.in_(_INTERNAL_FOR_PUBLIC[status]))
        # The trigger-kept counts answer totalElements without counting rows.
        total = ctx.store.count_orders(ctx.conn, pob_id, statuses=_INTERNAL_FOR_PUBLIC[status] if status else None,
                                       exclude=["CREATED"])
        rows, block = paged(ctx.conn, stmt, [orders.c.order_date, orders.c.order_id], page, size, total)
    state = sellers.seller_state_code(ctx.conn, pob_id)  # one POB, one seller: looked up once a page
    return {"orders": [order_view(ctx, dict(r), state) for r in rows], "page": block}


# -- acknowledgement and cancellations -----------------------------------------------------------
def _confirm(ctx, rec: dict, cause: str) -> None:
    """Every open line is acknowledged: the order is CONFIRMED and AJIO's PO follows after its lag."""
    move(ctx, DS_ORDER, rec, "acknowledge", cause)
    rec["data"]["po_due_at"] = ctx.now + timing.of(ctx).po_lag(rec["order_id"])
    schedule(ctx, PO_TIMER, rec["order_id"], rec["data"]["po_due_at"])


def _confirm_when_nothing_pending(ctx, rec: dict) -> None:
    """The cancelled line was the last one waiting: nothing is pending any more (no empty pendency order)."""
    lines = rec["data"]["lines"]
    if rec["status"] == "CREATED" and all(l["acknowledged"] or open_qty(l) == 0 for l in lines):
        _confirm(ctx, rec, "every line still open is acknowledged")


def acknowledge(ctx, rec: dict, requested: list[dict]) -> dict:
    lines = rec["data"]["lines"]
    if rec["status"] != "CREATED":
        replay = _ack_replay(rec, requested)
        if replay is not None:
            return replay
        DS_ORDER.next(rec["status"], "acknowledge")  # raises the rule
    if not requested:
        requested = [{"order_item_id": l["order_item_id"], "confirmed_quantity": open_qty(l), "cancelled_quantity": 0}
                     for l in lines if not l["acknowledged"]]
    valid, failed = b2c.check_lines(rec, requested)
    applied, changed, conflict = [], False, None
    for line, req in valid:
        confirmed, cancelled = req["confirmed_quantity"], req["cancelled_quantity"]
        if line["acknowledged"]:
            clash = _ack_clash(rec, line, req, requested.index(req))
            if clash is None:
                applied.append(line["order_item_id"])  # the same acknowledgement again: nothing changes
            else:
                conflict = conflict or clash
                failed.append({"order_item_id": line["order_item_id"], "error_message": clash.message})
            continue
        if confirmed + cancelled != open_qty(line):
            failed.append({"order_item_id": line["order_item_id"],
                           "error_message": f"confirmed_quantity + cancelled_quantity must equal the open quantity "
                                            f"{open_qty(line)} (got {confirmed} + {cancelled})"})
            continue
        line["acknowledged"] = True
        line["confirmed_quantity"] = confirmed
        line["ack_cancelled_quantity"] = cancelled  # what the acknowledgement said, for its repeats
        line["seller_cancelled_qty"] += cancelled
        b2c.restock(ctx, rec, line, cancelled)
        applied.append(line["order_item_id"])
        changed = True
    if not applied:
        if conflict is not None:  # nothing new, only repeats that differ from the first acknowledgement
            conflict.extra = {"success": [], "failed_items": failed}
            raise conflict
        raise ValidationFailed(f"no line of order {rec['order_id']} could be acknowledged", field="order_lines",
                               extra={"success": [], "failed_items": failed})
    if not changed:
        return {"success": applied, "failed_items": failed}  # a retry of lines already acknowledged: no new step
    if all(l["acknowledged"] or open_qty(l) == 0 for l in lines):
        if sum(open_qty(l) for l in lines) == 0:
            move(ctx, DS_ORDER, rec, "seller_cancel", "seller acknowledged with every quantity cancelled")
            _cancelled_by(rec, "seller")
        else:
            _confirm(ctx, rec, "seller acknowledged the order")
    else:
        move(ctx, DS_ORDER, rec, "acknowledge_lines", f"seller acknowledged lines {', '.join(applied)}")
    save(ctx, "order", rec)
    return {"success": applied, "failed_items": failed}


def _ack_clash(rec: dict, line: dict, req: dict, index: int):
    """None when `req` repeats the line's acknowledgement, else the ConflictingRepeat naming the field."""
    what = f"acknowledgement of line {line['order_item_id']} of order {rec['order_id']}"
    if line["confirmed_quantity"] != req["confirmed_quantity"]:
        return conflicting(what, f"order_lines[{index}].confirmed_quantity", line["confirmed_quantity"],
                           req["confirmed_quantity"])
    first_cancelled = line.get("ack_cancelled_quantity", req["cancelled_quantity"])
    if first_cancelled != req["cancelled_quantity"]:
        return conflicting(what, f"order_lines[{index}].cancelled_quantity", first_cancelled, req["cancelled_quantity"])
    return None


def _ack_replay(rec: dict, requested: list[dict]) -> dict | None:
    """A repeated acknowledgement of an acknowledged order answers the first result; one that
    differs from it is a ConflictingRepeat; None when it is no repeat (the state machine decides)."""
    if rec["status"] == "CANCELLED":
        return None
    by_id = {l["order_item_id"]: l for l in rec["data"]["lines"]}
    if not requested:
        return {"success": [l["order_item_id"] for l in by_id.values() if l["acknowledged"]], "failed_items": []}
    for index, req in enumerate(requested):
        line = by_id.get(req["order_item_id"])
        if line is None or not line["acknowledged"]:
            return None
        clash = _ack_clash(rec, line, req, index)
        if clash is not None:
            raise clash
    return {"success": [r["order_item_id"] for r in requested], "failed_items": []}


def cancel(ctx, rec: dict, requested: list[dict], who: str) -> dict:
    """Seller (POST /ds/orders Cancel) or customer (control plane) cancellation, whole or per line."""
    first = rec["data"].get("seller_cancel") if who == "seller" else None
    if first is not None and rec["status"] == "CANCELLED":
        if _cancel_key(requested) == first["request"]:
            return first["answer"]  # the seller's cancellation retried: its first answer
        raise conflicting(f"seller cancellation of order {rec['order_id']}", "order_lines", first["request"],
                          _cancel_key(requested))
    original = _cancel_key(requested)
    answer = b2c.cancel(ctx, rec, requested, who, _confirm_when_nothing_pending)
    _cancelled_by(rec, who)
    if who == "seller" and rec["status"] == "CANCELLED":
        # Only a cancellation that ends the order can be told from a new one when repeated: a partial
        # cancellation's quantities are deltas, so its repeat cancels more (README: idempotency).
        rec["data"]["seller_cancel"] = {"request": original, "answer": answer}
    save(ctx, "order", rec)
    return answer


def _cancel_key(requested: list[dict]) -> list[list]:
    return sorted([r["order_item_id"], r["cancelled_quantity"]] for r in requested)


def acknowledge_order(ctx, pob_id: str, body: dict) -> dict:
    """POST /ds/orders: "Acknowledge", or "Cancel" as the seller's cancellation (API.md, seed 000)."""
    rec = load(ctx, "order", body["order_id"], pob_id)
    if rec["model"] != "ds":
        raise NotFound(f"order {body['order_id']} not found", field="order_id")
    if body["status"] == "Acknowledge":
        return acknowledge(ctx, rec, body["order_lines"])
    return cancel(ctx, rec, body["order_lines"], "seller")


def customer_cancel(ctx, order_id: str, lines: list[dict] | None) -> dict:
    rec = load(ctx, "order", order_id)
    return b2c.customer_cancel(ctx, rec, lines, lambda c, r: (_confirm_when_nothing_pending(c, r),
                                                             _cancelled_by(r, "customer")))


def _cancelled_by(rec: dict, who: str) -> None:
    """Who ended the order, shown beside CANCELLED (the customer, the seller, or AJIO for an SLA)."""
    if rec["status"] == "CANCELLED" and not rec["data"].get("cancelled_by"):
        rec["data"]["cancelled_by"] = who.upper()


@timer_handler(PO_TIMER)
def issue_po(ctx, order_id: str) -> None:
    rec = load(ctx, "order", order_id)
    if rec["data"]["po"] is not None:
        return
    pob = get_pob(ctx.conn, rec["pob_id"])
    po_number = ctx.ids.po_number(ctx.seq("po"))
    lines = [l for l in rec["data"]["lines"] if open_qty(l) > 0]
    payload = documents.purchase_order_payload(ctx, pob, rec, po_number, lines)
    document_id = documents.create(ctx, rec["pob_id"], "purchase_order", order_id, payload)
    rec["data"]["po"] = {"po_number": po_number, "po_date": ctx.now, "document_id": document_id,
                         "po_amount": payload["totals"]["total"], "total_tax": payload["totals"]["tax"]}
    move(ctx, DS_ORDER, rec, "po_issued", f"AJIO issued PO {po_number}")
    save(ctx, "order", rec)
