"""Blind bug hunt 23 (JIT): six bugs written from the rulebook and the reference connector only, before reading
the scenario catalogue. Each is the reference with one realistic mistake; the rule it breaks is in its docstring.
"""
from __future__ import annotations

from datetime import datetime

from ajio_client import AjioError
from connector import log
from jit_connector import IST, JitConnector


class LoneFailedDispatchSetAside(JitConnector):
    """API-PER-LINE-FAILURES: a manifest whose every line failed is AJIO's 400 (nothing manifested), its
    failedDispatchItems in the body. The integrator takes any 400 as a final refusal: the POs it names are set aside
    for a person ("manifest_refused") and never sent on a manifest again, though a failed line is to be sent again."""

    def manifest_carrier(self, packed: list[str]) -> None:
        for start in range(0, len(packed), self.MANIFEST_MAX):
            chunk = packed[start:start + self.MANIFEST_MAX]
            self.state.meta["manifest_in_flight"] = chunk
            self.noted += 1
            try:
                answer = self.client.post("/orders/dispatch", {"dispatchItems": [self.dispatch_item(o) for o in chunk]})
            except AjioError as exc:
                if exc.status != 400:
                    raise
                self.state.meta.pop("manifest_in_flight", None)
                body = exc.body if isinstance(exc.body, dict) else {}
                refused = {f.get("orderId") for f in body.get("failedDispatchItems") or []} or set(chunk)
                for order_id in chunk:
                    if order_id in refused:
                        self.state.orders[order_id]["stage"] = "manifest_refused"
                        log(f"PO {order_id}: manifest refused by AJIO ({exc}): left for a person")
                continue
            self.state.meta.pop("manifest_in_flight", None)
            self.manifest_answered(chunk, answer)


class DeliveredJumpMissed(JitConnector):
    """API-NO-UPDATED-SINCE: the status sync walks the PO's life one step at a time (manifested -> DISPATCHED ->
    shipped, shipped -> DELIVERED -> delivered). A PO the courier picked up and delivered between two syncs (a
    connector down over a long weekend) is read DELIVERED while still "manifested" here: it is never taken as
    delivered and is re-read at every sync for ever."""

    def refresh_held_orders(self) -> None:
        held = [o for o, m in self.state.orders.items() if m["stage"] in self.HELD_STAGES]
        for order_id, po in self.read_orders(held).items():
            mine = self.state.orders[order_id]
            mine["status"] = po["status"]
            if mine["stage"] == "manifested" and po["status"] == "DISPATCHED":
                mine["stage"] = "shipped"
            elif mine["stage"] == "shipped" and po["status"] == "DELIVERED":
                mine["stage"] = "delivered"
            elif po["status"] == "CANCELLED":
                mine["stage"] = "cancelled"


class PushCountsAsRecon(JitConnector):
    """JIT-INVENTORY-RECONCILE: a sync that pushed stock is taken as the day's reconciliation ("AJIO was just told
    the absolute figures"), so the view is not read that day. Only the SKUs whose count changed were pushed: a SKU
    that drifted on AJIO while its count stood still keeps the drift until the next day whose first sync pushes
    nothing."""

    def push_inventory(self) -> None:
        self.pushed_this_sync = False
        super().push_inventory()

    def push_inventory_batch(self, lines: list[dict]) -> None:
        super().push_inventory_batch(lines)
        self.pushed_this_sync = True

    def reconcile_inventory(self) -> None:
        if (getattr(self, "pushed_this_sync", False) and self.warehouse.settings.get("inventory_recon", True)
                and self.state.extra.get("reconciled") != self.today()):
            self.state.extra["reconciled"] = self.today()
            log("reconciliation: stock pushed in this sync, AJIO is in step")
            return
        super().reconcile_inventory()


class PackResentAfterLabelFailure(JitConnector):
    """API-CHANGE-SENT-ONCE: the pack is recorded only once everything about it succeeded, its box labels
    downloaded ("all or nothing"). A label download that fails (AJIO's documents down past the retries) leaves the PO
    invoiced here, and the next sync sends the pack AJIO already took again."""

    def record_pack(self, po_id: str, mine: dict, packed: dict, labels: list[tuple[str, str]]) -> None:
        for url, kind in labels:
            self.keep_document(url, kind)
        super().record_pack(po_id, mine, packed, [])


class ReturnsMonthBackInJanuary(JitConnector):
    """JIT-RETURNS-CONFIRMED: the returns pull reads a rolling month ("the same day last month", returns kept by id),
    the month before computed as `month - 1 or 12` without going back a year. In January the window starts in
    December of the same year, in the future: no return is pulled all month."""

    def returns_since(self, now: int) -> int:
        today = datetime.fromtimestamp(now, IST)
        month_back = today.replace(month=today.month - 1 or 12, day=min(today.day, 28))
        return int(month_back.timestamp())


class DaemonFullPushAtStart(JitConnector):
    """JIT-INVENTORY-PUSH: a daemon starting (a deploy, a restart after a crash) pushes every pulled SKU's count
    once "to be safe", though its saved state says what AJIO already holds: absolute figures AJIO has, sent again
    (only what changed is pushed)."""

    def __init__(self, env: dict[str, str], assume_stock: int | None = None) -> None:
        super().__init__(env, assume_stock)
        self.cold_start = env.get("AJIO_DAEMON") == "1"

    def push_inventory(self) -> None:
        if not self.cold_start:
            super().push_inventory()
            return
        self.cold_start = False
        lines = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()]
        for start in range(0, len(lines), self.INVENTORY_BATCH):
            self.push_inventory_batch(lines[start:start + self.INVENTORY_BATCH])
