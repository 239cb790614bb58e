"""Dropship bugs for classes a blind hunt found in another model: the reference Dropship connector with ONE planted
mistake each, tried on the Dropship catalogue. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from ajio_client import PAGE_SIZE, AjioClient, AjioError
from connector import Connector, Warehouse, log
from hunt27_jit_bugs import ResendUntilManifestPdf
from hunt30_jit_bugs import GatewayErrorsFinalClient
from hunt31_jit_bugs import RetryAfterOn503OnlyClient
from hunt32_jit_bugs import TRACKING_WINDOW_S, LoginFixedPauseClient
from vms_gap_bugs import (
    DocumentBodyUncheckedClient,
    FailedPdfEndsPhase,
    LongRetryAfterCappedClient,
    ThrottlePerPath,
    returns_only,
)
from vms_hunt28_bugs import ShortPageClient
from vms_hunt31_bugs import split_after_failure


class ManifestResentUntilPdf(ResendUntilManifestPdf, Connector):
    """API-CHANGE-SENT-ONCE: "manifested" is taken to mean "manifest PDF in hand" (the JIT form is
    jit_h27_manifest_resent_until_pdf): when the PDF's download fails past the retries, the shipments go back to
    packed and the next sync sends the manifest AJIO already answered with success again."""


class ReturnsShortPageEndsList(Connector):
    """API-PAGING: a returns page shorter than the page size is taken for the list's last page, whatever
    page.totalPages says (the VMS form is vms_returns_short_page_ends_list): when AJIO's list lags and leaves a
    return out of page 0, page 1 is not read in that sync, and a parcel whose RTO expectation is on it looks
    unexpected and is created (AJIO refuses: 409)."""

    client_class = returns_only(ShortPageClient)


class StatusSyncStopsAtFailedPoPdf(FailedPdfEndsPhase, Connector):
    """DS-STATUS-SYNC, DS-PO-FETCHED (the reference's old behaviour): a PO PDF whose download fails past the
    retries ends the status sync there, so the orders listed after it keep their old status for that sync; while
    that one PDF stays down, their POs (and cancellations) are never learnt and they are never shipped."""

    ends_phase = "purchase order"


class CreditNotesStopAtFailedPdf(FailedPdfEndsPhase, Connector):
    """DS-CREDIT-NOTE-FETCHED (the reference's old behaviour): a credit note's PDF whose download fails past the
    retries ends the credit-note pass there; while that one PDF stays down, the returns after it are never
    credited."""

    ends_phase = "credit note"


class DocumentBodyUnchecked(Connector):
    """DS-PO-FETCHED: a document answered 200 is kept as it came (the client's old way): a PO PDF that came back
    empty is filed and never asked for again."""

    client_class = DocumentBodyUncheckedClient



class PagesSummedToTotalClient(AjioClient):
    def pages(self, path: str, key: str, **params):
        page, fetched = 0, 0
        while True:
            answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            yield from answer[key]
            fetched += len(answer[key])
            if fetched >= answer["page"]["totalElements"] or page + 1 >= answer["page"]["totalPages"]:  # the bug
                return
            page += 1


class PagesSummedToTotal(Connector):
    """API-PAGING: a list is read until the items received add up to `page.totalElements` (or the last page): an
    order AJIO lists twice on an early page makes the sum reach the total a page early, and the last page's orders
    wait a sync. Found by the thirtieth blind Dropship hunt beside `ds_h30_pages_counted_to_total_elements`, which
    also asks a page past the last after a short page and was caught by that; this one stops at page.totalPages and
    passed the whole catalogue."""

    client_class = PagesSummedToTotalClient


class GatewayReadsFinalClient(GatewayErrorsFinalClient):
    def may_retry(self, method, failure, attempt, limit):
        if method == "GET":  # the bug: on reads only ("a write may have been applied, a read is cheap to redo later")
            return super().may_retry(method, failure, attempt, limit)
        return AjioClient.may_retry(self, method, failure, attempt, limit)


class GatewayReadsFinal(Connector):
    """API-RETRY-TRANSIENT (blind hunt 30's JIT class, tried on Dropship: the writes' form was caught there, the reads'
    passed all 210 scenarios): a gateway's 502 or 504 on a read is taken as final, the read abandoned at its first
    failure: the pendency or the re-read before the acknowledgement waits for a later sync."""

    client_class = GatewayReadsFinalClient


class RetryAfterOn503Only(Connector):
    """API-RETRY-TRANSIENT (overdoes): blind hunt 31's JIT bug (jit_h31_retry_after_on_503_only) in Dropship: Retry-After
    read on a 429 or a 503 only, so a 500, 502 or 504 announcing a wait is sent again on the client's own backoff."""

    client_class = RetryAfterOn503OnlyClient


class LongRetryAfterCappedOn5xx(Connector):
    """API-RETRY-TRANSIENT (overdoes): the reference client's old way (jit_long_retry_after_capped_on_5xx) in Dropship:
    a 5xx's Retry-After honoured up to 30 s, so a longer announced wait is cut short."""

    client_class = LongRetryAfterCappedClient


class ManifestSplitOnFailure(Connector):
    """API-RETRY-TRANSIENT (overdoes): blind hunt 31's VMS class (vms_h31_manifest_split_on_failure) in Dropship: a
    manifest that failed past the client's retries (5xx, no answer) is sent again at once shipment by shipment in the
    same sync, "so one bad shipment cannot block the truck". While AJIO's manifest call is down, every shipment of
    the batch gets its own retries on top of the batch's: each is named in twice as many calls a sync."""

    def manifest_carrier(self, packed: list[str]) -> None:
        try:
            super().manifest_carrier(packed)
        except AjioError as exc:
            chunk = split_after_failure(self.state, exc)
            log(f"manifest of {len(chunk)} shipments failed ({exc}); handing them over one by one")
            for order_id in chunk:
                try:
                    super().manifest_carrier([order_id])
                except AjioError as alone:
                    log(f"manifest of {order_id} alone failed too: {alone}")


class ZeroPushedOnce(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE: blind hunt 31's JIT class (jit_h31_zero_pushed_once) in Dropship: "out of
    stock" is pushed once per SKU, the SKUs already zeroed kept in a list so that a SKU standing at 0 is not pushed
    again, and the list never cleared on a restock: a 0 AJIO's count moved away from (a seller cancellation giving
    units back, a restock then a second run-out) is never pushed again, and AJIO goes on taking orders the seller
    must cancel."""

    def stock_changes(self) -> list[dict]:
        zeroed = set(self.state.meta.get("zeroed", []))
        changed = [line for line in super().stock_changes() if not (line["quantity"] == 0 and line["sku"] in zeroed)]
        self.state.meta["zeroed"] = sorted(zeroed | {line["sku"] for line in changed if line["quantity"] == 0})
        return changed


class UnclampedWarehouse(Warehouse):
    """The reference's old reading of the warehouse: a count below zero (an oversold SKU) is taken as it is."""

    def available(self, sku: str) -> int:
        return self.stock.get(sku, self.default_stock)


class OversoldPushedNegative(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE: the reference's old inventory push (found by blind hunt 32's JIT helper reading
    it): the warehouse's count goes to AJIO as it is, so an oversold SKU's -2 is sent; AJIO refuses the line and the
    whole call of up to 50 SKUs with it, at every sync, and no SKU of that call gets its count."""

    def read_warehouse(self) -> Warehouse:
        return UnclampedWarehouse(self.warehouse_path, self.assume_stock)


# -- blind hunt 32's JIT classes tried on Dropship -----------------------------------------------------------------
class StatusSyncOneWeek(Connector):
    """API-NO-UPDATED-SINCE: blind hunt 32's JIT class (jit_h32_status_sync_one_week) in Dropship: to keep the status
    sync's reads short, a shipment is re-read for seven days after its manifest ("the courier delivers within the
    week"), then dropped from the status sync. A shipment delivered or returned later (a courier backlog, the
    connector itself stopped for two weeks) is never seen DELIVERED or RTO: it stays on its way here."""

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        super().manifest_answered(chunk, answer)
        for order_id in chunk:
            mine = self.state.orders[order_id]
            if mine["stage"] == "manifested":
                mine.setdefault("manifested_on", self.seller_now())

    def held_orders(self) -> list[str]:
        now = self.seller_now()
        return [o for o in super().held_orders()
                if now - self.state.orders[o].get("manifested_on", now) <= TRACKING_WINDOW_S]


class LoginThrottleFixedPause(Connector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 32's JIT class (jit_h32_login_throttle_fixed_pause) in Dropship: a
    throttled login is asked again after a fixed 2 s of the client's own ("auth is its own bucket"), Retry-After
    unread; every other call honours it. A login throttled with a longer Retry-After is sent again inside it."""

    client_class = LoginFixedPauseClient


# -- the reference's old throttle hold, found by the lawful acknowledge-on-import variant ----------------------------
class ThrottleHoldInMemory(Connector):
    """API-THROTTLE-RETRY-AFTER: the reference until the acknowledge-on-import variant's run: a Retry-After longer
    than a sync waits holds the process's calls, but the hold dies with it. A connector started again within the wait
    (by cron, every minute) sends at once what AJIO asked it to hold for two minutes."""

    def keep_throttle_hold(self) -> None:
        pass


class RtoGradedGoodUnopened(Connector):
    """DS-PUTAWAY-GOOD-BAD: blind hunt 33's VMS class (vms_h33_rto_qc_passed_unopened) in Dropship: an RTO is a parcel
    the customer never received, so the dock puts the RTO parcels AJIO lists away as "unopened, GOOD" without asking
    the warehouse's grade (only customer returns are opened and graded): an RTO parcel the warehouse marked BAD
    (crushed, wet) or MISSING is put away as sellable."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if str(ret.get("return_type") or "").upper() != "RTO":
            return super().quality_check(ret, mine)
        qc, self.warehouse.qc = self.warehouse.qc, {}                       # the bug: the grade not asked for
        try:
            super().quality_check(ret, mine)
        finally:
            self.warehouse.qc = qc


class ThrottleHeldPerPath(ThrottlePerPath, Connector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 34's ERP class (erp_h34_rsi_ignores_posting_throttle) in Dropship: a 429
    whose Retry-After is too long to wait in the sync holds its own path only: a throttled stock push does not hold
    the pendency read, the acknowledgements, the documents (ds/faults/throttled_ack_holds_next_ack throttles
    acknowledgements against acknowledgements only)."""
