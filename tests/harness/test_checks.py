"""The journal checks (harness/checks.py) on journal entries written by hand: both sides of every count,
the implicit end-of-scenario checks, `allow:`, and the causes shown before a failure (issue 18)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import checks
from harness.expectations import Facts, check, evaluate
from harness.journal import RunSpan
from harness.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
POB = {"pob_id": "DVX", "model": "ds"}


def _e(n, method, path, status=200, sent=None, answer=None, at=1000, query=""):
    return {"id": n, "at": at, "method": method, "path": path, "query": query, "status": status,
            "request_body": json.dumps(sent) if sent is not None else None,
            "response_body": json.dumps(answer) if answer is not None else None, "violations": None, "faults": None}


def _facts(entries, spans=()):
    return Facts(control=None, pob=lambda name: POB, last_exit=lambda: 0,
                 journal_of=lambda pob_id, since: entries, spans_of=lambda pob_id: list(spans),
                 sellers_of=lambda: {"pob": POB})


def _scenario(tmp_path, extra=""):
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\n" + extra + "steps:\n  - run_connector\n")
    return load_scenario(path)


NOT_YET = {"status": "FAILED", "error_code": "NOT_YET", "rule_id": "DS-CREDIT-NOTE-AFTER-PUTAWAY",
           "error_message": "not generated yet", "available_at": 9000}


def test_duplicates_change_answered_then_sent_again_counts():
    ack = {"order_id": "O1", "status": "Acknowledge"}
    entries = [_e(1, "POST", "/ds/orders", 200, ack, {"success": ["L1"], "failed_items": []}),
               _e(2, "POST", "/ds/orders", 200, ack, {"success": ["L1"], "failed_items": []})]
    [(repeat, first)] = checks.duplicates(entries)
    assert (repeat["id"], first["id"]) == (2, 1)


def test_duplicates_retry_after_no_answer_or_other_answer_not_counted():
    ack = {"order_id": "O1", "status": "Acknowledge"}
    entries = [_e(1, "POST", "/ds/orders", 0, ack), _e(2, "POST", "/ds/orders", 200, ack, {"success": ["L1"]}),
               _e(3, "PUT", "/jit/orders/P/invoice", 200, {}, {"invoice_number": "A"}),
               _e(4, "PUT", "/jit/orders/P/invoice", 200, {}, {"invoice_number": "B"}),
               _e(5, "POST", "/ds/authToken", 200, {"username": "DVX"}, {"success": True}),
               _e(6, "POST", "/ds/authToken", 200, {"username": "DVX"}, {"success": True})]
    assert checks.duplicates(entries) == []


def test_duplicates_absolute_stock_push_again_not_counted():
    # AJIO's count moved by itself between the two (an order took a unit): the same absolute push puts it right.
    push = {"inventory": [{"sku": "S1", "quantity": 7}]}
    answer = {"success": [{"sku": "S1", "quantity": 7}], "failed_items": []}
    entries = [_e(1, "POST", "/ds/updateInventory", 200, push, answer),
               _e(2, "POST", "/ds/updateInventory", 200, push, answer)]
    assert checks.duplicates(entries) == []


def test_early_polls_same_run_before_available_at_counted_next_run_not():
    poll = ("GET", "/ds/returns/R1/creditNote")
    entries = [_e(1, *poll, 409, answer=NOT_YET, at=1000), _e(2, *poll, 409, answer=NOT_YET, at=1000),
               _e(3, *poll, 409, answer=NOT_YET, at=5000)]
    runs = [RunSpan("DVX", 0, 2), RunSpan("DVX", 2, 3)]
    assert [(e["id"], f["id"]) for e, f in checks.early_polls(entries, runs)] == [(2, 1)]
    daemon = [RunSpan("DVX", 0, 3, daemon=True)]
    assert checks.early_polls(entries, daemon) == []


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 429}, {"status": 200, "faults": [{"kind": "reset"}]},
                                   {"status": 200, "faults": [{"kind": "truncate"}]}], ids=["503", "429", "reset", "cut"])
def test_hammered_a_call_retried_past_the_limit_in_one_run(fault):
    """API-RETRY-TRANSIENT: "retried a bounded number of times ... never hammered". The same call (method, path,
    query, body) sent again more than RETRY_LIMIT times in one run after failing in transit is named; as many retries
    spread over two runs (two syncs), a call that succeeded in between, or another body are not."""
    limit = checks.RETRY_LIMIT
    failing = [{**_e(i, "POST", "/ds/orders/dispatch", sent={"dispatchItems": [1]}), **fault}
               for i in range(1, limit + 3)]
    [(first, last, n)] = checks.hammered(failing, [RunSpan("DVX", 0, limit + 2)])
    assert (first["id"], last["id"], n) == (1, limit + 2, limit + 1)
    assert checks.hammered(failing[:limit + 1], [RunSpan("DVX", 0, limit + 1)]) == []  # limit retries: bounded
    assert checks.hammered(failing, [RunSpan("DVX", 0, 4), RunSpan("DVX", 4, limit + 2)]) == []
    assert checks.hammered(failing, [RunSpan("DVX", 0, limit + 2, daemon=True)]) == []
    mixed = [{**e, "request_body": json.dumps({"dispatchItems": [e["id"]]})} for e in failing]
    assert checks.hammered(mixed, [RunSpan("DVX", 0, limit + 2)]) == []
    healed = failing[:4] + [_e(5, "POST", "/ds/orders/dispatch", sent={"dispatchItems": [1]})] + [
        {**e, "id": e["id"] + 5} for e in failing[:limit - 1]]   # 4 tries, a readable answer, then limit - 1
    assert checks.hammered(healed, [RunSpan("DVX", 0, limit + 5)]) == []
    succeeded_last = failing + [_e(limit + 3, "POST", "/ds/orders/dispatch", sent={"dispatchItems": [1]})]
    [(_, last, n)] = checks.hammered(succeeded_last, [RunSpan("DVX", 0, limit + 3)])
    assert (last["id"], n) == (limit + 3, limit + 2)   # the try that got through is a retry too


def test_needless_logins_young_token_counted_after_401_not():
    login = ("POST", "/ds/authToken")
    entries = [_e(1, *login, at=0), _e(2, "GET", "/ds/orders", at=10), _e(3, *login, at=20),
               _e(4, "GET", "/ds/orders", 401, at=4000), _e(5, *login, at=4000),
               _e(6, *login, at=4000 + checks.RELOGIN_AFTER_S)]
    hits = checks.needless_logins(entries, [RunSpan("DVX", 0, 6)])
    assert [(e["id"], p["id"]) for e, p in hits] == [(3, 1)]
    assert checks.needless_logins(entries, [RunSpan("DVX", 0, 2), RunSpan("DVX", 2, 3)]) == []


def test_line_failures_only_in_successful_answers():
    ok = _e(1, "POST", "/ds/orders/dispatch", 200, answer={"failedDispatchItems": [{"orderId": "O1"}]})
    refused = _e(2, "POST", "/ds/orders/dispatch", 400, answer={"failedDispatchItems": [{"orderId": "O2"}]})
    assert checks.line_failures(ok) == [{"orderId": "O1"}] and checks.line_failures(refused) == []


def test_a_200_answering_failed_as_a_whole_is_one_failed_line():
    """Dropship's RTO creation answers `200 {status: FAILED, return_order_id: null}`: nothing was created."""
    failed = _e(1, "POST", "/ds/return/rto", 200,
                answer={"status": "FAILED", "return_order_id": None, "error_message": "busy"})
    created = _e(2, "POST", "/ds/return/rto", 200, answer={"status": "SUCCESS", "return_order_id": "R1",
                                                            "error_message": None})
    assert checks.line_failures(failed) == [{"status": "FAILED", "error_message": "busy"}]
    assert checks.line_failures(created) == []
    # Sent again at a later sync and answered FAILED again: nothing was done, so no change was sent twice.
    assert checks.duplicates([failed, {**failed, "id": 3}]) == []
    assert len(checks.duplicates([created, {**created, "id": 4}])) == 1


