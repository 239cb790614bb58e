"""The JIT soak's invariants: what a JIT connector owes over a month of purchase orders (seed 001).

A JIT PO has no acknowledgement and no customer: AJIO raises it, the seller cancels what it lacks and
invoices and packs the rest box-wise, manifests it, and the courier takes it to AJIO's warehouse. Besides,
the seller keeps AJIO's view of its stock right (pushes, and a daily reconciliation that corrects the
drift AJIO's view suffers), pulls back orders, and pulls the returns AJIO sends back (RTV). Dropship's
call invariants (refusals, Retry-After, tokens, retries, manifests of at most 250, a step sent once) hold
as they are; the deadlines are JIT's own. The SLAs are ajio-sim's choice (no source gives a JIT SLA):
docs/soak.md.
"""
from __future__ import annotations

import re

from harness.soak.invariants import _IDS, Checker, Invariant, _h, _t
from harness.soak.invariants import INVARIANTS as DS_INVARIANTS
from harness.soak.tap import Call
from harness.soak.world import Order, open_units

_SHARED = ("no-refusal", "manifest-size", "retry-after", "expired-token", "transient-retried")
JIT_INVARIANTS = (
    Invariant("po-in-time", "every PO is invoiced and packed, or cancelled for what the seller lacks, in time",
              ("JIT-PO-PROCESSED",)),
    Invariant("cancel-shortfall-only", "the seller cancels no more than the warehouse lacks",
              ("JIT-PO-PROCESSED",)),
    Invariant("dispatch-in-time", "every packed PO is manifested in time", ("JIT-MANIFEST-DOCUMENT",)),
    Invariant("final-state", "every PO reaches a final state (delivered to AJIO, or cancelled)",
              ("JIT-PO-PROCESSED", "JIT-MANIFEST-DOCUMENT")),
    Invariant("inventory", "AJIO's view of the stock equals the warehouse's: pushed on every change, drift "
              "reconciled daily", ("JIT-INVENTORY-PUSH", "JIT-INVENTORY-RECONCILE", "INVENTORY-ABSOLUTE-MAX-50")),
    Invariant("documents", "the invoice, every box label and the manifest of each PO are fetched, each once",
              ("JIT-PO-PROCESSED", "JIT-MANIFEST-DOCUMENT")),
    Invariant("status-sync", "the courier's pickup and delivery of each PO are learnt (re-read by id in time), "
              "and a delivered PO is not re-read once that is known", ("API-NO-UPDATED-SINCE",)),
    Invariant("returns-pulled", "every return AJIO sends back is pulled in time", ("JIT-RETURNS-CONFIRMED",)),
    Invariant("backorders", "back orders are pulled at least once a day", ("JIT-BACKORDER-PULL",)),
    Invariant("processed-once", "a step AJIO confirmed (invoice, pack, manifest) is never sent again",
              ("API-CHANGE-SENT-ONCE",)),
    *(i for i in DS_INVARIANTS if i.key in _SHARED or i.key == "logins"),
)
DOC_RULES = {"jit_b2b_invoice": "JIT-PO-PROCESSED", "jit_box_label": "JIT-MANIFEST-DOCUMENT",
             "jit_manifest": "JIT-MANIFEST-DOCUMENT"}
_STEP = re.compile(r"^/jit/orders/([^/]+)/(invoice|pack)$")
_CANCEL = re.compile(r"^/jit/orders/([^/]+)/cancel$")
OPEN = ("CREATED", "INVOICED")   # a PO whose units may still be picked (or cancelled)


