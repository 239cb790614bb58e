"""The drift checker against the built-in contract: each kind of difference, grouping, baseline, exit codes."""
from __future__ import annotations

import copy
import json

import pytest

from harness.recording.contract import Contract
from harness.recording.drift import check_file
from harness.recording.har import Exchange
from simulator.cli import main

CONTRACT = Contract.load()
PAGE = {"number": 0, "size": 20, "totalElements": 1, "totalPages": 1}
LINE = {"item_details": {"brand_name": "B", "color": "Blue", "ean": "8901234567890", "item_code": "I",
                         "name": "N", "size": "M"}, "order_item_id": "1", "ordered_quantity": 1, "mrp": 10.0,
        "unit_price": 9.0, "listing_price": 9.0, "seller_discount": 0.0, "b2b_base_price": 8.0, "b2b_tax": 1.0,
        "quantity": 1, "customer_cancelled_qty": 0, "seller_cancelled_qty": 0}
ORDER = {"order_id": "FN1", "order_date": 1795408200, "payment_method": "PREPAID", "carrier": "Delhivery",
         "tracking_number": None, "total_amount": 9.0, "order_lines": [LINE]}


def ex(method: str, path: str, status: int, body, n: int = 1, mime: str = "application/json") -> Exchange:
    text = body if isinstance(body, str) or body is None else json.dumps(body)
    return Exchange(index=n, method=method, path=path, query="", status=status, request_body=None,
                    response_body=text, mime=mime)


def pendency(**changes) -> dict:
    order = {**ORDER, **changes}
    return {"orders": [{k: v for k, v in order.items() if v != "DROP"}], "page": PAGE}


def found(exchanges, contract=CONTRACT, path_map=None) -> set[tuple[str, str, str, str]]:
    report = check_file(exchanges, "test", "har", contract, path_map)
    return {(f.operation, f.kind, f.where, f.detail) for f in report.findings}


def test_drift_conforming_answer_finds_nothing():
    assert found([ex("GET", "/ds/orders/pendency", 200, pendency())]) == set()


def test_drift_unknown_path_grouped_by_shape():
    report = check_file([ex("GET", "/ds/orders/FN1/shipments", 200, {}, 1),
                         ex("GET", "/ds/orders/FN2/shipments", 200, {}, 2)], "t", "har", CONTRACT)
    [f] = report.findings
    assert (f.operation, f.kind, f.count, f.detail) == ("GET /ds/orders/{id}/shipments", "unknown_operation", 2,
                                                        "path not in our contract")
    assert f.example == "#1 GET /ds/orders/FN1/shipments -> 200"


def test_drift_known_path_with_another_method():
    assert found([ex("DELETE", "/ds/orders/pendency", 405, "")]) == {
        ("DELETE /ds/orders/pendency", "unknown_operation", "", "method not in our contract (ours: GET)")}


def test_drift_undocumented_status():
    [f] = check_file([ex("POST", "/ds/orders/dispatch", 202, {})], "t", "har", CONTRACT).findings
    assert (f.operation, f.kind, f.where) == ("dispatch_orders", "undocumented_status", "202")
    assert f.detail.startswith("status not documented (ours: 200, 400, 401, 409,")


def test_drift_extra_field_in_ajio_answer():
    assert found([ex("GET", "/ds/orders/pendency", 200, pendency(fulfillment_type="DROPSHIP"))]) == {
        ("get_pendency", "extra_field", "orders[].fulfillment_type", "in the recorded answer, not in our contract")}


def test_drift_field_ours_always_sends_missing_from_ajio_answer():
    assert found([ex("GET", "/ds/orders/pendency", 200, pendency(carrier="DROP"))]) == {
        ("get_pendency", "missing_field", "orders[].carrier",
         "our contract always sends it; the recorded answer lacks it")}


