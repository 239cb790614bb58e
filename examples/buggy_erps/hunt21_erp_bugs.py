"""The twenty-first blind VMS hunt: three bugs of the seller's ERP (seeds 002, 004), each the reference ERP's Tenant
with one method changed, as an in-house ERP team writes it.

- RepeatRefused (ERP-POSTING-ONCE): a posting whose messageId was processed already is refused (400 "duplicate
  messageId"), the HTTP habit for a replayed idempotency key; nothing is processed twice, but the integration
  layer never gets its 200 for the repeat.
- InvoiceSeriesFyOfOrder (GST-INVOICE-NUMBER-UNIQUE): e-invoice numbers restart each financial year (lawful), but the
  year is the B2B order's (`orderTime` of the posting), not the e-invoice's own date: an order placed on 31 March and
  e-invoiced on 1 April takes a number of the old year's series, which the new year's series hands out again.
- OutboxExpiresAfterADay (ERP-RETRY-NON-200): the outbox gives up on a posting still refused a simulated day after
  it was made (a message TTL, as integration queues have), however long AJIO's outage lasts.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from erp import IST, ClockUnavailable, Refused, Tenant, log

DAY = 86400


class RepeatRefused(Tenant):
    """A repeated messageId is answered 400 instead of 200 (it is still processed once)."""

    def receive(self, event: str, posting: dict) -> None:
        key = posting.get("messageId")
        with self.lock:
            if key is not None and key in self.seen:
                log(f"{self.pob}: {event} messageId {key} again: refused as a duplicate")
                raise Refused(f"duplicate messageId {key}: already processed")
        super().receive(event, posting)


def financial_year(epoch: float) -> int:
    """The Indian financial year (April to March, IST) an instant falls in, by its starting calendar year."""
    at = datetime.fromtimestamp(int(epoch), IST)
    return at.year if at.month >= 4 else at.year - 1


class InvoiceSeriesFyOfOrder(Tenant):
    """E-invoice numbers in one series per financial year (restarting at 00001 each 1 April, the IRN made with the
    year), the year taken from the order's time in the posting instead of the e-invoice's date."""

    def order_create(self, p: dict) -> None:
        self.moment.order_time = p.get("orderTime")
        try:
            super().order_create(p)
        finally:
            self.moment.order_time = None

    def number_year(self) -> int:
        order_time = getattr(self.moment, "order_time", None)
        if order_time:  # the bug: the order's year, not the document's
            return financial_year(datetime.fromisoformat(order_time).timestamp())
        return financial_year(self.now())

    def number(self, prefix: str) -> str:
        if prefix != "EI":
            return super().number(prefix)
        year = self.number_year()
        key = f"EI/{year}"
        self.series[key] = self.series.get(key, 0) + 1
        self.moment.number_year = year
        return f"EI{self.pob[-6:]}-{self.series[key]:05d}"

    def irn(self, number: str) -> str:
        year = getattr(self.moment, "number_year", None)
        if number.startswith("EI") and year is not None:
            return hashlib.sha256(f"{self.pob}/{year}/{number}".encode()).hexdigest()
        return super().irn(number)


class OutboxExpiresAfterADay(Tenant):
    """Each posting remembers the simulated moment it was made; one still not taken a simulated day later is parked
    for good (the reference retries until AJIO takes it)."""

    def enqueue(self, kind: str, key: str, body: dict) -> None:
        super().enqueue(kind, key, body)
        try:
            self.outbox[-1]["made"] = self.now()
        except ClockUnavailable:
            pass

    def due(self) -> list[dict]:
        due = super().due()
        if not due:
            return due
        try:
            now = self.read_clock()
        except ClockUnavailable:
            return due
        for item in due:
            if not item.get("parked") and now - item.get("made", now) > DAY:
                item["parked"] = True  # the bug: a day-old posting is given up
                log(f"{self.pob}: {item['kind']} {item['key']} expired after a day of refusals, parked")
        return [item for item in due if not item.get("parked")]
