"""Blind bug hunt 33 (Dropship): six bugs designed from the rulebook before reading the catalogue.

Each class is the reference connector (or its client) with one planted bug, the diff against the reference being
the bug.
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError
from connector import Connector, log


class AckAppliedLinesOverwritten(Connector):
    """API-CHANGE-SENT-ONCE. An acknowledgement AJIO answers 200 with some lines failed is kept open: the lines AJIO
    took are noted so the next acknowledgement sends only the failed ones. The team wrote the note as "the lines of
    the last answer" (`mine["applied_lines"] = {...}`), thinking of one partial failure per order. A second partial
    failure of the same order (a three-line order whose lines fail one after another, the customer cancelling units
    twice) replaces the first answer's lines: the third acknowledgement sends again a line AJIO took two syncs ago,
    and the order's confirmed units are counted without it."""

    def acknowledgement_partly_failed(self, order: dict, lines: list[dict], failed: set[str]) -> None:
        self.state.orders[order["order_id"]]["applied_lines"] = {}          # the bug: the earlier answers forgotten
        super().acknowledgement_partly_failed(order, lines, failed)


class RtoBookedBeforeReturnsRead(Connector):
    """DS-RTO-CHECK-SYNC-FIRST. The dock wants returned stock back on the shelf before anything else: parcels that
    came back are booked (RTO created) as the sync's first job, before the inventory push, "so the push already
    counts them". The connector still checks for an expectation, but against the returns it read at the previous
    sync (its state): an RTO AJIO raised since then (the last failed attempt, a refusal) whose parcel is at the dock
    by now is created again by the seller, though AJIO lists its expectation in this very sync's returns."""

    PHASES = ("book_back_parcels",) + Connector.PHASES

    def book_back_parcels(self) -> None:
        expected = self.orders_with_expectation(set())                        # the bug: last sync's returns only
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in expected and order_id not in self.state.rto_created and self.rto_may_try(order_id):
                self.book_back_parcel(order_id)

    def sync_returns(self) -> None:
        parcels, self.warehouse.unexpected_rto = self.warehouse.unexpected_rto, []  # booked already this sync
        try:
            super().sync_returns()
        finally:
            self.warehouse.unexpected_rto = parcels


class BreachedOrderSellerCancelled(Connector):
    """DS-PO-ON-HOLD. Ops read "AJIO flags an order not manifested by its dispatch_by and cancels it" as a certainty:
    an acknowledged order AJIO shows sla_breached is cancelled by the seller at once, "before AJIO does it and counts
    it against us, and so its units are free again". AJIO cancels only where so configured (off by default): an
    order waiting for a PO that came late (a PO after 48 hours) is cancelled by the seller instead of being invoiced
    and shipped when its PO arrives, as the rule wants (on hold however late)."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        out = super().read_orders(order_ids)
        for order_id, order in out.items():
            mine = self.state.orders.get(order_id)
            if mine is not None and order.get("sla_breached"):
                mine["sla_breached"] = True
        return out

    def fulfil(self) -> None:
        for order_id in self.state.in_stage("acknowledged"):
            mine = self.state.orders[order_id]
            if mine.get("sla_breached") and mine.get("status") == "CONFIRMED":   # the bug: breached is not cancelled
                try:
                    self.seller_cancel(order_id)
                    log(f"{order_id}: dispatch SLA breached: cancelled before AJIO does")
                except AjioError as exc:
                    self.errors += 1
                    log(f"{order_id}: {exc}")
        super().fulfil()


class StockPushedAfterAcknowledgement(Connector):
    """DS-INVENTORY-CHANGED-ONLY. "Never let the storefront oversell between two cycles": right after acknowledging,
    the connector pushes each SKU it confirmed units of, at the warehouse's count less what this sync confirmed.
    AJIO's own count already went down with the order (and back up with the units the seller cancelled): every push
    is of a count AJIO already shows, one line per SKU per sync that acknowledged anything."""

    def acknowledge_imported(self) -> None:
        super().acknowledge_imported()
        lines = [{"sku": sku, "quantity": max(0, self.warehouse.available(sku) - units)}
                 for sku, units in self.reserved.items() if units > 0]             # the bug: AJIO already shows it
        for start in range(0, len(lines), self.INVENTORY_BATCH):
            self.push_inventory_batch(lines[start:start + self.INVENTORY_BATCH])


class RetryBudgetPerFailureKindClient(AjioClient):
    def _send(self, *args, **kwargs):
        outer = getattr(self, "_tries", None)
        self._tries = {}
        try:
            return super()._send(*args, **kwargs)
        finally:
            self._tries = outer

    def may_retry(self, method: str, failure, attempt: int, limit: int) -> bool:
        if isinstance(failure, Exception):
            kind = "transport"
        elif failure.status_code == 429:
            kind = "throttle"
        else:
            kind = "server"
        tries = self._tries.get(kind, 0)
        if tries >= self.RETRIES:                                              # the bug: a budget per kind
            return False
        self._tries[kind] = tries + 1
        return True


class RetryBudgetPerFailureKind(Connector):
    """API-RETRY-TRANSIENT. The retry loop was written as three handlers, each with "its" three retries: one for
    throttling (429), one for server errors (5xx), one for the network (reset, cut body). A call whose failures
    change kind (a 503, then a reset, then a 429, as a gateway falls over) is sent up to ten times in a row,
    instead of the bounded few the client allows any one call."""

    client_class = RetryBudgetPerFailureKindClient


class PickableZeroTakenAsUnsaid(Connector):
    """DS-SELLER-CANCEL-UNTIL-INVOICED. The warehouse says what it can pick of an order (`pickable`, order -> SKU ->
    units). The check was written `if can.get(sku)` to skip SKUs the warehouse says nothing of; a SKU whose units
    were all lost (pickable 0) is falsy and skipped too. An acknowledged order whose every unit of a SKU was lost is
    not cancelled while the seller still may (before invoicing): it is invoiced and labelled though nothing can be
    picked, and the units AJIO was promised are never given back."""

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        if self.warehouse.pickable is not None and order_id is not None:
            can = self.warehouse.pickable.get(order_id, {})
            return any(l["quantity"] > can[l["sku"]] for l in mine["lines"] if can.get(l["sku"]))  # the bug: 0 skipped
        return super().stock_lost(mine, order_id)

