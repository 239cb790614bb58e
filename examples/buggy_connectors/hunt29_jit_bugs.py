"""The twenty-ninth blind JIT hunt: six bugs a JIT (B2B purchase order) connector team plausibly ships, each a small
subclass of the reference whose diff is the bug (buggy.py registers them as jit_h29_*). Designed from the rulebook,
docs/jit.md and the reference connector only, before any scenario was read.
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError
from connector import log
from jit_connector import JitConnector


class _StopsAtFailedProductPage(AjioClient):
    """The SKU pull's paging helper: a later page that fails (AJIO down past the retries) is taken for the list's
    end, and the SKUs of the pages read so far are the catalogue."""

    def pages(self, path, key, **params):
        if path != "/products":
            yield from super().pages(path, key, **params)
            return
        read = 0
        inner = super().pages(path, key, **params)
        while True:
            try:
                item = next(inner)
            except StopIteration:
                return
            except AjioError as exc:
                if not read:
                    raise
                log(f"SKU pull: {exc}: taking the {read} SKU(s) read as the catalogue")
                return
            read += 1
            yield item


class SkuPullFailedPageEndsList(JitConnector):
    """JIT-INVENTORY-RECONCILE (and JIT-SKU-MAPPING): a SKU pull whose second page fails keeps only the first page's
    SKUs as the map; the day's reconciliation then compares and corrects only those, stamps the day done, and a
    drift on a SKU of the failed page stays on AJIO until the next day (the next sync pulls every page again, but the
    day is reconciled already). The reference keeps the whole earlier map when any page of the pull fails."""
    client_class = _StopsAtFailedProductPage


class PoParkedAfterFailedSyncs(JitConnector):
    """JIT-PO-PROCESSED: a PO whose start (cancel, invoice, prepack or pack) failed in three syncs is parked for a
    person ("something is wrong with this PO") and never tried again: an outage of the invoice call (the e-invoicing
    portal down for an hour) leaves the POs it hit unprocessed for good. The reference tries every PO at every sync
    until AJIO takes it."""
    PARK_AFTER = 3

    def start_po(self, po: dict) -> None:
        mine = self.state.orders.get(po["order_id"], {})
        if mine.get("failed_syncs", 0) >= self.PARK_AFTER:
            log(f"PO {po['order_id']}: failed {mine['failed_syncs']} times, parked for a person")
            return
        try:
            super().start_po(po)
        except AjioError:
            mine = self.state.orders.setdefault(po["order_id"], {"stage": "new"})
            mine["failed_syncs"] = mine.get("failed_syncs", 0) + 1
            self.noted += 1
            raise


class LoginPerJob(JitConnector):
    """AUTH-LOGIN-SPARINGLY: the inventory job (SKU pull, push, reconciliation) and the order job (documents, POs,
    pack, manifest, status, back orders, returns) run as two jobs in one sync, each with its own session: a second
    login at every sync though the first token is valid for 30 minutes."""

    def fetch_owed_documents(self) -> None:
        self.client.token = None  # the order job opens its own session
        super().fetch_owed_documents()


class _ChasesIrn(AjioClient):
    """An invoice answer without an IRN is taken for "the e-invoice is still being generated at NIC": the invoice
    POST is sent once more to get it."""

    def post(self, path, body, headers=None):
        answer = super().post(path, body, headers)
        if path.endswith("/invoice") and isinstance(answer, dict) and not answer.get("irn"):
            log(f"{path}: no IRN yet, asking again")
            answer = super().post(path, body, headers)
        return answer


class InvoiceRepostedForIrn(JitConnector):
    """API-CHANGE-SENT-ONCE (JIT-INVOICE-FROM-SERIES): a POB without e-invoicing gets invoices with no IRN, and the
    connector written for e-invoicing sellers sends every PO's invoice POST twice (AJIO answers the repeat with the
    same invoice, but a call it answered with success was sent again)."""
    client_class = _ChasesIrn


class _UnparsableRetriedAtOnce(AjioClient):
    """A 2xx whose body does not parse is taken for a hiccup of this side's reader, not AJIO's load: retried at once,
    without the pause a reset or a 5xx gets."""

    def may_retry(self, method, failure, attempt, limit):
        self._unparsable = isinstance(failure, ValueError)
        return super().may_retry(method, failure, attempt, limit)

    def transport_wait(self, attempt):
        return 0.0 if getattr(self, "_unparsable", False) else super().transport_wait(attempt)


class CutBodyRetriedAtOnce(JitConnector):
    """API-RETRY-TRANSIENT: a cut, empty or malformed 200 is retried at once, three times in a row, hammering an AJIO
    that is cutting answers because it is overloaded."""
    client_class = _UnparsableRetriedAtOnce


class Reconciling(JitConnector):
    """Knows, in `_reconciling`, whether the day's reconciliation is running (for bugs living inside it)."""

    def reconcile_inventory(self) -> None:
        self._reconciling = True
        try:
            super().reconcile_inventory()
        finally:
            self._reconciling = False


class ReconStampedAfterFailedPush(Reconciling):
    """JIT-INVENTORY-RECONCILE: the reconciliation's corrections are pushed batch by batch, a batch that fails (AJIO
    down past the retries) only logged, and the day stamped reconciled all the same: the drift it found stays on
    AJIO until the next day's reconciliation. The reference leaves the day unreconciled, so the next sync reads
    AJIO's view again and pushes what still drifts."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        try:
            super().push_inventory_batch(lines)
        except AjioError as exc:
            if not getattr(self, "_reconciling", False):
                raise
            self.errors += 1
            log(f"reconciliation: {len(lines)} SKU(s) not corrected ({exc}); reconciled for today all the same")
