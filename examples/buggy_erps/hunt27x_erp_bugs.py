"""Blind hunt 27 (ERP side, helper x): ERPs, each the reference with one bug an ERP team could ship.

Designed before reading the catalogue; each class names the rule it breaks and the ordinary situation that
shows it. Registered in buggy_erp.py's BUGS under names starting with erp_h27x_.
"""
from __future__ import annotations

from erp import Refused, Tenant, log


class CancelClearsEveryPendingInvoice(Tenant):
    """OUTWARD_ORDER_CANCEL drops the pending e-invoice postings from the outbox by kind, not by order: the
    cancelled order's unsent e-invoice goes, and so does every other order's e-invoice still waiting for AJIO
    (an outage, a Retry-After). Those orders are never e-invoiced at AJIO (ERP-ORDER-CREATE-POSTING)."""

    def order_cancel(self, p: dict) -> None:
        super().order_cancel(p)
        if p["orderCode"] in self.invoices:
            self.outbox = [o for o in self.outbox if o["kind"] != "invoice"]


class ParksTriedPostingsOnStart(Tenant):
    """After a restart, an outbox posting that was already tried is parked for an operator ("its answer may
    have been lost in the crash: check before sending again") instead of being retried: an e-invoice or
    credit note AJIO was refusing when the ERP went down is never posted (ERP-RETRY-NON-200)."""

    def __init__(self, env: dict, state_dir) -> None:
        super().__init__(env, state_dir)
        for item in self.outbox:
            if item["attempts"] > 0:
                item["parked"] = True


class NumbersFromAccepted(Tenant):
    """A gapless series: the next document number is one more than the documents AJIO has accepted ("a number
    is used once the portal takes it"). Two e-invoices waiting for AJIO at once (an outage over two orders)
    get the same number: the second is refused 409 GST-INVOICE-NUMBER-UNIQUE for ever and its order is never
    e-invoiced (ERP-ORDER-CREATE-POSTING)."""

    def number(self, prefix: str) -> str:
        books = self.invoices if prefix == "EI" else self.credit_notes
        self.series[prefix] = sum(1 for b in books.values() if b.get("accepted")) + 1
        return f"{prefix}{self.pob[-6:]}-{self.series[prefix]:05d}"


class PartialFlagOnSupersede(Tenant):
    """An order whose OUTWARD_ORDER_CREATE was superseded (its quantities changed) is e-invoiced with
    isPartialInvoice true ("part of the order was cancelled"), though the invoice covers every open unit:
    AJIO refuses it for ever (VMS-INVOICE-PARTIAL-FLAG; the order is never e-invoiced)."""

    def order_create(self, p: dict) -> None:
        super().order_create(p)
        if p.get("supersedesMessageId"):
            for o in self.outbox:
                if o["kind"] == "invoice" and o["key"] == p["orderCode"]:
                    o["body"]["isPartialInvoice"] = True


class CreditNoteRetryLeftToAjio(Tenant):
    """No outbox for credit notes: the ERP posts the credit note while it handles the return order posting and,
    when AJIO does not take it at once, undoes it and answers the posting 400 ("post the return again"), leaving
    the retry to the integration layer's slow, capped redelivery of postings instead of retrying its own call
    (ERP-RETRY-NON-200: the ERP retries its credit-note posting until AJIO accepts it)."""

    def return_order(self, p: dict) -> None:
        ret, series = p["returnOrderCode"], dict(self.series)
        had = ret in self.credit_notes
        super().return_order(p)
        if had or ret not in self.credit_notes:
            return
        self.flush()
        if any(o["kind"] == "credit_note" and o["key"] == ret for o in self.outbox):
            self.outbox = [o for o in self.outbox if not (o["kind"] == "credit_note" and o["key"] == ret)]
            del self.credit_notes[ret]
            self.series = series
            self.save()
            log(f"{self.pob}: AJIO did not take the credit note of {ret}: the posting is refused")
            raise Refused(f"credit note for {ret} not accepted by AJIO: post the return again")
