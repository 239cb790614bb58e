"""Buggy connectors: the reference connector with ONE planted bug each, as real connectors have them.

    python buggy.py BUG          (same environment as the reference connector)

Each bug is a small subclass overriding the one method (or limit) the real bug lives in, so the
diff against the reference is the bug (client_bugs.py, ds_bugs.py, ds_return_bugs.py, courier_bugs.py,
jit_bugs.py, other_side_bugs.py, stock_bugs.py, vms_bugs.py). `ajio-sim run` must fail each of them, naming
the rule it breaks:
tests/harness/test_buggy_connectors.py runs each against the scenario that targets it. Bugs go both ways:
a connector that does too little (never retries, forgets a document) and one that does too much (retries
for ever, logs in before every call).
"""
from __future__ import annotations

import os
import sys

# os.path and __import__, not pathlib and importlib: a run starts one connector process per sync, and those two
# imports cost each start a few milliseconds (benchmarks/README.md).
HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:0] = [HERE, os.path.join(os.path.dirname(HERE), "reference_connector")]


class Bug:
    """One planted bug: its class, named where it lives and imported only when the bug is run. A run starts one
    connector process per sync, and importing all sixty bug modules each time doubled the process's start."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __repr__(self) -> str:
        return f"{self.module}.{self.name}"

    def load(self) -> type:
        __import__(self.module)
        return getattr(sys.modules[self.module], self.name)


class _Module:
    """A bug module not imported yet: `module.Class` names a Bug."""

    def __init__(self, module: str) -> None:
        self.module = module

    def __getattr__(self, name: str) -> Bug:
        return Bug(self.module, name)


courier = _Module("courier_bugs")
ds = _Module("ds_bugs")
dsr = _Module("ds_return_bugs")
hunt4 = _Module("hunt4_bugs")
hunt6 = _Module("hunt6_bugs")
hunt7 = _Module("hunt7_bugs")
hunt8 = _Module("hunt8_bugs")
hunt9 = _Module("hunt9_bugs")
hunt10 = _Module("hunt10_bugs")
hunt11 = _Module("hunt11_bugs")
hunt12 = _Module("hunt12_bugs")
hunt13 = _Module("hunt13_bugs")
hunt14 = _Module("hunt14_bugs")
hunt15 = _Module("hunt15_bugs")
hunt16 = _Module("hunt16_bugs")
hunt17 = _Module("hunt17_bugs")
hunt18 = _Module("hunt18_bugs")
hunt19ds = _Module("hunt19_ds_bugs")
hunt19j = _Module("hunt19_jit_bugs")
hunt20ds = _Module("hunt20_ds_bugs")
hunt20j = _Module("hunt20_jit_bugs")
hunt21ds = _Module("hunt21_ds_bugs")
hunt21j = _Module("hunt21_jit_bugs")
hunt22ds = _Module("hunt22_ds_bugs")
hunt22j = _Module("hunt22_jit_bugs")
hunt23ds = _Module("hunt23_ds_bugs")
hunt24ds = _Module("hunt24_ds_bugs")
hunt26ds = _Module("hunt26_ds_bugs")
hunt28ds = _Module("hunt28_ds_bugs")
hunt29ds = _Module("hunt29_ds_bugs")
hunt30ds = _Module("hunt30_ds_bugs")
hunt31ds = _Module("hunt31_ds_bugs")
hunt32ds = _Module("hunt32_ds_bugs")
hunt33ds = _Module("hunt33_ds_bugs")
hunt34ds = _Module("hunt34_ds_bugs")
hunt23j = _Module("hunt23_jit_bugs")
hunt24j = _Module("hunt24_jit_bugs")
hunt25j = _Module("hunt25_jit_bugs")
hunt26j = _Module("hunt26_jit_bugs")
hunt27j = _Module("hunt27_jit_bugs")
hunt28j = _Module("hunt28_jit_bugs")
hunt29j = _Module("hunt29_jit_bugs")
hunt30j = _Module("hunt30_jit_bugs")
hunt31j = _Module("hunt31_jit_bugs")
hunt32j = _Module("hunt32_jit_bugs")
hunt33j = _Module("hunt33_jit_bugs")
hunt35j = _Module("hunt35_jit_bugs")
hunt = _Module("hunt_bugs")
jit = _Module("jit_bugs")
kill = _Module("kill_bugs")
other = _Module("other_side_bugs")
rto17 = _Module("rto17_bugs")
stock = _Module("stock_bugs")
thin = _Module("thin_bugs")
vary17 = _Module("vary17_bugs")
vary17b = _Module("vary17b_bugs")
vary18d = _Module("vary18d_bugs")
vary18j = _Module("vary18j_bugs")
vary18v = _Module("vary18v_bugs")
vary = _Module("vary_bugs")
vms = _Module("vms_bugs")
vhunt3 = _Module("vms_hunt3_bugs")
vhunt6 = _Module("vms_hunt6_bugs")
vhunt8 = _Module("vms_hunt8_bugs")
vhunt9 = _Module("vms_hunt9_bugs")
vhunt10 = _Module("vms_hunt10_bugs")
vhunt11 = _Module("vms_hunt11_bugs")
vhunt12 = _Module("vms_hunt12_bugs")
vhunt13 = _Module("vms_hunt13_bugs")
vhunt14 = _Module("vms_hunt14_bugs")
vhunt15 = _Module("vms_hunt15_bugs")
vhunt16 = _Module("vms_hunt16_bugs")
vhunt17 = _Module("vms_hunt17_bugs")
vhunt18 = _Module("vms_hunt18_bugs")
vhunt19 = _Module("vms_hunt19_bugs")
vhunt20 = _Module("vms_hunt20_bugs")
vhunt21 = _Module("vms_hunt21_bugs")
vhunt22 = _Module("vms_hunt22_bugs")
vhunt23 = _Module("vms_hunt23_bugs")
vhunt24 = _Module("vms_hunt24_bugs")
vhunt25 = _Module("vms_hunt25_bugs")
vhunt26 = _Module("vms_hunt26_bugs")
vhunt27 = _Module("vms_hunt27_bugs")
vhunt28 = _Module("vms_hunt28_bugs")
vhunt29 = _Module("vms_hunt29_bugs")
vhunt30 = _Module("vms_hunt30_bugs")
vhunt31 = _Module("vms_hunt31_bugs")
vhunt32 = _Module("vms_hunt32_bugs")
vhunt33 = _Module("vms_hunt33_bugs")
vhunt34 = _Module("vms_hunt34_bugs")
vhunt = _Module("vms_hunt_bugs")
vrule = _Module("vms_rule_bugs")
vgap = _Module("vms_gap_bugs")
dgap = _Module("ds_gap_bugs")
jgap = _Module("jit_gap_bugs")
lawful = _Module("lawful_connectors")
from connector import main  # noqa: E402

BUGS = {
    # Dropship: acknowledgement and cancellation
    "acks_cancelled": ds.AcknowledgesCancelled, "acks_ordered_quantity": ds.AcksOrderedQuantity,
    "confirms_everything": ds.ConfirmsEverything, "acks_without_reserving": ds.AcksWithoutReserving,
    "cancels_whole_line_when_short": ds.CancelsWholeLineWhenShort,
    "acks_until_po": ds.AcksUntilPO, "never_cancels_lost_stock": ds.NeverCancelsLostStock,
    "ignores_status_on_reread": ds.IgnoresStatusOnReread, "reads_by_status": ds.ReadsByStatus,
    "invoices_without_po": ds.InvoicesWithoutPO, "cancels_when_po_late": ds.CancelsWhenPOLate,
    # Dropship: invoice, label, manifest, documents, status sync
    "split_invoice": ds.SplitsInvoice, "label_no_dimensions": ds.LabelWithoutDimensions,
    "label_before_invoice": ds.LabelBeforeInvoice, "relabels_on_retry": ds.RelabelsOnRetry,
    "swallows_label_refusal": ds.SwallowsLabelRefusal, "big_manifest": ds.OneBigManifest,
    "never_manifests": ds.NeverManifests, "manifest_b2c_invoice_no": ds.ManifestsB2CInvoiceNumber,
    "skips_po_pdf": ds.SkipsPOPdf, "skips_invoice_pdf": ds.SkipsInvoicePdf,
    "skips_b2c_invoice_pdf": ds.SkipsB2CInvoicePdf, "skips_manifest_pdf": ds.SkipsManifestPdf,
    "refetches_documents": ds.RefetchesDocuments, "no_status_sync_after_manifest": ds.NoStatusSyncAfterManifest,
    "rereads_final_orders": ds.RereadsFinalOrders, "double_process": ds.DoubleProcesses,
    # Dropship: inventory
    "inventory_one_call": ds.InventoryInOneCall, "inventory_every_sync": ds.InventoryEverySync,
    "skips_zero_stock": ds.SkipsZeroStock, "pushes_warehouse_skus": ds.PushesWarehouseSkus,
    "inventory_quantity_as_text": ds.InventoryQuantityAsText,
    # Dropship: returns and credit notes
    "no_returns_sync": dsr.NoReturnsSync, "rto_for_every_parcel": dsr.RtoForEveryParcel, "qc_on_sight": dsr.QcOnSight,
    "qc_always_good": dsr.QcAlwaysGood, "ignores_unexpected_rto": dsr.IgnoresUnexpectedRto,
    "rto_every_sync": dsr.RtoEverySync, "rto_without_checking": dsr.RtoWithoutChecking,
    "credit_note_once": dsr.GivesUpOnCreditNote, "credit_note_tight_loop": dsr.CreditNoteTightLoop,
    "credit_note_no_pdf": ds.CreditNoteWithoutPdf,
    # Dropship: the client and the platform
    "ignores_token_expiry": ds.IgnoresTokenExpiry, "login_every_call": ds.LoginsEveryCall, "no_retry": ds.NeverRetries,
    "ignores_retry_after": ds.IgnoresRetryAfter, "no_retry_on_reset": ds.NoRetryOnReset,
    "retries_forever": ds.RetriesForever, "retries_4xx": ds.Retries4xx, "first_page_only": ds.FirstPageOnly,
    "documents_without_token": ds.DocumentsWithoutToken, "shared_state": ds.SharedStateAcrossPobs,
    # Dropship: courier tracking, carriers and the seller's own catalogue (issue 19)
    "rto_on_failed_attempt": courier.RtoOnFailedAttempt, "ignores_tracking": courier.IgnoresTracking,
    "mixed_carrier_manifest": courier.MixedCarrierManifest, "case_insensitive_sku": courier.CaseInsensitiveSku,
    "rto_item_id_as_scanned": courier.RtoItemIdAsScanned, "missing_as_bad": courier.MissingAsBad,
    "credit_note_until_missing_credited": courier.CreditNoteUntilMissingCredited,
    "asks_invoice_for_irn": courier.AsksInvoiceForIrn, "ships_ajio_cancelled": courier.ShipsAjioCancelled,
    "tracks_every_sync": courier.TracksEverySync,
    # Dropship: the bug hunt over the catalogue (lost stock per order, inventory, returns, tracking, re-reads)
    "ds_ignores_pickable": ds.IgnoresPickable, "ds_returns_since_newest": ds.ReturnsSinceNewest,
    "ds_inventory_vs_last_push": ds.InventoryVsLastPush, "ds_inventory_published_only": ds.InventoryPublishedOnly,
    "ds_tracking_on_status_change_only": ds.TrackingOnStatusChangeOnly, "ds_reads_100_ids": ds.Reads100Ids,
    "ds_no_credit_note_for_own_rto": ds.NoCreditNoteForOwnRto,
    # A manifest's failed lines (failedDispatchItems / failed) taken for handed over, in each model
    "manifest_ignores_failed_items": ds.ManifestIgnoresFailedItems,
    "jit_manifest_ignores_failed_items": jit.JitManifestIgnoresFailedItems,
    "vms_manifest_ignores_failed": vms.VmsManifestIgnoresFailed,
    # Dropship: the second bug hunt (acknowledgement, held orders, the sync, inventory, returns, tracking)
    "ds_ack_omits_zero_lines": ds.DsAckOmitsZeroLines, "ds_cod_all_or_nothing": ds.DsCodAllOrNothing,
    "ds_sku_normalised_spaces": ds.DsSkuNormalisedSpaces, "ds_pendency_after_watermark": ds.DsPendencyAfterWatermark,
    "ds_keeps_first_lines": ds.DsKeepsFirstLines, "ds_stops_sync_on_error": ds.DsStopsSyncOnError,
    "ds_tracking_stops_at_rto": ds.DsTrackingStopsAtRto, "ds_inventory_atp": ds.DsInventoryAtp,
    "ds_unpublished_pushed_zero": ds.DsUnpublishedPushedZero, "ds_reread_one_page": ds.DsRereadOnePage,
    "ds_second_return_ignored": ds.DsSecondReturnIgnored, "ds_credit_note_per_order": ds.DsCreditNotePerOrder,
    "ds_rto_ordered_quantity": ds.DsRtoOrderedQuantity, "ds_rto_expected_window_only": ds.DsRtoExpectedWindowOnly,
    "ds_returns_to_end_of_utc_day": ds.DsReturnsToEndOfUtcDay,
    # JIT
    "jit_maps_product_only": jit.JitMapsProductOnly, "jit_sku_pull_once": jit.JitSkuPullOnce,
    "jit_acknowledges": jit.JitAcknowledges, "jit_invoice_before_cancel": jit.JitInvoicesBeforeCancelling,
    "jit_cancels_whole_line": jit.JitCancelsWholeLine, "jit_packs_ordered_quantity": jit.JitPacksOrderedQuantity,
    "jit_box_numbers_per_po": jit.JitBoxNumbersPerPO, "jit_new_box_ids_on_retry": jit.JitNewBoxIdsOnRetry,
    "jit_cancel_without_key": jit.JitCancelWithoutKey, "jit_no_invoice_update": jit.JitNoInvoiceUpdate,
    "jit_manifests_first_invoice_no": jit.JitManifestsFirstInvoiceNumber, "jit_new_boxes_at_pack": jit.JitNewBoxesAtPack,
    "jit_manifests_prepacked": jit.JitManifestsPrepacked, "jit_skips_manifest_when_ready": jit.JitSkipsManifestWhenReady,
    "jit_skips_manifest_pdf": jit.JitSkipsManifestPdf, "jit_reinvoices_every_sync": jit.JitReinvoicesEverySync,
    "jit_no_status_sync": jit.JitNoStatusSync, "jit_double_process": jit.JitDoubleProcesses,
    "jit_big_manifest": jit.JitOneBigManifest, "jit_inventory_one_call": jit.JitInventoryInOneCall,
    "jit_inventory_as_text": jit.JitInventoryAsText,
    "jit_pushes_warehouse_skus": jit.JitPushesWarehouseSkus, "jit_skips_zero_stock": jit.JitSkipsZeroStock,
    "jit_pushes_everything": jit.JitPushesEverything, "jit_no_reconcile": jit.JitNoReconcile,
    "jit_reconciles_every_sync": jit.JitReconcilesEverySync, "jit_no_backorders": jit.JitNoBackorders,
    "jit_backorders_per_po": jit.JitBackordersPerPO, "jit_no_returns_pull": jit.JitNoReturnsPull,
    "jit_returns_qc": jit.JitReturnsQc, "jit_skips_invoice_pdf": jit.JitSkipsInvoicePdf,
    "jit_waits_for_stock": jit.JitWaitsForStock, "jit_ignores_token_expiry": jit.JitIgnoresTokenExpiry,
    "jit_login_every_call": jit.JitLoginsEveryCall, "jit_ignores_retry_after": jit.JitIgnoresRetryAfter,
    "jit_no_retry_on_reset": jit.JitNoRetryOnReset, "jit_first_page_only": jit.JitFirstPageOnly,
    "jit_documents_without_token": jit.JitDocumentsWithoutToken, "jit_shared_state": jit.JitSharedState,
    "jit_pulls_pending_skus": jit.JitPullsPendingSkus, "jit_forgets_packed_units": jit.JitForgetsPackedUnits,
    "jit_reconciles_by_utc_day": jit.JitReconcilesByUtcDay,
    # JIT: the second bug hunt
    "jit_box_ids_per_run": jit.JitBoxIdsPerRun, "jit_pack_picked_skips_invoiced": jit.JitPackPickedSkipsInvoiced,
    "jit_ignores_packed_this_sync": jit.JitIgnoresPackedThisSync, "jit_pushes_before_sku_pull": jit.JitPushesBeforeSkuPull,
    "jit_recon_view_skus_only": jit.JitReconViewSkusOnly, "jit_recon_marked_before_push": jit.JitReconMarkedBeforePush,
    "jit_cancel_key_per_po": jit.JitCancelKeyPerPo, "jit_sku_map_never_forgets": jit.JitSkuMapNeverForgets,
    "jit_pushes_atp": jit.JitPushesAtp, "jit_returns_no_lookback": jit.JitReturnsNoLookback,
    # The other side of a rule whose first bug went one way (other_side_bugs.py)
    "gives_up_on_429": other.GivesUpOn429, "jit_gives_up_on_429": other.JitGivesUpOn429,
    "jit_no_retry": other.JitNeverRetries, "jit_retries_forever": other.JitRetriesForever,
    "cancels_after_invoice": other.CancelsAfterInvoice, "never_puts_away": other.NeverPutsAway,
    "qc_always_bad": other.QcAlwaysBad, "inventory_deltas": other.InventoryDeltas,
    "manifests_invoiced": other.ManifestsInvoiced, "refetches_credit_note": other.RefetchesCreditNote,
    "jit_reissues_invoice_after_pack": other.JitReissuesInvoiceAfterPack, "jit_packs_short": other.JitPacksShort,
    "jit_rereads_final_pos": other.JitRereadsFinalPOs, "jit_refetches_documents": other.JitRefetchesDocuments,
    "jit_ignores_prepack": other.JitIgnoresPrepack, "refetches_every_document": other.RefetchesKeptDocuments,
    "jit_inventory_deltas": other.JitInventoryDeltas, "reads_until_empty_page": other.ReadsUntilEmptyPage,
    "jit_reads_until_empty_page": other.JitReadsUntilEmptyPage,
    # VMS (issue 17; vms_bugs.py)
    "vms_acks_at_once": vms.VmsAcksAtOnce, "vms_acks_without_reserving": vms.VmsAcksWithoutReserving,
    "vms_fetches_new_only": vms.VmsFetchesNewOnly,
    "vms_cancels_late_po": vms.VmsCancelsLatePo, "vms_cancels_uninvoiced": vms.VmsCancelsUninvoiced,
    "vms_partial_cancel_model1": vms.VmsPartialCancelModel1,
    "vms_cancels_whole_model2": vms.VmsCancelsWholeModel2, "vms_rsi_week_range": vms.VmsRsiWeekRange,
    "vms_invoice_date_utc_as_ist": vms.VmsInvoiceDateUtcAsIst,
    "vms_rsi_received_only": vms.VmsRsiReceivedOnly, "vms_qc_fail_without_reason": vms.VmsQcFailWithoutReason,
    "vms_rto_request_always": vms.VmsRtoRequestAlways, "vms_numbers_by_year": vms.VmsNumbersByYear,
    "vms_double_processes": vms.VmsDoubleProcesses, "vms_fetches_last_hour": vms.VmsFetchesLastHour,
    "vms_ignores_retry_after": vms.VmsIgnoresRetryAfter, "vms_no_retry": vms.VmsNeverRetries,
    "vms_ignores_token_expiry": vms.VmsIgnoresTokenExpiry, "vms_logs_in_every_call": vms.VmsLogsInEveryCall,
    "vms_reinvoices_same_number": vms.VmsReinvoicesSameNumber,
    "vms_credit_note_invoice_irn": vms.VmsCreditNoteInvoiceIrn,
    # VMS: the bug hunt over the catalogue (re-reads, lost answers, QC units, RTO requests, paging, RSI, throttling)
    "vms_acks_then_cancels_short": vms.VmsAcksThenCancelsShort, "vms_rereads_until_packed": vms.VmsRereadsUntilPacked,
    "vms_rms_number_after_success": vms.VmsRmsNumberAfterSuccess, "vms_qc_one_unit_per_item": vms.VmsQcOneUnitPerItem,
    "vms_rto_request_every_sync": vms.VmsRtoRequestEverySync, "vms_returns_first_page": vms.VmsReturnsFirstPage,
    "vms_rsi_rescans_week": vms.VmsRsiRescansWeek, "vms_rsi_last_two_days": vms.VmsRsiLastTwoDays,
    "vms_throttle_per_call": vms.VmsThrottlePerCall,
    # The third blind Dropship/JIT bug hunt (hunt_bugs.py): each escaped the catalogue until its scenario
    "ds_caps_retry_after": hunt.DsCapsRetryAfter, "ds_rereads_each_order_alone": hunt.DsRereadsEachOrderAlone,
    "ds_returns_to_wall_clock": hunt.DsReturnsToWallClock, "ds_returns_from_wall_clock": hunt.DsReturnsFromWallClock,
    "ds_skips_processed_returns": hunt.DsSkipsProcessedReturns,
    "ds_own_rto_qc_good": hunt.DsOwnRtoQcGood, "ds_po_pdf_at_invoice": hunt.DsPoPdfAtInvoice,
    "ds_warehouse_read_once": hunt.DsWarehouseReadOnce, "ds_reserved_kept_across_syncs": hunt.DsReservedKeptAcrossSyncs,
    "jit_recon_pushes_everything": hunt.JitReconPushesEverything,
    "jit_reserves_against_itself": hunt.JitReservesAgainstItself,
    "jit_prepacked_not_reserved": hunt.JitPrepackedNotReserved,
    "jit_status_sync_until_dispatched": hunt.JitStatusSyncUntilDispatched,
    "jit_cancels_unmapped_lines": hunt.JitCancelsUnmappedLines, "jit_caps_retry_after": hunt.JitCapsRetryAfter,
    "jit_boxes_include_cancelled_lines": hunt.JitBoxesIncludeCancelledLines,
    "ds_retries_5xx_at_once": hunt.DsRetries5xxAtOnce, "jit_retries_5xx_at_once": hunt.JitRetries5xxAtOnce,
    # The second blind VMS bug hunt (vms_hunt_bugs.py)
    "vms_hold_from_first_seen": vhunt.HoldFromFirstSeen, "vms_lines_from_first_fetch": vhunt.LinesFromFirstFetch,
    "vms_acks_before_refresh": vhunt.AcksBeforeRefresh, "vms_reserve_never_released": vhunt.ReserveNeverReleased,
    "vms_hammers_5xx": vhunt.Hammers5xx, "vms_refetches_documents_at_handover": vhunt.RefetchesDocumentsAtHandover,
    "vms_returns_forget_open": vhunt.ReturnsForgetOpen, "vms_rsi_skips_pdf": vhunt.RsiSkipsPdf,
    "vms_orders_since_midnight": vhunt.OrdersSinceMidnight,
    # The fourth blind Dropship/JIT bug hunt (hunt4_bugs.py), and two mistakes it found in the reference
    "ds_returns_pages_by_offset": hunt4.DsReturnsPagesByOffset, "ds_ack_throttled_parked": hunt4.DsAckThrottledParked,
    "ds_manifest_pdf_first_chunk_only": hunt4.DsManifestPdfFirstChunkOnly,
    "ds_returns_after_newest_exclusive": hunt4.DsReturnsAfterNewestExclusive,
    "ds_inventory_batches_of_49": hunt4.DsInventoryBatchesOf49, "ds_no_reread_after_invoice": hunt4.DsNoRereadAfterInvoice,
    "ds_acks_50_per_sync": hunt4.DsAcks50PerSync, "ds_po_pdf_error_swallowed": hunt4.DsPoPdfErrorSwallowed,
    "ds_credit_note_pdf_error_swallowed": hunt4.DsCreditNotePdfErrorSwallowed,
    "ds_reserves_per_order": hunt4.DsReservesPerOrder, "ds_records_invoice_after_pdf": hunt4.DsRecordsInvoiceAfterPdf,
    "jit_returns_pages_by_offset": hunt4.JitReturnsPagesByOffset, "jit_daemon_sync_id_once": hunt4.JitDaemonSyncIdOnce,
    "jit_daemon_day_cached": hunt4.JitDaemonDayCached, "jit_fifo_blocks_on_unmapped_po": hunt4.JitFifoBlocksOnUnmappedPo,
    "jit_returns_pulled_at_before_read": hunt4.JitReturnsPulledAtBeforeRead,
    "jit_manifest_pdf_first_chunk_only": hunt4.JitManifestPdfFirstChunkOnly,
    "ds_reset_retried_at_once": hunt4.DsResetRetriedAtOnce, "jit_reset_retried_at_once": hunt4.JitResetRetriedAtOnce,
    "vms_reset_retried_at_once": hunt4.VmsResetRetriedAtOnce,
    "ds_records_manifest_after_pdf": hunt4.DsRecordsManifestAfterPdf,
    "jit_skips_unmapped_lines": hunt4.JitSkipsUnmappedLines, "ds_closes_on_failed_attempt": hunt4.DsClosesOnFailedAttempt,
    # The sixth blind Dropship/JIT bug hunt (hunt6_bugs.py)
    "ds_credit_note_skips_bad_qc": hunt6.DsCreditNoteSkipsBadQc, "ds_ack_merges_lines_by_sku": hunt6.DsAckMergesLinesBySku,
    "ds_stock_lost_first_line_only": hunt6.DsStockLostFirstLineOnly,
    "ds_unlisted_pickable_as_zero": hunt6.DsUnlistedPickableAsZero,
    "jit_recon_setting_ignored": hunt6.JitReconSettingIgnored,
    "jit_inventory_one_batch_per_sync": hunt6.JitInventoryOneBatchPerSync,
    "jit_manifests_this_sync_only": hunt6.JitManifestsThisSyncOnly,
    "jit_sku_pull_clears_map_on_failure": hunt6.JitSkuPullClearsMapOnFailure,
    "ds_tracking_failed_read_marked": hunt6.DsTrackingFailedReadMarked,
    "ds_credit_note_closed_on_5xx": hunt6.DsCreditNoteClosedOn5xx,
    "jit_document_error_swallowed": hunt6.JitDocumentErrorSwallowed,
    # The seventh blind Dropship/JIT bug hunt (hunt7_bugs.py)
    "ds_relogin_once_per_process": hunt7.DsReloginOncePerProcess, "ds_not_yet_blocks_client": hunt7.DsNotYetBlocksClient,
    "ds_manifest_pickup_slot": hunt7.DsManifestPickupSlot, "ds_inventory_zero_then_set": hunt7.DsInventoryZeroThenSet,
    "ds_retires_at_dispatch": hunt7.DsRetiresAtDispatch, "jit_backorders_repush_stock": hunt7.JitBackordersRepushStock,
    "jit_manifest_pdf_skipped_on_partial_failure": hunt7.JitManifestPdfSkippedOnPartialFailure,
    "ds_state_saved_at_end_only": hunt7.DsStateSavedAtEndOnly,
    # the eighth blind Dropship/JIT hunt (hunt8_bugs.py)
    "ds_credit_notes_stop_at_not_yet": hunt8.DsCreditNotesStopAtNotYet,
    "ds_manifests_with_label_owed": hunt8.DsManifestsWithLabelOwed, "ds_gives_up_on_breached": hunt8.DsGivesUpOnBreached,
    "jit_push_state_before_call": hunt8.JitPushStateBeforeCall, "jit_reissued_invoice_no_pdf": hunt8.JitReissuedInvoiceNoPdf,
    "jit_cancel_key_per_moment": hunt8.JitCancelKeyPerMoment,
    # the ninth blind Dropship/JIT hunt (hunt9_bugs.py)
    "ds_label_parked_on_403": hunt9.DsLabelParkedOn403, "ds_rto_check_rto_type_only": hunt9.DsRtoCheckRtoTypeOnly,
    "ds_relogin_loop": hunt9.DsReloginLoop, "ds_ack_echoes_customer_cancel": hunt9.DsAckEchoesCustomerCancel,
    "ds_cancels_rest_after_customer_partial": hunt9.DsCancelsRestAfterCustomerPartial,
    "ds_inventory_pushes_whole_page": hunt9.DsInventoryPushesWholePage, "jit_relogin_loop": hunt9.JitReloginLoop,
    "jit_packed_ordered_qty_off_stock": hunt9.JitPackedOrderedQtyOffStock,
    "jit_master_awb_last_box": hunt9.JitMasterAwbLastBox, "jit_daemon_packed_now_kept": hunt9.JitDaemonPackedNowKept,
    "ds_rto_marked_before_call": hunt9.DsRtoMarkedBeforeCall,
    "ds_putaway_marked_before_call": hunt9.DsPutawayMarkedBeforeCall,
    # the tenth blind Dropship/JIT hunt (hunt10_bugs.py)
    "ds_seller_cancel_marked_before_call": hunt10.DsSellerCancelMarkedBeforeCall,
    "ds_ack_marked_before_call": hunt10.DsAckMarkedBeforeCall, "ds_rto_one_unit_per_line": hunt10.DsRtoOneUnitPerLine,
    "ds_qc_in_chunks_of_10_items": hunt10.DsQcInChunksOf10Items,
    "ds_tracking_unknown_reason_crashes": hunt10.DsTrackingUnknownReasonCrashes,
    "ds_pendency_stops_at_known": hunt10.DsPendencyStopsAtKnown,
    "ds_stock_lost_only_when_count_zero": hunt10.DsStockLostOnlyWhenCountZero,
    "ds_invoice_number_in_memory": hunt10.DsInvoiceNumberInMemory,
    "jit_pack_marked_before_call": hunt10.JitPackMarkedBeforeCall,
    "jit_reissue_forgotten_before_call": hunt10.JitReissueForgottenBeforeCall,
    # the eleventh blind Dropship/JIT hunt (hunt11_bugs.py)
    "ds_document_retries_in_memory": hunt11.DsDocumentRetriesInMemory,
    "ds_unmapped_carriers_one_manifest": hunt11.DsUnmappedCarriersOneManifest,
    "jit_prefetched_labels_in_memory": hunt11.JitPrefetchedLabelsInMemory,
    # the twelfth blind Dropship/JIT hunt (hunt12_bugs.py)
    "ds_pages_extra_when_exact": hunt12.DsPagesExtraWhenExact,
    "ds_returns_unknown_status_stops_page": hunt12.DsReturnsUnknownStatusStopsPage,
    "jit_prepack_recorded_after_labels": hunt12.JitPrepackRecordedAfterLabels,
    "jit_pack_shortfall_recorded_before_cancel": hunt12.JitPackShortfallRecordedBeforeCancel,
    "ds_unknown_status_taken_as_acknowledged": hunt12.DsUnknownStatusTakenAsAcknowledged,
    "ds_unknown_status_crashes_sync": hunt12.DsUnknownStatusCrashesSync,
    "ds_unknown_status_cancelled": hunt12.DsUnknownStatusCancelled,
    # the thirteenth blind Dropship/JIT hunt (hunt13_bugs.py): values AJIO adds, where the catalogue never had them
    "ds_held_unknown_status_cancelled": hunt13.DsHeldUnknownStatusCancelled,
    "ds_return_unknown_status_arrived": hunt13.DsReturnUnknownStatusArrived,
    "ds_return_unknown_status_closed": hunt13.DsReturnUnknownStatusClosed,
    "jit_unknown_po_status_crashes_sync": hunt13.JitUnknownPoStatusCrashesSync,
    "jit_unknown_po_status_final": hunt13.JitUnknownPoStatusFinal,
    "jit_pendency_unknown_status_dropped": hunt13.JitPendencyUnknownStatusDropped,
    # the fourteenth blind Dropship/JIT hunt (hunt14_bugs.py): values AJIO adds on tracking events, cancellers,
    # return reasons, payment methods and carriers; an IST day built in UTC; one full page of JIT pendency
    "ds_tracking_unknown_event_delivered": hunt14.DsTrackingUnknownEventDelivered,
    "ds_unknown_canceller_crashes": hunt14.DsUnknownCancellerCrashes,
    "ds_return_unknown_reason_crashes": hunt14.DsReturnUnknownReasonCrashes,
    "ds_unknown_payment_method_parked": hunt14.DsUnknownPaymentMethodParked,
    "ds_unknown_carrier_parked": hunt14.DsUnknownCarrierParked,
    "jit_returns_since_utc_midnight": hunt14.JitReturnsSinceUtcMidnight,
    "jit_pendency_page_too_far": hunt14.JitPendencyPageTooFar,
    "ds_ack_ignores_failed_items": hunt14.DsAckIgnoresFailedItems,
    # the fifteenth blind Dropship/JIT hunt (hunt15_bugs.py): a crash at a read after a write, an in-flight mark or
    # an outbox trusted after a crash; a return type AJIO adds; one full page of JIT SKUs; a floor at 1 April IST
    "ds_saves_before_writes_only": hunt15.DsSavesBeforeWritesOnly,
    "ds_ack_in_flight_stranded": hunt15.DsAckInFlightStranded,
    "ds_qc_outbox_trusted_after_crash": hunt15.DsQcOutboxTrustedAfterCrash,
    "jit_push_outbox_trusted_after_crash": hunt15.JitPushOutboxTrustedAfterCrash,
    "ds_unknown_return_type_not_expected": hunt15.DsUnknownReturnTypeNotExpected,
    "jit_sku_pull_page_too_far": hunt15.JitSkuPullPageTooFar,
    "jit_returns_floor_at_fy_start": hunt15.JitReturnsFloorAtFyStart,
    # the sixteenth blind Dropship/JIT hunt (hunt16_bugs.py): crashes at a re-issue and at reads, a full page of
    # held POs, the status sync's calls bounded from above
    "jit_reissue_from_lines_diff": hunt16.JitReissueFromLinesDiff,
    "jit_returns_watermark_before_read": hunt16.JitReturnsWatermarkBeforeRead,
    "jit_held_pos_page_too_far": hunt16.JitHeldPosPageTooFar, "jit_rereads_each_po_alone": hunt16.JitRereadsEachPoAlone,
    "ds_tracking_marked_before_read": hunt16.DsTrackingMarkedBeforeRead,
    "ds_manifest_pdf_owed_on_failure_only": hunt16.DsManifestPdfOwedOnFailureOnly,
    # the seventeenth blind Dropship/JIT hunt (hunt17_bugs.py): a list worked while paged, a failed line in a
    # batched push, a full page of DS pendency, a lagging returns page, crashes between push batches and at downloads
    "jit_pendency_worked_while_paging": hunt17.JitPendencyWorkedWhilePaging,
    "ds_stock_push_stops_at_failed_line": hunt17.DsStockPushStopsAtFailedLine,
    "ds_pendency_page_too_far": hunt17.DsPendencyPageTooFar, "ds_qc_when_listed_delivered": hunt17.DsQcWhenListedDelivered,
    "ds_push_resumes_at_batch_offset": hunt17.DsPushResumesAtBatchOffset,
    "jit_push_resumes_at_batch_offset": hunt17.JitPushResumesAtBatchOffset,
    "ds_po_recorded_before_pdf": hunt17.DsPoRecordedBeforePdf,
    "jit_box_labels_owed_on_failure_only": hunt17.JitBoxLabelsOwedOnFailureOnly,
    # the eighteenth blind hunt, JIT (hunt18_bugs.py): added values in write answers, a pick-time cancellation
    # down for syncs or crashed after, a manifest line failed for two syncs, a crash at the manifest PDF
    "jit_dispatch_status_not_success": hunt18.JitDispatchStatusNotSuccess,
    "jit_cancel_answer_status_closes": hunt18.JitCancelAnswerStatusCloses,
    "jit_unsuppliable_cancel_swallowed": hunt18.JitUnsuppliableCancelSwallowed,
    "jit_resume_ignores_cancelled": hunt18.JitResumeIgnoresCancelled,
    "jit_failed_dispatch_retry_budget": hunt18.JitFailedDispatchRetryBudget,
    "jit_manifest_pdf_owed_on_failure_only": hunt18.JitManifestPdfOwedOnFailureOnly,
    # the eighteenth blind hunt, Dropship (hunt18_bugs.py), and the two reference mistakes it found
    "ds_ack_stage_from_last_call": hunt18.DsAckStageFromLastCall,
    "ds_owed_documents_cleared_when_all_kept": hunt18.DsOwedDocumentsClearedWhenAllKept,
    "ds_forgets_finished_orders": hunt18.DsForgetsFinishedOrders,
    "ds_returns_from_ist_midnight_as_utc": hunt18.DsReturnsFromIstMidnightAsUtc,
    "ds_packed_requeued_for_manifest": hunt18.DsPackedRequeuedForManifest,
    "ds_unknown_parcel_ends_returns": hunt18.DsUnknownParcelEndsReturns,
    "ds_delivered_retired_before_tracking_read": hunt18.DsDeliveredRetiredBeforeTrackingRead,
    "ds_returns_floor_at_fy_start": hunt15.DsReturnsFloorAtFyStart,
    # The third blind VMS bug hunt (vms_hunt3_bugs.py)
    "vms_qc_order_quantity": vhunt3.QcOrderQuantity, "vms_credit_note_number_per_order": vhunt3.CreditNoteNumberPerOrder,
    "vms_hold_fixed_4h": vhunt3.HoldFixed4h, "vms_credit_note_in_rsi_model": vhunt3.CreditNoteInRsiModel,
    "vms_partial_flag_against_ordered": vhunt3.PartialFlagAgainstOrdered,
    # The sixth blind VMS bug hunt (vms_hunt6_bugs.py)
    "vms_cancels_first_short_line_only": vhunt6.CancelsFirstShortLineOnly,
    "vms_reserves_failed_ack": vhunt6.ReservesFailedAck,
    "vms_marks_acked_before_call": vhunt6.MarksAckedBeforeCall,
    "vms_rto_request_forgets_earlier_expectations": vhunt6.RtoRequestForgetsEarlierExpectations,
    "vms_cancel_seen_only_before_ack": vhunt6.CancelSeenOnlyBeforeAck,
    "vms_manifests_with_label_owed": vhunt6.ManifestsWithLabelOwed,
    "vms_returns_window_moves_on_failure": vhunt6.ReturnsWindowMovesOnFailure,
    "vms_rsi_stops_at_empty_window": vhunt6.RsiStopsAtEmptyWindow,
    "vms_cancels_short_at_first_sight": vhunt6.CancelsShortAtFirstSight,
    "vms_rsi_model_no_rto_request": vhunt6.RsiModelNoRtoRequest, "vms_rsi_model_skips_qc": vhunt6.RsiModelSkipsQc,
    # VMS rules no bug broke before (examples/buggy_connectors/vms_rule_bugs.py)
    "vms_acks_whatever_is_new": vrule.AcksWhateverIsNew, "vms_cancels_after_handover": vrule.CancelsAfterHandover,
    "vms_qc_on_sight": vrule.QcOnSight, "vms_qc_withdrawn_return": vrule.QcWithdrawnReturn,
    "vms_credit_note_without_qr": vrule.CreditNoteWithoutQr, "vms_invoices_in_model1": vrule.InvoicesInModel1,
    "vms_big_manifest": vrule.BigManifest, "vms_model1_packs_damaged": vrule.Model1PacksDamaged,
    "vms_model2_invoices_what_was_acked": vrule.Model2InvoicesWhatWasAcked,
    "vms_partial_flag_never_set": vrule.PartialFlagNeverSet, "vms_no_rms_credit_note": vrule.NoRmsCreditNote,
    "vms_reads_until_empty_page": vrule.VmsReadsUntilEmptyPage, "vms_never_manifests": vrule.NeverManifests,
    "vms_manifests_unpacked": vrule.ManifestsUnpacked, "vms_rms_invoices_ordered_quantity": vrule.RmsInvoicesOrderedQuantity,
    "vms_no_reinvoice_after_partial_cancel": vrule.NoReinvoiceAfterPartialCancel, "vms_asks_po_once": vrule.AsksPoOnce,
    "vms_gives_up_on_429": vrule.VmsGivesUpOn429,
    # the eighth blind VMS hunt (vms_hunt8_bugs.py)
    "vms_partial_flag_by_line_count": vhunt8.PartialFlagByLineCount, "vms_qc_skips_missing": vhunt8.QcSkipsMissing,
    "vms_rsi_window_moves_on_failure": vhunt8.RsiWindowMovesOnFailure, "vms_relogin_loop": vhunt8.ReloginLoop,
    "vms_acks_when_short_cancel_fails": vhunt8.AcksWhenShortCancelFails,
    "vms_rto_request_despite_failed_read": vhunt8.RtoRequestDespiteFailedRead,
    "vms_misses_invoice_cancelled_by_ajio": vhunt8.MissesInvoiceCancelledByAjio,
    # the ninth blind VMS hunt (vms_hunt9_bugs.py)
    "vms_rms_daily_series_utc_date": vhunt9.RmsDailySeriesUtcDate, "vms_qc_marked_before_call": vhunt9.QcMarkedBeforeCall,
    "vms_rto_request_marked_before_call": vhunt9.RtoRequestMarkedBeforeCall, "vms_hold_whole_hours": vhunt9.HoldWholeHours,
    "vms_orders_window_moves_on_failure": vhunt9.OrdersWindowMovesOnFailure,
    "vms_credit_note_marked_before_call": vhunt9.CreditNoteMarkedBeforeCall,
    "vms_rsi_accepted_before_call": vhunt9.RsiAcceptedBeforeCall,
    # the tenth blind VMS hunt (vms_hunt10_bugs.py)
    "vms_model1_cancel_marked_before_call": vhunt10.Model1CancelMarkedBeforeCall,
    "vms_rms_series_fy_utc": vhunt10.RmsSeriesFyUtc, "vms_rms_invoiced_before_call": vhunt10.RmsInvoicedBeforeCall,
    "vms_manifest_marked_before_call": vhunt10.ManifestMarkedBeforeCall,
    "vms_forgets_ack_of_killed_run": vhunt10.ForgetsAckOfKilledRun,
    # the eleventh blind VMS hunt (vms_hunt11_bugs.py)
    "vms_rms_retry_keeps_body": vhunt11.RmsRetryKeepsBody,
    "vms_rto_request_rto_expectations_only": vhunt11.RtoRequestRtoExpectationsOnly,
    "vms_no_rms_credit_note_for_rto": vhunt11.NoRmsCreditNoteForRto,
    "vms_rms_series_without_store": vhunt11.RmsSeriesWithoutStore,
    # a status AJIO added (vms_hunt12_bugs.py)
    "vms_unknown_status_crashes_sync": vhunt12.UnknownStatusCrashesSync,
    "vms_unknown_status_cancelled": vhunt12.UnknownStatusCancelled,
    "vms_credit_note_redone_after_lost_answers": vhunt12.CreditNoteRedoneAfterLostAnswers,
    "vms_recovers_acknowledged_only": vhunt12.RecoversAcknowledgedOnly,
    "vms_model2_ignores_listed_invoiced": vhunt12.Model2IgnoresListedInvoiced,
    # the thirteenth blind VMS hunt (vms_hunt13_bugs.py): values AJIO adds, where the catalogue never had them
    "vms_unknown_status_in_work_dropped": vhunt13.UnknownStatusInWorkDropped,
    "vms_unknown_return_status_closed": vhunt13.UnknownReturnStatusClosed,
    "vms_unknown_return_status_crashes": vhunt13.UnknownReturnStatusCrashes,
    "vms_unknown_return_type_not_expected": vhunt13.UnknownReturnTypeNotExpected,
    # the fourteenth blind VMS hunt (vms_hunt14_bugs.py): return reasons and payment methods AJIO adds, an RSI
    # cursor's IST date taken back in UTC, a daemon's clock read once
    "vms_unknown_return_reason_crashes": vhunt14.UnknownReturnReasonCrashes,
    "vms_unknown_payment_method_cancelled": vhunt14.UnknownPaymentMethodCancelled,
    "vms_rsi_cursor_ist_date_utc_midnight": vhunt14.RsiCursorIstDateUtcMidnight,
    "vms_daemon_clock_at_start": vhunt14.DaemonClockAtStart,
    # the fifteenth blind VMS hunt (vms_hunt15_bugs.py): a cursor or a step on disk before its work (a crash between),
    # a lagging listing taken at its word, a value AJIO adds on an RSI line
    "vms_rsi_cursor_checkpointed": vhunt15.RsiCursorCheckpointed,
    "vms_qc_checkpointed_before_call": vhunt15.QcCheckpointedBeforeCall,
    "vms_pack_checkpointed_before_documents": vhunt15.PackCheckpointedBeforeDocuments,
    "vms_stage_follows_listing": vhunt15.StageFollowsListing,
    "vms_rsi_line_unknown_return_crashes": vhunt15.RsiLineUnknownReturnCrashes,
    # the sixteenth blind VMS hunt (vms_hunt16_bugs.py): an RMS series restarted per FY, a hold of 0, IST days
    "vms_rms_series_restarts_each_fy": vhunt16.RmsSeriesRestartsEachFy,
    "vms_hold_zero_is_default": vhunt16.HoldZeroIsDefault,
    "vms_returns_since_ist_midnight": vhunt16.ReturnsSinceIstMidnight,
    "vms_rsi_reads_whole_ist_days": vhunt16.RsiReadsWholeIstDays,
    # the seventeenth blind VMS hunt (vms_hunt17_bugs.py): an unknown status on a handed-over order
    "vms_unknown_status_after_handover_crashes": vhunt17.UnknownStatusAfterHandoverCrashes,
    # the eighteenth blind VMS hunt (vms_hunt18_bugs.py), and the reference mistake it found
    "vms_po_reread_until_invoiced": vhunt18.PoRereadUntilInvoiced, "vms_daemon_warehouse_once": vhunt18.DaemonWarehouseOnce,
    "vms_rms_series_calendar_year": vhunt18.RmsSeriesCalendarYear, "vms_po_not_kept": vhunt18.PoNotKept,
    "vms_rms_counter_saved_with_sync": vhunt18.RmsCounterSavedWithSync,
    # a hunt on the thinly tested duty rules (thin_bugs.py): each breaks its rule another way than the first bug
    "ds_ack_reread_falls_back_to_pendency": thin.DsAckRereadFallsBackToPendency,
    "ds_sku_slug_lookup": thin.DsSkuSlugLookup,
    "ds_rto_on_address_issue": thin.DsRtoOnAddressIssue,
    "ds_invoice_pdf_with_manifest": thin.DsInvoicePdfWithManifest,
    "ds_rto_short_as_bad": thin.DsRtoShortAsBad,
    "jit_relisted_prepack_started_again": thin.JitRelistedPrepackStartedAgain,
    "vms_acks_batch_when_oldest_due": thin.VmsAcksBatchWhenOldestDue,
    "vms_orders_window_from_last_fetch": thin.VmsOrdersWindowFromLastFetch,
    # its second pass: refusal rules and the next tier of duty rules (thin_bugs.py)
    "ds_invoice_when_po_late": thin.DsInvoiceWhenPoLate,
    "ds_lone_retry_manifest_waits": thin.DsLoneRetryManifestWaits,
    "jit_pendency_unchanged_skipped": thin.JitPendencyUnchangedSkipped,
    "jit_reissue_before_repeated_pack": thin.JitReissueBeforeEveryPrepackedPack,
    "vms_model2_partial_cancel_at_handover": thin.VmsModel2PartialCancelAtHandover,
    # found by crashing the connector at a chosen call (run_connector kill_at, kill_bugs.py): state saved too late
    # (ds_state_saved_per_phase is the reference's behaviour before it saved between calls), a write recorded
    # as done before it is sent
    "ds_state_saved_per_phase": kill.DsStateSavedPerPhase, "jit_state_saved_per_phase": kill.JitStateSavedPerPhase,
    "vms_state_saved_per_phase": kill.VmsStateSavedPerPhase,
    "ds_manifest_marked_before_call": kill.DsManifestMarkedBeforeCall,
    "ds_label_answer_lost_stranded": kill.DsLabelAnswerLostStranded,
    "vms_packed_order_stranded": kill.VmsPackedOrderStranded,
    # a Dropship stock push's failed lines (failed_items inside a 200; stock_bugs.py)
    "ds_inventory_sent_recorded_pushed": stock.DsInventorySentRecordedPushed,
    "ds_inventory_resends_batch_on_failed_line": stock.DsInventoryResendsBatchOnFailedLine,
    "ds_inventory_failed_sku_dropped": stock.DsInventoryFailedSkuDropped,
    # the kill_at sweep: a crash after (and before) every kind of write, per model (kill_bugs.py)
    "ds_manifest_mixed_after_lost_answer": kill.DsManifestMixedAfterLostAnswer,
    "ds_ack_own_answer_only": kill.DsAckOwnAnswerOnly,
    "ds_documents_saved_with_writes_only": kill.DsDocumentsSavedWithWritesOnly,
    "ds_putaway_recorded_before_call": kill.DsPutawayRecordedBeforeCall,
    "ds_credited_before_fetch": kill.DsCreditedBeforeFetch,
    "ds_rto_recorded_before_call": kill.DsRtoRecordedBeforeCall,
    "jit_po_known_from_pendency_only": kill.JitPoKnownFromPendencyOnly,
    "jit_manifest_mixed_after_lost_answer": kill.JitManifestMixedAfterLostAnswer,
    "vms_rsi_pdf_not_saved": kill.VmsRsiPdfNotSaved,
    "vms_manifest_mixed_after_lost_answer": kill.VmsManifestMixedAfterLostAnswer,
    "vms_number_drawn_unsaved": kill.VmsNumberDrawnUnsaved,
    # inputs the catalogue had never varied on JIT and VMS: stale pages, full pages, unknown values (vary_bugs.py)
    "jit_returns_page_too_far": vary.JitReturnsPageTooFar,
    "jit_returns_window_from_last_pull": vary.JitReturnsWindowFromLastPull,
    "jit_return_type_unknown_crashes": vary.JitReturnTypeUnknownCrashes,
    "jit_returns_stop_at_unknown_status": vary.JitReturnsStopAtUnknownStatus,
    "jit_moderation_unknown_crashes": vary.JitModerationUnknownCrashes,
    "jit_sku_pull_stops_at_unknown_moderation": vary.JitSkuPullStopsAtUnknownModeration,
    "jit_pendency_taken_at_its_word": vary.JitPendencyTakenAtItsWord,
    "jit_pack_status_table_crashes": vary.JitPackStatusTableCrashes,
    "vms_returns_page_too_far": vary.VmsReturnsPageTooFar,
    "vms_qc_owed_from_listing": vary.VmsQcOwedFromListing,
    "vms_carrier_table_crashes": vary.VmsCarrierTableCrashes,
    "vms_qc_outcome_table_crashes": vary.VmsQcOutcomeTableCrashes,
    # kill16: crashes where none had been, kill_at aimed by body (kill_bugs.py)
    "vms_rto_noted_before_call": kill.VmsRtoNotedBeforeCall, "jit_cancel_key_per_run": kill.JitCancelKeyPerRun,
    "jit_reissue_done_before_call": kill.JitReissueDoneBeforeCall,
    "vms_cancel_noted_before_call": kill.VmsCancelNotedBeforeCall,
    "jit_returns_cursor_moved_first": kill.JitReturnsCursorMovedFirst,
    "vms_lines_from_first_read": kill.VmsLinesFromFirstRead,
    # vary17: lists lagging behind the moving clock (stale_page ignore_params), crashes never varied (vary17_bugs.py)
    "vms_rsi_read_from_cursor_exactly": vary17.VmsRsiReadFromCursorExactly,
    "vms_returns_read_from_cursor_exactly": vary17.VmsReturnsReadFromCursorExactly,
    "jit_daemon_saves_on_stop": vary17.JitDaemonSavesOnStop, "ds_daemon_saves_on_stop": vary17.DsDaemonSavesOnStop,
    # vary17b: Dropship pages and lags never varied: full and one-item returns pages, a push refused whole, a
    # checkpointed pendency read (vary17b_bugs.py)
    "ds_returns_page_too_far": vary17b.DsReturnsPageTooFar, "ds_returns_first_page_only": vary17b.DsReturnsFirstPageOnly,
    "ds_refused_push_parked": vary17b.DsRefusedPushParked,
    "ds_pendency_resumes_at_checkpoint": vary17b.DsPendencyResumesAtCheckpoint,
    "ds_push_verified_by_read_back": vary17b.DsPushVerifiedByReadBack,
    "ds_returns_forgotten_across_pages": vary17b.DsReturnsForgottenAcrossPages,
    "ds_unreadable_list_as_empty": vary17b.DsUnreadableListAsEmpty,
    # rto17: Dropship's RTO creation answered 200 status FAILED (rto17_bugs.py)
    "ds_rto_failed_taken_as_created": rto17.DsRtoFailedTakenAsCreated,
    "ds_rto_failed_is_final": rto17.DsRtoFailedIsFinal, "ds_rto_retried_until_success": rto17.DsRtoRetriedUntilSuccess,
    "ds_rto_owed_retried_first": rto17.DsRtoOwedRetriedFirst,
    # vary18j: JIT inputs never varied: an added value in the stock push's answer, crashes at reads the JIT flow
    # depends on, a held PO missing from a lagging status read, the prepack down (vary18j_bugs.py)
    "jit_push_status_stops_sync": vary18j.JitPushStatusStopsSync,
    "jit_reconciled_marked_first": vary18j.JitReconciledMarkedFirst,
    "jit_state_saved_at_end_only": vary18j.JitStateSavedAtEndOnly,
    "jit_invoice_pdf_owed_on_failure_only": vary18j.JitInvoicePdfOwedOnFailureOnly,
    "jit_held_po_missing_dropped": vary18j.JitHeldPoMissingDropped,
    "jit_picking_noted_before_prepack": vary18j.JitPickingNotedBeforePrepack,
    "jit_failed_read_stops_sync": vary18j.JitFailedReadStopsSync,
    "jit_sku_pull_resumes_at_page": vary18j.JitSkuPullResumesAtPage,
    "jit_retires_finished_pos": vary18j.JitRetiresFinishedPos,
    "jit_pendency_resumes_at_checkpoint": vary18j.JitPendencyResumesAtCheckpoint,
    # vary18d: Dropship inputs never varied: a crash after a partly failed acknowledgement, a failed line failing again,
    # lagging reads after the label, a seller cancellation and the delivery, one tracking read refused, unknown ids in
    # the warehouse file, manifest lines failing for whole syncs (vary18d_bugs.py)
    "ds_ack_lines_noted_before_call": vary18d.DsAckLinesNotedBeforeCall,
    "ds_failed_line_given_up_when_refused": vary18d.DsFailedLineGivenUpWhenRefused,
    "ds_stage_follows_listed_status": vary18d.DsStageFollowsListedStatus,
    "ds_seller_cancel_recorded_from_read": vary18d.DsSellerCancelRecordedFromRead,
    "ds_tracking_marked_from_order_status": vary18d.DsTrackingMarkedFromOrderStatus,
    "ds_tracking_refusal_ends_phase": vary18d.DsTrackingRefusalEndsPhase,
    "ds_pick_report_walked": vary18d.DsPickReportWalked,
    "ds_failed_dispatch_retry_budget": vary18d.DsFailedDispatchRetryBudget,
    "ds_missing_from_reread_taken_cancelled": vary18d.DsMissingFromRereadTakenCancelled,
    # vary18v: VMS inputs never varied: crashes right after reads that keep something, an RSI listed again by the
    # overlapping read (vary18v_bugs.py)
    "vms_packed_at_ajio_taken_as_packed": vary18v.PackedAtAjioTakenAsPacked,
    "vms_rsi_pdf_noted_before_download": vary18v.RsiPdfNotedBeforeDownload,
    "vms_rsi_reworked_on_overlap": vary18v.RsiReworkedOnOverlap,
    "vms_packing_documents_read_until_handed_over": vary18v.PackingDocumentsReadUntilHandedOver,
    # hunt19 (JIT, blind): cut bodies, refusals retried, a daemon's logins, a month's first day (hunt19_jit_bugs.py;
    # its NewSkuBaseline and CancelsLineTotal are caught under other rules than theirs and not bundled)
    "jit_h19_cut_body_not_retried": hunt19j.CutBodyNotRetried,
    "jit_h19_retries_refusals": hunt19j.RetriesRefusals,
    "jit_h19_daemon_logs_in_each_sync": hunt19j.DaemonLogsInEachSync,
    "jit_h19_recon_day_as_text": hunt19j.ReconDayAsText,
    # the nineteenth blind VMS hunt (vms_hunt19_bugs.py)
    "vms_h19_po_polled_in_sync": vhunt19.PoPolledInSync,  # VMS-PO-AFTER-ACK
    "vms_h19_daemon_logs_in_every_sync": vhunt19.DaemonLogsInEverySync,  # AUTH-LOGIN-SPARINGLY
    "vms_h19_no_rms_credit_note_for_failed_qc": vhunt19.NoRmsCreditNoteForFailedQc,  # VMS-CREDIT-NOTE-MODEL
    # the nineteenth blind hunt, Dropship (hunt19_ds_bugs.py)
    "ds_h19_new_session_each_sync": hunt19ds.NewSessionEachSync,              # AUTH-LOGIN-SPARINGLY
    "ds_h19_login_not_retried": hunt19ds.LoginNotRetried,                     # API-RETRY-TRANSIENT
    "ds_h19_failed_ack_keeps_units": hunt19ds.FailedAckKeepsUnits,            # DS-ACK-WHAT-IS-IN-STOCK
    "ds_h19_returns_from_date_millis": hunt19ds.ReturnsFromDateMillis,        # DS-RETURN-SYNC
    "ds_h19_processed_elsewhere_closed": hunt19ds.ProcessedElsewhereClosed,  # DS-CREDIT-NOTE-FETCHED
    # the twentieth blind hunt, JIT (hunt20_jit_bugs.py)
    "jit_h20_recon_fixes_overstated_only": hunt20j.ReconFixesOverstatedOnly,    # JIT-INVENTORY-RECONCILE
    "jit_h20_post_reset_not_retried": hunt20j.PostResetNotRetried,              # API-RETRY-TRANSIENT
    "jit_h20_throttle_hold_forgotten": hunt20j.ThrottleHoldForgotten,           # API-THROTTLE-RETRY-AFTER
    "jit_h20_backorders_only_with_new_pos": hunt20j.BackordersOnlyWithNewPos,  # JIT-BACKORDER-PULL
    "jit_h20_reissue_prepack_only": hunt20j.ReissuePrepackOnly,  # JIT-PACK-MATCHES-INVOICE, JIT-INVOICE-UPDATE-UNTIL-PACKED
    "jit_h20_relogin_on_server_error": hunt20j.ReloginOnServerError,            # AUTH-LOGIN-SPARINGLY
    # the twenty-first blind hunt, JIT (hunt21_jit_bugs.py)
    "jit_h21_recon_unbatched": hunt21j.ReconUnbatched,                  # INVENTORY-ABSOLUTE-MAX-50
    "jit_h21_lpn_pool_recycled": hunt21j.LpnPoolRecycled,               # JIT-BOX-IDS-UNIQUE
    "jit_h21_daemon_stock_snapshot": hunt21j.DaemonStockSnapshot,       # JIT-INVENTORY-PUSH
    "jit_h21_invoice_reposted_at_pack": hunt21j.InvoiceRepostedAtPack,  # API-CHANGE-SENT-ONCE
    "jit_h21_recon_every_24h": hunt21j.ReconEvery24h,                   # JIT-INVENTORY-RECONCILE
    "jit_h21_retry_budget_per_sync": hunt21j.RetryBudgetPerSync,        # API-RETRY-TRANSIENT
    # Blind hunt 22 (JIT)
    "jit_h22_new_sku_not_pushed": hunt22j.NewSkuNotPushed,              # JIT-INVENTORY-PUSH
    "jit_h22_daemon_throttle_hold_reset": hunt22j.DaemonThrottleHoldReset,  # API-THROTTLE-RETRY-AFTER
    "jit_h22_first_box_label_only": hunt22j.FirstBoxLabelOnly,          # JIT-MANIFEST-DOCUMENT
    "jit_h22_login_not_retried": hunt22j.LoginNotRetried,               # API-THROTTLE-RETRY-AFTER
    "jit_h22_documents_not_retried": hunt22j.DocumentsNotRetried,       # API-RETRY-TRANSIENT
    "jit_h22_one_seal_per_po": hunt22j.OneSealPerPo,                    # JIT-BOX-IDS-UNIQUE
    "jit_h23_lone_failed_dispatch_set_aside": hunt23j.LoneFailedDispatchSetAside,  # API-PER-LINE-FAILURES
    "jit_h23_delivered_jump_missed": hunt23j.DeliveredJumpMissed,       # API-NO-UPDATED-SINCE
    "jit_h23_push_counts_as_recon": hunt23j.PushCountsAsRecon,          # JIT-INVENTORY-RECONCILE
    "jit_h23_pack_resent_after_label_failure": hunt23j.PackResentAfterLabelFailure,  # API-CHANGE-SENT-ONCE
    "jit_h23_returns_month_back_in_january": hunt23j.ReturnsMonthBackInJanuary,  # JIT-RETURNS-CONFIRMED
    "jit_h23_daemon_full_push_at_start": hunt23j.DaemonFullPushAtStart,  # JIT-INVENTORY-PUSH
    # the twentieth blind VMS hunt (vms_hunt20_bugs.py); QcOncePerOrder is proved by a model-1 scenario written after
    "vms_h20_qc_once_per_order": vhunt20.QcOncePerOrder,  # VMS-QC-PASS-FAIL
    "vms_h20_session_dropped_on_404": vhunt20.SessionDroppedOn404,  # AUTH-LOGIN-SPARINGLY
    "vms_h20_retry_after_on_429_only": vhunt20.RetryAfterOn429Only,  # API-RETRY-TRANSIENT
    "ds_h20_documents_single_attempt": hunt20ds.DocumentsSingleAttempt,       # API-RETRY-TRANSIENT
    "ds_h20_retry_after_ignored_on_5xx": hunt20ds.RetryAfterIgnoredOn5xx,     # API-RETRY-TRANSIENT
    "ds_h20_throttle_hold_forgotten": hunt20ds.ThrottleHoldForgotten,         # API-THROTTLE-RETRY-AFTER
    "ds_h20_partial_list_on_page_error": hunt20ds.PartialListOnPageError,     # API-PAGING
    "ds_h20_qc_counts_withdrawn_units": hunt20ds.QcCountsWithdrawnUnits,      # DS-PUTAWAY-GOOD-BAD
    "ds_partly_withdrawn_taken_as_withdrawn": hunt20ds.PartlyWithdrawnTakenAsWithdrawn,  # DS-CIR-PUTAWAY
    # the twenty-first blind hunt, Dropship (hunt21_ds_bugs.py); StockLostIgnoresCustomerCancel was written for
    # DS-ACK-WHAT-IS-IN-STOCK and caught under DS-CUSTOMER-CANCEL-UNTIL-INVOICED, the rule its cancel breaks
    "ds_h21_stock_lost_ignores_customer_cancel": hunt21ds.StockLostIgnoresCustomerCancel,
    "ds_h21_cut_write_not_retried": hunt21ds.CutWriteNotRetried,              # API-RETRY-TRANSIENT
    "ds_h21_credit_note_before_putaway": hunt21ds.CreditNoteBeforePutaway,    # DS-CREDIT-NOTE-AFTER-PUTAWAY
    "ds_h21_returns_two_day_window": hunt21ds.ReturnsTwoDayWindow,            # DS-RETURN-SYNC
    "ds_h21_documents_own_session": hunt21ds.DocumentsOwnSession,             # AUTH-LOGIN-SPARINGLY
    "ds_h21_manifest_all_or_nothing": hunt21ds.ManifestAllOrNothing,          # API-PER-LINE-FAILURES
    # the twenty-first blind VMS hunt (vms_hunt21_bugs.py)
    "vms_h21_manifest_all_or_nothing": vhunt21.ManifestAllOrNothing,  # API-PER-LINE-FAILURES
    "vms_h21_invoices_zero_lines": vhunt21.InvoicesZeroLines,  # VMS-INVOICE-FINAL-QUANTITY
    "vms_h21_relogin_on_429": vhunt21.ReloginOn429,  # AUTH-LOGIN-SPARINGLY
    # Blind hunt 22, Dropship (hunt22_ds_bugs.py)
    "ds_h22_relogin_on_403": hunt22ds.ReloginOn403,                              # AUTH-LOGIN-SPARINGLY
    "ds_h22_full_push_when_listing_fails": hunt22ds.FullPushWhenListingFails,    # DS-INVENTORY-CHANGED-ONLY
    "ds_h22_gateway_writes_not_retried": hunt22ds.GatewayWritesNotRetried,      # API-RETRY-TRANSIENT
    "ds_h22_stale_token_after_relogin": hunt22ds.StaleTokenAfterRelogin,        # AUTH-TOKEN-30-MIN
    "ds_h22_sync_rerun_on_error": hunt22ds.SyncRerunOnError,                    # API-RETRY-TRANSIENT
    "ds_h22_returns_of_own_orders_only": hunt22ds.ReturnsOfOwnOrdersOnly,       # DS-CIR-PUTAWAY
    # Blind hunt 23, Dropship (hunt23_ds_bugs.py)
    "ds_h23_seller_cancel_after_invoice": hunt23ds.SellerCancelAfterInvoice,    # DS-SELLER-CANCEL-UNTIL-INVOICED
    "ds_h23_relogin_on_5xx": hunt23ds.ReloginOn5xx,                              # AUTH-LOGIN-SPARINGLY
    "ds_h23_owed_documents_refetched": hunt23ds.OwedDocumentsRefetched,        # DS-LABEL-DOCUMENTS-FETCHED
    # Not bundled (hunt23_ds_bugs.py keeps them): ReturnsNextPageUnfiltered breaks no rule against AJIO's returns list
    # (sorted by date, the unfiltered pages cover the window's: only extra reads); AckFailedLinesResentAtOnce is caught
    # under API-CONTRACT only, not the rule it was written for (DS-ACK-REREAD-FIRST).
    "ds_h23_short_page_ends_list": hunt23ds.ShortPageEndsList,                  # API-PAGING
    # Blind hunt 24, Dropship (hunt24_ds_bugs.py)
    "ds_h24_login_throttle_fixed_pause": hunt24ds.LoginThrottleFixedPause,     # API-THROTTLE-RETRY-AFTER
    "ds_h24_returns_window_day_strings": hunt24ds.ReturnsWindowFromDayStrings,  # DS-RETURN-SYNC
    "ds_h24_good_returns_added_to_stock": hunt24ds.GoodReturnsAddedToStock,     # DS-INVENTORY-REFLECTS-WAREHOUSE
    "ds_h24_listing_mapped_once": hunt24ds.ListingMappedOnce,                   # DS-INVENTORY-REFLECTS-WAREHOUSE
    "ds_h24_full_push_after_crash": hunt24ds.FullPushAfterCrash,                # DS-INVENTORY-CHANGED-ONLY
    "ds_h24_label_per_line": hunt24ds.LabelPerLine,                             # DS-NO-ORDER-SPLIT
    # the twenty-second blind VMS hunt (vms_hunt22_bugs.py)
    "vms_h22_packed_orders_not_reread": vhunt22.PackedOrdersNotReread,  # API-NO-UPDATED-SINCE
    "vms_h22_manifests_committed_together": vhunt22.ManifestsCommittedTogether,  # API-CHANGE-SENT-ONCE
    "vms_h22_writes_not_retried_on_no_answer": vhunt22.WritesNotRetriedOnNoAnswer,  # API-RETRY-TRANSIENT
    # the twenty-third blind VMS hunt (vms_hunt23_bugs.py)
    "vms_h23_documents_before_erp_invoice": vhunt23.DocumentsBeforeTheErpInvoice,  # VMS-PACK-DOCUMENTS
    "vms_h23_rms_invoice_dated_at_ack": vhunt23.RmsInvoiceDatedAtAcknowledgement,  # VMS-DOCUMENT-DATE
    "vms_h23_acks_only_newly_due": vhunt23.AcknowledgesOnlyNewlyDue,  # VMS-ACK-HOLD
    # gaps the hunts named and left open (vms_gap_bugs.py)
    "vms_returns_of_own_orders_only": vgap.ReturnsOfOwnOrdersOnly,  # VMS-QC-PASS-FAIL
    "vms_failed_page_ends_list": vgap.FailedPageEndsList,  # API-PAGING
    "vms_po_pass_stops_at_failed_pdf": vgap.PoPassStopsAtFailedPdf,  # VMS-PO-AFTER-ACK (the reference's old behaviour)
    "vms_rsi_pass_stops_at_failed_pdf": vgap.RsiPassStopsAtFailedPdf,  # VMS-RSI-MODEL (the reference's old behaviour)
    "vms_returns_failed_page_ends_list": vgap.ReturnsFailedPageEndsList,  # API-PAGING
    "vms_returns_short_page_ends_list": vgap.ReturnsShortPageEndsList,  # API-PAGING
    "ds_manifest_resent_until_pdf": dgap.ManifestResentUntilPdf,  # API-CHANGE-SENT-ONCE
    "jit_returns_short_page_ends_list": jgap.ReturnsShortPageEndsList,  # API-PAGING
    # the reference client's old behaviour: a document's 200 kept whatever its body (blind hunt 29, JIT)
    "ds_document_body_unchecked": dgap.DocumentBodyUnchecked,  # DS-PO-FETCHED
    "jit_document_body_unchecked": jgap.DocumentBodyUnchecked,  # JIT-MANIFEST-DOCUMENT
    "vms_document_body_unchecked": vgap.DocumentBodyUnchecked,  # VMS-PO-AFTER-ACK
    # blind hunt 29's Dropship classes tried on the other models (each escaped there before its scenario)
    "jit_second_throttle_retry_after_ignored": jgap.SecondThrottleRetryAfterIgnoredJit,  # API-THROTTLE-RETRY-AFTER
    # the reference client's old way with a 5xx's long Retry-After (found by blind hunt 31, JIT)
    "jit_long_retry_after_capped_on_5xx": jgap.LongRetryAfterCappedOn5xx,  # API-RETRY-TRANSIENT
    "vms_owed_documents_given_up": vgap.OwedDocumentsGivenUpVms,  # VMS-PACK-DOCUMENTS
    "vms_qc_retried_over_client": vgap.QcRetriedOverClientVms,  # API-RETRY-TRANSIENT
    "vms_gateway_errors_final": vgap.GatewayErrorsFinal,  # API-RETRY-TRANSIENT
    "vms_invoice_parked_after_failed_syncs": vgap.InvoiceParkedAfterFailedSyncs,  # VMS-MODEL2-RMS-INVOICES (JIT's)
    "ds_returns_short_page_ends_list": dgap.ReturnsShortPageEndsList,  # API-PAGING
    # the reference's old behaviours: the status sync (and the credit-note pass) ended at the first PDF that failed
    "ds_status_sync_stops_at_failed_po_pdf": dgap.StatusSyncStopsAtFailedPoPdf,  # DS-STATUS-SYNC
    "ds_credit_notes_stop_at_failed_pdf": dgap.CreditNotesStopAtFailedPdf,  # DS-CREDIT-NOTE-FETCHED
    # Blind hunt 24, JIT (hunt24_jit_bugs.py)
    "jit_h24_push_committed_after_all_batches": hunt24j.PushCommittedAfterAllBatches,  # JIT-INVENTORY-PUSH
    "jit_h24_manifest_waits_for_wave": hunt24j.ManifestWaitsForWave,           # JIT-MANIFEST-DOCUMENT
    "jit_h24_5xx_retry_after_ignored": hunt24j.FiveXXRetryAfterIgnored,        # API-RETRY-TRANSIENT
    "jit_h24_cancels_after_pack": hunt24j.CancelsAfterPack,                    # JIT-SELLER-CANCEL-UNTIL-PACKED
    "jit_h24_owed_documents_of_open_pos_only": hunt24j.OwedDocumentsOfOpenPOsOnly,  # JIT-MANIFEST-DOCUMENT
    "jit_h24_returns_last_24h_only": hunt24j.ReturnsLast24hOnly,               # JIT-RETURNS-CONFIRMED
    # Blind hunt 25, JIT (hunt25_jit_bugs.py; ReturnsKeyedByPO and PrefetchedBoxEmptiedStillSent stay unregistered:
    # the first no traffic scenario can see, the second caught only under another rule than its own)
    "jit_h25_held_reread_first_50": hunt25j.HeldRereadFirst50,                # API-NO-UPDATED-SINCE
    "jit_h25_relogin_when_throttled": hunt25j.ReloginWhenThrottled,           # AUTH-LOGIN-SPARINGLY
    "jit_h25_manifest_all_or_nothing": hunt25j.ManifestAllOrNothing,          # API-PER-LINE-FAILURES
    "jit_h25_returns_window_capped_week": hunt25j.ReturnsWindowCappedToAWeek,  # JIT-RETURNS-CONFIRMED
    # Blind hunt 26, JIT (hunt26_jit_bugs.py)
    "jit_h26_reserves_packed_until_pickup": hunt26j.ReservesPackedUntilPickup,  # JIT-PO-PROCESSED
    "jit_h26_pushes_changed_blocks": hunt26j.PushesChangedBlocks,                # JIT-INVENTORY-PUSH
    "jit_h26_stale_token_on_relogin_retry": hunt26j.StaleTokenOnReloginRetry,    # AUTH-TOKEN-30-MIN
    "jit_h26_writes_not_retried_on_5xx": hunt26j.WritesNotRetriedOn5xx,          # API-RETRY-TRANSIENT
    "jit_h26_returns_month_back_on_31st": hunt26j.ReturnsMonthBackOn31st,        # JIT-RETURNS-CONFIRMED
    "jit_h26_backorders_once_a_day": hunt26j.BackordersOnceADay,                 # JIT-BACKORDER-PULL
    # the twenty-seventh blind JIT hunt (hunt27_jit_bugs.py); PacksEveryPrefetchedBox, caught blind by
    # jit/fulfilment/voided_box_ids_not_reused under JIT-PREPACK-LABEL and API-CONTRACT rather than the
    # JIT-PACK-MATCHES-INVOICE it was written for, stays in the module only
    "jit_h27_failed_page_ends_list": hunt27j.FailedPageEndsList,            # JIT-RETURNS-CONFIRMED
    "jit_h27_recon_stamp_without_year": hunt27j.ReconStampWithoutYear,      # JIT-INVENTORY-RECONCILE
    "jit_h27_cancel_key_per_attempt": hunt27j.CancelKeyPerAttempt,          # API-IDEMPOTENT-REPEAT
    "jit_h27_manifest_resent_until_pdf": hunt27j.ManifestResentUntilPdf,    # API-CHANGE-SENT-ONCE
    "jit_h27_login_per_document": hunt27j.LoginPerDocument,                 # AUTH-LOGIN-SPARINGLY
    # the twenty-eighth blind JIT hunt (hunt28_jit_bugs.py); FailedPackResentUnchecked, caught blind by
    # jit/faults/invoiced_po_short_next_sync_reissued under JIT-INVOICE-UPDATE-UNTIL-PACKED and
    # JIT-SELLER-CANCEL-UNTIL-PACKED rather than the JIT-PO-PROCESSED it was written for, stays in the module only
    "jit_h28_relogin_on_reset": hunt28j.ReloginOnReset,                                # AUTH-LOGIN-SPARINGLY
    "jit_h28_recon_day_offset_typo": hunt28j.ReconDayOffsetTypo,                       # JIT-INVENTORY-RECONCILE
    "jit_h28_page_filters_first_page_only": hunt28j.PageFiltersFirstPageOnly,          # JIT-SKU-MAPPING
    "jit_h28_manifest_held_by_owed_documents": hunt28j.ManifestHeldByOwedDocuments,    # JIT-MANIFEST-DOCUMENT
    "jit_h28_throttled_writes_own_backoff": hunt28j.ThrottledWritesOwnBackoff,         # API-THROTTLE-RETRY-AFTER
    # the reference's old behaviour (until hunt 28): a re-issued invoice whose PDF failed re-issued again
    "jit_h28_reissue_resent_when_pdf_fails": hunt28j.ReissueResentWhenPdfFails,        # API-CHANGE-SENT-ONCE
    # the reference's old behaviour (until hunt 28): a resumed PO AJIO had invoiced, cancelled short, never re-issued
    # (JIT-INVOICE-UPDATE-UNTIL-PACKED)
    "jit_h28_no_reissue_after_resumed_pick_cancel": hunt28j.NoReissueAfterResumedPickCancel,
    # the twenty-ninth blind JIT hunt (hunt29_jit_bugs.py)
    "jit_h29_sku_pull_failed_page_ends_list": hunt29j.SkuPullFailedPageEndsList,      # JIT-INVENTORY-RECONCILE
    "jit_h29_po_parked_after_failed_syncs": hunt29j.PoParkedAfterFailedSyncs,          # JIT-PO-PROCESSED
    "jit_h29_login_per_job": hunt29j.LoginPerJob,                                      # AUTH-LOGIN-SPARINGLY
    "jit_h29_invoice_reposted_for_irn": hunt29j.InvoiceRepostedForIrn,                 # API-CHANGE-SENT-ONCE
    "jit_h29_cut_body_retried_at_once": hunt29j.CutBodyRetriedAtOnce,                  # API-RETRY-TRANSIENT
    "jit_h29_recon_stamped_after_failed_push": hunt29j.ReconStampedAfterFailedPush,    # JIT-INVENTORY-RECONCILE
    # the thirtieth blind JIT hunt (hunt30_jit_bugs.py)
    "jit_h30_gateway_errors_final": hunt30j.GatewayErrorsFinal,                        # API-RETRY-TRANSIENT
    "jit_h30_recon_stamped_only_on_drift": hunt30j.ReconStampedOnlyOnDrift,            # JIT-INVENTORY-RECONCILE
    "jit_h30_recon_in_stock_skus_only": hunt30j.ReconInStockSkusOnly,                  # JIT-INVENTORY-RECONCILE
    "jit_h30_prepack_resent_after_label_failure": hunt30j.PrepackResentAfterLabelFailure,  # API-CHANGE-SENT-ONCE
    "jit_h30_relogin_once_per_client": hunt30j.ReloginOncePerClient,                   # AUTH-TOKEN-30-MIN
    "jit_h30_started_po_skipped": hunt30j.StartedPoSkipped,                            # JIT-PO-PROCESSED
    # the thirty-first blind JIT hunt (hunt31_jit_bugs.py)
    "jit_h31_lapsed_pos_skipped": hunt31j.LapsedPosSkipped,                            # JIT-PO-PROCESSED
    "jit_h31_retry_after_on_503_only": hunt31j.RetryAfterOn503Only,                    # API-RETRY-TRANSIENT
    "jit_h31_reserves_ordered_units": hunt31j.ReservesOrderedUnits,                    # JIT-PO-PROCESSED
    "jit_h31_zero_pushed_once": hunt31j.ZeroPushedOnce,                                # JIT-INVENTORY-PUSH
    "jit_h31_returns_stop_at_known_page": hunt31j.ReturnsStopAtKnownPage,              # JIT-RETURNS-CONFIRMED
    "jit_h31_ready_to_dispatch_taken_as_manifested": hunt31j.ReadyToDispatchTakenAsManifested,  # JIT-READY-TO-SHIP
    # the thirty-second blind JIT hunt (hunt32_jit_bugs.py)
    "jit_h32_extra_empty_box": hunt32j.ExtraEmptyBox,                                  # JIT-PACK-MATCHES-INVOICE
    "jit_h32_status_sync_one_week": hunt32j.StatusSyncOneWeek,                        # API-NO-UPDATED-SINCE
    "jit_h32_login_throttle_fixed_pause": hunt32j.LoginThrottleFixedPause,            # API-THROTTLE-RETRY-AFTER
    "jit_h32_open_from_ordered_quantity": hunt32j.OpenFromOrderedQuantity,            # JIT-PO-PROCESSED
    "jit_h32_recon_utc_check_ist_stamp": hunt32j.ReconUtcCheckIstStamp,               # JIT-INVENTORY-RECONCILE
    "jit_h32_manifest_pdf_per_po": hunt32j.ManifestPdfPerPo,                          # JIT-MANIFEST-DOCUMENT
    # the thirty-third blind JIT hunt (hunt33_jit_bugs.py; its BoxNumberTwoDigits is not registered: AJIO takes at most
    # 100 boxes a pack, so a two-digit carton number never repeats an id AJIO would take)
    "jit_h33_relogin_every_100_calls": hunt33j.ReloginEvery100Calls,                  # AUTH-LOGIN-SPARINGLY
    "jit_h33_last_page_by_floor": hunt33j.LastPageByFloor,                            # API-PAGING
    "jit_h33_einvoice_pdf_skipped": hunt33j.EinvoicePdfSkipped,                       # JIT-PO-PROCESSED
    "jit_h33_cancels_kept_quantity": hunt33j.CancelsKeptQuantity,                     # JIT-PO-PROCESSED
    "jit_h33_reissue_once_per_po": hunt33j.ReissueOncePerPo,                          # JIT-INVOICE-UPDATE-UNTIL-PACKED
    # the thirty-fifth blind JIT hunt (hunt35_jit_bugs.py)
    "jit_h35_stock_capped_at_999": hunt35j.StockCappedAt999Connector,                 # JIT-INVENTORY-PUSH
    "jit_h35_packs_every_prefetched_box": hunt35j.PacksEveryPrefetchedBox,            # JIT-PREPACK-LABEL
    "jit_h35_retry_after_as_ms": hunt35j.RetryAfterAsMs,                              # API-THROTTLE-RETRY-AFTER
    "jit_h35_token_cached_per_host": hunt35j.TokenCachedPerHost,                      # AUTH-POB-CREDENTIALS
    "jit_h35_inventory_two_batches": hunt35j.InventoryTwoBatches,                     # INVENTORY-ABSOLUTE-MAX-50
    "jit_h35_one_sku_per_carton": hunt35j.OneSkuPerCarton,                            # JIT-PO-PROCESSED
    # the twenty-fourth blind VMS hunt (vms_hunt24_bugs.py)
    "vms_h24_hold_until_time_of_day": vhunt24.HoldUntilTimeOfDay,  # VMS-ACK-HOLD
    "vms_h24_po_wait_gives_up": vhunt24.PoWaitGivesUp,  # VMS-PO-AFTER-ACK
    "vms_h24_short_line_cancelled_whole": vhunt24.ShortLineCancelledWhole,  # VMS-ACK-SOFT-RESERVED
    # the twenty-fifth blind VMS hunt (vms_hunt25_bugs.py)
    "vms_h25_rsi_failed_accept_skipped": vhunt25.RsiFailedAcceptSkipped,  # VMS-RSI-MODEL
    "vms_h25_invoice_answer_unread": vhunt25.InvoiceAnswerUnread,  # VMS-INVOICE-FINAL-QUANTITY
    "vms_h25_rto_rerequested_when_overdue": vhunt25.RtoRerequestedWhenOverdue,  # VMS-RTO-REQUEST
    # the twenty-sixth blind VMS hunt (vms_hunt26_bugs.py)
    "vms_h26_credit_note_dated_at_return": vhunt26.CreditNoteDatedAtReturn,  # VMS-DOCUMENT-DATE
    "vms_h26_credit_notes_in_model1": vhunt26.CreditNotesInModel1,  # VMS-CREDIT-NOTE-MODEL
    "vms_h26_returns_customer_only": vhunt26.ReturnsCustomerOnly,  # VMS-RTO-REQUEST
    # the twenty-seventh blind VMS hunt (vms_hunt27_bugs.py)
    "vms_h27_checked_returns_leave_window": vhunt27.CheckedReturnsLeaveWindow,  # VMS-CREDIT-NOTE-MODEL
    "vms_h27_po_asked_during_hold": vhunt27.PoAskedDuringHold,  # VMS-PO-AFTER-ACK
    "vms_h27_irn_kept_per_order": vhunt27.IrnKeptPerOrder,  # EINVOICE-IRN-UNIQUE
    # the twenty-eighth blind VMS hunt (vms_hunt28_bugs.py)
    "vms_h28_short_page_ends_list": vhunt28.ShortPageEndsList,  # API-PAGING
    "vms_h28_credit_note_series_by_return_fy": vhunt28.CreditNoteSeriesByReturnFy,  # GST-CREDIT-NOTE-NUMBER-UNIQUE
    "vms_h28_relogin_on_5xx": vhunt28.ReloginOn5xx,  # AUTH-LOGIN-SPARINGLY
    # the twenty-ninth blind VMS hunt (vms_hunt29_bugs.py)
    "vms_h29_po_pdf_best_effort": vhunt29.PoPdfBestEffort,  # VMS-PO-AFTER-ACK
    "vms_h29_rsi_accepts_capped_per_range": vhunt29.AcceptsCappedPerRange,  # VMS-RSI-MODEL
    "vms_h29_retry_after_first_429_only": vhunt29.RetryAfterFirst429Only,  # API-THROTTLE-RETRY-AFTER
    # the thirtieth blind VMS hunt (vms_hunt30_bugs.py)
    "vms_h30_b2c_invoice_pdf_skipped": vhunt30.B2cInvoicePdfSkipped,  # VMS-PACK-DOCUMENTS
    "vms_h30_handover_waits_for_every_label": vhunt30.HandoverWaitsForEveryLabel,  # VMS-MANIFEST-AT-HANDOVER
    "vms_h30_ack_retried_over_client": vhunt30.AckRetriedOverClient,  # API-RETRY-TRANSIENT
    # the thirty-first blind VMS hunt (vms_hunt31_bugs.py)
    "vms_h31_qc_unlisted_code_passes": vhunt31.QcUnlistedCodePasses,  # VMS-QC-PASS-FAIL
    "vms_h31_reinvoiced_once": vhunt31.ReinvoicedOnce,  # VMS-INVOICE-IMMUTABLE
    "vms_h31_manifest_split_on_failure": vhunt31.ManifestSplitOnFailure,  # API-RETRY-TRANSIENT
    # the thirty-second blind VMS hunt (vms_hunt32_bugs.py)
    "vms_h32_rsi_accepted_per_line": vhunt32.RsiAcceptedPerLine,  # API-CHANGE-SENT-ONCE
    "vms_h32_hold_capped_at_a_day": vhunt32.HoldCappedAtADay,  # VMS-ACK-HOLD
    "vms_h32_manifest_failure_taken_as_cancel": vhunt32.ManifestFailureTakenAsCancel,  # API-PER-LINE-FAILURES
    # the thirty-third blind VMS hunt (vms_hunt33_bugs.py)
    "vms_h33_manifest_chunks_overlap": vhunt33.ManifestChunksOverlap,  # API-CHANGE-SENT-ONCE
    "vms_h33_whole_cancel_when_every_line_short": vhunt33.WholeCancelWhenEveryLineShort,  # VMS-ACK-SOFT-RESERVED
    "vms_h33_rto_qc_passed_unopened": vhunt33.RtoQcPassedUnopened,  # VMS-QC-PASS-FAIL
    # the thirty-fourth blind VMS hunt (vms_hunt34_bugs.py)
    "vms_h34_reinvoice_number_revised": vhunt34.ReinvoiceNumberRevised,  # GST-DOCUMENT-NUMBER-FORMAT
    "vms_h34_late_partial_cancel_cancels_rest": vhunt34.LatePartialCancelCancelsRest,  # VMS-LATE-CUSTOMER-CANCEL
    "vms_h34_login_per_document": vhunt34.LoginPerDocument,  # AUTH-LOGIN-SPARINGLY
    # the twenty-sixth blind Dropship hunt (hunt26_ds_bugs.py)
    # (all six caught blind; InvoiceMarkedBeforeCall, caught under DS-INVOICE-LABEL-MANIFEST rather than its own
    # DS-INVOICE-PDF-FETCHED, and RetriesTenTimes, whose catching scenarios take 30-60 s, stay in the module only)
    "ds_h26_out_of_stock_left_pending": hunt26ds.OutOfStockLeftPending,     # DS-ACK-WHAT-IS-IN-STOCK
    "ds_h26_putaway_awaits_listing": hunt26ds.PutawayAwaitsListing,         # API-CHANGE-SENT-ONCE
    "ds_h26_relogin_on_429": hunt26ds.ReloginOn429,                         # AUTH-LOGIN-SPARINGLY
    "ds_h26_manifest_pdf_per_shipment": hunt26ds.ManifestPdfPerShipment,   # DS-MANIFEST-FETCHED
    # the twenty-eighth blind Dropship hunt (hunt28_ds_bugs.py): one escape (the PO PDF refetched), five caught
    # blind; AckRefusedParked, caught under API-PER-LINE-FAILURES rather than its own DS-ACK-WITHIN-SLA, stays in
    # the module only
    "ds_h28_po_pdf_refetched_on_amount_change": hunt28ds.PoPdfRefetchedOnAmountChange,  # DS-PO-FETCHED
    "ds_h28_retry_budget_per_sync": hunt28ds.RetryBudgetPerSync,            # API-RETRY-TRANSIENT
    "ds_h28_einvoice_pdf_skipped": hunt28ds.EinvoicePdfSkipped,             # DS-INVOICE-PDF-FETCHED
    "ds_h28_invoice_reposted_for_owed_pdf": hunt28ds.InvoiceRepostedForOwedPdf,  # API-CHANGE-SENT-ONCE
    "ds_h28_no_credit_note_when_all_missing": hunt28ds.NoCreditNoteWhenAllMissing,  # DS-CREDIT-NOTE-FETCHED
    # the twenty-ninth blind Dropship hunt (hunt29_ds_bugs.py)
    "ds_h29_owed_documents_given_up": hunt29ds.OwedDocumentsGivenUp,        # DS-INVOICE-PDF-FETCHED
    "ds_h29_stock_feed_rows_only": hunt29ds.StockFeedRowsOnly,              # DS-INVENTORY-REFLECTS-WAREHOUSE
    "ds_h29_qc_retried_over_client": hunt29ds.QcRetriedOverClient,          # API-RETRY-TRANSIENT
    "ds_h29_document_retried_at_once": hunt29ds.DocumentRetriedAtOnce,      # API-RETRY-TRANSIENT
    "ds_h29_po_wait_parked": hunt29ds.PoWaitParked,                         # DS-PO-ON-HOLD
    "ds_h29_second_throttle_retry_after_ignored": hunt29ds.SecondThrottleRetryAfterIgnored,  # API-THROTTLE-RETRY-AFTER
    # hunt 30's paging class, stopping at page.totalPages too (ds_gap_bugs.py)
    "ds_pages_summed_to_total_elements": dgap.PagesSummedToTotal,            # API-PAGING
    "ds_gateway_reads_final": dgap.GatewayReadsFinal,                        # API-RETRY-TRANSIENT
    # blind hunt 31's JIT Retry-After classes tried on Dropship and the VMS layer
    "ds_retry_after_on_503_only": dgap.RetryAfterOn503Only,                  # API-RETRY-TRANSIENT
    "ds_long_retry_after_capped_on_5xx": dgap.LongRetryAfterCappedOn5xx,     # API-RETRY-TRANSIENT
    "vms_retry_after_on_503_only": vgap.RetryAfterOn503Only,                 # API-RETRY-TRANSIENT
    "vms_long_retry_after_capped_on_5xx": vgap.LongRetryAfterCappedOn5xx,    # API-RETRY-TRANSIENT
    # blind hunt 31's Dropship classes tried on JIT and the VMS layer (jit_gap_bugs.py, vms_gap_bugs.py)
    "jit_delivered_only_from_shipped": jgap.DeliveredOnlyFromShippedJit,    # API-NO-UPDATED-SINCE
    "jit_document_throttle_fixed_pause": jgap.DocumentThrottleFixedPause,   # API-THROTTLE-RETRY-AFTER
    "vms_document_throttle_fixed_pause": vgap.DocumentThrottleFixedPause,   # API-THROTTLE-RETRY-AFTER
    "vms_cancelled_order_keeps_allocation": vgap.CancelledOrderKeepsAllocation,  # VMS-ACK-SOFT-RESERVED
    # blind hunt 31's classes tried across models (set b)
    "ds_manifest_split_on_failure": dgap.ManifestSplitOnFailure,             # API-RETRY-TRANSIENT
    "jit_manifest_split_on_failure": jgap.ManifestSplitOnFailure,            # API-RETRY-TRANSIENT
    "ds_zero_pushed_once": dgap.ZeroPushedOnce,                              # DS-INVENTORY-REFLECTS-WAREHOUSE
    "vms_rto_request_given_up_after_five_failed": vgap.RtoRequestGivenUpAfterFiveFailed,  # VMS-RTO-REQUEST
    # the reference's old VMS returns phase, found by blind hunt 32's VMS helper (vms_gap_bugs.py)
    "vms_rto_refusal_ends_phase": vgap.RtoRefusalEndsPhase,                  # VMS-RTO-REQUEST
    # the reference's old inventory push, found by blind hunt 32's JIT helper (ds_gap_bugs.py, jit_gap_bugs.py)
    "ds_oversold_pushed_negative": dgap.OversoldPushedNegative,              # DS-INVENTORY-REFLECTS-WAREHOUSE
    "jit_oversold_pushed_negative": jgap.OversoldPushedNegative,             # JIT-INVENTORY-PUSH
    # the reference's old throttle hold, kept in memory only (ds_gap_bugs.py)
    "ds_throttle_hold_in_memory": dgap.ThrottleHoldInMemory,                 # API-THROTTLE-RETRY-AFTER
    # blind hunt 32's Dropship classes tried on JIT and the VMS layer (jit_gap_bugs.py, vms_gap_bugs.py)
    "jit_document_401_dropped": jgap.Document401Dropped,                    # AUTH-TOKEN-30-MIN
    "vms_document_401_dropped": vgap.Document401Dropped,                    # AUTH-TOKEN-30-MIN
    "jit_sku_leading_zeros_stripped": jgap.SkuLeadingZerosStrippedJit,      # JIT-SKU-MAPPING
    "vms_sku_leading_zeros_stripped": vgap.SkuLeadingZerosStrippedVms,      # VMS-ACK-SOFT-RESERVED
    # blind hunt 32's classes tried across models (set b)
    "ds_status_sync_one_week": dgap.StatusSyncOneWeek,                      # API-NO-UPDATED-SINCE
    "ds_login_throttle_fixed_pause": dgap.LoginThrottleFixedPause,          # API-THROTTLE-RETRY-AFTER
    "vms_login_throttle_fixed_pause": vgap.LoginThrottleFixedPause,         # API-THROTTLE-RETRY-AFTER
    "vms_status_sync_one_week": vgap.StatusSyncOneWeek,                     # API-NO-UPDATED-SINCE
    # the thirtieth blind Dropship hunt (hunt30_ds_bugs.py)
    "ds_h30_open_qty_ignores_seller_cancel": hunt30ds.OpenQtyIgnoresSellerCancel,  # DS-ACK-WHAT-IS-IN-STOCK
    "ds_h30_relogin_on_reset": hunt30ds.RelogsInOnReset,                    # AUTH-LOGIN-SPARINGLY
    "ds_h30_label_documents_owed_on_failure_only": hunt30ds.LabelDocumentsOwedOnFailureOnly,  # DS-LABEL-DOCUMENTS-FETCHED
    "ds_h30_manifests_own_labels_only": hunt30ds.ManifestsOwnLabelsOnly,    # DS-MANIFEST-FETCHED
    "ds_h30_expectations_from_current_read": hunt30ds.ExpectationsFromCurrentRead,  # DS-RTO-CREATE-ONLY-UNEXPECTED
    "ds_h30_pages_counted_to_total_elements": hunt30ds.PagesCountedToTotal,  # API-PAGING
    # the thirty-first blind Dropship hunt (hunt31_ds_bugs.py)
    "ds_h31_delivered_only_from_shipped": hunt31ds.DeliveredOnlyFromShipped,  # DS-TRACKING-SYNC
    "ds_h31_qc_items_merged_by_sku": hunt31ds.QcItemsMergedBySku,          # DS-PUTAWAY-GOOD-BAD
    "ds_h31_document_throttle_fixed_pause": hunt31ds.DocumentThrottleFixedPause,  # API-THROTTLE-RETRY-AFTER
    "ds_h31_rto_given_up_after_five_failed": hunt31ds.RtoGivenUpAfterFiveFailed,  # DS-RTO-CREATE-ONLY-UNEXPECTED
    "ds_h31_cancelled_order_keeps_allocation": hunt31ds.CancelledOrderKeepsAllocation,  # DS-ACK-WHAT-IS-IN-STOCK
    "ds_h31_session_per_phase": hunt31ds.SessionPerPhase,                  # AUTH-LOGIN-SPARINGLY
    # the reference until blind hunt 31 (hunt31_ds_bugs.py)
    "ds_retired_with_documents_owed": hunt31ds.RetiredWithDocumentsOwed,     # DS-INVOICE-PDF-FETCHED
    # the thirty-second blind Dropship hunt (hunt32_ds_bugs.py)
    "ds_h32_credit_note_series_pinned": hunt32ds.CreditNoteSeriesPinned,  # DS-CREDIT-NOTE-FETCHED
    "ds_h32_document_401_dropped": hunt32ds.DocumentUnauthorisedDropped,  # AUTH-TOKEN-30-MIN
    "ds_h32_return_items_from_first_sight": hunt32ds.ReturnItemsFromFirstSight,  # DS-PUTAWAY-GOOD-BAD
    "ds_h32_rto_item_ids_by_position": hunt32ds.RtoItemIdsByPosition,    # DS-RTO-ITEMS-OF-ORDER
    "ds_h32_label_reposted_for_owed_documents": hunt32ds.LabelRepostedForOwedDocuments,  # API-CHANGE-SENT-ONCE
    "ds_h32_sku_leading_zeros_stripped": hunt32ds.SkuLeadingZerosStripped,  # DS-ORDER-SKU-EXACT
    # the thirty-third blind Dropship hunt (hunt33_ds_bugs.py)
    "ds_h33_ack_applied_lines_overwritten": hunt33ds.AckAppliedLinesOverwritten,  # API-CHANGE-SENT-ONCE
    "ds_h33_rto_booked_before_returns_read": hunt33ds.RtoBookedBeforeReturnsRead,  # DS-RTO-CHECK-SYNC-FIRST
    "ds_h33_breached_order_seller_cancelled": hunt33ds.BreachedOrderSellerCancelled,  # DS-PO-ON-HOLD
    "ds_h33_stock_pushed_after_acknowledgement": hunt33ds.StockPushedAfterAcknowledgement,  # DS-INVENTORY-CHANGED-ONLY
    "ds_h33_retry_budget_per_failure_kind": hunt33ds.RetryBudgetPerFailureKind,  # API-RETRY-TRANSIENT
    "ds_h33_pickable_zero_taken_as_unsaid": hunt33ds.PickableZeroTakenAsUnsaid,  # DS-SELLER-CANCEL-UNTIL-INVOICED
    # the thirty-fourth blind Dropship hunt (hunt34_ds_bugs.py)
    "ds_h34_inventory_one_unit_drift_skipped": hunt34ds.InventoryOneUnitDriftSkipped,  # DS-INVENTORY-REFLECTS-WAREHOUSE
    "ds_h34_rto_zero_quantity_line_sent": hunt34ds.RtoZeroQuantityLineSent,  # DS-RTO-ITEMS-OF-ORDER
    "ds_h34_credit_note_asked_until_credited": hunt34ds.CreditNoteAskedUntilCredited,  # DS-CREDIT-NOTE-AFTER-PUTAWAY
    "ds_h34_credit_note_fy_by_utc": hunt34ds.CreditNoteFinancialYearByUtc,  # DS-CREDIT-NOTE-FETCHED
    "ds_h34_ack_reservation_savepoint_per_sync": hunt34ds.AckReservationSavepointPerSync,  # DS-ACK-WHAT-IS-IN-STOCK
    "ds_h34_qc_withdrawn_line_sent_zero": hunt34ds.QcWithdrawnLineSentZero,  # DS-PUTAWAY-GOOD-BAD
    # blind hunt 33's classes tried on the other models (jit_gap_bugs.py, vms_gap_bugs.py)
    "jit_pick_zero_taken_as_unsaid": jgap.PickZeroTakenAsUnsaid,            # JIT-PO-PROCESSED
    "vms_pickable_zero_taken_as_unsaid": vgap.PickableZeroTakenAsUnsaid,    # VMS-MODEL2-PARTIAL-CANCEL
    "jit_stock_pushed_after_pack": jgap.StockPushedAfterPack,               # JIT-INVENTORY-PUSH
    "ds_rto_graded_good_unopened": dgap.RtoGradedGoodUnopened,              # DS-PUTAWAY-GOOD-BAD
    "jit_manifest_taken_overwritten": jgap.ManifestTakenOverwritten,        # API-CHANGE-SENT-ONCE
    "jit_retry_budget_per_failure_kind": jgap.RetryBudgetPerFailureKind,    # API-RETRY-TRANSIENT
    "vms_retry_budget_per_failure_kind": vgap.RetryBudgetPerFailureKind,    # API-RETRY-TRANSIENT
    "vms_manifest_taken_overwritten": vgap.ManifestTakenOverwritten,        # API-CHANGE-SENT-ONCE
    "ds_throttle_held_per_path": dgap.ThrottleHeldPerPath,                  # API-THROTTLE-RETRY-AFTER
    "jit_throttle_held_per_path": jgap.ThrottleHeldPerPath,                 # API-THROTTLE-RETRY-AFTER
    "vms_throttle_held_per_path": vgap.ThrottleHeldPerPath,                 # API-THROTTLE-RETRY-AFTER
}



# Not bugs: the reference with one choice the rules leave open made otherwise (lawful_connectors.py). Every scenario
# where the choice shows must pass them (tests/harness/test_lawful_connectors.py).
LAWFUL = {
    "ds_lawful_four_retries": lawful.FourRetries,
    "ds_lawful_acknowledges_on_import": lawful.AcknowledgesOnImport,
    "jit_lawful_four_retries": lawful.FourRetriesJit,
    "vms_lawful_four_retries": lawful.FourRetriesVms,
}


def cli(argv: list[str]) -> int | str:
    """`buggy.py VARIANT [--assume-stock N]`: one sync (or a daemon) of the reference with that bug (or lawful
    variant)."""
    variants = {**BUGS, **LAWFUL}
    if not argv or argv[0] not in variants:
        return (f"usage: buggy.py VARIANT [--assume-stock N]   (bugs: {', '.join(BUGS)}; "
                f"lawful: {', '.join(LAWFUL)})")
    return main(variants[argv[0]].load(), argv[1:])


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
