"""VMS `/vms` (pinned paths in API.md, seed 002): one short view per operation."""
from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema

from contracts import vms as c
from simulator.api.common import authenticate, body, query, read, refused_lines, respond, write
from simulator.domain.vms import einvoice, fulfilment, orders, returns, rsi
from simulator.domain.vms.common import vms_order

bp = Blueprint("vms", __name__, url_prefix="/vms")


# One instance per contract schema, by name (an alias such as VmsAcknowledgeRequest included).
S = {name: obj() for name, obj in vars(c).items() if isinstance(obj, type) and issubclass(obj, Schema)}


def _pob():
    return authenticate("vms")["pob_id"]


@bp.get("/orders")
def list_orders():
    pob_id, q = _pob(), query(S["VmsOrdersQuery"])
    return respond(S["VmsOrdersResponse"], read(lambda ctx: orders.list_orders(
        ctx, pob_id, from_date=q["fromDate"], to_date=q["toDate"], page=q["page"], size=q["size"])))


@bp.post("/orders/<order_id>/acknowledge")
def acknowledge_order(order_id: str):
    pob_id = _pob()
    body(S["VmsAcknowledgeRequest"], empty_ok=True)
    return respond(S["VmsAcknowledgeResponse"], write(lambda ctx: orders.acknowledge_order(ctx, pob_id, order_id)))


@bp.get("/orders/<order_id>/po")
def get_po(order_id: str):
    pob_id = _pob()
    return respond(S["VmsPoResponse"], read(lambda ctx: orders.get_po(ctx, pob_id, order_id)))


@bp.post("/orders/<order_id>/b2bInvoice")
def post_b2b_invoice(order_id: str):
    pob_id, b = _pob(), body(S["VmsB2bInvoiceRequest"])
    return respond(S["VmsB2bInvoiceResponse"], write(lambda ctx: einvoice.post_b2b_invoice(
        ctx, pob_id, vms_order(ctx, order_id, pob_id), b, "/vms")))


@bp.get("/orders/<order_id>/documents")
def get_documents(order_id: str):
    # A GET that packs: the first fetch creates the B2C invoice and label (seed 002), later ones re-read them.
    pob_id = _pob()
    return respond(S["VmsDocumentsResponse"], write(lambda ctx: fulfilment.get_documents(ctx, pob_id, order_id)))


@bp.post("/orders/<order_id>/cancel")
def cancel_order(order_id: str):
    pob_id, b = _pob(), body(S["VmsCancelRequest"], empty_ok=True)
    return respond(S["VmsCancelResponse"], write(lambda ctx: fulfilment.cancel_order(
        ctx, pob_id, order_id, b.get("lines"))))


@bp.post("/manifests")
def create_manifest():
    pob_id, b = _pob(), body(S["VmsManifestRequest"])
    return respond(S["VmsManifestResponse"], write(lambda ctx: fulfilment.create_manifest(
        ctx, pob_id, b["orderIds"], refused_lines())))


@bp.get("/returns")
def list_returns():
    pob_id, q = _pob(), query(S["VmsReturnsQuery"])
    return respond(S["VmsReturnsResponse"], read(lambda ctx: returns.list_returns(
        ctx, pob_id, return_type=q.get("returnType"), from_date=q.get("fromDate"), to_date=q.get("toDate"),
        page=q["page"], size=q["size"])))


@bp.post("/returns/rto")
def request_rto():
    pob_id, b = _pob(), body(S["VmsRtoRequest"])
    return respond(S["VmsRtoResponse"], write(lambda ctx: returns.request_rto(ctx, pob_id, b["order_id"])))


@bp.post("/returns/<return_order_id>/qc")
def quality_check(return_order_id: str):
    pob_id, b = _pob(), body(S["VmsQcRequest"])
    return respond(S["VmsQcResponse"], write(lambda ctx: returns.quality_check(
        ctx, pob_id, return_order_id, b["items"])))


@bp.post("/returns/<return_order_id>/creditNote")
def post_credit_note(return_order_id: str):
    pob_id, b = _pob(), body(S["VmsCreditNoteRequest"])
    return respond(S["VmsCreditNoteResponse"], write(lambda ctx: returns.credit_note_by_path(
        ctx, pob_id, return_order_id, b)))


@bp.get("/rsi")
def list_rsi():
    pob_id, q = _pob(), query(S["VmsRsiListQuery"])
    return respond(S["VmsRsiListResponse"], read(lambda ctx: rsi.list_rsi(
        ctx, pob_id, q["rsiDateFrom"], q["rsiDateTo"])))


@bp.post("/rsi/<rsi_number>/accept")
def accept_rsi(rsi_number: str):
    pob_id = _pob()
    body(S["VmsRsiAcceptRequest"], empty_ok=True)
    return respond(S["VmsRsiAcceptResponse"], write(lambda ctx: rsi.accept_rsi(ctx, pob_id, rsi_number)))
