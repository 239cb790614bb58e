"""The twenty-fourth blind VMS hunt: three bugs of a seller's ERP, each the reference Tenant with one method changed
(registered in buggy_erp.py as erp_h24_*). Designed from the rulebook before reading the catalogue."""
from __future__ import annotations

from datetime import datetime, timedelta

from erp import IST, Refused, Tenant

DAY_CLOSE_HOUR = 23  # IST: the books of the day are closed at 23:00


class RefusesZeroQuantityItem(Tenant):
    """ERP-ORDER-COMPLETE-POSTING: the ERP validates every item of a posting and refuses (400) one whose `quantity` is
    0 ("a line with nothing on it is a data error"). OUTWARD_ORDER_COMPLETE after a customer's late cancellation of a
    whole line (seed 004: the ERP raises its return order from it) carries that item with quantity 0 shipped: refused
    at every try, it never lands and the return order is never raised."""

    def receive(self, event: str, posting: dict) -> None:
        for item in posting.get("orderItems") or []:
            if not item.get("quantity"):
                raise Refused(f"{event} {posting.get('orderCode')}: item {item.get('channelSkuCode')} has quantity 0")
        super().receive(event, posting)


class DayCloseDatesNextDay(Tenant):
    """VMS-DOCUMENT-DATE: the ERP's books close at 23:00 IST; a document made after the day-close is dated the next
    business day (00:00 IST), up to an hour ahead of the posting that carries it."""

    def zoned_now(self) -> str:
        moment = datetime.fromtimestamp(int(self.now()), IST)
        if moment.hour >= DAY_CLOSE_HOUR:
            moment = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0)
        return moment.isoformat(timespec="milliseconds")


class OutboxSavedOnWorkOnly(Tenant):
    """ERP-RETRY-NON-200 (its other side: only what AJIO has not accepted is retried) / API-CHANGE-SENT-ONCE: the outbox
    is written to disk when work comes in (a posting received, an RSI booked), not after a send. An ERP restarted after
    AJIO accepted its e-invoice reads back an outbox that still holds it, and posts it again."""

    def flush(self) -> None:
        with self.lock:
            self.save = lambda: None  # the sends' outcome stays in memory until the next posting is saved
            try:
                super().flush()
            finally:
                del self.save
