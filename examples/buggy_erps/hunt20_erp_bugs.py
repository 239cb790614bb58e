"""The twentieth blind VMS hunt: three bugs of a seller's ERP, each a small subclass of the reference Tenant.

Designed from the rulebook alone (contracts/rules), before reading the scenario catalogue:

- BackoffUncapped (ERP-RETRY-NON-200): the outbox's exponential backoff has no cap, so after an outage of a few
  more tries than usual a posting waits minutes, then hours, after AJIO is back: the posting is "retried" but the
  e-invoice does not reach AJIO. Revealed by an ordinary AJIO outage of a minute or so.
- InvoiceDateOnly (VMS-DOCUMENT-DATE): the ERP keeps a document's date without its time (a DATE column, as many
  Indian ERPs), rendered as midnight IST: an e-invoice or credit note is dated hours before the PO or the return's
  processing. Revealed by any document made after 01:00 IST.
- ResendsOnRepeat (ERP-POSTING-ONCE): a posting that comes again with a messageId already processed (its answer was
  lost) is taken as "AJIO did not get my document": the ERP's e-invoice (or credit note) is sent again, though AJIO
  took it: the too-much side of the dedupe.
"""
from __future__ import annotations

from datetime import datetime

from erp import IST, Tenant, log


class BackoffUncapped(Tenant):
    """The outbox's backoff doubles from BACKOFF_S without the reference's cap (BACKOFF_CAP_S)."""

    @staticmethod
    def patch(module) -> None:
        module.BACKOFF_CAP_S = float("inf")


class InvoiceDateOnly(Tenant):
    """Documents dated by their IST day alone: midnight, +05:30."""

    def zoned_now(self) -> str:
        day = datetime.fromtimestamp(int(self.now()), IST).date()
        return datetime(day.year, day.month, day.day, tzinfo=IST).isoformat(timespec="milliseconds")


class ResendsOnRepeat(Tenant):
    """A repeated posting re-sends the document the first one made, even when AJIO took it."""

    def enqueue(self, kind: str, key: str, body: dict) -> None:
        books = self.invoices if kind == "invoice" else self.credit_notes
        if key in books:
            books[key]["body"] = body
        super().enqueue(kind, key, body)

    def receive(self, event: str, posting: dict) -> None:
        with self.lock:
            if posting.get("messageId") is not None and posting.get("messageId") in self.seen:
                kind, key = (("invoice", posting.get("orderCode")) if event == "OUTWARD_ORDER_CREATE" else
                             ("credit_note", posting.get("returnOrderCode")) if event == "RETURN_ORDER" else
                             (None, None))
                books = self.invoices if kind == "invoice" else self.credit_notes
                doc = books.get(key) if kind else None
                queued = any(o["kind"] == kind and o["key"] == key for o in self.outbox)
                if doc and doc.get("body") and doc.get("status") != "CANCELLED" and not queued:
                    log(f"{self.pob}: {event} {posting['messageId']} again: sending {kind} {key} again")
                    super().enqueue(kind, key, doc["body"])
                    self.save()
        super().receive(event, posting)
