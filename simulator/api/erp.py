"""The ERP integration layer `/ajio-vms` exactly as seed 002: authUsername/authPassword headers."""
from __future__ import annotations

from flask import Blueprint, g, request

from contracts import erp as c
from simulator.api.common import body, query, read, respond, sim, write
from simulator.domain.sellers import get_pob
from simulator.domain.vms import einvoice, returns, rsi
from simulator.errors import NotFound, Unauthorized

bp = Blueprint("erp", __name__, url_prefix="/ajio-vms")
S = {name: getattr(c, name)() for name in ("B2bInvoicePosting", "CreditNotePosting", "RsiQuery", "RsiResponse",
                                           "ErpB2bInvoiceAccepted", "ErpCreditNoteAccepted")}
_AUTH_RULE = "ERP-AUTH-HEADERS"


UNAUTHENTICATED = "unauthenticated: authUsername/authPassword refused; the entry is filed under the authUsername as given"


def _pob() -> dict:
    """The VMS POB named by authUsername (its pob_id) with authPassword (its API password)."""
    username, password = request.headers.get("authUsername"), request.headers.get("authPassword")
    if not username:
        raise Unauthorized("missing authUsername header", field="authUsername", rule=_AUTH_RULE)
    g.pob_id = username[:32]  # the journal files every call under the username as given (issue: per-POB reads)
    try:
        if not password:
            raise Unauthorized("missing authPassword header", field="authPassword", rule=_AUTH_RULE)
        with sim().store.read() as conn:
            try:
                pob = get_pob(conn, username)
            except NotFound:
                pob = None
        if pob is None or pob["password"] != password:
            raise Unauthorized("invalid authUsername or authPassword", field="authPassword", rule=_AUTH_RULE)
        if pob["model"] != "vms":
            raise Unauthorized(f"POB {username} is enabled for the {pob['model']} model; /ajio-vms serves VMS "
                               f"sellers", field="authUsername", rule=_AUTH_RULE)
    except Unauthorized:
        g.violations = [{"field": "authUsername", "message": UNAUTHENTICATED}]
        raise
    return pob


@bp.post("/b2bInvoice/posting")
def post_b2b_invoice():
    pob, b = _pob(), body(S["B2bInvoicePosting"])
    answer = write(lambda ctx: einvoice.post_b2b_invoice_by_po(ctx, pob["pob_id"], b))
    return respond(S["ErpB2bInvoiceAccepted"], {**answer, "message": "B2B invoice accepted"})


@bp.post("/creditNote/posting")
def post_credit_note():
    pob, b = _pob(), body(S["CreditNotePosting"])
    answer = write(lambda ctx: returns.credit_note_by_posting(ctx, pob["pob_id"], b))
    return respond(S["ErpCreditNoteAccepted"], {**answer, "message": "credit note accepted"})


@bp.get("/rsi")
def list_rsi():
    pob, q = _pob(), query(S["RsiQuery"])
    return respond(S["RsiResponse"], read(lambda ctx: rsi.list_rsi(ctx, pob["pob_id"], q["rsiDateFrom"],
                                                                    q["rsiDateTo"])))