@pytest.mark.parametrize("entry, rule", [
    (_e(1, "GET", "/ds/returns/R/creditNote", 409, answer=NOT_YET), "DS-CREDIT-NOTE-AFTER-PUTAWAY"),
    (_e(1, "GET", "/documents/D1", 404, answer={"status": "FAILED"}), "DOCUMENTS-OWN-POB"),
    # A POB's journal holds only calls made with its token: a 401 there is its own token expired, a 429 a throttle,
    # on a document as on any call (both named DOCUMENTS-OWN-POB until blind hunt 32's Dropship helper saw it).
    (_e(1, "GET", "/documents/D1", 401, answer={"status": "FAILED"}), "AUTH-TOKEN-30-MIN"),
    (_e(1, "GET", "/documents/D1", 429, answer={"status": "FAILED"}), "API-THROTTLE-RETRY-AFTER"),
    (_e(1, "GET", "/ds/orders", 401, answer={"status": "FAILED"}), "AUTH-TOKEN-30-MIN"),
    (_e(1, "POST", "/ds/orders", 429, answer={"status": "FAILED"}), "API-THROTTLE-RETRY-AFTER"),
    (_e(1, "POST", "/ds/orders", 400, answer={"status": "FAILED"}), "API-CONTRACT"),
], ids=["own-rule-id", "documents", "document-401", "document-429", "401", "429", "other"])
def test_rule_of_refusal_its_own_id_else_by_status_and_path(entry, rule):
    assert checks.rule_of(entry) == rule


