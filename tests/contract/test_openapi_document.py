"""The OpenAPI documents: generated from contracts/, valid, current, served, and kept apart from /_sim."""
from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate

from contracts import openapi
from contracts.registry import OPERATIONS


@pytest.fixture(scope="module")
def doc() -> dict:
    return openapi.ajio_spec()


def test_committed_openapi_json_is_current(doc):
    """contracts/openapi.json is what the schemas generate now (regenerate: python -m contracts.openapi)."""
    committed = openapi.SPEC_FILE.read_text(encoding="utf-8")
    assert committed == openapi.render(doc), "contracts/openapi.json is stale: run `python -m contracts.openapi`"


def test_openapi_check_mode_reports_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(openapi, "SPEC_FILE", stale)
    assert openapi.main(["--check"]) == 1
    assert openapi.main([]) == 0
    assert openapi.main(["--check"]) == 0


def test_ajio_document_validates_as_openapi_3(doc):
    validate(doc)
    assert doc["openapi"].startswith("3.")


def test_document_covers_every_pinned_ds_path(doc):
    """API.md's pinned Dropship paths, the logins and /documents, each with its method."""
    pinned = {("get", "/ds/products"), ("post", "/ds/updateInventory"), ("get", "/ds/orders/pendency"),
              ("post", "/ds/orders"), ("get", "/ds/orders"), ("post", "/ds/orders/{order_id}/invoice"),
              ("post", "/ds/orders/{order_id}/label"), ("post", "/ds/orders/dispatch"), ("get", "/ds/returns"),
              ("post", "/ds/return/rto"), ("post", "/ds/returns/{return_order_id}/qc"),
              ("get", "/ds/returns/{return_order_id}/creditNote"), ("get", "/documents/{document_id}"),
              ("post", "/authToken"), ("post", "/ds/authToken"), ("post", "/jit/authToken"), ("post", "/vms/authToken")}
    documented = {(method, path) for path, item in doc["paths"].items() for method in item}
    assert pinned <= documented, pinned - documented


def test_grounded_field_names_are_spelled_as_api_md(doc):
    schemas = doc["components"]["schemas"]
    assert {"carrier", "order_date", "order_id", "payment_method", "tracking_number", "total_amount",
            "order_lines"} <= set(schemas["PendencyOrder"]["properties"])
    assert {"po_number", "po_date", "po_pdf_url", "po_amount", "total_tax"} <= set(schemas["Order"]["properties"])
    assert {"item_base_price", "quantity", "customer_cancelled_qty", "seller_cancelled_qty",
            "seller_short_picked_qty", "hsn", "tax_summary"} <= set(schemas["OrderLine"]["properties"])
    assert set(schemas["PageBlock"]["properties"]) == {"number", "size", "totalElements", "totalPages"}
    assert {"status", "manifest_id", "manifestUrl", "failedDispatchItems"} <= set(schemas["DispatchResponse"]["properties"])
    assert {"accessToken", "refreshToken"} <= set(schemas["AuthTokenResult"]["properties"])


