"""Connector request validation: every AJIO-facing request is checked against the contract, and what
it breaks is in the journal with the field path (issue 7 point 4; API.md: the journal comes "with
contract violations")."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from contracts.registry import OPERATIONS
from fixtures.simclient import HttpTransport, ServerProcess, Sim

CONNECTOR = Path(__file__).resolve().parents[1] / "fixtures" / "connectors" / "malformed_ack.py"


def _violations(sim: Sim, pob_id: str, **filters) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in {"pob_id": pob_id, **filters}.items())
    return sim.control("GET", f"/journal?{query}", expect=200).json["entries"]


def _path(op, ids="X1") -> str:
    return op.path.replace("{order_id}", ids).replace("{return_order_id}", ids).replace("{document_id}", ids)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_unknown_field_is_refused_and_journaled_with_its_path(sim, op):
    """Every registry operation: an unknown body field, or an unknown query parameter for one that
    takes no body (declared query schema, or none at all: api/guard.py), is a 400 naming it."""
    headers, seller = {}, None
    if op.auth:  # a token of the operation's model (a ds token on /jit is a 401 before any parsing)
        prefix = op.path.split("/")[1]
        seller = sim.seller(model=prefix if prefix in ("jit", "vms") else "ds")
        headers = {"apiKey": sim.login(seller, seller["model"])}
    elif op.path.startswith("/ajio-vms/"):  # the ERP layer's own headers (seed 002), not an apiKey
        seller = sim.seller(model="vms")
        headers = {"authUsername": seller["pob_id"], "authPassword": seller["password"]}
    if op.body is not None:
        r = sim.http(op.method.upper(), _path(op), json_body={"bogusField": 1}, headers=headers)
        field = "bogusField"
    else:
        r = sim.http(op.method.upper(), _path(op) + "?bogusParam=1", headers=headers)
        field = "bogusParam"
    assert r.status == 400, (op.operation_id, r.status, r.content[:300])
    assert r.json["field"] in {e["field"] for e in r.json["errors"]}
    assert field in {e["field"] for e in r.json["errors"]}, r.json
    pob = seller["pob_id"] if seller else None
    entries = sim.control("GET", f"/journal?violations=true{'&pob_id=' + pob if pob else ''}", expect=200).json["entries"]
    last = entries[-1]
    assert last["path"] == _path(op) and last["status"] == 400
    assert field in {v["field"] for v in last["violations"]}, last["violations"]


def test_body_operation_refuses_a_query_parameter_it_does_not_declare(sim, seller, token):
    order_id = sim.place(seller["pob_id"])[0]
    r = sim.http("POST", "/ds/orders?dryRun=true", json_body={"order_id": order_id, "status": "Acknowledge"},
                 headers={"apiKey": token})
    assert r.status == 400 and r.json["field"] == "dryRun", r.json
    assert "takes no query parameters" in r.json["error_message"]
    assert sim.state(order_id)["status"] == "CREATED"  # refused before anything applied


def test_journal_violations_filter_separates_broken_requests(sim, seller, token):
    order_id = sim.place(seller["pob_id"])[0]
    assert sim.ds("GET", "/orders/pendency", token).status == 200
    bad = sim.ds("POST", "/orders", token, {"order_id": order_id, "status": "Acknowledge",
                                            "order_lines": [{"order_item_id": "1", "confirmed_quantity": -1}]})
    assert bad.status == 400
    broken = _violations(sim, seller["pob_id"], violations="true")
    clean = _violations(sim, seller["pob_id"], violations="false")
    assert [e["path"] for e in broken] == ["/ds/orders"]
    assert broken[0]["violations"] == [{"field": "order_lines[0].confirmed_quantity",
                                        "message": "must be between 0 and 10000"}]
    assert "/ds/orders/pendency" in [e["path"] for e in clean] and all(not e["violations"] for e in clean)


def test_journal_violations_filter_value_is_validated(sim):
    r = sim.control("GET", "/journal?violations=maybe")
    assert r.status == 400 and r.json["field"] == "violations"


@pytest.mark.e2e
def test_connector_sending_a_malformed_acknowledge_shows_violations_with_field_paths(tmp_path):
    """The real server process, a real connector process: its malformed acknowledge is refused (400/415)
    and /_sim/journal?violations=true lists each violation with the field path."""
    server = ServerProcess(tmp_path / "sim.sqlite3")
    try:
        sim = Sim(HttpTransport(server.base_url))
        seller = sim.seller()
        sim.place(seller["pob_id"], 1)
        env = {**os.environ, "AJIO_BASE_URL": server.base_url, "AJIO_MODEL": "ds",
               "AJIO_USERNAME": seller["pob_id"], "AJIO_PASSWORD": seller["password"]}
        done = subprocess.run([sys.executable, str(CONNECTOR)], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        statuses = [line.split(" ", 1)[0] for line in done.stdout.splitlines()]
        assert statuses == ["400", "415"], done.stdout
        entries = _violations(sim, seller["pob_id"], violations="true")
    finally:
        server.stop()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [("POST", "/ds/orders", 400),
                                                                        ("POST", "/ds/orders", 415)]
    first = {v["field"]: v["message"] for v in entries[0]["violations"]}
    assert first == {"ackBy": "Unknown field.", "order_lines[0].confirmed_quantity": "Not a valid integer."}
    assert entries[1]["violations"][0]["field"] == "Content-Type"
    assert "ackBy" in entries[0]["request_body"]  # the journal keeps the body as the connector sent it


def test_label_answer_carries_what_dispatch_asks_for(sim, seller):
    """The label answer names the AWB and the B2B invoice number: the masterAWB and invoiceNo of dispatch
    (the document's DispatchOrder link feeds them straight in), and the manifest accepts them."""
    order_id = sim.place(seller["pob_id"])[0]
    out = sim.to_status(seller, order_id, "PACKED")
    label = out["label"]
    assert label["invoice_number"] == out["invoice"]["invoice_number"]
    r = sim.ds("POST", "/orders/dispatch", out["token"], {"dispatchItems": [
        {"masterAWB": label["tracking_number"], "orderId": label["order_id"], "invoiceNo": label["invoice_number"]}]})
    assert r.status == 200 and r.json["failedDispatchItems"] == [], r.json
