"""GET /documents/{document_id}: every PDF, rendered from its record, for the owning POB only."""
from __future__ import annotations

from flask import Blueprint, Response

from simulator.api.common import authenticate, read, sim
from simulator.domain import documents
from simulator.pdf import render_pdf

bp = Blueprint("documents", __name__)


@bp.get("/documents/<document_id>")
def get_document(document_id: str):
    pob = authenticate(None)
    doc = read(lambda ctx: documents.fetch(ctx.conn, document_id, pob["pob_id"]))
    pdf = render_pdf(doc["kind"], doc["payload"], lite=sim().config.pdf == "lite")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{doc["kind"]}-{document_id}.pdf"'})
