"""The thirty-first blind VMS hunt, ERP side: three bugs of a seller's ERP behind the VMS layer, designed from the
rulebook and the reference alone (before reading a scenario). Each is a small subclass of the reference's Tenant;
the rule it breaks is named in buggy_erp.py's BUGS.
"""
from __future__ import annotations

from datetime import datetime

from erp import IST, Tenant, log


class ZeroQuantityMeansOrdered(Tenant):
    """Reads each line's quantity as `item.get("quantity") or item["orderedQuantity"]`: the team's mapping layer
    fills a missing field from its fallback, and Python's `or` takes a 0 for missing. A line the customer cancelled
    whole before the posting (quantity 0 of 2 ordered) is e-invoiced at its ordered quantity: an invoice above the
    order's final quantity, which AJIO refuses for ever (ERP-INVOICE-FINAL-QUANTITY: exactly the posting's
    `quantity`)."""

    def order_create(self, p: dict) -> None:
        items = [{**i, "quantity": i.get("quantity") or i.get("orderedQuantity") or 0} for i in p["orderItems"]]
        super().order_create({**p, "orderItems": items})


class InvoiceNumberFromClock(Tenant):
    """Numbers its documents by the moment they are made, `EI` / `CN` and the IST date-time to the second
    (EI261207143005: 14 characters, sortable, and "no counter to lose in a crash"). Two documents of one kind made in
    the same second (two orders whose postings arrive together, an ERP catching up after an outage) get one number:
    the second is refused 409 for ever (GST-INVOICE-NUMBER-UNIQUE)."""

    def number(self, prefix: str) -> str:
        return f"{prefix}{datetime.fromtimestamp(int(self.now()), IST):%y%m%d%H%M%S}"


class RsiRoundCommitsWhole(Tenant):
    """RSI rounds are one transaction: each piece's RSI are booked as they come (booking is idempotent), but the
    cursor moves to the round's end only when every piece of the round was fetched. A catch-up of several pieces whose
    later piece fails (the list down for a while, a throttled fetch) reads its earlier pieces again at every round,
    as long as the failure lasts (VMS-ERP-RSI-FETCH: the cursor moves past a range once it is booked, old ranges are
    not re-read for ever)."""

    def rsi_round(self, start: int, upto: int) -> None:
        for piece_from, piece_to in self.rsi_pieces(start, upto):
            found = self.fetch_rsi(piece_from, piece_to)
            if found is None:
                log(f"{self.pob}: RSI round not complete: the whole round again next time")
                return
            with self.lock:
                self.book_rsi(found)
                self.save()
        with self.lock:
            self.rsi_cursor = upto
            self.save()
