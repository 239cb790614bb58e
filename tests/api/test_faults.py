"""Fault rules through /_sim/faults: matching, times, seeded probability, journal, listing, bad input."""
from __future__ import annotations

import pytest
from dsworld import World, assert_error

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def add(w: World, *effects, expect: int = 201, **rule):
    return w.sim.control("POST", "/faults", {"effects": list(effects), **rule}, expect=expect).json


def products_status(w: World) -> int:
    return w.ds("GET", "/products").status


# -- matching --------------------------------------------------------------------------------------
@pytest.mark.parametrize("match, hit", [
    ({"method": "GET"}, True),
    ({"method": "POST"}, False),
    ({"path": "/ds/products"}, True),
    ({"path": "/ds/*"}, True),
    ({"path": "/ds/orders/*"}, False),
    ({"path": "/**"}, True),
    ({"path_regex": r"/ds/prod.*"}, True),
    ({"path_regex": r"/ds"}, False),  # a regex matches the whole path
    ({"model": "ds"}, True),
    ({"model": "vms"}, False),
], ids=lambda v: str(v))
def test_rule_matches_method_path_and_model(w, match, hit):
    add(w, {"kind": "status", "status": 500}, match=match)
    assert products_status(w) == (500 if hit else 200)


def test_query_matcher_picks_one_page_of_a_list(w):
    """`match.query`: the request's query carries each parameter with that value: a list's second page fails, its
    first page and the unpaged read go through; an empty query matcher is refused."""
    add(w, {"kind": "status", "status": 503}, match={"method": "GET", "path": "/ds/products", "query": {"page": "1"}})
    assert w.ds("GET", "/products?page=0&size=5").status == 200
    assert w.ds("GET", "/products").status == 200
    assert w.ds("GET", "/products?page=1&size=5").status == 503
    add(w, {"kind": "status", "status": 503}, match={"query": {}}, expect=400)


def test_body_matcher_picks_one_order_among_many(w):
    """`match.body`: the request's JSON body holds the object (a list item found in the body's list):
    one order's acknowledgement is refused, another's on the same path goes through."""
    first, second = w.place(2)
    add(w, {"kind": "status", "status": 503}, match={"method": "POST", "path": "/ds/orders",
                                                        "body": {"order_id": first, "order_lines": []}})
    assert w.acknowledge(second).status == 200
    assert_error(w.acknowledge(first), 503)
    assert w.sim.control("GET", "/faults").json["faults"][0]["match"]["body"] == {"order_id": first,
                                                                                   "order_lines": []}


@pytest.mark.parametrize("want, got, hit", [
    ({"a": 1}, {"a": 1, "b": 2}, True),
    ({"a": 1}, {"a": 2}, False),
    ({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}}, True),
    ({"lines": [{"sku": "X"}]}, {"lines": [{"sku": "Y"}, {"sku": "X", "n": 1}]}, True),
    ({"lines": [{"sku": "X"}, {"sku": "Z"}]}, {"lines": [{"sku": "X"}]}, False),
    ({"a": 1}, None, False),  # no JSON body at all
    ({"a": 1}, [{"a": 1}], False),
    ({"a": [1]}, {"a": 1}, False),
], ids=str)
def test_body_subset_semantics(want, got, hit):
    from contracts.faults import json_subset
    assert json_subset(want, got) is hit


def test_glob_star_stays_in_one_segment(w):
    [order_id] = w.place()
    add(w, {"kind": "status", "status": 500}, match={"path": "/ds/orders/*/invoice"})
    assert w.ds("POST", f"/orders/{order_id}/invoice", {}).status == 500
    assert w.ds("GET", "/orders/pendency").status == 200


def test_rule_for_one_pob_leaves_another_alone(w):
    other = World.new(w.sim)
    add(w, {"kind": "status", "status": 500}, match={"pob_id": w.pob_id})
    assert products_status(w) == 500
    assert products_status(other) == 200


def test_documents_match_on_the_pob_model(w):
    order = w.one("INVOICED")
    add(w, {"kind": "status", "status": 502}, match={"model": "ds", "path": "/documents/*"})
    r = w.sim.get_url(order.invoice["invoice_pdf_url"], w.token)
    assert r.status == 502


