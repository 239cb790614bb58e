"""Bugs of the thirteenth blind VMS hunt, all on a value AJIO's lists carry that the integrator did not know at
go-live (the unknown_value fault), where the catalogue had not varied it: each class is the reference VMS connector
with ONE planted mistake. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_run_vms.py)."""
from __future__ import annotations

from connector import log
from rewriting import PagesRewritten
from vms_connector import VmsConnector

ORDER_STATUSES = ("CREATED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED",
                  "CANCELLED")
RETURN_STATUSES = ("RETURN_INITIATED", "RETURN_CREATED", "RETURN_DELIVERED", "RETURN_PROCESSED", "RETURN_CANCELLED")
RETURN_TYPES = ("CUSTOMER_RETURN", "RTO")


class UnknownReturnStatusClosed(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: a return expectation in a return_status the layer does not know is closed on its side
    ("AJIO moved it out of the flow we know: nothing for the warehouse to do"): when AJIO lists RETURN_DELIVERED
    again, the return is done here and its parcel is never QC'd (nor credited)."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns" and item.get("return_status") not in RETURN_STATUSES:
            mine = self.state.returns.setdefault(item["return_order_id"], {
                "order_id": item["order_id"], "date": item["return_date"], "stage": "expected"})
            mine["stage"] = "done"   # the bug: unknown is taken for closed
            log(f"return {item['return_order_id']} in unknown status {item.get('return_status')}: closed")
        return item


class UnknownReturnStatusCrashes(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: the returns read maps each return_status through a table of the statuses it knows; a new
    one raises (KeyError): the returns phase stops there and the sync with it, so the other returns of the list
    are not QC'd, no RTO request goes out and RSI are not fetched until AJIO stops sending the value."""

    STAGE_OF = {s: s for s in RETURN_STATUSES}

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns":
            self.STAGE_OF[item["return_status"]]   # the bug: KeyError on a value AJIO added
        return item


class UnknownReturnTypeNotExpected(PagesRewritten, VmsConnector):
    """VMS-RTO-REQUEST: a return expectation counts as an expectation of a parcel only when its return_type is one
    the layer knows (CUSTOMER_RETURN, RTO): an expectation AJIO lists with a new return type is skipped, so a
    parcel the warehouse logs for that order gets an RTO generation request although AJIO already expects it."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns" and item.get("return_type") not in RETURN_TYPES:
            self.odd_types = getattr(self, "odd_types", set()) | {item["order_id"]}
        return item

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        odd = getattr(self, "odd_types", set())
        self.odd_types = set()
        return (listed - odd) | self.expectations_held()   # the bug: only known types are expectations

    def expectations_held(self) -> set[str]:
        return {r["order_id"] for r in self.state.returns.values() if r.get("return_type") in RETURN_TYPES}


class UnknownStatusInWorkDropped(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: an order already in work (acknowledged, invoiced, packed) that AJIO lists in a status the
    layer does not know is dropped from work ("AJIO took it out of the flow: do not pack or hand over"): its stage
    becomes cancelled on the layer's side, no call made, and when AJIO lists the known status again the order is
    never packed or handed over. A new order with an unknown status waits, as it should."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders" and item["status"] not in ORDER_STATUSES:
            mine = self.state.orders.get(item["order_id"])
            if mine is not None and mine["stage"] not in ("new", "cancelled", "manifested"):
                mine["stage"] = "cancelled"   # the bug: unknown taken for "no longer ours"
                log(f"{item['order_id']} in unknown status {item['status']}: dropped")
        return item
