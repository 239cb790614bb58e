"""Bugs of the sixth and seventh blind VMS bug hunts that the catalogue let through (or caught under another rule): each
class is the reference VMS connector with ONE planted mistake. buggy.py lists them by name; each fails the
scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from ajio_client import AjioClient
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


# -- the seventh blind VMS hunt -------------------------------------------------------------------------------
class RsiStopsAtEmptyWindowClient(AjioClient):
    """Takes the first RSI range that brings nothing as "caught up": later ranges of the same sync are not read."""
    caught_up = False

    def get(self, path, **params):
        if path == "/rsi" and self.caught_up:
            return {"returnSalesInvoices": []}
        answer = super().get(path, **params)
        if path == "/rsi" and not answer.get("returnSalesInvoices"):
            self.caught_up = True
        return answer


class RsiStopsAtEmptyWindow(VmsConnector):
    """VMS-RSI-MODEL: catching up after days off, the RSI fetch stops at the first 2-day range with no RSI and
    records the whole span as read: an RSI issued in a later range is never fetched nor accepted."""
    client_class = RsiStopsAtEmptyWindowClient

    def accept_rsi(self) -> None:
        self.client.caught_up = False
        super().accept_rsi()


class CancelsShortAtFirstSight(VmsConnector):
    """VMS-ACK-SOFT-RESERVED: what the warehouse lacks is seller-cancelled as soon as a new order is fetched, inside
    the hold, against that moment's stock: units restocked during the hold are never offered."""

    def fetch_orders(self) -> None:
        super().fetch_orders()
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "new" or mine["status"] != "CREATED" or mine.get("short_checked"):
                continue
            mine["short_checked"] = True
            short = self.shortfall(mine)
            if short and self.remaining(mine, short) == 0:
                self.cancel(order_id, mine, None, "nothing in stock (at first sight)")
            elif short:
                self.cancel(order_id, mine, short, "short in stock (at first sight)")


class RsiModelNoRtoRequest(VmsConnector):
    """VMS-RTO-REQUEST: in the RSI return model no RTO generation request is made for a parcel that came back
    without AJIO's expectation ("the RSI will cover it")."""

    def sync_returns(self) -> None:
        if self.return_model != "rsi":
            return super().sync_returns()
        logged, self.warehouse.unexpected_rto = self.warehouse.unexpected_rto, []
        try:
            super().sync_returns()
        finally:
            self.warehouse.unexpected_rto = logged


class RsiModelSkipsQc(VmsConnector):
    """VMS-QC-PASS-FAIL: in the RSI return model the RSI is taken to replace the QC: a returned parcel is never
    QC'd, so the return is never processed."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if self.return_model == "rsi":
            mine["stage"] = "checked"
            return
        super().quality_check(ret, mine)