def test_control_plane_never_faulted(w):
    add(w, {"kind": "status", "status": 500}, match={"path": "/**"})
    w.sim.control("GET", "/clock", expect=200)


# -- times, probability, listing -------------------------------------------------------------------
def test_times_applies_exactly_n_times_then_rule_is_spent(w):
    rule = add(w, {"kind": "status", "status": 503}, times=2)
    assert [products_status(w) for _ in range(4)] == [503, 503, 200, 200]
    listed = w.sim.control("GET", f"/faults/{rule['id']}", expect=200).json
    assert listed["applied"] == 2 and listed["remaining"] == 0 and listed["active"] is False


def _pattern(seed: int) -> list[int]:
    sim = Sim(FlaskTransport(create_app({"db_url": "sqlite://", "seed": 7, "frozen_at": T0}).test_client()))
    w = World.new(sim)
    add(w, {"kind": "status", "status": 503}, probability=0.5, seed=seed)
    return [products_status(w) for _ in range(24)]


def test_probability_is_seeded_and_reproducible():
    first, again, other = _pattern(3), _pattern(3), _pattern(4)
    assert first == again
    assert 0 < first.count(503) < 24
    assert first != other


def test_probability_counts_hits_and_applications(w):
    rule = add(w, {"kind": "status", "status": 503}, probability=0.5, seed=1)
    statuses = [products_status(w) for _ in range(10)]
    listed = w.sim.control("GET", f"/faults/{rule['id']}", expect=200).json
    assert listed["hits"] == 10 and listed["applied"] == statuses.count(503)


def test_rules_listed_and_cleared_one_or_all(w):
    first = add(w, {"kind": "latency", "ms": 0}, name="slow")
    second = add(w, {"kind": "empty_body"})
    listed = w.sim.control("GET", "/faults", expect=200).json["faults"]
    assert [r["id"] for r in listed] == [first["id"], second["id"]] and listed[0]["name"] == "slow"
    assert w.sim.control("DELETE", f"/faults?id={first['id']}", expect=200).json == {"deleted": 1}
    assert [r["id"] for r in w.sim.control("GET", "/faults").json["faults"]] == [second["id"]]
    assert w.sim.control("DELETE", "/faults", expect=200).json == {"deleted": 1}
    assert w.sim.control("GET", "/faults").json["faults"] == []


def test_reset_clears_rules(w):
    add(w, {"kind": "status", "status": 500})
    w.sim.control("POST", "/reset", expect=200)
    assert w.sim.control("GET", "/faults").json["faults"] == []


def test_unknown_rule_id_is_404(w):
    assert_error(w.sim.control("DELETE", "/faults/99"), 404, field="id")
    assert_error(w.sim.control("GET", "/faults/99"), 404, field="id")
    assert_error(w.sim.control("DELETE", "/faults?id=99"), 404, field="id")


# -- journal ----------------------------------------------------------------------------------------
def test_journal_entry_carries_every_applied_fault(w):
    rule = add(w, {"kind": "latency", "ms": 1}, {"kind": "status", "status": 500}, name="bad day")
    w.ds("GET", "/products")
    [entry] = w.sim.control("GET", f"/journal?pob_id={w.pob_id}&path=/ds/products").json["entries"][-1:]
    assert [f["kind"] for f in entry["faults"]] == ["latency", "status"]
    assert all(f["rule_id"] == rule["id"] and f["name"] == "bad day" for f in entry["faults"])
    assert entry["status"] == 500


def test_status_after_processing_applies_the_call(w):
    [order_id] = w.place()
    add(w, {"kind": "status", "status": 502, "phase": "after"}, match={"method": "POST", "path": "/ds/orders"})
    assert_error(w.acknowledge(order_id), 502, code="BAD_GATEWAY")
    assert w.state(order_id)["status"] == "CONFIRMED"


def test_status_before_processing_leaves_the_world_alone(w):
    [order_id] = w.place()
    add(w, {"kind": "status", "status": 500}, match={"method": "POST"})
    assert_error(w.acknowledge(order_id), 500)
    assert w.state(order_id)["status"] == "CREATED"


def test_reset_in_process_raises_into_the_client(w):
    add(w, {"kind": "reset"})
    with pytest.raises(ConnectionResetError):
        w.ds("GET", "/products")


