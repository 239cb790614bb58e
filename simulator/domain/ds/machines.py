"""The Dropship order's state machine (grounded statuses, API.md) and what connectors see of it."""
from __future__ import annotations

from types import MappingProxyType

from simulator.domain.machine import Machine, register

_CUSTOMER_CANCEL = "seed 000 point 12.1: AJIO syncs customer cancellations only until the order is invoiced (packed)"
_SELLER_CANCEL = "seed 000 point 12.2: seller cancellation is possible only until the order is invoiced (packed)"

# Dropship order. CREATED (awaiting acknowledgement, listed by pendency), INVOICED (B2B invoice
# issued, shown to connectors as CONFIRMED) and RTO (shown as DISPATCHED; the RTO itself is a
# return record) are the simulator's internal names; the others are AJIO's grounded values.
DS_ORDER = Machine(
    name="Dropship order",
    entity="order",
    table=MappingProxyType({
        ("CREATED", "acknowledge"): "CONFIRMED",
        ("CREATED", "acknowledge_lines"): "CREATED",  # some lines acknowledged, others pending
        ("CREATED", "customer_cancel"): "CANCELLED",
        ("CREATED", "customer_cancel_lines"): "CREATED",
        ("CREATED", "seller_cancel"): "CANCELLED",
        ("CREATED", "seller_cancel_lines"): "CREATED",
        ("CONFIRMED", "po_issued"): "CONFIRMED",
        ("CONFIRMED", "customer_cancel"): "CANCELLED",
        ("CONFIRMED", "customer_cancel_lines"): "CONFIRMED",
        ("CONFIRMED", "seller_cancel"): "CANCELLED",
        ("CONFIRMED", "seller_cancel_lines"): "CONFIRMED",
        ("CONFIRMED", "invoice"): "INVOICED",
        ("INVOICED", "label"): "PACKED",
        ("PACKED", "dispatch"): "READY_TO_DISPATCH",
        ("READY_TO_DISPATCH", "pickup"): "DISPATCHED",
        ("DISPATCHED", "deliver"): "DELIVERED",
        ("DISPATCHED", "rto"): "RTO",
        ("DELIVERED", "customer_return"): "DELIVERED",
    }),
    rules=MappingProxyType({
        "customer_cancel": _CUSTOMER_CANCEL,
        "customer_cancel_lines": _CUSTOMER_CANCEL,
        "seller_cancel": _SELLER_CANCEL,
        "seller_cancel_lines": _SELLER_CANCEL,
        "acknowledge": "API.md: only orders in pendency (not yet acknowledged) can be acknowledged",
        "acknowledge_lines": "API.md: only orders in pendency (not yet acknowledged) can be acknowledged",
        "invoice": ("seed 000 point 6: invoice -> label -> manifest; the invoice needs an acknowledged, not yet "
                    "invoiced order"),
        "label": "seed 000 point 6: invoice -> label -> manifest; the label needs the B2B invoice first",
        "dispatch": "seed 000 point 6 / seed 003 step 8: only packed (labelled) orders go on a manifest",
        "pickup": "API.md: DISPATCHED follows the manifest's pickup",
        "deliver": "API.md: DELIVERED follows DISPATCHED",
        "rto": "seed 000 point 14: an RTO comes back from a dispatched, undelivered shipment",
        "customer_return": "seed 000 point 15: a customer return (CIR) follows delivery",
    }),
)

# What connectors see in `status`: AJIO's grounded values only.
DS_PUBLIC_STATUS = MappingProxyType({
    "CREATED": "CREATED", "CONFIRMED": "CONFIRMED", "INVOICED": "CONFIRMED", "PACKED": "PACKED",
    "READY_TO_DISPATCH": "READY_TO_DISPATCH", "DISPATCHED": "DISPATCHED", "DELIVERED": "DELIVERED",
    "CANCELLED": "CANCELLED", "RTO": "DISPATCHED",
})

register("ds_order", DS_ORDER)