@pytest.mark.parametrize("args, n, broken", [
    ({"min": 2, "max": 4}, 1, "at least 2 and at most 4"), ({"min": 2, "max": 4}, 5, "at most 4 (and at least 2)"),
    ({"min": 2, "max": 4}, 3, None), ({"count": 1}, 2, "exactly 1"), ({}, 1, "at most 0"), ({}, 0, None),
], ids=["below", "above", "inside", "count", "default-none", "default-ok"])
def test_bounds_hold_both_sides(args, n, broken):
    assert checks.bounds(args, n, default_max=0) == broken


def test_refusals_kind_bounds_matching_refusals_from_both_sides():
    entries = [_e(1, "POST", "/ds/orders/O/label", 403, answer={"error_code": "FORBIDDEN"}),
               _e(2, "POST", "/ds/orders/O/label", 403, answer={"error_code": "FORBIDDEN"})]
    assert check("refusals", {"path": "/ds/orders/*/label", "status": 403, "max": 1}, _facts(entries))[0][1] \
        == "at most 1"
    assert check("refusals", {"path": "/ds/orders/*/label", "min": 1, "max": 2}, _facts(entries)) == []
    assert check("refusals", {"path": "/ds/products"}, _facts(entries)) == []


def test_explicit_journal_checks_name_the_rule_the_offending_requests_broke_unless_they_give_one():
    entries = [_e(1, "GET", "/ds/returns", 400, answer={"error_code": "VALIDATION_FAILED", "rule_id": "DS-RETURN-SYNC"}),
               _e(2, "POST", "/ds/orders/O/invoice", 200, answer={"status": "SUCCESS"}, sent={}),
               _e(3, "POST", "/ds/orders/O/invoice", 200, answer={"status": "SUCCESS"}, sent={})]
    facts = _facts(entries)
    exps = [{"kind": "refusals", "args": {"path": "/ds/returns"}, "rule": None},
            {"kind": "refusals", "args": {"path": "/ds/returns"}, "rule": "DS-CIR-PUTAWAY"},
            {"kind": "refusals", "args": {"path": "/ds/returns", "min": 2, "max": 3}, "rule": None},
            {"kind": "duplicates", "args": {"path": "/ds/orders/*/invoice"}, "rule": None},
            {"kind": "order", "args": {"id": "O"}, "rule": None}]
    facts.control = type("C", (), {"get": staticmethod(lambda path: {"status": "CONFIRMED", "timeline": []})})()
    exps[-1]["args"]["status"] = "INVOICED"
    named = [f.rule_id for f in evaluate(exps, facts, "step 1", "DS-NO-ORDER-SPLIT")]
    # a refusal names its own rule, an explicit rule wins, too few refusals and an order's state are the scenario's
    assert named == ["DS-RETURN-SYNC", "DS-CIR-PUTAWAY", "DS-NO-ORDER-SPLIT", "API-CHANGE-SENT-ONCE",
                     "DS-NO-ORDER-SPLIT"]


