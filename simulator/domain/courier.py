"""The courier of a B2C shipment (Dropship, VMS): pickup after the manifest, milestones in transit, delivery
attempts, then delivery or the return to origin (seed 000 points 10 and 14, seed 003 step 9).

The pickup draws the courier's plan (domain/timing.py: exact or realistic) and writes it on the order
(domain/tracking.py); QA may force any step first (control plane): a pickup, a scan, a failed attempt
with its reason, the delivery or the RTO, and the plan gives way to it.
"""
from __future__ import annotations

from simulator.domain import returns, timing, tracking
from simulator.domain.context import load, move, save
from simulator.domain.machine import order_machine
from simulator.domain.sellers import get_pob, seller_profile
from simulator.errors import IllegalTransition, ValidationFailed
from simulator.lifecycle import schedule, timer_handler

# Timer kinds: the manifest schedules PICKUP; the pickup's plan schedules DELIVER or RTO (its outcome);
# a delivery may schedule the customer's own return (realistic profile).
PICKUP = "courier_pickup"
DELIVER = "courier_deliver"
RTO = "courier_rto"
CUSTOMER_RETURN = "customer_return_auto"


def schedule_pickup(ctx, order_id: str) -> None:
    """The manifest is closed: the courier comes for the parcel after the profile's pickup delay."""
    after = timing.of(ctx).pickup_after(order_id)
    if after:
        schedule(ctx, PICKUP, order_id, ctx.now + after)


def _route(ctx, rec: dict) -> tuple[str, str, str]:
    """Origin (the seller's city), destination (the customer's) and the zone between them."""
    seller = seller_profile(ctx.conn, get_pob(ctx.conn, rec["pob_id"]))
    where = rec["data"]["customer"]["address"]
    origin = seller.get("address", {}).get("city", "")
    zone = timing.zone(origin, seller.get("address", {}).get("state", ""), where.get("city", ""),
                       where.get("state", ""))
    return origin, where.get("city", ""), zone


def _follow(ctx, rec: dict, plan: dict | None) -> None:
    """Write the courier's plan on the order and schedule the timer of its outcome."""
    if not plan:
        return
    due = tracking.plan(rec["data"], plan["events"])
    if due is not None:
        schedule(ctx, DELIVER if due["event"] == "deliver" else RTO, rec["order_id"], due["at"])


def courier_pickup(ctx, order_id: str) -> dict:
    rec = load(ctx, "order", order_id)
    move(ctx, order_machine(rec), rec, "pickup", f"courier picked up AWB {rec['data']['tracking_number']}")
    origin, destination, zone = _route(ctx, rec)
    record = tracking.shipment(rec["data"])
    record.update(origin=origin, destination=destination)
    tracking.add(rec["data"], timing.event("PICKED_UP", ctx.now, origin))
    _follow(ctx, rec, timing.of(ctx).forward_plan(order_id, picked_up_at=ctx.now,
                                                  payment_method=rec["data"]["payment_method"], origin=origin,
                                                  destination=destination, zone=zone))
    save(ctx, "order", rec)
    return {"order_id": order_id, "status": rec["status"]}


def courier_deliver(ctx, order_id: str) -> dict:
    """QA delivers now: the plan's later events are dropped."""
    rec = load(ctx, "order", order_id)
    return _deliver(ctx, rec, planned=False)


def _deliver(ctx, rec: dict, planned: bool) -> dict:
    move(ctx, order_machine(rec), rec, "deliver", "courier delivered to the customer")
    data = rec["data"]
    if planned:
        tracking.shipment(data)["due"] = None
    else:
        tracking.cut(data, ctx.now)
        tracking.add(data, timing.event("DELIVERED", ctx.now, tracking.shipment(data).get("destination")
                                        or data["customer"]["address"].get("city", "")))
    later = timing.of(ctx).customer_return(rec["order_id"])
    if later is not None:  # realistic profile: some customers send the parcel back by themselves
        after, reason = later
        tracking.shipment(data)["customer_return"] = {"at": ctx.now + after, "reason": reason}
        schedule(ctx, CUSTOMER_RETURN, rec["order_id"], ctx.now + after)
    save(ctx, "order", rec)
    return {"order_id": rec["order_id"], "status": rec["status"]}


def _out_with_courier(rec: dict, what: str) -> None:
    machine = order_machine(rec)
    if not machine.allows(rec["status"], "deliver"):
        raise IllegalTransition(f"{machine.name}: {what} needs a parcel out with the courier (picked up, not yet "
                                f"delivered or returned); order {rec['order_id']} is {rec['status']}",
                                field="status", rule=machine.rules.get("deliver"))


