"""The thirty-fourth blind VMS hunt, layer side: three bugs of a VMS integration layer, designed from the rulebook and
the reference alone (before reading a scenario). Each is a small subclass of the reference's VmsConnector; the
rule it breaks is named in buggy.py's BUGS.
"""
from __future__ import annotations

from connector import log
from vms_connector import VmsConnector


class ReinvoiceNumberRevised(VmsConnector):
    """Model 2 (RMS e-invoices): when AJIO cancels an order's B2B invoice (a partial cancellation after it: the seller's
    at packing, or a customer's late one) the order waits for a new invoice. The team's finance lead wants the
    re-issued invoice to be traceable to the one it replaces, as their ERP does for revisions: the new number is the
    cancelled one with a revision suffix (RMS...-00012 becomes RMS...-00012-R1, then -R2). The series' numbers are 15
    characters, so a revision is 18: AJIO refuses it (GST-DOCUMENT-NUMBER-FORMAT: at most 16 letters, digits, '-' and
    '/'), at every sync, and the rest of the order is never invoiced nor shipped. Their tests only invoiced once."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        if not mine.get("invoice_number") and mine.get("first_invoice"):
            mine["revision"] = mine.get("revision", 0) + 1
            mine["invoice_number"] = f"{mine['first_invoice']}-R{mine['revision']}"
            log(f"{order_id}: re-issuing invoice {mine['first_invoice']} as revision {mine['invoice_number']}")
        super().invoice_order(order_id, mine)
        if mine.get("invoice_number") and not mine.get("first_invoice"):
            mine["first_invoice"] = mine["invoice_number"]


class LatePartialCancelCancelsRest(VmsConnector):
    """Model 1 (the ERP e-invoices), a seller whose customers may cancel late: after the e-invoice, a customer cancels
    part of an order (AJIO's listing shows fewer units, the order still INVOICED). The team read seed 002's model 1
    rule ("the whole order needs to be cancelled as the E invoice is already generated in ERPs and Increff can not
    cancel it partially") as "any order whose units drop after its e-invoice cannot ship: cancel it whole", and the
    layer seller-cancels the units the customer still wants, in stock and e-invoiced (VMS-LATE-CUSTOMER-CANCEL: after
    the e-invoice a customer's partial cancellation leaves the order INVOICED with its invoice, the rest ships and
    OUTWARD_ORDER_COMPLETE carries what was cancelled; only items the seller misses cancel the whole order)."""

    def fetch_orders(self) -> None:
        before = {oid: sum(l["quantity"] for l in o.get("lines", [])) for oid, o in self.state.orders.items()
                  if o["stage"] == "invoiced"}
        super().fetch_orders()
        if self.einvoice_model != "erp":
            return
        for oid, units in before.items():
            mine = self.state.orders[oid]
            now = sum(l["quantity"] for l in mine["lines"])
            if mine["stage"] == "invoiced" and mine.get("status") == "INVOICED" and 0 < now < units:
                try:
                    self.cancel(oid, mine, None, "units dropped after the e-invoice (model 1: complete only)")
                except Exception as exc:  # noqa: BLE001 (the phase goes on with the other orders)
                    self.errors += 1
                    log(f"cancel {oid}: {exc}")


class LoginPerDocument(VmsConnector):
    """PDFs (PO, B2C invoice, label, manifest, RSI) come from absolute links. Once, a label link answered 401 with a
    token about to expire, and the team's fix was to fetch every document with a fresh session: the layer logs in
    again before each PDF. An order costs four or five logins, a busy sync dozens (AUTH-LOGIN-SPARINGLY: a token is
    kept while it is valid; a connector logs in again only when it expires or is refused)."""

    def keep_document(self, url: str, kind: str) -> bytes:
        self.client.token = None  # a fresh session for the document service
        return super().keep_document(url, kind)
