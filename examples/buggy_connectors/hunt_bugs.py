"""Bugs of the third blind Dropship/JIT bug hunt that the catalogue let through (or caught under another
rule): each class is the reference connector with ONE planted mistake. buggy.py lists them by name; each
fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

import time

from ajio_client import AjioClient
from connector import Connector, log  # noqa: F401
from jit_connector import JitConnector


class CapsRetryAfterClient(AjioClient):
    """Never let one call stall a sync: every wait (429 Retry-After included) is capped at MAX_BACKOFF_S (5 s),
    and a long Retry-After is retried after 5 s instead of being left for the next sync."""

    def retry_wait(self, response, attempt):
        announced = self.retry_after_seconds(response.headers.get("Retry-After"))
        if response.status_code == 429:
            wait = 1.0 if announced is None else announced
            return min(wait, self.MAX_BACKOFF_S) + 0.05
        return super().retry_wait(response, attempt)


class DsCapsRetryAfter(Connector):
    """API-THROTTLE-RETRY-AFTER: a 429's Retry-After is capped at 5 s (and a Retry-After over 30 s is retried
    after 5 s instead of waiting for the next sync): calls sent before AJIO said they may be."""
    client_class = CapsRetryAfterClient


class DsRereadsEachOrderAlone(Connector):
    """DS-STATUS-SYNC (overdoes) / API-PAGING: held orders are re-read one GET per order (orderIds=ONE) instead
    of 50 ids per read: N calls per sync for N held orders."""
    IDS_PER_READ = 1


class DsReturnsToWallClock(Connector):
    """DS-RETURN-SYNC: the returns read sends toDate = the connector machine's clock (time.time()), not AJIO's:
    a return dated after the machine's now (AJIO's clock ahead of the seller's machine) is never listed."""

    def returns_window(self):
        window = super().returns_window()
        window["toDate"] = int(time.time())
        return window


class DsReturnsFromWallClock(Connector):
    """DS-RETURN-SYNC: the returns read asks for the last two days by the connector machine's clock
    (fromDate = time.time() - 2 days), not AJIO's: when AJIO's clock is behind the machine's, no return is
    ever listed (the other direction of ds_returns_to_wall_clock)."""

    def returns_window(self):
        return {"fromDate": int(time.time()) - 2 * 86400}


class DsSkipsProcessedReturns(Connector):
    """DS-CREDIT-NOTE-FETCHED: a return first seen already RETURN_PROCESSED (its putaway went through but the
    answer was lost, or it was put away from another screen) is left "seen": its credit note is never fetched.
    Changes requests only when a QC answer is lost (or putaway happens outside the connector)."""

    def sync_returns(self):
        expected_orders = {mine["order_id"] for mine in self.state.returns.values()}
        for ret in self.client.pages("/returns", "returns", **self.returns_window()):
            expected_orders.add(ret["order_id"])
            mine = self.state.returns.setdefault(ret["return_order_id"], {"order_id": ret["order_id"], "stage": "seen"})
            mine["return_date"] = ret["return_date"]
            if ret["return_status"] == "RETURN_DELIVERED" and mine["stage"] == "seen":
                self.quality_check(ret, mine)
            elif ret["return_status"] == "RETURN_CANCELLED":
                mine["stage"] = "closed"
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in expected_orders and order_id not in self.state.rto_created:
                self.create_rto(order_id)


class DsOwnRtoQcGood(Connector):
    """DS-PUTAWAY-GOOD-BAD: an RTO the seller creates (parcel back without an expectation) is always put away
    GOOD ("it never reached a customer"), whatever the warehouse's QC says."""

    def create_rto(self, order_id):
        mine = self.state.orders.get(order_id, {})
        lines = mine.get("lines") or [{"order_item_id": l["order_item_id"], "quantity": l["quantity"]}
                                      for l in self.read_orders([order_id])[order_id]["order_lines"]]
        answer = self.client.post("/return/rto", {"order_id": order_id, "order_items": [
            {"order_item_id": l["order_item_id"], "quantity": l["quantity"], "qc_code": "GOOD"}
            for l in lines if l["quantity"] > 0]})
        self.state.rto_created.append(order_id)
        self.state.returns[answer["return_order_id"]] = {"order_id": order_id, "stage": "put_away"}


class DsPoPdfAtInvoice(Connector):
    """DS-PO-FETCHED: the PO PDF is downloaded when the order is invoiced ("we file it with the invoice"), not
    when the PO appears: an order cancelled between its PO and its invoice never has its PO fetched, and a
    PO fetch that fails takes the invoice with it."""

    def keep_document(self, url, kind):
        if kind == "purchase order":
            return b""  # noted by refresh_held_orders, fetched at invoicing (below)
        return super().keep_document(url, kind)

    def refresh_held_orders(self):
        urls = {}
        real_read = self.read_orders

        def reading(ids):
            current = real_read(ids)
            urls.update({o: order.get("po_pdf_url") for o, order in current.items() if order.get("po_pdf_url")})
            return current
        self.read_orders = reading
        try:
            super().refresh_held_orders()
        finally:
            del self.read_orders
        for order_id, url in urls.items():
            if order_id in self.state.orders:
                self.state.orders[order_id]["po_pdf_url"] = url

    def invoice(self, order_id, mine):
        if mine.get("po_pdf_url") and not mine.get("po_fetched"):
            Connector.keep_document(self, mine["po_pdf_url"], "purchase order")
            mine["po_fetched"] = True
        super().invoice(order_id, mine)


