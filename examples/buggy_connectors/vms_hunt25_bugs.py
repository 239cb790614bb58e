"""Blind bug hunt 25, VMS layer: three bugs a real integrator's VMS layer ships (registered in buggy.py as vms_h25_*).

Each is a small subclass of the reference VMS layer; the diff against the reference is the bug.
"""
from __future__ import annotations

from ajio_client import AjioError
from connector import log
from vms_connector import VmsConnector


class RsiFailedAcceptSkipped(VmsConnector):
    """VMS-RSI-MODEL. "One bad document must not block the rest": an RSI whose acceptance fails (a 5xx past the
    retries, a 429 whose Retry-After outlasts the sync) is logged and skipped, and the range's cursor moves on as
    if the range were done. The RSI is never read again once it is more than the overlap behind the cursor, so it
    is never ACCEPTED."""

    def accept_document(self, doc: dict) -> bool:
        try:
            return super().accept_document(doc)
        except AjioError as exc:
            self.errors += 1
            log(f"RSI {doc['rsiNumber']}: acceptance failed ({exc}), skipped")
            return False


class InvoiceAnswerUnread(VmsConnector):
    """VMS-INVOICE-FINAL-QUANTITY (model 2). The RMS invoice's answer (what AJIO invoiced; the rest it cancelled) is
    not read back: the layer keeps its own lines as they were before the invoice, so packing in the same sync still
    counts the units AJIO cancelled and cancels them again (a second cancellation of units already gone, which
    takes an invoiced unit from the order)."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        before = [dict(line) for line in mine["lines"]]
        super().invoice_order(order_id, mine)
        if mine["stage"] == "invoiced":
            mine["lines"] = before


class RtoRerequestedWhenOverdue(VmsConnector):
    """VMS-RTO-REQUEST. "AJIO answers an RTO request within the hour": a request whose expectation has not shown up
    an hour later is taken as lost and sent again (AJIO's expectation comes some time later, 2 h in the simulator),
    so the same parcel is asked for twice."""

    RTO_WAIT_S = 3600

    def request_rto(self, order_id: str) -> None:
        super().request_rto(order_id)
        self.meta.setdefault("rto_requested_at", {})[order_id] = self.clock

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        expected = super().orders_with_expectation(listed)
        asked_at = self.meta.get("rto_requested_at", {})
        requested = self.meta.setdefault("rto_requested", [])
        for order_id in list(requested):
            if order_id not in expected and self.clock - asked_at.get(order_id, self.clock) >= self.RTO_WAIT_S:
                requested.remove(order_id)  # overdue: asked again below
                log(f"RTO expectation of {order_id} overdue: asking again")
        return expected
