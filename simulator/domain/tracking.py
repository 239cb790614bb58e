"""A B2C shipment's courier milestones (seed 003 step 9: pickup, in transit, delivery attempts, delivery),
kept on the order record: the scans that happened and those the courier's plan has for later.

The plan is written when the parcel is picked up (or re-planned after a failed attempt) with a time on
every event; a reader sees only the events at or before the simulated now, so moving the clock reveals
them exactly as waiting would. Only the outcome (delivered, or the RTO) changes the order's state: it
is a timer at the plan's last event (`due`), and a plan replaced meanwhile makes that timer a no-op.
"""
from __future__ import annotations

MILESTONES = ("PICKED_UP", "IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY", "DELIVERY_ATTEMPTED",
              "DELIVERED", "RTO_INITIATED", "RTO_IN_TRANSIT", "RTO_DELIVERED")
# The scans QA may inject on a parcel out with the courier (delivery, attempts and RTO have their own events).
SCANNABLE = ("IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY")
# Which plan events are outcomes, and the world event their timer applies.
OUTCOMES = {"DELIVERED": "deliver", "RTO_INITIATED": "rto"}


def shipment(data: dict) -> dict:
    """The order's courier record, created empty on first use (orders older than tracking have none)."""
    return data.setdefault("courier", {"events": [], "due": None})


def due(data: dict) -> dict | None:
    """The outcome the courier's plan has scheduled: {"event": "deliver"|"rto", "at": epoch}, or None."""
    return (data.get("courier") or {}).get("due")


def add(data: dict, event: dict) -> None:
    events = shipment(data)["events"]
    events.append(event)
    events.sort(key=lambda e: e["at"])  # stable: events at one instant keep the order they came in


def cut(data: dict, now: int) -> None:
    """Forget what the plan had for after `now` (QA forced an event, or the parcel left the plan)."""
    record = shipment(data)
    record["events"] = [e for e in record["events"] if e["at"] <= now]
    record["due"] = None


def cut_before(data: dict, now: int, rank: int) -> None:
    """A scan QA injects now: planned scans that would come after it yet rank before it are dropped, so
    the shipment never goes back (a parcel out for delivery is not then 'in transit')."""
    record = shipment(data)
    record["events"] = [e for e in record["events"] if e["at"] <= now or _rank(e["status"]) > rank]


def plan(data: dict, events: list[dict]) -> dict | None:
    """Add planned events; answers the outcome due (its timer must be scheduled by the caller)."""
    for event in events:
        add(data, event)
    last = events[-1] if events else None
    record = shipment(data)
    record["due"] = {"event": OUTCOMES[last["status"]], "at": last["at"]} if last and last["status"] in OUTCOMES \
        else None
    return record["due"]


def visible(data: dict, now: int) -> list[dict]:
    return [e for e in (data.get("courier") or {}).get("events", []) if e["at"] <= now]


def planned(data: dict, now: int) -> list[dict]:
    return [e for e in (data.get("courier") or {}).get("events", []) if e["at"] > now]


def attempts(data: dict, now: int) -> int:
    return sum(1 for e in visible(data, now) if e["status"] == "DELIVERY_ATTEMPTED")


def public_event(event: dict) -> dict:
    return {"status": event["status"], "at": event["at"], "location": event.get("location") or "",
            "reason": event.get("reason")}


def view(data: dict, now: int) -> dict:
    """What a connector reads: the latest milestone, the failed attempts so far, every scan up to now."""
    seen = visible(data, now)
    return {"shipment_status": seen[-1]["status"] if seen else None, "delivery_attempts": attempts(data, now),
            "events": [public_event(e) for e in seen]}


def _rank(status: str) -> int:
    return MILESTONES.index(status) if status in MILESTONES else len(MILESTONES)
