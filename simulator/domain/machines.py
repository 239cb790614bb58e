"""State machines as tables: (state, event) -> next state, one table per entity and model."""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from simulator.errors import IllegalTransition


@dataclass(frozen=True, slots=True)
class Machine:
    name: str
    entity: str  # "order" | "return"
    table: Mapping[tuple[str, str], str]
    # Why a move is refused, when a seed says so: shown to the client with the error.
    rules: Mapping[str, str]

    @property
    def states(self) -> frozenset[str]:
        return frozenset({s for s, _ in self.table} | set(self.table.values()))

    @property
    def events(self) -> frozenset[str]:
        return frozenset(e for _, e in self.table)

    def allows(self, state: str, event: str) -> bool:
        return (state, event) in self.table

    def next(self, state: str, event: str) -> str:
        try:
            return self.table[(state, event)]
        except KeyError:
            allowed = sorted(s for s, e in self.table if e == event)
            raise IllegalTransition(
                f"{self.name}: '{event}' is not allowed in status {state}"
                f" (allowed in: {', '.join(allowed) or 'none'})",
                field="status", rule=self.rules.get(event)) from None

    def events_from(self, state: str) -> list[str]:
        return sorted(e for s, e in self.table if s == state)


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
        "customer_cancel": "seed 000 point 12.1: AJIO syncs customer cancellations only until the order is invoiced (packed)",
        "customer_cancel_lines": "seed 000 point 12.1: AJIO syncs customer cancellations only until the order is invoiced (packed)",
        "seller_cancel": "seed 000 point 12.2: seller cancellation is possible only until the order is invoiced (packed)",
        "seller_cancel_lines": "seed 000 point 12.2: seller cancellation is possible only until the order is invoiced (packed)",
        "acknowledge": "API.md: only orders in pendency (not yet acknowledged) can be acknowledged",
        "acknowledge_lines": "API.md: only orders in pendency (not yet acknowledged) can be acknowledged",
        "invoice": "seed 000 point 6: invoice -> label -> manifest; the invoice needs an acknowledged, not yet invoiced order",
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

# Return order: customer returns start at RETURN_INITIATED (pickup pending), RTOs at
# RETURN_CREATED (already coming back), seller-created RTOs at RETURN_DELIVERED (already back).
RETURN = Machine(
    name="Return order",
    entity="return",
    table=MappingProxyType({
        ("RETURN_INITIATED", "return_pickup"): "RETURN_CREATED",
        ("RETURN_INITIATED", "return_cancel"): "RETURN_CANCELLED",
        ("RETURN_CREATED", "return_arrive"): "RETURN_DELIVERED",
        ("RETURN_DELIVERED", "qc"): "RETURN_PROCESSED",
        ("RETURN_PROCESSED", "credit_note_issued"): "RETURN_PROCESSED",
    }),
    rules=MappingProxyType({
        "qc": "seed 000 points 14-16: putaway (QC good/bad) happens once the return is received at the warehouse",
        "return_arrive": "API.md: a return reaches the warehouse after it was picked up / sent back",
        "return_pickup": "API.md: a customer return is picked up before it travels back",
        "return_cancel": "API.md: a customer return can be cancelled only before its pickup",
    }),
)

MACHINES = {"ds_order": DS_ORDER, "return": RETURN}


def order_machine(rec: dict) -> Machine:
    """The table an order follows: its model's, or the one named in its data (VMS: per e-invoice model)."""
    return MACHINES[rec["data"].get("machine") or f"{rec['model']}_order"]


from simulator.domain.vms.machines import VMS_MACHINES  # noqa: E402  (they build on Machine above)

MACHINES.update(VMS_MACHINES)
