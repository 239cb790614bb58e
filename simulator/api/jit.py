"""JIT `/jit` (pinned paths in API.md, seed 001 touchpoints): one short view per operation."""
from __future__ import annotations

from flask import Blueprint, request

from contracts import jit as c
from simulator.api.common import authenticate, body, query, read, refused_lines, respond, write
from simulator.domain.jit import fulfilment, inventory, orders, returns
from simulator.errors import ValidationFailed

bp = Blueprint("jit", __name__, url_prefix="/jit")
S = {name: cls() for name, cls in vars(c).items() if isinstance(cls, type) and issubclass(cls, c.Schema)}


def _pob():
    return authenticate("jit")["pob_id"]


@bp.get("/products")
def list_products():
    """SKU pull (seed 001 row 1): AJIO's SKU code with ProductId~VariantId and moderation status."""
    pob_id, q = _pob(), query(S["JitProductsQuery"])
    return respond(S["JitProductsAnswer"], read(lambda ctx: inventory.list_products(
        ctx, pob_id, sku=q.get("sku"), moderation=q.get("moderationStatus"), page=q["page"], size=q["size"])))


@bp.get("/orders/pendency")
def get_pendency():
    pob_id, q = _pob(), query(S["PageQuery"])
    return respond(S["JitOrdersAnswer"], read(lambda ctx: orders.get_pendency(ctx, pob_id, q["page"], q["size"])))


@bp.get("/orders")
def list_orders():
    pob_id, q = _pob(), query(S["JitOrdersQuery"])
    return respond(S["JitOrdersAnswer"], read(lambda ctx: orders.list_orders(
        ctx, pob_id, order_ids=q.get("orderIds"), status=q.get("status"), page=q["page"], size=q["size"])))


@bp.post("/orders/<order_id>/cancel")
def cancel_order(order_id: str):
    pob_id, b = _pob(), body(S["JitCancelRequest"])
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and len(key) > 128:
        raise ValidationFailed("Idempotency-Key must be at most 128 characters", field="Idempotency-Key")
    return respond(S["JitOrder"], write(lambda ctx: orders.cancel_order(ctx, pob_id, order_id, b["lines"], key)))


@bp.post("/orders/<order_id>/invoice")
def generate_invoice(order_id: str):
    pob_id = _pob()
    body(S["JitInvoiceRequest"], empty_ok=True)
    return respond(S["JitInvoiceAnswer"], write(lambda ctx: fulfilment.generate_invoice(ctx, pob_id, order_id)))


@bp.put("/orders/<order_id>/invoice")
def update_invoice(order_id: str):
    pob_id = _pob()
    body(S["JitInvoiceRequest"], empty_ok=True)
    return respond(S["JitInvoiceAnswer"], write(lambda ctx: fulfilment.update_invoice(ctx, pob_id, order_id)))


@bp.post("/orders/<order_id>/prepack")
def prepack(order_id: str):
    pob_id, b = _pob(), body(S["JitPrepackRequest"])
    return respond(S["JitPrepackAnswer"], write(lambda ctx: fulfilment.prepack(ctx, pob_id, order_id, b["box_ids"])))


@bp.post("/orders/<order_id>/pack")
def pack(order_id: str):
    pob_id, b = _pob(), body(S["JitPackRequest"])
    return respond(S["JitPackAnswer"], write(lambda ctx: fulfilment.pack(ctx, pob_id, order_id, b["boxes"])))


@bp.post("/orders/dispatch")
def dispatch_orders():
    pob_id, b = _pob(), body(S["JitDispatchRequest"])
    answer = write(lambda ctx: fulfilment.dispatch_orders(ctx, pob_id, b["dispatchItems"], refused_lines()))
    # Nothing manifested: a 400 with the per-item reasons, in its own schema (contracts/jit.py).
    if answer["manifest_id"]:
        return respond(S["JitDispatchAnswer"], answer)
    return respond(S["JitDispatchFailedAnswer"], answer, 400)


@bp.post("/inventory")
def push_inventory():
    pob_id, b = _pob(), body(S["JitInventoryPushRequest"])
    return respond(S["JitInventoryPushAnswer"], write(lambda ctx: inventory.push_inventory(ctx, pob_id, b["inventory"])))


@bp.get("/inventory")
def get_inventory():
    pob_id, q = _pob(), query(S["JitInventoryQuery"])
    return respond(S["JitInventoryAnswer"], read(lambda ctx: inventory.get_inventory(ctx, pob_id, q.get("sku"))))


@bp.get("/backorders")
def get_backorders():
    pob_id = _pob()
    query(S["JitEmptyQuery"])
    return respond(S["JitBackordersAnswer"], read(lambda ctx: inventory.get_backorders(ctx, pob_id)))


@bp.get("/returns")
def list_returns():
    """Returns pulled are created CONFIRMED (seed 001 row 3)."""
    pob_id, q = _pob(), query(S["JitReturnsQuery"])
    return respond(S["JitReturnsAnswer"], read(lambda ctx: returns.list_returns(
        ctx, pob_id, from_date=q.get("fromDate"), to_date=q.get("toDate"), page=q["page"], size=q["size"])))
