"""/_sim additions for VMS and the ERP layer: PO knobs, RSI issue, ERP posting log and delivery."""
from __future__ import annotations

from flask import Blueprint, jsonify

from contracts import vms_control as c
from simulator import erp_delivery
from simulator.api.common import body, query, read, sim, write
from simulator.control.routes import _admin_guard
from simulator.domain.vms import orders, rsi

bp = Blueprint("vms_control", __name__, url_prefix="/_sim")
bp.before_request(_admin_guard)
S = {name: getattr(c, name)() for name in ("PoMissingRequest", "IssueRsiRequest", "PostingsQuery")}


@bp.post("/vms/orders/<order_id>/po-missing")
def set_po_missing(order_id: str):
    missing = body(S["PoMissingRequest"])["missing"]
    return jsonify(write(lambda ctx: orders.set_po_missing(ctx, order_id, missing)))


@bp.post("/vms/orders/<order_id>/po")
def issue_po(order_id: str):
    body(c.StrictSchema(), empty_ok=True)
    return jsonify(write(lambda ctx: orders.issue_po_now(ctx, order_id)))


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
