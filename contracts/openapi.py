"""The OpenAPI 3 documents, generated from the registry and the marshmallow schemas (apispec).

`python -m contracts.openapi` rewrites contracts/openapi.json (the AJIO-facing contract, committed;
a test fails when it is stale). The control plane gets its own document (`control_spec`), never
mixed into the AJIO one.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from contracts import common
from contracts.registry import E400, OPERATIONS, Operation

CONTRACT_VERSION = "0.1.0"
OPENAPI_VERSION = "3.0.3"
SPEC_FILE = Path(__file__).with_name("openapi.json")
_PATH_PARAM = re.compile(r"{([^}]+)}")

AJIO_DESCRIPTION = (
    "AJIO's seller API as ajio-sim simulates it: Dropship `/ds`, JIT `/jit` (and the login of `/vms`), "
    "`/authToken` and `/documents`. Paths and grounded field names follow the pinned surface (API.md) and the "
    "integrators' guides it distils (seeds 000-004); each operation names the seed behind its rules. Every call "
    "but the login carries the `apiKey` header (a token from `POST /{model}/authToken`, 30 minutes, no refresh). "
    "Errors are `{\"status\": \"FAILED\", \"error_message\"}` plus `error_code`, `field` (the offending path) "
    "and `rule_id` with `rule` (the rulebook: docs/rules.md). Timestamps are epoch seconds. Lists page "
    "Spring-style: `page` from 0, `size` <= 50.")


def _refused_properties(schema: dict) -> None:
    """Drop properties a schema declares only to refuse them with a precise rule (x-refused)."""
    props = schema.get("properties") or {}
    for name in [n for n, p in props.items() if p.get("x-refused")]:
        del props[name]
        if name in schema.get("required", []):
            schema["required"].remove(name)


def _new_spec(title: str, description: str) -> APISpec:
    return APISpec(title=title, version=CONTRACT_VERSION, openapi_version=OPENAPI_VERSION,
                   plugins=[MarshmallowPlugin()], info={"description": description})


def _json(schema) -> dict:
    return {"application/json": {"schema": schema}}


def _operation(op: Operation) -> dict:
    out: dict = {"operationId": op.operation_id, "tags": [op.tag], "summary": op.summary,
                 "description": op.description, "responses": {}}
    params = [{"in": "path", "name": name, "required": True, "schema": {"type": "string", "minLength": 1}}
              for name in _PATH_PARAM.findall(op.path)]
    if op.query is not None:
        params.append({"in": "query", "schema": op.query})
    if params:
        out["parameters"] = params
    if op.body is not None:
        out["requestBody"] = {"required": op.body_required, "content": _json(op.body)}
        if op.example is not None:
            out["requestBody"]["content"]["application/json"]["example"] = op.example
    if op.auth:
        out["security"] = [{"apiKey": []}]
    elif op.security:  # all of them together: one requirement object
        out["security"] = [{name: [] for name in op.security}]
    first_ok = True
    for status, (schema, text) in op.ok.items():
        response: dict = {"description": text}
        if op.produces == "application/json":
            response["content"] = _json(schema)
        else:
            response["content"] = {op.produces: {"schema": {"type": "string", "format": "binary"}}}
        if first_ok and op.links:
            response["links"] = op.links
        first_ok = False
        out["responses"][str(status)] = response
    for status, text in op.errors.items():
        shape = op.error_shapes.get(status)
        schema = {"anyOf": [common.ErrorBody, shape]} if shape else "ErrorBody"
        response = {"description": text, "content": _json(schema)}
        if status in (409, 429):
            response["headers"] = {"Retry-After": {
                "description": "simulated seconds until it is worth asking again (when known)",
                "schema": {"type": "integer", "minimum": 1}}}
        out["responses"][str(status)] = response
    return out


def _finish(spec: APISpec) -> dict:
    doc = spec.to_dict()
    for schema in doc.get("components", {}).get("schemas", {}).values():
        _refused_properties(schema)
    return doc


def ajio_spec(operations: list[Operation] | None = None) -> dict:
    """The AJIO-facing contract as an OpenAPI 3 dict (no servers: it is served from wherever it runs)."""
    spec = _new_spec("AJIO seller API (ajio-sim)", AJIO_DESCRIPTION)
    spec.components.security_scheme("apiKey", {
        "type": "apiKey", "in": "header", "name": "apiKey",
        "description": "the accessToken of POST /{model}/authToken (API.md: 30 minutes, no refresh)"})
    for name, what in (("authUsername", "the POB id"), ("authPassword", "the POB's API password")):
        spec.components.security_scheme(name, {
            "type": "apiKey", "in": "header", "name": name,
            "description": f"the ERP layer /ajio-vms: {what}; sent together with the other (seed 002)"})
    spec.components.schema("ErrorBody", schema=common.ErrorBody)
    ops = OPERATIONS if operations is None else operations
    for path in dict.fromkeys(op.path for op in ops):
        spec.path(path=path, operations={op.method: _operation(op) for op in ops if op.path == path})
    return _finish(spec)


def render(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def control_spec(routes: list[tuple[str, str, str, str | None]], request_schemas: dict[str, type]) -> dict:
    """The control plane (/_sim) as its own document, from the app's routes.

    routes: (method, OpenAPI path, endpoint name, view docstring); request_schemas: endpoint -> body or
    query schema class, where the view parses one."""
    spec = _new_spec("ajio-sim control plane (/_sim)",
                     "What AJIO's customers and couriers do, and the simulator's own knobs (API.md, control "
                     "plane). Not part of AJIO's contract. Guarded by X-Admin-Token when the simulator listens "
                     "beyond loopback.")
    spec.components.schema("ErrorBody", schema=common.ErrorBody)
    by_path: dict[str, dict] = {}
    taken: set[str] = set()
    for method, path, endpoint, doc in routes:
        # Unique per document: the view's name, qualified when two blueprints or two methods share it.
        op_id = endpoint.split(".")[-1]
        if op_id in taken:
            op_id = f"{endpoint.replace('.', '_')}_{method}"
        taken.add(op_id)
        op: dict = {"operationId": op_id, "tags": ["control"],
                    "summary": (doc or endpoint).strip().splitlines()[0],
                    "responses": {"200": {"description": "done (201 when it creates)"},
                                  "400": {"description": E400, "content": _json("ErrorBody")},
                                  "404": {"description": "unknown id", "content": _json("ErrorBody")}}}
        params = [{"in": "path", "name": n, "required": True, "schema": {"type": "string"}}
                  for n in _PATH_PARAM.findall(path)]
        schema = request_schemas.get(endpoint)
        if schema is not None and method == "get":
            params.append({"in": "query", "schema": schema})
        elif schema is not None:
            op["requestBody"] = {"required": False, "content": _json(schema)}
        if params:
            op["parameters"] = params
        by_path.setdefault(path, {})[method] = op
    for path, operations in by_path.items():
        spec.path(path=path, operations=operations)
    return _finish(spec)


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
