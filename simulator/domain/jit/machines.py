"""The JIT purchase order's state machine (pinned statuses, API.md) as a table."""
from __future__ import annotations

from types import MappingProxyType

from simulator.domain.machine import Machine, register

JIT_PO = Machine(
    name="JIT purchase order",
    entity="order",
    table=MappingProxyType({
        ("CREATED", "invoice"): "INVOICED",
        ("CREATED", "seller_cancel"): "CANCELLED",
        ("CREATED", "seller_cancel_lines"): "CREATED",
        ("INVOICED", "update_invoice"): "INVOICED",
        ("INVOICED", "prepack"): "INVOICED",
        ("INVOICED", "seller_cancel"): "CANCELLED",
        ("INVOICED", "seller_cancel_lines"): "INVOICED",
        ("INVOICED", "pack"): "PACKED",
        ("PACKED", "ready_to_ship"): "READY_TO_DISPATCH",
        ("PACKED", "dispatch"): "READY_TO_DISPATCH",
        # Ready to ship at pack (seed 001 row 5): the manifest then leaves the status as it is.
        ("READY_TO_DISPATCH", "dispatch"): "READY_TO_DISPATCH",
        ("READY_TO_DISPATCH", "pickup"): "DISPATCHED",
        ("DISPATCHED", "deliver"): "DELIVERED",
        ("DELIVERED", "vendor_return"): "DELIVERED",
    }),
    rules=MappingProxyType({
        "invoice": "JIT-INVOICE-FROM-SERIES",
        "update_invoice": "JIT-INVOICE-UPDATE-UNTIL-PACKED",
        "prepack": "JIT-PREPACK-LABEL",
        "seller_cancel": "JIT-SELLER-CANCEL-UNTIL-PACKED",
        "seller_cancel_lines": "JIT-SELLER-CANCEL-UNTIL-PACKED",
        "pack": "JIT-PACK-MATCHES-INVOICE",
        "ready_to_ship": "JIT-READY-TO-SHIP",
        "dispatch": "JIT-READY-TO-SHIP",
        "pickup": "JIT-COURIER-AFTER-MANIFEST",
        "deliver": "JIT-COURIER-AFTER-MANIFEST",
        "vendor_return": "JIT-RETURNS-CONFIRMED",
}),
)

register("jit_order", JIT_PO)

# POs that still wait for the seller's stock: what back orders and pendency count.
OPEN_STATUSES = ("CREATED", "INVOICED")
