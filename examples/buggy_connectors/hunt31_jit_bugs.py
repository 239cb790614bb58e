"""The thirty-first blind JIT hunt's bugs: what an integrator's team shipping a JIT connector under time pressure gets
wrong about the rules, designed from the rulebook and the reference alone (registered in buggy.py as jit_h31_*).

Each is a small subclass of the reference (or of its client) overriding the one method or hook the bug lives in.
"""
from __future__ import annotations

import time

from ajio_client import PAGE_SIZE, AjioClient
from connector import log
from jit_connector import JitConnector

PO_VALIDITY_S = 7 * 86400   # "a JIT PO is valid for a week" (the team's reading of AJIO's buying calendar)


# -- JIT-PO-PROCESSED: a PO older than a week taken as lapsed ----------------------------------------------------
class LapsedPosSkipped(JitConnector):
    """A PO whose `po_date` is more than seven days behind the seller's clock is taken as lapsed ("AJIO's JIT POs are
    valid for a week; an expired PO must not be invoiced") and left alone: neither cancelled nor invoiced. A PO that
    waited in pendency past a week (the connector stopped for a long weekend and a holiday, a SKU approved late) stays
    in pendency for good, AJIO's demand never answered."""

    def start_po(self, po: dict) -> None:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        if isinstance(po.get("po_date"), (int, float)) and now - po["po_date"] > PO_VALIDITY_S:
            log(f"PO {po['order_id']}: raised more than 7 days ago, lapsed: not processed")
            return
        super().start_po(po)


# -- API-RETRY-TRANSIENT: Retry-After honoured on 503 (and 429) only ---------------------------------------------
class RetryAfterOn503OnlyClient(AjioClient):
    """RFC 9110 pairs Retry-After with 503 Service Unavailable (and 429): the client reads the header on those two
    and backs off on its own schedule (0.2 s, 0.4 s, ...) for any other 5xx, even when AJIO's 500, 502 or 504
    announces how long to wait. Such a call is sent again well inside the announced wait."""

    def retry_wait(self, response, attempt):
        if response.status_code >= 500 and response.status_code != 503:
            return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)
        return super().retry_wait(response, attempt)


class RetryAfterOn503Only(JitConnector):
    client_class = RetryAfterOn503OnlyClient


# -- JIT-PO-PROCESSED: other POs' reservations counted at their ordered quantities ---------------------------------
class ReservesOrderedUnits(JitConnector):
    """The reservation table is written from the PO as pulled (each line's quantity when the PO was started), and the
    pick-time cancellation of a shortfall is not written back to it: a PO cancelled short at its pick goes on holding
    the units it never got until it is packed. A second PO of the same SKU, started while the first waits for its pack
    (prepacked, or its pack failed), finds those units taken and is cancelled short of stock the warehouse has."""

    def start_po(self, po: dict) -> None:
        lines = self.map_lines(po)
        if lines is not None:
            mine = self.state.orders.setdefault(po["order_id"], {"stage": "new"})
            mine.setdefault("reserved", {line["sku"]: line["open"] for line in lines})
        super().start_po(po)

    def allocated(self, sku: str) -> int:
        held = 0
        for po_id, mine in getattr(self, "reserving", {}).items():
            if mine["stage"] not in ("invoiced", "picking") or po_id == self.picking_for:
                continue
            for line in mine.get("lines", ()):
                if line["sku"] == sku:
                    held += (mine.get("reserved") or {}).get(sku, line["open"])
        return held + getattr(self, "packed_now", {}).get(sku, 0)


# -- JIT-INVENTORY-PUSH: a SKU's 0 pushed once in its life ----------------------------------------------------------
class ZeroPushedOnce(JitConnector):
    """"Out of stock" is pushed once per SKU: the team kept a list of SKUs already zeroed on AJIO so that a SKU
    standing at 0 is not pushed again (the push already skips unchanged counts, but a reinstall had flooded AJIO with
    zeros). The list is never cleared when the SKU is restocked: a SKU that runs out a second time keeps its last
    count on AJIO, which goes on raising POs for stock that is gone (until the next day's reconciliation)."""

    def push_inventory(self) -> None:
        zeroed = set(self.state.extra.get("zeroed", []))
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        changed = [line for line in changed if not (line["quantity"] == 0 and line["sku"] in zeroed)]
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            self.push_inventory_batch(changed[start:start + self.INVENTORY_BATCH])
            zeroed |= {line["sku"] for line in changed[start:start + self.INVENTORY_BATCH] if line["quantity"] == 0}
            self.state.extra["zeroed"] = sorted(zeroed)


# -- JIT-RETURNS-CONFIRMED: the returns pull stops at a page with nothing new ---------------------------------------
class ReturnsStopAtKnownPage(JitConnector):
    """The returns window overlaps the last pull by a day, so its first pages repeat returns already held. The pull
    stops at a page that brought nothing new ("caught up": the list is by return date, so what follows is older...
    except it is not, it is newer). A pull whose whole first page is returns of the overlap never reads the page
    after it, where the new returns are."""

    def pull_returns(self) -> None:
        now = int(self.warehouse.now if self.warehouse.now is not None else time.time())
        page = 0
        while True:
            answer = self.client.get("/returns", fromDate=max(0, self.returns_since(now)), page=page, size=PAGE_SIZE)
            new = 0
            for ret in answer["returns"]:
                if ret["return_order_id"] not in self.state.returns:
                    new += 1
                    self.state.returns[ret["return_order_id"]] = {"order_id": ret["order_id"], "stage": "to_inbound",
                                                                  "status": ret["return_status"]}
                    log(f"return {ret['return_order_id']} of PO {ret['order_id']}: {ret['return_status']}, to inbound")
            if page + 1 >= answer["page"]["totalPages"] or (answer["returns"] and not new):
                break
            page += 1
        self.state.extra["returns_pulled_at"] = now


# -- JIT-READY-TO-SHIP: a PO AJIO shows ready to dispatch taken as manifested --------------------------------------
class ReadyToDispatchTakenAsManifested(JitConnector):
    """Against a manifest whose answer was lost, the manifest phase first re-reads the POs it holds packed: one AJIO
    already shows READY_TO_DISPATCH (or later) is taken as on a manifest ("our last manifest took it") and is not sent
    again. A seller whose POs are ready to ship at pack (seed 001 row 5's other setting) has every PO READY_TO_DISPATCH
    straight from its pack: none is ever manifested, and the courier never takes them."""

    def manifest(self) -> None:
        packed = [po_id for po_id in self.state.in_stage("packed") if not self.state.orders[po_id].get("documents_owed")]
        if packed:
            for po_id, po in self.read_orders(packed).items():
                if po["status"] in ("READY_TO_DISPATCH", "DISPATCHED", "DELIVERED"):
                    self.state.orders[po_id]["stage"] = "manifested"
                    log(f"PO {po_id}: {po['status']} at AJIO, taken as manifested already")
        super().manifest()
