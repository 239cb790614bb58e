"""Return orders shared by every B2C model (Dropship, VMS): the record, its state machine, the world
events that create and move it (RTO, customer return, pickup, arrival, withdrawal) and its views."""
from __future__ import annotations

from types import MappingProxyType
from typing import Callable

from sqlalchemy import insert, select

from simulator.domain import documents, timing, tracking
from simulator.domain.context import load, move, record_transition, save, timeline
from simulator.domain.machine import Machine, order_machine, register
from simulator.domain.orders import open_qty
from simulator.domain.paging import paged
from simulator.errors import Conflict, NotFound, ValidationFailed
from simulator.lifecycle import schedule, timer_handler
from simulator.store import returns

# What a model does once one of its returns exists (VMS: AJIO's RSI follows, seed 002).
OnCreated = Callable[[object, dict, str], None] | None
# Each model's follow-up, registered by its package, so that returns the world raises by itself (the
# courier's RTO, a customer's own return) get it without the shared layer importing a model package.
FOLLOW_UP: dict[str, Callable[[object, dict, str], None]] = {}


def follow_up(model: str) -> OnCreated:
    return FOLLOW_UP.get(model)

# Return order: customer returns start at RETURN_INITIATED (pickup pending), RTOs at
# RETURN_CREATED (already coming back), seller-created RTOs at RETURN_DELIVERED (already back).
RETURN = Machine(
    name="Return order",
    entity="return",
    table=MappingProxyType({
        ("RETURN_INITIATED", "return_pickup"): "RETURN_CREATED",
        ("RETURN_INITIATED", "return_cancel"): "RETURN_CANCELLED",
        ("RETURN_CREATED", "return_arrive"): "RETURN_DELIVERED",
        ("RETURN_DELIVERED", "qc"): "RETURN_PROCESSED",
        ("RETURN_PROCESSED", "credit_note_issued"): "RETURN_PROCESSED",
    }),
    rules=MappingProxyType({
        "qc": "RETURN-QC-AFTER-ARRIVAL",
        "return_arrive": "RETURN-PICKUP-BEFORE-TRANSIT",
        "return_pickup": "RETURN-PICKUP-BEFORE-TRANSIT",
        "return_cancel": "RETURN-PICKUP-BEFORE-TRANSIT",
}),
)
register("return", RETURN)


def new_return(ctx, order: dict, return_type: str, status: str, items: list[dict], cause: str,
               tracking_number: str | None, reason: str | None, on_created: OnCreated = None) -> dict:
    """A return record against `order`; `on_created(ctx, order, return_order_id)` is the model's follow-up."""
    return_order_id = ctx.ids.return_order_id(ctx.seq("return"))
    by_item = {l["order_item_id"]: l for l in order["data"]["lines"]}
    rows = []
    for item in items:
        line = by_item[item["order_item_id"]]
        rows.append({"return_item_id": ctx.ids.return_item_id(ctx.seq("return_item")),
                     "order_item_id": line["order_item_id"], "sku": line["sku"],
                     "item_details": line["item_details"], "return_quantity": item["quantity"],
                     "cancelled_return_quantity": 0, "qc": None})
    data = {"return_order_id": return_order_id, "order_id": order["order_id"], "return_type": return_type,
            "return_date": ctx.now, "tracking_number": tracking_number, "reason": reason, "items": rows,
            "putaway_at": None, "credit_note_due_at": None, "credit_note": None}
    ctx.conn.execute(insert(returns).values(return_order_id=return_order_id, pob_id=order["pob_id"],
                                            order_id=order["order_id"], return_type=return_type, status=status,
                                            return_date=ctx.now, updated_at=ctx.now, version=1, data=data))
    record_transition(ctx, "return", return_order_id, None, status, cause)
    order["data"]["return_order_ids"].append(return_order_id)
    if on_created is not None:
        on_created(ctx, order, return_order_id)
    ctx.touched.append(return_order_id)
    return {"return_order_id": return_order_id, "pob_id": order["pob_id"], "order_id": order["order_id"],
            "return_type": return_type, "status": status, "return_date": ctx.now, "version": 1, "data": data}


def shipped_items(order: dict) -> list[dict]:
    return [{"order_item_id": l["order_item_id"], "quantity": open_qty(l)} for l in order["data"]["lines"]
            if open_qty(l) > 0]


