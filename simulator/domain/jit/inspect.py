"""The control plane's view of a JIT PO: lines, invoice (and superseded ones), boxes, manifest, returns, timeline."""
from __future__ import annotations

from sqlalchemy import select

from simulator.domain import documents
from simulator.domain.context import timeline
from simulator.domain.jit.machines import JIT_PO
from simulator.domain.jit.orders import invoice_stale
from simulator.store import jit_boxes, returns

PUBLIC_STATUS: dict[str, str] = {}  # a PO's statuses are AJIO's own (API.md)

# World events QA can inject per PO state, by their /_sim/orders/{id}/... path.
_WORLD_EVENTS = {"pickup": "pickup", "deliver": "deliver", "vendor_return": "customer-return"}


def order_state(ctx, rec: dict) -> dict:
    d = rec["data"]
    boxes = ctx.conn.execute(select(jit_boxes).where(jit_boxes.c.order_id == rec["order_id"])
                             .order_by(jit_boxes.c.created_at, jit_boxes.c.box_id)).mappings().all()
    rets = ctx.conn.execute(select(returns.c.return_order_id, returns.c.status, returns.c.return_date)
                            .where(returns.c.order_id == rec["order_id"]).order_by(returns.c.return_date)).mappings()
    entities = [rec["order_id"]] + ([d["manifest_id"]] if d["manifest_id"] else [])
    docs = [{**doc, "url": ctx.doc_url(doc["document_id"])} for entity in entities
            for doc in documents.for_entity(ctx.conn, entity)]
    return {"order_id": rec["order_id"], "pob_id": rec["pob_id"], "model": "jit", "status": rec["status"],
            "ajio_status": rec["status"], "order_date": rec["order_date"], "po_date": d["po_date"],
            "updated_at": rec["updated_at"], "version": rec["version"], "deliver_to": d["deliver_to"],
            "carrier": d["carrier"], "lines": d["lines"], "invoice": d["invoice"], "invoice_stale": invoice_stale(rec),
            "invoice_history": d["invoice_history"], "master_awb": d["master_awb"], "manifest_id": d["manifest_id"],
            "boxes": [{"box_id": b["box_id"], "seal_id": b["seal_id"], "status": b["status"], **b["data"]} for b in boxes],
            "returns": [dict(r) for r in rets], "documents": docs, "timeline": timeline(ctx.conn, rec["order_id"]),
            "allowed_world_events": [v for k, v in _WORLD_EVENTS.items() if JIT_PO.allows(rec["status"], k)]}
