"""VMS state machines as tables (seed 002): the order per e-invoice model, and the RSI document."""
from __future__ import annotations

from types import MappingProxyType

from simulator.domain.machine import Machine, register

# Why each move is refused, as rulebook ids (contracts/rules/vms.yaml).
_RULES = {
    "customer_cancel": "VMS-CUSTOMER-CANCEL-UNTIL-ACK",
    "customer_cancel_lines": "VMS-CUSTOMER-CANCEL-UNTIL-ACK",
    "acknowledge": "VMS-ACK-NEW-ONLY",
    "po_issued": "VMS-PO-AFTER-ACK",
    "b2b_invoice": "VMS-INVOICE-FOR-PO",
    "pack": "VMS-PACK-DOCUMENTS",
    "seller_cancel": "VMS-SELLER-CANCEL-UNTIL-HANDOVER",
    "seller_cancel_lines": "VMS-MODEL1-COMPLETE-CANCEL-ONLY",
    "dispatch": "VMS-MANIFEST-AT-HANDOVER",
    "pickup": "VMS-COURIER-AFTER-MANIFEST",
    "deliver": "VMS-COURIER-AFTER-MANIFEST",
    "rto": "RETURN-AGAINST-FORWARD-ORDER",
    "customer_return": "RETURN-AGAINST-FORWARD-ORDER",
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

# Model 2 (e-invoicing through RMS): items not found or damaged may be cancelled partially, also once
# the B2B invoice exists (before the parcel is packed). An issued invoice never changes: the partial
# cancellation cancels it and the order waits, ACKNOWLEDGED with its PO, for RMS's new invoice.
VMS_ORDER_RMS = Machine(name="VMS order (model 2: e-invoice via RMS)", entity="order",
                        table=MappingProxyType({**_COMMON, ("INVOICED", "seller_cancel_lines"): "ACKNOWLEDGED"}),
                        rules=MappingProxyType({**_RULES, "seller_cancel_lines": "VMS-MODEL2-PARTIAL-CANCEL"}))

# A seller whose world has late customer cancellations (setting late_customer_cancel; seed 004: "the
# customer cancels the order after the e-invoice has been generated"): AJIO lets customers cancel after
# the acknowledgement too, partially until packing, completely until handover. After a model 1
# e-invoice a partial one leaves the invoice as it is (the ERP raises a return order from
# OUTWARD_ORDER_COMPLETE); in model 2 it cancels RMS's invoice, as a seller's partial cancellation does.
_LATE = {("ACKNOWLEDGED", "customer_cancel"): "CANCELLED", ("ACKNOWLEDGED", "customer_cancel_lines"): "ACKNOWLEDGED",
         ("INVOICED", "customer_cancel"): "CANCELLED", ("PACKED", "customer_cancel"): "CANCELLED"}
_LATE_RULES = {"customer_cancel": "VMS-LATE-CUSTOMER-CANCEL", "customer_cancel_lines": "VMS-LATE-CUSTOMER-CANCEL"}
VMS_ORDER_ERP_LATE = Machine(
    name="VMS order (model 1: e-invoice via ERP; late customer cancellations)", entity="order",
    table=MappingProxyType({**VMS_ORDER_ERP.table, **_LATE, ("INVOICED", "customer_cancel_lines"): "INVOICED"}),
    rules=MappingProxyType({**VMS_ORDER_ERP.rules, **_LATE_RULES}))
VMS_ORDER_RMS_LATE = Machine(
    name="VMS order (model 2: e-invoice via RMS; late customer cancellations)", entity="order",
    table=MappingProxyType({**VMS_ORDER_RMS.table, **_LATE, ("INVOICED", "customer_cancel_lines"): "ACKNOWLEDGED"}),
    rules=MappingProxyType({**VMS_ORDER_RMS.rules, **_LATE_RULES}))

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
              rules=MappingProxyType({"accept": "VMS-RSI-MODEL"}))

ORDER_MACHINES = {"vms_erp_order": VMS_ORDER_ERP, "vms_rms_order": VMS_ORDER_RMS,
                  "vms_erp_late_order": VMS_ORDER_ERP_LATE, "vms_rms_late_order": VMS_ORDER_RMS_LATE}
for _key, _machine in {**ORDER_MACHINES, "rsi": RSI}.items():
    register(_key, _machine)
