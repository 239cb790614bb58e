"""Issue 26: the documents as precise for JIT, VMS and the ERP layer as for Dropship, in forms that code
generators keep typed, with every header and example an integrator needs."""
from __future__ import annotations

import json

import pytest

from contracts import openapi
from contracts.answers import AnswerChecker, check_answer, required_share
from contracts.openapi_common import EXAMPLES_FILE
from fixtures.answer_check import control_spec_of_app

SURFACES = ("/ds", "/jit", "/vms", "/ajio-vms")


@pytest.fixture(scope="module")
def doc() -> dict:
    return openapi.ajio_spec()


@pytest.fixture(scope="module")
def control() -> dict:
    return control_spec_of_app()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, op in item.items():
            yield path, method, op


def _walk(node, where="$"):
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}[{i}]")


@pytest.mark.parametrize("surface", SURFACES)
def test_answer_schemas_require_at_least_90_percent_of_properties(doc, surface):
    """What the simulator always sends is required; the few optional keys are conditional (e.g. `irn`)."""
    required, total = required_share(doc, (surface,))
    assert total > 20 and required / total >= 0.9, (surface, required, total)


def test_nullable_models_stay_typed_in_both_documents(doc, control):
    """No `{type: object, nullable: true}` branch that accepts any object: a nullable model is `anyOf` of
    its $ref and a branch that only allows null. (A request schema's `allOf: [{anyOf: [{required: [...]}]}]`
    relates fields, typing nothing: its branches have no type.)"""
    for document in (doc, control):
        for where, node in _walk(document):
            for branch in node.get("anyOf", []):
                if "$ref" not in branch and ("type" in branch or "nullable" in branch):
                    assert branch.get("enum") == [None], f"untyped nullable at {where}: {node}"


def test_error_answers_have_one_typed_schema_each(doc, control):
    for document in (doc, control):
        for path, method, op in _operations(document):
            for status, answer in op["responses"].items():
                if status[0] in "45":
                    schema = answer["content"]["application/json"]["schema"]
                    assert set(schema) == {"$ref"}, f"{method} {path} {status}: {schema}"


def test_per_order_refusals_are_typed_failure_bodies(doc):
    by_id = {op["operationId"]: op for _, _, op in _operations(doc)}
    expected = {("dispatch_orders", "400"): "DispatchFailedResponse",
                ("jit_dispatch_orders", "400"): "JitDispatchFailedAnswer",
                ("vms_create_manifest", "400"): "VmsManifestFailedResponse",
                ("update_inventory", "400"): "UpdateInventoryFailedResponse",
                ("acknowledge_order", "409"): "OrderActionFailedResponse"}
    for (op_id, status), name in expected.items():
        ref = by_id[op_id]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/" + name), (op_id, ref)
    body = doc["components"]["schemas"]["DispatchFailedResponse"]
    assert {"status", "error_message", "error_code", "failedDispatchItems", "manifest_id"} <= set(body["properties"])


def test_sent_headers_are_documented_where_they_are_sent(doc):
    by_id = {op["operationId"]: op for _, _, op in _operations(doc)}
    for path, method, op in _operations(doc):
        for status, answer in op["responses"].items():
            assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(answer["headers"]), \
                (method, path, status)
            if status in ("409", "429"):
                assert "Retry-After" in answer["headers"], (method, path, status)
    assert "Retry-After" in by_id["vms_get_po"]["responses"]["404"]["headers"]  # PO not issued yet


def test_logins_declare_no_security_and_every_other_call_does(doc):
    for path, method, op in _operations(doc):
        if path.endswith("/authToken"):
            assert op["security"] == [], path
        elif path.startswith("/ajio-vms"):
            assert op["security"] == [{"authUsername": [], "authPassword": []}], path
        else:
            assert op["security"] == [{"apiKey": []}], path


