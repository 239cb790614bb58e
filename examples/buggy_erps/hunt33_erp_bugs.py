"""The thirty-third blind VMS hunt, ERP side: three bugs of a seller's ERP behind the VMS layer, designed from the
rulebook and the reference alone (before reading a scenario). Each is a small subclass of the reference's Tenant;
the rule it breaks is named in buggy_erp.py's BUGS.
"""
from __future__ import annotations

import time

from erp import BACKOFF_CAP_S, RSI_MAX_RANGE_S, Tenant, log


class LinesKeyedBySku(Tenant):
    """The ERP's sales-order import keys an order's items by SKU (its item master is per SKU: "one line per article,
    the tax rate is the article's"). An OUTWARD_ORDER_CREATE with two lines of one SKU (two sizes mapped to one
    article code, or one SKU ordered twice as separate order items) keeps the last line only: the e-invoice carries
    fewer units than the posting's final quantity, and AJIO cancels the rest as not invoiced
    (ERP-INVOICE-FINAL-QUANTITY: the ERP e-invoices exactly the final quantity of the B2B order posting).

    Not registered: a VMS order names each SKU once (its lines are identified by channelSkuCode: cancellations and
    invoices name them so), and the simulator refuses an order naming one twice, so no posting can show it."""

    def order_create(self, p: dict) -> None:
        by_sku: dict[str, dict] = {}
        for item in p["orderItems"]:
            by_sku[item["channelSkuCode"]] = item
        super().order_create({**p, "orderItems": list(by_sku.values())})


class RsiPieceOneSecondOver(Tenant):
    """Seed 002 says rsiDateFrom and rsiDateTo "should not be more than 2 days apart"; the team read "2 days" as two
    whole days *inclusive of their last second* (their reports run 00:00:00 to 23:59:59, so they add the second that
    closes the range). A first round (2 days of look-back) is cut short by the clock and passes; a catch-up of more
    than 2 days (the ERP down for a weekend, the RSI list failing for days) sends pieces of 2 days and 1 second,
    which AJIO refuses, round after round, and no RSI after the gap is ever booked (VMS-RSI-RANGE-2-DAYS)."""

    @staticmethod
    def rsi_pieces(start: int, end: int) -> list[tuple[int, int]]:
        pieces = []
        while start < end:
            pieces.append((start, min(start + RSI_MAX_RANGE_S + 1, end)))
            start = pieces[-1][1]
        return pieces


class FlushCommitsWholeBatch(Tenant):
    """The outbox flush runs as one database transaction: every due posting is sent, and the outbox is committed
    only when all of them went through ("a half-sent batch must not be half-recorded"). When one posting of a flush
    fails (a 503, a refusal, a throttle), the transaction rolls back: the postings AJIO already answered 200 stay in
    the outbox and are sent again at the next flush, and again, for as long as one of their batch keeps failing
    (API-CHANGE-SENT-ONCE: a call AJIO answered with success is not sent again)."""

    def flush(self) -> None:
        with self.lock:
            due = self.due()
            taken, failed = [], False
            for item in due:
                if time.monotonic() < self.quiet_until:
                    break
                status, answer, retry_after = self.send(item)
                item["attempts"] += 1
                self.quiet_until = time.monotonic() + retry_after
                if status == 200:
                    taken.append(item)
                else:
                    failed = True
                    wait = max(min(BACKOFF_CAP_S, self.backoff * 2 ** (item["attempts"] - 1)), retry_after)
                    item["due"] = self.outbox_now() + wait
                    log(f"{self.pob}: {item['kind']} {item['key']} answered {status}, retry in {wait:.2f} s: "
                        f"{answer[:200]}")
            if failed:
                for item in taken:  # rolled back with the batch: sent again with the failed one
                    item["due"] = min(o["due"] for o in due)
                log(f"{self.pob}: flush rolled back ({len(taken)} posting(s) taken by AJIO kept in the outbox)")
            else:
                for item in taken:
                    self.outbox.remove(item)
                    books = self.invoices if item["kind"] == "invoice" else self.credit_notes
                    books.get(item["key"], {})["accepted"] = True
                    log(f"{self.pob}: {item['kind']} {item['key']} accepted by AJIO")
            if due:
                self.save()
