"""Blind bug hunt 31 (Dropship): six bugs designed from the rulebook before reading the catalogue.

Each class is the reference connector with one planted bug, the diff against the reference being the bug.
"""
from __future__ import annotations

from ajio_client import AjioClient
from connector import Connector, log


class DeliveredOnlyFromShipped(Connector):
    """DS-TRACKING-SYNC. The status sync is written as a state machine of the order's life as the connector saw it:
    DELIVERED closes only an order it saw DISPATCHED ("a stray DELIVERED on an order we never saw leave must not
    close it"). An order picked up and delivered between two syncs (a connector down for a few days, syncs far
    apart, a same-city delivery) goes from manifested straight to DELIVERED: it stays manifested, is re-read at every
    sync for ever, and its courier milestones (DELIVERED among them) are never read."""

    def refresh_held_orders(self) -> None:
        before = {order_id: mine["stage"] for order_id, mine in self.state.orders.items()}
        super().refresh_held_orders()
        for order_id, mine in self.state.orders.items():
            was = before.get(order_id)
            if mine["stage"] == "delivered" and was not in ("shipped", "delivered"):
                log(f"{order_id}: DELIVERED but never seen DISPATCHED here: left {was} until AJIO says more")
                mine["stage"] = was


class QcItemsMergedBySku(Connector):
    """DS-PUTAWAY-GOOD-BAD. The warehouse's putaway (a GRN) counts units per SKU, and the QC payload is built from it:
    one item per SKU, under the first return item of that SKU. A return of an order with two lines of one SKU (two
    units bought as separate lines, a size ordered twice) reports both lines' units against one return item: AJIO
    refuses the QC (every returned unit of every item is reported), and the return is never put away."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        by_sku: dict[str, dict] = {}
        for i in ret["return_order_items"]:
            units = i["return_quantity"] - i["cancelled_return_quantity"]
            if units <= 0:
                continue
            sku = (i.get("item_details") or {}).get("item_code") or i["return_item_id"]
            row = by_sku.setdefault(sku, {"return_item_id": i["return_item_id"], "quantity": 0, "qc_code": code})
            row["quantity"] += units
        items = list(by_sku.values())
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine.update(stage="put_away", qc_code=code, units=sum(i["quantity"] for i in items))
        log(f"put away {ret['return_order_id']}: {code}")


class DocumentThrottleFixedPauseClient(AjioClient):
    def retry_wait(self, response, attempt: int):
        if response.status_code == 429 and response.request.path_url.startswith("/documents/"):
            return 1.0  # the file fetcher's own pause: documents are "static files", no Retry-After read
        return super().retry_wait(response, attempt)


class DocumentThrottleFixedPause(Connector):
    """API-THROTTLE-RETRY-AFTER. PDFs are fetched like static files: the downloader retries a 429 after its own fixed
    one-second pause, not reading Retry-After (the team took AJIO's throttle for the API's, not the documents').
    A throttled document download announcing a longer Retry-After is sent again too soon, three times."""

    client_class = DocumentThrottleFixedPauseClient


RTO_GIVE_UP_AFTER = 5


class RtoGivenUpAfterFiveFailed(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED. A parcel whose RTO creation AJIO answered FAILED five syncs running is "for a
    person": the connector stops trying it for good (the log line is the hand-over, and nobody reads it). AJIO's
    FAILED can last longer (the order not yet returnable on AJIO's side for a day of half-hourly syncs): the parcel
    that came back without an expectation is never booked back, never put away and never credited."""

    def rto_may_try(self, order_id: str) -> bool:
        tries = self.state.meta.get("rto_failed", {}).get(order_id, 0)
        if tries >= RTO_GIVE_UP_AFTER:
            log(f"RTO for {order_id}: FAILED {tries} times; left for a person")
            return False
        return super().rto_may_try(order_id)


class CancelledOrderKeepsAllocation(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK. Stock is allocated over the orders imported from pendency, in the order they were
    imported; an order the re-read shows cancelled by the customer is dropped at AJIO, but its allocation is released
    only when the WMS processes the cancellation, after this acknowledgement run. Within the sync its units stay
    taken: a later order of the same SKU finds them gone and is seller-cancelled for stock the warehouse holds."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        out = super().read_orders(order_ids)
        self.__dict__["last_read"] = out
        return out

    def orders_to_acknowledge(self) -> list[dict]:
        imported = set(self.state.in_stage("imported"))
        todo = super().orders_to_acknowledge()
        read = self.__dict__.get("last_read", {})
        for order_id in imported:
            order = read.get(order_id)
            if order is None or self.state.orders.get(order_id, {}).get("stage") != "cancelled":
                continue
            for line in order.get("order_lines", ()):
                ordered = line.get("ordered_quantity")
                if ordered is None:
                    ordered = (line.get("quantity") or 0) + (line.get("customer_cancelled_qty") or 0)
                sku = line["item_details"]["item_code"]
                self.reserved[sku] = self.reserved.get(sku, 0) + ordered
        return todo


class SessionPerPhase(Connector):
    """AUTH-LOGIN-SPARINGLY. Each phase of the sync was a job of its own (inventory, orders, fulfilment, returns) with
    its own session, and merging them into one process kept that: every phase starts by dropping the token, so a
    sync logs in once per phase that calls AJIO, up to ten times, though the token lives 30 minutes."""

    def sync(self) -> None:
        client = self.client
        original = {name: getattr(self, name) for name in self.PHASES}

        def fresh(phase):
            def run():
                client.token = None  # a new session for this job
                return phase()
            return run

        for name, phase in original.items():
            setattr(self, name, fresh(phase))
        try:
            super().sync()
        finally:
            for name in original:
                self.__dict__.pop(name, None)


class RetiredWithDocumentsOwed(Connector):
    """DS-INVOICE-PDF-FETCHED: the reference until blind hunt 31. A finished order leaves the state once its courier
    milestones are read, whatever documents it still owes: an order AJIO cancels after invoicing it (its dispatch
    SLA), its B2B invoice's PDF not yet downloaded, is retired with it, and the invoice AJIO issued is never kept."""

    def retirable(self, mine: dict) -> bool:
        return not self.tracking_owed(mine)                                     # the bug: documents owed or not
