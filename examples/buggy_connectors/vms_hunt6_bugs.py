"""Bugs of the sixth blind VMS bug hunt that the catalogue let through (or caught under another rule): each
class is the reference VMS connector with ONE planted mistake. buggy.py lists them by name; each fails the
scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from vms_connector import VmsConnector


class CancelsFirstShortLineOnly(VmsConnector):
    """VMS-ACK-SOFT-RESERVED: the shortfall scan stops at the first short line (an early return in the loop): an
    order short on two SKUs has only the first shortfall cancelled, and units the warehouse lacks acknowledged."""

    def shortfall(self, mine: dict, reserved: dict[str, int] | None = None) -> list[dict]:
        return super().shortfall(mine, reserved)[:1]


class ReservesFailedAck(VmsConnector):
    """VMS-ACK-SOFT-RESERVED: an order's units are reserved before its acknowledgement is sent and kept when the
    call fails: a later order of the SKU in the same sync is cancelled short for units that are free."""

    def acknowledge(self, order_id: str, mine: dict) -> None:
        try:
            super().acknowledge(order_id, mine)
        except Exception:
            self.reserve(mine)
            raise


class MarksAckedBeforeCall(VmsConnector):
    """API-RETRY-TRANSIENT: the order is recorded acknowledged before the call: an acknowledgement that failed in
    transit is never sent again, and the order waits for a PO that never comes."""

    def acknowledge(self, order_id: str, mine: dict) -> None:
        mine.update(stage="acknowledged", acknowledged_at=self.clock)
        super().acknowledge(order_id, mine)


class RtoRequestForgetsEarlierExpectations(VmsConnector):
    """VMS-RTO-REQUEST: only this sync's returns fetch counts as expected: once an RTO's return is done and out of
    the fetch window, a parcel the warehouse still lists gets an RTO generation request AJIO refuses."""

    def expectations_held(self) -> set[str]:
        return set()


class CancelSeenOnlyBeforeAck(VmsConnector):
    """VMS-LATE-CUSTOMER-CANCEL: a customer's cancellation is looked for only on orders not yet acknowledged (seed
    002's "AJIO will stop customer cancellations"): with late cancellations on, a cancelled order is still
    invoiced, packed and put on a manifest."""

    def fetch_orders(self) -> None:
        past_ack = {order_id: mine["stage"] for order_id, mine in self.state.orders.items() if mine["stage"] != "new"}
        super().fetch_orders()
        for order_id, stage in past_ack.items():
            if self.state.orders[order_id]["stage"] == "cancelled":
                self.state.orders[order_id]["stage"] = stage


class ManifestsWithLabelOwed(VmsConnector):
    """VMS-PACK-DOCUMENTS: every packed order goes on the manifest, one whose B2C invoice or label download failed
    (still owed) too: the parcel is handed over before its label is printed."""

    def ready_for_handover(self, order_id: str) -> bool:
        return True


class ReturnsWindowMovesOnFailure(VmsConnector):
    """VMS-QC-PASS-FAIL: the returns fetch window moves on even when the read failed ("that window was tried"): a
    return raised while AJIO's returns list was down is never read, never checked."""

    def sync_returns(self) -> None:
        try:
            super().sync_returns()
        except Exception:
            self.meta["returns_to"] = self.clock
            raise
