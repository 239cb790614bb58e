"""The soak's invariants: what must hold of the connector's work, checked tick by tick and at the end.

Each invariant names the rulebook ids it checks (contracts/rules/*.yaml); each violation names the one
it broke, the order (or return, SKU, call) and the simulated instant it was found. Deadlines are in
simulated time and are judged after the connector's last run before them, so how fast the connector
runs in wall-clock time never changes a verdict; only Retry-After, which a connector waits in its own
time, is also judged on the wall clock (docs/soak.md).
"""
from __future__ import annotations

import heapq
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

from harness.soak.config import SoakConfig, _h, _t
from harness.soak.stock import StockBounds
from harness.soak.tap import Call
from harness.soak.world import Order, SoakWorld, open_units

DETAILED = 100   # violations kept in full per invariant; the rest are counted


@dataclass(frozen=True)
class Invariant:
    key: str
    title: str
    rules: tuple[str, ...]


INVARIANTS = (
    Invariant("ack-in-time", "every order is acknowledged or cancelled within the acknowledgement SLA",
              ("DS-ACK-WITHIN-SLA",)),
    Invariant("dispatch-in-time", "what was acknowledged is invoiced, labelled and manifested within the dispatch SLA",
              ("DS-DISPATCH-WITHIN-SLA",)),
    Invariant("final-state", "every order reaches a final state (cancelled, delivered, or returned to origin)",
              ("DS-ACK-WITHIN-SLA", "DS-DISPATCH-WITHIN-SLA", "DS-RTO-CREATE-ONLY-UNEXPECTED")),
    Invariant("no-refusal", "never an illegal move: AJIO refuses no call of the connector",
              ("the refusal's own rule",)),
    Invariant("processed-once", "an order's step AJIO confirmed is never done again", ("API-ORDER-LISTED-AGAIN",)),
    Invariant("ack-within-stock", "a confirmation only for units the warehouse has to promise (no unit to two "
              "orders), a seller cancellation only for units it lacked or lost", ("DS-ACK-WHAT-IS-IN-STOCK",)),
    Invariant("lost-stock-cancelled", "an order whose units the warehouse lost after the confirmation is cancelled "
              "before it is invoiced", ("DS-ACK-WHAT-IS-IN-STOCK",)),
    Invariant("inventory", "after each inventory sync AJIO's stock equals the warehouse's, and only changed SKUs "
              "are pushed", ("DS-INVENTORY-REFLECTS-WAREHOUSE", "DS-INVENTORY-CHANGED-ONLY", "INVENTORY-ABSOLUTE-MAX-50")),
    Invariant("status-sync", "the courier's pickup and delivery of each order are learnt (re-read by id, and its "
              "tracking read) in time", ("DS-STATUS-SYNC", "DS-TRACKING-SYNC")),
    Invariant("returns-put-away", "every RTO and customer return that reached the warehouse is put away in time, "
              "with the QC the warehouse found", ("DS-CIR-PUTAWAY", "DS-RTO-CREATE-ONLY-UNEXPECTED", "DS-PUTAWAY-GOOD-BAD")),
    Invariant("credit-notes", "every credit note is fetched, with its PDF, in time", ("DS-CREDIT-NOTE-FETCHED",)),
    Invariant("documents", "documents are fetched for every invoiced, labelled and manifested order, each once",
              ("DS-PO-FETCHED", "DS-INVOICE-PDF-FETCHED", "DS-LABEL-DOCUMENTS-FETCHED", "DS-MANIFEST-FETCHED")),
    Invariant("manifest-size", "no manifest carries more than 250 shipments", ("MANIFEST-MAX-250",)),
    Invariant("retry-after", "a throttled call waits the announced Retry-After", ("API-THROTTLE-RETRY-AFTER",)),
    Invariant("expired-token", "no call with a token AJIO refused (401)", ("AUTH-TOKEN-30-MIN",)),
    Invariant("logins", "at most two logins a run (one, and one more after a 401)", ("AUTH-LOGIN-SPARINGLY",)),
    Invariant("transient-retried", "a call that failed in transit is retried, a bounded number of times",
              ("API-RETRY-TRANSIENT",)),
)
BY_KEY = {i.key: i for i in INVARIANTS}
# Rules a dedicated invariant judges: their refusals are reported there. A manifest's size is judged from
# its body (every manifest, refused or not), so its refusal adds nothing.
_OWN_INVARIANT = {"INVENTORY-ABSOLUTE-MAX-50": "inventory", "AUTH-TOKEN-30-MIN": "expired-token"}
_JUDGED_FROM_THE_REQUEST = {"MANIFEST-MAX-250"}
# Answers that are AJIO's normal word, not a refusal of a wrong move.
_NORMAL = {("GET", "creditNote", 409)}
DOC_RULES = {"purchase_order": "DS-PO-FETCHED", "b2b_invoice": "DS-INVOICE-PDF-FETCHED",
             "label": "DS-LABEL-DOCUMENTS-FETCHED", "b2c_invoice": "DS-LABEL-DOCUMENTS-FETCHED",
             "manifest": "DS-MANIFEST-FETCHED"}