def test_both_documents_declare_servers_tags_contact_and_license(doc, control):
    for document in (doc, control):
        assert document["servers"] and document["info"]["contact"] and document["info"]["license"]
        declared = {t["name"]: t["description"] for t in document["tags"]}
        assert all(declared.values())
        used = {tag for _, _, op in _operations(document) for tag in op["tags"]}
        assert used == set(declared), used ^ set(declared)
    description = doc["info"]["description"]
    for surface in ("`/ds`", "`/jit`", "`/vms`", "`/ajio-vms`", "/documents/", "/_sim/openapi.json", "/docs"):
        assert surface in description, surface


def test_every_request_and_answer_has_an_example_that_fits_its_schema(doc, control):
    for document in (doc, control):
        checker = AnswerChecker(document)
        for path, method, op in _operations(document):
            if "requestBody" in op:
                assert "example" in op["requestBody"]["content"]["application/json"], (method, path)
            for status, answer in op["responses"].items():
                media = (answer.get("content") or {}).get("application/json")
                if media is None:
                    continue  # the PDF
                assert "example" in media, (method, path, status)
                assert checker.check(op["operationId"], int(status), media["example"]) == [], (method, path, status)


def test_committed_examples_are_a_fresh_capture():
    """contracts/examples.json is what a run of the simulator answers now (`python -m simulator.contract_examples`)."""
    from simulator import contract_examples
    fresh = contract_examples.render(contract_examples.Capture().run())
    assert EXAMPLES_FILE.read_text(encoding="utf-8") == fresh, \
        "contracts/examples.json is stale: python -m simulator.contract_examples && python -m contracts.openapi"


def test_control_plane_documents_a_success_schema_for_every_operation(control):
    for path, method, op in _operations(control):
        ok = [s for s in op["responses"] if s.startswith("2")]
        assert len(ok) == 1, (method, path)
        schema = op["responses"][ok[0]]["content"]["application/json"]["schema"]
        assert schema["$ref"].startswith("#/components/schemas/"), (method, path)
    assert not any(path.startswith("/_sim/ui") for path in control["paths"])  # the dashboard is a browser UI


# -- the checker itself (contracts/answers.py) --------------------------------------------------
def test_check_answer_reports_a_missing_required_key(doc):
    answer = json.loads(json.dumps(doc["paths"]["/jit/orders"]["get"]["responses"]["200"]["content"][
        "application/json"]["example"]))
    del answer["orders"][0]["master_awb"]
    assert check_answer(doc, "jit_list_orders", 200, answer) == [
        "jit_list_orders 200: $.orders[0].master_awb: required, absent"]


def test_check_answer_reports_an_undeclared_key_a_wrong_type_and_a_null(doc):
    answer = {"order_id": "FN1", "status": "ACKNOWLEDGED", "acknowledged_at": "now", "extra": 1}
    problems = check_answer(doc, "vms_acknowledge_order", 200, answer)
    assert "vms_acknowledge_order 200: $.acknowledged_at: str where the schema says integer" in problems
    assert "vms_acknowledge_order 200: $.extra: not declared by the schema (VmsAcknowledgeResponse)" in problems
    assert check_answer(doc, "vms_acknowledge_order", 200, {**answer, "acknowledged_at": None, "extra": None})[0] \
        .endswith("$.acknowledged_at: null, but the schema does not allow null")


def test_check_answer_finds_the_operation_by_path_and_refuses_an_undocumented_status(doc):
    assert check_answer(doc, "POST", 418, {}, path="/ds/orders/dispatch") == \
        ["dispatch_orders: status 418 is not documented"]


def test_always_present_optional_names_a_property_that_is_never_absent(doc):
    checker = AnswerChecker(doc)
    invoice = {"order_id": "PO1", "invoice_number": "S1", "invoice_date": 1, "invoice_pdf_url": "u",
               "invoice_lines": [], "irn": "x"}
    checker.check("jit_generate_invoice", 200, invoice)
    assert checker.always_present_optional() == {"JitInvoiceAnswer": ["irn"]}
    checker.check("jit_generate_invoice", 200, {k: v for k, v in invoice.items() if k != "irn"})
    assert checker.always_present_optional() == {}