def test_every_operation_cites_its_source_and_documents_its_errors(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert re.search(r"(?i)seed 00\d|API\.md", op["description"]), f"{method} {path} cites no seed"
            assert "400" in op["responses"], f"{method} {path}"
            for status, resp in op["responses"].items():
                if status.startswith("4"):
                    schema = resp["content"]["application/json"]["schema"]
                    # ErrorBody, or a typed refusal that extends it (never an anyOf of shapes)
                    body = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
                    assert {"status", "error_message", "error_code"} <= set(body["required"]), f"{method} {path}"
            if op.get("security"):
                assert "401" in op["responses"], f"{method} {path}"


def test_invoice_body_is_documented_as_empty_object(doc):
    """The split keys the schema declares only to refuse them never appear as allowed fields."""
    schema = doc["components"]["schemas"]["InvoiceRequest"]
    assert schema["properties"] == {} and schema["additionalProperties"] is False


def test_request_schemas_refuse_unknown_fields_in_the_document(doc):
    for name in ("OrderActionRequest", "LabelRequest", "DispatchRequest", "QcRequest", "AuthTokenRequest"):
        assert doc["components"]["schemas"][name]["additionalProperties"] is False, name


def test_stateful_links_chain_pendency_to_dispatch(doc):
    ops = {op["operationId"]: op for item in doc["paths"].values() for op in item.values()}
    link = ops["get_pendency"]["responses"]["200"]["links"]["AcknowledgeFirstOrder"]
    assert link["operationId"] == "acknowledge_order"
    assert link["requestBody"]["order_id"] == "$response.body#/orders/0/order_id"
    assert ops["acknowledge_order"]["responses"]["200"]["links"]["GenerateInvoice"]["operationId"] == "generate_invoice"
    assert ops["generate_invoice"]["responses"]["200"]["links"]["GenerateLabel"]["operationId"] == "generate_label"
    dispatch = ops["generate_label"]["responses"]["200"]["links"]["DispatchOrder"]
    assert dispatch["operationId"] == "dispatch_orders"
    assert dispatch["requestBody"]["dispatchItems"][0] == {"masterAWB": "$response.body#/tracking_number",
                                                            "orderId": "$response.body#/order_id",
                                                            "invoiceNo": "$response.body#/invoice_number"}
    for item in doc["paths"].values():
        for op in item.values():
            for resp in op["responses"].values():
                for name, link in resp.get("links", {}).items():
                    assert link["operationId"] in ops, name


def test_served_openapi_json_is_the_committed_document(sim):
    r = sim.http("GET", "/openapi.json")
    assert r.status == 200 and r.mimetype == "application/json"
    assert r.json == json.loads(openapi.SPEC_FILE.read_text(encoding="utf-8"))


def test_docs_page_lists_every_operation_and_needs_no_network(sim):
    r = sim.http("GET", "/docs")
    assert r.status == 200 and r.mimetype == "text/html"
    page = r.content.decode()
    for op in OPERATIONS:
        assert f'id="op-{op.operation_id}"' in page, op.operation_id
    assert 'id="schema-OrdersResponse"' in page and "po_number" in page
    # Works offline: its one script is inline, and no script, stylesheet or font comes from anywhere.
    assert page.count("<script") == 1 and "<script>" in page and "src=" not in page
    assert not re.search(r"(src|href)=['\"]https?://", page) and "@import" not in page
    # A try-it form per operation, sending to this server (tests/e2e/test_docs_browser.py drives them).
    assert page.count('<form class="try"') == len(OPERATIONS)
    assert '<form class="try" data-method="POST" data-path="/ajio-vms/b2bInvoice/posting" ' \
           'data-security="authPassword authUsername">' in page


def test_control_plane_has_its_own_document(sim):
    r = sim.http("GET", "/_sim/openapi.json")
    assert r.status == 200
    control = r.json
    validate(control)
    assert all(path.startswith("/_sim") for path in control["paths"])
    assert "/_sim/sellers" in control["paths"] and "/_sim/journal" in control["paths"]
    body = control["paths"]["/_sim/sellers"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/CreateSellerRequest")
    jit_body = control["paths"]["/_sim/jit/orders"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert jit_body["$ref"].endswith("/CreatePosRequest")
    ajio = sim.http("GET", "/openapi.json").json
    assert not any(path.startswith("/_sim") for path in ajio["paths"])


def test_document_covers_every_pinned_jit_path(doc):
    """API.md's pinned JIT paths (issue 5 landed before this contract was finished)."""
    pinned = {("get", "/jit/products"), ("get", "/jit/orders/pendency"), ("get", "/jit/orders"),
              ("post", "/jit/orders/{order_id}/cancel"), ("post", "/jit/orders/{order_id}/invoice"),
              ("put", "/jit/orders/{order_id}/invoice"), ("post", "/jit/orders/{order_id}/pack"),
              ("post", "/jit/orders/dispatch"), ("post", "/jit/inventory"), ("get", "/jit/inventory"),
              ("get", "/jit/backorders")}
    documented = {(method, path) for path, item in doc["paths"].items() for method in item}
    assert pinned <= documented, pinned - documented