_ORDER_STEP = re.compile(r"^/ds/orders/([^/]+)/(invoice|label)$")
_ORDER_PATH = re.compile(r"^/(?:ds|jit|vms)/orders/([^/]+)/[A-Za-z]+$")   # a call about one order
_TRACKING = re.compile(r"^/ds/orders/([^/]+)/tracking$")
_QC = re.compile(r"^/ds/returns/([^/]+)/qc$")
_ORDERS_READ = re.compile(r"^/(?:ds|jit)/orders$")
_IDS = re.compile(r"(?:^|&)orderIds=([^&]*)")
MAX_ATTEMPTS = 10  # more attempts than this at one failing call in one tick is hammering
MAX_LOGINS = 2     # successful logins a run may make: its first, and one after AJIO refused its token


@dataclass
class Violation:
    invariant: str
    rule_id: str
    tick: int
    at: int
    subject: str | None
    what: str
    expected: str
    actual: str
    order_id: str | None = None
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"invariant": self.invariant, "rule_id": self.rule_id, "tick": self.tick, "at": self.at,
                "subject": self.subject, "order_id": self.order_id, "what": self.what, "expected": self.expected,
                "actual": self.actual, **({"details": self.details} if self.details else {})}


@dataclass
class Tally:
    checks: int = 0
    violations: int = 0
    kept: list[Violation] = field(default_factory=list)