def test_implicit_undeclared_refusal_fails_naming_its_rule_and_request(tmp_path):
    entries = [_e(7, "GET", "/ds/returns/R1/creditNote", 409, answer=NOT_YET)]
    [failure] = checks.implicit(_scenario(tmp_path), _facts(entries))
    assert failure.rule_id == "DS-CREDIT-NOTE-AFTER-PUTAWAY" and "implicit check: refusals" in failure.step
    assert "#7 GET /ds/returns/R1/creditNote -> 409 NOT_YET" in failure.actual


def test_implicit_allowed_refusal_passes_until_its_max(tmp_path):
    allow = "allow:\n  - {path: '/ds/returns/*/creditNote', error_code: NOT_YET, max: 1}\n"
    one = [_e(7, "GET", "/ds/returns/R1/creditNote", 409, answer=NOT_YET)]
    assert checks.implicit(_scenario(tmp_path, allow), _facts(one)) == []
    two = one + [_e(8, "GET", "/ds/returns/R1/creditNote", 409, answer=NOT_YET, at=9000)]
    [failure] = checks.implicit(_scenario(tmp_path, allow), _facts(two))
    assert failure.expected == "at most 1" and failure.rule_id == "DS-CREDIT-NOTE-AFTER-PUTAWAY"


def test_implicit_per_line_failure_in_a_200_fails_unless_allowed(tmp_path):
    entries = [_e(3, "POST", "/ds/orders", 200, answer={"success": ["L1"], "failed_items": [{"order_item_id": "L2"}]})]
    [failure] = checks.implicit(_scenario(tmp_path), _facts(entries))
    assert failure.rule_id == "API-PER-LINE-FAILURES" and "L2" in failure.actual
    allowed = "allow:\n  - {path: /ds/orders, line_failures: true}\n"
    assert checks.implicit(_scenario(tmp_path, allowed), _facts(entries)) == []


def test_implicit_duplicates_violations_and_logins_each_name_their_rule(tmp_path):
    ack = {"order_id": "O1", "status": "Acknowledge"}
    bad = _e(4, "POST", "/ds/updateInventory", 400, answer={"status": "FAILED"})
    bad["violations"] = [{"field": "inventory[0].quantity", "message": "Not a valid integer."}]
    entries = [_e(1, "POST", "/ds/authToken", at=0), _e(2, "POST", "/ds/authToken", at=5),
               _e(3, "POST", "/ds/orders", 200, ack, {"success": ["L1"]}),
               _e(5, "POST", "/ds/orders", 200, ack, {"success": ["L1"]}), bad]
    failures = checks.implicit(_scenario(tmp_path, "allow:\n  - {status: 400}\n"),
                               _facts(entries, [RunSpan("DVX", 0, 5)]))
    assert {f.rule_id for f in failures} == {"AUTH-LOGIN-SPARINGLY", "API-CHANGE-SENT-ONCE", "API-CONTRACT"}


def test_implicit_checks_turned_off_by_the_scenario(tmp_path):
    entries = [_e(7, "GET", "/ds/returns/R1/creditNote", 409, answer=NOT_YET)]
    off = "checks: {refusals: false}\n"
    assert checks.implicit(_scenario(tmp_path, off), _facts(entries)) == []


