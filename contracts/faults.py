"""Control-plane shapes of fault rules (/_sim/faults) and the throttling knob (/_sim/throttle)."""
from __future__ import annotations

import json
import re

from marshmallow import ValidationError, fields, pre_load, validate, validates, validates_schema

from contracts.common import Bool, Float, Int, StrictSchema
from contracts.control import LineQuantity

MODELS = ("ds", "jit", "vms")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
# Transport effects act on the request or its answer; domain effects change what AJIO's world says.
TRANSPORT_EFFECTS = ("status", "latency", "throttle", "reset", "empty_body", "truncate", "malformed")
DOMAIN_EFFECTS = ("po_missing", "repeat_order", "hide_order", "hide_return", "stale_page", "vanish_after_ack",
                  "line_failure", "unknown_value", "customer_cancel")
# unknown_value: what AJIO sends in place of a known value when it adds one to an enum (not grounded).
UNKNOWN_VALUE = "NEW_VALUE_FROM_AJIO"
# line_failure: the calls whose 200 answer lists lines that failed alone, and the key naming the line: the three
# manifests (an order) and Dropship's stock push (a SKU). JIT's push answers all lines or none; VMS pushes no stock.
LINE_FAILURE_CALLS = {"/ds/orders/dispatch": "order_id", "/jit/orders/dispatch": "order_id",
                      "/vms/manifests": "order_id", "/ds/updateInventory": "sku", "/ds/return/rto": "order_id"}
# Of those, the call answering for one thing as a whole: its 200 says `status: FAILED` and created nothing; the
# key is optional there (no key: any order's creation fails).
WHOLE_CALL_FAILURES = ("/ds/return/rto",)
LINE_FAILURE_RULE = "API-PER-LINE-FAILURES"
EFFECTS = TRANSPORT_EFFECTS + DOMAIN_EFFECTS
# The effects that leave an answer's status as it was and spoil its body (emptied, cut short, garbled): a document
# downloaded through one of them did not arrive, whatever its 200 says.
SPOILED_BODY = ("empty_body", "truncate", "malformed")
PHASES = ("before", "after")
THROTTLE_MODES = ("off", "on", "strict")
THROTTLE_GROUPS = ("auth", "read", "write", "documents")
MAX_LATENCY_MS = 60_000
MAX_MATCH_BODY = 4096  # characters of JSON in a matcher's `body`


def json_subset(want, got) -> bool:
    """`want` is found in `got`: an object's every key with a value found in `got`'s value there, a list's
    every item found in some item of `got`'s list, anything else equal. A fault rule's `match.body` and a
    scenario's `request.body` both mean this."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and json_subset(v, got[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and all(any(json_subset(w, g) for g in got) for w in want)
    return want == got


def _small_object(value: dict, empty: str) -> None:
    """A JSON subset given to match (a request's body, a listed item): not empty, at most MAX_MATCH_BODY of JSON."""
    if not value:
        raise ValidationError(empty)
    if len(json.dumps(value)) > MAX_MATCH_BODY:
        raise ValidationError(f"at most {MAX_MATCH_BODY} characters of JSON")


class FaultMatch(StrictSchema):
    method = fields.String(validate=validate.OneOf(METHODS))
    # A glob: `*` is any run of characters within one path segment, `**` any run across segments.
    path = fields.String(validate=validate.Length(min=1, max=512))
    # Or a Python regular expression that must match the whole path.
    path_regex = fields.String(validate=validate.Length(min=1, max=512))
    model = fields.String(validate=validate.OneOf(MODELS))
    pob_id = fields.String(validate=validate.Length(min=1, max=32))
    # A JSON object the request's body must hold (json_subset): e.g. one order's posting among many.
    body = fields.Dict(keys=fields.String())
    # Query parameters the request must carry, each with this value (as text): e.g. {"page": "1"}, a list's
    # second page only.
    query = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                        values=fields.String(validate=validate.Length(max=256)))

    @validates("query")
    def _query(self, value: dict, **_) -> None:
        if not value:
            raise ValidationError("must name at least one query parameter")

    @validates("path")
    def _glob(self, value: str, **_) -> None:
        if not value.startswith("/"):
            raise ValidationError("must start with '/' (a glob over the request path, e.g. /ds/orders/*/invoice)")

    @validates("path_regex")
    def _regex(self, value: str, **_) -> None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValidationError(f"not a valid regular expression: {exc}") from None

    @validates("body")
    def _body(self, value: dict, **_) -> None:
        _small_object(value, "must name at least one key the request's JSON body holds")

    @validates_schema
    def _one_path(self, data: dict, **_) -> None:
        if "path" in data and "path_regex" in data:
            raise ValidationError("give path (a glob) or path_regex, not both", "path_regex")