class DsWarehouseReadOnce(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE / DS-ACK-WHAT-IS-IN-STOCK: the warehouse file is read once when the
    connector starts, not at every sync: a daemon keeps the stock, QC outcomes and unexpected RTOs of its
    start. One run = one sync behaves exactly as the reference."""

    def read_warehouse(self):
        return self.warehouse   # the bug: the file as read at start-up, never again


class DsReservedKeptAcrossSyncs(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK: the units acknowledgements reserve are kept in a dict made at start-up and never
    cleared: a daemon subtracts every earlier sync's confirmations from the warehouse count (which already
    shows them gone), so it seller-cancels units it has. One run per sync is unaffected."""

    def __init__(self, env, assume_stock=None):
        super().__init__(env, assume_stock)
        self.reserved_ever: dict[str, int] = {}

    def reservations(self) -> dict[str, int]:
        return self.reserved_ever   # the bug: the dict made at start-up, never cleared

    def acknowledge_imported(self) -> None:
        super().acknowledge_imported()
        self.reserved_ever = self.reserved


class JitReconPushesEverything(JitConnector):
    """JIT-INVENTORY-PUSH ("only what changed") / JIT-INVENTORY-RECONCILE: the daily reconciliation reads AJIO's
    view, then pushes every pulled SKU's count again, drifted or not."""

    def reconcile_inventory(self):
        if not self.warehouse.settings.get("inventory_recon", True) or self.state.extra.get("reconciled") == self.today():
            return
        self.client.get("/inventory")
        lines = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()]
        for start in range(0, len(lines), self.INVENTORY_BATCH):
            self.push_inventory_batch(lines[start:start + self.INVENTORY_BATCH])
        self.state.extra["reconciled"] = self.today()


class JitReservesAgainstItself(JitConnector):
    """JIT-SELLER-CANCEL-UNTIL-PACKED / JIT-PO-PROCESSED: the units held by invoiced or prefetched POs are
    subtracted from the warehouse count also for the PO being picked itself: at pack time a PO counts its own
    units as taken by "another" PO and cancels what it has on the shelf (tight stock, prepack or a pack retried)."""

    def allocated(self, sku):
        held = sum(line["open"] for po_id, mine in getattr(self, "reserving", {}).items()
                   if mine["stage"] in ("invoiced", "picking")
                   for line in mine.get("lines", ()) if line["sku"] == sku)
        return held + getattr(self, "packed_now", {}).get(sku, 0)


class JitPrepackedNotReserved(JitConnector):
    """JIT-PO-PROCESSED / JIT-SELLER-CANCEL-UNTIL-PACKED: only invoiced POs hold their units until packed, not
    prefetched ones (stage picking): a new PO is given units a prefetched PO is waiting to pack, so two POs
    are promised the same unit and one is short at pack."""

    def allocated(self, sku):
        held = sum(line["open"] for po_id, mine in getattr(self, "reserving", {}).items()
                   if mine["stage"] == "invoiced" and po_id != self.picking_for
                   for line in mine.get("lines", ()) if line["sku"] == sku)
        return held + getattr(self, "packed_now", {}).get(sku, 0)


class JitStatusSyncUntilDispatched(JitConnector):
    """API-NO-UPDATED-SINCE / JIT-COURIER-AFTER-MANIFEST: POs are re-read only until the courier picks them up
    (DISPATCHED): their delivery to AJIO is never learnt (the PO stays "shipped")."""

    HELD_STAGES = ("manifested",)   # the bug: the reference re-reads shipped POs too, until they are delivered


class JitCancelsUnmappedLines(JitConnector):
    """JIT-SKU-MAPPING: a PO line whose ProductId~VariantId is not in the pulled SKUs is seller-cancelled as
    "not ours" (the rest of the PO is processed) instead of waiting for the next SKU pull to map it."""

    def map_lines(self, po):
        lines = []
        for line in po["order_lines"]:
            sku = self.sku_of(line)
            lines.append({"order_item_id": line["order_item_id"], "sku": sku or f"UNMAPPED:{line['sku_code']}",
                          "open": line["open_quantity"]})
        return lines

    def picked(self, line):
        if line["sku"].startswith("UNMAPPED:"):
            return 0
        return super().picked(line)


class JitCapsRetryAfter(JitConnector):
    """API-THROTTLE-RETRY-AFTER: a 429's Retry-After capped at 5 s, a long one retried after 5 s."""
    client_class = CapsRetryAfterClient


class JitBoxesIncludeCancelledLines(JitConnector):
    """JIT-PACK-MATCHES-INVOICE: every PO line is put in the (first) box, a line fully cancelled for a short pick
    included with quantity 0."""

    def boxes(self, po_id, lines):
        boxes = super().boxes(po_id, lines)
        if boxes:
            for line in lines:
                if line["open"] == 0:
                    boxes[0]["items"].append({"order_item_id": line["order_item_id"], "quantity": 0})
        return boxes


class RetryAt5xxAtOnceClient(AjioClient):
    """A 5xx is "a blip": retried at once, no backoff and no Retry-After (429 handling unchanged)."""

    def retry_wait(self, response, attempt):
        if response.status_code >= 500:
            return 0.0
        return super().retry_wait(response, attempt)


class DsRetries5xxAtOnce(Connector):
    """API-RETRY-TRANSIENT ("never hammered"): 5xx answers are retried immediately, ignoring Retry-After and
    without backoff. Same number of calls as the reference; only their spacing (and Retry-After) differs."""
    client_class = RetryAt5xxAtOnceClient


class JitRetries5xxAtOnce(JitConnector):
    """API-RETRY-TRANSIENT ("never hammered"): 5xx retried at once, no backoff, Retry-After ignored."""
    client_class = RetryAt5xxAtOnceClient
