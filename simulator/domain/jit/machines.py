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
        "invoice": "seed 001: order pack = invoice/ship label generation; AJIO invoices a PO once, before packing",
        "update_invoice": "issue 5 / API.md: the B2B invoice can be updated (PUT) only until the PO is packed",
        "prepack": "seed 001 row 4: ship labels are prefetched at picklist time, i.e. before packing",
        "seller_cancel": "seed 001 (order cancellation push) / API.md: seller cancellation is allowed until packed",
        "seller_cancel_lines": "seed 001 (order cancellation push) / API.md: seller cancellation is allowed until packed",
        "pack": "seed 001: pack needs the invoice first (pack = invoice + ship label), and happens once",
        "ready_to_ship": "seed 001 row 5: ready to ship is marked at pack or at manifest",
        "dispatch": "seed 001 (manifest document generation): only packed POs go on a manifest",
        "pickup": "API.md: DISPATCHED follows the manifest's pickup",
        "deliver": "API.md: DELIVERED follows DISPATCHED",
        "vendor_return": "seed 001 row 3: returns come back against a delivered PO",
    }),
)

register("jit_order", JIT_PO)

# POs that still wait for the seller's stock: what back orders and pendency count.
OPEN_STATUSES = ("CREATED", "INVOICED")