def initiate_rto(ctx, order_id: str, on_created: OnCreated = None, reason: str | None = None) -> dict:
    """Delivery failed: the courier brings the parcel back (RTO expectation, seed 000 point 14.2).

    `reason` is the last failed attempt's (tracking); the order's courier plan gives way to the RTO's."""
    order = load(ctx, "order", order_id)
    move(ctx, order_machine(order), order, "rto", "delivery failed: return to origin"
         + (f" ({reason})" if reason else ""))
    ret = new_return(ctx, order, "RTO", "RETURN_CREATED", shipped_items(order), "RTO expectation created",
                      order["data"]["tracking_number"], "DELIVERY_FAILED", on_created)
    transit = timing.of(ctx).rto_transit(order_id)
    _rto_tracking(ctx, order["data"], reason, transit)
    save(ctx, "order", order)
    if transit:
        schedule(ctx, "return_arrive", ret["return_order_id"], ctx.now + transit)
    return {"return_order_id": ret["return_order_id"], "order_status": order["status"]}


def _rto_tracking(ctx, data: dict, reason: str | None, transit: int) -> None:
    """The RTO's milestones: initiated now (unless the courier's plan has it now), then on its way back."""
    tracking.cut(data, ctx.now)
    record = tracking.shipment(data)
    origin = record.get("origin", "")
    destination = record.get("destination") or data["customer"]["address"].get("city", "")
    seen = tracking.visible(data, ctx.now)
    if not (seen and seen[-1]["status"] == "RTO_INITIATED" and seen[-1]["at"] == ctx.now):
        tracking.add(data, timing.event("RTO_INITIATED", ctx.now, timing.place("RTO_INITIATED", origin, destination),
                                        reason=reason))
    if transit:
        tracking.add(data, timing.event("RTO_IN_TRANSIT", ctx.now + max(1, min(transit // 10, 6 * 3600)),
                                        timing.place("RTO_IN_TRANSIT", origin, destination)))
        tracking.add(data, timing.event("RTO_DELIVERED", ctx.now + transit, origin))


def _returnable(ctx, order: dict) -> dict[str, int]:
    """Delivered quantity per line minus what earlier, not cancelled returns already take back."""
    left = {l["order_item_id"]: open_qty(l) for l in order["data"]["lines"]}
    if order["data"]["return_order_ids"]:
        rows = ctx.conn.execute(select(returns.c.data, returns.c.status)
                                .where(returns.c.order_id == order["order_id"])).all()
        for data, status in rows:
            if status != "RETURN_CANCELLED":
                for item in data["items"]:
                    left[item["order_item_id"]] -= item["return_quantity"] - item["cancelled_return_quantity"]
    return left


def customer_return(ctx, order_id: str, lines: list[dict] | None, reason: str | None,
                    on_created: OnCreated = None) -> dict:
    """The customer returns delivered items (CIR, seed 000 point 15); reverse pickup follows."""
    order = load(ctx, "order", order_id)
    order_machine(order).next(order["status"], "customer_return")
    left = _returnable(ctx, order)
    items = [{"order_item_id": l["order_item_id"], "quantity": l["quantity"]} for l in lines] if lines else \
        [{"order_item_id": k, "quantity": v} for k, v in left.items() if v > 0]
    if not items:
        raise Conflict(f"order {order_id} has nothing left to return", field="lines")
    seen = set()
    for i, item in enumerate(items):
        if item["order_item_id"] not in left:
            raise ValidationFailed(f"order_item_id {item['order_item_id']} is not a line of order {order_id}",
                                   field=f"lines[{i}].order_item_id")
        # Each line is checked against what is left to return: a repeat would pass that check twice.
        if item["order_item_id"] in seen:
            raise ValidationFailed("order_item_id repeated: give each line once with its whole quantity",
                                   field=f"lines[{i}].order_item_id")
        seen.add(item["order_item_id"])
        if not 1 <= item["quantity"] <= left[item["order_item_id"]]:
            raise ValidationFailed(f"quantity must be between 1 and the returnable quantity "
                                   f"{left[item['order_item_id']]}", field=f"lines[{i}].quantity")
    reverse_awb = ctx.data.awb(order["data"]["carrier"], ctx.seq("awb"))
    ret = new_return(ctx, order, "CUSTOMER_RETURN", "RETURN_INITIATED", items, "customer requested a return",
                      reverse_awb, reason or "SIZE_FIT_ISSUES", on_created)
    move(ctx, order_machine(order), order, "customer_return", f"customer return {ret['return_order_id']} requested")
    save(ctx, "order", order)
    pickup_after = timing.of(ctx).return_pickup_after(ret["return_order_id"])
    if pickup_after:
        schedule(ctx, "return_pickup", ret["return_order_id"], ctx.now + pickup_after)
    return {"return_order_id": ret["return_order_id"], "order_status": order["status"]}


def return_pickup(ctx, return_order_id: str) -> dict:
    ret = load(ctx, "return", return_order_id)
    move(ctx, RETURN, ret, "return_pickup", "courier picked up the return from the customer")
    save(ctx, "return", ret)
    transit = timing.of(ctx).return_transit(return_order_id)
    if transit:
        schedule(ctx, "return_arrive", return_order_id, ctx.now + transit)
    return {"return_order_id": return_order_id, "return_status": ret["status"]}


def return_arrive(ctx, return_order_id: str) -> dict:
    """The return parcel reaches the seller's warehouse; a pending pickup happens first."""
    ret = load(ctx, "return", return_order_id)
    if RETURN.allows(ret["status"], "return_pickup"):  # not picked up yet: the pickup comes first
        move(ctx, RETURN, ret, "return_pickup", "courier picked up the return from the customer")
    move(ctx, RETURN, ret, "return_arrive", "return parcel reached the seller's warehouse")
    save(ctx, "return", ret)
    if ret["return_type"] == "RTO":  # the forward shipment's tracking ends with the parcel back at origin
        order = load(ctx, "order", ret["order_id"])
        data = order["data"]
        if "courier" in data:
            tracking.cut(data, ctx.now)
            seen = tracking.visible(data, ctx.now)
            if not (seen and seen[-1]["status"] == "RTO_DELIVERED"):
                tracking.add(data, timing.event("RTO_DELIVERED", ctx.now, tracking.shipment(data).get("origin", "")))
            save(ctx, "order", order)
    return {"return_order_id": return_order_id, "return_status": ret["status"]}


def cancel_return(ctx, return_order_id: str, lines: list[dict] | None = None) -> dict:
    """The customer withdraws a return before its pickup (RETURN-PICKUP-BEFORE-TRANSIT): the whole of it, or only
    `lines` ([{order_item_id, quantity}]: units of those lines). Withdrawn units count in the line's
    cancelled_return_quantity; the return is RETURN_CANCELLED once no unit is left, else it goes on (picked up,
    QC'd, credited) with the units the customer kept returning. Partial withdrawal: AJIO's
    cancelled_return_quantity per return line is grounded (API.md), its timing is not (the same window as a
    whole withdrawal: until the pickup)."""
    ret = load(ctx, "return", return_order_id)
    RETURN.next(ret["status"], "return_cancel")  # after the pickup: 409 naming the rule
    items = ret["data"]["items"]
    if not lines:
        withdrawn = {i["return_item_id"]: i["return_quantity"] - i["cancelled_return_quantity"] for i in items}
    else:
        if ret["data"].get("rsi_number"):
            raise Conflict(f"return {return_order_id} is on RSI {ret['data']['rsi_number']}: its units are "
                           f"invoiced; withdraw it whole or not at all", field="lines")
        by_line = {i["order_item_id"]: i for i in items}
        withdrawn = {}
        for n, line in enumerate(lines):
            item = by_line.get(line["order_item_id"])
            if item is None:
                raise ValidationFailed(f"order_item_id {line['order_item_id']} is not a line of return "
                                       f"{return_order_id}", field=f"lines[{n}].order_item_id")
            if item["return_item_id"] in withdrawn:
                raise ValidationFailed("order_item_id repeated: give each line once with its whole quantity",
                                       field=f"lines[{n}].order_item_id")
            left = item["return_quantity"] - item["cancelled_return_quantity"]
            if not 1 <= line["quantity"] <= left:
                raise ValidationFailed(f"quantity must be between 1 and the units still returned ({left})",
                                       field=f"lines[{n}].quantity")
            withdrawn[item["return_item_id"]] = line["quantity"]
    for item in items:
        item["cancelled_return_quantity"] += withdrawn.get(item["return_item_id"], 0)
    if all(i["cancelled_return_quantity"] >= i["return_quantity"] for i in items):
        move(ctx, RETURN, ret, "return_cancel", "customer cancelled the return before pickup")
    else:
        record_transition(ctx, "return", return_order_id, ret["status"], ret["status"], "customer withdrew " + ", ".join(
            f"{units} unit(s) of {rid}" for rid, units in withdrawn.items()) + " before pickup")
    save(ctx, "return", ret)
    return {"return_order_id": return_order_id, "return_status": ret["status"]}


@timer_handler("return_pickup")
def _pickup_timer(ctx, return_order_id: str) -> None:
    return_pickup(ctx, return_order_id)


@timer_handler("return_arrive")
def _arrive_timer(ctx, return_order_id: str) -> None:
    # Scheduled only once the parcel is on its way (RETURN_CREATED). If QA already forced the
    # arrival, the transition table refuses and fire_due consumes the timer with nothing applied.
    return_arrive(ctx, return_order_id)


def return_view(rec: dict) -> dict:
    d = rec["data"]
    return {"return_order_id": rec["return_order_id"], "return_date": rec["return_date"], "order_id": rec["order_id"],
            "return_type": rec["return_type"], "tracking_number": d["tracking_number"], "return_status": rec["status"],
            "return_reason": d["reason"],
            "return_order_items": [{"item_details": i["item_details"], "return_quantity": i["return_quantity"],
                                    "order_item_id": i["order_item_id"], "return_item_id": i["return_item_id"],
                                    "cancelled_return_quantity": i["cancelled_return_quantity"],
                                    "qc": i["qc"]} for i in d["items"]],
            "credit_note_available_at": d["credit_note_due_at"]}


def list_returns(ctx, pob_id: str, *, return_type: str | None = None, from_date: int | None, to_date: int | None,
                 page: int, size: int, view=None, return_ids: list[str] | None = None,
                 order_ids: list[str] | None = None) -> dict:
    """A POB's returns by return date (every model's returns list; `view` shapes each for its API), or
    those named by return id (an id unknown to the POB is a 404) or by forward order id."""
    view = view or return_view
    stmt = select(returns).where(returns.c.pob_id == pob_id)
    if return_ids:
        found = {r[0] for r in ctx.conn.execute(select(returns.c.return_order_id).where(
            returns.c.pob_id == pob_id, returns.c.return_order_id.in_(return_ids)))}
        missing = [r for r in return_ids if r not in found]
        if missing:
            raise NotFound(f"unknown return id(s) for this POB: {', '.join(missing)}", field="returnOrderIds")
        stmt = stmt.where(returns.c.return_order_id.in_(return_ids))
    if order_ids:
        stmt = stmt.where(returns.c.order_id.in_(order_ids))
    if return_type:
        stmt = stmt.where(returns.c.return_type == return_type)
    if from_date is not None:
        stmt = stmt.where(returns.c.return_date >= from_date)
    if to_date is not None:
        stmt = stmt.where(returns.c.return_date <= to_date)
    rows, block = paged(ctx.conn, stmt, [returns.c.return_date, returns.c.return_order_id], page, size)
    return {"returns": [view(dict(r)) for r in rows], "page": block}


def return_state(ctx, return_order_id: str) -> dict:
    """The control plane's view of a return: the record, its documents, timeline and world events."""
    rec = load(ctx, "return", return_order_id)
    docs = [{**d, "url": ctx.doc_url(d["document_id"])} for d in documents.for_entity(ctx.conn, return_order_id)]
    return {**return_view(rec), "pob_id": rec["pob_id"], "status": rec["status"],
            "putaway_at": rec["data"]["putaway_at"], "credit_note": rec["data"]["credit_note"],
            "rsi_number": rec["data"].get("rsi_number"),
            "documents": docs, "timeline": timeline(ctx.conn, return_order_id),
            "allowed_world_events": (["deliver"] if RETURN.allows(rec["status"], "return_arrive")
                                     or rec["status"] == "RETURN_INITIATED" else [])
            + (["cancel"] if RETURN.allows(rec["status"], "return_cancel") else [])}
