"""Request plumbing shared by the AJIO-facing views: auth, body/query parsing, transactions."""
from __future__ import annotations

import json
import re

from flask import current_app, g, jsonify, request, url_for
from marshmallow import ValidationError, fields

from contracts import rulebook
from simulator.domain.sellers import check_token, resolve_token
from simulator.errors import UnsupportedMediaType, ValidationFailed
from simulator.fast.dumpfast import fast_dump


def sim():
    return current_app.extensions["ajio_sim"]


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")
_SLOT = "0DOCUMENTID0"


def doc_url(document_id: str) -> str:
    """The document's download URL, as url_for builds it. Built once per request with a placeholder id and
    filled in: a list answer carries a URL per order (50 orders with POs: 3.32-3.39 ms of CPU a GET against
    3.60 with url_for for each; benchmarks/orders_by_ids.py)."""
    if not _PLAIN_ID.fullmatch(document_id):  # an id needing quoting: url_for's own way
        return url_for("documents.get_document", document_id=document_id, _external=True)
    template = g.get("doc_url_template")
    if template is None:
        template = g.doc_url_template = url_for("documents.get_document", document_id=_SLOT,
                                                _external=True).split(_SLOT)
    return document_id.join(template)


def flatten(messages, prefix: str = "") -> list[tuple[str, str]]:
    """marshmallow's nested messages -> [("order_lines[0].confirmed_quantity", "Not a valid integer.")]."""
    out = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix or "body"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            out.extend(flatten(value, path))
    elif isinstance(messages, list):
        for value in messages:
            if isinstance(value, (dict, list)):
                out.extend(flatten(value, prefix))
            else:
                out.append((prefix or "body", str(value)))
    else:
        out.append((prefix or "body", str(messages)))
    return out


# A contract's message may cite the rule it enforces ("... (rule GST-DOCUMENT-NUMBER-FORMAT)"): the
# refusal then names that rule like a domain refusal does (contracts/ imports nothing of ours).
_CITED_RULE = re.compile(r"\(rule ([A-Z][A-Z0-9]*(?:-[A-Z0-9.]+)+)")


def _load(schema, data, what: str):
    try:
        return schema.load(data)
    except ValidationError as exc:
        problems = flatten(exc.messages)
        text = "; ".join(f"{path}: {msg}" for path, msg in problems)
        # The message may cite its rule (main); else the schema names the rule behind the field (`RULES`).
        cited = _CITED_RULE.search(problems[0][1])
        rule = cited.group(1) if cited and rulebook.is_rule(cited.group(1)) else None
        if rule is None:
            top = re.split(r"[.\[]", problems[0][0], maxsplit=1)[0]
            rule = getattr(schema, "RULES", {}).get(top)
        raise ValidationFailed(f"invalid {what}: {text}", field=problems[0][0], rule=rule,
                               extra={"errors": [{"field": p, "message": m} for p, m in problems]}) from None


# json.loads turns a paired surrogate escape into one character, so whatever surrogate is left
# in a parsed string was a lone escape ("\ud800"): valid JSON syntax, but no Unicode text.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(data) -> bool:
    stack = [data]  # iterative: a body nested as deep as the parser allows must not overflow here
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean",
               type(None): "null"}


def _contract(parse, rule: str | None = None):
    """Run a request parser; what it refuses is the connector breaking the contract, which the
    journal records beside the answer (API.md: the journal comes "with contract violations").
    `rule`: the rulebook id a refused body breaks when the operation has one (a label without
    dimensions), so the answer names it rather than only the field."""
    try:
        return parse()
    except (ValidationFailed, UnsupportedMediaType) as exc:
        g.violations = exc.extra.get("errors") or [{"field": exc.field or "body", "message": exc.message}]
        if rule and exc.rule_id is None and isinstance(exc, ValidationFailed):
            exc.rule_id = rulebook.rule(rule).id
        raise


def body(schema, *, empty_ok: bool = False, rule: str | None = None) -> dict:
    """The JSON body validated by `schema`; malformed JSON or a wrong content type is a 4xx."""
    return _contract(lambda: _body(schema, empty_ok), rule)