def test_implicit_erp_layer_call_naming_no_seller_fails_naming_erp_auth_headers(tmp_path):
    # Blind hunt 32: an ERP sent its credentials in the RSI fetch's query string; the journal filed its 401s under no
    # POB, so the scenarios that failed it named only the RSI never fetched.
    nobody = _e(9, "GET", "/ajio-vms/rsi", 401, answer={"status": "FAILED", "error_code": "UNAUTHORIZED"},
                query="rsiDateFrom=x&authUsername=DVX")
    facts = _facts([])
    facts.anonymous_of = lambda: [nobody]
    [failure] = checks.implicit(_scenario(tmp_path), facts)
    assert failure.rule_id == "ERP-AUTH-HEADERS" and "implicit check: refusals" in failure.step
    assert "#9 GET /ajio-vms/rsi?rsiDateFrom=x&authUsername=DVX -> 401" in failure.actual
    assert checks.implicit(_scenario(tmp_path, "checks: {refusals: false}\n"), facts) == []
    assert checks.implicit(_scenario(tmp_path), _facts([])) == []  # no ERP under test: nothing looked at


def test_causes_list_refusals_and_failed_lines_with_rule_ids():
    entries = [_e(1, "GET", "/ds/orders", 200, answer={"orders": []}),
               _e(2, "GET", "/ds/returns/R1/creditNote", 409, answer=NOT_YET),
               _e(3, "POST", "/ds/orders/dispatch", 200, answer={"failedDispatchItems": [{"orderId": "O1"}]})]
    causes = checks.causes({"DVX": entries})
    assert [(c["id"], c["rule_id"]) for c in causes] == [(2, "DS-CREDIT-NOTE-AFTER-PUTAWAY"), (3, "API-PER-LINE-FAILURES")]
    lines = checks.cause_lines(causes)
    assert lines[0].startswith("  #2 GET /ds/returns/R1/creditNote -> 409 NOT_YET [DS-CREDIT-NOTE-AFTER-PUTAWAY]")
    assert "1 failed line(s)" in lines[1]


class _RsiControl:
    """The control plane as erp_rsi_fetched reads it: the return's RSI number and the RSI's state."""

    def get(self, path):
        if path.startswith("/returns/"):
            return {"rsi_number": "3100000001"} if path.endswith("/R1") else {}
        return {"rsiNumber": path.rsplit("/", 1)[1], "createdAt": "2026-11-23T11:00:00.000+05:30"}


def _rsi_fetch(n, status, listed, q="rsiDateFrom=2026-11-23T10%3A00%3A00.000%2B05%3A30&rsiDateTo=2026-11-23T12"):
    return {**_e(n, "GET", "/ajio-vms/rsi", status, query=q), "entity_ids": listed}


@pytest.mark.parametrize("entries, holds", [
    ([_rsi_fetch(1, 200, ["3100000001"])], True),
    ([_rsi_fetch(1, 200, ["3100000002"])], False),           # another RSI: this one was not in the range
    ([_rsi_fetch(1, 503, None), _rsi_fetch(2, 200, [])], False),   # failed, then an answer without it
    ([_rsi_fetch(1, 503, None), _rsi_fetch(2, 200, ["3100000001"])], True),   # asked again and got it
    ([{**_rsi_fetch(1, 200, ["3100000001"]), "path": "/vms/rsi"}], False),   # the VMS layer's fetch, not the ERP's
    ([], False),
    ([{**_rsi_fetch(1, 200, ["3100000001"]), "faults": [{"kind": "malformed"}]}], False),   # listed, unreadable
    ([{**_rsi_fetch(1, 200, ["3100000001"]), "faults": [{"kind": "malformed"}]},
      _rsi_fetch(2, 200, ["3100000001"])], True),             # garbled, then read whole
    ([{**_rsi_fetch(1, 200, ["3100000001"]), "faults": [{"kind": "latency"}]}], True),   # slow, but whole
], ids=["listed", "other-rsi", "failed-then-empty", "retried", "layer-fetch", "never", "garbled", "garbled-then-whole",
        "slow"])
def test_erp_rsi_fetched_holds_when_a_200_fetch_of_the_erp_listed_the_rsi(entries, holds):
    """VMS-ERP-RSI-FETCH: a `request` query match cannot say "a range covering this RSI"; erp_rsi_fetched can."""
    facts = Facts(control=_RsiControl(), pob=lambda name: POB, last_exit=lambda: 0,
                  journal_of=lambda pob_id, since: entries)
    broken = check("erp_rsi_fetched", {"return": "R1"}, facts)
    assert (broken == []) is holds, broken
    if not holds:
        assert "3100000001" in broken[0][0] and "createdAt 2026-11-23T11:00:00.000+05:30" in broken[0][1]