def test_api_md_words_effect_and_count_are_accepted(w):
    rule = w.sim.control("POST", "/faults", {"effect": {"kind": "status", "status": 500}, "count": 1}, expect=201).json
    assert rule["effects"] == [{"kind": "status", "status": 500}] and rule["times"] == 1
    assert [products_status(w) for _ in range(2)] == [500, 200]


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule, field, message", [
    ({}, "effects", "required"),
    ({"effects": []}, "effects", "length"),
    ({"effects": [{"kind": "explode"}]}, "effects[0].kind", "must be one of"),
    ({"effects": [{"kind": "status"}]}, "effects[0].status", "needs status"),
    ({"effects": [{"kind": "status", "status": 200}]}, "effects[0].status", "400"),
    ({"effects": [{"kind": "latency", "ms": 5, "bytes": 3}]}, "effects[0].bytes", "not an option"),
    ({"effects": [{"kind": "latency", "ms": 600001}]}, "effects[0].ms", "60000"),
    ({"effects": [{"kind": "po_missing"}]}, "effects[0].minutes", "needs minutes"),
    ({"effects": [{"kind": "empty_body"}], "probability": 1.5}, "probability", "1"),
    ({"effects": [{"kind": "empty_body"}], "times": 0}, "times", "1"),
    ({"effects": [{"kind": "empty_body"}], "match": {"path": "ds/*"}}, "match.path", "start with '/'"),
    ({"effects": [{"kind": "empty_body"}], "match": {"path_regex": "("}}, "match.path_regex", "regular expression"),
    ({"effects": [{"kind": "empty_body"}], "match": {"path": "/a", "path_regex": "/a"}}, "match.path_regex", "not both"),
    ({"effects": [{"kind": "empty_body"}], "match": {"method": "get"}}, "match.method", "must be one of"),
    ({"effects": [{"kind": "empty_body"}], "match": {"host": "x"}}, "match.host", "unknown"),
    ({"effects": [{"kind": "empty_body"}], "match": {"body": {}}}, "match.body", "at least one key"),
    ({"effects": [{"kind": "empty_body"}], "match": {"body": [1]}}, "match.body", "Not a valid mapping"),
    ({"effects": [{"kind": "empty_body"}], "match": {"body": {"k": "x" * 5000}}}, "match.body", "4096"),
    ({"effects": [{"kind": "empty_body"}], "effect": {"kind": "empty_body"}}, "effect", "not both"),
    ({"effects": [{"kind": "empty_body"}], "times": 1, "count": 1}, "count", "not both"),
], ids=lambda v: str(v)[:60])
def test_bad_rule_is_400_naming_the_field(w, rule, field, message):
    r = w.sim.control("POST", "/faults", rule)
    assert_error(r, 400, code="VALIDATION_FAILED", field=field, message=message)
    assert w.sim.control("GET", "/faults").json["faults"] == []


def test_faults_and_throttle_need_the_admin_token_when_one_is_set():
    sim = Sim(FlaskTransport(create_app({"db_url": "sqlite://", "frozen_at": T0, "admin_token": "s3cret"})
                             .test_client()))
    for method, path, body in (("POST", "/faults", {"effects": [{"kind": "empty_body"}]}), ("GET", "/faults", None),
                               ("DELETE", "/faults", None), ("PUT", "/throttle", {"mode": "on"})):
        assert_error(sim.control(method, path, body), 401, field="X-Admin-Token")


def test_unknown_login_name_matches_no_pob_rule(w):
    add(w, {"kind": "status", "status": 500}, match={"pob_id": w.pob_id})
    r = w.sim.http("POST", "/ds/authToken", json_body={"username": "DVNOSUCH", "password": "whatever1"})
    assert_error(r, 401)


@pytest.mark.parametrize("path", ["/jit/orders/pendency", "/vms/orders", "/ajio-vms/rsi", "/ds/no-such-call"])
def test_every_ajio_prefix_gets_faults_even_before_its_routes_exist(w, path):
    add(w, {"kind": "status", "status": 503}, match={"path": "/**"})
    assert_error(w.sim.http("GET", path, headers={"apiKey": w.token}), 503)


