"""The twenty-first blind hunt, JIT: six bugs a connector team under time pressure plausibly ships, each the
reference JIT connector with one method (or its client) changed; the diff against the reference is the bug.
Registered in buggy.py as jit_h21_*; the rule each breaks is in its docstring."""
from __future__ import annotations

import time

from ajio_client import AjioClient
from connector import log
from jit_connector import JitConnector


class ReconUnbatched(JitConnector):
    """INVENTORY-ABSOLUTE-MAX-50. The daily reconciliation was written apart from the stock push, as one job: it
    pushes every SKU it found drifted in ONE call. With more than 50 SKUs off (a day whose push failed, a drift on
    the whole catalogue) the call carries more than AJIO takes, is refused, and the day is never reconciled."""

    def reconcile_inventory(self) -> None:
        if not self.warehouse.settings.get("inventory_recon", True) or self.state.extra.get("reconciled") == self.today():
            return
        view = {row["sku"]: row["quantity"] for row in self.client.get("/inventory")["inventory"]}
        drifted = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if view.get(sku) != self.warehouse.available(sku)]
        if drifted:
            self.push_inventory_batch(drifted)   # the bug: no batches of 50
        self.state.extra["reconciled"] = self.today()
        log(f"reconciliation: {len(drifted)} SKU(s) had drifted on AJIO")


class LpnPoolRecycled(JitConnector):
    """JIT-BOX-IDS-UNIQUE. Box ids (LPNs) come from the warehouse's numbered pool (LPN000001, ...), kept per PO so a
    retry sends the same ones; an LPN a PO did not use in the end (the PO cancelled at the pick after its labels
    were prefetched, or a box the shortfall made needless) goes back to the pool and is handed to the next PO, as a
    WMS reuses an unprinted carton label. AJIO voided those prefetched box ids: a box id is used once per POB."""

    def lpns(self, po_id: str, count: int) -> list[str]:
        pool = self.state.extra.setdefault("lpn_pool", {"next": 1, "free": [], "by_po": {}})
        ids = pool["by_po"].setdefault(po_id, [])
        while len(ids) < count:
            if pool["free"]:
                ids.append(pool["free"].pop(0))
            else:
                ids.append(f"LPN{pool['next']:06d}")
                pool["next"] += 1
            self.noted += 1
        return ids[:count]

    def release(self, po_id: str, keep: int) -> None:
        pool = self.state.extra.get("lpn_pool")
        if not pool or po_id not in pool["by_po"]:
            return
        ids = pool["by_po"][po_id]
        if len(ids) > keep:
            pool["free"].extend(ids[keep:])   # the bug: an LPN AJIO saw (a prefetched label) is reused
            del ids[keep:]
            self.noted += 1

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        plan = super().boxes(po_id, lines)
        for box, lpn in zip(plan, self.lpns(po_id, len(plan))):
            box["box_id"] = lpn
        return plan

    def pack(self, po_id: str, mine: dict) -> None:
        super().pack(po_id, mine)
        self.release(po_id, len(super().boxes(po_id, mine["lines"])))

    def pack_picked(self) -> None:
        super().pack_picked()
        for po_id, mine in self.state.orders.items():
            if mine.get("stage") == "cancelled":
                self.release(po_id, 0)


class DaemonStockSnapshot(JitConnector):
    """JIT-INVENTORY-PUSH. As a daemon, the connector loads the warehouse's stock once, at its first sync (the WMS
    was meant to call a webhook on every change); its settings and clock are read afresh at every sync, but a
    count that changes while the daemon runs is never pushed until it is restarted."""

    def read_warehouse(self):
        fresh = super().read_warehouse()
        if not hasattr(self, "stock_snapshot"):
            self.stock_snapshot = (fresh.stock, fresh.default_stock)
        fresh.stock, fresh.default_stock = self.stock_snapshot   # the bug
        return fresh


class InvoiceRepostedAtPack(JitConnector):
    """API-CHANGE-SENT-ONCE. The pack job runs apart from the invoicing one and, AJIO having no GET for an invoice,
    asks for the PO's invoice number by POSTing the invoice again before it packs a PO invoiced (or prepacked) by an
    earlier sync: AJIO answers the current invoice, but a change it answered with success is sent again."""

    def pack(self, po_id: str, mine: dict) -> None:
        if mine.get("started") != self.sync_id:
            answer = self.client.post(f"/orders/{po_id}/invoice", {})   # the bug: an answered change sent again
            mine["invoice_number"] = answer["invoice_number"]
        super().pack(po_id, mine)


class ReconEvery24h(JitConnector):
    """JIT-INVENTORY-RECONCILE. "Once a day" coded as "24 hours since the last reconciliation": a seller syncing at
    uneven times (10:00 one day, 09:00 the next) gets a calendar day with no reconciliation at all, and each day
    the schedule slides later."""

    def reconcile_inventory(self) -> None:
        if not self.warehouse.settings.get("inventory_recon", True):
            return
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        last = self.state.extra.get("reconciled_at")
        if last is not None and now - last < 86400:   # the bug: elapsed time, not the calendar day
            return
        view = {row["sku"]: row["quantity"] for row in self.client.get("/inventory")["inventory"]}
        drifted = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if view.get(sku) != self.warehouse.available(sku)]
        for start in range(0, len(drifted), self.INVENTORY_BATCH):
            self.push_inventory_batch(drifted[start:start + self.INVENTORY_BATCH])
        self.state.extra["reconciled_at"] = now
        log(f"reconciliation: {len(drifted)} SKU(s) had drifted on AJIO")


class BudgetClient(AjioClient):
    """A client whose retries draw on one budget for the whole sync (a circuit breaker)."""

    SYNC_RETRY_BUDGET = 3

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.retries_spent = 0

    def may_retry(self, method: str, failure, attempt: int, limit: int) -> bool:
        if self.retries_spent >= self.SYNC_RETRY_BUDGET:  # the bug: the budget is the sync's, not the call's
            return False
        allowed = super().may_retry(method, failure, attempt, limit)
        self.retries_spent += allowed
        return allowed


class RetryBudgetPerSync(JitConnector):
    """API-RETRY-TRANSIENT. Retries are rationed per sync (three in all, "so a bad AJIO day cannot make a sync run
    for ever"): once a sync spent them on early blips, a later call that fails in transit is abandoned at its first
    failure, and its work waits a sync although AJIO answered the very next try."""

    client_class = BudgetClient

    def sync(self) -> None:
        self.client.retries_spent = 0
        super().sync()