def test_drift_follows_the_required_set_of_the_contract_document():
    """Required fields are read from the document (issue 26 tightens them): no list of ours is baked in."""
    doc = copy.deepcopy(CONTRACT.doc)
    doc["components"]["schemas"]["PendencyOrder"]["required"].remove("carrier")
    loose = Contract(doc, "edited")
    assert found([ex("GET", "/ds/orders/pendency", 200, pendency(carrier="DROP"))], loose) == set()


@pytest.mark.parametrize("value, kind, detail", [
    ("2026-11-23T10:00:00+05:30", "format", "an ISO-8601 date where ours is epoch seconds (integer)"),
    (1795408200000, "format", "epoch milliseconds where ours is epoch seconds"),
    ("1795408200", "type", "a number sent as a string (ours: integer)"),
    (1795408200.5, "type", "a fractional number where ours is an integer"),
], ids=["iso-date", "epoch-ms", "number-as-string", "fraction"])
def test_drift_order_date_type_and_format(value, kind, detail):
    assert found([ex("GET", "/ds/orders/pendency", 200, pendency(order_date=value))]) == {
        ("get_pendency", kind, "orders[].order_date", detail)}


def test_drift_money_sent_as_a_string():
    assert found([ex("GET", "/ds/orders/pendency", 200, pendency(total_amount="9.00"))]) == {
        ("get_pendency", "type", "orders[].total_amount", "a number sent as a string (ours: number)")}


def test_drift_enum_value_ours_does_not_list():
    [(op, kind, where, detail)] = found([ex("GET", "/ds/orders/pendency", 200, pendency(payment_method="UPI"))])
    assert (op, kind, where, detail) == ("get_pendency", "enum", "orders[].payment_method",
                                         "a value our contract does not list (ours: PREPAID, COD)")


def test_drift_null_where_ours_is_never_null():
    assert found([ex("GET", "/ds/orders/pendency", 200, pendency(carrier=None))]) == {
        ("get_pendency", "nullable", "orders[].carrier", "null where ours is never null (string)")}


def test_drift_error_body_in_another_shape():
    [f] = check_file([ex("GET", "/ds/orders", 404, {"success": False, "message": "Order not found"})],
                     "t", "har", CONTRACT).findings
    assert (f.operation, f.kind, f.where) == ("list_orders", "error_shape", "404")
    # ErrorBody is closed (issue 26): keys ours never sends are drift too, named before the missing ones.
    assert f.detail == "extra message, success; lacks error_code, error_message, status"


def test_drift_ajio_error_body_without_our_error_code():
    body = {"status": "FAILED", "error_message": "Invalid token"}
    assert found([ex("GET", "/ds/orders/pendency", 401, body)]) == {
        ("get_pendency", "error_shape", "401", "lacks error_code")}


def test_drift_html_answer_where_ours_is_json():
    assert found([ex("GET", "/ds/orders/pendency", 200, "<html>maintenance</html>", mime="text/html")]) == {
        ("get_pendency", "content_type", "", "text/html where ours is JSON")}


def test_drift_path_map_strips_a_per_integrator_prefix():
    exchanges = [ex("GET", "/ds/acme/orders/pendency", 200, pendency())]
    assert found(exchanges, path_map=[("/ds/acme", "/ds")]) == set()
    assert {f[1] for f in found(exchanges)} == {"unknown_operation"}


def test_drift_counts_occurrences_and_keeps_the_first_example():
    report = check_file([ex("GET", "/ds/orders/pendency", 200, pendency(total_amount="1.00"), 1),
                         ex("GET", "/ds/orders/pendency", 200, pendency(total_amount="2.00"), 2)], "t", "har", CONTRACT)
    [f] = report.findings
    assert (f.count, f.example) == (2, '#1 GET /ds/orders/pendency -> 200: "1.00"')


def test_drift_skips_answers_the_proxy_made():
    e = ex("GET", "/ds/orders/pendency", 504, {"status": "FAILED"})
    e.skip = "answered by the proxy, not the upstream (upstream-timeout)"
    report = check_file([e], "t", "har", CONTRACT)
    assert report.findings == [] and report.skipped == {"answered by the proxy, not the upstream": 1}