def test_erp_layer_requests_match_on_their_auth_username(w):
    add(w, {"kind": "status", "status": 502}, match={"pob_id": w.pob_id, "model": "vms"})
    r = w.sim.http("GET", "/ajio-vms/rsi", headers={"authUsername": w.pob_id, "authPassword": w.pob["password"]})
    assert_error(r, 502)
    other = w.sim.http("GET", "/ajio-vms/rsi", headers={"authUsername": "DVNOSUCH", "authPassword": "x"})
    assert other.status != 502


def test_reset_supersedes_a_status_of_the_same_request(w):
    add(w, {"kind": "status", "status": 503}, {"kind": "reset"})
    with pytest.raises(ConnectionResetError):
        w.ds("GET", "/products")
    [entry] = w.sim.control("GET", f"/journal?pob_id={w.pob_id}&path=/ds/products").json["entries"][-1:]
    assert entry["status"] == 0
    assert [(f["kind"], f.get("superseded_by")) for f in entry["faults"]] == [("status", "reset"), ("reset", None)]


def test_a_failing_effect_leaves_the_answer_as_it_was(w, monkeypatch):
    from simulator.faults import effects

    def broken(*args, **kwargs):
        raise RuntimeError("bug in an effect")
    monkeypatch.setitem(effects._AFTER, "empty_body", broken)
    add(w, {"kind": "empty_body"})
    r = w.ds("GET", "/products")
    assert r.status == 200 and r.json["products"]
    [entry] = w.sim.control("GET", f"/journal?pob_id={w.pob_id}&path=/ds/products").json["entries"][-1:]
    assert entry["faults"][-1]["kind"] == "error"


# -- a status announcing Retry-After ---------------------------------------------------------------
def _products_journal(w: World) -> list[dict]:
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/ds/products&limit=50",
                            expect=200).json["entries"]
    return [e.get("violations") or [] for e in entries]


@pytest.mark.parametrize("waited, marked", [(0.5, True), (2.5, False)])
def test_status_with_retry_after_marks_a_repeat_sent_sooner(w, monkeypatch, waited, marked):
    """A staged 503 announcing Retry-After: 2: the same call from the same token sooner (wall clock) is marked
    API-RETRY-TRANSIENT in the journal; one after the wait is not. The fault's rule is spent after one use."""
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    add(w, {"kind": "status", "status": 503, "retry_after": 2}, match={"path": "/ds/products"}, times=1)
    first = w.ds("GET", "/products")
    assert first.status == 503 and first.headers.get("Retry-After") == "2"
    now[0] += waited
    assert products_status(w) == 200
    first_marks, second_marks = _products_journal(w)
    assert first_marks == []
    if marked:
        [mark] = second_marks
        assert mark["rule_id"] == "API-RETRY-TRANSIENT" and mark["field"] == "Retry-After" and "503" in mark["message"]
    else:
        assert second_marks == []
    assert products_status(w) == 200 and _products_journal(w)[2] == []  # one announcement judges one repeat


@pytest.mark.parametrize("status", [503, 429])
@pytest.mark.parametrize("advanced, marked", [(0, True), (2, True), (3, False), (600, False)])
def test_a_repeat_after_the_simulated_clock_passed_the_retry_after_is_in_time(w, monkeypatch, status, advanced,
                                                                             marked):
    """A connector may leave a call that announced Retry-After: 2 to its next sync: when the scenario's clock has
    moved past the wait before that sync, the repeat is in time though little wall time passed (blind hunt 32 saw
    a lawful deferral judged by the wall clock alone). The simulated clock counts whole seconds, so it must pass
    the wait by more than a second (2 s is not enough: a running clock could be 0.9 s short). A backoff_ms is
    real time asked for (an ERP daemon's wait): the clock's jump does not shorten it."""
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    add(w, {"kind": "status", "status": status, "retry_after": 2}, match={"path": "/ds/products"}, times=1)
    assert w.ds("GET", "/products").status == status
    if advanced:
        w.sim.advance(advanced)  # the same token: its repeat is the one judged
    now[0] += 0.5
    assert products_status(w) == 200
    marks = _products_journal(w)[1]
    assert bool(marks) is marked, marks


