"""Buggy ERPs: the reference ERP with ONE planted bug each, as real ERP integrations have them.

    python buggy_erp.py BUG          (same environment and options as examples/reference_erp/erp.py)

Each bug is a small subclass of the reference's Tenant overriding the one method (or limit) the bug
lives in. `ajio-sim run scenarios/vms --erp-cmd ...` must fail each of them, naming the rule.
"""
from __future__ import annotations

import base64
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference_erp"))
import erp as reference  # noqa: E402
from erp import IST, Refused, Tenant, log  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import erp33d_erp_bugs as erp33d  # noqa: E402
import hunt16_erp_bugs as hunt16  # noqa: E402
import hunt17_erp_bugs as hunt17  # noqa: E402
import hunt18_erp_bugs as hunt18  # noqa: E402
import hunt19_erp_bugs as hunt19  # noqa: E402
import hunt20_erp_bugs as hunt20  # noqa: E402
import hunt21_erp_bugs as hunt21  # noqa: E402
import hunt21x_erp_bugs as hunt21x  # noqa: E402
import hunt22_erp_bugs as hunt22  # noqa: E402
import hunt23_erp_bugs as hunt23  # noqa: E402
import hunt24_erp_bugs as hunt24  # noqa: E402
import hunt25_erp_bugs as hunt25  # noqa: E402
import hunt25x_erp_bugs as hunt25x  # noqa: E402
import hunt26_erp_bugs as hunt26  # noqa: E402
import hunt27_erp_bugs as hunt27  # noqa: E402
import hunt27x_erp_bugs as hunt27x  # noqa: E402
import hunt28_erp_bugs as hunt28  # noqa: E402
import hunt29_erp_bugs as hunt29  # noqa: E402
import hunt30_erp_bugs as hunt30  # noqa: E402
import hunt31_erp_bugs as hunt31  # noqa: E402
import hunt32_erp_bugs as hunt32  # noqa: E402
import hunt33_erp_bugs as hunt33  # noqa: E402
import hunt34_erp_bugs as hunt34  # noqa: E402
import hunt_erp_bugs as hunt  # noqa: E402
import vary17_erp_bugs as vary17  # noqa: E402
import vary18v_erp_bugs as vary18v  # noqa: E402


class ReinvoicesRepeats(Tenant):
    """Makes a new e-invoice for every OUTWARD_ORDER_CREATE it is sent, repeats included: no messageId
    check, no look at the invoices it already made."""

    def receive(self, event: str, posting: dict) -> None:
        with self.lock:
            self.invoices.pop(posting.get("orderCode"), None)
            self.handlers().get(event, lambda p: None)(posting)
            self.save()


class InvoicesOrderedQuantity(Tenant):
    """E-invoices what the customer ordered (orderedQuantity), not the final quantity of the posting."""

    def order_create(self, p: dict) -> None:
        for item in p["orderItems"]:
            item["quantity"] = item.get("orderedQuantity", item["quantity"])
        super().order_create(p)


class KeepsFirstInvoice(Tenant):
    """Keeps the e-invoice of an order's first OUTWARD_ORDER_CREATE, even when a newer one (its quantities
    changed before AJIO took the invoice) supersedes it."""

    def order_create(self, p: dict) -> None:
        if p["orderCode"] in self.invoices:
            return
        super().order_create(p)


class RenumbersRetries(Tenant):
    """Builds its invoice anew for every try: a retry after a lost answer carries a new number and IRN."""

    def send(self, item: dict):
        if item["kind"] == "invoice" and item["attempts"] > 0:
            number = self.number("EI")
            irn = self.irn(number)
            item["body"].update(invoiceNumber=number, irnNumber=irn, invoiceDate=self.zoned_now(),
                                qrCode=base64.urlsafe_b64encode(f"{number}|{irn}".encode()).decode())
        return super().send(item)


