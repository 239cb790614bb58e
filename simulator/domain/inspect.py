"""The control plane's view of a B2C order (Dropship, VMS): the record, its returns, documents, timeline
and the world events QA may inject now. Each model's inspect module adds what it shows beside it."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from simulator.domain import documents, tracking
from simulator.domain.context import timeline
from simulator.domain.machine import order_machine
from simulator.domain.orders import amount_due
from simulator.domain.returns import return_view
from simulator.store import returns

# World events QA can inject per order state (the dashboard shows exactly these buttons), by the
# machine's event and the /_sim/orders/{id}/... path that injects it.
B2C_WORLD_EVENTS = {"customer_cancel": "customer-cancel", "pickup": "pickup", "deliver": "deliver", "rto": "rto",
                    "customer_return": "customer-return"}
# Courier events on a parcel out with the courier: allowed whenever its delivery is.
COURIER_EVENTS = ("delivery-attempt", "scan")


def documents_of(ctx, entity_id: str) -> list[dict]:
    return [{**d, "url": ctx.doc_url(d["document_id"])} for d in documents.for_entity(ctx.conn, entity_id)]


def world_events(machine, status: str, events: Mapping[str, str]) -> list[str]:
    return [path for event, path in events.items() if machine.allows(status, event)]


def b2c_order_state(ctx, rec: dict, public_status: Mapping[str, str], held_in: str) -> dict:
    """Everything the control plane shows of a B2C order; `held_in` is the status whose orders wait
    "on hold" for AJIO's PO, `public_status` maps the state to what the model's connectors see."""
    order_id, d = rec["order_id"], rec["data"]
    rets = ctx.conn.execute(select(returns).where(returns.c.order_id == order_id)
                            .order_by(returns.c.return_date)).mappings().all()
    return {"order_id": order_id, "pob_id": rec["pob_id"], "model": rec["model"], "status": rec["status"],
            "ajio_status": public_status.get(rec["status"], rec["status"]), "order_date": rec["order_date"],
            "updated_at": rec["updated_at"], "version": rec["version"], "payment_method": d["payment_method"],
            "carrier": d["carrier"], "tracking_number": d["tracking_number"], "total_amount": d["total_amount"],
            "customer": d["customer"], "lines": d["lines"], "po": d["po"], "po_due_at": d["po_due_at"],
            "on_hold": rec["status"] == held_in and d["po"] is None,
            "invoice": d["invoice"], "shipment": d["shipment"], "manifest_id": d["manifest_id"],
            "returns": [return_view(dict(r)) for r in rets], "documents": documents_of(ctx, order_id),
            **({"vms": d["vms"]} if "vms" in d else {}),
            "timeline": timeline(ctx.conn, order_id),
            # The courier's milestones up to now and what its plan holds (domain/tracking.py).
            "tracking": {**tracking.view(d, ctx.now),
                         "planned": [tracking.public_event(e) for e in tracking.planned(d, ctx.now)],
                         "due": tracking.due(d)},
            **{key: d.get(key) for key in ("acknowledge_by", "dispatch_by", "cancelled_by", "cancellation_reason")
               if key in d},
            **({"sla_breached": bool(d.get("sla_breached"))} if "dispatch_by" in d else {}),
            "amount_due": amount_due(d["lines"]),
            "allowed_world_events": world_events(order_machine(rec), rec["status"], B2C_WORLD_EVENTS)
            + (list(COURIER_EVENTS) if order_machine(rec).allows(rec["status"], "deliver") else [])}
