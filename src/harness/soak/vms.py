"""VMS invariants: what a month of B2C orders asks of a VMS integration layer (seed 002), checked tick by tick.

The connector under test plays Increff's VMS layer: it holds each acknowledgement for the hold, then
acknowledges what the warehouse soft-reserved and cancels what it lacks, fetches the B2B PO, e-invoices
(model 2, RMS; in model 1 the soak's stand-in ERP does), fetches the packing documents, manifests at
handover, shares QC of every return, asks for an RTO when a parcel comes back unannounced, and posts
credit notes (model 2) or accepts AJIO's RSIs. The warehouse (the soak) says per SKU what may still be
acknowledged (`stock`) and per acknowledged order it cannot pick whole what it can pick (`pickable`): the
connector cancels the rest (model 2: those units; model 1: the whole order once its e-invoice exists). Both
sides of that are harness/soak/stock.py's, shared with Dropship.
"""
from __future__ import annotations

import re

from harness.soak.erp import ERP_INVARIANTS, ErpJudge
from harness.soak.invariants import INVARIANTS as DS_INVARIANTS
from harness.soak.invariants import Checker, Invariant, _h, _t
from harness.soak.tap import Call
from harness.soak.world import Order

_SHARED = ("no-refusal", "manifest-size", "retry-after", "expired-token", "logins", "transient-retried")
VMS_INVARIANTS = (
    Invariant("ack-hold", "no acknowledgement reaches AJIO before the order's hold ends", ("VMS-ACK-HOLD",)),
    Invariant("ack-in-time", "every order is acknowledged or cancelled soon after its hold ends",
              ("VMS-ACK-HOLD",)),
    Invariant("soft-reserved", "an acknowledgement only for units the warehouse could reserve, a seller "
              "cancellation only for units it lacked or could not pick", ("VMS-ACK-SOFT-RESERVED",)),
    Invariant("missing-cancelled", "items the warehouse could not pick are cancelled before packing (model 1: "
              "the whole order, once e-invoiced)", ("VMS-MODEL1-COMPLETE-CANCEL-ONLY", "VMS-MODEL2-PARTIAL-CANCEL")),
    Invariant("po-fetched", "the B2B PO of every acknowledged order is fetched in time, once",
              ("VMS-PO-AFTER-ACK",)),
    Invariant("dispatch-in-time", "what was acknowledged is invoiced (model 2), packed and manifested within the "
              "dispatch SLA", ("VMS-MODEL2-RMS-INVOICES", "VMS-PACK-DOCUMENTS", "VMS-MANIFEST-AT-HANDOVER")),
    Invariant("documents", "the B2C invoice and label of every packed order are fetched, and no document twice",
              ("VMS-PACK-DOCUMENTS",)),
    Invariant("returns-put-away", "every return that reached the warehouse has its QC shared in time, PASS or FAIL "
              "as the warehouse found it", ("VMS-QC-PASS-FAIL",)),
    Invariant("rto-request", "a parcel back without AJIO's expectation gets one RTO generation request, and no "
              "other order does", ("VMS-RTO-REQUEST",)),
    Invariant("credit-notes", "model 2, credit-note model: every processed return gets its credit note in time",
              ("VMS-CREDIT-NOTE-MODEL",)),
    Invariant("rsi-accepted", "RSI model: every RSI AJIO issues is accepted in time", ("VMS-RSI-MODEL",)),
    Invariant("final-state", "every order reaches a final state (cancelled, manifested and on, or back at origin)",
              ("VMS-ACK-HOLD", "VMS-MANIFEST-AT-HANDOVER", "VMS-QC-PASS-FAIL")),
    Invariant("processed-once", "a step AJIO confirmed (acknowledgement, manifest) is never sent again",
              ("API-CHANGE-SENT-ONCE",)),
    Invariant("document-dates", "every e-invoice and credit note (the layer's or the ERP's) is dated when it was "
              "made, with its true zone", ("VMS-DOCUMENT-DATE",)),
    *(i for i in DS_INVARIANTS if i.key in _SHARED),
)
DOC_RULES = {"label": "VMS-PACK-DOCUMENTS", "b2c_invoice": "VMS-PACK-DOCUMENTS",
             "purchase_order": "VMS-PO-AFTER-ACK", "manifest": "VMS-MANIFEST-AT-HANDOVER", "rsi": "VMS-RSI-MODEL"}