def _body(schema, empty_ok: bool) -> dict:
    raw = request.get_data(cache=True)
    if not raw.strip():
        if empty_ok:
            return _load(schema, {}, "body")
        raise ValidationFailed("request body is required: a JSON object", field="body")
    if not request.is_json:
        raise UnsupportedMediaType(f"Content-Type must be application/json (got {request.mimetype or 'none'})",
                                   field="Content-Type")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser's stack
        raise ValidationFailed("request body is not valid JSON", field="body") from None
    if not isinstance(data, dict):
        kind = _JSON_KINDS.get(type(data), type(data).__name__)
        raise ValidationFailed(f"request body must be a JSON object, not {kind}", field="body")
    # Such a string cannot be encoded to store, journal or print (RFC 8259 section 8.2): a client error.
    # It comes as an escape or as raw bytes (json.loads decodes bytes with "surrogatepass").
    if (b"\\u" in raw or not raw.isascii()) and _has_lone_surrogate(data):
        raise ValidationFailed("request body is not valid Unicode text: a string holds a lone UTF-16 surrogate "
                               "escape (\\ud800-\\udfff)", field="body")
    return _load(schema, data, "body")


def validated(schema, data: dict, what: str) -> dict:
    """Data read from another form than a JSON body (a CSV file), checked by `schema` as a body would be."""
    return _contract(lambda: _load(schema, data, what))


def query(schema) -> dict:
    # A repeated parameter is bound as Spring binds it: the values joined with commas. orderIds=A&orderIds=B
    # is then the list "A,B", and page=0&page=1 is no integer (400), never a silent pick of the first.
    return _contract(lambda: _load(schema, {key: ",".join(values) for key, values in request.args.lists()}, "query"))


def authenticate(model: str | None):
    """The POB behind the apiKey header, checked against the simulated now (30-minute tokens)."""
    token = request.headers.get("apiKey")
    g.pendency_version = None
    if "token_row" in g:  # looked up by the request's first read, with the clock (app._before)
        row = g.pop("token_row")
        pob = check_token(row, token, g.now, model)
        # Read before this request's timers fired? Then it may be out of date: no cached page.
        g.pendency_version = None if g.get("timers_fired") else row["pendency_version"]
    else:
        with sim().store.read() as conn:
            pob = resolve_token(conn, token, g.now, model)
    g.pob_id = pob["pob_id"]
    return pob


def refused_lines() -> dict[str, str]:
    """Lines AJIO fails on this call by a line_failure fault (simulator/faults/effects.py): order (a manifest) or
    SKU (a stock push) -> reason."""
    return g.get("line_faults") or {}


def write(fn):
    result, ctx = sim().transact(fn, doc_url=doc_url, now=g.now)
    g.touched.extend(ctx.touched)
    if ctx.flags:  # accepted, but the journal marks the violation (Ctx.flags)
        g.violations = (g.get("violations") or []) + ctx.flags
    return result


def read(fn):
    result, ctx = sim().read(fn, doc_url=doc_url, now=g.get("now"))  # the request's instant, read by tick()
    g.touched.extend(ctx.touched)
    return result


def contract_drift(schema, data, path: str = "$") -> list[str]:
    """Where `data` and its schema disagree: keys the schema does not declare (a dump would drop them
    silently) and required fields that are absent (a dump would omit them silently), as paths."""
    if not isinstance(data, dict):
        return []
    out = [f"{path}.{key} (undeclared)" for key in data if key not in schema.fields]
    for name, fld in schema.fields.items():
        if name not in data:
            if fld.required:
                out.append(f"{path}.{name} (required, absent)")
            continue
        value = data[name]
        if isinstance(fld, fields.Nested) and isinstance(value, dict):
            out += contract_drift(fld.schema, value, f"{path}.{name}")
        elif isinstance(fld, fields.List) and isinstance(fld.inner, fields.Nested) and isinstance(value, list):
            for i, item in enumerate(value):
                out += contract_drift(fld.inner.schema, item, f"{path}.{name}[{i}]")
    return out


def respond(schema, data, status: int = 200):
    """The answer dumped through its contract schema (contracts/): the one definition of its shape.

    With CONTRACT_STRICT (contract runs, tests) a key the domain produced but the contract does not
    declare, or a required one it did not produce, is a bug, not a silent drop: it fails the request
    (500) so the run shows it."""
    if current_app.config.get("CONTRACT_STRICT"):
        drift = contract_drift(schema, data)
        if drift:
            raise AssertionError(f"answer drifts from {type(schema).__name__}: {', '.join(drift[:10])}")
    dumped = fast_dump(schema, data)
    if current_app.config.get("CONTRACT_STRICT"):
        # The compiled dumper (simulator/fast/dumpfast.py) must answer exactly what marshmallow would.
        expected = schema.dump(data)
        if json.dumps(dumped, default=str) != json.dumps(expected, default=str):  # types and key order too
            raise AssertionError(f"fast dump differs from {type(schema).__name__}.dump")
    return jsonify(dumped), status
