"""The thirty-second blind VMS hunt, layer side: three bugs of a VMS integration layer, designed from the rulebook and
the reference alone (before reading a scenario). Each is a small subclass of the reference's VmsConnector; the
rule it breaks is named in buggy.py's BUGS.
"""
from __future__ import annotations

from connector import log
from vms_connector import VmsConnector

DAY = 86400


class RsiAcceptedPerLine(VmsConnector):
    """The team's inward module books an RSI line by line (one line per return it covers, Inward PO and GRN per
    return), and the call that marks the RSI ACCEPTED at AJIO sits inside that loop: an RSI with one line is accepted
    once, an RSI spanning three returns (or three SKUs of one return) is accepted three times. AJIO answers the
    repeats with the first answer, so nothing looked wrong in the logs (API-CHANGE-SENT-ONCE: a change AJIO answered
    with success is not sent again)."""

    def accept_document(self, doc: dict) -> bool:
        kept = self.meta.setdefault("rsi_pdfs", [])
        if doc["rsiNumber"] not in kept:
            if not self.kept(doc["rsiNumber"], doc["rsiPdfUrl"], "RSI"):
                self.rsi_held = True
                return False
            kept.append(doc["rsiNumber"])
        for line in doc.get("rsiLines") or [{}]:
            self.client.post(f"/rsi/{doc['rsiNumber']}/accept", {})
            log(f"RSI {doc['rsiNumber']} line {line.get('returnOrderCode')} accepted")
        return True


class HoldCappedAtADay(VmsConnector):
    """The acknowledgement hold is kept in the layer's delay queue, whose buckets are hours of one day: the team
    clamps the seller's hold to 24 hours ("nobody holds an order longer than a day; Increff's screen offered 0-24 h").
    A seller who set a longer hold (up to 7 days is allowed) has its orders acknowledged after 24 hours, while their
    customers still expect to be able to cancel (VMS-ACK-HOLD: the hold is the seller's definite time)."""

    def __init__(self, env: dict[str, str], assume_stock: int | None = None) -> None:
        super().__init__(env, assume_stock)
        self.ack_hold_s = min(self.ack_hold_s, DAY)


class ManifestFailureTakenAsCancel(VmsConnector):
    """An order AJIO fails on a manifest (an entry of `failed` in the 200 answer) is taken for an order its customer
    cancelled at the last minute: that was the only failure the team had seen (a late customer cancellation between
    the last read and the handover), so the order is marked cancelled and never offered again. An order AJIO fails
    for a passing reason ("could not be manifested now: send it again") is dropped: it is packed at AJIO and never
    handed over (API-PER-LINE-FAILURES: a connector acts on each failed line; VMS-MANIFEST-AT-HANDOVER)."""

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        super().manifest_answered(chunk, answer)
        for order_id in {f["orderId"] for f in answer.get("failed", [])} & set(chunk):
            self.state.orders[order_id]["stage"] = "cancelled"
            log(f"{order_id} failed on the manifest: cancelled by its customer, not handed over")
