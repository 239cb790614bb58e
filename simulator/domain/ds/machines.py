"""The Dropship order's state machine (grounded statuses, API.md) and what connectors see of it."""
from __future__ import annotations

from types import MappingProxyType

from simulator.domain.machine import Machine, register

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
        # AJIO cancels an order its seller was too slow with (docs/dropship.md "SLAs"): not acknowledged in
        # time, or (when the world says so) not manifested in time, even once invoiced or packed.
        ("CREATED", "sla_cancel"): "CANCELLED",
        ("CONFIRMED", "sla_cancel"): "CANCELLED",
        ("INVOICED", "sla_cancel"): "CANCELLED",
        ("PACKED", "sla_cancel"): "CANCELLED",
        ("INVOICED", "label"): "PACKED",
        ("PACKED", "dispatch"): "READY_TO_DISPATCH",
        ("READY_TO_DISPATCH", "pickup"): "DISPATCHED",
        ("DISPATCHED", "deliver"): "DELIVERED",
        ("DISPATCHED", "rto"): "RTO",
        ("DELIVERED", "customer_return"): "DELIVERED",
    }),
    rules=MappingProxyType({
        "customer_cancel": "DS-CUSTOMER-CANCEL-UNTIL-INVOICED",
        "customer_cancel_lines": "DS-CUSTOMER-CANCEL-UNTIL-INVOICED",
        "seller_cancel": "DS-SELLER-CANCEL-UNTIL-INVOICED",
        "seller_cancel_lines": "DS-SELLER-CANCEL-UNTIL-INVOICED",
        "acknowledge": "DS-ACK-PENDING-ONLY",
        "acknowledge_lines": "DS-ACK-PENDING-ONLY",
        "invoice": "DS-INVOICE-LABEL-MANIFEST",
        "label": "DS-INVOICE-LABEL-MANIFEST",
        "dispatch": "DS-MANIFEST-PACKED-ONLY",
        "sla_cancel": "DS-DISPATCH-WITHIN-SLA",
        "pickup": "DS-COURIER-AFTER-MANIFEST",
        "deliver": "DS-COURIER-AFTER-MANIFEST",
        "rto": "RETURN-AGAINST-FORWARD-ORDER",
        "customer_return": "RETURN-AGAINST-FORWARD-ORDER",
}),
)

# What connectors see in `status`: AJIO's grounded values only.
DS_PUBLIC_STATUS = MappingProxyType({
    "CREATED": "CREATED", "CONFIRMED": "CONFIRMED", "INVOICED": "CONFIRMED", "PACKED": "PACKED",
    "READY_TO_DISPATCH": "READY_TO_DISPATCH", "DISPATCHED": "DISPATCHED", "DELIVERED": "DELIVERED",
    "CANCELLED": "CANCELLED", "RTO": "DISPATCHED",
})

register("ds_order", DS_ORDER)
