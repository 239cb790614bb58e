"""The soak's world: an in-process simulator, one seller, its warehouse, and what the soak knows of them.

The soak drives the world only through the control plane (/_sim) and follows it through the change
feed (`GET /_sim/changes`): every transition since the last read, with the orders and returns it
touched as they are now. From that it keeps each order's and return's timeline, and the warehouse:
units on hand, units promised to acknowledged orders, and what the seller may still sell, which is
what the connector reads from its warehouse file (AJIO_WAREHOUSE) and must push to AJIO.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness.soak.config import SoakConfig
from harness.soak.tap import Tap
from harness.soak.traffic import Fate
from harness.world import Control, StepFailed
from simulator.embedded import InProcessServer

# Statuses in which an order's units are promised (acknowledged, not yet picked up by the courier). A JIT
# PO's units leave what the seller may sell when packed: AJIO takes them off its view of the stock at the
# pack (docs/jit.md), so a push that left them out earlier would count them twice (docs/soak.md).
PROMISED = ("CONFIRMED", "INVOICED", "PACKED", "READY_TO_DISPATCH")
JIT_PROMISED = ("PACKED", "READY_TO_DISPATCH")
# A VMS order's units are soft-reserved from the acknowledgement (seed 002) until the courier takes them.
VMS_PROMISED = ("ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH")
# Acknowledged orders whose units are still on the shelf (not picked: invoicing picks a Dropship order,
# packing a VMS one), and those whose units are in a parcel: a stock loss takes the former's units only.
UNPICKED = {"ds": ("CONFIRMED",), "vms": ("ACKNOWLEDGED", "INVOICED")}
PICKED = {"ds": ("INVOICED", "PACKED", "READY_TO_DISPATCH"), "vms": ("PACKED", "READY_TO_DISPATCH")}
# When an order is done: nothing more can happen to it that the connector owes a step for.
FINAL = ("CANCELLED", "DELIVERED", "RTO")
# The timeline instant each status records (first time reached).
STAMP = {"CONFIRMED": "acknowledged", "ACKNOWLEDGED": "acknowledged", "INVOICED": "invoiced", "PACKED": "packed",
         "READY_TO_DISPATCH": "manifested", "DISPATCHED": "dispatched", "DELIVERED": "delivered", "RTO": "rto",
         "CANCELLED": "cancelled"}
RETURN_STAMP = {"RETURN_INITIATED": "initiated", "RETURN_CREATED": "in_transit", "RETURN_DELIVERED": "arrived",
                "RETURN_PROCESSED": "processed", "RETURN_CANCELLED": "withdrawn"}


def open_units(line: dict) -> int:
    """Units of a line still to ship: a Dropship line's ordered quantity less its cancellations and short
    picks, a JIT PO line's quantity less what the seller cancelled."""
    return (line.get("ordered_quantity", line.get("quantity", 0)) - line.get("customer_cancelled_qty", 0)
            - line.get("seller_cancelled_qty", 0) - line.get("seller_short_picked_qty", 0)
            - line.get("cancelled_quantity", 0))


def _committed(line: dict, model: str) -> bool:
    """Whether the seller took the line on: acknowledged (Dropship); every line of a JIT PO (its shortfall is
    cancelled, not acknowledged) and of an acknowledged VMS order (acknowledged whole, what is short cancelled)."""
    return model in ("jit", "vms") or bool(line.get("acknowledged"))