class PoFromOrderCode(Tenant):
    """Writes the order's code where the B2B PO number belongs (forwardPurchaseOrder)."""

    def order_create(self, p: dict) -> None:
        super().order_create({**p, "forwardPurchaseOrder": p["orderCode"]})


class GivesUpAtOnce(Tenant):
    """Posts its invoices and credit notes once: an answer other than 200 is logged and forgotten."""

    def flush(self) -> None:
        with self.lock:
            for item in list(self.outbox):
                status, answer, _ = self.send(item)
                self.outbox.remove(item)
                if status != 200:
                    log(f"{self.pob}: {item['kind']} {item['key']} refused ({status}), dropped: {answer[:200]}")
            self.save()


class CreditNoteInRsiModel(Tenant):
    """Answers every return order posting with a credit note, whatever the seller's return model."""

    def return_order(self, p: dict) -> None:
        self.env = {**self.env, "AJIO_ERP_RETURN_MODEL": "credit_note"}
        super().return_order(p)


class IgnoresRetryAfter(Tenant):
    """Retries after its own short backoff, never reading Retry-After."""

    def send(self, item: dict):
        status, answer, _ = super().send(item)
        return status, answer, 0.0


class CreateOnly(Tenant):
    """Implements OUTWARD_ORDER_CREATE and the return posting only; refuses the cancel and complete postings."""

    def handlers(self) -> dict:
        known = super().handlers()

        def unsupported(p: dict) -> None:
            raise Refused(f"unsupported eventType {p.get('eventType')}")
        return {**known, "OUTWARD_ORDER_CANCEL": unsupported, "OUTWARD_ORDER_COMPLETE": unsupported}


class NumbersPerStore(Tenant):
    """Each store's ERP counts its invoices and credit notes from 1 in the seller's one series (EI2026-00001):
    two stores of one seller (one GSTIN) issue the same numbers."""

    def number(self, prefix: str) -> str:
        self.series[prefix] = self.series.get(prefix, 0) + 1
        return f"{prefix}2026-{self.series[prefix]:05d}"


class LongNumbers(Tenant):
    """Writes the store and the financial year into every number (EI/2026-27/<store>/00001): over 16 characters."""

    def number(self, prefix: str) -> str:
        self.series[prefix] = self.series.get(prefix, 0) + 1
        return f"{prefix}/2026-27/{self.pob[-6:]}/{self.series[prefix]:05d}"


class CreditNotesByDay(Tenant):
    """Numbers its credit notes by the day they are made (CN20261204): a second credit note of the seller
    that day, in any store, repeats the number."""

    def number(self, prefix: str) -> str:
        if prefix != "CN":
            return super().number(prefix)
        return "CN" + datetime.fromtimestamp(int(self.now()), IST).strftime("%Y%m%d")


class CreditNoteInvoiceIrn(Tenant):
    """Signs a credit note with the IRN of the forward order's e-invoice instead of the credit note's own."""

    def return_order(self, p: dict) -> None:
        before = set(self.credit_notes)
        super().return_order(p)
        invoice = self.invoices.get(p.get("forwardOrderCode"))
        for item in self.outbox:
            if item["kind"] == "credit_note" and item["key"] not in before and invoice is not None:
                item["body"]["irnNumber"] = invoice["irnNumber"]


class OmitsPassword(Tenant):
    """Reads its AJIO password from a setting of another name (AJIO_ERP_API_PASSWORD): the ERP-layer calls
    carry authUsername with an empty authPassword."""

    def credentials(self) -> dict[str, str]:
        return {**super().credentials(), "authPassword": self.env.get("AJIO_ERP_API_PASSWORD", "")}


class NeedsReturnShipments(Tenant):
    """Takes a return order posting only with a shipment in it: the credit-note model's empty `shipments`
    (seed 002) is refused as malformed."""

    def return_order(self, p: dict) -> None:
        if not p.get("shipments"):
            raise Refused("return order posting without shipments")
        super().return_order(p)


