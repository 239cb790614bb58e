"""Dropship return and credit-note bugs: each class is the reference connector with ONE bug planted."""
from __future__ import annotations

from ajio_client import AjioError
from connector import Connector, log


class NoReturnsSync(Connector):
    """Never reads AJIO's returns: returns are handled only when the warehouse reports a parcel."""

    def sync_returns(self) -> None:
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in self.state.rto_created:
                self.create_rto(order_id)


class RtoForEveryParcel(Connector):
    """Books every returned parcel through the 'return manifest' (an RTO of its own), also a customer return."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        self.create_rto(ret["order_id"])
        mine["stage"] = "put_away"


class QcOnSight(Connector):
    """Puts a return away as soon as AJIO lists it, whether or not its parcel has arrived."""

    def sync_returns(self) -> None:
        for ret in self.client.pages("/returns", "returns"):
            mine = self.state.returns.setdefault(ret["return_order_id"], {"order_id": ret["order_id"], "stage": "seen"})
            if mine["stage"] == "seen" and ret["return_status"] != "RETURN_PROCESSED":
                self.quality_check(ret, mine)
            elif ret["return_status"] == "RETURN_PROCESSED":
                mine["stage"] = "put_away"


class QcAlwaysGood(Connector):
    """Reports every returned unit as GOOD, whatever the warehouse found."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        self.warehouse.qc = {}
        super().quality_check(ret, mine)


class IgnoresUnexpectedRto(Connector):
    """Parcels that came back without an RTO expectation are left on the dock: no RTO created."""

    def create_rto(self, order_id: str) -> None:
        log(f"{order_id} came back without an expectation: waiting for AJIO")


class RtoEverySync(Connector):
    """Creates an RTO for every parcel the warehouse reports, at every sync, forgetting it did."""

    def sync_returns(self) -> None:
        super().sync_returns()
        for order_id in self.warehouse.unexpected_rto:
            if order_id in self.state.rto_created:
                self.state.rto_created.remove(order_id)
                self.create_rto(order_id)


class RtoWithoutChecking(Connector):
    """Creates an RTO for a parcel the warehouse reports without checking AJIO's returns first."""

    def sync_returns(self) -> None:
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in self.state.rto_created:
                self.create_rto(order_id)
        super().sync_returns()


class GivesUpOnCreditNote(Connector):
    """Asks for the credit note once; on "not yet" it marks the return done and never asks again."""

    def credit_note_not_yet(self, return_id: str, mine: dict, exc) -> None:
        mine["stage"] = "credit_note_failed"
        log(f"credit note of {return_id} unavailable: giving up")


class CreditNoteTightLoop(Connector):
    """On "not yet" it asks again at once, five times in a row, ignoring Retry-After."""

    def credit_note_not_yet(self, return_id: str, mine: dict, exc) -> None:
        for _ in range(5):
            try:
                self.client.get(f"/returns/{return_id}/creditNote")
                return
            except AjioError:
                continue
