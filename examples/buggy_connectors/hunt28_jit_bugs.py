"""The twenty-eighth blind JIT hunt: six bugs a JIT (purchase order) connector team ships under time pressure.

Each is a small subclass of the reference JIT connector (or of its AJIO client) overriding the one method or hook the
bug lives in; the diff against the reference is the bug. Registered in buggy.py under names starting `jit_h28_`.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from ajio_client import AjioClient, AjioError
from connector import log
from jit_connector import JitConnector


# -- 1. faults, logins (doing too much) -------------------------------------------------------------------------------
class _ReloginOnResetClient(AjioClient):
    """"A broken connection means a broken session": after a call that got no usable answer (a reset, a cut or
    malformed body) the token is dropped with the connection, so the retry logs in again although the token was
    valid all along."""

    def may_retry(self, method, failure, attempt, limit):
        if isinstance(failure, Exception) and attempt < limit:
            self.token = None
        return super().may_retry(method, failure, attempt, limit)


class ReloginOnReset(JitConnector):
    """AUTH-LOGIN-SPARINGLY: a login at every retry of a reset or cut call."""

    client_class = _ReloginOnResetClient


# -- 2. orders, a failure at the first sync (doing too little) -------------------------------------------------------
class FailedPackResentUnchecked(JitConnector):
    """JIT-PO-PROCESSED: a PO whose pack failed at an earlier sync (AJIO down past the retries) is "only a retry": its
    pack is sent again as planned, without checking the stock again; units the warehouse lost meanwhile are packed
    though it cannot supply them (the seller should cancel them, re-issue the invoice, and pack what it has)."""

    def cancel_shortfall(self, po_id, lines, moment):
        if moment == "pack" and self.state.orders.get(po_id, {}).get("stage") == "invoiced":
            return lines
        return super().cancel_shortfall(po_id, lines, moment)


# -- 3. clock edge: IST midnight (doing too little) -------------------------------------------------------------------
IST_TYPED = timezone(timedelta(hours=5.30))  # "+05:30" typed as hours=5.30: 5 h 18 min


class ReconDayOffsetTypo(JitConnector):
    """JIT-INVENTORY-RECONCILE: the seller's day is taken at UTC+5.30 hours (5 h 18 min) instead of +5:30, so for the
    first 12 minutes after IST midnight the connector still thinks it is yesterday, and a sync then does not make the
    new day's reconciliation."""

    def today(self) -> str:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        return datetime.fromtimestamp(now, IST_TYPED).date().isoformat()


# -- 4. paging: the second page (doing too little) -----------------------------------------------------------------
class _FiltersOnFirstPageClient(AjioClient):
    """The "next page" request is built from the path and the page number alone: a list's filters
    (moderationStatus, fromDate, orderIds) go with page 0 only, and pages 1.. are pages of the unfiltered list."""

    def get(self, path, **params):
        if params.get("page"):
            params = {"page": params["page"], "size": params.get("size")}
        return super().get(path, **params)


class PageFiltersFirstPageOnly(JitConnector):
    """JIT-SKU-MAPPING: past the first page the SKU pull reads every product, PENDING ones included, and maps them
    (and the inventory push pushes them) as if AJIO had approved them."""

    client_class = _FiltersOnFirstPageClient


# -- 5. manifest and documents (doing too little) -------------------------------------------------------------------
class ManifestHeldByOwedDocuments(JitConnector):
    """JIT-MANIFEST-DOCUMENT: "nothing is handed over while the printer has a job pending": one PO's document that
    failed to download holds back the manifest of every other packed PO until it is fetched."""

    def manifest(self) -> None:
        if any(mine.get("documents_owed") for mine in self.state.orders.values()):
            log("documents still owed: no manifest until every one is printed")
            return
        super().manifest()


# -- 6. throttling on writes (doing too much) -----------------------------------------------------------------------
class _WritesOwnBackoffClient(AjioClient):
    """The write queue retries on its own schedule: a 429 to a POST or PUT is retried after the exponential backoff
    of a 5xx, not after the announced Retry-After (reads keep honouring it)."""

    def retry_wait(self, response, attempt):
        if response.status_code == 429 and response.request.method != "GET":
            return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)
        return super().retry_wait(response, attempt)


class ThrottledWritesOwnBackoff(JitConnector):
    """API-THROTTLE-RETRY-AFTER: a throttled write is sent again before its Retry-After has run."""

    client_class = _WritesOwnBackoffClient


# -- the reference's old behaviour, found in phase 2 ----------------------------------------------------------------
class ReissueResentWhenPdfFails(JitConnector):
    """API-CHANGE-SENT-ONCE (the reference's old behaviour until the twenty-eighth hunt): the invoice re-issue owed
    after a pack-time cancellation is marked done only once its PDF is kept. A re-issued invoice whose PDF download
    fails past the retries is re-issued (PUT) again at the next sync, AJIO answering with the same invoice, and its
    PDF downloaded twice."""

    def update_invoice(self, po_id: str, mine: dict) -> None:
        try:
            super().update_invoice(po_id, mine)
        except AjioError:
            mine["reissue_owed"] = True   # the bug: still owed while its PDF is
            raise


class NoReissueAfterResumedPickCancel(JitConnector):
    """JIT-INVOICE-UPDATE-UNTIL-PACKED (the reference's old behaviour until the twenty-eighth hunt): a pick-time
    cancellation is taken to come before the invoice, always. A PO a crashed run invoiced before reading the answer,
    found short when it is started again, is cancelled but not re-issued: AJIO refuses its pack at every sync."""

    def reissue_after_pick_cancel(self, po, planned, lines):
        return False
