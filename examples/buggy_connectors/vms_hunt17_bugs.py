"""Layer bugs of the seventeenth blind VMS hunt (designed from the seeds, the rules and the references before any
scenario was read): each is the reference VMS connector with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

from vms_connector import VmsConnector

# The warehouse's delivery report after handover: AJIO's statuses as known at go-live (every public VMS status).
COURIER_LABEL = {"CREATED": "-", "ACKNOWLEDGED": "-", "INVOICED": "-", "PACKED": "awaiting manifest",
                 "READY_TO_DISPATCH": "awaiting pickup", "DISPATCHED": "in transit", "DELIVERED": "delivered",
                 "CANCELLED": "cancelled"}


class UnknownStatusAfterHandoverCrashes(VmsConnector):
    """API-UNKNOWN-VALUE: for an order already handed over (on a manifest) the layer writes AJIO's status into the
    warehouse's delivery report through a table of the statuses known at go-live (COURIER_LABEL[status]); a courier
    milestone AJIO adds after handover (OUT_FOR_DELIVERY, IN_TRANSIT ...) raises a KeyError: the orders read stops
    at that order and the sync with it: the new orders in the same list are neither acknowledged nor worked while
    AJIO lists it so. Orders not yet handed over go through the reference's own table (unknown: left alone)."""

    def follow_status(self, order_id: str, mine: dict, status: str) -> None:
        if mine["stage"] == "manifested":
            mine["delivery"] = COURIER_LABEL[status]   # the bug: a status not in the table raises
        super().follow_status(order_id, mine, status)
