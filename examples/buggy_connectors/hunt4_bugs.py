"""Bugs of the fourth blind Dropship/JIT bug hunt that the catalogue let through (or caught under another
rule), and two mistakes the hunt found in the reference connector itself (now mended there): each class is
the reference connector with ONE planted mistake. buggy.py lists them by name; each fails the scenario
written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

import time

from ajio_client import PAGE_SIZE, AjioClient, AjioError
from connector import Connector, log
from jit_connector import RETURNS_LOOKBACK_S, JitConnector
from vms_connector import VmsConnector


class OffsetReturnsClient(AjioClient):
    """Pages the returns list as if `page` were an offset (0, 50, 100...), as some REST APIs do."""

    def pages(self, path, key, **params):
        if path != "/returns":
            yield from super().pages(path, key, **params)
            return
        index = 0
        while True:
            answer = self.get(path, **params, page=index * PAGE_SIZE, size=PAGE_SIZE)
            yield from answer[key]
            if index + 1 >= answer["page"]["totalPages"]:
                return
            index += 1


class ResetAtOnceClient(AjioClient):
    """Retries a call that got no usable answer (reset, cut body) at once: "the connection just dropped"."""

    def transport_wait(self, attempt):
        return 0.0


class DsResetRetriedAtOnce(Connector):
    """API-RETRY-TRANSIENT: a call that got no usable answer (reset connection, cut body) is retried at once,
    without backoff: a flapping AJIO is hammered (the same requests, only sooner)."""
    client_class = ResetAtOnceClient


class JitResetRetriedAtOnce(JitConnector):
    """API-RETRY-TRANSIENT (JIT): a call that got no usable answer is retried at once, without backoff."""
    client_class = ResetAtOnceClient


class VmsResetRetriedAtOnce(VmsConnector):
    """API-RETRY-TRANSIENT (VMS): a call that got no usable answer is retried at once, without backoff."""
    client_class = ResetAtOnceClient


class DsReturnsPagesByOffset(Connector):
    """API-PAGING: GET /ds/returns read with `page` as an offset (page=0, 50, 100...): with more than 50 returns
    in the window the second page asked for (page=50) is empty and returns 51-100 are never seen."""
    client_class = OffsetReturnsClient


class DsAckThrottledParked(Connector):
    """API-THROTTLE-RETRY-AFTER: an acknowledgement still throttled after the client's waits is parked for an
    operator instead of being left for the next sync: the order is never acknowledged, AJIO cancels it."""

    def acknowledgement_failed(self, order_id, exc):
        if exc.status == 429:
            self.state.orders[order_id] = {"stage": "parked"}


class FirstManifestPdfOnly:
    """Mixin: of the manifests one sync sends, only the first one's PDF is downloaded."""

    def manifest(self):
        self._manifest_kept = False
        super().manifest()

    def owe_documents(self, mine, *documents):
        if any(kind == "manifest" for _, kind in documents):
            if self._manifest_kept:
                return
            self._manifest_kept = True
        super().owe_documents(mine, *documents)


class DsManifestPdfFirstChunkOnly(FirstManifestPdfOnly, Connector):
    """DS-MANIFEST-FETCHED: over 250 packed orders go on several manifests, but only the first manifest's PDF
    is downloaded ("one manifest sheet per pickup")."""


class DsReturnsAfterNewestExclusive(Connector):
    """DS-RETURN-SYNC: with no return still open, the returns window starts one second after the newest return
    seen ("we have that one already"): a return dated the same second but listed later is never seen."""

    def returns_window(self):
        window = super().returns_window()
        dates = [r["return_date"] for r in self.state.returns.values() if isinstance(r.get("return_date"), int)]
        still_open = [r for r in self.state.returns.values()
                      if isinstance(r.get("return_date"), int) and r["stage"] in ("seen", "put_away")]
        if dates and not still_open:
            window["fromDate"] = max(dates) + 1
        return window


