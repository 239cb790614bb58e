"""Dropship `/ds` (pinned paths in API.md): one short view per operation."""
from __future__ import annotations

from flask import Blueprint, g

from contracts import ds as c
from simulator.api.common import authenticate, body, query, read, refused_lines, respond, sim, write
from simulator.domain import catalog
from simulator.domain.ds import fulfilment, orders, returns

bp = Blueprint("ds", __name__, url_prefix="/ds")
S = {name: cls() for name, cls in vars(c).items() if isinstance(cls, type) and name.endswith(("Request", "Query"))}
R = {name: cls() for name, cls in vars(c).items() if isinstance(cls, type) and name.endswith("Response")}


def _pob():
    return authenticate("ds")["pob_id"]


@bp.get("/products")
def list_products():
    pob_id, q = _pob(), query(S["ProductsQuery"])
    return respond(R["ProductsResponse"], read(lambda ctx: catalog.list_products(
        ctx, pob_id, sku=q.get("sku"), published_status=q.get("publishedStatus"), page=q["page"], size=q["size"])))


@bp.post("/updateInventory")
def update_inventory():
    pob_id, b = _pob(), body(S["UpdateInventoryRequest"])
    return respond(R["UpdateInventoryResponse"], write(lambda ctx: catalog.update_inventory(
        ctx, pob_id, b["inventory"], refused_lines())))


@bp.get("/orders/pendency")
def get_pendency():
    pob_id, q = _pob(), query(S["PageQuery"])
    # An unchanged page comes from the page cache, keyed by the POB's pendency version (simulator/fast/pagecache.py).
    return sim().pages.answer(("ds-pendency", pob_id, q["page"], q["size"]), g.pendency_version, lambda: respond(
        R["PendencyResponse"], read(lambda ctx: orders.get_pendency(ctx, pob_id, q["page"], q["size"]))))


@bp.post("/orders")
def acknowledge_order():
    """Acknowledge or (seller) cancel, per line; the answer lists what succeeded and what failed."""
    pob_id, b = _pob(), body(S["OrderActionRequest"])
    return respond(R["OrderActionResponse"], write(lambda ctx: orders.acknowledge_order(ctx, pob_id, b)))


@bp.get("/orders")
def list_orders():
    pob_id, q = _pob(), query(S["OrdersQuery"])
    return respond(R["OrdersResponse"], read(lambda ctx: orders.list_orders(
        ctx, pob_id, order_ids=q.get("orderIds"), status=q.get("status"), page=q["page"], size=q["size"])))


@bp.get("/orders/<order_id>/tracking")
def get_tracking(order_id: str):
    pob_id = _pob()
    return respond(R["TrackingResponse"], read(lambda ctx: orders.tracking_view(ctx, pob_id, order_id)))


@bp.post("/orders/<order_id>/invoice")
def generate_invoice(order_id: str):
    pob_id = _pob()
    body(S["InvoiceRequest"], empty_ok=True)
    return respond(R["InvoiceResponse"], write(lambda ctx: fulfilment.generate_invoice(ctx, pob_id, order_id)))


@bp.post("/orders/<order_id>/label")
def generate_label(order_id: str):
    pob_id, b = _pob(), body(S["LabelRequest"], rule="DS-LABEL-NEEDS-DIMENSIONS")
    return respond(R["LabelResponse"], write(lambda ctx: fulfilment.generate_label(ctx, pob_id, order_id, b)))


@bp.post("/orders/dispatch")
def dispatch_orders():
    pob_id, b = _pob(), body(S["DispatchRequest"])
    answer = write(lambda ctx: fulfilment.dispatch_orders(ctx, pob_id, b["dispatchItems"], refused_lines()))
    # Nothing manifested: a 400 with the per-item reasons, in its own schema (contracts/ds.py).
    if answer["manifest_id"]:
        return respond(R["DispatchResponse"], answer)
    return respond(R["DispatchFailedResponse"], answer, 400)


@bp.get("/returns")
def list_returns():
    pob_id, q = _pob(), query(S["ReturnsQuery"])
    return respond(R["ReturnsResponse"], read(lambda ctx: returns.list_returns(
        ctx, pob_id, return_type=q.get("returnType"), from_date=q.get("fromDate"), to_date=q.get("toDate"),
        page=q["page"], size=q["size"], return_ids=q.get("returnOrderIds"), order_ids=q.get("orderIds"))))


@bp.post("/return/rto")
def create_rto():
    pob_id, b = _pob(), body(S["CreateRtoRequest"])
    failed = refused_lines().get(b["order_id"])  # a line_failure fault: a 200 FAILED that created nothing
    return respond(R["CreateRtoResponse"], write(lambda ctx: returns.create_rto(ctx, pob_id, b, failed)))


@bp.post("/returns/<return_order_id>/qc")
def quality_check(return_order_id: str):
    pob_id, b = _pob(), body(S["QcRequest"])
    return respond(R["QcResponse"], write(lambda ctx: returns.quality_check(ctx, pob_id, return_order_id, b["items"])))


@bp.get("/returns/<return_order_id>/creditNote")
def get_credit_note(return_order_id: str):
    pob_id = _pob()
    return respond(R["CreditNoteResponse"], read(lambda ctx: returns.get_credit_note(ctx, pob_id, return_order_id)))