class JitChecker(Checker):
    invariants = JIT_INVARIANTS
    once_rule = "API-CHANGE-SENT-ONCE"   # an invoice, pack or manifest AJIO confirmed, sent again
    doc_rules = DOC_RULES
    noun = "PO"
    stock_key = None   # its own bounds: cancel-shortfall-only

    def __init__(self, cfg, world) -> None:
        super().__init__(cfg, world)
        self.returns_listed: set[str] = set()
        self.last_backorders = cfg.start            # simulated instant of the last back-order pull (or the start)
        self.drifted_at: dict[str, int] = {}        # SKU -> instant AJIO's view was moved away from the push
        self.run_stock: dict[str, int] = {}         # what the warehouse said for this run, per SKU
        self.run_demand: dict[str, int] = {}        # open units of POs not packed yet, per SKU, at this run
        self.last_read: dict[str, int] = {}         # PO -> last instant the connector re-read it by id

    def before_run(self, tick: int, now: int, stock: dict[str, int]) -> None:
        self.run_stock = stock
        demand: dict[str, int] = {}
        for order in self.world.orders.values():
            if order.status in OPEN:
                for line in order.lines:
                    demand[line["sku"]] = demand.get(line["sku"], 0) + open_units(line)
        self.run_demand = demand

    # -- what the world did --------------------------------------------------------------------------
    def drifted(self, sku: str, at: int) -> None:
        self.drifted_at.setdefault(sku, at)

    def world_changed(self) -> None:
        cfg, world = self.cfg, self.world
        orders, world.dirty_orders = world.dirty_orders, set()
        rets, world.dirty_returns = world.dirty_returns, set()
        for order in (world.orders[o] for o in orders):
            self._due(order.placed_at + cfg.ack_sla, "processed", order.order_id)
            self._due(order.placed_at + cfg.dispatch_sla, "ship", order.order_id)
            self._documents_and_courier_due(order)
        for ret in (world.returns[r] for r in rets):
            self._due(ret.created_at + cfg.returns_pull_sla, "pulled", ret.return_order_id)

    # -- deadlines -----------------------------------------------------------------------------------
    def _deadline_processed(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        self.check("po-in-time")
        packed, cancelled = order.stamps.get("packed"), order.stamps.get("cancelled")
        if (packed is not None and packed <= due) or (cancelled is not None and cancelled <= due):
            return
        invoiced = order.stamps.get("invoiced")
        state = (f"packed only at {_t(packed)}" if packed else f"invoiced at {_t(invoiced)}, not packed" if invoiced
                 else f"still {order.status}")
        self.violate("po-in-time", "JIT-PO-PROCESSED", tick, due, order_id,
                     f"PO {order_id} raised at {_t(order.placed_at)} not processed in time",
                     f"invoiced and packed, or cancelled, by {_t(due)} ({_h(self.cfg.ack_sla)} after the PO)", state,
                     order_id)

    def _deadline_ship(self, tick, now, due, order_id) -> None:
        order = self.world.orders[order_id]
        if order.status == "CANCELLED" or "packed" not in order.stamps:
            return  # cancelled, or not packed: the PO's own deadline says so
        self.check("dispatch-in-time")
        manifested = order.stamps.get("manifested")
        if manifested is not None and manifested <= due:
            return
        self.violate("dispatch-in-time", "JIT-MANIFEST-DOCUMENT", tick, due, order_id,
                     f"PO {order_id} packed at {_t(order.stamps['packed'])} not manifested in time",
                     f"on a manifest by {_t(due)} ({_h(self.cfg.dispatch_sla)} after the PO)",
                     f"manifested at {_t(manifested)}" if manifested else f"still {order.status}", order_id)

    def _read_since(self, tick, due, order_id, stamp: str) -> None:
        order = self.world.orders[order_id]
        self.check("status-sync")
        if self.last_read.get(order_id, -1) >= order.stamps[stamp]:
            return
        what = "picked up by the courier" if stamp == "dispatched" else "delivered to AJIO"
        self.violate("status-sync", "API-NO-UPDATED-SINCE", tick, due, order_id,
                     f"PO {order_id} {what} at {_t(order.stamps[stamp])} and not re-read since",
                     f"GET /jit/orders?orderIds=...{order_id}... by {_t(due)} ({_h(self.cfg.status_sync_sla)} after)",
                     f"last read {_t(self.last_read.get(order_id))}", order_id)

    def _deadline_dispatched(self, tick, now, due, order_id) -> None:
        self._read_since(tick, due, order_id, "dispatched")

    def _deadline_delivered(self, tick, now, due, order_id) -> None:
        self._read_since(tick, due, order_id, "delivered")

    def _deadline_pulled(self, tick, now, due, return_id) -> None:
        ret = self.world.returns[return_id]
        self.check("returns-pulled")
        if return_id in self.returns_listed:
            return
        self.violate("returns-pulled", "JIT-RETURNS-CONFIRMED", tick, due, return_id,
                     f"return {return_id} of PO {ret.order_id} created at {_t(ret.created_at)} never pulled",
                     f"listed in a GET /jit/returns answer by {_t(due)}", "not pulled", ret.order_id)

    def deadlines(self, tick: int, now: int, next_run: int) -> None:
        super().deadlines(tick, now, next_run)
        if now >= self.cfg.traffic_end:
            return
        self.check("backorders")
        if next_run - self.last_backorders > self.cfg.backorders_every:
            self.violate("backorders", "JIT-BACKORDER-PULL", tick, now, "GET /jit/backorders",
                         f"no back-order pull since {_t(self.last_backorders)}",
                         f"GET /jit/backorders at least every {_h(self.cfg.backorders_every)}",
                         "none by the next run")
            self.last_backorders = now   # one violation per stretch

    # -- the connector's calls -----------------------------------------------------------------------
    def calls(self, tick: int, now: int, calls: list[Call]) -> None:
        super().calls(tick, now, calls)
        self._cancellations(tick, now, calls)
        for c in calls:
            if c.method != "GET" or not 200 <= c.status < 300 or c.cut or c.bad_body:
                continue
            if c.path == "/jit/backorders":
                self.last_backorders = now
            elif c.path == "/jit/orders":
                self._reads(tick, now, c)
            elif c.path == "/jit/returns":
                answer = c.json_answer()
                for ret in (answer.get("returns") or []) if isinstance(answer, dict) else []:
                    if isinstance(ret, dict):
                        self.returns_listed.add(str(ret.get("return_order_id")))

    def _reads(self, tick: int, now: int, c: Call) -> None:
        """A status sync by id: what it learnt, and a delivered PO read again after its delivery was read."""
        m = _IDS.search(c.query or "")
        if not m:
            return
        from urllib.parse import unquote
        for order_id in unquote(m.group(1)).split(","):
            order = self.world.orders.get(order_id)
            if order is None:
                continue
            self.last_read[order_id] = now
            delivered = order.stamps.get("delivered")
            if delivered is None or delivered > now:
                continue
            if self.reread_once_final(order_id, tick):
                self.violate("status-sync", "API-NO-UPDATED-SINCE", tick, now, order_id,
                             f"PO {order_id}, delivered at {_t(delivered)}, re-read in a third run since",
                             "a final PO left out of the status sync once learnt", f"re-read at {_t(now)}", order_id)

    def _cancellations(self, tick: int, now: int, calls: list[Call]) -> None:
        """Units of a SKU the seller cancelled in one run are at most what the warehouse lacked for the POs
        that could still take them: their open units less its stock (sound for any order the connector picks
        POs in; a connector that cancels what it could ship, or cancels twice, goes over)."""
        cancelled: dict[str, int] = {}
        who: dict[str, list[str]] = {}
        for c in calls:
            m = _CANCEL.match(c.path)
            if not m or c.method != "POST" or not 200 <= c.status < 300 or c.cut or c.bad_body:
                continue
            order = self.world.orders.get(m.group(1))
            body = c.json_body()
            if order is None or not isinstance(body, dict) or not isinstance(body.get("lines"), list):
                continue
            sku_of = {l["order_item_id"]: l["sku"] for l in order.lines}
            for line in body["lines"]:
                sku = sku_of.get(line.get("order_item_id")) if isinstance(line, dict) else None
                if sku is not None and isinstance(line.get("quantity"), int):
                    cancelled[sku] = cancelled.get(sku, 0) + line["quantity"]
                    who.setdefault(sku, []).append(order.order_id)
        for sku, units in sorted(cancelled.items()):
            self.check("cancel-shortfall-only")
            lacked = max(0, self.run_demand.get(sku, 0) - self.run_stock.get(sku, 0))
            if units <= lacked:
                continue
            pos = sorted(set(who[sku]))
            self.violate("cancel-shortfall-only", "JIT-PO-PROCESSED", tick, now, sku,
                         f"{units} unit(s) of {sku} cancelled on PO {', '.join(pos)} while the warehouse lacked "
                         f"{lacked}", f"at most {lacked} (open PO units {self.run_demand.get(sku, 0)}, stock "
                         f"{self.run_stock.get(sku, 0)})", f"{units} cancelled", pos[0])

    def steps(self, c: Call) -> list[tuple[str, str]]:
        m = _STEP.match(c.path)
        if m and c.method == "POST":
            return [(m.group(1), m.group(2))]
        return super().steps(c) if c.path == "/jit/orders/dispatch" else []

    # -- inventory -----------------------------------------------------------------------------------
    def inventory(self, tick: int, now: int, before: dict[str, int], warehouse: dict[str, int],
                  calls: list[Call]) -> None:
        """AJIO's view as the tick left it (pushes, packs and drift all count) against what the warehouse can
        sell now. A SKU may differ for inventory_sla (a pack since the last push, a spoiled push), or, after
        AJIO's view drifted, until the daily reconciliation (recon_sla)."""
        del before, warehouse, calls  # JIT's view moves with packs too: read as the tick left it
        view = self.world.ajio_inventory()
        sellable = self.world.sellable()
        self.check("inventory", len(sellable))
        late: list[tuple[str, str]] = []
        for sku in self.world.pending:   # not approved: the connector cannot have pulled it; its clock starts
            sellable.pop(sku, None)      # at the approval (a drift while in moderation included)
            self.stock_wrong_since.pop(sku, None)
            self.drifted_at.pop(sku, None)
        for sku, qty in sellable.items():
            if view.get(sku) == qty:
                self.stock_wrong_since.pop(sku, None)
                self.drifted_at.pop(sku, None)
                continue
            since = self.stock_wrong_since.setdefault(sku, now)
            drifted = self.drifted_at.get(sku)
            rule, sla = (("JIT-INVENTORY-RECONCILE", self.cfg.recon_sla) if drifted is not None
                         else ("JIT-INVENTORY-PUSH", self.cfg.inventory_sla))
            if now - min(since, drifted if drifted is not None else since) >= sla:
                late.append((sku, rule))
                self.stock_wrong_since[sku] = now
                self.drifted_at.pop(sku, None)
        for rule in sorted({r for _, r in late}):
            skus = [s for s, r in late if r == rule]
            sla = self.cfg.recon_sla if rule == "JIT-INVENTORY-RECONCILE" else self.cfg.inventory_sla
            sample = ", ".join(f"{s}: AJIO {view.get(s)} / warehouse {sellable[s]}" for s in skus[:5])
            what = ("AJIO's view drifted and was not reconciled" if rule == "JIT-INVENTORY-RECONCILE"
                    else "a change of the warehouse's stock was not pushed")
            self.violate("inventory", rule, tick, now, skus[0],
                         f"{what}: {len(skus)} SKU(s) differ for {_h(sla)} or more",
                         "every SKU at the warehouse's sellable count", sample)

    # -- the end -------------------------------------------------------------------------------------
    def finish(self, tick: int, now: int) -> None:
        self.deadlines(tick, now, now + 1)
        for order in self.world.orders.values():
            self.check("final-state")
            problem = _not_final(order)
            if problem:
                rule, state = problem
                self.violate("final-state", rule, tick, now, order.order_id,
                             f"PO {order.order_id} raised at {_t(order.placed_at)} did not reach a final state",
                             "delivered to AJIO or cancelled", state, order.order_id)


def _not_final(order: Order) -> tuple[str, str] | None:
    if order.status in ("CREATED", "INVOICED"):
        return "JIT-PO-PROCESSED", f"still {order.status}"
    if order.status == "PACKED" or (order.status == "READY_TO_DISPATCH" and not order.manifest_id):
        return "JIT-MANIFEST-DOCUMENT", f"still {order.status}, on no manifest"
    return None   # manifested, dispatched (the courier's turn), delivered or cancelled


__all__ = ["JitChecker", "JIT_INVARIANTS"]
