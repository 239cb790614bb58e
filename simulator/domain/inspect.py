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
from simulator.store import documents as documents_table
from simulator.store import orders, returns, rsi_documents, transitions

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


# -- the change feed (/_sim/changes) ------------------------------------------------------------------
# Line columns the feed keeps: the quantities a follower of the world needs, whatever the model calls them.
_FEED_LINE_KEYS = ("order_item_id", "sku", "sku_code", "channelSkuCode", "ordered_quantity", "quantity",
                   "acknowledged", "confirmed_quantity", "customer_cancelled_qty", "seller_cancelled_qty",
                   "seller_short_picked_qty", "cancelled_quantity")


def _feed_order(rec: dict, docs: dict[str, list[dict]]) -> dict:
    d = rec["data"]
    po, invoice, shipment = d.get("po") or {}, d.get("invoice") or {}, d.get("shipment") or {}
    manifest_id = d.get("manifest_id")
    return {"order_id": rec["order_id"], "pob_id": rec["pob_id"], "model": rec["model"], "status": rec["status"],
            "order_date": rec["order_date"], "updated_at": rec["updated_at"],
            "lines": [{k: line[k] for k in _FEED_LINE_KEYS if k in line} for line in d.get("lines", [])],
            "po_number": po.get("po_number"), "po_date": po.get("po_date"),
            "invoice_number": invoice.get("invoice_number"), "tracking_number": shipment.get("tracking_number"),
            "manifest_id": manifest_id, "return_order_ids": list(d.get("return_order_ids") or []),
            # Who cancelled, when AJIO itself did (its SLAs), and the deadlines AJIO set, where the model has them.
            "cancelled_by": d.get("cancelled_by"), "cancellation_reason": d.get("cancellation_reason"),
            "documents": docs.get(rec["order_id"], []) + (docs.get(manifest_id, []) if manifest_id else [])}


def _feed_return(rec: dict, docs: dict[str, list[dict]]) -> dict:
    d = rec["data"]
    return {"return_order_id": rec["return_order_id"], "order_id": rec["order_id"], "pob_id": rec["pob_id"],
            "return_type": rec["return_type"], "status": rec["status"], "return_date": rec["return_date"],
            "updated_at": rec["updated_at"], "putaway_at": d.get("putaway_at"),
            "credit_note_due_at": d.get("credit_note_due_at"),
            "credit_note_number": (d.get("credit_note") or {}).get("credit_note_number"),
            "items": [{"return_item_id": i["return_item_id"], "order_item_id": i["order_item_id"], "sku": i["sku"],
                       "return_quantity": i["return_quantity"],
                       "cancelled_return_quantity": i["cancelled_return_quantity"], "qc": i["qc"]}
                      for i in d.get("items", [])],
            "documents": docs.get(rec["return_order_id"], [])}


def changes(conn, *, after_id: int, limit: int, pob_id: str | None = None) -> dict:
    """Every transition after `after_id` (oldest first, at most `limit`) and, as they are now, the orders,
    returns and VMS RSIs those transitions touched, with their documents: one incremental read of what happened in
    the world since the last one, so a follower (`ajio-sim soak`) never re-reads the whole world.
    `pob_id` keeps one POB's entities; `last_id` is the cursor of the next read either way."""
    rows = conn.execute(select(transitions).where(transitions.c.id > after_id).order_by(transitions.c.id)
                        .limit(limit)).mappings().all()
    return_ids = sorted({r["entity_id"] for r in rows if r["entity_kind"] == "return"})
    rets = conn.execute(select(returns).where(returns.c.return_order_id.in_(return_ids))).mappings().all() \
        if return_ids else []
    order_ids = sorted({r["entity_id"] for r in rows if r["entity_kind"] == "order"} | {r["order_id"] for r in rets})
    ords = conn.execute(select(orders).where(orders.c.order_id.in_(order_ids))).mappings().all() if order_ids else []
    rsi_ids = sorted({r["entity_id"] for r in rows if r["entity_kind"] == "rsi"})
    rsis = conn.execute(select(rsi_documents).where(rsi_documents.c.rsi_number.in_(rsi_ids))).mappings().all() \
        if rsi_ids else []
    if pob_id is not None:
        ords = [o for o in ords if o["pob_id"] == pob_id]
        rets = [r for r in rets if r["pob_id"] == pob_id]
        rsis = [r for r in rsis if r["pob_id"] == pob_id]
    owners = {o["order_id"] for o in ords} | {r["return_order_id"] for r in rets} | {r["rsi_number"] for r in rsis}
    manifest_ids = {o["data"].get("manifest_id") for o in ords} - {None}
    wanted = sorted(owners | manifest_ids)
    docs: dict[str, list[dict]] = {}
    if wanted:
        for doc in conn.execute(select(documents_table.c.document_id, documents_table.c.kind,
                                       documents_table.c.entity_id)
                                .where(documents_table.c.entity_id.in_(wanted))
                                .order_by(documents_table.c.created_at, documents_table.c.document_id)).mappings():
            docs.setdefault(doc["entity_id"], []).append({"document_id": doc["document_id"], "kind": doc["kind"]})
    return {"changes": [{"id": r["id"], "at": r["at"], "entity_kind": r["entity_kind"], "entity_id": r["entity_id"],
                         "from": r["from_status"], "to": r["to_status"], "cause": r["cause"]}
                        for r in rows if r["entity_id"] in owners],
            "orders": [_feed_order(dict(o), docs) for o in ords],
            "returns": [_feed_return(dict(r), docs) for r in rets],
            "rsis": [{"rsi_number": r["rsi_number"], "pob_id": r["pob_id"], "status": r["status"],
                      "created_at": r["created_at"], "accepted_at": r["data"]["accepted_at"],
                      "return_order_ids": r["data"]["return_order_ids"], "document_id": r["data"]["document_id"]}
                     for r in rsis],
            "last_id": rows[-1]["id"] if rows else after_id, "more": len(rows) == limit}
