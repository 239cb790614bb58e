"""One registry entry: an AJIO-facing operation with its schemas, errors and links (contracts/registry.py)."""
from __future__ import annotations

from dataclasses import dataclass, field

# Error answers every authenticated call may give; an operation adds its own (404, 409, 403).
E400 = "invalid request: the body or query breaks the contract (`field` names the path, `errors` lists all)"
E401 = "apiKey header missing, invalid or expired (tokens live 30 minutes, no refresh: API.md)"
E404 = "unknown id, or an id of another POB (API.md: a token never reads another POB's data)"
E409 = "not allowed in the current state (ILLEGAL_TRANSITION, `rule_id` names the rule) or not yet (NOT_YET)"
E413 = "request body over 1 MiB"
E415 = "Content-Type is not application/json"
E429 = "per-user throttling (AJIO spec v1.2, API.md; the limit is not public): retry after Retry-After"


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str  # lower case, as in OpenAPI
    path: str  # OpenAPI template: /ds/orders/{order_id}/invoice
    tag: str
    summary: str
    description: str
    # 2xx status -> (schema class or None for a PDF, description)
    ok: dict[int, tuple[type | None, str]]
    # error status -> description (answered with contracts.common.ErrorBody)
    errors: dict[int, str] = field(default_factory=dict)
    body: type | None = None
    body_required: bool = True
    query: type | None = None
    auth: bool = True
    # security schemes other than the apiKey token (the ERP layer's authUsername + authPassword headers)
    security: tuple[str, ...] = ()
    # OpenAPI links of the first 2xx answer: name -> link object (operationId, parameters, requestBody)
    links: dict[str, dict] = field(default_factory=dict)
    # error status -> the schema of that refusal instead of ErrorBody: an extension of ErrorBody that
    # also carries the call's per-item lists (e.g. DispatchFailedResponse), never an anyOf
    error_shapes: dict[int, type] = field(default_factory=dict)
    # error status -> headers sent with it beyond the defaults (Retry-After on 409 and 429)
    error_headers: dict[int, tuple[str, ...]] = field(default_factory=dict)
    produces: str = "application/json"
    # a request body as a connector sends it (shown on /docs; schemathesis' examples phase sends it)
    example: dict | None = None

    @property
    def statuses(self) -> list[int]:
        return sorted([*self.ok, *self.errors])


def errors_for(*extra: tuple[int, str], body: bool = False, auth: bool = True) -> dict[int, str]:
    out = {400: E400}
    if auth:
        out[401] = E401
    if body:
        out.update({413: E413, 415: E415})
    out[429] = E429
    out.update(dict(extra))
    return dict(sorted(out.items()))
