"""schema_as_strict_as_code: data the published document accepts is not refused as a malformed request.

The check of `ajio-sim contract` (simulator/conformance.py) fails a positive case answered 400 "invalid body:"
or "invalid query:" unless the refused rule is one OpenAPI 3.0.3 cannot state (conformance.INEXPRESSIBLE).
Here it passes on the real document and fails on documents with one constraint taken out. Seeded and bounded
(max 5 examples per operation and phase, as test_contract_run.py)."""
from __future__ import annotations

import copy

import pytest

from contracts.openapi import ajio_spec
from simulator import conformance
from simulator.conformance import STRICT_CHECK, contract_app, run_contract

pytestmark = pytest.mark.contract

# Every operation whose request rules the document states beyond field types, or cannot state.
STRICT_OPERATIONS = ("vms_post_b2b_invoice", "erp_post_b2b_invoice", "vms_post_credit_note", "erp_post_credit_note",
                     "vms_quality_check", "vms_cancel_order", "jit_prepack", "list_returns", "jit_list_returns",
                     "vms_list_orders", "vms_list_returns", "vms_list_rsi", "erp_list_rsi")


def _findings(result) -> dict[str, str]:
    return {f.operation: f.message for f in result.findings if f.check == STRICT_CHECK}


def test_the_published_document_is_as_strict_as_the_code():
    result = run_contract(app=contract_app(seed=1), seed=1, max_examples=5, phases=("examples", "coverage", "fuzzing"),
                          operation_ids=STRICT_OPERATIONS)
    assert result.ok, result.summary()
    assert result.checks[STRICT_CHECK] > 500, result.checks  # it judged the answers, it was not merely enabled
    assert {"POST /vms/returns/{return_order_id}/qc", "GET /ajio-vms/rsi"} <= set(result.cases), result.cases


def _schema(doc: dict, name: str) -> dict:
    return doc["components"]["schemas"][name]


def _drop_url_pattern(doc):
    prop = _schema(doc, "B2bInvoicePosting")["properties"]["invoiceURL"]
    del prop["pattern"], prop["format"]


def _drop_base64(doc):
    prop = _schema(doc, "CreditNotePosting")["properties"]["signedCreditNote"]
    del prop["pattern"], prop["format"], prop["minLength"]


def _drop_document_rule(doc):
    del _schema(doc, "B2bInvoicePosting")["allOf"]


def _drop_qc_rules(doc):
    del _schema(doc, "VmsQcItem")["allOf"]


@pytest.mark.parametrize("loosen, operation_id, operation, refused", [
    (_drop_url_pattern, "vms_post_b2b_invoice", "POST /vms/orders/{order_id}/b2bInvoice", "invoiceURL: Not a valid URL"),
    (_drop_base64, "erp_post_credit_note", "POST /ajio-vms/creditNote/posting", "signedCreditNote: must"),
    (_drop_document_rule, "erp_post_b2b_invoice", "POST /ajio-vms/b2bInvoice/posting",
     "invoicePdf: one of invoicePdf / invoiceURL is mandatory"),
    (_drop_qc_rules, "vms_quality_check", "POST /vms/returns/{return_order_id}/qc", "items[0]."),
], ids=["url-pattern", "base64", "pdf-or-url", "qc-item-rules"])
def test_a_document_laxer_than_the_code_fails(loosen, operation_id, operation, refused):
    doc = copy.deepcopy(ajio_spec())
    loosen(doc)
    result = run_contract(app=contract_app(seed=1), spec=doc, seed=1, max_examples=5, phases=("coverage", "fuzzing"),
                          operation_ids=(operation_id,))
    found = _findings(result)
    assert operation in found, result.summary()
    assert refused in found[operation], found[operation]
    assert "cannot express it, declare it in the schema's UNSTATED" in found[operation]


def test_an_inexpressible_rule_passes_only_while_it_is_listed(monkeypatch):
    """fromDate after toDate is refused and the document cannot say so: listed, it passes; unlisted, it fails."""
    assert ("GET /vms/orders", "fromDate", conformance.UNSTATED["GET /vms/orders"][0].why) in conformance.INEXPRESSIBLE
    monkeypatch.delitem(conformance.UNSTATED, "GET /vms/orders")
    result = run_contract(app=contract_app(seed=1), seed=1, max_examples=5, phases=("coverage", "fuzzing"),
                          operation_ids=("vms_list_orders",))
    found = _findings(result)
    assert "fromDate: must not be after toDate" in found.get("GET /vms/orders", ""), result.summary()


def test_every_inexpressible_rule_is_stated_in_the_document():
    doc = ajio_spec()
    by_label = {f"{method.upper()} {path}": op for path, item in doc["paths"].items() for method, op in item.items()}
    for operation, rules in conformance.UNSTATED.items():
        for rule in rules:
            assert rule.text in by_label[operation]["description"], (operation, rule)
    assert {(op, field) for op, field, _ in conformance.INEXPRESSIBLE} == {
        ("GET /ds/returns", "fromDate"), ("GET /jit/returns", "fromDate"), ("GET /vms/orders", "fromDate"),
        ("GET /vms/returns", "fromDate"), ("GET /vms/rsi", "rsiDateTo"), ("GET /ajio-vms/rsi", "rsiDateTo"),
        ("POST /vms/orders/{order_id}/b2bInvoice", "invoiceLineEntries[].channelSkuCode"),
        ("POST /ajio-vms/b2bInvoice/posting", "invoiceLineEntries[].channelSkuCode"),
        ("POST /vms/orders/{order_id}/cancel", "lines[].channelSkuCode"),
        # refused by the domain (no "invalid body:"), listed all the same
        ("POST /ds/return/rto", "order_items[].order_item_id"),
        ("POST /jit/orders/{order_id}/cancel", "lines[].order_item_id"),
        ("POST /jit/orders/{order_id}/pack", "boxes[].box_id"), ("POST /jit/orders/{order_id}/pack", "boxes[].seal_id"),
        ("POST /jit/orders/{order_id}/pack", "boxes[].items[].order_item_id"), ("POST /jit/inventory", "inventory[].sku")}
