"""The ERP layer `/ajio-vms` per POB (seed 002: authUsername names the POB): fault rules and throttling
decide by it before the view runs, and every call is journaled under it, faulted or refused too."""
from __future__ import annotations

import pytest
from dsworld import assert_error

from fixtures.vmsworld import VmsWorld

UNAUTH = "unauthenticated"


@pytest.fixture
def two(sim) -> tuple[VmsWorld, VmsWorld]:
    return VmsWorld.create(sim), VmsWorld.create(sim)


def with_po(w: VmsWorld) -> dict:
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    w.sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
    return w.ok(w.vms("GET", f"/orders/{order_id}/po"))


def journal(w: VmsWorld, pob_id: str) -> list[dict]:
    return w.sim.control("GET", f"/journal?pob_id={pob_id}&path=/ajio-vms/*", expect=200).json["entries"]


def test_fault_rule_on_b2b_invoice_posting_answers_one_sellers_call_only(two):
    a, b = two
    a.sim.control("POST", "/faults", {"match": {"path": "/ajio-vms/b2bInvoice/posting", "pob_id": a.pob["pob_id"]},
                                      "effects": [{"kind": "status", "status": 503}]}, expect=201)
    po_a, po_b = with_po(a), with_po(b)
    assert_error(a.erp("POST", "/b2bInvoice/posting", a.invoice_payload(po_a)), 503)
    assert b.ok(b.erp("POST", "/b2bInvoice/posting", b.invoice_payload(po_b)))["status"] == "SUCCESS"
    [faulted] = journal(a, a.pob["pob_id"])
    assert faulted["status"] == 503 and faulted["faults"] and faulted["path"] == "/ajio-vms/b2bInvoice/posting"
    assert [e["status"] for e in journal(b, b.pob["pob_id"])] == [200]


def test_faulted_call_with_bad_credentials_is_filed_under_the_username_marked_unauthenticated(two):
    a, _ = two
    a.sim.control("POST", "/faults", {"match": {"path": "/ajio-vms/**"}, "effects": [{"kind": "status", "status": 502}]},
                  expect=201)
    assert_error(a.erp("GET", "/rsi", password="wrong-password"), 502)
    [entry] = journal(a, a.pob["pob_id"])
    assert entry["status"] == 502 and UNAUTH in entry["violations"][0]["message"]


@pytest.mark.parametrize("username,password", [("DVNOSUCH", "x"), (None, "wrong-password"), (None, "")])
def test_refused_credentials_are_journaled_under_the_username_as_given(two, username, password):
    a, _ = two
    name = username or a.pob["pob_id"]
    assert_error(a.erp("GET", "/rsi", username=name, password=password), 401, rule="ERP-AUTH-HEADERS")
    [entry] = journal(a, name)
    assert entry["status"] == 401 and entry["violations"][0]["field"] == "authUsername"
    assert UNAUTH in entry["violations"][0]["message"]


def test_authenticated_call_is_not_marked(two):
    a, _ = two
    a.erp("GET", "/rsi")  # a 400 (no dates), but the credentials are good
    [entry] = journal(a, a.pob["pob_id"])
    assert all(UNAUTH not in v["message"] for v in entry["violations"] or [])


def test_throttling_buckets_are_per_pob_on_the_erp_layer(two):
    a, b = two
    a.sim.control("PUT", "/throttle", {"mode": "on", "limits": {"read": {"rate": 0.001, "burst": 2}}}, expect=200)
    assert [a.erp("GET", "/rsi").status for _ in range(3)] == [400, 400, 429]
    assert b.erp("GET", "/rsi").status == 400  # b's own bucket is full
    assert [e["status"] for e in journal(a, a.pob["pob_id"])] == [400, 400, 429]
