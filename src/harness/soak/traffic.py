"""The soak's traffic, decided from the seed alone: when customers order, what becomes of each order, the
warehouse's inbound and losses, and AJIO's bad moments.

Every day and every order draws from its own generator, seeded by (seed, "day", d) or (seed, "order", i),
so the traffic never depends on timing, on the connector, or on how many days are run: day 3 of a
3-day soak is day 3 of a 30-day one. What an order's fate needs to happen (a pickup, a delivery) is
the world's business; the soak applies each fate when its moment comes and the order allows it.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from harness.soak.config import DAILY_CURVE, DAY, HOUR, SoakConfig

# Average units per order the simulator's Faker orders carry (1-3 lines, 1-2 units a line:
# simulator/domain/orders.py); it sizes the warehouse's stock and inbound per SKU.
UNITS_PER_ORDER = (1 + 1 + 1 + 2 + 2 + 3) / 6 * (1 + 1 + 1 + 2) / 4
# ... and a JIT PO (simulator/domain/jit/orders.py: 1-4 lines, 2-10 units a line).
UNITS_PER_PO = (1 + 2 + 2 + 3 + 4) / 5 * (2 + 3 + 4 + 5 + 6 + 8 + 10) / 7
RETURN_REASONS = ("SIZE_FIT_ISSUES", "DAMAGED_PRODUCT", "WRONG_PRODUCT", "QUALITY_ISSUES", "NOT_AS_DESCRIBED",
                  "CHANGED_MIND")

# Where AJIO's bad moments strike (Dropship): (method, path glob, answer is JSON).
DS_TARGETS = (("GET", "/ds/orders/pendency", True), ("GET", "/ds/orders", True), ("POST", "/ds/orders", True),
              ("POST", "/ds/orders/*/invoice", True), ("POST", "/ds/orders/*/label", True),
              ("POST", "/ds/orders/dispatch", True), ("GET", "/documents/*", False), ("GET", "/ds/returns", True),
              ("POST", "/ds/returns/*/qc", True), ("GET", "/ds/returns/*/creditNote", True),
              ("GET", "/ds/products", True), ("POST", "/ds/updateInventory", True), ("POST", "/ds/authToken", True))
# ... and JIT (a PO's calls, its inventory, back orders and returns pulls).
JIT_TARGETS = (("GET", "/jit/orders/pendency", True), ("GET", "/jit/orders", True),
               ("POST", "/jit/orders/*/invoice", True), ("POST", "/jit/orders/*/pack", True),
               ("POST", "/jit/orders/*/cancel", True), ("POST", "/jit/orders/dispatch", True),
               ("GET", "/documents/*", False), ("GET", "/jit/products", True), ("POST", "/jit/inventory", True),
               ("GET", "/jit/inventory", True), ("GET", "/jit/backorders", True), ("GET", "/jit/returns", True),
               ("POST", "/jit/authToken", True))
# ... and VMS (seed 002's calls of the VMS layer: orders by date, the hold's acknowledgement, the B2B PO, RMS's
# invoice, the packing documents, the manifest, returns, QC, credit notes, RSIs).
VMS_TARGETS = (("GET", "/vms/orders", True), ("POST", "/vms/orders/*/acknowledge", True),
               ("GET", "/vms/orders/*/po", True), ("POST", "/vms/orders/*/b2bInvoice", True),
               ("GET", "/vms/orders/*/documents", True), ("POST", "/vms/orders/*/cancel", True),
               ("POST", "/vms/manifests", True), ("GET", "/documents/*", False), ("GET", "/vms/returns", True),
               ("POST", "/vms/returns/*/qc", True), ("POST", "/vms/returns/*/creditNote", True),
               ("POST", "/vms/returns/rto", True), ("GET", "/vms/rsi", True), ("POST", "/vms/rsi/*/accept", True),
               ("POST", "/vms/authToken", True))
TARGETS = {"ds": DS_TARGETS, "jit": JIT_TARGETS, "vms": VMS_TARGETS}
# ... and an ERP under test's own postings to the ERP layer (seed 002: it retries anything but 200).
ERP_TARGETS = (("POST", "/ajio-vms/b2bInvoice/posting", True), ("POST", "/ajio-vms/creditNote/posting", True))
# Where an acknowledgement goes (a PO that comes late strikes it), where orders are listed (an order listed
# again), where the manifest is made (an outage).
ACK_CALL = {"ds": ("POST", "/ds/orders"), "vms": ("POST", "/vms/orders/*/acknowledge")}
LIST_CALL = {"ds": ("GET", "/ds/orders/pendency"), "vms": ("GET", "/vms/orders")}
MANIFEST_CALL = {"ds": "/ds/orders/dispatch", "jit": "/jit/orders/dispatch", "vms": "/vms/manifests"}
# Effects of /_sim/faults (docs/faults.md); "after" ones apply the call and lose its answer.
TRANSPORT_EFFECTS = ({"kind": "status", "status": 503}, {"kind": "status", "status": 500},
                     {"kind": "status", "status": 503, "phase": "after"}, {"kind": "reset"},
                     {"kind": "reset", "phase": "after"}, {"kind": "truncate", "wire": True}, {"kind": "malformed"},
                     {"kind": "empty_body"})
_JSON_ONLY = ("truncate", "malformed", "empty_body")
ERP_RETRY_AFTER = 1   # seconds a throttled ERP posting is told to wait (the soak waits for it in wall time)
ERP_EFFECTS = ({"kind": "status", "status": 503}, {"kind": "status", "status": 503, "phase": "after"},
               {"kind": "reset"})


@dataclass(frozen=True)
class Fate:
    """What becomes of one order, decided when it is placed (seconds are simulated)."""
    index: int
    placed_at: int
    cancel_after: int | None        # the customer cancels this long after ordering (None: never)
    cancel_partial: bool            # ... one line only (multi-line orders)
    delivery: str                   # "deliver", "rto" (AJIO's courier returns it) or "unexpected_rto"
    turn_back_after: int            # for an RTO: this long after pickup, before the delivery was due
    return_after: int | None        # after delivery, the customer returns it this long later
    return_partial: bool
    return_reason: str
    withdraw_after: int | None      # the customer withdraws the return this long after asking
    qc: str                         # what the warehouse finds in a parcel that comes back: GOOD or BAD
    pick_short: bool = False        # once acknowledged, the warehouse finds a unit missing or damaged


@dataclass(frozen=True)
class Fault:
    """One of AJIO's bad moments: a fault rule installed on the connector's POB at `at`."""
    at: int
    kind: str                       # transport, throttle, po_delay, repeat, outage
    rule: dict                      # the /_sim/faults body, without pob_id (and order_id for a repeat)
    until: int | None = None        # an outage lasts until then; the others are used once
    repeat_index: int | None = None  # a repeat lists this order (by placement index) again


@dataclass
class DayPlan:
    day: int
    order_times: list[int]                      # placement instants, in order; indices follow
    first_index: int
    inbound: dict[int, int]                     # SKU index -> units arriving at 06:00
    stockout: tuple[int, int] | None            # (instant, SKU index) whose whole stock is lost
    faults: list[Fault] = field(default_factory=list)
    drifts: list[tuple[int, int, int]] = field(default_factory=list)  # JIT: (instant, SKU index, units AJIO's view moves)
    erp_losses: list[int] = field(default_factory=list)  # an ERP under test: instants its next answer is lost


def _count(rng: random.Random, per_day: float) -> int:
    """A whole number of events with `per_day` on average: the integer part, plus one by chance."""
    whole = int(per_day)
    return whole + (rng.random() < per_day - whole)


def demand_per_sku(cfg: SoakConfig, skus: int) -> float:
    return cfg.orders_per_day * (UNITS_PER_PO if cfg.model == "jit" else UNITS_PER_ORDER) / max(1, skus)


def initial_stock(cfg: SoakConfig, skus: int) -> list[int]:
    rng = random.Random(f"{cfg.seed}:stock")
    mean = demand_per_sku(cfg, skus) * cfg.initial_stock_days
    return [max(2, round(mean * rng.uniform(0.8, 1.2))) for _ in range(skus)]


def order_times(cfg: SoakConfig, day: int) -> list[int]:
    """Exactly orders_per_day instants in the day, drawn along DAILY_CURVE (hour, then second)."""
    rng = random.Random(f"{cfg.seed}:day:{day}:orders")
    base = cfg.start + day * DAY
    hours = rng.choices(range(24), weights=DAILY_CURVE, k=cfg.orders_per_day)
    return sorted(base + h * HOUR + rng.randrange(HOUR) for h in hours)


def fate(cfg: SoakConfig, index: int, placed_at: int) -> Fate:
    if cfg.model == "jit":
        return jit_fate(cfg, index, placed_at)
    rng = random.Random(f"{cfg.seed}:order:{index}")
    cancel = rng.random() < cfg.cancel_share
    cancel_after = min(int(rng.expovariate(1 / max(1, cfg.cancel_mean_delay))), 2 * DAY) if cancel else None
    cancel_partial = rng.random() < cfg.cancel_partial_share
    roll = rng.random()
    delivery = ("rto" if roll < cfg.rto_share else
                "unexpected_rto" if roll < cfg.rto_share + cfg.unexpected_rto_share else "deliver")
    turn_back_after = rng.randrange(4 * HOUR, 2 * DAY)  # before the exact profile's 3-day delivery
    returned = rng.random() < cfg.return_share
    return_after = rng.randrange(HOUR, max(HOUR + 1, cfg.return_max_delay)) if returned else None
    return_partial = rng.random() < cfg.return_partial_share
    reason = rng.choice(RETURN_REASONS)
    withdraw_after = rng.randrange(HOUR, 12 * HOUR) if rng.random() < cfg.return_withdraw_share else None
    qc = "BAD" if rng.random() < cfg.qc_bad_share else "GOOD"
    pick_short = rng.random() < cfg.pick_short_share   # drawn last: the draws before it are what they were
    if cfg.model == "vms" and cfg.vms_late_cancel_share and cancel_after is None \
            and rng.random() < cfg.vms_late_cancel_share:
        # Seed 004's moment: after the hold and the acknowledgement, at any stage up to (and past) handover.
        cancel_after = cfg.vms_ack_hold + rng.randrange(cfg.vms_late_cancel_window)
    return Fate(index, placed_at, cancel_after, cancel_partial, delivery, turn_back_after, return_after,
                return_partial, reason, withdraw_after, qc, pick_short)


def jit_fate(cfg: SoakConfig, index: int, placed_at: int) -> Fate:
    """A JIT PO: no customer cancels it and no courier turns it back (AJIO's warehouse receives it); AJIO
    returns units of a delivered PO to the vendor (RTV) at return_share."""
    rng = random.Random(f"{cfg.seed}:po:{index}")
    returned = rng.random() < cfg.return_share
    return_after = rng.randrange(HOUR, max(HOUR + 1, cfg.return_max_delay)) if returned else None
    return Fate(index, placed_at, None, False, "deliver", 0, return_after, rng.random() < cfg.return_partial_share,
                "RTV", None, "GOOD")


def late_approvals(cfg: SoakConfig, skus: int) -> dict[int, int]:
    """JIT: SKU index -> instant AJIO approves it (held in moderation until then), spread over the soak's days."""
    if cfg.model != "jit" or not cfg.late_approvals:
        return {}
    rng = random.Random(f"{cfg.seed}:approvals")
    chosen = rng.sample(range(skus), k=min(cfg.late_approvals, max(0, skus - 1)))
    return {i: cfg.start + rng.randrange(max(1, cfg.days)) * DAY + rng.randrange(6, 20) * HOUR for i in chosen}


def outage_days(cfg: SoakConfig) -> dict[int, int]:
    """Day -> start instant of a manifest outage (outages_per_month, spread over the soak's days)."""
    rng = random.Random(f"{cfg.seed}:outages")
    wanted = cfg.days * cfg.outages_per_month / 30
    count = int(wanted) + (rng.random() < wanted - int(wanted))
    candidates = list(range(1, cfg.days)) or [0]
    days = sorted(rng.sample(candidates, k=min(count, len(candidates))))
    return {d: cfg.start + d * DAY + rng.randrange(9, 13) * HOUR for d in days}


def day_plan(cfg: SoakConfig, day: int, skus: int, outages: dict[int, int] | None = None) -> DayPlan:
    rng = random.Random(f"{cfg.seed}:day:{day}")
    base = cfg.start + day * DAY
    demand = demand_per_sku(cfg, skus)
    inbound = {i: max(0, round(demand * cfg.inbound_share * rng.uniform(0.7, 1.3))) for i in range(skus)}
    stockout = None
    if rng.random() < cfg.stockouts_per_week / 7:
        stockout = (base + rng.randrange(DAY), rng.randrange(skus))
    plan = DayPlan(day, order_times(cfg, day), day * cfg.orders_per_day, inbound, stockout)
    jit = cfg.model == "jit"
    targets = TARGETS[cfg.model]
    for _ in range(_count(rng, cfg.faults_per_day)):
        method, path, is_json = rng.choice(targets)
        effects = [e for e in TRANSPORT_EFFECTS if (method == "POST" or e.get("phase") != "after")
                   and (is_json or e["kind"] not in _JSON_ONLY)]
        effect = dict(rng.choice(effects))
        plan.faults.append(Fault(base + rng.randrange(DAY), "transport", {
            "name": f"soak {effect['kind']} {method} {path}", "match": {"method": method, "path": path},
            "effects": [effect], "times": 1}))
    for _ in range(_count(rng, cfg.throttles_per_day)):
        method, path, _ = rng.choice(targets)
        retry_after = rng.choice(cfg.throttle_retry_after)
        plan.faults.append(Fault(base + rng.randrange(DAY), "throttle", {
            "name": f"soak throttle {method} {path}", "match": {"method": method, "path": path},
            "effects": [{"kind": "throttle", "retry_after": retry_after}], "times": 1}))
    for _ in range(_count(rng, cfg.drifts_per_day) if jit else 0):
        plan.drifts.append((base + rng.randrange(DAY), rng.randrange(skus), rng.choice((-5, -3, -2, -1, 1, 2, 4))))
    plan.drifts.sort()
    # A PO that comes late and an order listed again are Dropship's and VMS's (an acknowledgement, a listing).
    for _ in range(0 if jit else _count(rng, cfg.po_delays_per_day)):
        method, path = ACK_CALL[cfg.model]
        plan.faults.append(Fault(base + rng.randrange(DAY), "po_delay", {
            "name": "soak PO late", "match": {"method": method, "path": path},
            "effects": [{"kind": "po_missing", "minutes": rng.randrange(6 * 60, 30 * 60)}], "times": 1}))
    for _ in range(0 if jit else _count(rng, cfg.repeats_per_day)):
        at = base + rng.randrange(DAY)
        placed_before = plan.first_index + sum(1 for t in plan.order_times if t < at)
        if placed_before == 0:
            continue
        index = rng.randrange(max(0, placed_before - cfg.orders_per_day), placed_before)
        method, path = LIST_CALL[cfg.model]
        rule = {"name": "soak order listed again", "match": {"method": method, "path": path},
                "effects": [{"kind": "repeat_order"}]}
        if cfg.repeat_hours:  # listed in every pendency read for that long
            plan.faults.append(Fault(at, "repeat", rule, until=at + cfg.repeat_hours * HOUR, repeat_index=index))
        else:
            plan.faults.append(Fault(at, "repeat", {**rule, "times": 1}, repeat_index=index))
    if outages and day in outages:
        at = outages[day]
        plan.faults.append(Fault(at, "outage", {
            "name": "soak manifest outage", "match": {"method": "POST", "path": MANIFEST_CALL[cfg.model]},
            "effects": [{"kind": "status", "status": 503,
                         "error_message": "manifest service unavailable (AJIO outage)"}]},
            until=at + cfg.outage_hours * HOUR))
    if cfg.erp_under_test:
        _erp_plan(cfg, day, base, plan)
    plan.faults.sort(key=lambda f: f.at)
    return plan


def _erp_plan(cfg: SoakConfig, day: int, base: int, plan: DayPlan) -> None:
    """An ERP under test's bad moments, drawn apart (the connector's traffic is the same with or without it):
    a transient failure of its own posting, and its answer to one of AJIO's postings lost on the way back."""
    rng = random.Random(f"{cfg.seed}:erp:{day}")
    for _ in range(_count(rng, cfg.erp_faults_per_day)):
        method, path, _ = rng.choice(ERP_TARGETS)
        effect = dict(rng.choice(ERP_EFFECTS))
        plan.faults.append(Fault(base + rng.randrange(DAY), "transport", {
            "name": f"soak ERP {effect['kind']} {method} {path}", "match": {"method": method, "path": path},
            "effects": [effect], "times": 1}))
    for _ in range(_count(rng, cfg.erp_throttles_per_day)):
        method, path, _ = rng.choice(ERP_TARGETS)
        plan.faults.append(Fault(base + rng.randrange(DAY), "throttle", {
            "name": f"soak ERP throttle {method} {path}", "match": {"method": method, "path": path},
            "effects": [{"kind": "throttle", "retry_after": ERP_RETRY_AFTER}], "times": 1}))
    plan.erp_losses = sorted(base + rng.randrange(DAY) for _ in range(_count(rng, cfg.erp_lost_answers_per_day)))


def tick_of(cfg: SoakConfig, instant: int) -> int:
    """The traffic tick whose start is the first at or after `instant` (an event waits for the next tick)."""
    return math.ceil((instant - cfg.start) / cfg.tick)
