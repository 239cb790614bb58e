"""The twenty-seventh blind VMS hunt: seller-ERP bugs (registered in buggy_erp.py as erp_h27_*).

Each is a small subclass of the reference ERP's Tenant overriding the one method the bug lives in.
"""
from __future__ import annotations

from datetime import datetime

from erp import IST, Tenant


class CreditNoteDatedMidnight(Tenant):
    """VMS-DOCUMENT-DATE. The ERP's credit note has a date field, not a moment: its ackDate goes out as the day's
    IST midnight (00:00:00+05:30), hours before the return it credits was processed."""

    def return_order(self, p: dict) -> None:
        self.zoned_now = lambda: datetime.fromtimestamp(int(self.now()), IST).replace(
            hour=0, minute=0, second=0).isoformat(timespec="milliseconds")
        try:
            super().return_order(p)
        finally:
            del self.zoned_now


class RsiCursorAtLastRsi(Tenant):
    """VMS-ERP-RSI-FETCH. The RSI cursor is a high-water mark of the data: the createdAt of the latest RSI booked
    (none before the first), not the end of the range read. While no new RSI comes, every round reads again
    everything since the last RSI (or since its first look-back), for ever, clock standing or not."""

    def rsi_round(self, start: int, upto: int) -> None:
        super().rsi_round(start, upto)
        with self.lock:
            dates = [datetime.fromisoformat(r["createdAt"]).timestamp() for r in self.rsi.values() if r.get("createdAt")]
            self.rsi_cursor = int(max(dates)) if dates else None
            self.save()


class RsiPieceFromCursor(Tenant):
    """VMS-RSI-RANGE-2-DAYS. The round's 2-day pieces are cut from the cursor, and the hour of overlap is then put in
    front of the first one: after a gap of more than 47 hours (the ERP or AJIO's RSI list down over a weekend, a
    clock moved days) the first piece spans more than 2 days, AJIO refuses it, and the cursor never moves again."""

    def rsi_pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        if self.rsi_cursor is None:
            return Tenant.rsi_pieces(start, end)
        pieces = Tenant.rsi_pieces(self.rsi_cursor, end)
        if pieces:
            pieces[0] = (start, pieces[0][1])
        return pieces