def test_erp_rsi_fetched_return_without_rsi_yet_fails_saying_so():
    facts = Facts(control=_RsiControl(), pob=lambda name: POB, last_exit=lambda: 0, journal_of=lambda p, s: [])
    [(what, expected, actual)] = check("erp_rsi_fetched", {"return": "R2"}, facts)
    assert "AJIO issued no RSI" in actual


def test_erp_rsi_fetched_failure_names_the_scenarios_rule(tmp_path):
    facts = Facts(control=_RsiControl(), pob=lambda name: POB, last_exit=lambda: 0,
                  journal_of=lambda pob_id, since: [_rsi_fetch(1, 400, None)])
    [failure] = evaluate([{"kind": "erp_rsi_fetched", "args": {"id": "3100000001"}, "rule": "VMS-ERP-RSI-FETCH"}],
                         facts, "step 3", "VMS-RSI-RANGE-2-DAYS")
    assert failure.rule_id == "VMS-ERP-RSI-FETCH"
    assert "#1 [2026-11-23T10:00:00.000+05:30 .. 2026-11-23T12] -> 400" in failure.actual


# -- bodies the journal clipped (journal_body_limit) ---------------------------------------------------------------
def _entry(response: str, request: str = "{}") -> dict:
    return {"id": 7, "method": "GET", "path": "/ds/orders/pendency", "status": 200, "query": "",
            "request_body": request, "response_body": response}


def test_a_clipped_answer_cannot_be_matched_on_and_says_so():
    """A `response:` matcher on an answer the journal clipped neither matches nor fails to: it cannot be judged
    (not matching would pass `made: false` and fail `min: 1` whatever the connector did)."""
    from harness.expectations import matches
    from harness.world import StepFailed
    whole = json.dumps({"page": {"totalElements": 50}, "orders": []})
    assert matches(_entry(whole), {"path": "/ds/orders/pendency", "response": {"page": {"totalElements": 50}}})
    clipped = whole[:20] + "... [5000 more characters]"
    with pytest.raises(StepFailed, match="journal kept only part of the answer of #7"):
        matches(_entry(clipped), {"path": "/ds/orders/pendency", "response": {"page": {"totalElements": 50}}})
    with pytest.raises(StepFailed, match="request body"):
        matches(_entry(whole, request=clipped), {"path": "/ds/orders/pendency", "body": {"a": 1}})
    # A matcher that does not look at the bodies still judges the call.
    assert matches(_entry(clipped), {"path": "/ds/orders/pendency", "status": 200})


def test_the_harness_keeps_whole_bodies_for_a_scenario_that_matches_on_them():
    from harness.runner import _matches_bodies
    assert _matches_bodies([{"expect": [{"request": {"path": "/x", "response": {"a": 1}}}]}])
    assert _matches_bodies([{"expect": [{"request": {"method": "POST", "path": "/x", "body": {"a": 1}}}]}])
    assert not _matches_bodies([{"expect": [{"request": {"path": "/x", "status": 200, "min": 1}}]}, {"count": 2}])


def test_a_document_download_whose_body_a_fault_spoiled_is_not_counted_as_fetched():
    """documents_fetched counts GET /documents/{id} -> 200, but not one whose PDF a fault emptied, cut or garbled:
    the document did not arrive (a connector keeping it would pass otherwise)."""
    from harness.expectations import _document_reads

    def get(doc, *faults):
        return {"status": 200, "method": "GET", "path": f"/documents/{doc}", "response_body": None,
                "faults": [{"kind": k} for k in faults] or None}

    journal = [get("D1", "empty_body"), get("D2", "truncate"), get("D3", "malformed"), get("D4", "latency"),
               get("D1"), {**get("D5"), "status": 503}]
    times, manifests = _document_reads(journal)
    assert times == {"D4": 1, "D1": 1} and manifests == []
