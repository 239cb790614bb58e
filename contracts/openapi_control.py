"""The control plane's own OpenAPI document (`GET /_sim/openapi.json`), never mixed into the AJIO one.

Built from the app's /_sim routes (simulator/control/openapi.py lists them with the schema each view
parses and the answer each gives): every operation has its success schema and example, the errors it
can answer and a tag per area. The dashboard (`/_sim/ui`) is a browser UI, not part of this API.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from contracts import common
from contracts.openapi_common import finish, json_content, load_examples, new_spec
from contracts.operation import E400

CONTROL_DESCRIPTION = (
    "The simulator's own control plane (API.md, control plane): what AJIO's customers and couriers do to "
    "orders (world events), the sellers (POBs) and their catalogues, the simulated clock, the request "
    "journal, staged faults and throttling, the JIT and VMS worlds and the postings sent to sellers' ERPs. "
    "Not part of AJIO's contract (that is `/openapi.json`). Guarded by the `X-Admin-Token` header when the "
    "simulator listens beyond loopback (`ajio-sim serve --admin-token`); open on 127.0.0.1.")

TAGS = [
    ("simulator", "Health, reset and this document"),
    ("sellers", "POBs with their logins and settings; AJIO's view of their stock"),
    ("orders", "Orders (and JIT POs) as the simulator holds them, and the world events AJIO's customers and "
               "couriers cause: customer cancellation, pickup, delivery, RTO, customer return"),
    ("returns", "Returns as the simulator holds them; the parcel's arrival, a customer's cancellation"),
    ("clock", "The simulated clock: read, advance, set, freeze (due timers fire on each change)"),
    ("journal", "Every AJIO-facing request and its answer, with contract violations and applied faults"),
    ("faults", "Staged bad days (fault rules) and per-POB throttling"),
    ("jit world", "JIT: new purchase orders, moderation, inventory drift, stock report, returns to the seller"),
    ("vms world", "VMS: the PO knobs (missing, issue now) and RSI documents"),
    ("erp postings", "The postings sent to sellers' ERPs (seed 004): the log and a synchronous delivery"),
]
_TAG_BY_PREFIX = [("/_sim/sellers", "sellers"), ("/_sim/orders", "orders"), ("/_sim/returns", "returns"),
                  ("/_sim/clock", "clock"), ("/_sim/journal", "journal"), ("/_sim/faults", "faults"),
                  ("/_sim/throttle", "faults"), ("/_sim/jit", "jit world"), ("/_sim/vms", "vms world"),
                  ("/_sim/erp", "erp postings")]
_PARAM = re.compile(r"<(?:([^:>]+):)?([^>]+)>")
E401 = "the admin token is missing or wrong (only when the simulator was started with one)"
E404 = "unknown id"
E409 = "not allowed in the current state (ILLEGAL_TRANSITION; `rule` cites the seed)"


@dataclass(frozen=True, slots=True)
class ControlAnswer:
    """What one control view answers: its success status and schema, a summary, the errors beyond the
    defaults (400 with a body or query, 401, 404 with a path id, 413 and 415 with a body)."""

    status: int
    schema: type
    summary: str
    # (status, when) answered with ErrorBody, or (status, when, schema) with a refusal of its own shape
    errors: tuple[tuple, ...] = ()


def _path(rule: str) -> tuple[str, list[dict]]:
    """A Flask rule -> an OpenAPI path and its path parameters (an <int:...> converter is an integer)."""
    params = [{"in": "path", "name": name, "required": True, "description": f"the {name.replace('_', ' ')}",
               "schema": {"type": "integer", "minimum": 1} if conv == "int" else {"type": "string", "minLength": 1}}
              for conv, name in _PARAM.findall(rule)]
    return _PARAM.sub(r"{\2}", rule), params


def _tag(path: str) -> str:
    return next((tag for prefix, tag in _TAG_BY_PREFIX if path.startswith(prefix)), "simulator")


def control_spec(routes: list[tuple[str, str, str, str | None]], request_schemas: dict[str, type],
                 answers: dict[str, ControlAnswer], examples: dict | None = None) -> dict:
    """routes: (method, Flask rule, endpoint, view docstring) of every /_sim route but the dashboard's;
    request_schemas: endpoint -> body (or, for a GET or DELETE, query) schema; answers: endpoint -> answer.
    A route without an answer entry is an error: the document must describe every answer."""
    spec = new_spec("ajio-sim control plane (/_sim)", CONTROL_DESCRIPTION, TAGS)
    spec.components.security_scheme("adminToken", {
        "type": "apiKey", "in": "header", "name": "X-Admin-Token",
        "description": "required when the simulator listens beyond loopback (`ajio-sim serve --admin-token`)"})
    spec.components.schema("ErrorBody", schema=common.ErrorBody)
    captured = (load_examples() if examples is None else examples).get("control", {})
    by_path: dict[str, dict] = {}
    taken: set[str] = set()
    missing = sorted({endpoint for _, _, endpoint, _ in routes if endpoint not in answers})
    if missing:
        raise KeyError(f"control routes without an answer entry (simulator/control/openapi.py): {missing}")
    for method, rule, endpoint, doc in routes:
        path, params = _path(rule)
        answer = answers[endpoint]
        op_id = endpoint.split(".")[-1]
        if op_id in taken:  # unique per document: qualified when two blueprints or two methods share it
            op_id = f"{op_id}_{method}"
        taken.add(op_id)
        seen = captured.get(op_id, {})
        text = " ".join((doc or "").split()) or answer.summary
        op: dict = {"operationId": op_id, "tags": [_tag(path)], "summary": answer.summary, "description": text,
                    "responses": {str(answer.status): {
                        "description": answer.summary,
                        "content": json_content(answer.schema, seen.get("responses", {}).get(str(answer.status)))}}}
        schema = request_schemas.get(endpoint)
        errors: dict[int, str] = {401: E401}
        if method in ("post", "put"):  # refused before any view reads it (the app's body limit)
            errors[413] = "request body over 1 MiB"
        if schema is not None and method in ("get", "delete"):
            params.append({"in": "query", "schema": schema})
            errors[400] = E400
        elif schema is not None:
            op["requestBody"] = {"required": False, "content": json_content(schema, seen.get("request"))}
            errors.update({400: E400, 415: "Content-Type is not application/json"})
        if any(p["in"] == "path" for p in params):
            errors[404] = E404
        shapes = {}
        for status, why, *shape in answer.errors:
            errors[status] = why
            shapes.update({status: shape[0]} if shape else {})
        for status, why in sorted(errors.items()):
            example = seen.get("responses", {}).get(str(status)) or captured.get("_errors", {}).get(str(status))
            op["responses"][str(status)] = {"description": why,
                                            "content": json_content(shapes.get(status, "ErrorBody"), example)}
        if params:
            op["parameters"] = params
        by_path.setdefault(path, {})[method] = op
    for path, operations in by_path.items():
        spec.path(path=path, operations=operations)
    doc = finish(spec)
    doc["security"] = [{}, {"adminToken": []}]
    return doc