class FaultEffect(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(EFFECTS))
    # status / vanish_after_ack: the HTTP status answered, with AJIO's error body.
    status = Int(validate=validate.Range(min=400, max=599))
    error_message = fields.String(validate=validate.Length(min=1, max=500))
    # status and reset: before the request is processed (nothing applied) or after (applied, answer lost).
    phase = fields.String(validate=validate.OneOf(PHASES))
    # latency: real milliseconds, plus a seeded random share of jitter_ms.
    ms = Int(validate=validate.Range(min=0, max=MAX_LATENCY_MS))
    jitter_ms = Int(validate=validate.Range(min=0, max=MAX_LATENCY_MS))
    # throttle (and a status before processing): seconds announced in Retry-After.
    retry_after = Int(validate=validate.Range(min=0, max=86_400))
    # status, reset, truncate, malformed, empty_body: wall-clock milliseconds a retry of the call must wait
    # (sooner is marked API-RETRY-TRANSIENT; no header announces it: not grounded, the scenario's choice).
    backoff_ms = Int(validate=validate.Range(min=1, max=60_000))
    # throttle with backoff_ms: whose calls the wait holds: the throttled call's repeats only ("call", the default),
    # or every call of the same credential, on any path ("caller": AJIO throttles per user, API.md).
    holds = fields.String(validate=validate.OneOf(("call", "caller")))
    # truncate: bytes kept (default half the body); wire=true declares the full length and cuts the connection.
    bytes = Int(validate=validate.Range(min=0, max=10_000_000))
    wire = Bool()
    # po_missing: simulated minutes the PO stays missing after the matched acknowledgement.
    minutes = Int(validate=validate.Range(min=1, max=10 * 365 * 24 * 60))
    # repeat_order: the order shown again (default: the page's first order is listed twice);
    # hide_order: the order left out of the answer (default: the page's first); line_failure: the order whose
    # line of a manifest fails alone (required there), or whose RTO creation answers FAILED (default: any order's).
    order_id = fields.String(validate=validate.Length(min=1, max=32))
    # hide_return: the return left out of a returns list (default: the page's first).
    return_order_id = fields.String(validate=validate.Length(min=1, max=32))
    # line_failure on a stock push (POST /ds/updateInventory): the SKU whose line fails alone (required there).
    sku = fields.String()
    # unknown_value: the key of a listed item whose value becomes one the connector cannot know, in the items
    # holding `item` (a JSON subset, e.g. {"order_id": "FN1"}; default: the first item with the key).
    field = fields.String(validate=[validate.Length(min=1, max=64),
                                    validate.Regexp(r"^[A-Za-z_][A-Za-z0-9_]*$", error="a key name (letters, digits, _)")])
    value = fields.String(validate=validate.Length(min=1, max=64))
    item = fields.Dict(keys=fields.String())
    # customer_cancel: the units of the order's lines the customer cancels (default: the whole order).
    lines = fields.List(fields.Nested(LineQuantity), validate=validate.Length(min=1, max=500))
    # stale_page: query parameters left out of the snapshot's key (a list whose query carries the moving clock).
    ignore_params = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                                validate=validate.Length(min=1, max=10))

    _ALLOWED = {
        "status": {"status", "error_message", "phase", "retry_after", "backoff_ms"},
        "latency": {"ms", "jitter_ms"},
        "throttle": {"retry_after", "error_message", "backoff_ms", "holds"},
        "reset": {"phase", "backoff_ms"},
        "empty_body": {"backoff_ms"},
        "truncate": {"bytes", "wire", "backoff_ms"},
        "malformed": {"backoff_ms"},
        "po_missing": {"minutes"},
        "repeat_order": {"order_id"},
        "hide_order": {"order_id"},
        "hide_return": {"return_order_id"},
        "stale_page": {"ignore_params"},
        "vanish_after_ack": {"status", "error_message"},
        "line_failure": {"order_id", "sku", "error_message"},
        "unknown_value": {"field", "value", "item"},
        "customer_cancel": {"order_id", "lines"},
    }
    _REQUIRED = {"status": {"status"}, "latency": {"ms"}, "po_missing": {"minutes"},
                 "unknown_value": {"field"},
                 "customer_cancel": {"order_id"}}   # line_failure: order_id or sku, by the call it matches (below)

    @validates("sku")
    def _sku(self, value: str, **_) -> None:
        if not 1 <= len(value) <= 64 or value != value.strip():
            raise ValidationError(f"a SKU exactly as AJIO lists it (1 to 64 characters, no leading or trailing "
                                  f"spaces): the line of a stock push that fails (rule {LINE_FAILURE_RULE})")

    @validates("item")
    def _item(self, value: dict, **_) -> None:
        _small_object(value, "must name at least one key of the item to change (e.g. {\"order_id\": \"FN1\"})")

    @validates_schema
    def _retry_after_before_only(self, data: dict, **_) -> None:
        if data.get("kind") == "status" and "retry_after" in data and data.get("phase") == "after":
            raise ValidationError("goes with phase before: an answer replaced after processing announces nothing",
                                  field_name="retry_after")

    @validates_schema
    def _fits_kind(self, data: dict, **_) -> None:
        kind = data.get("kind")
        if kind not in self._ALLOWED:
            return
        for name in sorted(set(data) - {"kind"} - self._ALLOWED[kind]):
            raise ValidationError(f"not an option of a {kind} effect (options: "
                                  f"{', '.join(sorted(self._ALLOWED[kind])) or 'none'})", name)
        for name in sorted(self._REQUIRED.get(kind, set()) - set(data)):
            raise ValidationError(f"a {kind} effect needs {name}", name)


