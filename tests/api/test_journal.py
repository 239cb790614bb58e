"""The request journal (/_sim/journal): every AJIO-facing call, filed under its POB, with the contract
violations of a refused request (API.md: the control plane's journal)."""
from __future__ import annotations

import pytest
from dsworld import World


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def _journal(w: World) -> list[tuple]:
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob_id}", expect=200).json["entries"]
    return [(e["method"], e["path"], e["status"]) for e in entries]


def test_journal_files_expired_token_call_under_its_pob(w):
    """API.md control plane: GET /_sim/journal?pob_id= gives every AJIO-facing request and its answer.
    A call with an expired token (30 minutes, API.md) is the classic connector bug QA looks for;
    it belongs to the POB whose token it carries."""
    stale = w.token
    w.sim.advance(30 * 60)
    assert w.sim.ds("GET", "/orders/pendency", stale).status == 401
    assert ("GET", "/ds/orders/pendency", 401) in _journal(w)


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/ds/order/pendency", 404),
    ("POST", "/ds/orders/pendency", 405),
], ids=["unknown-path", "wrong-method"])
def test_journal_records_call_to_unknown_ds_route(w, method, path, status):
    """API.md control plane: the journal holds every AJIO-facing request. A connector calling a
    mistyped path or the wrong method is AJIO-facing too (and what QA most needs to see)."""
    r = w.sim.http(method, path, json_body={}, headers={"apiKey": w.token})
    assert r.status == status
    assert (method, path, status) in _journal(w)


@pytest.mark.parametrize("path, body, field", [
    ("/ds/orders", {"order_id": "X", "status": "Ack"}, "status"),
    ("/ds/orders/dispatch", {"dispatchItems": [{"masterAWB": "A", "orderId": "B"}]}, "dispatchItems[0].invoiceNo"),
], ids=["bad-enum", "missing-field"])
def test_journal_records_contract_violation_of_refused_request(w, path, body, field):
    """API.md control plane: GET /_sim/journal gives every AJIO-facing request and its answer,
    "with contract violations" (DESIGN: contracts/ validate the connector's requests, recorded in
    the journal). A body the contract refuses carries the offending field in its entry."""
    assert w.ds("POST", path.removeprefix("/ds"), body).status == 400
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob_id}", expect=200).json["entries"]
    [entry] = [e for e in entries if e["path"] == path]
    assert [v["field"] for v in entry["violations"] or []] == [field]


def test_journal_has_no_violation_for_a_valid_request(w):
    """As above: a request within the contract, even one the rules refuse, is no contract violation."""
    [order_id] = w.place()
    assert w.ds("POST", f"/orders/{order_id}/invoice", {}).status == 409
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob_id}", expect=200).json["entries"]
    assert entries[-1]["path"].endswith("/invoice") and entries[-1]["violations"] is None