class RefusesComplete(Tenant):
    """Knows no OUTWARD_ORDER_COMPLETE (it raises return orders from return postings only): refuses it (400)."""

    def handlers(self) -> dict:
        def unknown(p: dict) -> None:
            raise Refused("unknown eventType OUTWARD_ORDER_COMPLETE")
        return {**super().handlers(), "OUTWARD_ORDER_COMPLETE": unknown}


class ThreeTries(Tenant):
    """Gives a posting three quick tries (0.25 s and 0.5 s apart), then drops it: AJIO's ERP layer down for a
    few seconds loses the invoice or credit note for good."""
    max_attempts = 3


class RetriesTight(Tenant):
    """Retries a posting AJIO did not take at every tick of its outbox job (50 ms), with no limit ("an
    invoice must reach AJIO"): an outage is hammered for as long as it lasts (Retry-After still honoured)."""
    max_attempts = 10 ** 9
    backoff = 0.0


class CancelLeavesOutbox(Tenant):
    """On OUTWARD_ORDER_CANCEL cancels the e-invoice in its books but leaves it in the outbox: an e-invoice
    AJIO had not taken yet is still posted, for the cancelled order, once AJIO is back."""

    def order_cancel(self, p: dict) -> None:
        waiting = list(self.outbox)
        super().order_cancel(p)
        self.outbox = waiting


class CreditNoteKeyedByOrder(Tenant):
    """Keys its credit notes by the forward order (forwardOrderCode): a second return of the same order (the
    customer sends the rest back later) gets no credit note."""

    def return_order(self, p: dict) -> None:
        order = p.get("forwardOrderCode")
        if any(note.get("order") == order for note in self.credit_notes.values()):
            log(f"{self.pob}: order {order} has its credit note already")
            return
        super().return_order(p)
        if p["returnOrderCode"] in self.credit_notes:
            self.credit_notes[p["returnOrderCode"]]["order"] = order


