"""JIT bugs for classes a blind hunt found in another model: the reference JIT connector with ONE planted mistake
each, tried on the JIT catalogue. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from connector import Warehouse
from ds_gap_bugs import ManifestSplitOnFailure as ManifestSplitOnFailureDs
from ds_gap_bugs import UnclampedWarehouse
from hunt29_ds_bugs import SecondThrottleRetryAfterIgnored
from hunt31_ds_bugs import DeliveredOnlyFromShipped, DocumentThrottleFixedPauseClient
from hunt32_ds_bugs import DocumentUnauthorisedDroppedClient, SkuLeadingZerosStripped
from jit_connector import JitConnector
from vms_gap_bugs import DocumentBodyUncheckedClient, LongRetryAfterCappedClient, returns_only
from vms_hunt28_bugs import ShortPageClient


class ReturnsShortPageEndsList(JitConnector):
    """API-PAGING: a returns page shorter than the page size is taken for the list's last page, whatever
    page.totalPages says (the VMS form is vms_returns_short_page_ends_list): when AJIO's list lags and leaves a
    return out of page 0, page 1 is not read in that pull, and after a stop longer than the pull's reach-back its
    return is never read."""

    client_class = returns_only(ShortPageClient)


class DocumentBodyUnchecked(JitConnector):
    """JIT-MANIFEST-DOCUMENT: a document answered 200 is kept as it came (the client's old way, found by blind hunt
    29): an invoice PDF that came back cut short is filed and never downloaded again."""

    client_class = DocumentBodyUncheckedClient


class SecondThrottleRetryAfterIgnoredJit(JitConnector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 29's Dropship bug (ds_h29_second_throttle_retry_after_ignored) in JIT: a
    call throttled twice in a row is sent the third time on the client's own backoff, inside the second 429's
    Retry-After. It passed all 144 JIT scenarios; jit/faults/throttled_twice_in_a_row closes it."""

    client_class = SecondThrottleRetryAfterIgnored.client_class


class LongRetryAfterCappedOn5xx(JitConnector):
    """API-RETRY-TRANSIENT (overdoes): a 503 announcing Retry-After: 120 is retried after 30 s, inside the wait (the
    reference client's old way, which blind hunt 31's JIT helper found: no scenario staged a 5xx wait over 9 s)."""

    client_class = LongRetryAfterCappedClient


class DeliveredOnlyFromShippedJit(DeliveredOnlyFromShipped, JitConnector):
    """API-NO-UPDATED-SINCE: blind hunt 31's Dropship class (ds_h31_delivered_only_from_shipped) in JIT: the
    status sync of the held POs steps manifested -> DISPATCHED -> DELIVERED only, so a PO picked up and delivered
    between two syncs stays manifested and is re-read by id at every sync for ever."""


class DocumentThrottleFixedPause(JitConnector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 31's Dropship class (ds_h31_document_throttle_fixed_pause) in JIT: a PDF
    download (label, invoice, manifest) answered 429 is retried after the downloader's own one-second pause, not
    the announced Retry-After."""

    client_class = DocumentThrottleFixedPauseClient
class ManifestSplitOnFailure(ManifestSplitOnFailureDs, JitConnector):
    """API-RETRY-TRANSIENT (overdoes): blind hunt 31's VMS class (vms_h31_manifest_split_on_failure) in JIT: a
    manifest of POs that failed past the client's retries (5xx, no answer) is sent again at once PO by PO in the same
    sync: while AJIO's manifest call is down, every PO gets its own retries on top of the batch's."""


class OversoldPushedNegative(JitConnector):
    """JIT-INVENTORY-PUSH (the JIT form of ds_gap_bugs.OversoldPushedNegative): an oversold SKU's negative count is
    pushed as it is; AJIO refuses the push of up to 50 SKUs it came in, at every sync."""

    def read_warehouse(self) -> Warehouse:
        return UnclampedWarehouse(self.warehouse_path, self.assume_stock)


class Document401Dropped(JitConnector):
    """AUTH-TOKEN-30-MIN: blind hunt 32's Dropship class (ds_h32_document_401_dropped) in JIT: a 401 on a PDF
    download (invoice, box label, manifest) is taken for an expired link, not an expired session: no login, no
    retry, the document skipped as handled and never kept."""

    client_class = DocumentUnauthorisedDroppedClient


class SkuLeadingZerosStrippedJit(SkuLeadingZerosStripped, JitConnector):
    """JIT-SKU-MAPPING: blind hunt 32's Dropship class (ds_h32_sku_leading_zeros_stripped) in JIT: AJIO's SKU code
    is looked up in the warehouse exactly, then with its leading zeros stripped ("004512" -> "4512"), so a PO line of
    a SKU the warehouse does not hold is picked from a look-alike's stock, and that count pushed to AJIO for it."""
