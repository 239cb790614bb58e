"""Bugs of the twelfth round for the VMS layer: each class is the reference VMS connector with ONE planted mistake.
buggy.py lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from rewriting import PagesRewritten
from vms_connector import VmsConnector

KNOWN = ("CREATED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED",
         "RTO")


class UnknownStatusCrashesSync(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: an order status missing from its table of AJIO's statuses raises: the orders read stops at
    it, and no order of the sync is worked further."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders" and item["status"] not in KNOWN:
            raise KeyError(f"order status {item['status']}")   # the bug
        return item


class UnknownStatusCancelled(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: an order in a status it does not know is cancelled at AJIO ("anything odd: do not ship"):
    a seller cancellation of an order AJIO had nothing against, and the order is lost."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders" and item["status"] not in KNOWN:
            self.client.post(f"/orders/{item['order_id']}/cancel", {})
            return {**item, "status": "CANCELLED"}   # the bug
        return item
