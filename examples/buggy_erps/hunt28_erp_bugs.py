"""The twenty-eighth blind VMS hunt, ERP side: three bugs of the seller's ERP (registered in buggy_erp.py as erp_h28_*).

Each is a small subclass of the reference ERP's Tenant overriding the one method the bug lives in."""
from __future__ import annotations

from datetime import datetime, timezone

from erp import IST, Tenant, log


class DedupByHighWaterMark(Tenant):
    """ERP-ORDER-CREATE-POSTING: postings are deduplicated by a high-water mark (the greatest messageId processed, as a
    queue consumer keeps its offset) instead of the set of messageIds seen: a posting whose messageId is lower than
    one already processed is taken for a repeat, answered 200 and dropped. AJIO keeps the order of postings per order
    only: an older posting retried (or a dead letter redelivered) after a newer posting of another order went through
    is never processed, and that order is never e-invoiced."""

    def receive(self, event: str, posting: dict) -> None:
        key = posting.get("messageId")
        with self.lock:
            done = [m for m in self.seen if isinstance(m, int)]
            if isinstance(key, int) and done and key < max(done):
                log(f"{self.pob}: {event} messageId {key} is below the high-water mark {max(done)}: taken as processed")
                return
        super().receive(event, posting)


class RsiWaitsForFirstPosting(Tenant):
    """VMS-ERP-RSI-FETCH: the RSI job starts only once the channel is "live", i.e. once the ERP has received its first
    posting: a seller whose RSI come before any posting (model 2, returns not processed yet) fetches none, and the
    first round after the first posting looks back only 2 days from then."""

    def pull_rsi(self) -> None:
        if not self.seen:
            return
        super().pull_rsi()


class DailySeriesUtcDate(Tenant):
    """GST-INVOICE-NUMBER-UNIQUE / GST-CREDIT-NOTE-NUMBER-UNIQUE: a daily series, restarted at IST midnight, whose
    number carries the date as UTC: a document made between 00:00 and 05:30 IST gets yesterday's (UTC) date and
    counter 1 again, the number of yesterday's first document."""

    def number(self, prefix: str) -> str:
        now = self.now()
        key = f"{prefix}{datetime.fromtimestamp(int(now), IST):%Y%m%d}"
        self.series[key] = self.series.get(key, 0) + 1
        return f"{prefix}{datetime.fromtimestamp(int(now), timezone.utc):%y%m%d}-{self.series[key]:04d}"