class DatesIstAsUtc(Tenant):
    """Writes the IST wall time of its documents with a UTC "Z": every invoiceDate and ackDate lies 5 h 30
    in the future."""

    def zoned_now(self) -> str:
        return datetime.fromtimestamp(int(self.now()), IST).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class OutboxInMemory(Tenant):
    """Keeps what it still owes AJIO (its outbox) in memory only, its books on disk: a restart loses every
    e-invoice and credit note AJIO had not taken yet."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outbox = []


class CutAnswerUnhandled(Tenant):
    """The reference's old behaviour (until 2026-12-07): only an OSError counted as "no answer", so an answer cut on
    the wire (http.client's IncompleteRead, an HTTPException) escaped the outbox and ended its thread: that posting
    was never retried and nothing was sent again (the harness's in-process server never delivered the cut bytes,
    so no scenario saw it)."""
    no_answer = (OSError,)


BUGS = {"erp_reinvoices_repeats": ReinvoicesRepeats, "erp_invoices_ordered_quantity": InvoicesOrderedQuantity,
        "erp_keeps_first_invoice": KeepsFirstInvoice, "erp_gives_up_at_once": GivesUpAtOnce,
        "erp_credit_note_in_rsi": CreditNoteInRsiModel, "erp_ignores_retry_after": IgnoresRetryAfter,
        "erp_create_only": CreateOnly, "erp_numbers_per_store": NumbersPerStore, "erp_long_numbers": LongNumbers,
        "erp_credit_notes_by_day": CreditNotesByDay,
        "erp_credit_note_invoice_irn": CreditNoteInvoiceIrn, "erp_omits_password": OmitsPassword,
        "erp_needs_return_shipments": NeedsReturnShipments,
        "erp_renumbers_retries": RenumbersRetries, "erp_po_from_order_code": PoFromOrderCode,
        "erp_refuses_complete": RefusesComplete, "erp_three_tries": ThreeTries, "erp_retries_tight": RetriesTight,
        "erp_cancel_leaves_outbox": CancelLeavesOutbox, "erp_credit_note_keyed_by_order": CreditNoteKeyedByOrder,
        "erp_dates_ist_as_utc": DatesIstAsUtc, "erp_outbox_in_memory": OutboxInMemory,
        # the second blind VMS bug hunt (hunt_erp_bugs.py)
        "erp_partial_flag_from_cancelled": hunt.PartialFlagFromCancelled,
        "erp_no_credit_note_for_rto": hunt.NoCreditNoteForRto,
        "erp_credit_note_numbered_by_invoice": hunt.CreditNoteNumberedByInvoice,
        "erp_credit_note_on_complete": hunt.CreditNoteOnComplete, "erp_drops_on_reset": hunt.DropsOnReset,
        "erp_answer_waits_for_ajio": hunt.AnswerWaitsForAjio, "erp_rsi_range_week": hunt.RsiRangeWeek,
        "erp_outbox_fifo_blocks": hunt.OutboxFifoBlocks,
        # the third blind VMS bug hunt (hunt_erp_bugs.py)
        "erp_series_in_memory": hunt.SeriesInMemory, "erp_credit_notes_reset_in_january": hunt.CreditNotesResetInJanuary,
        "erp_no_retry_on_4xx": hunt.NoRetryOn4xx, "erp_invoice_date_without_zone": hunt.InvoiceDateWithoutZone,
        "erp_credit_note_dated_return": hunt.CreditNoteDatedReturn,
        # the sixth blind VMS hunt
        "erp_credit_note_per_item": hunt.CreditNotePerItem,
        "erp_reinvoices_on_late_partial_cancel": hunt.ReinvoicesOnLatePartialCancel,
        "erp_invoices_one_unit_per_line": hunt.InvoicesOneUnitPerLine,
        "erp_credit_note_without_qr": hunt.CreditNoteWithoutQr, "erp_flushes_on_posting_only": hunt.FlushesOnPostingOnly,
        "erp_refuses_return_of_unknown_order": hunt.RefusesReturnOfUnknownOrder,
        "erp_supersede_leaves_old_in_outbox": hunt.SupersedeLeavesOldInOutbox,
        "erp_credit_note_in_model2": hunt.CreditNoteInModel2,
        "erp_invoice_series_by_utc_month": hunt.InvoiceSeriesByUtcMonth, "erp_ean_as_number": hunt.EanAsNumber,
        "erp_restamps_date_on_retry": hunt.RestampsDateOnRetry, "erp_retry_after_on_429_only": hunt.RetryAfterOn429Only,
        # the tenth blind VMS hunt (hunt_erp_bugs.py)
        "erp_series_fy_utc": hunt.SeriesFyUtc, "erp_books_in_memory": hunt.BooksInMemory,
        # the eleventh blind VMS hunt (hunt_erp_bugs.py)
        "erp_credit_note_for_old_cancel": hunt.CreditNoteForOldCancel,
        # the twelfth blind VMS hunt (hunt_erp_bugs.py)
        "erp_return_reason_master": hunt.ReturnReasonMaster, "erp_qc_reason_unmapped": hunt.QcReasonUnmapped,
        "erp_return_tax_ledgers": hunt.ReturnTaxLedgers,
        # the thirteenth blind VMS hunt (hunt_erp_bugs.py)
        "erp_saves_on_flush_only": hunt.SavesOnFlushOnly,
        # the fourteenth blind VMS hunt (hunt_erp_bugs.py)
        "erp_dedup_in_memory": hunt.DedupInMemory,
        "erp_credit_note_series_fy_by_return_time": hunt.CreditNoteSeriesFyByReturnTime,
        # a hunt on the thinly tested duty rules (hunt_erp_bugs.py)
        "erp_invoice_per_hsn": hunt.InvoicePerHsn, "erp_supersede_merges_lines": hunt.SupersedeMergesLines,
        "erp_supersede_ignored_once_tried": hunt.SupersedeIgnoredOnceTried,
        # crashes at a chosen call (erp: {kill_at}, hunt_erp_bugs.py)
        "erp_books_posted_before_call": hunt.BooksPostedBeforeCall,
        "erp_reissues_unsent_on_start": hunt.ReissuesUnsentOnStart,
        # the fifteenth blind VMS hunt: a return posting's dedup and a supersede map kept in memory
        "erp_return_dedup_in_memory": hunt.ReturnDedupInMemory,
        "erp_supersede_map_in_memory": hunt.SupersedeMapInMemory,
        # the sixteenth blind VMS hunt
        "erp_cancel_by_invoice_number": hunt16.CancelByInvoiceNumber,
        "erp_series_per_fy_irn_without_year": hunt16.SeriesPerFyIrnWithoutYear,
        # the ERP's RSI fetch (seed 002 "RSI Fetching", VMS-ERP-RSI-FETCH)
        "erp_never_fetches_rsi": hunt.NeverFetchesRsi, "erp_rsi_one_wide_range": hunt.RsiOneWideRange,
        "erp_rsi_cursor_past_failure": hunt.RsiCursorPastFailure, "erp_rsi_last_day_only": hunt.RsiLastDayOnly,
        "erp_rsi_refetches_look_back": hunt.RsiRefetchesLookBack, "erp_rsi_cursor_in_memory": hunt.RsiCursorInMemory,
        # vary17: an ERP killed around its RSI fetch
        "erp_rsi_cursor_checkpointed_before_fetch": vary17.RsiCursorCheckpointedBeforeFetch,
        "erp_rsi_read_from_cursor_exactly": vary17.RsiReadFromCursorExactly,
        # the seventeenth blind VMS hunt
        "erp_parks_after_eight_tries": hunt17.ParksAfterEightTries,
        # the eighteenth blind VMS hunt
        "erp_rsi_ignores_retry_after": hunt18.RsiIgnoresRetryAfter,
        "erp_rsi_skips_after_empty_piece": hunt18.RsiSkipsAfterEmptyPiece,
        # vary18v: the RSI fetch throttled, unreadable for a round, an ERP killed mid catch-up (vary18v_erp_bugs.py)
        "erp_rsi_throttled_as_empty": vary18v.RsiThrottledAsEmpty,
        "erp_rsi_unreadable_as_empty": vary18v.RsiUnreadableAsEmpty,
        "erp_rsi_round_cursor_first": vary18v.RsiRoundCursorFirst,
        # the nineteenth blind VMS hunt (hunt19_erp_bugs.py)
        "erp_h19_no_credit_note_when_qc_failed": hunt19.NoCreditNoteWhenQcFailed,  # ERP-CREDIT-NOTE-POSTING
        "erp_h19_retry_after_per_posting": hunt19.RetryAfterPerPosting,  # API-THROTTLE-RETRY-AFTER
        "erp_h19_kicks_outbox_on_posting": hunt19.KicksOutboxOnPosting,  # API-RETRY-TRANSIENT
        # the twentieth blind VMS hunt (hunt20_erp_bugs.py)
        "erp_h20_backoff_uncapped": hunt20.BackoffUncapped,  # ERP-RETRY-NON-200
        "erp_h20_invoice_date_only": hunt20.InvoiceDateOnly,  # VMS-DOCUMENT-DATE
        "erp_h20_resends_on_repeat": hunt20.ResendsOnRepeat,  # ERP-POSTING-ONCE
        # the twenty-first blind VMS hunt (hunt21_erp_bugs.py)
        "erp_h21_repeat_refused": hunt21.RepeatRefused,  # ERP-POSTING-ONCE
        "erp_h21_invoice_series_fy_of_order": hunt21.InvoiceSeriesFyOfOrder,  # GST-INVOICE-NUMBER-UNIQUE
        "erp_h21_outbox_expires_after_a_day": hunt21.OutboxExpiresAfterADay,  # ERP-RETRY-NON-200
        # the twenty-first blind VMS hunt, ERP side (hunt21x_erp_bugs.py)
        "erp_h21x_no_rsi_in_model2": hunt21x.NoRsiInModel2,  # VMS-ERP-RSI-FETCH
        "erp_h21x_follows_first_supersede_only": hunt21x.FollowsFirstSupersedeOnly,  # ERP-ORDER-FINAL-QUANTITY
        "erp_h21x_invoice_series_by_calendar_year": hunt21x.InvoiceSeriesByCalendarYear,  # GST-INVOICE-NUMBER-UNIQUE
        "erp_h21x_retry_after_capped": hunt21x.RetryAfterCapped,  # API-THROTTLE-RETRY-AFTER
        "erp_h21x_rsi_retries_at_once": hunt21x.RsiRetriesAtOnce,  # API-RETRY-TRANSIENT
        "erp_h21x_rsi_from_fy_start": hunt21x.RsiFromFyStart,  # VMS-ERP-RSI-FETCH
        # the reference's old behaviour (until hunt21): no cursor yet, every round from the clock minus the look-back
        "erp_h21x_rsi_look_back_slides": hunt21x.RsiLookBackSlides,  # VMS-ERP-RSI-FETCH
        # the twenty-second blind VMS hunt (hunt22_erp_bugs.py)
        "erp_h22_no_answer_taken_as_sent": hunt22.NoAnswerTakenAsSent,  # ERP-RETRY-NON-200
        "erp_h22_rsi_retried_at_once": hunt22.RsiRetriedAtOnce,  # API-RETRY-TRANSIENT
        "erp_h22_cancel_refused_after_a_day": hunt22.CancelRefusedAfterADay,  # ERP-ORDER-CANCEL-POSTING
        # the reference's old behaviour: an answer cut on the wire was not taken for "no answer"
        "erp_cut_answer_unhandled": CutAnswerUnhandled,  # VMS-ERP-RSI-FETCH
        # the twenty-third blind VMS hunt (hunt23_erp_bugs.py)
        "erp_h23_rsi_only_while_returns_wait": hunt23.RsiOnlyWhileReturnsWait,  # VMS-ERP-RSI-FETCH
        "erp_h23_invoice_dated_order_time": hunt23.InvoiceDatedOrderTime,  # VMS-DOCUMENT-DATE
        # the twenty-fourth blind VMS hunt (hunt24_erp_bugs.py)
        "erp_h24_refuses_zero_quantity_item": hunt24.RefusesZeroQuantityItem,  # ERP-ORDER-COMPLETE-POSTING
        "erp_h24_day_close_dates_next_day": hunt24.DayCloseDatesNextDay,  # VMS-DOCUMENT-DATE
        "erp_h24_outbox_saved_on_work_only": hunt24.OutboxSavedOnWorkOnly,  # API-CHANGE-SENT-ONCE (ERP-RETRY-NON-200)
        # the twenty-fifth blind VMS hunt (hunt25_erp_bugs.py)
        "erp_h25_rsi_paused_while_outbox_busy": hunt25.RsiPausedWhileOutboxBusy,  # VMS-ERP-RSI-FETCH
        "erp_h25_reposts_invoice_on_complete": hunt25.RepostsInvoiceOnComplete,  # API-CHANGE-SENT-ONCE
        "erp_h25_numbers_from_live_invoices": hunt25.NumbersFromLiveInvoices,  # GST-INVOICE-NUMBER-UNIQUE
        # the twenty-fifth blind hunt, helper x (hunt25x_erp_bugs.py)
        "erp_h25x_rsi_waits_for_outbox": hunt25x.RsiWaitsForOutbox,  # VMS-ERP-RSI-FETCH
        "erp_h25x_reposts_invoice_at_complete": hunt25x.RepostsInvoiceAtComplete,  # API-CHANGE-SENT-ONCE
        "erp_h25x_credit_notes_lost_on_restart": hunt25x.CreditNotesLostOnRestart,  # ERP-CREDIT-NOTE-POSTING
        "erp_h25x_cancel_misses_superseding_invoice":
            hunt25x.CancelMissesSupersedingInvoice,  # ERP-ORDER-CANCEL-POSTING
        "erp_h25x_credit_note_for_whole_returns_only":
            hunt25x.CreditNoteForWholeReturnsOnly,  # ERP-CREDIT-NOTE-POSTING
        "erp_h25x_twelve_hour_clock": hunt25x.TwelveHourClock,  # VMS-DOCUMENT-DATE
        # the twenty-sixth blind VMS hunt (hunt26_erp_bugs.py)
        # (SeenBeforeProcessed stays unregistered: it shows only when AJIO_CLOCK_URL fails, which no scenario stages)
        "erp_h26_outbox_kicked_on_start": hunt26.OutboxKickedOnStart,  # API-THROTTLE-RETRY-AFTER
        "erp_h26_clock_read_once": hunt26.ClockReadOnce,  # VMS-DOCUMENT-DATE
        # the twenty-seventh blind VMS hunt (hunt27_erp_bugs.py)
        "erp_h27_credit_note_dated_midnight": hunt27.CreditNoteDatedMidnight,  # VMS-DOCUMENT-DATE
        "erp_h27_rsi_cursor_at_last_rsi": hunt27.RsiCursorAtLastRsi,  # VMS-ERP-RSI-FETCH
        "erp_h27_rsi_piece_from_cursor": hunt27.RsiPieceFromCursor,  # VMS-RSI-RANGE-2-DAYS
        # the twenty-seventh blind VMS hunt, ERP side (hunt27x_erp_bugs.py); its RSI-cursor bug, the class of
        # erp_h27_rsi_cursor_at_last_rsi above (found by both hunts), was dropped
        "erp_h27x_cancel_clears_every_pending_invoice":
            hunt27x.CancelClearsEveryPendingInvoice,  # ERP-ORDER-CREATE-POSTING
        "erp_h27x_parks_tried_postings_on_start": hunt27x.ParksTriedPostingsOnStart,  # ERP-RETRY-NON-200
        "erp_h27x_numbers_from_accepted": hunt27x.NumbersFromAccepted,  # ERP-ORDER-CREATE-POSTING
        "erp_h27x_partial_flag_on_supersede": hunt27x.PartialFlagOnSupersede,  # VMS-INVOICE-PARTIAL-FLAG
        "erp_h27x_credit_note_retry_left_to_ajio": hunt27x.CreditNoteRetryLeftToAjio,  # ERP-RETRY-NON-200
        # the twenty-eighth blind VMS hunt, ERP side (hunt28_erp_bugs.py)
        "erp_h28_dedup_by_high_water_mark": hunt28.DedupByHighWaterMark,  # ERP-ORDER-CREATE-POSTING
        "erp_h28_rsi_waits_for_first_posting": hunt28.RsiWaitsForFirstPosting,  # VMS-ERP-RSI-FETCH
        "erp_h28_daily_series_utc_date": hunt28.DailySeriesUtcDate,  # GST-INVOICE-NUMBER-UNIQUE
        # the twenty-ninth blind VMS hunt, ERP side (hunt29_erp_bugs.py)
        "erp_h29_rsi_to_end_of_day": hunt29.RsiToEndOfDay,  # VMS-ERP-RSI-FETCH
        "erp_h29_rsi_rereads_last_hour_idle": hunt29.RsiRereadsLastHourIdle,  # VMS-ERP-RSI-FETCH
        "erp_h29_transport_retried_at_once": hunt29.TransportRetriedAtOnce,  # API-RETRY-TRANSIENT
        # the thirtieth blind VMS hunt, ERP side (hunt30_erp_bugs.py)
        "erp_h30_fy_starts_in_march": hunt30.FyStartsInMarch,  # GST-INVOICE-NUMBER-UNIQUE
        "erp_h30_no_credit_note_for_cod": hunt30.NoCreditNoteForCod,  # ERP-CREDIT-NOTE-POSTING
        "erp_h30_reposts_books_on_start": hunt30.RepostsBooksOnStart,  # API-CHANGE-SENT-ONCE
        # the thirty-first blind VMS hunt, ERP side (hunt31_erp_bugs.py). ZeroQuantityMeansOrdered stays in the module
        # only: AJIO's OUTWARD_ORDER_CREATE leaves out a line with nothing open (simulator/domain/vms/erp.py), so the
        # quantity 0 it misreads never reaches an ERP and no scenario can stage it
        "erp_h31_invoice_number_from_clock": hunt31.InvoiceNumberFromClock,  # GST-INVOICE-NUMBER-UNIQUE
        "erp_h31_rsi_round_commits_whole": hunt31.RsiRoundCommitsWhole,  # VMS-ERP-RSI-FETCH
        # the thirty-second blind VMS hunt, ERP side (hunt32_erp_bugs.py)
        "erp_h32_rsi_catch_up_capped_at_a_week": hunt32.RsiCatchUpCappedAtAWeek,  # VMS-ERP-RSI-FETCH
        "erp_h32_third_throttle_waits_for_midnight":
            hunt32.ThirdThrottleWaitsForMidnight,  # API-THROTTLE-RETRY-AFTER
        "erp_h32_rsi_auth_in_query": hunt32.RsiAuthInQuery,  # ERP-AUTH-HEADERS
        # the thirty-third blind VMS hunt, ERP side (hunt33_erp_bugs.py). LinesKeyedBySku (ERP-INVOICE-FINAL-QUANTITY)
        # stays in the module only: it shows only on an order naming one SKU on two lines, which a VMS order never
        # does (AJIO identifies a VMS line by its channelSkuCode; the simulator refuses such an order)
        "erp_h33_rsi_piece_one_second_over": hunt33.RsiPieceOneSecondOver,  # VMS-RSI-RANGE-2-DAYS
        "erp_h33_flush_commits_whole_batch": hunt33.FlushCommitsWholeBatch,  # API-CHANGE-SENT-ONCE
        # the thirty-fourth blind VMS hunt, ERP side (hunt34_erp_bugs.py)
        "erp_h34_conflict_taken_as_duplicate": hunt34.ConflictTakenAsDuplicate,  # ERP-RETRY-NON-200
        "erp_h34_numbers_prefixed_with_channel": hunt34.NumbersPrefixedWithChannel,  # GST-DOCUMENT-NUMBER-FORMAT
        "erp_h34_rsi_ignores_posting_throttle": hunt34.RsiIgnoresPostingThrottle,  # API-THROTTLE-RETRY-AFTER
        # helper erp33d: the ERP form of a retry budget per kind of failure (erp33d_erp_bugs.py)
        "erp_backoff_per_failure_kind": erp33d.BackoffPerFailureKind}  # API-RETRY-TRANSIENT
# Variants that are NOT bugs: ways a correct ERP may differ from the reference. The catalogue must pass them
# (tests/harness/test_run_vms.py), so that a scenario never fails a lawful ERP.
LAWFUL = {"erp_series_per_fy": hunt16.SeriesPerFy}

if __name__ == "__main__":
    variants = {**BUGS, **LAWFUL}
    if len(sys.argv) < 2 or sys.argv[1] not in variants:
        sys.exit(f"usage: buggy_erp.py VARIANT [erp.py options]   (bugs: {', '.join(BUGS)}; "
                 f"lawful: {', '.join(LAWFUL)})")
    bug = variants[sys.argv[1]]
    if hasattr(bug, "patch"):   # a bug of the ERP's HTTP side patches the reference module
        bug.patch(reference)
    sys.exit(reference.main(sys.argv[2:], tenant_class=bug))