@pytest.mark.parametrize("effect", [{"kind": "throttle", "retry_after": 2, "backoff_ms": 2000},
                                    {"kind": "status", "status": 503, "backoff_ms": 2000}], ids=str)
def test_a_backoff_ms_is_judged_on_the_wall_clock_whatever_the_simulated_one_did(w, monkeypatch, effect):
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    add(w, effect, match={"path": "/ds/products"}, times=1)
    assert w.ds("GET", "/products").status in (429, 503)
    w.sim.advance(600)
    now[0] += 0.5
    assert products_status(w) == 200
    [mark] = _products_journal(w)[1]
    assert mark["field"] == "Retry-After", mark


@pytest.mark.parametrize("status, rule", [(503, "API-RETRY-TRANSIENT"), (429, "API-THROTTLE-RETRY-AFTER")])
def test_a_repeat_too_soon_names_the_rule_of_the_status_that_announced_the_wait(w, monkeypatch, status, rule):
    """A staged 5xx is a transient failure; a staged 429 is a throttle like AJIO's own: a repeat sent before its
    Retry-After names API-THROTTLE-RETRY-AFTER (it named the transient rule for both until hunt 24's login bug)."""
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    add(w, {"kind": "status", "status": status, "retry_after": 2}, match={"path": "/ds/products"}, times=1)
    assert w.ds("GET", "/products").status == status
    now[0] += 0.5
    assert products_status(w) == 200
    [mark] = _products_journal(w)[1]
    assert mark["rule_id"] == rule and f"a {status} that announced Retry-After: 2 s" in mark["message"]


def test_status_with_retry_after_on_a_login_judges_that_pobs_login_only(w, monkeypatch):
    """A login carries no token: a staged 503 announcing Retry-After on one POB's login judges that POB's next login,
    not another POB's login made meanwhile (keyed on no credential, every login was one caller)."""
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    other = w.sim.seller(model="ds")
    add(w, {"kind": "status", "status": 503, "retry_after": 2},
        match={"method": "POST", "path": "/ds/authToken", "pob_id": w.pob["pob_id"]}, times=1)
    first = w.sim.http("POST", "/ds/authToken", json_body={"username": w.pob["pob_id"], "password": w.pob["password"]})
    assert first.status == 503
    w.sim.login(other)  # another POB logs in at once: no repeat of the first POB's login
    marks = w.sim.control("GET", f"/journal?pob_id={other['pob_id']}&path=/ds/authToken", expect=200).json["entries"]
    assert [e.get("violations") or [] for e in marks] == [[]]
    w.sim.login(w.pob)  # the first POB's own login, sooner than announced: marked
    mine = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/ds/authToken", expect=200).json["entries"]
    [mark] = mine[-1]["violations"]
    assert mark["rule_id"] == "API-RETRY-TRANSIENT" and "503" in mark["message"]


@pytest.mark.parametrize("effect", [{"kind": "reset"}, {"kind": "reset", "phase": "after"}, {"kind": "malformed"},
                                    {"kind": "empty_body"}, {"kind": "truncate"},
                                    {"kind": "status", "status": 502, "phase": "after"}], ids=str)
@pytest.mark.parametrize("waited, marked", [(0.05, True), (0.25, False)])
def test_transport_fault_with_backoff_ms_marks_a_retry_sent_sooner(w, monkeypatch, effect, waited, marked):
    """A transport effect given backoff_ms: a retry of the same call sooner (wall clock) is marked
    API-RETRY-TRANSIENT naming the effect; one after the pause is not (no header announces it)."""
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    add(w, {**effect, "backoff_ms": 200}, match={"path": "/ds/products"}, times=1)
    try:
        w.ds("GET", "/products")
    except ConnectionResetError:
        pass
    now[0] += waited
    assert products_status(w) == 200
    marks = _products_journal(w)[1]
    if marked:
        [mark] = marks
        assert mark["rule_id"] == "API-RETRY-TRANSIENT" and "200 ms of backoff" in mark["message"], mark
        assert str(effect.get("status") or effect["kind"]) in mark["message"]
    else:
        assert marks == []


