"""`ajio-sim contract --erp-url`: the simulator's real postings (contracts/erp.py POSTING_SCHEMAS, the same
schemas the ERP delivery dumps through) thrown at ERPs under test served over real HTTP in this process.
A correct ERP (validates each posting by its eventType, a return posting by its own schema) passes; a lax
one that accepts anything fails, the run naming the posting kind it wrongly accepted (seeds 002, 004)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import Flask, jsonify, request

from contracts.erp import POSTING_SCHEMAS
from simulator.cli import main
from simulator.conformance import serve_in_thread

pytestmark = pytest.mark.contract


def _erp(correct: bool) -> Flask:
    app = Flask("erp_under_test")

    @app.post("/erp/postings")
    def receive():
        if not correct:
            return jsonify({"status": "OK"}), 200
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify({"error": "the posting must be a JSON object"}), 400
        # Dispatch on the header the simulator's delivery sends (simulator/erp_delivery.py), as a real ERP
        # may: the return posting has no eventType in its body (seed 002).
        kind = request.headers.get("X-Ajio-Sim-Event")
        schema = POSTING_SCHEMAS.get(kind)
        if schema is None:
            return jsonify({"error": {"X-Ajio-Sim-Event": ["unknown posting kind"]}}), 400
        errors = schema().validate(data)
        if errors:
            return jsonify({"error": errors}), 400
        return jsonify({"status": "OK"}), 200

    return app


def _cli(correct: bool, tmp_path, capsys):
    junit = tmp_path / "erp.xml"
    with serve_in_thread(_erp(correct)) as url:
        code = main(["contract", "--erp-url", url + "/erp/postings", "--max-examples", "5", "--junit", str(junit)])
    return code, capsys.readouterr().out, ET.parse(junit).getroot()


def test_correct_erp_passes_every_posting_kind(tmp_path, capsys):
    code, out, suite = _cli(True, tmp_path, capsys)
    assert code == 0, out
    assert "OK: 0 failures" in out
    names = {case.get("name") for case in suite.iter("testcase")}
    for kind in ("OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL", "OUTWARD_ORDER_COMPLETE", "RETURN_ORDER"):
        assert any(kind in name for name in names), names
    assert suite.get("failures") == "0" and suite.get("errors") == "0"


def test_lax_erp_fails_naming_the_invalid_postings_it_accepted(tmp_path, capsys):
    code, out, suite = _cli(False, tmp_path, capsys)
    assert code == 1, out
    for kind in ("OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL", "OUTWARD_ORDER_COMPLETE", "RETURN_ORDER"):
        assert f"FAIL {kind} posting" in out and "[negative_data_rejection]" in out, out
    failures = [f for f in suite.iter("failure") if f.get("type") == "negative_data_rejection"]
    assert failures and int(suite.get("failures")) >= 4


def test_erp_url_must_be_http(capsys):
    assert main(["contract", "--erp-url", "ftp://erp.example.com/in"]) == 2
    assert "--erp-url" in capsys.readouterr().err