class Checker(StockBounds):
    """Feeds on each tick's calls and the world's changes; keeps deadlines in heaps so each order is
    judged once per deadline, not on every tick. Dropship's; harness/soak/jit.py's JitChecker is JIT's."""

    invariants = INVARIANTS
    once_rule = "API-ORDER-LISTED-AGAIN"   # what a step done twice breaks
    doc_rules = {**DOC_RULES, "credit_note": "DS-CREDIT-NOTE-FETCHED"}   # a document's kind -> who wants it once
    noun = "order"
    stock_key, stock_rule, missing_key = "ack-within-stock", "DS-ACK-WHAT-IS-IN-STOCK", "lost-stock-cancelled"
    unpicked, picked_stamp, acknowledged_word = ("CONFIRMED",), "invoiced", "confirmed"
    qc_path, qc_field, qc_rule = _QC, "qc_code", "DS-PUTAWAY-GOOD-BAD"   # a returned parcel's QC, and its rule
    ship_steps = "invoiced, labelled and manifested"

    def __init__(self, cfg: SoakConfig, world: SoakWorld) -> None:
        self.cfg = cfg
        self.world = world
        self.tally = {i.key: Tally() for i in self.invariants}
        self.first: Violation | None = None
        self._deadlines: list[tuple[int, int, str, str]] = []   # (due, seq, kind, id)
        self._seq = 0
        self._scheduled: set[tuple[str, str]] = set()
        self.fetched_docs: dict[str, int] = {}                # document id -> tick of its first fetch
        self.refetched_docs: set[str] = set()
        self.credit_notes_read: set[str] = set()
        self.dead_tokens: dict[str, int] = {}                 # token fingerprint -> call AJIO refused it in
        self.reused_tokens: set[str] = set()
        self.step_done: dict[tuple[str, str], int] = {}       # (order, step) -> tick AJIO confirmed it
        self.came_back: dict[str, int] = {}                    # unexpected RTO parcels: order -> instant
        self.stock_wrong_since: dict[str, int] = {}            # SKU -> first instant AJIO's count differed
        self.last_read: dict[str, int] = {}                    # order -> last instant re-read by id (status sync)
        self.last_tracked: dict[str, int] = {}                 # order -> last instant its tracking was read
        self.final_reads: dict[str, list | None] = {}          # order -> runs that read it once final (None: judged)
        self.repeats_of_lost: set[int] = set()                 # calls (seq) repeating one whose answer was lost
        self._stock_state()

    # -- bookkeeping ---------------------------------------------------------------------------------
    def check(self, key: str, n: int = 1) -> None:
        self.tally[key].checks += n

    def violate(self, key: str, rule_id: str, tick: int, at: int, subject: str | None, what: str,
                expected: str, actual: str, order_id: str | None = None) -> None:
        v = Violation(key, rule_id, tick, at, subject, what, expected, actual, order_id)
        t = self.tally[key]
        t.violations += 1
        if len(t.kept) < DETAILED:
            t.kept.append(v)
        if self.first is None or (v.tick, v.at) < (self.first.tick, self.first.at):
            self.first = v

    @property
    def total(self) -> int:
        return sum(t.violations for t in self.tally.values())

    def _due(self, due: int, kind: str, ident: str) -> None:
        if (kind, ident) in self._scheduled:
            return
        self._scheduled.add((kind, ident))
        self._seq += 1
        heapq.heappush(self._deadlines, (due, self._seq, kind, ident))

    # -- what the world did --------------------------------------------------------------------------
    def world_changed(self) -> None:
        """Schedule the deadlines that changes since the last call opened (cheap: only new stamps)."""
        cfg, world = self.cfg, self.world
        orders, world.dirty_orders = world.dirty_orders, set()
        rets, world.dirty_returns = world.dirty_returns, set()
        for order in (world.orders[o] for o in orders):
            if ("ack", order.order_id) not in self._scheduled:
                self._due(order.placed_at + cfg.ack_sla, "ack", order.order_id)
            if order.confirmed_units:
                self._due(order.placed_at + cfg.dispatch_sla, "ship", order.order_id)
            self._documents_and_courier_due(order)
            self.judge_missing(order)
        for ret in (world.returns[r] for r in rets):
            if "arrived" in ret.stamps:
                self._due(ret.stamps["arrived"] + cfg.putaway_sla, "putaway", ret.return_order_id)
            if "credit_note" in ret.stamps:
                self._due(ret.stamps["credit_note"] + cfg.credit_note_sla, "credit", ret.return_order_id)
        for order_id, at in self.came_back.items():
            self._due(at + cfg.putaway_sla, "unexpected", order_id)

    def _documents_and_courier_due(self, order: Order) -> None:
        """Deadlines every model's order has: each document's fetch, learning its pickup and its delivery."""
        cfg = self.cfg
        for doc_id, issued in order.doc_issued.items():
            if order.documents[doc_id] in self.doc_rules:
                self._due(issued + cfg.documents_sla, "doc", f"{order.order_id}|{doc_id}")
        for stamp in ("dispatched", "delivered"):
            if stamp in order.stamps:
                self._due(order.stamps[stamp] + cfg.status_sync_sla, stamp, order.order_id)

    def parcel_came_back(self, order_id: str, at: int) -> None:
        self.came_back[order_id] = at

    # -- deadlines -----------------------------------------------------------------------------------
    def deadlines(self, tick: int, now: int, next_run: int) -> None:
        """Judge every deadline the connector can no longer meet: due before its next run."""
        while self._deadlines and self._deadlines[0][0] < next_run:
            due, _, kind, ident = heapq.heappop(self._deadlines)
            getattr(self, f"_deadline_{kind}")(tick, now, due, ident)

    def _deadline_ack(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        self.check("ack-in-time")
        acked = order.stamps.get("acknowledged")
        cancelled = order.stamps.get("cancelled")
        if acked is not None and acked <= due:
            return
        if cancelled is not None and cancelled <= due and order.cancelled_by != "AJIO":
            return
        state = ("cancelled by AJIO for want of an acknowledgement" if order.cancelled_by == "AJIO"
                 else f"acknowledged only at {_t(acked)}" if acked else f"still {order.status}")
        self.violate("ack-in-time", "DS-ACK-WITHIN-SLA", tick, due, order_id,
                     f"order {order_id} placed at {_t(order.placed_at)} not acknowledged or cancelled in time",
                     f"acknowledged or cancelled by {_t(due)} ({_h(self.cfg.ack_sla)} after placement)", state,
                     order_id)

    def ship_rule(self, order: Order) -> str:
        """The rule an order not manifested in time breaks (VMS names the step it is stuck at)."""
        return "DS-DISPATCH-WITHIN-SLA"

    def _deadline_ship(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        self.check("dispatch-in-time")
        manifested = order.stamps.get("manifested")
        if manifested is not None and manifested <= due:
            return
        if order.status == "CANCELLED" and order.stamps.get("cancelled", due + 1) <= due:
            return
        if not order.confirmed_units and order.status == "CANCELLED":
            return
        po = order.stamps.get("po")
        if po is None or po > due - 2 * 3600:
            return  # AJIO's PO came too late for anyone to ship in time: AJIO's doing, not the connector's
        self.violate("dispatch-in-time", self.ship_rule(order), tick, due, order_id,
                     f"order {order_id} placed at {_t(order.placed_at)} (PO at {_t(po)}) not manifested in time",
                     f"{self.ship_steps} by {_t(due)} ({_h(self.cfg.dispatch_sla)} after the order)",
                     f"manifested at {_t(manifested)}" if manifested else f"still {order.status}", order_id)

    def _deadline_dispatched(self, tick, now, due, order_id) -> None:
        """Dropship: a shipment's pickup is learnt by a re-read by id and its milestones by its tracking."""
        order = self.world.orders[order_id]
        self.check("status-sync")
        at = order.stamps["dispatched"]
        missing = [(rule, what) for rule, what, seen in (
            ("DS-STATUS-SYNC", "re-read by id (GET /ds/orders?orderIds=)", self.last_read.get(order_id, -1) >= at),
            ("DS-TRACKING-SYNC", "its tracking read (GET /ds/orders/{id}/tracking)",
             self.last_tracked.get(order_id, -1) >= at)) if not seen]
        for rule, what in missing:
            self.violate("status-sync", rule, tick, due, order_id,
                         f"order {order_id} picked up by the courier at {_t(at)}: not {what} since",
                         f"{what} by {_t(due)} ({_h(self.cfg.status_sync_sla)} after)", "not done", order_id)

    def _deadline_delivered(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        self.check("status-sync")
        at = order.stamps["delivered"]
        if self.last_read.get(order_id, -1) >= at or self.last_tracked.get(order_id, -1) >= at:
            return
        self.violate("status-sync", "DS-STATUS-SYNC", tick, due, order_id,
                     f"order {order_id} delivered at {_t(at)} and neither re-read nor tracked since",
                     f"its delivery learnt by {_t(due)} ({_h(self.cfg.status_sync_sla)} after)", "not learnt",
                     order_id)

    def _deadline_doc(self, tick, now, due, ident) -> None:
        order_id, doc_id = ident.split("|", 1)
        order = self.world.orders[order_id]
        kind = order.documents[doc_id]
        self.check("documents")
        if doc_id in self.fetched_docs:
            return
        self.violate("documents", self.doc_rules[kind], tick, due, doc_id,
                     f"{kind} {doc_id} of {self.noun} {order_id} never fetched",
                     f"GET /documents/{doc_id} answered 200 by {_t(due)}", "not fetched", order_id)

    def _deadline_putaway(self, tick, now, due, return_id) -> None:
        ret = self.world.returns[return_id]
        self.check("returns-put-away")
        done = ret.stamps.get("processed")
        if done is not None and done <= due:
            return
        rule = "DS-CIR-PUTAWAY" if ret.return_type == "CUSTOMER_RETURN" else "DS-RTO-CREATE-ONLY-UNEXPECTED"
        self.violate("returns-put-away", rule, tick, due, return_id,
                     f"{ret.return_type} {return_id} of order {ret.order_id} arrived at {_t(ret.stamps['arrived'])} "
                     f"and was not put away in time", f"QC (putaway) by {_t(due)}",
                     f"put away at {_t(done)}" if done else f"still {ret.status}", ret.order_id)

    def _deadline_unexpected(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        self.check("returns-put-away")
        processed = [self.world.returns[r] for r in order.returns if r in self.world.returns
                     and self.world.returns[r].stamps.get("processed", due + 1) <= due]
        if order.status == "RTO" and processed:
            return
        self.violate("returns-put-away", "DS-RTO-CREATE-ONLY-UNEXPECTED", tick, due, order_id,
                     f"order {order_id} came back to the warehouse at {_t(self.came_back[order_id])} without AJIO's "
                     f"RTO expectation and was not reported", f"an RTO created with its QC by {_t(due)}",
                     f"order {order.status}, returns {order.returns or 'none'}", order_id)

    def _deadline_credit(self, tick, now, due, return_id) -> None:
        ret = self.world.returns[return_id]
        self.check("credit-notes")
        doc = next((d for d, k in ret.documents.items() if k == "credit_note"), None)
        missing = [what for what, ok in (("GET creditNote answered 200", return_id in self.credit_notes_read),
                                         ("its PDF fetched", doc is not None and doc in self.fetched_docs)) if not ok]
        if not missing:
            return
        self.violate("credit-notes", "DS-CREDIT-NOTE-FETCHED", tick, due, return_id,
                     f"credit note {ret.credit_note_number} of {ret.return_type} {return_id} not fetched",
                     f"read and its PDF fetched by {_t(due)}", "missing: " + ", ".join(missing), ret.order_id)

    # -- the connector's calls -----------------------------------------------------------------------
    def calls(self, tick: int, now: int, calls: list[Call]) -> None:
        """Per-call invariants over one tick's calls of AJIO's API (in arrival order)."""
        ajio = [c for c in calls if c.ajio]
        by_key: dict[tuple, list[Call]] = defaultdict(list)
        for c in ajio:
            by_key[(c.method, c.path, _body_key(c))].append(c)
        self.check("no-refusal", len(ajio))
        logins = 0
        lost: set[tuple] = set()   # calls whose answer was lost in transit this run (AJIO may have applied them)
        self.repeats_of_lost = set()
        for c in ajio:
            if c.status == 0 or c.status >= 500 or c.cut:
                lost.add((c.method, c.path, c.request_body))
            elif 400 <= c.status < 500 and (c.method, c.path, c.request_body) in lost:
                self.repeats_of_lost.add(c.seq)
            self._token(c, now)
            if c.path.endswith("/authToken") and c.method == "POST" and c.status == 200:
                logins += 1
            if c.method == "GET" and c.status == 200 and not c.cut and not c.bad_body:
                self._read(c, now)
            if c.path.startswith("/documents/") and c.status == 200 and not c.cut:
                self._fetched(c, now)
            elif c.path.endswith("/creditNote") and c.status == 200 and not c.cut and not c.bad_body:
                self.credit_notes_read.add(c.path.split("/")[-2])
            if c.path.endswith(("/orders/dispatch", "/vms/manifests")) and c.method == "POST":
                self._manifest_size(c, now)
            if 400 <= c.status < 500 and c.status != 429 and not c.cut and not c.bad_body:
                self._refusal(c, now)
            if c.status == 429:
                self._retry_after(c, by_key, now)
            if c.method == "POST" and 200 <= c.status < 300 and not c.cut and self.qc_path.match(c.path):
                self._qc(c, now)
            if 200 <= c.status < 300 and not c.cut and not c.bad_body:
                self._processed_once(c, now)
        self._transient(tick, now, by_key)
        if self.stock_key:
            self.judge_stock(tick, now)
        if logins:
            self.check("logins")
        if logins > MAX_LOGINS:
            self.violate("logins", "AUTH-LOGIN-SPARINGLY", tick, now, "POST authToken",
                         f"{logins} logins in one run", f"at most {MAX_LOGINS} (a token lasts 30 minutes)",
                         f"{logins} POST authToken answered 200")

    def qc_wanted(self, found: str) -> str:
        """What the QC of a parcel must say, given what the warehouse found in it (Dropship: the same code)."""
        return found

    def _qc(self, c: Call, now: int) -> None:
        """The QC sent for a returned parcel is what the warehouse found in it (the soak decided it)."""
        ret = self.world.returns.get(self.qc_path.match(c.path).group(1))
        found = self.world.qc.get(ret.order_id) if ret is not None else None
        body = c.json_body()
        if found is None or not isinstance(body, dict) or not isinstance(body.get("items"), list):
            return
        self.check("returns-put-away")
        wanted = self.qc_wanted(found)
        sent = sorted({str(i.get(self.qc_field)) for i in body["items"] if isinstance(i, dict)})
        if sent and sent != [wanted]:
            self.violate("returns-put-away", self.qc_rule, c.tick, now, ret.return_order_id,
                         f"{ret.return_type} {ret.return_order_id} of order {ret.order_id} shared as "
                         f"{'/'.join(sent)}", f"the warehouse found it {found}: {wanted}",
                         f"{self.qc_field} {'/'.join(sent)} (call #{c.seq})", ret.order_id)

    def _read(self, c: Call, now: int) -> None:
        """Reads a status sync is made of: orders re-read by id, a shipment's tracking."""
        m = _TRACKING.match(c.path)
        if m:
            self.last_tracked[m.group(1)] = now
            return
        if _ORDERS_READ.match(c.path):
            ids = _IDS.search(c.query or "")
            for order_id in unquote(ids.group(1)).split(",") if ids else ():
                self.last_read[order_id] = now
                if c.path == "/ds/orders":
                    self._final_reread(c, order_id, now)

    def _final_reread(self, c: Call, order_id: str, now: int) -> None:
        """The other side of the status sync: a final order (delivered or cancelled) is read once more to learn
        it (a second run allowed: reread_once_final), and then left alone. An order back at origin
        is not judged: AJIO shows it DISPATCHED (docs/dropship.md), its return is how a connector learns it."""
        order = self.world.orders.get(order_id)
        if order is None:
            return
        final = min((order.stamps[s] for s in ("delivered", "cancelled") if s in order.stamps), default=None)
        if final is None or final > now:
            return
        if self.reread_once_final(order_id, c.tick):
            self.violate("status-sync", "DS-STATUS-SYNC", c.tick, now, order_id,
                         f"order {order_id}, final since {_t(final)}, re-read in a third run since",
                         "a final order left out of the status sync once learnt", f"re-read at {_t(now)}", order_id)

    def reread_once_final(self, order_id: str, tick: int) -> bool:
        """Whether this read of an order already final is one too many (once per order): the run that learns it
        may lose what it read to a later failure in the same phase (the reference connector reads all its
        chunks before it updates anything), so a second run reading it is allowed, a third is not. Retries
        within one run are one read (found by a 30-day soak: a customer's cancellation re-read after a throttle)."""
        ticks = self.final_reads.setdefault(order_id, [])
        if ticks is None or tick in ticks:
            return False
        ticks.append(tick)
        if len(ticks) < 3:
            return False
        self.final_reads[order_id] = None
        return True

    def doc_rule(self, doc_id: str) -> tuple[str | None, str | None]:
        """(the order a document belongs to, the rule that wants it fetched), if the soak knows it."""
        kind, order_id = getattr(self.world, "doc_index", {}).get(doc_id, (None, None))
        return order_id, self.doc_rules.get(kind)

    def _fetched(self, c: Call, now: int) -> None:
        """A document fetched: once is the duty; a fetch in a later run than the first is overdone (a retry
        in the same run is a retry)."""
        doc_id = c.path.rsplit("/", 1)[-1]
        first = self.fetched_docs.setdefault(doc_id, c.tick)
        if first == c.tick or doc_id in self.refetched_docs:
            return
        order_id, rule = self.doc_rule(doc_id)
        if rule is None:
            return
        self.refetched_docs.add(doc_id)
        self.violate("documents", rule, c.tick, now, doc_id, f"document {doc_id} of order {order_id} fetched again",
                     "each document fetched once and kept", f"fetched in tick {first}, again in tick {c.tick}",
                     order_id)

    def _token(self, c: Call, now: int) -> None:
        if c.token is None:
            return
        self.check("expired-token")
        refused_at = self.dead_tokens.get(c.token)
        if refused_at is not None and refused_at < c.seq and c.token not in self.reused_tokens:
            self.reused_tokens.add(c.token)  # one violation per refused token, however often it is sent again
            self.violate("expired-token", "AUTH-TOKEN-30-MIN", c.tick, now, f"{c.method} {c.path}",
                         f"{c.method} {c.path} sent with a token AJIO had refused with 401 (call #{refused_at})",
                         "a new login (POST authToken) after a 401", f"the refused token again, answered {c.status}")
        if c.status == 401:
            self.dead_tokens.setdefault(c.token, c.seq)

    def manifest_orders(self, c: Call) -> list | None:
        """The orders a manifest call carries (Dropship and JIT: its dispatchItems), None if unreadable."""
        body = c.json_body()
        items = body.get("dispatchItems") if isinstance(body, dict) else None
        return [i.get("orderId") if isinstance(i, dict) else None for i in items] if isinstance(items, list) else None

    def _manifest_size(self, c: Call, now: int) -> None:
        ids = self.manifest_orders(c)
        if ids is None:
            return
        self.check("manifest-size")
        if len(ids) > 250:
            self.violate("manifest-size", "MANIFEST-MAX-250", c.tick, now, f"POST {c.path}",
                         f"a manifest of {len(ids)} shipments", "at most 250 shipments per manifest",
                         f"{len(ids)} (answered {c.status})", next((i for i in ids if i), None))

    def _refusal(self, c: Call, now: int) -> None:
        if c.seq in self.repeats_of_lost:
            # The retry of a call whose answer was lost: AJIO may have applied the first attempt and now
            # refuses the repeat of a change that is not idempotent (a partial cancel). Whether too much was
            # changed is the business of the invariants that count units, not of this refusal.
            return
        tail = c.path.rsplit("/", 1)[-1]
        if (c.method, tail, c.status) in _NORMAL or c.status == 401:
            return
        rule = c.rule_id or "API-CONTRACT"
        if rule in _JUDGED_FROM_THE_REQUEST:
            return
        key = _OWN_INVARIANT.get(rule, "no-refusal")
        order_id = _order_of(c)
        answer = c.json_answer() if c.answer else None
        message = answer.get("error_message") if isinstance(answer, dict) else (c.answer or b"")[:200].decode(
            "utf-8", "replace")
        self.violate(key, rule, c.tick, now, f"{c.method} {c.path}", f"AJIO refused {c.method} {c.path}"
                     + (f" (order {order_id})" if order_id else ""), "a call AJIO accepts",
                     f"{c.status} {c.error_code}: {message}", order_id)

    def _retry_after(self, c: Call, by_key, now: int, key: tuple | None = None) -> None:
        try:
            wait = float(c.retry_after) if c.retry_after is not None else None
        except ValueError:
            wait = None
        if wait is None:
            return
        self.check("retry-after")
        later = [x for x in by_key[key or (c.method, c.path, _body_key(c))] if x.seq > c.seq]
        if not later:
            return  # not repeated in this tick: the next tick is at least a tick of simulated time later
        nxt = min(later, key=lambda x: x.seq)
        waited = nxt.wall - (c.wall + c.server_s)
        if waited + 0.01 >= wait:
            return
        self.violate("retry-after", "API-THROTTLE-RETRY-AFTER", c.tick, now, f"{c.method} {c.path}",
                     f"{c.method} {c.path} repeated {waited:.2f} s after a 429 announcing Retry-After {c.retry_after}",
                     f"the repeat at least {wait:g} s later (wall clock; simulated time stood still)",
                     f"{waited:.2f} s", _order_of(c))

    def steps(self, c: Call) -> list[tuple[str, str]]:
        return _steps(c)

    def _processed_once(self, c: Call, now: int) -> None:
        for order_id, step in self.steps(c):
            self.check("processed-once")
            first = self.step_done.get((order_id, step))
            if first is None:
                self.step_done[(order_id, step)] = c.seq
                continue
            self.violate("processed-once", self.once_rule, c.tick, now, order_id,
                         f"order {order_id}: {step} done again after AJIO had confirmed it (call #{first})",
                         f"one {step} per order", f"repeated by {c.method} {c.path} (call #{c.seq})", order_id)

    def _transient(self, tick: int, now: int, by_key) -> None:
        for key, calls in by_key.items():
            # A spoiled body counts on an answer the connector needed (2xx) or a 5xx; on a 4xx the status line
            # arrived whole and is AJIO's answer (a refusal, or the credit note's "not yet"): acting on it
            # alone, not retrying, is fair (found by a 30-day soak: a garbled 409 of GET creditNote).
            failed = [c for c in calls if c.status == 0 or c.status >= 500
                      or ((c.cut or c.bad_body) and not 400 <= c.status < 500)]
            if not failed:
                continue
            self.check("transient-retried")
            first = failed[0]
            retried = any(c.seq > first.seq for c in calls)
            if not retried:
                self.violate("transient-retried", "API-RETRY-TRANSIENT", tick, now, f"{first.method} {first.path}",
                             f"{first.method} {first.path} failed in transit ({_failure(first)}) and was not "
                             f"tried again", "a retry in the same sync", "given up at the first failure",
                             _order_of(first))
            elif len([c for c in calls if c.seq >= first.seq]) > MAX_ATTEMPTS:
                self.violate("transient-retried", "API-RETRY-TRANSIENT", tick, now, f"{first.method} {first.path}",
                             f"{first.method} {first.path} hammered after a failure", f"at most {MAX_ATTEMPTS} attempts",
                             f"{len(calls)} attempts in one sync", _order_of(first))

    # -- inventory -----------------------------------------------------------------------------------
    def inventory(self, tick: int, now: int, before: dict[str, int], warehouse: dict[str, int],
                  calls: list[Call]) -> None:
        """AJIO's stock as the tick's inventory calls left it (the counts before them, overwritten by each line
        AJIO accepted) must equal what the warehouse said this tick. A sync that AJIO's bad moment spoiled is
        forgiven: a SKU is a violation once it has differed for inventory_sla."""
        after = dict(before)
        needless: list[str] = []
        for c in calls:
            if c.method != "POST" or not c.path.endswith("/updateInventory") or not 200 <= c.status < 300:
                continue
            answer = c.json_answer()
            for line in (answer.get("success") or []) if isinstance(answer, dict) else []:
                if before.get(line["sku"]) == line["quantity"] == warehouse.get(line["sku"]):
                    needless.append(line["sku"])   # AJIO had that count and the warehouse did not change it
                after[line["sku"]] = line["quantity"]
        if needless:
            self.violate("inventory", "DS-INVENTORY-CHANGED-ONLY", tick, now, needless[0],
                         f"{len(needless)} SKU(s) pushed whose count had not changed",
                         "only the SKUs whose count differs from AJIO's", ", ".join(sorted(set(needless))[:5]))
        self.check("inventory", len(warehouse))
        wrong = {sku: (after.get(sku), qty) for sku, qty in warehouse.items() if after.get(sku) != qty}
        for sku in list(self.stock_wrong_since):
            if sku not in wrong:
                del self.stock_wrong_since[sku]
        late = []
        for sku in wrong:
            since = self.stock_wrong_since.setdefault(sku, now)
            if now - since >= self.cfg.inventory_sla:
                late.append(sku)
                self.stock_wrong_since[sku] = now  # the next violation of this SKU after another SLA
        if late:
            sample = ", ".join(f"{sku}: AJIO {wrong[sku][0]} / warehouse {wrong[sku][1]}" for sku in late[:5])
            self.violate("inventory", "DS-INVENTORY-REFLECTS-WAREHOUSE", tick, now, late[0],
                         f"after the inventory sync AJIO's stock of {len(late)} SKU(s) still differs from the "
                         f"warehouse's ({_h(self.cfg.inventory_sla)} or more)",
                         "every SKU at the warehouse's sellable count", sample)

    # -- the end -------------------------------------------------------------------------------------
    def settle(self, tick: int, now: int) -> None:
        """At the end of the run, also of one replayed up to a violation: what only the simulator's journal
        knows (a model's checker reads it here; Dropship and JIT need nothing)."""

    def finish(self, tick: int, now: int) -> None:
        """Every deadline due by now is judged (later ones fell after the soak: nobody could meet them yet);
        then every order must be in a final state, or waiting on the world (a courier, AJIO's PO)."""
        self.deadlines(tick, now, now + 1)
        for order in self.world.orders.values():
            self.check("final-state")
            problem = _not_final(order, self.world)
            if problem:
                rule, state = problem
                self.violate("final-state", rule, tick, now, order.order_id,
                             f"order {order.order_id} placed at {_t(order.placed_at)} did not reach a final state",
                             "cancelled, delivered (returns processed) or returned to origin (put away)", state,
                             order.order_id)


def _not_final(order: Order, world: SoakWorld) -> tuple[str, str] | None:
    status = order.status
    if status == "CREATED":
        return "DS-ACK-WITHIN-SLA", "still waiting for acknowledgement"
    if status in ("CONFIRMED", "INVOICED", "PACKED") and "po" in order.stamps:
        return "DS-DISPATCH-WITHIN-SLA", f"still {status}"
    open_returns = [world.returns[r] for r in order.returns if r in world.returns
                    and world.returns[r].status not in ("RETURN_PROCESSED", "RETURN_CANCELLED")]
    arrived = [r for r in open_returns if r.status == "RETURN_DELIVERED"]
    if arrived:
        r = arrived[0]
        rule = "DS-CIR-PUTAWAY" if r.return_type == "CUSTOMER_RETURN" else "DS-RTO-CREATE-ONLY-UNEXPECTED"
        return rule, f"{r.return_type} {r.return_order_id} arrived and not put away"
    return None


def _steps(c: Call) -> list[tuple[str, str]]:
    """(order, step) pairs a successful call did: acknowledgement, invoice, label, manifest."""
    m = _ORDER_STEP.match(c.path)
    if m and c.method == "POST":
        return [(m.group(1), m.group(2))]
    if c.method == "POST" and c.path.endswith("/orders/dispatch"):
        body, answer = c.json_body(), c.json_answer()
        failed = {f.get("orderId") for f in (answer or {}).get("failedDispatchItems", []) if isinstance(f, dict)} \
            if isinstance(answer, dict) else set()
        items = body.get("dispatchItems", []) if isinstance(body, dict) else []
        return [(i["orderId"], "manifest") for i in items if isinstance(i, dict) and i.get("orderId") not in failed]
    if c.method == "POST" and re.fullmatch(r"/ds/orders", c.path):
        body, answer = c.json_body(), c.json_answer()
        if isinstance(body, dict) and body.get("status") == "Acknowledge" and isinstance(answer, dict) \
                and answer.get("success"):
            return [(body.get("order_id"), "acknowledgement")]
    return []


def _body_key(c: Call) -> str:
    """What tells two calls on one path apart: the order of an acknowledgement, the query of a read."""
    if c.method == "POST" and c.path.endswith("/ds/orders"):
        body = c.json_body()
        return f"{body.get('order_id')}:{body.get('status')}" if isinstance(body, dict) else ""
    if c.method == "POST" and c.path.endswith("/orders/dispatch"):
        body = c.json_body()
        items = body.get("dispatchItems", []) if isinstance(body, dict) else []
        return ",".join(sorted(str(i.get("orderId")) for i in items if isinstance(i, dict)))
    return c.query if c.method == "GET" else ""


def _order_of(c: Call) -> str | None:
    m = _ORDER_PATH.match(c.path)
    if m:
        return m.group(1)
    body = c.json_body() if c.request_body else None
    if isinstance(body, dict):
        if body.get("order_id"):
            return str(body["order_id"])
        items = body.get("dispatchItems")
        if isinstance(items, list) and items and isinstance(items[0], dict):
            return items[0].get("orderId")
    m = re.search(r"orderIds=([A-Z0-9]+)", c.query or "")
    return m.group(1) if m else None


def _failure(c: Call) -> str:
    if c.status == 0:
        return "no answer: connection reset"
    if c.cut:
        return f"{c.status}, body cut on the wire"
    if c.bad_body:
        return f"{c.status} with a body no JSON parser accepts"
    return f"{c.status} {c.error_code or ''}".strip()




def dumps(v: Violation) -> str:
    return json.dumps(v.as_dict())


__all__ = ["Checker", "INVARIANTS", "BY_KEY", "Violation", "open_units"]
