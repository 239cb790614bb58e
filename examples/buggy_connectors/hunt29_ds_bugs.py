"""The twenty-ninth blind Dropship hunt: six bugs an integrator's team ships under time pressure, each a small
subclass of the reference connector (or its client) whose diff is the bug. Registered in buggy.py as ds_h29_*.

Designed before reading the scenario catalogue; each docstring names the rule it breaks and the ordinary
situation that shows it.
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError, AjioUnreachable
from connector import Connector, log


class OwedDocumentsGivenUp(Connector):
    """DS-INVOICE-PDF-FETCHED (too little, across syncs). A PDF whose download failed is owed and asked again at
    later syncs, but the team gave the owed documents a budget, as their job runner does for any task: after the
    download failed at three syncs (the first try and two later syncs), the owed PDFs are dropped "for a person",
    and the order goes on without them. An ordinary outage of AJIO's document service lasting an hour or two (a
    few syncs) leaves the invoice, label or manifest PDF never fetched."""

    GIVE_UP_AFTER = 3

    def fetch_owed(self, mine: dict) -> None:
        try:
            super().fetch_owed(mine)
        except AjioError:
            mine["owed_failures"] = mine.get("owed_failures", 0) + 1
            if mine["owed_failures"] >= self.GIVE_UP_AFTER:
                log(f"documents {mine.get('documents_owed')} failed {mine['owed_failures']} times: left for a person")
                mine.pop("documents_owed", None)
                self.noted += 1
            raise


class StockFeedRowsOnly(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE (too little). The warehouse's stock feed is taken as the list of SKUs to
    sync: a SKU of AJIO's listing that the feed does not name (the ERP exports only SKUs it has a row for; a sold-out
    or discontinued SKU drops out of the export) is left at whatever AJIO shows, where the reference pushes the
    warehouse's figure for it (its default, zero). AJIO keeps selling units the warehouse does not have."""

    def stock_changes(self) -> list[dict]:
        changed = super().stock_changes()
        if not self.warehouse.stock:
            return changed
        return [line for line in changed if line["sku"] in self.warehouse.stock]


class QcRetriedOverClient(Connector):
    """API-RETRY-TRANSIENT (too much: nested retries). The putaway is "the call that must not be lost", so the team
    wrapped it in its own loop of three attempts on top of the client's bounded retries: a putaway AJIO answers
    5xx (or does not answer) is sent up to 3 x 4 times in one sync, the outer attempts at once after the inner
    ones gave up. An ordinary QC outage is hammered."""

    OUTER_ATTEMPTS = 3

    def quality_check(self, ret: dict, mine: dict) -> None:
        for attempt in range(self.OUTER_ATTEMPTS):
            try:
                return super().quality_check(ret, mine)
            except AjioError as exc:
                transient = isinstance(exc, AjioUnreachable) or exc.status >= 500
                if not transient or attempt + 1 == self.OUTER_ATTEMPTS:
                    raise
                log(f"putaway {ret['return_order_id']}: {exc}; trying again")


class _DocumentsAtOnceClient(AjioClient):
    """Documents downloaded as static files, with a retry helper of no backoff (urllib3's Retry with its default
    backoff_factor of 0): a failed PDF download is tried again at once."""

    _document_call = False

    def document(self, url: str) -> bytes:
        self._document_call = True
        try:
            return super().document(url)
        finally:
            self._document_call = False

    def transport_wait(self, attempt: int) -> float:
        return 0.0 if self._document_call else super().transport_wait(attempt)

    def retry_wait(self, response, attempt: int) -> float | None:
        if self._document_call and response.status_code != 429 and not response.headers.get("Retry-After"):
            return 0.0
        return super().retry_wait(response, attempt)


class DocumentRetriedAtOnce(Connector):
    """API-RETRY-TRANSIENT (too much: hammering, on documents only). Calls to AJIO's API back off between retries;
    PDF downloads go through a helper that retries at once (no backoff), so a document AJIO answers 5xx or resets
    is asked again immediately, up to three times in a burst."""

    client_class = _DocumentsAtOnceClient


class PoWaitParked(Connector):
    """DS-PO-ON-HOLD (too little: the rule's "however late"). An acknowledged order whose PO has not come is held,
    but the team counts the syncs it waited: after eight syncs without a PO (four hours at their half-hourly
    sync) the order is moved to an exception queue for a person and no longer re-read nor fulfilled. A PO that
    comes later (AJIO's PO lag runs to hours) finds the order parked: it is never invoiced nor shipped."""

    PO_WAIT_SYNCS = 8

    def fulfil(self) -> None:
        for order_id in self.state.in_stage("acknowledged"):
            mine = self.state.orders[order_id]
            if mine.get("status") == "CONFIRMED" and not mine.get("po_number"):
                mine["po_waits"] = mine.get("po_waits", 0) + 1
                if mine["po_waits"] > self.PO_WAIT_SYNCS:
                    mine["stage"] = "po_exception"
                    log(f"{order_id}: no PO after {self.PO_WAIT_SYNCS} syncs: parked for a person")
        super().fulfil()


class _RetryAfterOnceClient(AjioClient):
    """The wait before a retry honours Retry-After on the first 429 only; a call throttled again falls back to the
    exponential backoff used for 5xx (the branch for "AJIO still busy" was written for 503s)."""

    def retry_wait(self, response, attempt: int) -> float | None:
        if response.status_code == 429 and attempt > 0:
            return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)
        return super().retry_wait(response, attempt)


class SecondThrottleRetryAfterIgnored(Connector):
    """API-THROTTLE-RETRY-AFTER (too much: a call sent early). A call AJIO throttles twice in a row is sent the
    third time after 0.4 s, whatever the second 429's Retry-After said: an ordinary busy minute (the bucket still
    empty after the first Retry-After, or another of the POB's calls took the token) has the connector call AJIO
    before it was allowed to."""

    client_class = _RetryAfterOnceClient
