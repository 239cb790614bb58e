"""Bugs of the eighth blind VMS hunt that the catalogue let through: each class is the reference VMS connector (or
its client) with ONE planted mistake. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_run_vms.py)."""
from __future__ import annotations

from ajio_client import AjioClient, AjioError
from connector import log
from vms_connector import VmsConnector


class PartialFlagByLineCount(VmsConnector):
    """VMS-INVOICE-PARTIAL-FLAG (model 2): isPartialInvoice is "a line of the order is left off the invoice": an
    invoice that keeps every line but fewer units of one (3 ordered, 2 pickable) says it is not partial."""

    def is_partial(self, mine: dict, lines: list[dict], short: dict) -> bool:
        return len(lines) < len([l for l in mine["lines"] if l["quantity"] > 0])


class QcSkipsMissing(VmsConnector):
    """VMS-QC-PASS-FAIL: a returned parcel the warehouse reports MISSING ("nothing in hand to check") gets no QC
    update at all: the return is closed on the layer's side to be settled offline, and AJIO never hears its QC."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if self.warehouse.qc_code(ret["order_id"]) == "MISSING":
            mine["stage"] = "checked"
            log(f"{ret['return_order_id']}: parcel missing, settled offline")
            return
        super().quality_check(ret, mine)


class RsiWindowMovesOnFailure(VmsConnector):
    """VMS-RSI-MODEL: the RSI cursor moves to now even when the RSI read or an acceptance failed ("that range was
    tried"): an RSI issued while AJIO's RSI calls were down is never fetched again, never accepted."""

    def accept_rsi(self) -> None:
        try:
            super().accept_rsi()
        except AjioError:
            if self.return_model == "rsi":
                self.meta["rsi_to"] = self.clock
            raise


class ReloginLoopClient(AjioClient):
    """Logs in again on every 401 of a call, up to ten times ("the token must be stale, get a fresh one")."""

    def _send(self, method, url, kwargs, *, auth=True, parse=True, headers=None):
        for _ in range(10):
            try:
                return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)
            except AjioError as exc:
                if exc.status != 401 or not auth:
                    raise
                self.login()
        return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)


class ReloginLoop(VmsConnector):
    """AUTH-LOGIN-SPARINGLY: a call AJIO keeps answering 401 is retried with a fresh login each time, up to ten
    logins per call (the reference logs in again once): a revoked key or an AJIO auth outage is met with a login
    storm on every call of every sync."""
    client_class = ReloginLoopClient


class AcksWhenShortCancelFails(VmsConnector):
    """VMS-ACK-SOFT-RESERVED: the seller's cancellation is "best effort": when the call that cancels what the
    warehouse lacks fails (AJIO down), the error is logged and the layer goes on as if it were done: the order is
    acknowledged in full, units the warehouse does not hold included."""

    def cancel(self, order_id: str, mine: dict, lines: list[dict] | None, why: str) -> None:
        try:
            super().cancel(order_id, mine, lines, why)
        except AjioError as exc:
            self.errors += 1
            log(f"cancel {order_id} failed, going on: {exc}")


class RtoRequestDespiteFailedRead(VmsConnector):
    """VMS-RTO-REQUEST: the RTO generation requests run even when the return-expectation read failed (a `finally`):
    a parcel whose RTO expectation AJIO raised since the last good read is taken as unexpected and AJIO is asked to
    generate an RTO it already has."""

    def sync_returns(self) -> None:
        try:
            super().sync_returns()
        except AjioError:
            requested = self.meta.setdefault("rto_requested", [])
            expected = self.expectations_held()
            for order_id in self.warehouse.unexpected_rto:
                if order_id not in expected and order_id not in requested:
                    self.client.post("/returns/rto", {"order_id": order_id})
                    requested.append(order_id)
                    log(f"RTO generation request for {order_id} (returns list unread)")
            raise


class MissesInvoiceCancelledByAjio(VmsConnector):
    """VMS-INVOICE-IMMUTABLE (model 2): an order the layer invoiced stays "invoiced" in its records whatever AJIO's
    status says: after a customer's late partial cancellation AJIO cancels the RMS invoice and the order goes back
    to ACKNOWLEDGED, but the layer asks for its packing documents (409) at every sync and never invoices the rest.
    (The reference connector had this until the eighth VMS hunt found it.)"""

    def fetch_orders(self) -> None:
        invoiced = {oid for oid, mine in self.state.orders.items() if mine["stage"] == "invoiced"}
        super().fetch_orders()
        for oid in invoiced:
            mine = self.state.orders[oid]
            if mine["stage"] == "po" and mine["status"] == "ACKNOWLEDGED":
                mine["stage"] = "invoiced"