@pytest.mark.parametrize("backoff_ms, waited, marked", [(2000, 0.5, True), (2000, 2.5, False), (None, 0.05, False)])
def test_throttle_with_backoff_ms_marks_a_repeat_inside_it(w, monkeypatch, backoff_ms, waited, marked):
    """A throttle given backoff_ms (opt-in): a repeat of the call sooner is marked API-THROTTLE-RETRY-AFTER (the
    ERP's RSI fetch of vms/erp/rsi_fetch_throttled); without it no repeat is judged (a connector may leave a
    long Retry-After to its next sync, a real second later in a scenario)."""
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    effect = {"kind": "throttle", "retry_after": 2, **({"backoff_ms": backoff_ms} if backoff_ms else {})}
    add(w, effect, match={"path": "/ds/products"}, times=1)
    assert products_status(w) == 429
    now[0] += waited
    assert products_status(w) == 200
    marks = _products_journal(w)[1]
    if marked:
        [mark] = marks
        assert mark["rule_id"] == "API-THROTTLE-RETRY-AFTER" and "Retry-After: 2 s" in mark["message"], mark
    else:
        assert marks == []


@pytest.mark.parametrize("holds, marked", [("caller", True), ("call", False), (None, False)])
def test_throttle_holding_the_caller_marks_its_call_to_another_path(w, monkeypatch, holds, marked):
    """A throttle given backoff_ms and `holds: caller`: the same credential's next call on any path sooner is marked
    API-THROTTLE-RETRY-AFTER (AJIO throttles per user; an ERP whose RSI fetch ignored a posting's Retry-After, blind
    hunt 34); by default only the throttled call's repeats are judged."""
    from simulator.faults import effects
    now = [1000.0]
    monkeypatch.setattr(effects.time, "monotonic", lambda: now[0])
    effect = {"kind": "throttle", "retry_after": 2, "backoff_ms": 2000, **({"holds": holds} if holds else {})}
    add(w, effect, match={"path": "/ds/products"}, times=1)
    assert products_status(w) == 429
    now[0] += 0.5
    assert w.ds("GET", "/orders").status == 200
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/ds/orders&limit=50",
                            expect=200).json["entries"]
    marks = [m for e in entries for m in e.get("violations") or []]
    if marked:
        [mark] = marks
        assert mark["rule_id"] == "API-THROTTLE-RETRY-AFTER" and "any call of this user" in mark["message"], mark
    else:
        assert marks == []


def test_throttle_holds_is_call_or_caller(w):
    body = add(w, {"kind": "throttle", "backoff_ms": 100, "holds": "seller"}, expect=400)
    assert body["field"] == "effects[0].holds"
    body = add(w, {"kind": "status", "status": 503, "holds": "caller"}, expect=400)
    assert body["field"] == "effects[0].holds"


def test_backoff_ms_only_on_transport_effects(w):
    body = add(w, {"kind": "latency", "ms": 5, "backoff_ms": 100}, expect=400)
    assert body["field"] == "effects[0].backoff_ms" and "not an option" in body["error_message"]
    body = add(w, {"kind": "reset", "backoff_ms": 0}, expect=400)
    assert body["field"] == "effects[0].backoff_ms"


def test_status_retry_after_goes_with_phase_before(w):
    body = add(w, {"kind": "status", "status": 503, "retry_after": 2, "phase": "after"}, expect=400)
    assert "retry_after" in body["field"] and "phase before" in body["error_message"]


@pytest.mark.parametrize("effect", [{"kind": "status", "status": 503, "retry_after": 1}, {"kind": "malformed"}],
                         ids=["503", "malformed"])
def test_a_login_answered_by_a_fault_is_journaled_under_the_pob_it_names(w, effect):
    """A login answered before its view (no token to say whose it is) is filed under the username it sent, as the view
    files every login: else a connector hammering a login AJIO refuses left nothing in its POB's journal."""
    add(w, effect, match={"method": "POST", "path": "/ds/authToken", "pob_id": w.pob["pob_id"]}, times=2)
    for _ in range(2):
        w.sim.http("POST", "/ds/authToken", json_body={"username": w.pob["pob_id"], "password": w.pob["password"]})
    mine = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/ds/authToken", expect=200).json["entries"]
    assert [e["status"] for e in mine[-2:]] == ([503, 503] if effect["kind"] == "status" else [200, 200])
    assert all(e["faults"] for e in mine[-2:]), mine[-2:]
