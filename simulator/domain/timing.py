"""Timing profiles: when the world acts by itself (PO, courier pickup, transit, delivery attempts, returns)
and how often deliveries fail, parcels come back (RTO) and customers return, per docs/dropship.md.

`exact` keeps the fixed timings of the configuration (scenarios and tests rely on them): the PO after
`po_lag`, pickup a day after the manifest, delivery exactly `deliver_after` after pickup, never a failed
attempt, never a customer return on its own. `realistic` draws each of these from a distribution.

Every draw comes from a random stream seeded by the world seed and the record's id (order or return)
and a name for the draw, never from a shared generator: the same seed gives the same world whatever
the order in which requests and timers arrive and whichever worker fires them (issue 20's soak runs
replay a month this way). The functions below are pure: a soak generator can call them directly.
"""
from __future__ import annotations

import hashlib
import math
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

PROFILES = ("exact", "realistic")
# Why a delivery attempt failed: the four reasons couriers' non-delivery reports (NDR) use most.
FAILURE_REASONS = ("CUSTOMER_NOT_AVAILABLE", "ADDRESS_ISSUE", "REFUSED", "COD_NOT_READY")
RETURN_REASONS = ("SIZE_FIT_ISSUES", "DAMAGED_PRODUCT", "WRONG_PRODUCT", "QUALITY_ISSUES", "NOT_AS_DESCRIBED",
                  "CHANGED_MIND")
META_KEY = "timing"
HOUR, DAY = 3600, 86400
IST = timezone(timedelta(hours=5, minutes=30))
SETTING_KEYS = ("profile", "ack_sla", "dispatch_sla", "dispatch_sla_cancel", "max_delivery_attempts")

# The realistic profile's figures. Sourced ones are cited in docs/dropship.md ("Timing profiles"); the
# rest are ours and marked "not grounded" there. Durations in seconds.
REALISTIC = {
    "po_lag": {"median": 20 * 60, "sigma": 0.9, "min": 2 * 60, "max": 6 * HOUR},           # not grounded
    "pickup_after": {"min": 3 * HOUR, "max": 28 * HOUR},                                    # not grounded
    "in_transit_after": {"min": 2 * HOUR, "max": 10 * HOUR},                                # not grounded
    # Pickup to the destination hub, by how far the parcel travels; median days, spread, bounds.
    "transit_days": {"local": 1.0, "regional": 2.0, "national": 3.5, "sigma": 0.35, "min": 0.5, "max": 9.0},
    # Calibrated so that about 26 % of COD and 2 % of prepaid shipments end as RTO (Shipway, FY25).
    "first_attempt_fails": {"COD": 0.32, "PREPAID": 0.08},
    "reattempt_fails": {"COD": 0.60, "PREPAID": 0.30},
    "refusal_share": {"COD": 0.60, "PREPAID": 0.15},   # of failed attempts; a refusal goes back at once
    "reasons": {"CUSTOMER_NOT_AVAILABLE": 0.55, "ADDRESS_ISSUE": 0.30, "COD_NOT_READY": 0.15},
    "rto_after_last_attempt": {"min": 12 * HOUR, "max": 36 * HOUR},
    "rto_after_refusal": {"min": 2 * HOUR, "max": 12 * HOUR},
    "rto_transit": {"median": 4 * DAY, "sigma": 0.35, "min": 2 * DAY, "max": 10 * DAY},       # not grounded
    "customer_return_share": 0.25,                      # AJIO: 26-30 % returned or exchanged (BusinessLine)
    "customer_return_after": {"min": 1 * DAY, "max": 7 * DAY},                              # not grounded
    "return_reasons": {"SIZE_FIT_ISSUES": 0.50, "QUALITY_ISSUES": 0.15, "CHANGED_MIND": 0.15,
                       "NOT_AS_DESCRIBED": 0.10, "DAMAGED_PRODUCT": 0.05, "WRONG_PRODUCT": 0.05},
    "return_pickup_after": {"min": 1 * DAY, "max": 3 * DAY},                                # not grounded
    "return_transit": {"median": 3 * DAY, "sigma": 0.35, "min": 1 * DAY, "max": 8 * DAY},   # not grounded
}
# Where in the exact profile's fixed delivery span each milestone falls (percent of deliver_after).
EXACT_MILESTONES = (("IN_TRANSIT", 10), ("REACHED_DESTINATION_HUB", 80), ("OUT_FOR_DELIVERY", 95))


@dataclass(frozen=True, slots=True)
class Settings:
    """The world's timing settings: the configuration's defaults, changed at run time by PUT /_sim/timing."""
    profile: str
    ack_sla: int
    dispatch_sla: int
    dispatch_sla_cancel: bool
    max_delivery_attempts: int

    def as_dict(self) -> dict:
        return asdict(self)


