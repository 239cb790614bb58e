"""Throttling: per-POB token buckets per operation group, in simulated time (API.md: per-user limit, spec v1.2)."""
from __future__ import annotations

import pytest
from dsworld import World, assert_error


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def throttle(w: World, mode: str = "on", expect: int = 200, **limits):
    body = {"mode": mode}
    if limits:
        body["limits"] = limits
    return w.sim.control("PUT", "/throttle", body, expect=expect).json


def now(w: World) -> int:
    return w.sim.control("GET", "/clock").json["now"]


def test_off_by_default_no_429_no_headers(w):
    assert w.sim.control("GET", "/throttle").json["mode"] == "off"
    answers = [w.ds("GET", "/products") for _ in range(40)]
    assert {r.status for r in answers} == {200}
    assert all("X-RateLimit-Limit" not in r.headers for r in answers)


def test_burst_then_429_with_retry_after_and_rate_limit_headers(w):
    throttle(w, read={"rate": 0.5, "burst": 3})
    answers = [w.ds("GET", "/products") for _ in range(4)]
    assert [r.status for r in answers] == [200, 200, 200, 429]
    assert [r.headers["X-RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert all(r.headers["X-RateLimit-Limit"] == "3" for r in answers)
    assert answers[2].headers["X-RateLimit-Reset"] == "6"  # 3 tokens at 0.5/s
    refused = assert_error(answers[3], 429, code="TOO_MANY_REQUESTS", field="apiKey", rule="API-THROTTLE-RETRY-AFTER")
    assert answers[3].headers["Retry-After"] == "2" and "retry after 2 s" in refused["error_message"]


def test_frozen_clock_refills_nothing_until_it_moves(w):
    throttle(w, read={"rate": 1, "burst": 1})
    assert w.ds("GET", "/products").status == 200
    assert [w.ds("GET", "/products").status for _ in range(5)] == [429] * 5
    w.sim.advance(1)
    assert w.ds("GET", "/products").status == 200


def test_a_burst_is_shaped_to_the_configured_rate_in_simulated_time(w):
    """50 calls by a client that waits Retry-After (by moving the clock): burst 10, then 2 per second."""
    throttle(w, read={"rate": 2, "burst": 10})
    start, done, refusals = now(w), 0, 0
    while done < 50:
        r = w.ds("GET", "/products")
        if r.status == 429:
            refusals += 1
            w.sim.advance(int(r.headers["Retry-After"]))
        else:
            assert r.status == 200
            done += 1
    assert now(w) - start == (50 - 10) / 2  # 20 simulated seconds for the 40 beyond the burst
    assert refusals == 20


def test_groups_have_separate_buckets(w):
    throttle(w, read={"rate": 1, "burst": 1}, write={"rate": 1, "burst": 1})
    assert w.ds("GET", "/products").status == 200
    assert w.ds("GET", "/products").status == 429
    r = w.ds("POST", "/updateInventory", {"inventory": [{"sku": "NOPE", "quantity": 1}]})
    assert r.status != 429 and r.headers["X-RateLimit-Remaining"] == "0"  # the write bucket's own token
    assert w.ds("POST", "/updateInventory", {"inventory": [{"sku": "NOPE", "quantity": 1}]}).status == 429


def test_buckets_are_per_pob(w):
    other = World.new(w.sim)
    throttle(w, read={"rate": 1, "burst": 1})
    assert w.ds("GET", "/products").status == 200
    assert w.ds("GET", "/products").status == 429
    assert other.ds("GET", "/products").status == 200


def test_login_is_throttled_per_username(w):
    throttle(w, auth={"rate": 0.2, "burst": 2})
    assert [w.sim.http("POST", "/ds/authToken", json_body={"username": w.pob_id, "password": w.pob["password"]}).status
            for _ in range(3)] == [200, 200, 429]


def test_on_mode_early_retry_is_only_refused(w):
    throttle(w, read={"rate": 0.1, "burst": 1})
    w.ds("GET", "/products")
    first = w.ds("GET", "/products")
    assert first.headers["Retry-After"] == "10"
    w.sim.advance(5)
    assert w.ds("GET", "/products").headers["Retry-After"] == "5"  # the same wait, counted down
    w.sim.advance(5)
    assert w.ds("GET", "/products").status == 200
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob_id}&path=/ds/products").json["entries"]
    assert all(e["violations"] is None for e in entries)


def test_strict_mode_early_retry_restarts_the_wait_and_is_a_violation(w):
    throttle(w, "strict", read={"rate": 0.1, "burst": 1})
    w.ds("GET", "/products")
    assert w.ds("GET", "/products").headers["Retry-After"] == "10"
    w.sim.advance(5)
    early = w.ds("GET", "/products")
    assert early.status == 429 and early.headers["Retry-After"] == "10"
    [entry] = w.sim.control("GET", f"/journal?pob_id={w.pob_id}&path=/ds/products").json["entries"][-1:]
    assert entry["violations"][0]["field"] == "Retry-After" and "5 s before" in entry["violations"][0]["message"]
    w.sim.advance(9)
    assert w.ds("GET", "/products").status == 429
    w.sim.advance(10)
    assert w.ds("GET", "/products").status == 200


def test_switching_modes_by_the_knob(w):
    throttle(w, read={"rate": 1, "burst": 1})
    w.ds("GET", "/products")
    assert w.ds("GET", "/products").status == 429
    assert throttle(w, "off")["mode"] == "off"
    assert w.ds("GET", "/products").status == 200
    assert throttle(w, "on")["limits"]["read"] == {"rate": 1.0, "burst": 1}  # limits kept
    assert w.ds("GET", "/products").status == 200  # fresh buckets after a change


def test_reset_returns_to_the_server_option(w):
    throttle(w, "on")
    w.sim.control("POST", "/reset", expect=200)
    assert w.sim.control("GET", "/throttle").json["mode"] == "off"


def test_defaults_are_documented_values(w):
    limits = w.sim.control("GET", "/throttle").json["limits"]
    assert limits == {"auth": {"rate": 0.2, "burst": 5}, "read": {"rate": 5.0, "burst": 20},
                      "write": {"rate": 2.0, "burst": 10}, "documents": {"rate": 5.0, "burst": 20}}


@pytest.mark.parametrize("body, field", [
    ({"mode": "maybe"}, "mode"),
    ({"limits": {"bulk": {"rate": 1, "burst": 1}}}, "limits"),
    ({"limits": {"read": {"rate": 0, "burst": 1}}}, "limits.read.value.rate"),
    ({"limits": {"read": {"rate": 1}}}, "limits.read.value.burst"),
    ({"limits": {"read": {"rate": "1", "burst": 1}}}, "limits.read.value.rate"),
], ids=lambda v: str(v)[:50])
def test_bad_throttle_settings_are_400(w, body, field):
    r = w.sim.control("PUT", "/throttle", body)
    body = assert_error(r, 400, code="VALIDATION_FAILED")
    assert body["field"].startswith(field)
    assert w.sim.control("GET", "/throttle").json["mode"] == "off"


def test_a_faulted_request_still_counts_and_its_fault_answer_wins(w):
    throttle(w, read={"rate": 1, "burst": 1})
    w.sim.control("POST", "/faults", {"effects": [{"kind": "status", "status": 503}], "times": 2,
                                      "match": {"pob_id": w.pob_id}}, expect=201)
    assert [w.ds("GET", "/products").status for _ in range(2)] == [503, 503]  # the second found the bucket empty
    assert w.ds("GET", "/products").status == 429


def test_unknown_throttle_mode_in_config_is_refused():
    from simulator.app import create_app
    with pytest.raises(ValueError, match="throttle must be one of off, on, strict"):
        create_app({"db_url": "sqlite://", "throttle": "sometimes"})