class DsInventoryBatchesOf49(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE: inventory calls of "at most 50" sliced [start:start+49] while the loop
    steps by 50: every 50th changed SKU is never pushed in that sync."""

    def push_inventory_batch(self, batch):
        super().push_inventory_batch(batch[:self.INVENTORY_BATCH - 1])


class DsNoRereadAfterInvoice(Connector):
    """DS-DISPATCH-WITHIN-SLA: the status sync skips invoiced and packed orders ("a customer can no longer
    cancel them"), but AJIO still cancels one past its dispatch_by: it is labelled and manifested anyway."""

    def held_orders(self):
        return [o for o in super().held_orders() if self.state.orders[o]["stage"] not in ("invoiced", "packed")]


class DsAcks50PerSync(Connector):
    """DS-ACK-WITHIN-SLA: at most 50 acknowledgements a sync ("one page, to stay under the throttle"); on a
    sale day the rest pass their acknowledge_by and AJIO cancels them."""

    def orders_to_acknowledge(self):
        return super().orders_to_acknowledge()[:50]


class _SwallowsDocumentError(Connector):
    KIND = ""

    def keep_document(self, url, kind):
        if kind != self.KIND:
            return super().keep_document(url, kind)
        try:
            return super().keep_document(url, kind)
        except AjioError as exc:
            log(f"{kind} PDF not fetched, moving on: {exc}")
            return b""


class DsPoPdfErrorSwallowed(_SwallowsDocumentError):
    """DS-PO-FETCHED: a failed PO PDF download is logged and skipped, the PO number recorded anyway: the PDF is
    never asked again."""
    KIND = "purchase order"


class DsCreditNotePdfErrorSwallowed(_SwallowsDocumentError):
    """DS-CREDIT-NOTE-FETCHED: a failed credit-note PDF download is logged and skipped, the return marked
    credited anyway: the PDF is never fetched again."""
    KIND = "credit note"


class DsReservesPerOrder(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK (the reference's own mistake, found by the hunt): stock is reserved after each
    order, not line by line: two lines of one SKU both confirm the one unit the warehouse has."""

    def confirmable(self, open_qty, sku):
        return min(open_qty, max(0, self.warehouse.available(sku) - self._reserved_before_order(sku)))

    def orders_to_acknowledge(self):
        for order in super().orders_to_acknowledge():
            self._order_start = dict(self.reserved)   # what earlier orders took: this order's lines ignore each other
            yield order

    def _reserved_before_order(self, sku):
        return self._order_start.get(sku, 0)


class DsRecordsInvoiceAfterPdf(Connector):
    """API-CHANGE-SENT-ONCE (the reference's own mistake, found by the hunt): the invoice is recorded only once
    its PDF is kept; when the download fails the next sync POSTs the invoice again."""

    def invoice(self, order_id, mine):
        answer = self.client.post(f"/orders/{order_id}/invoice", {})
        self.keep_document(answer["invoice_pdf_url"], "B2B invoice")
        mine.update(stage="invoiced", invoice_number=answer["invoice_number"])
        log(f"invoiced {order_id}: {answer['invoice_number']}")


class DsRecordsManifestAfterPdf(Connector):
    """API-CHANGE-SENT-ONCE (fifth hunt): a manifest's orders are recorded manifested only once its PDF is kept:
    when the download fails, the next sync sends the dispatch call for them again."""

    def manifest_carrier(self, packed):   # the reference's, with the PDF kept before the orders are recorded
        for start in range(0, len(packed), self.MANIFEST_MAX):
            chunk = packed[start:start + self.MANIFEST_MAX]
            answer = self.client.post("/orders/dispatch", {"dispatchItems": [self.dispatch_item(o) for o in chunk]})
            failed = {f.get("orderId") for f in answer.get("failedDispatchItems", [])}
            self.keep_document(answer["manifestUrl"], "manifest")
            for order_id in chunk:
                if order_id not in failed:
                    self.state.orders[order_id]["stage"] = "manifested"
            log(f"manifest {answer['manifest_id']}: {len(chunk) - len(failed)} shipment(s)")

class DsClosesOnFailedAttempt(Connector):
    """DS-FAILED-ATTEMPT-NOT-FINAL (fifth hunt): a failed delivery attempt is taken as the end of the road: the
    order is closed like a delivered one, so its later delivery (or RTO) is never followed."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for mine in self.state.orders.values():
            if mine["stage"] == "shipped" and (mine.get("courier_seen") or {}).get("delivery_attempts", 0) > 0:
                mine["stage"] = "delivered"


class JitSkipsUnmappedLines(JitConnector):
    """JIT-SKU-MAPPING (fifth hunt): a PO line whose SKU the pull does not list is left out and the rest of the
    PO processed, instead of the whole PO waiting for the mapping."""

    def map_lines(self, po):
        lines = []
        for line in po["order_lines"]:
            sku = self.sku_of(line)
            if sku is not None:
                lines.append({"order_item_id": line["order_item_id"], "sku": sku, "open": line["open_quantity"]})
        return lines or None


class JitReturnsPagesByOffset(JitConnector):
    """API-PAGING: GET /jit/returns read with `page` as an offset: returns 51-100 of the window never pulled."""
    client_class = OffsetReturnsClient


class JitDaemonSyncIdOnce(JitConnector):
    """JIT-PO-PROCESSED: the sync id ("started in this very sync": a prepacked PO is packed at the next sync) is
    set once when the daemon starts: a PO prepacked by any of its syncs is never packed (runs per tick are
    unaffected)."""

    @property
    def sync_id(self):
        return self._sync_id

    @sync_id.setter
    def sync_id(self, value):
        if not hasattr(self, "_sync_id"):   # kept from the first sync of the process
            self._sync_id = value


class JitDaemonDayCached(JitConnector):
    """JIT-INVENTORY-RECONCILE: the seller's day (IST) is computed once at start-up: a daemon reconciles on its
    first day only (runs per tick are unaffected)."""

    def today(self):
        if not hasattr(self, "_today_cached"):
            self._today_cached = super().today()
        return self._today_cached


class JitFifoBlocksOnUnmappedPo(JitConnector):
    """JIT-PO-PROCESSED: POs processed strictly first in, first out: the first PO naming a SKU not pulled yet
    stops the pendency loop, so every later PO waits as long as that SKU stays in moderation."""

    def process_pendency(self):
        for po in list(self.client.pages("/orders/pendency", "orders")):
            if self.state.orders.get(po["order_id"], {}).get("stage", "new") != "new":
                continue
            if self.map_lines(po) is None:
                log(f"PO {po['order_id']} names a SKU not pulled yet: the queue waits for it")
                return
            try:
                self.start_po(po)
            except AjioError as exc:
                self.errors += 1
                log(f"{po['order_id']}: {exc}")


class JitReturnsPulledAtBeforeRead(JitConnector):
    """JIT-RETURNS-CONFIRMED: the returns watermark moves to now before the returns are read: when the read
    fails (AJIO down for the whole sync), after more than the one-day overlap those returns are never pulled."""

    def pull_returns(self):   # the reference's, with the watermark moved first
        now = int(self.warehouse.now if self.warehouse.now is not None else time.time())
        since = self.state.extra.get("returns_pulled_at", now - RETURNS_LOOKBACK_S) - 86400
        self.state.extra["returns_pulled_at"] = now   # the mistake: before the read that may fail
        for ret in self.client.pages("/returns", "returns", fromDate=max(0, since)):
            if ret["return_order_id"] not in self.state.returns:
                self.state.returns[ret["return_order_id"]] = {"order_id": ret["order_id"], "stage": "to_inbound",
                                                              "status": ret["return_status"]}
                log(f"return {ret['return_order_id']} of PO {ret['order_id']}: {ret['return_status']}, to inbound")


class JitManifestPdfFirstChunkOnly(FirstManifestPdfOnly, JitConnector):
    """JIT-MANIFEST-DOCUMENT: over 250 packed POs go on several manifests; only the first one's document is
    downloaded."""
