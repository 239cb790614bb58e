"""/_sim additions for VMS and the ERP layer: PO knobs, the simulated layer's acknowledgement hold, RSI issue,
ERP posting log, delivery, dead letters and their redelivery."""
from __future__ import annotations

from flask import Blueprint, jsonify

from contracts import vms_control as c
from simulator import erp_delivery
from simulator.api.common import body, query, read, sim, write
from simulator.control.routes import _admin_guard
from simulator.domain.vms import orders, rsi

bp = Blueprint("vms_control", __name__, url_prefix="/_sim")
bp.before_request(_admin_guard)
S = {name: getattr(c, name)() for name in ("PoMissingRequest", "IssueRsiRequest", "PostingsQuery", "DeadLettersQuery",
                                           "RedeliverRequest")}


@bp.post("/vms/orders/<order_id>/po-missing")
def set_po_missing(order_id: str):
    missing = body(S["PoMissingRequest"])["missing"]
    return jsonify(write(lambda ctx: orders.set_po_missing(ctx, order_id, missing)))


@bp.post("/vms/orders/<order_id>/po")
def issue_po(order_id: str):
    body(c.StrictSchema(), empty_ok=True)
    return jsonify(write(lambda ctx: orders.issue_po_now(ctx, order_id)))


@bp.post("/vms/orders/<order_id>/release-ack")
def release_ack(order_id: str):
    """The simulated VMS layer ends this order's acknowledgement hold now (QA shortcut for the 4 hours)."""
    body(c.StrictSchema(), empty_ok=True)
    return jsonify(write(lambda ctx: orders.release_ack_now(ctx, order_id)))


@bp.post("/vms/sellers/<pob_id>/po-missing")
def set_pob_po_missing(pob_id: str):
    missing = body(S["PoMissingRequest"])["missing"]
    return jsonify(write(lambda ctx: orders.set_pob_po_missing(ctx, pob_id, missing)))


@bp.post("/vms/rsi")
def issue_rsi():
    b = body(S["IssueRsiRequest"])
    return jsonify(write(lambda ctx: rsi.issue_rsi(ctx, b["pob_id"], b["return_order_ids"]))), 201


@bp.get("/vms/rsi/<rsi_number>")
def rsi_state(rsi_number: str):
    return jsonify(read(lambda ctx: rsi.rsi_state(ctx, rsi_number)))


@bp.get("/erp/postings")
def list_postings():
    q = query(S["PostingsQuery"])
    with sim().store.read() as conn:
        rows = erp_delivery.postings(conn, pob_id=q.get("pob_id"), event_type=q.get("event_type"),
                                     entity_id=q.get("entity_id"), status=q.get("status"), limit=q["limit"])
    return jsonify({"postings": rows})


@bp.post("/erp/deliver")
def deliver_postings():
    """Send every posting due at the simulated now, synchronously (tests without the background worker)."""
    body(c.StrictSchema(), empty_ok=True)
    return jsonify(erp_delivery.deliver_due(sim(), limit=500))


@bp.get("/erp/dead-letters")
def dead_letters():
    q = query(S["DeadLettersQuery"])
    with sim().store.read() as conn:
        rows = erp_delivery.postings(conn, pob_id=q.get("pob_id"), event_type=q.get("event_type"), status="FAILED",
                                     limit=q["limit"])
    return jsonify({"dead_letters": rows})


@bp.post("/erp/postings/<int:posting_id>/redeliver")
def redeliver_posting(posting_id: int):
    body(c.StrictSchema(), empty_ok=True)
    return jsonify({"redelivered": write(lambda ctx: erp_delivery.redeliver(ctx.conn, ctx.now,
                                                                             posting_id=posting_id))})


@bp.post("/erp/redeliver")
def redeliver_pob():
    pob_id = body(S["RedeliverRequest"])["pob_id"]
    return jsonify({"redelivered": write(lambda ctx: erp_delivery.redeliver(ctx.conn, ctx.now, pob_id=pob_id))})
