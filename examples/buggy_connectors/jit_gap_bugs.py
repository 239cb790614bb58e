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
from hunt33_ds_bugs import RetryBudgetPerFailureKindClient
from jit_connector import JitConnector
from vms_gap_bugs import DocumentBodyUncheckedClient, LongRetryAfterCappedClient, ThrottlePerPath, returns_only
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


class PickZeroTakenAsUnsaid(JitConnector):
    """JIT-PO-PROCESSED: blind hunt 33's Dropship class (ds_h33_pickable_zero_taken_as_unsaid) in JIT: the
    shortfall of a PO line is worked out only `if picked`, so a line the warehouse can give none of (0) is taken for
    one it has not counted yet: nothing of it is cancelled, and the PO is invoiced and packed with units nobody can
    pick."""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        self.picking_for = po_id
        self.picked_zero = {line["order_item_id"] for line in lines if not self.picked(line)}
        return super().cancel_shortfall(po_id, lines, moment)

    def picked(self, line: dict) -> int:
        if line["order_item_id"] in getattr(self, "picked_zero", ()):
            return line["open"]                                     # the bug: a pick of 0 read as "says nothing"
        return super().picked(line)


class StockPushedAfterPack(JitConnector):
    """JIT-INVENTORY-PUSH (overdoes): blind hunt 33's Dropship class (ds_h33_stock_pushed_after_acknowledgement) in JIT:
    "never let the storefront oversell between two cycles": right after the packs of a sync, each SKU packed is
    pushed at the warehouse's count less the units just packed. AJIO's own count already went down with the pack: the
    push is of a count AJIO already shows, one line per SKU per sync that packed anything."""

    PHASES = tuple(p for phase in JitConnector.PHASES
                   for p in ((phase, "push_packed") if phase == "pack_picked" else (phase,)))

    def push_packed(self) -> None:
        lines = [{"sku": sku, "quantity": max(0, self.warehouse.available(sku) - units)}
                 for sku, units in self.packed_now.items() if units > 0]       # the bug: AJIO already shows it
        for start in range(0, len(lines), self.INVENTORY_BATCH):
            self.push_inventory_batch(lines[start:start + self.INVENTORY_BATCH])


class RetryBudgetPerFailureKind(JitConnector):
    """API-RETRY-TRANSIENT (overdoes): blind hunt 33's Dropship class (ds_h33_retry_budget_per_failure_kind) in JIT: a
    retry budget per kind of failure (3 for resets and cut bodies, 3 for 5xx, 3 for 429), so a call whose failures
    change kind is sent about ten times in a row."""

    client_class = RetryBudgetPerFailureKindClient


class ManifestTakenOverwritten(JitConnector):
    """API-CHANGE-SENT-ONCE (overdoes): blind hunt 33's Dropship class (ds_h33_ack_applied_lines_overwritten) in JIT,
    on the manifest AJIO answers PO by PO: a manifest that failed some POs inside its 200 is kept open as one
    hand-over, its rest sent again first at the next sync. The POs AJIO took are noted as those of the last answer
    (`batch["taken"] = ...`): a second partial failure of the same manifest forgets the first's, and a PO AJIO
    manifested two syncs ago is sent again."""

    def manifest_in_flight(self) -> list[str]:
        batch = self.state.meta.get("manifest_batch")
        if batch:
            return [po_id for po_id in batch["pos"] if po_id not in batch["taken"]]
        return super().manifest_in_flight()

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        super().manifest_answered(chunk, answer)
        failed = {f.get("orderId") for f in answer.get("failedDispatchItems", [])}
        if not failed & set(chunk):
            self.state.meta.pop("manifest_batch", None)
            return
        pos = self.state.meta.get("manifest_batch", {}).get("pos") or list(chunk)
        self.state.meta["manifest_batch"] = {"pos": pos,
                                             "taken": [o for o in chunk if o not in failed]}  # the bug: overwritten


class ThrottleHeldPerPath(ThrottlePerPath, JitConnector):
    """API-THROTTLE-RETRY-AFTER: blind hunt 34's ERP class (erp_h34_rsi_ignores_posting_throttle) in JIT: a 429 whose
    Retry-After is too long to wait in the sync holds its own path only: a throttled stock push does not hold the
    pendency read, the invoices, the packs, the documents."""
