"""The control plane's view of the world: full records with timelines, documents and next moves."""
from __future__ import annotations

from sqlalchemy import select

from simulator.domain import documents
from simulator.domain.context import load, timeline
from simulator.domain.machines import DS_PUBLIC_STATUS, RETURN, order_machine
from simulator.domain.paging import paged
from simulator.domain.returns import return_view
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS
from simulator.store import orders, returns

_PUBLIC = {"ds": DS_PUBLIC_STATUS, "vms": VMS_PUBLIC_STATUS}


def _ajio_status(model: str, status: str) -> str:
    """What connectors of the order's model see as its status."""
    return _PUBLIC.get(model, {}).get(status, status)


# World events QA can inject per order state (the dashboard shows exactly these buttons).
_WORLD_EVENTS = {"customer_cancel": "customer-cancel", "pickup": "pickup", "deliver": "deliver", "rto": "rto",
                 "customer_return": "customer-return"}


def _docs(ctx, entity_id: str) -> list[dict]:
    return [{**d, "url": ctx.doc_url(d["document_id"])} for d in documents.for_entity(ctx.conn, entity_id)]


def order_state(ctx, order_id: str) -> dict:
    rec = load(ctx, "order", order_id)
    if rec["model"] == "jit":
        from simulator.domain.jit.inspect import po_state
        return po_state(ctx, rec)
    d = rec["data"]
    rets = ctx.conn.execute(select(returns).where(returns.c.order_id == order_id)
                            .order_by(returns.c.return_date)).mappings().all()
    return {"order_id": order_id, "pob_id": rec["pob_id"], "model": rec["model"], "status": rec["status"],
            "ajio_status": _ajio_status(rec["model"], rec["status"]), "order_date": rec["order_date"],
            "updated_at": rec["updated_at"], "version": rec["version"], "payment_method": d["payment_method"],
            "carrier": d["carrier"], "tracking_number": d["tracking_number"], "total_amount": d["total_amount"],
            "customer": d["customer"], "lines": d["lines"], "po": d["po"], "po_due_at": d["po_due_at"],
            "on_hold": rec["status"] in ("CONFIRMED", "ACKNOWLEDGED") and d["po"] is None,
            "invoice": d["invoice"], "shipment": d["shipment"], "manifest_id": d["manifest_id"],
            "returns": [return_view(dict(r)) for r in rets], "documents": _docs(ctx, order_id),
            **({"vms": d["vms"]} if "vms" in d else {}),
            "timeline": timeline(ctx.conn, order_id),
            "allowed_world_events": [v for k, v in _WORLD_EVENTS.items()
                                     if order_machine(rec).allows(rec["status"], k)]}


def return_state(ctx, return_order_id: str) -> dict:
    rec = load(ctx, "return", return_order_id)
    return {**return_view(rec), "pob_id": rec["pob_id"], "status": rec["status"],
            "putaway_at": rec["data"]["putaway_at"], "credit_note": rec["data"]["credit_note"],
            "documents": _docs(ctx, return_order_id), "timeline": timeline(ctx.conn, return_order_id),
            "allowed_world_events": (["deliver"] if RETURN.allows(rec["status"], "return_arrive")
                                     or rec["status"] == "RETURN_INITIATED" else [])
            + (["cancel"] if RETURN.allows(rec["status"], "return_cancel") else [])}


def list_orders(ctx, *, pob_id: str | None, status: str | None, model: str | None, page: int, size: int) -> dict:
    stmt = select(orders)
    if pob_id:
        stmt = stmt.where(orders.c.pob_id == pob_id)
    if status:
        stmt = stmt.where(orders.c.status == status)
    if model:
        stmt = stmt.where(orders.c.model == model)
    rows, block = paged(ctx.conn, stmt, [orders.c.order_date.desc(), orders.c.order_id], page, size)
    return {"orders": [{"order_id": r["order_id"], "pob_id": r["pob_id"], "model": r["model"], "status": r["status"],
                        "ajio_status": _ajio_status(r["model"], r["status"]), "order_date": r["order_date"],
                        "updated_at": r["updated_at"]} for r in rows], "page": block}