DUE_DOCS = ("label", "b2c_invoice")   # the documents a VMS layer owes a fetch (seed 002, at packing)
QC_STATUS = {"GOOD": "PASS"}          # what the warehouse found -> what it shares (anything else: FAIL)
_ORDER_CALL = re.compile(r"^/vms/orders/([^/]+)/(acknowledge|po|cancel|documents|b2bInvoice)$")
_QC = re.compile(r"^/vms/returns/([^/]+)/qc$")
# The postings that carry a document's date (invoiceDate, ackDate), by the VMS layer or the ERP.
_DATED = re.compile(r"^/(vms/orders/[^/]+/b2bInvoice|vms/returns/[^/]+/creditNote|ajio-vms/b2bInvoice/posting|"
                    r"ajio-vms/creditNote/posting)$")
DATE_RULE = "VMS-DOCUMENT-DATE"


def _ok(c: Call) -> bool:
    return 200 <= c.status < 300 and not c.cut and not c.bad_body


class VmsChecker(ErpJudge, Checker):
    invariants = VMS_INVARIANTS
    once_rule = "API-CHANGE-SENT-ONCE"
    doc_rules = DOC_RULES
    stock_key, stock_rule, missing_key = "soft-reserved", "VMS-ACK-SOFT-RESERVED", "missing-cancelled"
    unpicked, picked_stamp = ("ACKNOWLEDGED", "INVOICED"), "packed"
    qc_path, qc_field, qc_rule = _QC, "qcStatus", "VMS-QC-PASS-FAIL"
    ship_steps = "invoiced, packed and manifested"

    @property
    def whole_order_cancel(self) -> bool:
        return self.cfg.vms_einvoice_model == "erp"   # model 1: after the e-invoice, only the whole order

    def missing_rule(self) -> str:
        return "VMS-MODEL1-COMPLETE-CANCEL-ONLY" if self.whole_order_cancel else "VMS-MODEL2-PARTIAL-CANCEL"

    def __init__(self, cfg, world) -> None:
        if world.erp_watch is not None:   # an ERP under test: its duties are judged too (harness/soak/erp.py)
            self.invariants = VMS_INVARIANTS + ERP_INVARIANTS
        super().__init__(cfg, world)
        if world.erp_watch is not None:
            self.erp_init(world.erp_watch)
        self.po_read: dict[str, int] = {}              # order -> tick of its first PO fetch answered 200
        self.po_refetched: set[str] = set()            # orders whose PO was fetched again (reported once)
        self.rto_requested: dict[str, int] = {}        # order -> instant of its RTO generation request
        self.dated_at: dict[int, int] = {}              # instant of a dated posting -> its tick (settle)

    # -- what the world did --------------------------------------------------------------------------
    def world_changed(self) -> None:
        cfg, world = self.cfg, self.world
        orders, world.dirty_orders = world.dirty_orders, set()
        rets, world.dirty_returns = world.dirty_returns, set()
        for order in (world.orders[o] for o in orders):
            self._due(order.placed_at + cfg.vms_ack_hold + cfg.vms_ack_within, "ack", order.order_id)
            if "acknowledged" in order.stamps:
                self._due(order.placed_at + cfg.dispatch_sla, "ship", order.order_id)
            if "po" in order.stamps:
                self._due(order.stamps["po"] + cfg.po_fetch_sla, "po", order.order_id)
            for doc_id, issued in order.doc_issued.items():
                if order.documents[doc_id] in DUE_DOCS:
                    self._due(issued + cfg.documents_sla, "doc", f"{order.order_id}|{doc_id}")
            self.judge_missing(order)
        for ret in (world.returns[r] for r in rets):
            if "arrived" in ret.stamps:
                self._due(ret.stamps["arrived"] + cfg.putaway_sla, "putaway", ret.return_order_id)
            if ("processed" in ret.stamps and cfg.vms_return_model == "credit_note"
                    and cfg.vms_einvoice_model == "rms"):
                self._due(ret.stamps["processed"] + cfg.credit_note_sla, "credit", ret.return_order_id)
        for number in world.new_rsis:
            self._due(world.rsis[number]["issued"] + cfg.rsi_sla, "rsi", number)
        world.new_rsis = []
        for order_id, at in self.came_back.items():
            self._due(at + cfg.rto_request_sla, "unexpected", order_id)
        if world.erp_watch is not None:
            self.erp_world()

    # -- deadlines -----------------------------------------------------------------------------------
    def _deadline_ack(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        self.check("ack-in-time")
        acked, cancelled = order.stamps.get("acknowledged"), order.stamps.get("cancelled")
        if (acked is not None and acked <= due) or (cancelled is not None and cancelled <= due):
            return
        self.violate("ack-in-time", "VMS-ACK-HOLD", tick, due, order_id,
                     f"order {order_id} placed at {_t(order.placed_at)} not acknowledged or cancelled after its hold",
                     f"acknowledged or cancelled by {_t(due)} ({_h(self.cfg.vms_ack_hold)} hold, then "
                     f"{_h(self.cfg.vms_ack_within)})",
                     f"acknowledged only at {_t(acked)}" if acked else f"still {order.status}", order_id)

    def _deadline_po(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        self.check("po-fetched")
        if order_id in self.po_read or order.stamps.get("cancelled", due + 1) <= due:
            return
        self.violate("po-fetched", "VMS-PO-AFTER-ACK", tick, due, order_id,
                     f"the B2B PO of order {order_id}, issued at {_t(order.stamps['po'])}, never fetched",
                     f"GET /vms/orders/{order_id}/po answered 200 by {_t(due)}", f"order {order.status}", order_id)

    def ship_rule(self, order: Order) -> str:
        """The step an order not manifested in time is stuck at."""
        model1 = self.cfg.vms_einvoice_model == "erp"
        if order.order_id in self.world.missing:
            return "VMS-MODEL1-COMPLETE-CANCEL-ONLY" if model1 else "VMS-MODEL2-PARTIAL-CANCEL"
        if order.status == "ACKNOWLEDGED" and not model1:
            return "VMS-MODEL2-RMS-INVOICES"
        if order.status == "ACKNOWLEDGED" and self.world.erp_watch is not None and order.order_id in self.erp_latest:
            return "ERP-ORDER-CREATE-POSTING"   # the ERP under test was told and has not e-invoiced
        return "VMS-PACK-DOCUMENTS" if order.status == "INVOICED" else "VMS-MANIFEST-AT-HANDOVER"

    def _deadline_putaway(self, tick, now, due, return_id) -> None:
        ret = self.world.returns[return_id]
        self.check("returns-put-away")
        done = ret.stamps.get("processed")
        if done is not None and done <= due:
            return
        self.violate("returns-put-away", "VMS-QC-PASS-FAIL", tick, due, return_id,
                     f"{ret.return_type} {return_id} of order {ret.order_id} arrived at {_t(ret.stamps['arrived'])} "
                     f"and its QC was not shared in time", f"POST /vms/returns/{return_id}/qc by {_t(due)}",
                     f"QC at {_t(done)}" if done else f"still {ret.status}", ret.order_id)

    def _deadline_unexpected(self, tick, now, due, order_id) -> None:
        self.check("rto-request")
        if order_id in self.rto_requested:
            return
        self.violate("rto-request", "VMS-RTO-REQUEST", tick, due, order_id,
                     f"order {order_id} came back to the warehouse at {_t(self.came_back[order_id])} without AJIO's "
                     "return expectation and no RTO was asked for", f"POST /vms/returns/rto for it by {_t(due)}",
                     "not asked", order_id)

    def _deadline_credit(self, tick, now, due, return_id) -> None:
        ret = self.world.returns[return_id]
        self.check("credit-notes")
        if ret.credit_note_number:
            return
        self.violate("credit-notes", "VMS-CREDIT-NOTE-MODEL", tick, due, return_id,
                     f"{ret.return_type} {return_id} of order {ret.order_id} processed at "
                     f"{_t(ret.stamps['processed'])} has no credit note",
                     f"POST /vms/returns/{return_id}/creditNote by {_t(due)} (model 2, credit-note model)",
                     "none posted", ret.order_id)

    def _deadline_rsi(self, tick, now, due, number) -> None:
        rsi = self.world.rsis[number]
        self.check("rsi-accepted")
        if rsi["accepted"] is not None and rsi["accepted"] <= due:
            return
        order_id = next((self.world.returns[r].order_id for r in rsi["returns"] if r in self.world.returns), None)
        self.violate("rsi-accepted", "VMS-RSI-MODEL", tick, due, number,
                     f"RSI {number} issued at {_t(rsi['issued'])} over {', '.join(rsi['returns'])} not accepted",
                     f"POST /vms/rsi/{number}/accept by {_t(due)}", f"accepted at {_t(rsi['accepted'])}"
                     if rsi["accepted"] else "not accepted", order_id)

    # -- the connector's calls -----------------------------------------------------------------------
    def calls(self, tick: int, now: int, calls: list[Call]) -> None:
        super().calls(tick, now, calls)
        for c in calls:
            if c.method == "POST" and _DATED.match(c.path) and _ok(c):
                self.check("document-dates")
                self.dated_at.setdefault(now, tick)
            m = _ORDER_CALL.match(c.path)
            if m and _ok(c):
                order_id, what = m.groups()
                if what == "acknowledge" and c.method == "POST":
                    self._acknowledged(c, now, order_id)
                elif what == "po" and c.method == "GET":
                    self._po(c, now, order_id)
            elif c.method == "POST" and c.path == "/vms/returns/rto" and _ok(c):
                self._rto_request(c, now)

    def _acknowledged(self, c: Call, now: int, order_id: str) -> None:
        order = self.world.orders.get(order_id)
        if order is None:
            return
        self.check("ack-hold")
        until = order.placed_at + self.cfg.vms_ack_hold
        if now >= until:
            return
        self.violate("ack-hold", "VMS-ACK-HOLD", c.tick, now, order_id,
                     f"order {order_id} placed at {_t(order.placed_at)} acknowledged before its hold ended",
                     f"no acknowledgement before {_t(until)} ({_h(self.cfg.vms_ack_hold)} after the order)",
                     f"{c.method} {c.path} at {_t(now)} (call #{c.seq})", order_id)

    def _po(self, c: Call, now: int, order_id: str) -> None:
        first = self.po_read.setdefault(order_id, c.tick)
        if first == c.tick:
            return
        self.check("po-fetched")
        if order_id in self.po_refetched:
            return
        self.po_refetched.add(order_id)
        self.violate("po-fetched", "VMS-PO-AFTER-ACK", c.tick, now, order_id,
                     f"the B2B PO of order {order_id} fetched again", "fetched once and kept",
                     f"fetched in tick {first}, again by {c.method} {c.path} in tick {c.tick}", order_id)

    def _rto_request(self, c: Call, now: int) -> None:
        body = c.json_body()
        order_id = str(body.get("order_id")) if isinstance(body, dict) else None
        if order_id is None:
            return
        self.check("rto-request")
        if order_id in self.came_back and order_id not in self.rto_requested:
            self.rto_requested[order_id] = now
            return
        why = "asked again" if order_id in self.rto_requested else "the parcel never came back unannounced"
        self.violate("rto-request", "VMS-RTO-REQUEST", c.tick, now, order_id,
                     f"an RTO generation request for order {order_id}: {why}",
                     "one request, only for a parcel back without AJIO's expectation",
                     f"POST /vms/returns/rto (call #{c.seq})", order_id)

    def qc_wanted(self, found: str) -> str:
        return QC_STATUS.get(found, "FAIL")   # GOOD is PASS; anything else the warehouse found is FAIL

    def steps(self, c: Call) -> list[tuple[str, str]]:
        m = _ORDER_CALL.match(c.path)
        if m and c.method == "POST" and m.group(2) == "acknowledge":
            return [(m.group(1), "acknowledgement")]
        if c.method == "POST" and c.path == "/vms/manifests":
            answer = c.json_answer()
            failed = {f.get("orderId") for f in answer.get("failed", []) if isinstance(f, dict)} \
                if isinstance(answer, dict) else set()
            return [(i, "manifest") for i in self.manifest_orders(c) or () if i not in failed]
        return []

    def manifest_orders(self, c: Call) -> list | None:
        """A VMS manifest names its orders: {"orderIds": [...]} (API.md)."""
        body = c.json_body()
        ids = body.get("orderIds") if isinstance(body, dict) else None
        return [i if isinstance(i, str) else None for i in ids] if isinstance(ids, list) else None

    def inventory(self, tick, now, before, warehouse, calls) -> None:
        """No inventory push in VMS (seed 002): the warehouse's own system soft-reserves, the stock bounds are
        judged in _stock."""

    def _refusal(self, c: Call, now: int) -> None:
        if c.error_code == "NOT_YET":   # the PO is not issued yet: AJIO's "keep it on hold", not a wrong move
            return
        super()._refusal(c, now)

    # -- the end -------------------------------------------------------------------------------------
    def settle(self, tick: int, now: int) -> None:
        """What the simulator marked in its journal: a document dated outside its window (VMS-DOCUMENT-DATE,
        decided in simulator/domain/vms/dates.py; the request was accepted)."""
        super().settle(tick, now)
        control, pob = self.world.control, self.world.pob_id
        for pattern in ("*/b2bInvoice*", "*/creditNote*"):
            after = 0
            while True:
                rows = control.get(f"/journal?pob_id={pob}&path={pattern}&violations=true&after_id={after}"
                                   f"&limit=5000")["entries"]
                for e in rows:
                    marks = [v for v in e.get("violations") or [] if v.get("rule_id") == DATE_RULE]
                    if marks:
                        who = "the ERP" if e["path"].startswith("/ajio-vms") else "the VMS layer"
                        ids = e.get("entity_ids") or [None]
                        subject = next((i for i in ids if i in self.world.orders), ids[0])
                        self.violate("document-dates", DATE_RULE, self.dated_at.get(e["at"], tick), e["at"], subject,
                                     f"{who}'s {e['method']} {e['path']} (journal #{e['id']}) dated its document "
                                     f"outside its window", "the moment it was made, with its true zone",
                                     marks[0]["message"], subject if subject in self.world.orders else None)
                if len(rows) < 5000:
                    break
                after = rows[-1]["id"]

    def finish(self, tick: int, now: int) -> None:
        self.deadlines(tick, now, now + 1)
        for order in self.world.orders.values():
            self.check("final-state")
            problem = self._not_final(order)
            if problem:
                rule, state = problem
                self.violate("final-state", rule, tick, now, order.order_id,
                             f"order {order.order_id} placed at {_t(order.placed_at)} did not reach a final state",
                             "cancelled, manifested (the courier's turn on), or back at origin with its QC shared",
                             state, order.order_id)

    def _not_final(self, order: Order) -> tuple[str, str] | None:
        if order.status == "CREATED":
            return "VMS-ACK-HOLD", "never acknowledged"
        if order.status in ("ACKNOWLEDGED", "INVOICED", "PACKED") and "po" in order.stamps:
            return "VMS-MANIFEST-AT-HANDOVER", f"still {order.status}"
        for return_id in order.returns:
            ret = self.world.returns.get(return_id)
            if ret is not None and ret.status == "RETURN_DELIVERED":
                return "VMS-QC-PASS-FAIL", f"{ret.return_type} {return_id} arrived and its QC never shared"
        return None


__all__ = ["VmsChecker", "VMS_INVARIANTS"]
