"""Blind bug hunt 25, the seller's ERP: three bugs a real ERP integration ships (registered in buggy_erp.py as
erp_h25_*). Each is a small subclass of the reference Tenant; the diff against the reference is the bug."""
from __future__ import annotations

from erp import Tenant, log


class RsiPausedWhileOutboxBusy(Tenant):
    """VMS-ERP-RSI-FETCH. One integration job does everything in turn: while a posting to AJIO is still unsent (an
    e-invoice AJIO keeps refusing or throttling), the RSI pull waits behind it, so an outage of one flow stops RSI
    fetching for as long as it lasts."""

    def pull_rsi(self) -> None:
        if self.outbox:
            return
        super().pull_rsi()


class RepostsInvoiceOnComplete(Tenant):
    """API-CHANGE-SENT-ONCE. "Make sure AJIO has the invoice before the goods leave": on OUTWARD_ORDER_COMPLETE the
    ERP posts the order's e-invoice again, although AJIO accepted it long ago."""

    def enqueue(self, kind: str, key: str, body: dict) -> None:
        super().enqueue(kind, key, body)
        if kind == "invoice" and key in self.invoices:
            self.invoices[key]["body"] = body  # kept with the books to push again at completion

    def order_complete(self, p: dict) -> None:
        super().order_complete(p)
        held = self.invoices.get(p["orderCode"])
        if held and held.get("status") == "ACTIVE" and held.get("body"):
            log(f"{self.pob}: {p['orderCode']} completed: e-invoice {held['invoiceNumber']} pushed to AJIO again")
            super().enqueue("invoice", p["orderCode"], held["body"])


class NumbersFromLiveInvoices(Tenant):
    """GST-INVOICE-NUMBER-UNIQUE. The e-invoice number is "the count of live e-invoices + 1": an e-invoice cancelled
    (OUTWARD_ORDER_CANCEL after it reached AJIO) no longer counts, so the next order's e-invoice gets a number
    already used, which stays used after the cancellation."""

    def number(self, prefix: str) -> str:
        if prefix != "EI":
            return super().number(prefix)
        live = sum(1 for inv in self.invoices.values() if inv.get("status") != "CANCELLED")
        return f"{prefix}{self.pob[-6:]}-{live + 1:05d}"