@dataclass
class Order:
    order_id: str
    index: int
    fate: Fate
    placed_at: int
    status: str = "CREATED"
    lines: list[dict] = field(default_factory=list)
    stamps: dict[str, int] = field(default_factory=dict)   # acknowledged, po, invoiced, ... -> simulated instant
    documents: dict[str, str] = field(default_factory=dict)  # document_id -> kind
    doc_issued: dict[str, int] = field(default_factory=dict)  # document_id -> instant the soak first saw it
    manifest_id: str | None = None
    returns: list[str] = field(default_factory=list)
    timeline: list[tuple[int, str | None, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)          # what the soak did to it, and what AJIO said
    done_fates: set[str] = field(default_factory=set)
    shipped: bool = False                                    # its units left the warehouse (courier pickup)
    promised: dict[str, int] = field(default_factory=dict)   # units the warehouse keeps for it, per SKU
    ajio_cancelled: bool = False                             # AJIO cancelled it itself (an SLA)

    @property
    def confirmed_units(self) -> int:
        # A JIT PO line (it has cancelled_quantity) is the seller's from the start: no acknowledgement.
        return sum(open_units(l) for l in self.lines if l.get("acknowledged") or "cancelled_quantity" in l)

    @property
    def cancelled_by(self) -> str | None:
        if self.status != "CANCELLED":
            return None
        if self.ajio_cancelled:
            return "AJIO"
        seller = sum(l.get("seller_cancelled_qty", 0) + l.get("seller_short_picked_qty", 0) for l in self.lines)
        customer = sum(l.get("customer_cancelled_qty", 0) for l in self.lines)
        if seller and not customer:
            return "seller"
        if customer and not seller:
            return "customer"
        return "seller and customer" if seller and customer else "nobody"


@dataclass
class Return:
    return_order_id: str
    order_id: str
    return_type: str
    status: str
    created_at: int
    items: list[dict] = field(default_factory=list)
    stamps: dict[str, int] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    doc_issued: dict[str, int] = field(default_factory=dict)
    credit_note_number: str | None = None
    restocked: bool = False


class SoakWorld:
    """One in-process simulator with one seller, as the soak drives and follows it."""

    def __init__(self, cfg: SoakConfig, workdir: Path, server_settings: dict | None = None, erp_provider=None,
                 erp_watch=None) -> None:
        """`erp_provider` (harness.erp.ErpCommand / ErpUrl) and `erp_watch` (harness.soak.erp.ErpWatch): the
        seller's ERP under test and the gateway that watches it (VMS model 1); without them, the stand-in."""
        self.cfg = cfg
        self.workdir = workdir
        self.server = InProcessServer(seed=cfg.seed, start=cfg.start, **(server_settings or {}))
        # The tap sees every request on the wire (harness.soak.tap); werkzeug's server calls `server.app`.
        self.tap = Tap(self.server.server.app)
        self.server.server.app = self.tap
        self.base_url = self.server.base_url
        # Its control calls go to the tapped app in process, not over HTTP (harness/world.py): the tap still sees them.
        self.control = Control(self.base_url, wsgi=self.tap)
        self.erp = None
        self.erp_watch = None   # an ERP under test: what it was sent and answered
        seller = {"model": cfg.model, "catalog_size": cfg.catalog_size}
        if cfg.model == "vms":
            seller.update(einvoice_model=cfg.vms_einvoice_model, return_model=cfg.vms_return_model,
                          ack_hold=cfg.vms_ack_hold, late_customer_cancel=cfg.vms_late_cancel_share > 0)
            if cfg.vms_einvoice_model == "erp":   # model 1: an ERP e-invoices (and issues credit notes)
                if erp_provider is not None:      # the seller's ERP under test, behind a gateway that watches it
                    self.erp_watch = erp_watch
                    self.erp = erp_provider.open()
                    seller["erp_url"] = self.erp_watch.gateway.route("seller", self.erp.prepare("seller"))
                else:
                    from harness.standin_erp import StandInErp
                    self.erp = StandInErp()
                    seller["erp_url"] = self.erp.prepare("seller")
        self.pob = self.control.call("POST", "/sellers", seller, expect=201)
        self.pob_id = self.pob["pob_id"]
        if self.erp is not None:
            from harness.erp import erp_env
            (workdir / "erp").mkdir(exist_ok=True)
            self.erp.start("seller", erp_env(self.base_url, self.pob, seller, workdir / "erp"))
        self.skus = sorted(r["sku"] for r in self.ajio_inventory_rows() if r["published_status"] == "PUBLISHED")
        self.orders: dict[str, Order] = {}
        self.by_index: dict[int, str] = {}
        self.returns: dict[str, Return] = {}
        self.cursor = 0
        self.now = cfg.start
        # Orders and returns changed since the checker last looked (it schedules their deadlines).
        self.dirty_orders: set[str] = set()
        self.dirty_returns: set[str] = set()
        # The warehouse: units on hand per SKU, and what the connector is told (AJIO_WAREHOUSE).
        self.on_hand: dict[str, int] = {}
        self._promised: dict[str, int] = {}
        self.qc: dict[str, str] = {}
        self.pending: set[str] = set()   # JIT: SKUs AJIO's catalog team has not approved yet
        self.doc_index: dict[str, tuple[str, str]] = {}   # document id -> (kind, order id), orders' and returns'
        self.unexpected_rto: list[str] = []
        # Customer cancellations by the order's status when asked, whole or partial, taken or refused (too late).
        self.customer_cancels: Counter = Counter()
        # VMS: units the warehouse could not pick for an acknowledged order (found missing or damaged), per
        # order and SKU: seed 002's "items are not found in the warehouse or damaged", in the warehouse file.
        self.missing: dict[str, dict[str, int]] = {}
        self.missing_need: dict[str, dict[str, int]] = {}   # ... and the units of that SKU the order needed then
        self.rsis: dict[str, dict] = {}       # VMS: RSI number -> issued, accepted, returns, document_id
        self.new_rsis: list[str] = []         # ... issued since the checker last looked
        self.state_dir = workdir / "connector"
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.warehouse_path = self.state_dir / "warehouse.json"

    # -- reading the world -------------------------------------------------------------------------
    def ajio_inventory_rows(self) -> list[dict]:
        return self.control.get(f"/sellers/{self.pob_id}/inventory")["inventory"]

    def ajio_inventory(self) -> dict[str, int]:
        return {r["sku"]: r["quantity"] for r in self.ajio_inventory_rows()}

    def follow(self) -> list[dict]:
        """Read the change feed up to now; update orders, returns and the warehouse. Answers the changes."""
        seen = []
        while True:
            feed = self.control.get(f"/changes?pob_id={self.pob_id}&after_id={self.cursor}&limit=5000")
            self.cursor = feed["last_id"]
            for view in feed["orders"]:
                self._order_view(view)
            for view in feed["returns"]:
                self._return_view(view)
            for view in feed.get("rsis", ()):
                self._rsi_view(view)
            for change in feed["changes"]:
                self._change(change)
            seen.extend(feed["changes"])
            if not feed["more"]:
                return seen

    def _change(self, c: dict) -> None:
        """A transition: the first instant of each status goes into the entity's stamps."""
        if c["entity_kind"] == "order" and c["entity_id"] in self.orders:
            order = self.orders[c["entity_id"]]
            order.timeline.append((c["at"], c["from"], c["to"], c["cause"]))
            stamp = STAMP.get(c["to"])
            if stamp and c["from"] != c["to"]:
                order.stamps.setdefault(stamp, c["at"])
        elif c["entity_kind"] == "return" and c["entity_id"] in self.returns:
            stamp = RETURN_STAMP.get(c["to"])
            if stamp and c["from"] != c["to"]:
                self.returns[c["entity_id"]].stamps.setdefault(stamp, c["at"])

    def _order_view(self, view: dict) -> None:
        order = self.orders.get(view["order_id"])
        if order is None:
            return
        self.dirty_orders.add(order.order_id)
        order.status = view["status"]
        order.ajio_cancelled = view.get("cancelled_by") == "AJIO"
        order.lines = view["lines"]
        order.manifest_id = view["manifest_id"]
        order.returns = view["return_order_ids"]
        if view.get("po_date") and "po" not in order.stamps:
            order.stamps["po"] = view["po_date"]
        for doc in view["documents"]:
            if doc["document_id"] not in order.documents:
                order.documents[doc["document_id"]] = doc["kind"]
                order.doc_issued[doc["document_id"]] = self.now
                self.doc_index[doc["document_id"]] = (doc["kind"], order.order_id)
        self._promise(order)
        if order.status in ("DISPATCHED", "DELIVERED", "RTO") and not order.shipped:
            order.shipped = True
            for line in order.lines:
                if _committed(line, self.cfg.model):
                    self.on_hand[line["sku"]] = self.on_hand.get(line["sku"], 0) - open_units(line)

    def _return_view(self, view: dict) -> None:
        ret = self.returns.get(view["return_order_id"])
        if ret is None:
            ret = Return(view["return_order_id"], view["order_id"], view["return_type"], view["status"],
                         view["return_date"])
            self.returns[ret.return_order_id] = ret
        self.dirty_returns.add(ret.return_order_id)
        ret.status = view["status"]
        ret.items = view["items"]
        ret.credit_note_number = view["credit_note_number"]
        if ret.credit_note_number and view["credit_note_due_at"] is not None:
            ret.stamps.setdefault("credit_note", view["credit_note_due_at"])  # issued when it fell due
        if view["putaway_at"] is not None:
            ret.stamps.setdefault("processed", view["putaway_at"])
        for doc in view["documents"]:
            if doc["document_id"] not in ret.documents:
                ret.documents[doc["document_id"]] = doc["kind"]
                ret.doc_issued[doc["document_id"]] = self.now
                self.doc_index[doc["document_id"]] = (doc["kind"], ret.order_id)
        if ret.status == "RETURN_PROCESSED" and not ret.restocked:
            ret.restocked = True  # good units are back on the shelf (seed 000 point 16)
            for item in ret.items:
                good = (item.get("qc") or {}).get("good", 0)
                self.on_hand[item["sku"]] = self.on_hand.get(item["sku"], 0) + good

    def _rsi_view(self, view: dict) -> None:
        """VMS, RSI model: AJIO issued an RSI over returns; the seller must accept it."""
        number = view["rsi_number"]
        if number not in self.rsis:
            self.rsis[number] = {"issued": view["created_at"], "returns": view["return_order_ids"]}
            self.new_rsis.append(number)
            owner = next((self.returns[r].order_id for r in view["return_order_ids"] if r in self.returns), None)
            self.doc_index[view["document_id"]] = ("rsi", owner)
        self.rsis[number]["accepted"] = view["accepted_at"]

    # -- the warehouse -----------------------------------------------------------------------------
    def _promise(self, order: Order) -> None:
        """Keep the warehouse's promised units in step with the order (kept per order: a month of orders
        is too many to add up again at every tick)."""
        now: dict[str, int] = {}
        promised = {"jit": JIT_PROMISED, "vms": VMS_PROMISED}.get(self.cfg.model, PROMISED)
        if order.status in promised:
            for line in order.lines:
                if _committed(line, self.cfg.model):
                    now[line["sku"]] = now.get(line["sku"], 0) + open_units(line)
        if now == order.promised:
            return
        for sku, units in order.promised.items():
            self._promised[sku] -= units
        for sku, units in now.items():
            self._promised[sku] = self._promised.get(sku, 0) + units
        order.promised = now

    def promised(self) -> dict[str, int]:
        return {sku: units for sku, units in self._promised.items() if units}

    def sellable(self) -> dict[str, int]:
        """What the seller may sell per SKU: on hand, less what acknowledged orders still wait for."""
        return {sku: max(0, self.on_hand.get(sku, 0) - self._promised.get(sku, 0)) for sku in self.skus}

    def write_warehouse(self) -> dict[str, int]:
        stock = self.sellable()
        data = {"default_stock": 0, "stock": stock, "qc": self.qc, "unexpected_rto": self.unexpected_rto,
                "now": self.now}  # the seller's clock: a connector's "once a day" counts simulated days
        if self.cfg.model in UNPICKED:  # orders the warehouse cannot pick whole: what it can pick of each SKU short
            pickable = {}
            for order in (self.orders[o] for o in self.missing):
                gone = still_missing(self, order) if order.status in UNPICKED[self.cfg.model] else {}
                if gone:
                    pickable[order.order_id] = {sku: _needs(order, sku) - left for sku, left in gone.items()}
            data["pickable"] = pickable
        if self.cfg.model == "jit":  # the channel's configuration (seed 001), as the reference connector reads it
            data["settings"] = {"prepack": self.cfg.jit_prepack, "box_capacity": self.cfg.jit_box_capacity or None}
        tmp = self.warehouse_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(self.warehouse_path)
        return stock

    def env(self) -> dict[str, str]:
        return {"AJIO_BASE_URL": self.base_url, "AJIO_MODEL": self.cfg.model, "AJIO_USERNAME": self.pob_id,
                "AJIO_PASSWORD": self.pob["password"], "AJIO_STATE_DIR": str(self.state_dir),
                "AJIO_WAREHOUSE": str(self.warehouse_path), "AJIO_POLL_SECONDS": str(self.cfg.poll_seconds),
                # The simulated clock, for a connector that needs "now" (VMS: date filters, the hold).
                "AJIO_CLOCK_URL": f"{self.base_url}/_sim/clock",
                **({"AJIO_VMS_EINVOICE_MODEL": self.cfg.vms_einvoice_model,
                    "AJIO_VMS_RETURN_MODEL": self.cfg.vms_return_model,
                    "AJIO_VMS_ACK_HOLD_SECONDS": str(self.cfg.vms_ack_hold)} if self.cfg.model == "vms" else {})}

    # -- acting on the world -----------------------------------------------------------------------
    def place(self, fates: list[Fate], seed: int) -> None:
        body = {"pob_id": self.pob_id, "count": len(fates), "seed": seed}
        if self.cfg.carrier:  # one courier for every order (a manifest takes one carrier's shipments)
            body["carrier"] = self.cfg.carrier
        ids = self.control.call("POST", "/orders", body, expect=201)["order_ids"]
        for order_id, f in zip(ids, fates):
            self.orders[order_id] = Order(order_id, f.index, f, self.now)
            self.by_index[f.index] = order_id
            self.dirty_orders.add(order_id)

    def event(self, order: Order, what: str, path: str, body: dict | None = None) -> dict | None:
        """A customer's or courier's event; AJIO may refuse it (too late), which is noted, not an error."""
        try:
            answer = self.control.call("POST", path, body or {})
        except StepFailed as exc:
            order.notes.append(f"{_iso(self.now)} {what}: refused by AJIO ({_short(exc)})")
            return None
        order.notes.append(f"{_iso(self.now)} {what}")
        return answer

    def moderate(self, sku: str, status: str) -> None:
        """JIT: AJIO's catalog team holds a SKU in moderation (PENDING) or approves it."""
        self.control.call("POST", "/jit/moderation", {"pob_id": self.pob_id, "sku": sku, "moderation_status": status})
        (self.pending.add if status == "PENDING" else self.pending.discard)(sku)

    def advance_to(self, instant: int) -> None:
        if instant > self.now:
            self.control.call("POST", "/clock/advance", {"seconds": instant - self.now})
            self.now = instant

    def lose(self, order: Order, sku: str, units: int) -> None:
        """The warehouse cannot pick `units` of `sku` for an acknowledged order (lost, damaged, not found)."""
        need = self.missing_need.setdefault(order.order_id, {})
        need.setdefault(sku, _needs(order, sku))
        lost = self.missing.setdefault(order.order_id, {})
        lost[sku] = min(need[sku], lost.get(sku, 0) + units)

    def deliver_postings(self) -> None:
        """Model 1: send the ERP postings due now; the stand-in ERP answers them (its e-invoice, its credit
        note) before the call returns, so the connector's next run sees them. An ERP under test may answer
        first and post later: the soak then waits, in wall time, until it has posted what it owes or has
        been quiet for `erp_quiet_seconds` (what is still owed then is judged in simulated time)."""
        if self.erp is None:
            return
        if self.erp_watch is not None:
            self.erp_watch.now = self.now
        answer = self.control.call("POST", "/erp/deliver", {})
        if self.erp_watch is not None and (answer.get("attempted") or self.tap.erp_retries_owed()):
            self.erp_watch.settle(self)

    def stop(self) -> None:
        try:
            self.control.close()
            if self.erp is not None:
                self.erp_outcome = self.erp.stop_all()
            if self.erp_watch is not None:
                self.erp_watch.gateway.close()
        finally:
            self.server.stop()


def _needs(order: Order, sku: str) -> int:
    return sum(open_units(l) for l in order.lines if l["sku"] == sku)


def still_missing(world, order: Order) -> dict[str, int]:
    """What the warehouse still cannot pick of an order, per SKU: the units it lost less those the order
    stopped needing since (cancelled). A warehouse's own view: an order cancelled down to what is on the
    shelf lacks nothing."""
    out = {}
    need = getattr(world, "missing_need", {}).get(order.order_id, {})
    for sku, lost in world.missing.get(order.order_id, {}).items():
        now = _needs(order, sku)
        left = min(now, lost - (need.get(sku, now) - now))
        if left > 0:
            out[sku] = left
    return out


def _short(exc: Exception) -> str:
    text = str(exc)
    try:
        body = json.loads(text[text.index("{"):])
        return f"{body.get('error_code')}: {body.get('error_message')}"[:200]
    except (ValueError, AttributeError):
        return text[:200]


def _iso(epoch: int) -> str:
    from datetime import datetime, timedelta, timezone
    return datetime.fromtimestamp(epoch, timezone(timedelta(hours=5, minutes=30))).strftime("%Y-%m-%d %H:%M IST")
