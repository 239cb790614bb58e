"""Bugs of the thirteenth blind Dropship/JIT hunt, all on a value AJIO's lists carry that the integrator did not know
at go-live (the unknown_value fault), where the catalogue had not varied it: each class is the reference with ONE
planted mistake. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from connector import Connector, log
from jit_connector import JitConnector
from rewriting import PagesRewritten

DS_ORDER_STATUSES = ("CREATED", "CONFIRMED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED")
DS_RETURN_STATUSES = ("RETURN_INITIATED", "RETURN_CREATED", "RETURN_DELIVERED", "RETURN_PROCESSED", "RETURN_CANCELLED")
JIT_PO_STAGES = {"CREATED": None, "INVOICED": None, "PACKED": None, "READY_TO_DISPATCH": None,
                 "DISPATCHED": "shipped", "DELIVERED": "delivered", "CANCELLED": "cancelled"}


class DsHeldUnknownStatusCancelled(Connector):
    """API-UNKNOWN-VALUE: a held order stays in work only in the statuses known at go-live; any other is read as
    "AJIO closed it" and the order is dropped: once AJIO says CONFIRMED again it is never invoiced or shipped."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for order_id in self.held_orders():
            mine = self.state.orders[order_id]
            if mine.get("status") and mine["status"] not in DS_ORDER_STATUSES:   # the bug
                mine["stage"] = "cancelled"
                log(f"{order_id}: status {mine['status']} not active: taken as closed by AJIO")


class DsReturnUnknownStatusArrived(PagesRewritten, Connector):
    """API-UNKNOWN-VALUE: a return's status is "on its way" only for RETURN_INITIATED and RETURN_CREATED; any other
    open one is taken as "the parcel is here": a return AJIO lists in a stage it added is put away (QC) before its
    parcel arrived."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns" and item["return_status"] not in DS_RETURN_STATUSES:
            return {**item, "return_status": "RETURN_DELIVERED"}   # the bug
        return item


class DsReturnUnknownStatusClosed(PagesRewritten, Connector):
    """API-UNKNOWN-VALUE: a return in a status it does not know is taken as withdrawn and closed; a closed return is
    never looked at again, so its parcel is never put away once AJIO lists it RETURN_DELIVERED."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns" and item["return_status"] not in DS_RETURN_STATUSES:
            return {**item, "return_status": "RETURN_CANCELLED"}   # the bug
        return item


class JitUnknownPoStatusCrashesSync(PagesRewritten, JitConnector):
    """JIT-BACKORDER-PULL (an unknown value; API-UNKNOWN-VALUE names Dropship and VMS): held POs' statuses are mapped
    through a table of the pinned ones; a status AJIO added raises out of the status sync, and the phases after it
    (back orders, returns) are not run while AJIO sends it."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders":
            JIT_PO_STAGES[item["status"]]   # the bug: a KeyError for a status it does not know
        return item


class JitUnknownPoStatusFinal(JitConnector):
    """API-NO-UPDATED-SINCE: a held PO is followed only in the statuses it knows; any other is read as final and the
    PO is no longer re-read: its dispatch and delivery are never learnt."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for po_id, mine in self.state.orders.items():
            if mine["stage"] in self.HELD_STAGES and mine.get("status") and mine["status"] not in JIT_PO_STAGES:
                mine["stage"] = "cancelled"   # the bug
                log(f"PO {po_id}: status {mine['status']} unknown: taken as closed by AJIO")


class JitPendencyUnknownStatusDropped(JitConnector):
    """JIT-PO-PROCESSED: pendency is taken to list CREATED POs only; a PO listed in another status (one AJIO added)
    is recorded as closed and never started, also once AJIO lists it CREATED again."""

    def process_pendency(self) -> None:
        for po in list(self.client.pages("/orders/pendency", "orders")):
            if po.get("status", "CREATED") != "CREATED" and po["order_id"] not in self.state.orders:   # the bug
                self.state.orders[po["order_id"]] = {"stage": "cancelled"}
                log(f"PO {po['order_id']}: status {po['status']} in pendency: taken as closed")
        super().process_pendency()
