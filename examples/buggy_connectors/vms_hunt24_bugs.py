"""The twenty-fourth blind VMS hunt: three bugs of a seller's VMS integration layer, each the reference with one
method changed (registered in buggy.py as vms_h24_*). Designed from the rulebook before reading the catalogue."""
from __future__ import annotations

from datetime import datetime

from ajio_client import AjioError
from connector import log
from vms_connector import IST, VmsConnector

PO_PATIENCE_S = 2 * 3600  # "the PO comes within 30 minutes; after 2 hours something is wrong": the order is cancelled


class HoldUntilTimeOfDay(VmsConnector):
    """VMS-ACK-HOLD: the hold's end is kept as an IST time of day (a scheduler's "acknowledge at 01:00"), compared with
    the time of day now. An order placed after 20:00 IST has its hold end after midnight, so the same evening's
    sync finds "now" (21:30) past "01:00" and acknowledges at once, hours early; a morning order waits right."""

    def ack_due(self, mine: dict) -> bool:
        """The reference: self.clock - order_date >= ack_hold_s. Here: the time of day now past the hold's end as a
        time of day (or the order a day old)."""
        if self.clock - mine["order_date"] >= 86400:
            return True
        due = datetime.fromtimestamp(mine["order_date"] + self.ack_hold_s, IST).time()
        return datetime.fromtimestamp(self.clock, IST).time() >= due


class PoWaitGivesUp(VmsConnector):
    """VMS-PO-AFTER-ACK: the B2B PO "can be missing for a while", but this layer cancels an acknowledged order whose PO
    AJIO still has not issued 2 hours after the acknowledgement (an SLA timer: better a cancel than a late handover)."""

    def fetch_pos(self) -> None:
        super().fetch_pos()
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "acknowledged" or "po" in mine:
                continue
            since = mine.setdefault("acknowledged_at", self.clock)
            if self.clock - since >= PO_PATIENCE_S:
                try:
                    self.cancel(order_id, mine, None, f"no B2B PO {PO_PATIENCE_S // 3600} h after the acknowledgement")
                except AjioError as exc:
                    self.errors += 1
                    log(f"cancel {order_id}: {exc}")


class ShortLineCancelledWhole(VmsConnector):
    """VMS-ACK-SOFT-RESERVED: before the acknowledgement, a line the warehouse cannot supply in full is cancelled whole
    (line-level cancellation: 3 ordered, 2 in stock -> all 3 cancelled) instead of only the units it lacks."""

    def shortfall(self, mine: dict, reserved: dict[str, int] | None = None) -> list[dict]:
        short = super().shortfall(mine, reserved)
        if reserved is None:  # packing's use (not_picked) stays the reference's
            return short
        ordered = {l["channelSkuCode"]: l["quantity"] for l in mine["lines"]}
        return [{"channelSkuCode": s["channelSkuCode"], "quantity": ordered[s["channelSkuCode"]]} for s in short]