def delivery_attempt(ctx, order_id: str, reason: str, location: str | None = None) -> dict:
    """A failed delivery attempt now; after the last one allowed the courier starts the RTO at once."""
    if reason not in timing.FAILURE_REASONS:
        raise ValidationFailed(f"reason must be one of {', '.join(timing.FAILURE_REASONS)}", field="reason")
    rec = load(ctx, "order", order_id)
    _out_with_courier(rec, "a delivery attempt")
    data = rec["data"]
    if reason == "COD_NOT_READY" and data["payment_method"] != "COD":
        raise ValidationFailed(f"order {order_id} is prepaid: there is no cash to collect (COD_NOT_READY)",
                               field="reason")
    tracking.cut(data, ctx.now)
    destination = tracking.shipment(data).get("destination") or data["customer"]["address"].get("city", "")
    done = tracking.attempts(data, ctx.now) + 1
    tracking.add(data, timing.event("DELIVERY_ATTEMPTED", ctx.now, location or destination, reason=reason,
                                    attempt=done))
    t = timing.of(ctx)
    last = done >= t.s.max_delivery_attempts
    if not last:
        _follow(ctx, rec, t.reattempt_plan(order_id, attempts_done=done, failed_at=ctx.now,
                                           payment_method=data["payment_method"], destination=destination))
    save(ctx, "order", rec)
    answer = {"order_id": order_id, "delivery_attempts": done, "reason": reason, "return_order_id": None}
    if last:  # the courier gives up: the parcel returns to origin (seed 000 point 14.2)
        answer["return_order_id"] = returns.initiate_rto(ctx, order_id, returns.follow_up(rec["model"]),
                                                         reason=reason)["return_order_id"]
        rec = load(ctx, "order", order_id)
    return {**answer, "status": rec["status"], **_shipment_state(ctx, rec)}


def scan(ctx, order_id: str, milestone: str, location: str | None = None) -> dict:
    """A courier scan injected by QA on a parcel out with the courier (in transit, at the hub, out for delivery)."""
    if milestone not in tracking.SCANNABLE:
        raise ValidationFailed(f"milestone must be one of {', '.join(tracking.SCANNABLE)} (delivery, failed "
                               f"attempts and the RTO have their own events)", field="milestone")
    rec = load(ctx, "order", order_id)
    _out_with_courier(rec, f"a {milestone} scan")
    data = rec["data"]
    record = tracking.shipment(data)
    tracking.cut_before(data, ctx.now, tracking.MILESTONES.index(milestone))
    where = location or timing.place(milestone, record.get("origin", ""), record.get("destination")
                                      or data["customer"]["address"].get("city", ""))
    tracking.add(data, timing.event(milestone, ctx.now, where))
    save(ctx, "order", rec)
    return {"order_id": order_id, "status": rec["status"], **_shipment_state(ctx, rec)}


def _shipment_state(ctx, rec: dict) -> dict:
    view = tracking.view(rec["data"], ctx.now)
    return {"shipment_status": view["shipment_status"], "delivery_attempts": view["delivery_attempts"]}


@timer_handler(PICKUP)
def _pickup_timer(ctx, order_id: str) -> None:
    courier_pickup(ctx, order_id)


@timer_handler(DELIVER)
def _deliver_timer(ctx, order_id: str) -> None:
    rec = load(ctx, "order", order_id)
    if "courier" in rec["data"] and tracking.due(rec["data"]) != {"event": "deliver", "at": ctx.now}:
        return  # the plan changed since (a failed attempt, a forced delivery or RTO): this outcome is void
    _deliver(ctx, rec, planned="courier" in rec["data"])


@timer_handler(RTO)
def _rto_timer(ctx, order_id: str) -> None:
    rec = load(ctx, "order", order_id)
    if tracking.due(rec["data"]) != {"event": "rto", "at": ctx.now}:
        return
    reason = next((e.get("reason") for e in reversed(tracking.visible(rec["data"], ctx.now))
                   if e["status"] == "RTO_INITIATED"), None)
    returns.initiate_rto(ctx, order_id, returns.follow_up(rec["model"]), reason=reason)


@timer_handler(CUSTOMER_RETURN)
def _customer_return_timer(ctx, order_id: str) -> None:
    rec = load(ctx, "order", order_id)
    planned = (rec["data"].get("courier") or {}).get("customer_return") or {}
    if planned.get("at") != ctx.now:
        return
    returns.customer_return(ctx, order_id, None, planned["reason"], returns.follow_up(rec["model"]))
