"""/_sim/jit: the JIT world QA drives (new POs, inventory drift, returns), beside the pinned /_sim routes."""
from __future__ import annotations

from flask import Blueprint, jsonify

from contracts import control_jit as c
from simulator.api.common import body, query, read, write
from simulator.control.routes import _admin_guard
from simulator.domain.jit import inventory, orders, returns

bp = Blueprint("control_jit", __name__, url_prefix="/_sim/jit")
bp.before_request(_admin_guard)
S = {name: cls() for name, cls in vars(c).items() if isinstance(cls, type) and name.endswith(("Request", "Query"))}


@bp.post("/orders")
def create_pos():
    b = body(S["CreatePosRequest"])
    ids = write(lambda ctx: orders.place_pos(ctx, b["pob_id"], count=b["count"], seed=b.get("seed"),
                                             lines=b.get("lines")))
    return jsonify({"order_ids": ids}), 201


@bp.post("/inventory/drift")
def inject_drift():
    b = body(S["DriftRequest"])
    return jsonify(write(lambda ctx: inventory.inject_drift(ctx, orders.jit_pob(ctx, b["pob_id"])["pob_id"],
                                                            b["lines"])))


@bp.post("/moderation")
def moderate_sku():
    b = body(S["ModerateRequest"])
    return jsonify(write(lambda ctx: inventory.moderate_sku(ctx, orders.jit_pob(ctx, b["pob_id"])["pob_id"], b["sku"],
                                                            b["moderation_status"])))


@bp.get("/inventory")
def stock_report():
    q = query(S["StockQuery"])
    return jsonify(read(lambda ctx: inventory.stock_report(ctx, orders.jit_pob(ctx, q["pob_id"])["pob_id"])))


@bp.post("/orders/<order_id>/return")
def vendor_return(order_id: str):
    b = body(S["VendorReturnRequest"], empty_ok=True)
    return jsonify(write(lambda ctx: returns.vendor_return(ctx, order_id, b.get("lines"), b.get("reason")))), 201