def test_drift_notes_optional_fields_never_seen_without_failing():
    body = {"order_id": "FN1", "invoice_number": "I1", "invoice_date": 1795408200,
            "invoice_pdf_url": "http://x/documents/D1", "po_number": "PO1"}
    report = check_file([ex("POST", "/ds/orders/FN1/invoice", 200, body)], "t", "har", CONTRACT)
    assert report.ok and report.never_seen == {"generate_invoice 200": ["irn"]}


# -- the command line ------------------------------------------------------------------------------
def _har(tmp_path, exchanges) -> str:
    entries = [{"startedDateTime": f"2026-11-23T10:00:{n:02d}.000Z", "time": 1,
                "request": {"method": m, "url": f"https://ajio.example{p}", "httpVersion": "HTTP/1.1", "cookies": [],
                            "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0},
                "response": {"status": s, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                             "content": {"size": 1, "mimeType": "application/json", "text": json.dumps(b)},
                             "redirectURL": "", "headersSize": -1, "bodySize": 1},
                "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
               for n, (m, p, s, b) in enumerate(exchanges)]
    path = tmp_path / "rec.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                                        "entries": entries}}))
    return str(path)


DRIFTING = [("GET", "/ds/orders/pendency", 200, pendency(total_amount="9.00")),
            ("POST", "/ds/orders/dispatch", 202, {})]


def test_drift_cli_exits_1_on_drift_and_writes_json(tmp_path, capsys):
    out = tmp_path / "drift.json"
    assert main(["drift", _har(tmp_path, DRIFTING), "--json", str(out)]) == 1
    doc = json.loads(out.read_text())
    assert doc["ok"] is False and doc["summary"]["drift"] == 2
    assert {(d["operation"], d["kind"]) for d in doc["drift"]} == {("get_pendency", "type"),
                                                                   ("dispatch_orders", "undocumented_status")}
    text = capsys.readouterr().out
    assert "drift from the contract, by operation" in text and "drift: 2 finding(s)" in text


def test_drift_cli_exits_0_without_drift(tmp_path, capsys):
    assert main(["drift", _har(tmp_path, [("GET", "/ds/orders/pendency", 200, pendency())])]) == 0
    assert "no drift" in capsys.readouterr().out


def test_drift_cli_baseline_accepts_known_drift_and_names_stale_items(tmp_path, capsys):
    har = _har(tmp_path, DRIFTING)
    base = tmp_path / "baseline.json"
    main(["drift", har, "--json", str(base)])
    doc = json.loads(base.read_text())
    doc["drift"].append({"operation": "list_orders", "kind": "error_shape", "where": "404"})
    base.write_text(json.dumps(doc))
    capsys.readouterr()
    assert main(["drift", har, "--baseline", str(base), "--json", "-"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["summary"]["accepted"] == 2
    assert report["baseline"]["stale"] == [{"operation": "list_orders", "kind": "error_shape", "where": "404"}]


def test_drift_cli_baseline_does_not_hide_new_drift(tmp_path, capsys):
    base = tmp_path / "baseline.json"
    base.write_text(json.dumps([{"operation": "dispatch_orders", "kind": "undocumented_status"}]))
    assert main(["drift", _har(tmp_path, DRIFTING), "--baseline", str(base), "--json", "-"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [d["kind"] for d in report["drift"]] == ["type"]


def test_drift_cli_unreadable_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2")
    assert main(["drift", str(bad)]) == 2
    assert "not JSON" in capsys.readouterr().err


def test_drift_cli_bad_path_map_exits_2(tmp_path, capsys):
    assert main(["drift", _har(tmp_path, DRIFTING), "--path-map", "ds=/ds"]) == 2
    assert "expected FROM=TO" in capsys.readouterr().err
