"""The twenty-eighth blind Dropship hunt: six bugs of a Dropship connector, each the reference with one planted bug.

Each class overrides the one method (or client hook) the bug lives in; the rule it breaks is in its docstring.
Registered in buggy.py's BUGS under ds_h28_*.
"""
from __future__ import annotations

from typing import Any

from ajio_client import AjioClient
from connector import AjioError, Connector, item_refused, log


class _BudgetClient(AjioClient):
    """The client of RetryBudgetPerSync: a circuit breaker that counts every failed attempt of the process."""

    BREAKER_AFTER = 3  # failed attempts, over all the calls of one run, after which AJIO is taken for down

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.failures_seen = 0

    def may_retry(self, method: str, failure: Any, attempt: int, limit: int) -> bool:
        # The bug: the budget is the run's, not the call's. A flaky AJIO that failed two calls early in the sync
        # has spent it, and a later call's first transient failure is abandoned at once (API-RETRY-TRANSIENT).
        self.failures_seen += 1
        return attempt < limit and self.failures_seen <= self.BREAKER_AFTER


class RetryBudgetPerSync(Connector):
    """API-RETRY-TRANSIENT: a transient failure is retried a bounded number of times, never abandoned at the
    first failure. Here a circuit breaker counts failed attempts over the whole run: after three, any call that
    fails is given up at its first failure (a second flaky call in one sync is abandoned)."""

    client_class = _BudgetClient


class EinvoicePdfSkipped(Connector):
    """DS-INVOICE-PDF-FETCHED: at invoicing the connector fetches the B2B invoice PDF. Here, for an e-invoicing
    POB, the connector keeps NIC's IRN, Ack and signed QR from the invoice answer and takes them for the invoice
    (the QR is what the GST portal checks), so it never downloads AJIO's B2B invoice PDF; other POBs' PDFs are
    fetched as ever."""

    def owe_documents(self, mine: dict, *documents: tuple[str, str]) -> None:
        if mine.get("einvoice"):
            documents = tuple(d for d in documents if d[1] != "B2B invoice")
        super().owe_documents(mine, *documents)


class InvoiceRepostedForOwedPdf(Connector):
    """API-CHANGE-SENT-ONCE: a call AJIO answered with success is not sent again. Here, when the B2B invoice PDF
    could not be downloaded, the next sync asks AJIO for the invoice again (POST .../invoice, "AJIO answers a
    repeat with the same invoice, and the URL may have expired") before downloading the PDF: an invoice AJIO
    took is sent again."""

    def fetch_owed_documents(self) -> None:
        for order_id, mine in list(self.state.orders.items()):
            owed = mine.get("documents_owed") or []
            if mine.get("stage") == "invoiced" and any(kind == "B2B invoice" for _, kind in owed):
                try:
                    answer = self.client.post(f"/orders/{order_id}/invoice", {})
                except AjioError as exc:
                    self.errors += 1
                    log(f"{order_id}: invoice not asked again: {exc}")
                    continue
                mine["documents_owed"] = [[answer["invoice_pdf_url"] if kind == "B2B invoice" else url, kind]
                                          for url, kind in owed]
        super().fetch_owed_documents()


class AckRefusedParked(Connector):
    """DS-ACK-WITHIN-SLA: the connector acknowledges a new order before its acknowledge_by. Here an
    acknowledgement AJIO refuses whole (a 4xx: every line failed, e.g. a 400 because the customer cancelled a unit
    of a one-line order between the re-read and the acknowledgement) is taken for a bad payload and the order is
    parked for a person: it is never read or acknowledged again, and AJIO cancels it at its acknowledge_by."""

    def acknowledgement_failed(self, order_id: str, exc: AjioError) -> None:
        if item_refused(exc):
            self.state.orders[order_id]["stage"] = "parked"
            log(f"{order_id}: acknowledgement refused ({exc}): parked for a person")


class NoCreditNoteWhenAllMissing(Connector):
    """DS-CREDIT-NOTE-FETCHED: on return completion the connector fetches AJIO's credit note. Here a return whose
    units QC reported MISSING is never asked for its credit note ("nothing came back, AJIO credits nothing"): the
    return cycle is never closed with AJIO's note and series."""

    def returns_awaiting_credit_note(self):
        return [(return_id, mine) for return_id, mine in super().returns_awaiting_credit_note()
                if mine.get("qc_code") != "MISSING"]


class PoPdfRefetchedOnAmountChange(Connector):
    """DS-PO-FETCHED: the PO PDF is fetched once the PO appears. Here a change of po_amount (AJIO values the
    quantities still open: a customer's partial cancellation after the PO) is taken for a revised PO, and its PDF
    is downloaded again at each change, though AJIO's PO document is the one it issued."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        current = super().read_orders(order_ids)
        for order_id, order in current.items():
            mine = self.state.orders.get(order_id)
            if mine is None or not order.get("po_number"):
                continue
            if mine.get("po_number") and "po_amount" in mine and mine["po_amount"] != order.get("po_amount"):
                self.keep_document(order["po_pdf_url"], "revised purchase order")
                log(f"{order_id}: PO amount now {order.get('po_amount')}: PO downloaded again")
            mine["po_amount"] = order.get("po_amount")
        return current
