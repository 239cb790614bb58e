"""The twenty-seventh blind VMS hunt: VMS-layer bugs (registered in buggy.py as vms_h27_*).

Each is a small subclass of the reference VmsConnector overriding the one method (or hook) the bug lives in.
"""
from __future__ import annotations

from ajio_client import AjioError
from connector import log
from vms_connector import FIRST_LOOKBACK_S, OVERLAP_S, VmsConnector


class CheckedReturnsLeaveWindow(VmsConnector):
    """VMS-CREDIT-NOTE-MODEL. The returns read reaches back only for returns still awaiting their QC: a return whose
    QC AJIO took is taken as settled, though in model 2 (credit note via RMS) its credit note may still be owed
    because that call failed. Once the window has moved past the return's date it is never listed again, and its
    credit note is never posted."""

    def returns_from(self) -> int:
        start = self.meta.get("returns_to", self.clock - FIRST_LOOKBACK_S) - OVERLAP_S
        return min([start, *(r["date"] for r in self.state.returns.values() if r["stage"] == "expected")])


class PoAskedDuringHold(VmsConnector):
    """VMS-PO-AFTER-ACK. To plan picking early, asks AJIO for the B2B PO of every order still in its acknowledgement
    hold (AJIO issues it only after the acknowledgement: each ask is refused), at every sync."""

    def fetch_pos(self) -> None:
        for order_id, mine in self.state.orders.items():
            if mine["stage"] == "new" and mine.get("status") == "CREATED":
                try:
                    self.client.get(f"/orders/{order_id}/po")
                except AjioError as exc:
                    log(f"early PO of {order_id}: {exc}")
        super().fetch_pos()


class IrnKeptPerOrder(VmsConnector):
    """EINVOICE-IRN-UNIQUE. RMS asks the IRP for an IRN once per order and keeps it with the order: the new invoice
    (new number) that follows a partial cancellation after the first invoice (AJIO cancelled that one, its IRN stays
    used) goes out with the first invoice's IRN."""

    invoicing: dict | None = None

    def invoice_order(self, order_id: str, mine: dict) -> None:
        self.invoicing = mine
        try:
            super().invoice_order(order_id, mine)
        finally:
            self.invoicing = None

    def einvoice(self, number: str) -> dict:
        e = super().einvoice(number)
        if self.invoicing is not None:
            irn = self.invoicing.setdefault("irn", e["irnNumber"])
            e["irnNumber"] = irn
        return e
