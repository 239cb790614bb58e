"""The thirtieth blind VMS hunt, ERP side: three bugs of a seller's ERP behind the VMS layer, designed from the
rulebook and the reference alone (before reading a scenario). Each is a small subclass of the reference's Tenant;
the rule it breaks is named in buggy_erp.py's BUGS.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from erp import IST, Tenant, log


class FyStartsInMarch(Tenant):
    """Restarts its document series each financial year, as GST allows (a number is unique per year), but the year
    starts on 1 March: `month >= 3`, ported from a JavaScript `getMonth() >= 3` where 3 is April. Invoices and
    credit notes of March reuse the numbers of the same year's April to February (GST-INVOICE-NUMBER-UNIQUE,
    GST-CREDIT-NOTE-NUMBER-UNIQUE). The IRN carries the year, as a series restarted per year needs."""

    def fy(self) -> int:
        day = datetime.fromtimestamp(int(self.now()), IST)
        return day.year if day.month >= 3 else day.year - 1

    def number(self, prefix: str) -> str:
        key = f"{prefix}{self.fy()}"
        self.series[key] = self.series.get(key, 0) + 1
        return f"{prefix}{self.pob[-6:]}-{self.series[key]:05d}"

    def irn(self, number: str) -> str:
        return hashlib.sha256(f"{self.pob}/{self.fy()}/{number}".encode()).hexdigest()


class NoCreditNoteForCod(Tenant):
    """Posts no credit note for the return of a cash-on-delivery order: the team took the credit note for the
    customer's refund, and a COD customer paid the courier, so "nothing to refund". The credit note is the seller's
    GST document to AJIO whatever the customer paid with (ERP-CREDIT-NOTE-POSTING)."""

    def return_order(self, p: dict) -> None:
        if str(p.get("paymentMethod") or "").upper() == "COD":
            log(f"{self.pob}: return {p.get('returnOrderCode')} of a COD order: no refund, no credit note")
            return
        super().return_order(p)


class RepostsBooksOnStart(Tenant):
    """Reconciles at every start: each e-invoice and credit note of its books that AJIO accepted is posted again
    ("AJIO answers a repeat with the first result, so it is harmless and makes sure AJIO has it"). Every restart
    sends AJIO again what it answered with success (API-CHANGE-SENT-ONCE)."""

    def __init__(self, env: dict[str, str], state_dir) -> None:
        super().__init__(env, state_dir)
        queued = {(o["kind"], o["key"]) for o in self.outbox}
        for kind, books in (("invoice", self.invoices), ("credit_note", self.credit_notes)):
            for key, doc in books.items():
                if (doc.get("accepted") and doc.get("status", "ACTIVE") == "ACTIVE" and doc.get("body")
                        and (kind, key) not in queued):
                    self.outbox.append({"kind": kind, "key": key, "body": doc["body"], "attempts": 0, "due": 0.0})
                    log(f"{self.pob}: {kind} {key} posted again at start (reconciliation)")

    def enqueue(self, kind: str, key: str, body: dict) -> None:
        books = self.invoices if kind == "invoice" else self.credit_notes
        if key in books:
            books[key]["body"] = body  # kept with the books, for the reconciliation at start
        super().enqueue(kind, key, body)
