"""VMS state machines as tables (seed 002): the order per e-invoice model, and the RSI document."""
from __future__ import annotations

from types import MappingProxyType

from simulator.domain.machine import Machine, register

_CANCEL_BEFORE_ACK = ("seed 002 forward flow: once the acknowledgement reaches AJIO, AJIO stops customer "
                      "cancellations")
_MODEL1_COMPLETE_ONLY = ("seed 002 model 1: the e-invoice is generated in the ERP and cannot be cancelled "
                         "partially; if items are missing or damaged the whole order is cancelled")
_RULES = {
    "customer_cancel": _CANCEL_BEFORE_ACK,
    "customer_cancel_lines": _CANCEL_BEFORE_ACK,
    "acknowledge": "seed 002: only a new (CREATED) order is acknowledged",
    "po_issued": "seed 002: the B2B PO follows the acknowledgement",
    "b2b_invoice": ("seed 002: the B2B invoice is posted for an acknowledged order whose PO is known, "
                    "once; never for a cancelled order"),
    "pack": ("seed 002: the B2C invoice and shipping label are fetched while packing, after the B2B "
             "invoice"),
    "seller_cancel": "seed 002: an order can be cancelled until it is handed over (manifest)",
    "seller_cancel_lines": _MODEL1_COMPLETE_ONLY,
    "dispatch": "seed 002: Create Manifest at handover, for packed orders (B2C invoice and label fetched)",
    "pickup": "API.md: DISPATCHED follows the manifest's pickup",
    "deliver": "API.md: DELIVERED follows DISPATCHED",
    "rto": "seed 002 returns: an RTO expectation is against a dispatched, undelivered forward order",
    "customer_return": "seed 002 returns: a customer return is against a delivered forward order",
}

_COMMON = {
    ("CREATED", "acknowledge"): "ACKNOWLEDGED",
    ("CREATED", "customer_cancel"): "CANCELLED",
    ("CREATED", "customer_cancel_lines"): "CREATED",
    ("CREATED", "seller_cancel"): "CANCELLED",
    ("CREATED", "seller_cancel_lines"): "CREATED",
    ("ACKNOWLEDGED", "po_issued"): "ACKNOWLEDGED",
    ("ACKNOWLEDGED", "seller_cancel"): "CANCELLED",
    ("ACKNOWLEDGED", "seller_cancel_lines"): "ACKNOWLEDGED",
    ("ACKNOWLEDGED", "b2b_invoice"): "INVOICED",
    ("INVOICED", "seller_cancel"): "CANCELLED",
    ("INVOICED", "pack"): "PACKED",
    ("PACKED", "seller_cancel"): "CANCELLED",
    ("PACKED", "dispatch"): "READY_TO_DISPATCH",
    ("READY_TO_DISPATCH", "pickup"): "DISPATCHED",
    ("DISPATCHED", "deliver"): "DELIVERED",
    ("DISPATCHED", "rto"): "RTO",
    ("DELIVERED", "customer_return"): "DELIVERED",
}

# Model 1 (e-invoicing through the client's ERP): after the B2B e-invoice only a complete
# cancellation exists (no seller_cancel_lines from INVOICED or PACKED).
VMS_ORDER_ERP = Machine(name="VMS order (model 1: e-invoice via ERP)", entity="order",
                        table=MappingProxyType(dict(_COMMON)), rules=MappingProxyType(dict(_RULES)))

# Model 2 (e-invoicing through RMS): items not found or damaged may be cancelled partially,
# also once the B2B invoice exists (before the parcel is packed).
VMS_ORDER_RMS = Machine(name="VMS order (model 2: e-invoice via RMS)", entity="order",
                        table=MappingProxyType({**_COMMON, ("INVOICED", "seller_cancel_lines"): "INVOICED"}),
                        rules=MappingProxyType({**_RULES, "seller_cancel_lines":
                                                "seed 002 model 2: partial cancellation is allowed until packing"}))

# What connectors see: the pinned VMS statuses. RTO (delivery failed, the parcel comes back) is
# internal, shown as DISPATCHED; the RTO itself is a return record.
VMS_PUBLIC_STATUS = MappingProxyType({
    "CREATED": "CREATED", "ACKNOWLEDGED": "ACKNOWLEDGED", "INVOICED": "INVOICED", "PACKED": "PACKED",
    "READY_TO_DISPATCH": "READY_TO_DISPATCH", "DISPATCHED": "DISPATCHED", "DELIVERED": "DELIVERED",
    "CANCELLED": "CANCELLED", "RTO": "DISPATCHED",
})

# An RSI (return sales invoice) AJIO issues in the RSI return model; the seller marks it ACCEPTED,
# even for items not received yet (seed 002: AJIO's throttling).
RSI = Machine(name="RSI document", entity="rsi",
              table=MappingProxyType({("ISSUED", "accept"): "ACCEPTED"}),
              rules=MappingProxyType({"accept": "seed 002 RSI flow: an issued RSI is marked ACCEPTED once"}))

for _key, _machine in {"vms_erp_order": VMS_ORDER_ERP, "vms_rms_order": VMS_ORDER_RMS, "rsi": RSI}.items():
    register(_key, _machine)
