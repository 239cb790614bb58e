"""Blind hunt 25 (the ERP under VMS, helper x): six ERP bugs as an in-house team or an ERP vendor ships them.

Each is a small subclass of the reference Tenant overriding the one method the bug lives in; the rule it
breaks is named in its docstring and in its registration (buggy_erp.py, BUGS, prefix `erp_h25x_`).
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from erp import IST, Tenant, log


class RsiWaitsForOutbox(Tenant):
    """VMS-ERP-RSI-FETCH. One integration worker, postings first: while any e-invoice or credit note waits in the
    outbox (AJIO refusing one of them, an outage of one path) the RSI round is put off "until the queue is
    drained". One invoice AJIO keeps refusing stops every RSI fetch for as long as it lasts."""

    def pull_rsi(self) -> None:
        if any(not self.parked(o) for o in self.outbox):
            return
        super().pull_rsi()


class RepostsInvoiceAtComplete(Tenant):
    """API-CHANGE-SENT-ONCE (ERP-POSTING-ONCE). A "dispatch sync": when the order leaves the warehouse
    (OUTWARD_ORDER_COMPLETE) the ERP pushes its e-invoice to AJIO again, to be sure AJIO has the invoice the goods
    left with, although AJIO answered 200 to it long ago."""

    def order_create(self, p: dict) -> None:
        super().order_create(p)
        held = self.invoices.get(p["orderCode"])
        for item in self.outbox:
            if held is not None and item["kind"] == "invoice" and item["key"] == p["orderCode"]:
                held["body"] = item["body"]

    def order_complete(self, p: dict) -> None:
        super().order_complete(p)
        inv = self.invoices.get(p["orderCode"])
        if inv is not None and inv.get("status") == "ACTIVE" and inv.get("body"):
            self.enqueue("invoice", p["orderCode"], inv["body"])
            log(f"{self.pob}: {p['orderCode']} dispatched: e-invoice {inv['invoiceNumber']} pushed to AJIO again")


class CreditNotesLostOnRestart(Tenant):
    """ERP-CREDIT-NOTE-POSTING (ERP-RETRY-NON-200). On start the ERP rebuilds its retry queue from the invoice
    register (e-invoices AJIO has not taken yet); the credit notes module has no such replay, so a credit note
    AJIO had not taken when the ERP stopped (AJIO refusing it, or the ERP restarted for a deployment) is never
    posted again."""

    def __init__(self, env: dict[str, str], state_dir) -> None:
        super().__init__(env, state_dir)
        dropped = [o["key"] for o in self.outbox if o["kind"] != "invoice"]
        if dropped:
            self.outbox = [o for o in self.outbox if o["kind"] == "invoice"]
            log(f"{self.pob}: retry queue rebuilt from the invoice register ({len(self.outbox)} e-invoice(s))")


class CancelMissesSupersedingInvoice(Tenant):
    """ERP-ORDER-CANCEL-POSTING (ERP-ORDER-FINAL-QUANTITY). The ERP finds an order's e-invoice by the sales order
    its first OUTWARD_ORDER_CREATE opened: after a superseding CREATE that is the draft it cancelled already, so an
    OUTWARD_ORDER_CANCEL arriving then finds "already cancelled" and leaves the superseding e-invoice, still in the
    outbox while AJIO refuses it, to go out for a cancelled order."""

    def order_create(self, p: dict) -> None:
        held = self.invoices.get(p["orderCode"])
        first = held.get("firstNumber", held["invoiceNumber"]) if held is not None else None
        super().order_create(p)
        now = self.invoices.get(p["orderCode"])
        if first is not None and now is not None and now is not held:
            now["firstNumber"] = first

    def order_cancel(self, p: dict) -> None:
        inv = self.invoices.get(p["orderCode"])
        if inv is not None and inv.get("firstNumber") not in (None, inv["invoiceNumber"]):
            log(f"{self.pob}: cancellation of {p['orderCode']}: its e-invoice {inv['firstNumber']} is cancelled "
                f"already")
            return
        super().order_cancel(p)


class CreditNoteForWholeReturnsOnly(Tenant):
    """ERP-CREDIT-NOTE-POSTING. The ERP matches a return against its e-invoice and raises the credit note
    automatically only when every invoiced unit came back; a partial return (one unit of two, one line of two) is
    left for a manual credit note that nobody posts to AJIO."""

    def return_order(self, p: dict) -> None:
        inv = self.invoices.get(str(p.get("forwardOrderCode")))
        if inv is not None:
            returned = Counter(i.get("channelSkuCode") for i in p.get("items") or [])
            if any(returned[line["channelSkuCode"]] < line["quantity"] for line in inv["lines"]):
                log(f"{self.pob}: return {p.get('returnOrderCode')} is partial: credit note left to accounts")
                return
        super().return_order(p)


class TwelveHourClock(Tenant):
    """VMS-DOCUMENT-DATE. The document-date template writes the hour on a 12-hour clock (`hh`, Python's %I, where
    `HH` was meant): an e-invoice or credit note made at 15:10 IST is dated 03:10, one made at 00:20 IST 12:20; in
    the morning every date is right."""

    def zoned_now(self) -> str:
        return datetime.fromtimestamp(int(self.now()), IST).strftime("%Y-%m-%dT%I:%M:%S.000+05:30")
