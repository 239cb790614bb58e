"""Bugs of the ninth blind VMS hunt that the catalogue let through (or caught under another rule): each class is the
reference VMS connector with ONE planted mistake. buggy.py lists them by name; each fails the scenario written for
it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from datetime import datetime, timezone

from ajio_client import AjioError
from connector import log
from vms_connector import IST, VmsConnector


class RmsDailySeriesUtcDate(VmsConnector):
    """GST-INVOICE-NUMBER-UNIQUE (model 2): RMS numbers its documents in a daily series, R + store + date + counter
    (RM1234261123001). The counter restarts at the seller's day (IST midnight) but the date in the number is the
    server's UTC date: between 00:00 and 05:30 IST the number carries yesterday's date with a fresh counter, and
    repeats yesterday's first numbers."""

    def next_number(self, prefix: str) -> str:
        ist_day = datetime.fromtimestamp(self.clock, IST).strftime("%Y%m%d")
        utc_label = datetime.fromtimestamp(self.clock, timezone.utc).strftime("%y%m%d")
        key = f"{prefix}@{ist_day}"
        self.meta[key] = self.meta.get(key, 0) + 1
        return f"{prefix[:2]}{self.username[-4:]}{utc_label}{self.meta[key]:03d}"


class QcMarkedBeforeCall(VmsConnector):
    """VMS-QC-PASS-FAIL: the putaway is recorded as checked before the QC update goes to AJIO ("the warehouse has
    done its QC"): when the QC call fails (AJIO's QC endpoint down for a sync) the return is never QC'd at AJIO,
    never processed, and gets no credit note."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        mine["stage"] = "checked"
        super().quality_check(ret, mine)


class RtoRequestMarkedBeforeCall(VmsConnector):
    """VMS-RTO-REQUEST: an RTO generation request is noted as sent before it is sent ("never ask twice"): a request
    that failed (AJIO's RTO endpoint down for a sync) is never sent again, and the parcel never gets its RTO
    expectation."""

    def request_rto(self, order_id: str) -> None:
        self.meta["rto_requested"].append(order_id)   # the bug: noted before AJIO took it
        answer = self.client.post("/returns/rto", {"order_id": order_id})
        log(f"RTO generation request for {order_id}: expectation due at {answer['expectation_due_at']}")


class HoldWholeHours(VmsConnector):
    """VMS-ACK-HOLD: the seller's hold is configured in whole hours (the layer's setting is an integer number of
    hours): AJIO_VMS_ACK_HOLD_SECONDS is rounded down, so a 90-minute hold is served as 1 hour and a 30-minute one
    not at all: the acknowledgement reaches AJIO early and customers lose their cancellation window."""

    def __init__(self, env, assume_stock=None) -> None:
        super().__init__(env, assume_stock)
        self.ack_hold_s = self.ack_hold_s // 3600 * 3600


class OrdersWindowMovesOnFailure(VmsConnector):
    """VMS-ORDERS-BY-DATE: the orders fetch window moves on even when the read failed ("that window was tried"):
    an order created more than an hour before a sync whose order read failed, and not seen before, is never
    fetched, never acknowledged."""

    def fetch_orders(self) -> None:
        try:
            super().fetch_orders()
        except AjioError:
            self.meta["orders_to"] = self.clock
            raise


class CreditNoteMarkedBeforeCall(VmsConnector):
    """VMS-CREDIT-NOTE-MODEL (model 2): a processed return is closed on the layer's side whatever its credit-note
    call answered ("the credit note was sent"): one that failed for a whole sync is never posted."""

    def credit_note(self, ret: dict, mine: dict) -> None:
        try:
            super().credit_note(ret, mine)
        finally:
            mine["stage"] = "done"


class RsiAcceptedBeforeCall(VmsConnector):
    """VMS-RSI-MODEL: an RSI is recorded as accepted before its acceptance is sent: one whose call failed for a whole
    sync is skipped when its range is read again, and stays ISSUED."""

    def accept_document(self, doc: dict) -> bool:
        self.meta.setdefault("rsi_accepted", []).append(doc["rsiNumber"])
        return super().accept_document(doc)
