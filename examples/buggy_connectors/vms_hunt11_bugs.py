"""Bugs of the eleventh blind VMS hunt that the catalogue let through: each class is the reference VMS connector with
ONE planted mistake. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_run_vms.py)."""
from __future__ import annotations

from connector import log
from rewriting import PostRewritten
from vms_connector import VmsConnector


class RmsRetryKeepsBody(PostRewritten, VmsConnector):
    """VMS-INVOICE-FINAL-QUANTITY: model 2, the RMS invoice body is built once and kept, and a retry in a later sync
    re-sends it verbatim ("a repeat must be identical"): a customer's late partial cancellation between the failed
    try and the retry is invoiced anyway, and AJIO refuses the invoice at every sync."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        self.with_rewrite(super().invoice_order, order_id, mine)

    def rewritten(self, path, body, post):
        if path.endswith("/b2bInvoice"):
            mine = self.state.orders[path.split("/")[2]]
            kept = mine.get("invoice_body")
            if kept is not None and kept["invoiceNumber"] == body["invoiceNumber"]:
                body = kept   # the bug: the first try's lines, whatever changed since
            mine["invoice_body"] = body
        return post(path, body)


class RtoRequestRtoExpectationsOnly(VmsConnector):
    """VMS-RTO-REQUEST: a parcel the warehouse logs as come back unexpected is checked against RTO expectations only
    ("an RTO parcel needs an RTO expectation"): a parcel of an order with a customer-return expectation gets an RTO
    generation request."""

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        return {r["order_id"] for r in self.state.returns.values() if r.get("return_type") == "RTO"}


class NoRmsCreditNoteForRto(VmsConnector):
    """VMS-CREDIT-NOTE-MODEL: model 2, credit-note model, RMS credits customer returns only: an RTO ("the customer
    never received it, nothing was sold") is closed without its credit note."""

    def credit_note(self, ret: dict, mine: dict) -> None:
        if ret.get("return_type") == "RTO":
            mine["stage"] = "done"   # the bug: an RTO is credited too
            log(f"RTO {ret['return_order_id']}: no credit note")
            return
        super().credit_note(ret, mine)


class RmsSeriesWithoutStore(VmsConnector):
    """GST-INVOICE-NUMBER-UNIQUE: RMS numbers its invoices and credit notes RMS-00000001 in a counter of each store's
    layer, with no store in the number: two stores of one seller (one GSTIN) repeat each other's numbers."""

    def next_number(self, prefix: str) -> str:
        self.meta[prefix] = self.meta.get(prefix, 0) + 1
        return f"{prefix}-{self.meta[prefix]:08d}"
