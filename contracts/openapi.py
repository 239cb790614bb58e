"""The OpenAPI 3 documents, generated from the registry and the marshmallow schemas (apispec).

`python -m contracts.openapi` rewrites contracts/openapi.json (the AJIO-facing contract, committed;
a test fails when it is stale). The control plane gets its own document (contracts/openapi_control.py),
never mixed into the AJIO one.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from apispec import APISpec

from contracts import common
from contracts.openapi_common import (
    CONTRACT_VERSION,
    OPENAPI_VERSION,
    RATE_HEADERS,
    add_headers,
    add_note,
    finish,
    headers,
    json_content,
    load_examples,
    new_spec,
    unstated_note,
)
from contracts.openapi_control import control_spec
from contracts.registry import E400, OPERATIONS, Operation

__all__ = ["CONTRACT_VERSION", "E400", "OPENAPI_VERSION", "SPEC_FILE", "ajio_spec", "control_spec", "main", "render",
           "unstated"]

SPEC_FILE = Path(__file__).with_name("openapi.json")
_PATH_PARAM = re.compile(r"{([^}]+)}")

AJIO_DESCRIPTION = (
    "AJIO's seller APIs as ajio-sim simulates them, one document for every AJIO-facing surface:\n\n"
    "- **Dropship** `/ds` (seeds 000 and 003): catalog and inventory, pendency and acknowledgement, "
    "invoice -> label -> manifest, returns, QC and credit notes.\n"
    "- **JIT** `/jit` (seed 001): purchase orders, invoice, box-wise packing, manifest, inventory push and "
    "reconciliation, back-orders, returns.\n"
    "- **VMS** `/vms` (seed 002): B2C orders, acknowledgement, the B2B PO, the B2B e-invoice, B2C documents, "
    "manifest, returns, QC, credit notes and RSI.\n"
    "- **The ERP layer** `/ajio-vms` (seed 002): the seller's ERP posts the B2B e-invoice and credit notes and "
    "fetches RSI with the headers `authUsername` (the POB id) and `authPassword` (its API password).\n"
    "- **Logins** `POST /authToken` and `POST /{ds,jit,vms}/authToken`, and **documents** "
    "`GET /documents/{document_id}` (every PDF an answer links to).\n\n"
    "Every call but the logins and the ERP layer carries the `apiKey` header: the `accessToken` of a login "
    "(30 minutes, no refresh: log in again). Errors are `{\"status\": \"FAILED\", \"error_message\", "
    "\"error_code\"}` plus `field` (the offending path), `rule_id` with `rule` (the rulebook: docs/rules.md) and "
    "`errors` (every contract violation); a refusal that carries the call's per-item lists has its own schema. "
    "Timestamps are epoch seconds (the ERP layer's are ISO-8601 with zone, as seed 002 writes them). Lists page "
    "Spring-style: `page` from 0, `size` <= 50. With throttling on, every answer carries `X-RateLimit-*` headers and a 429 "
    "`Retry-After`.\n\n"
    "Paths and grounded field names follow the pinned surface (API.md) and the integrators' guides it distils "
    "(seeds 000-004); each operation names the seed behind its rules. The simulator's own control plane "
    "(`/_sim`: sellers, orders, world events, clock, journal, faults) has its own document at "
    "`/_sim/openapi.json`; this page is `/docs`.")

TAGS = [
    ("auth", "Log in: an accessToken for the `apiKey` header (30 minutes, no refresh; API.md)"),
    ("ds catalog", "Dropship: the POB's listings and absolute stock updates (seed 003 steps 5-6)"),
    ("ds orders", "Dropship: pendency, acknowledgement and seller cancellation, order status sync (seed 000)"),
    ("ds fulfilment", "Dropship: invoice -> label -> manifest (seed 000 points 5-10, seed 003)"),
    ("ds returns", "Dropship: RTOs, customer returns, QC and credit notes (seed 000 points 13-18)"),
    ("documents", "Every PDF an answer links to (`*_url`, `*Url`), for the owning POB only"),
    ("jit orders", "JIT: purchase orders, seller cancellation and returns (seed 001)"),
    ("jit fulfilment", "JIT: invoice, box-wise packing and manifest (seed 001 rows 2, 4, 5)"),
    ("jit inventory", "JIT: SKU pull, inventory push, reconciliation and back-orders (seed 001)"),
    ("vms orders", "VMS: B2C orders, acknowledgement, the B2B PO and seller cancellation (seed 002)"),
    ("vms fulfilment", "VMS: the B2B e-invoice, B2C invoice and label, manifest (seed 002)"),
    ("vms returns", "VMS: return expectations, RTO requests, QC, credit notes and RSI (seed 002)"),
    ("erp layer", "The ERP integration layer `/ajio-vms` exactly as seed 002: `authUsername` / `authPassword` "
                  "headers"),
]
_RETRY_STATUSES = (409, 429)


def _operation(op: Operation, examples: dict) -> dict:
    out: dict = {"operationId": op.operation_id, "tags": [op.tag], "summary": op.summary,
                 "description": op.description, "responses": {}}
    if unstated(op):
        add_note(out, unstated_note(unstated(op)))
    params = [{"in": "path", "name": name, "required": True, "description": f"the {name.replace('_', ' ')}",
               "schema": {"type": "string", "minLength": 1}} for name in _PATH_PARAM.findall(op.path)]
    if op.query is not None:
        params.append({"in": "query", "schema": op.query})
    if params:
        out["parameters"] = params
    captured = examples.get(op.operation_id, {})
    if op.body is not None:
        example = op.example if op.example is not None else captured.get("request")
        out["requestBody"] = {"required": op.body_required, "content": json_content(op.body, example)}
    if op.auth:
        out["security"] = [{"apiKey": []}]
    elif op.security:  # all of them together: one requirement object
        out["security"] = [{name: [] for name in op.security}]
    else:  # a login: no credentials but the body
        out["security"] = []
    answers = captured.get("responses", {})
    rate = headers(*RATE_HEADERS)
    first_ok = True
    for status, (schema, text) in op.ok.items():
        response: dict = {"description": text, "headers": dict(rate)}
        if op.produces == "application/json":
            response["content"] = json_content(schema, answers.get(str(status)))
        else:
            response["content"] = {op.produces: {"schema": {"type": "string", "format": "binary"}}}
        if first_ok and op.links:
            response["links"] = op.links
        first_ok = False
        out["responses"][str(status)] = response
    for status, text in op.errors.items():
        schema = op.error_shapes.get(status) or "ErrorBody"
        example = answers.get(str(status)) or examples.get("_errors", {}).get(str(status))
        response = {"description": text, "content": json_content(schema, example), "headers": dict(rate)}
        extra = ("Retry-After",) if status in _RETRY_STATUSES else ()
        response["headers"].update(headers(*extra, *op.error_headers.get(status, ())))
        out["responses"][str(status)] = response
    return out


def ajio_spec(operations: list[Operation] | None = None, examples: dict | None = None) -> dict:
    """The AJIO-facing contract as an OpenAPI 3 dict."""
    spec: APISpec = new_spec("AJIO seller API (ajio-sim)", AJIO_DESCRIPTION, TAGS)
    add_headers(spec)
    spec.components.security_scheme("apiKey", {
        "type": "apiKey", "in": "header", "name": "apiKey",
        "description": "the accessToken of POST /{model}/authToken (API.md: 30 minutes, no refresh)"})
    for name, what in (("authUsername", "the POB id"), ("authPassword", "the POB's API password")):
        spec.components.security_scheme(name, {
            "type": "apiKey", "in": "header", "name": name,
            "description": f"the ERP layer /ajio-vms: {what}; sent together with the other (seed 002)"})
    spec.components.schema("ErrorBody", schema=common.ErrorBody)
    captured = (load_examples() if examples is None else examples).get("ajio", {})
    ops = OPERATIONS if operations is None else operations
    for path in dict.fromkeys(op.path for op in ops):
        spec.path(path=path, operations={op.method: _operation(op, captured) for op in ops if op.path == path})
    doc = finish(spec)
    for op in ops:  # a query's unstated rules also go into the description of the parameter they name
        params = {p["name"]: p for p in doc["paths"][op.path][op.method].get("parameters", []) if p["in"] == "query"}
        for rule in getattr(op.query, "UNSTATED", ()):
            add_note(params[rule.field], unstated_note([rule]))
    return doc


def unstated(op: Operation) -> tuple:
    """The rules of an operation's request that OpenAPI 3.0.3 cannot state (contracts.common.Unstated), as
    its body or query schema declares them."""
    return (*getattr(op.body, "UNSTATED", ()), *getattr(op.query, "UNSTATED", ()))


def render(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    text = render(ajio_spec())
    if args[:1] == ["--check"]:
        current = SPEC_FILE.read_text(encoding="utf-8") if SPEC_FILE.exists() else ""
        if current != text:
            print(f"{SPEC_FILE} is stale: run `python -m contracts.openapi`", file=sys.stderr)
            return 1
        return 0
    SPEC_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SPEC_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
