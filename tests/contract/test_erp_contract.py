"""ERP contract engine (simulator/erp_conformance.py): an ERP must accept well-formed postings (2xx),
refuse malformed ones (4xx) and never fail (5xx). Exercised against fake ERPs with a posting schema of
the tests' own; the real posting schemas (seed 002 payloads, OUTWARD_ORDER_*) come with issue 4."""
from __future__ import annotations

import pytest
from flask import Flask, jsonify, request
from marshmallow import ValidationError, fields, validate

from contracts.common import Int, StrictSchema
from simulator.conformance import serve_in_thread
from simulator.erp_conformance import run_erp_contract

pytestmark = pytest.mark.contract


class _Item(StrictSchema):
    channelSkuCode = fields.String(required=True, validate=validate.Length(min=1, max=20))
    quantity = Int(required=True, validate=validate.Range(min=1, max=100))


class _CreatePosting(StrictSchema):
    eventType = fields.String(required=True, validate=validate.OneOf(("OUTWARD_ORDER_CREATE",)))
    orderId = fields.String(required=True, validate=validate.Length(min=1, max=32))
    items = fields.List(fields.Nested(_Item), required=True, validate=validate.Length(min=1, max=5))


POSTINGS = {"OUTWARD_ORDER_CREATE": _CreatePosting}


def _erp(behaviour: str) -> Flask:
    app = Flask("fake_erp")

    @app.post("/erp/postings")
    def receive():
        data = request.get_json(silent=True)
        if behaviour == "crash" and isinstance(data, dict) and data.get("items"):
            raise RuntimeError("ERP bug")
        if behaviour in ("strict", "crash", "picky"):
            try:
                _CreatePosting().load(data if isinstance(data, dict) else {"": data})
            except ValidationError as exc:
                return jsonify({"error": exc.messages}), 400
        if behaviour == "picky" and isinstance(data, dict) and len(data.get("items", [])) > 1:
            return jsonify({"error": "one item per posting"}), 400
        return jsonify({"accepted": True}), 200

    return app


def _run(behaviour: str):
    with serve_in_thread(_erp(behaviour)) as url:
        return run_erp_contract(url + "/erp/postings", POSTINGS, seed=1, max_examples=5)


def _checks(result) -> set[str]:
    return {f.check for f in result.findings}


def test_erp_that_honours_the_contract_passes():
    result = _run("strict")
    assert result.ok, result.summary()
    assert sum(result.cases.values()) > 20


def test_erp_accepting_malformed_postings_fails():
    assert "negative_data_rejection" in _checks(_run("lax"))


def test_erp_refusing_well_formed_postings_fails():
    assert "positive_data_acceptance" in _checks(_run("picky"))


def test_erp_answering_5xx_fails():
    assert "not_a_server_error" in _checks(_run("crash"))
