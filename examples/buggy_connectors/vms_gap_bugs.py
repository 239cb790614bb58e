"""VMS layer bugs for the gaps the blind hunts named and left open (their notes): the reference VMS layer with ONE
planted mistake each. buggy.py lists them by name; each fails the scenario written for its gap
(tests/harness/test_run_vms.py)."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from ajio_client import AjioClient, AjioError
from connector import log
from hunt27_jit_bugs import PagesEndAtFailedPage
from hunt29_ds_bugs import OwedDocumentsGivenUp, QcRetriedOverClient
from hunt30_jit_bugs import GatewayErrorsFinalClient
from hunt31_ds_bugs import DocumentThrottleFixedPauseClient
from hunt31_jit_bugs import RetryAfterOn503OnlyClient
from hunt32_ds_bugs import DocumentUnauthorisedDroppedClient, SkuLeadingZerosStripped
from hunt32_jit_bugs import TRACKING_WINDOW_S, LoginFixedPauseClient
from hunt33_ds_bugs import RetryBudgetPerFailureKindClient
from vms_connector import VmsConnector
from vms_hunt28_bugs import ShortPageClient


class DocumentBodyUncheckedClient(AjioClient):
    """The reference's old client (every model): a document's 200 is kept whatever its body, so a PDF that came back
    empty, cut short or garbled is filed as the document and never downloaded again (found by blind hunt 29)."""

    def document(self, url: str) -> bytes:
        return self._send("GET", url, {"json": None, "params": None}, parse=False).content


class DocumentBodyUnchecked(VmsConnector):
    """VMS-PO-AFTER-ACK, VMS-PACK-DOCUMENTS: a document answered 200 is kept as it came (the client's old way): a
    garbled PO PDF is filed and never asked for again."""

    client_class = DocumentBodyUncheckedClient


class FailedPdfEndsPhase:
    """Mixin (the reference's old behaviour, every model): a document of kind `ends_phase` whose download fails past
    the retries leaves the phase there, instead of holding back its own order or return only; while that one PDF
    stays down, every order or return after it in the phase waits too."""

    ends_phase = ""

    def kept(self, key: str, url: str, kind: str) -> bool:
        if kind != self.ends_phase:
            return super().kept(key, url, kind)
        self.keep_document(url, kind)  # a failure raises out of the phase
        return True


class PoPassStopsAtFailedPdf(FailedPdfEndsPhase, VmsConnector):
    """VMS-PO-AFTER-ACK (the reference's old behaviour): the PO pass ends at the first PO PDF that fails, so the
    orders after it never get their POs, nor e-invoices, while that PDF stays down."""

    ends_phase = "purchase order"


class RsiPassStopsAtFailedPdf(FailedPdfEndsPhase, VmsConnector):
    """VMS-RSI-MODEL (the reference's old behaviour): the RSI pass ends at the first RSI PDF that fails, so the RSIs
    after it are never accepted while that PDF stays down."""

    ends_phase = "RSI"


class ReturnsOfOwnOrdersOnly(VmsConnector):
    """VMS-QC-PASS-FAIL: returns are matched to the layer's own orders: the return of an order it never handled
    (handed over before a reinstall, a lost disk, or by the integrator it replaced) is left "to whoever shipped
    it" and never checked, though AJIO lists its parcel at the warehouse."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if not self.state.holds(ret["order_id"]):
            log(f"return {ret['return_order_id']}: order {ret['order_id']} is not ours, left alone")
            return
        super().quality_check(ret, mine)


class FailedPageEndsList(VmsConnector):
    """API-PAGING: a later page of the orders or returns list that fails past the retries is taken for the list's
    end ("read what we can"; the JIT form is jit_h27_failed_page_ends_list): the window then moves past what that
    page held, and those orders are never acknowledged or those returns never checked."""

    client_class = PagesEndAtFailedPage


def returns_only(pager: type[AjioClient]) -> type[AjioClient]:
    """`pager`'s way of paging for the returns read alone (its own pager, written apart); every other list is read
    as the reference reads it."""

    class ReturnsOnly(pager):
        def pages(self, path, key, **params):
            if path != "/returns":
                return AjioClient.pages(self, path, key, **params)
            return super().pages(path, key, **params)

    return ReturnsOnly


class ReturnsFailedPageEndsList(VmsConnector):
    """API-PAGING: a later page of the returns list that fails past the retries is taken for the list's end: the
    returns window moves past what that page held once the others are done, and that parcel is never checked."""

    client_class = returns_only(PagesEndAtFailedPage)


class ReturnsShortPageEndsList(VmsConnector):
    """API-PAGING: a returns page shorter than the page size is taken for the list's last page, whatever
    page.totalPages says (the orders form is vms_h28_short_page_ends_list): when AJIO's list lags and leaves a
    return out of page 0, page 1 is not read in that sync, and its return waits for a later read."""

    client_class = returns_only(ShortPageClient)


class OwedDocumentsGivenUpVms(OwedDocumentsGivenUp, VmsConnector):
    """VMS-PACK-DOCUMENTS: blind hunt 29's Dropship bug (ds_h29_owed_documents_given_up) in the VMS layer: packing
    documents that failed at three syncs are dropped "for a person", and the parcel is handed over without them.
    It passed all 137 VMS layer scenarios; fulfilment/packing_documents_owed now keeps the documents down for four."""


class QcRetriedOverClientVms(QcRetriedOverClient, VmsConnector):
    """API-RETRY-TRANSIENT: blind hunt 29's Dropship bug (ds_h29_qc_retried_over_client) in the VMS layer: the QC
    call wrapped in a loop of three attempts over the client's own retries, a dozen tries in one sync of AJIO's QC
    call down. It passed all 137 VMS layer scenarios; returns/qc_down_for_a_sync now bounds the tries."""


class InvoiceParkedAfterFailedSyncs(VmsConnector):
    """VMS-MODEL2-RMS-INVOICES: blind hunt 29's JIT bug (jit_h29_po_parked_after_failed_syncs) in the VMS layer: an
    order whose RMS invoice failed in three syncs is parked for a person and never tried again, so an hour or two
    of AJIO's invoice call down leaves it uninvoiced for good. It passed all 137 layer scenarios; the longest invoice
    outage was two syncs (forward/rms_invoice_down_for_a_sync now keeps it down for four)."""

    PARK_AFTER = 3

    def invoice_order(self, order_id: str, mine: dict) -> None:
        if mine.get("failed_syncs", 0) >= self.PARK_AFTER:
            log(f"{order_id}: its invoice failed {mine['failed_syncs']} times, parked for a person")
            return
        try:
            super().invoice_order(order_id, mine)
        except AjioError:
            mine["failed_syncs"] = mine.get("failed_syncs", 0) + 1
            self.noted += 1
            raise


class GatewayErrorsFinal(VmsConnector):
    """API-RETRY-TRANSIENT (blind hunt 30's JIT class, tried on the VMS layer: it passed all 138 layer scenarios): retries
    500 and 503 but takes a gateway's 502 or 504 as final, on reads and writes: the call is abandoned at its first
    failure and its order waits for a later sync."""

    client_class = GatewayErrorsFinalClient


class LongRetryAfterCappedClient(AjioClient):
    """The reference client's way until blind hunt 31: a 5xx's Retry-After is honoured up to the client's 30 s
    limit, so an announced wait longer than that is cut short and the call sent again inside it."""

    def retry_wait(self, response, attempt):
        announced = self.retry_after_seconds(response.headers.get("Retry-After"))
        if response.status_code >= 500 and announced is not None:
            return min(announced, self.MAX_RETRY_AFTER_S) + 0.05
        return super().retry_wait(response, attempt)


class RetryAfterOn503Only(VmsConnector):
    """API-RETRY-TRANSIENT (overdoes): blind hunt 31's JIT bug (jit_h31_retry_after_on_503_only) on the VMS layer:
    Retry-After read on a 429 or a 503 only, so a 500, 502 or 504 announcing a wait is sent again on the client's own
    backoff."""

    client_class = RetryAfterOn503OnlyClient


class LongRetryAfterCappedOn5xx(VmsConnector):
    """API-RETRY-TRANSIENT (overdoes): the reference client's old way (jit_long_retry_after_capped_on_5xx) on the VMS
    layer: a 5xx's Retry-After honoured up to 30 s, so a longer announced wait is cut short."""

    client_class = LongRetryAfterCappedClient


class DocumentThrottleFixedPause(VmsConnector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 31's Dropship class (ds_h31_document_throttle_fixed_pause) on the VMS
    layer: a PDF download (PO, label, B2C invoice, manifest, RSI) answered 429 is retried after the downloader's own
    one-second pause, not the announced Retry-After."""

    client_class = DocumentThrottleFixedPauseClient


class CancelledOrderKeepsAllocation(VmsConnector):
    """VMS-ACK-SOFT-RESERVED: blind hunt 31's Dropship class (ds_h31_cancelled_order_keeps_allocation) on the VMS
    layer: an order the customer cancelled during the hold keeps its soft reservation until the WMS processes the
    cancellation, after this acknowledgement run: within the sync its units stay taken, and a later order of the same
    SKU is seller-cancelled for stock the warehouse holds."""

    def fetch_orders(self) -> None:
        waiting = {order_id: [dict(line) for line in mine.get("lines", ())]
                   for order_id, mine in self.state.orders.items() if mine["stage"] == "new"}
        super().fetch_orders()
        self.__dict__["still_allocated"] = still = {}
        for order_id, lines in waiting.items():
            if self.state.orders[order_id]["stage"] == "cancelled":
                for line in lines:
                    still[line["sku"]] = still.get(line["sku"], 0) + line["quantity"]

    def shortfall(self, mine: dict, reserved: dict[str, int] | None = None) -> list[dict]:
        still = self.__dict__.get("still_allocated") or {}
        if reserved is not None and still:  # the acknowledgement's count: the cancelled orders' units still taken
            reserved = {sku: reserved.get(sku, 0) + still.get(sku, 0) for sku in {*reserved, *still}}
        return super().shortfall(mine, reserved)
class RtoRequestGivenUpAfterFiveFailed(VmsConnector):
    """VMS-RTO-REQUEST: blind hunt 31's Dropship class (ds_h31_rto_given_up_after_five_failed) on the VMS layer: an
    RTO generation request that failed five syncs running is "for a person": the layer stops asking for good (the log
    line is the hand-over, and nobody reads it). AJIO's RTO generation can be down longer (a morning of half-hourly
    syncs): the parcel that came back without an expectation never gets one, is never checked nor credited."""

    GIVE_UP_AFTER = 5

    def request_rto(self, order_id: str) -> None:
        failed = self.meta.setdefault("rto_failed", {})
        if failed.get(order_id, 0) >= self.GIVE_UP_AFTER:
            log(f"RTO generation request for {order_id}: failed {failed[order_id]} times; left for a person")
            return
        try:
            super().request_rto(order_id)
        except AjioError:
            failed[order_id] = failed.get(order_id, 0) + 1
            raise


class RtoRefusalEndsPhase(VmsConnector):
    """VMS-RTO-REQUEST: the reference's old returns phase (until blind hunt 32's VMS helper read it): the RTO
    generation requests go out parcel by parcel with no care for one AJIO refuses, so the first parcel it will not
    take (another store's order misrouted to this warehouse: 404) ends the phase at every sync and no parcel logged
    after it is ever asked for."""

    def book_back_parcel(self, order_id: str) -> None:
        self.request_rto(order_id)


class Document401Dropped(VmsConnector):
    """AUTH-TOKEN-30-MIN: blind hunt 32's Dropship class (ds_h32_document_401_dropped) on the VMS layer: a 401 on a
    PDF download (PO, B2C invoice, label, manifest, RSI) is taken for an expired link, not an expired session: no
    login, no retry, the document skipped as handled and never kept."""

    client_class = DocumentUnauthorisedDroppedClient


class SkuLeadingZerosStrippedVms(SkuLeadingZerosStripped, VmsConnector):
    """VMS-ACK-SOFT-RESERVED: blind hunt 32's Dropship class (ds_h32_sku_leading_zeros_stripped) on the VMS layer:
    an order line's SKU is looked up in the warehouse exactly, then with its leading zeros stripped, so an order of a
    SKU the warehouse does not hold is acknowledged from a look-alike's stock instead of cancelled."""


class LoginThrottleFixedPause(VmsConnector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 32's JIT class (jit_h32_login_throttle_fixed_pause) on the VMS layer: a
    throttled login is asked again after a fixed 2 s of the client's own ("auth is its own bucket"), Retry-After
    unread; every other call honours it. A login throttled with a longer Retry-After is sent again inside it."""

    client_class = LoginFixedPauseClient


class StatusSyncOneWeek(VmsConnector):
    """API-NO-UPDATED-SINCE: blind hunt 32's JIT class (jit_h32_status_sync_one_week) on the VMS layer, which follows an
    order from its acknowledgement to its handover: to keep the orders read short, an order is re-read for seven days
    after its acknowledgement ("the ERP e-invoices it the same day, the truck takes it the next"), then no longer
    widens the read. An order whose e-invoice or cancellation comes later (the layer itself stopped for two weeks, an
    ERP down for a week) is never seen INVOICED or CANCELLED: it waits for its invoice here for ever."""

    def rereads(self, mine: dict) -> bool:
        return super().rereads(mine) and self.clock - mine.get("acknowledged_at", self.clock) <= TRACKING_WINDOW_S


class PickableZeroTakenAsUnsaid(VmsConnector):
    """VMS-MODEL2-PARTIAL-CANCEL: blind hunt 33's Dropship class (ds_h33_pickable_zero_taken_as_unsaid) on the VMS
    layer: the warehouse's pick report is read with `if can.get(sku)`, so a SKU it can pick none of (0) is taken for
    one it says nothing of: the order is invoiced (model 2) or packed (model 1) for units nobody can pick, instead
    of those being cancelled."""

    def not_picked(self, order_id: str, mine: dict) -> list[dict]:
        if self.warehouse.pickable is None:
            return super().not_picked(order_id, mine)
        can = self.warehouse.pickable.get(order_id, {})
        return [{"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"] - can[l["sku"]]}
                for l in mine["lines"] if can.get(l["sku"]) and l["quantity"] > can[l["sku"]]]  # the bug: 0 skipped


class RetryBudgetPerFailureKind(VmsConnector):
    """API-RETRY-TRANSIENT (overdoes): blind hunt 33's Dropship class (ds_h33_retry_budget_per_failure_kind) on the VMS
    layer: a retry budget per kind of failure (3 for resets and cut bodies, 3 for 5xx, 3 for 429), so a call whose
    failures change kind is sent about ten times in a row."""

    client_class = RetryBudgetPerFailureKindClient


class ManifestTakenOverwritten(VmsConnector):
    """API-CHANGE-SENT-ONCE (overdoes): blind hunt 33's Dropship class (ds_h33_ack_applied_lines_overwritten) on the
    VMS layer, on the manifest AJIO answers order by order: a manifest that failed some orders inside its 200 is kept
    open as one handover, its rest sent again first at the next sync. The orders AJIO took are noted as those of the
    last answer (`batch["taken"] = ...`): a second partial failure of the same manifest forgets the first's, and an
    order AJIO manifested two syncs ago is sent again."""

    def manifest_in_flight(self) -> list[str]:
        batch = self.state.meta.get("manifest_batch")
        if batch:
            return [order_id for order_id in batch["orders"] if order_id not in batch["taken"]]
        return super().manifest_in_flight()

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        self.manifest_noted(chunk, answer)
        super().manifest_answered(chunk, answer)

    def manifest_noted(self, chunk: list[str], answer: dict) -> None:
        failed = {f.get("orderId") for f in answer.get("failed") or ()}
        if not failed & set(chunk):
            self.state.meta.pop("manifest_batch", None)
            return
        orders = self.state.meta.get("manifest_batch", {}).get("orders") or chunk
        self.state.meta["manifest_batch"] = {"orders": orders,
                                             "taken": [o for o in chunk if o not in failed]}  # the bug: overwritten


# -- blind hunt 34's ERP class (erp_h34_rsi_ignores_posting_throttle), tried on the connectors --------------------------
class ThrottlePerPathClient(AjioClient):
    """One throttle per endpoint ("AJIO rate-limits each API"): a Retry-After too long to wait in a sync holds the
    throttled endpoint only (its path, ids left out: every order's acknowledgement is one endpoint); a call to any
    other endpoint goes out at once. AJIO throttles per user, so it is as early as a
    repeat of the throttled call (API-THROTTLE-RETRY-AFTER)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.holds: dict[str, float] = {}   # endpoint -> time.monotonic() until which it is held

    def _send(self, method: str, url: str, kwargs: dict, **options):
        # the endpoint: the path with its ids (any segment holding a digit) left out
        path = "/".join("{id}" if any(c.isdigit() for c in part) else part for part in urlsplit(url).path.split("/"))
        outer = self.blocked_until
        self.blocked_until = self.holds.get(path, 0.0)   # the bug: this path's hold only
        try:
            return super()._send(method, url, kwargs, **options)
        finally:
            if self.blocked_until > time.monotonic():
                self.holds[path] = self.blocked_until
            self.blocked_until = outer


class ThrottlePerPath:
    """Connector mixin: ThrottlePerPathClient, its holds kept across runs per path (as the reference keeps its one
    hold, by both clocks)."""

    client_class = ThrottlePerPathClient

    def keep_throttle_hold(self) -> None:
        now, clock = time.monotonic(), self.seller_now()
        self.state.meta["throttled_paths"] = {
            path: {"wall": time.time() + until - now, "clock": clock + until - now}
            for path, until in self.client.holds.items() if until > now}

    def resume_throttle_hold(self) -> None:
        for path, hold in (self.state.meta.get("throttled_paths") or {}).items():
            left = min(hold["wall"] - time.time(), hold["clock"] - self.seller_now())
            if left > 0:
                self.client.holds[path] = time.monotonic() + left


class ThrottleHeldPerPath(ThrottlePerPath, VmsConnector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 34's ERP class (erp_h34_rsi_ignores_posting_throttle) on the VMS layer: a
    429 whose Retry-After is too long to wait in the sync holds its own path only: the orders list, the
    acknowledgements, the invoices, the documents go on inside the announced wait."""
