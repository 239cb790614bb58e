"""Layer bugs of the sixteenth blind VMS hunt (designed from the seeds, the rules and the references before any
scenario was read): each is the reference VMS connector with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from vms_connector import ACK_HOLD_S, IST, RSI_RANGE_S, VmsConnector, zoned


def financial_year(epoch: int) -> str:
    """India's financial year (April-March, IST) as four digits: 2627 for FY 2026-27."""
    d = datetime.fromtimestamp(int(epoch), IST)
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


class RmsSeriesRestartsEachFy(VmsConnector):
    """GST-CREDIT-NOTE-NUMBER-UNIQUE (and GST-INVOICE-NUMBER-UNIQUE): model 2, RMS restarts its invoice and
    credit-note series every 1 April (IST, by the clock when the number is drawn; no year in the number, as GST
    allows). A number drawn before 1 April is kept for the document's retries (the reference's rule: a retry
    sends the same document), so a credit note (or invoice) whose call failed on 31 March goes out after
    midnight in the new financial year under the old year's number, and the new series then hands out that
    number again: AJIO refuses the second one (409), sync after sync."""

    def next_number(self, prefix: str) -> str:
        key = f"{prefix}:{financial_year(self.clock)}"
        self.meta[key] = self.meta.get(key, 0) + 1
        self.noted += 1
        return f"{prefix}{self.username[-6:]}-{self.meta[key]:05d}"


class HoldZeroIsDefault(VmsConnector):
    """VMS-ACK-HOLD: the seller's hold is read with `or` ("unset or empty: the seed's 4 hours"): a seller whose
    hold is 0 (no hold: acknowledge as soon as the order is seen) gets the default 4 h, and every order waits four
    hours for its acknowledgement, its PO, its invoice and its handover."""

    def __init__(self, env: dict[str, str], assume_stock: int | None = None) -> None:
        super().__init__(env, assume_stock)
        self.ack_hold_s = int(env.get("AJIO_VMS_ACK_HOLD_SECONDS") or 0) or ACK_HOLD_S


class ReturnsSinceIstMidnight(VmsConnector):
    """VMS-QC-PASS-FAIL: the return expectations are read "for today" (the warehouse's inward sheet is per day):
    from IST midnight of the sync's day, or from the oldest return still open in the layer's records if that is
    earlier. A return AJIO raised after the day's last sync and before midnight is read by no sync: the next
    day's window starts at midnight, and the layer does not hold it yet. Its parcel arrives, is never QC'd,
    the return is never processed."""

    def returns_from(self) -> int:
        midnight = datetime.fromtimestamp(self.clock, IST).replace(hour=0, minute=0, second=0, microsecond=0)
        return min([int(midnight.timestamp()),
                    *(r["date"] for r in self.state.returns.values() if r["stage"] != "done")])


class RsiReadsWholeIstDays(VmsConnector):
    """VMS-RSI-MODEL: the RSI model reads whole IST days, as the RSI report does: from where the last read stopped
    (less the hour's overlap) to the end of today (23:59:59 IST), in ranges of at most 2 days, and the cursor
    moves to the end of the last range read. A range that ends in the future moves the cursor past RSIs AJIO has
    not issued yet: one issued after this sync and before 23:00 IST the same day is below the next read's start
    (the cursor less an hour) and is never fetched nor accepted."""

    def accept_rsi(self) -> None:
        if self.return_model != "rsi":
            return
        start = self.rsi_start()
        day = datetime.fromtimestamp(self.clock, IST).replace(hour=0, minute=0, second=0, microsecond=0)
        day_end = int((day + timedelta(days=1)).timestamp()) - 1
        while start < day_end:
            end = min(start + RSI_RANGE_S, day_end)
            answer = self.client.get("/rsi", rsiDateFrom=zoned(start), rsiDateTo=zoned(end))
            self.accept_range(answer["returnSalesInvoices"], end)
            start = end
