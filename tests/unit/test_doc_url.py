"""simulator/api/common.py doc_url: the per-request template gives exactly what url_for gives."""
from __future__ import annotations

from flask import url_for

from simulator.api.common import doc_url
from simulator.app import create_app


def test_doc_url_is_url_for_for_plain_and_quoted_ids():
    app = create_app({"db_url": "sqlite://", "seed": 1})
    for base in ("http://localhost/", "http://127.0.0.1:8080/", "https://sim.example:8443/prefix/"):
        with app.test_request_context("/ds/orders", base_url=base):
            for document_id in ("DOCWFGHQALUZ9EV", "DOC_1-a", "a b/c", "x%y", "DOCA"):
                assert doc_url(document_id) == url_for("documents.get_document", document_id=document_id,
                                                       _external=True), (base, document_id)