class FaultRuleRequest(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    match = fields.Nested(FaultMatch, load_default=dict)
    effects = fields.List(fields.Nested(FaultEffect), required=True, validate=validate.Length(min=1, max=10))
    # How many times the rule applies (then it is spent), and/or the chance it applies to a match.
    times = Int(validate=validate.Range(min=1, max=1_000_000))
    probability = Float(validate=validate.Range(min=0, max=1))
    seed = Int(validate=validate.Range(min=0, max=2**31))

    @validates_schema
    def _line_failure_on_a_per_line_call(self, data: dict, **_) -> None:
        """A line fails only where AJIO answers per line: the rule must match exactly one manifest call (the line
        named by `order_id`) or Dropship's stock push (by `sku`)."""
        effects = data.get("effects") or []
        if not any(e.get("kind") == "line_failure" for e in effects):
            return
        match = data.get("match") or {}
        key = LINE_FAILURE_CALLS.get(match.get("path")) if match.get("method") == "POST" else None
        if key is None:
            hint = (" (JIT's stock push answers all lines or none: no line fails alone)"
                    if match.get("path") == "/jit/inventory" else "")
            raise ValidationError(f"a line_failure effect needs match.method POST and match.path one of "
                                  f"{', '.join(LINE_FAILURE_CALLS)} (the calls answering per line){hint} "
                                  f"(rule {LINE_FAILURE_RULE})", "match")
        other = "sku" if key == "order_id" else "order_id"
        line = "the order whose manifest line fails" if key == "order_id" else "the SKU whose stock line fails"
        for i, effect in enumerate(effects):
            if effect.get("kind") != "line_failure":
                continue
            if other in effect:
                raise ValidationError({"effects": {i: {other: [
                    f"not an option of a line_failure effect on POST {match['path']}: it names {key}, {line} "
                    f"(rule {LINE_FAILURE_RULE})"]}}})
            if key not in effect and match["path"] not in WHOLE_CALL_FAILURES:
                raise ValidationError({"effects": {i: {key: [
                    f"a line_failure effect on POST {match['path']} needs {key}: {line} (rule {LINE_FAILURE_RULE})"]}}})

    @pre_load
    def _api_md_words(self, data, **_):
        """API.md says "effect" and "count": accepted as one-effect `effects` and `times` (not both ways)."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for alias, name in (("count", "times"), ("effect", "effects")):
            if alias in data:
                if name in data:
                    raise ValidationError(f"give {name} or {alias}, not both", alias)
                value = data.pop(alias)
                data[name] = [value] if alias == "effect" else value
        return data


class FaultsDeleteQuery(StrictSchema):
    id = fields.Integer(validate=validate.Range(min=1, max=2**62))


class ThrottleLimit(StrictSchema):
    rate = Float(required=True, validate=validate.Range(min=0.001, max=100_000, error="must be > 0 (tokens per "
                                                                                       "simulated second)"))
    burst = Int(required=True, validate=validate.Range(min=1, max=1_000_000))


class ThrottleRequest(StrictSchema):
    mode = fields.String(validate=validate.OneOf(THROTTLE_MODES))
    limits = fields.Dict(keys=fields.String(validate=validate.OneOf(THROTTLE_GROUPS)),
                         values=fields.Nested(ThrottleLimit))