def defaults(config) -> dict:
    return {key: getattr(config, key) for key in SETTING_KEYS}


def settings(ctx) -> Settings:
    stored = ctx.store.get_meta(ctx.conn, META_KEY) or {}
    return Settings(**{**defaults(ctx.config), **{k: v for k, v in stored.items() if k in SETTING_KEYS}})


def update(ctx, changes: dict) -> dict:
    """Change some settings (already checked by the control plane's schema); answers them all."""
    merged = {**settings(ctx).as_dict(), **{k: v for k, v in changes.items() if k in SETTING_KEYS}}
    ctx.store.put_meta(ctx.conn, META_KEY, merged)
    return describe(Settings(**merged))


def describe(s: Settings) -> dict:
    """The settings with what the profile draws (the control plane's GET /_sim/timing)."""
    return {**s.as_dict(), "profiles": list(PROFILES), "failure_reasons": list(FAILURE_REASONS),
            "realistic": REALISTIC if s.profile == "realistic" else None}


# -- seeded draws --------------------------------------------------------------------------------
def rng(seed: int, *key) -> random.Random:
    """A random stream for one draw of one record: seeded by the world seed, the record's id and a name."""
    text = "\x1f".join(str(part) for part in (seed, "timing", *key))
    return random.Random(int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big"))


def _uniform(r: random.Random, spec: dict) -> int:
    return int(r.uniform(spec["min"], spec["max"]))


def _lognormal(r: random.Random, spec: dict) -> int:
    value = spec["median"] * math.exp(r.gauss(0.0, spec["sigma"]))
    return int(min(spec["max"], max(spec["min"], value)))


def _weighted(r: random.Random, weights: dict, leave_out: tuple = ()) -> str:
    names = [k for k in weights if k not in leave_out]
    return r.choices(names, weights=[weights[k] for k in names])[0]


def _at_ist(epoch: int, hour: float) -> int:
    """That day (IST) at `hour` o'clock."""
    day = datetime.fromtimestamp(epoch, IST).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(day.timestamp() + hour * HOUR)


class Timing:
    """The draws of one world: its settings, its configuration (the exact profile's timings) and its seed."""

    def __init__(self, s: Settings, config, seed: int) -> None:
        self.s = s
        self.config = config
        self.seed = seed

    @property
    def realistic(self) -> bool:
        return self.s.profile == "realistic"

    # -- forward flow ----------------------------------------------------------------------
    def po_lag(self, order_id: str) -> int:
        if not self.realistic:
            return self.config.po_lag
        return _lognormal(rng(self.seed, "po_lag", order_id), REALISTIC["po_lag"])

    def pickup_after(self, order_id: str) -> int:
        """Seconds from the manifest to the courier's pickup; 0 when the configuration turned it off."""
        if not self.config.pickup_after or not self.realistic:
            return self.config.pickup_after
        return _uniform(rng(self.seed, "pickup", order_id), REALISTIC["pickup_after"])

    def forward_plan(self, order_id: str, *, picked_up_at: int, payment_method: str, origin: str,
                     destination: str, zone: str) -> dict | None:
        """What the courier will do after the pickup: milestones (each with `at`) and the outcome, the
        last event (DELIVERED, or RTO_INITIATED after failed attempts). None: no automatic delivery."""
        if not self.config.deliver_after:
            return None
        if not self.realistic:
            span = self.config.deliver_after
            events = [event(status, picked_up_at + span * percent // 100, place(status, origin, destination))
                      for status, percent in EXACT_MILESTONES]
            events.append(event("DELIVERED", picked_up_at + span, place("DELIVERED", origin, destination)))
            return {"events": events}
        r = rng(self.seed, "shipment", order_id)
        events = [event("IN_TRANSIT", picked_up_at + _uniform(r, REALISTIC["in_transit_after"]),
                         place("IN_TRANSIT", origin, destination))]
        spec = REALISTIC["transit_days"]
        days = min(spec["max"], max(spec["min"], spec[zone] * math.exp(r.gauss(0.0, spec["sigma"]))))
        at_hub = max(events[-1]["at"] + HOUR, picked_up_at + int(days * DAY))
        events.append(event("REACHED_DESTINATION_HUB", at_hub, place("REACHED_DESTINATION_HUB", origin, destination)))
        # A parcel reaching the hub after 4 pm goes out the next morning.
        first_day = at_hub if datetime.fromtimestamp(at_hub, IST).hour < 16 else at_hub + DAY
        events += self._attempts(r, 1, first_day, events[-1]["at"], payment_method, destination)
        return {"events": events}

    def reattempt_plan(self, order_id: str, *, attempts_done: int, failed_at: int, payment_method: str,
                       destination: str) -> dict | None:
        """After a failed attempt injected by QA: the next attempt a day later (exact: delivered then)."""
        if not self.config.deliver_after:
            return None
        if not self.realistic:
            at = failed_at + self.config.reattempt_after
            return {"events": [event("OUT_FOR_DELIVERY", at - 3 * HOUR if self.config.reattempt_after > 3 * HOUR
                                      else at, place("OUT_FOR_DELIVERY", "", destination)),
                               event("DELIVERED", at, place("DELIVERED", "", destination))]}
        r = rng(self.seed, "reattempt", order_id, attempts_done)
        return {"events": self._attempts(r, attempts_done + 1, failed_at + DAY, failed_at, payment_method,
                                         destination)}

    def _attempts(self, r: random.Random, first: int, day: int, after: int, payment_method: str,
                  destination: str) -> list[dict]:
        """Delivery attempts from attempt `first`, one a day, until one succeeds, the customer refuses, or
        the last allowed attempt fails: then the courier starts the RTO."""
        kind = "COD" if payment_method == "COD" else "PREPAID"
        events: list[dict] = []
        for n in range(first, self.s.max_delivery_attempts + 1):
            out_at = max(after + 600, _at_ist(day, r.uniform(8.0, 11.0)))
            done_at = out_at + int(r.uniform(1.0, 8.0) * HOUR)
            events.append(event("OUT_FOR_DELIVERY", out_at, place("OUT_FOR_DELIVERY", "", destination)))
            fails = REALISTIC["first_attempt_fails" if n == 1 else "reattempt_fails"][kind]
            if r.random() >= fails:
                events.append(event("DELIVERED", done_at, place("DELIVERED", "", destination)))
                return events
            refused = r.random() < REALISTIC["refusal_share"][kind]
            reason = "REFUSED" if refused else _weighted(r, REALISTIC["reasons"],
                                                          () if kind == "COD" else ("COD_NOT_READY",))
            events.append(event("DELIVERY_ATTEMPTED", done_at, place("DELIVERY_ATTEMPTED", "", destination),
                                 reason=reason, attempt=n))
            if refused or n == self.s.max_delivery_attempts:
                wait = REALISTIC["rto_after_refusal" if refused else "rto_after_last_attempt"]
                events.append(event("RTO_INITIATED", done_at + _uniform(r, wait),
                                     place("RTO_INITIATED", "", destination), reason=reason))
                return events
            after, day = done_at, day + DAY
        return events

    # -- returns ---------------------------------------------------------------------------
    def rto_transit(self, order_id: str) -> int:
        if not self.config.rto_transit or not self.realistic:
            return self.config.rto_transit
        return _lognormal(rng(self.seed, "rto_transit", order_id), REALISTIC["rto_transit"])

    def return_pickup_after(self, return_order_id: str) -> int:
        if not self.config.return_pickup_after or not self.realistic:
            return self.config.return_pickup_after
        return _uniform(rng(self.seed, "return_pickup", return_order_id), REALISTIC["return_pickup_after"])

    def return_transit(self, return_order_id: str) -> int:
        if not self.config.return_transit or not self.realistic:
            return self.config.return_transit
        return _lognormal(rng(self.seed, "return_transit", return_order_id), REALISTIC["return_transit"])

    def customer_return(self, order_id: str) -> tuple[int, str] | None:
        """Whether the customer returns a delivered order by themself, and when and why; exact: never."""
        if not self.realistic:
            return None
        r = rng(self.seed, "customer_return", order_id)
        if r.random() >= REALISTIC["customer_return_share"]:
            return None
        return _uniform(r, REALISTIC["customer_return_after"]), _weighted(r, REALISTIC["return_reasons"])


def of(ctx) -> Timing:
    return Timing(settings(ctx), ctx.config, ctx.config.seed)


def event(status: str, at: int, location: str, *, reason: str | None = None, attempt: int | None = None) -> dict:
    event = {"status": status, "at": int(at), "location": location}
    if reason is not None:
        event["reason"] = reason
    if attempt is not None:
        event["attempt"] = attempt
    return event


def place(status: str, origin: str, destination: str) -> str:
    """Where a milestone is scanned: the origin hub, the destination hub, or the customer's city."""
    if status in ("PICKED_UP", "RTO_DELIVERED"):
        return origin
    if status == "IN_TRANSIT":
        return f"{origin} hub" if origin else "origin hub"
    if status in ("REACHED_DESTINATION_HUB", "RTO_INITIATED", "RTO_IN_TRANSIT"):
        return f"{destination} hub" if destination else "destination hub"
    return destination




def zone(origin_city: str, origin_state: str, destination_city: str, destination_state: str) -> str:
    """How far a parcel travels, as couriers price it: within a city, within a state, or across India."""
    if origin_city and origin_city == destination_city:
        return "local"
    if origin_state and origin_state == destination_state:
        return "regional"
    return "national"
