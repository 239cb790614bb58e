"""What both OpenAPI documents share: the spec object, servers, headers, examples, and the finishing pass.

The finishing pass rewrites what apispec emits into forms code generators keep typed: a nullable
nested schema becomes "the model or null" (apispec writes an `anyOf` of an untyped nullable object and
the `$ref`, which generators turn into an untyped bag), and the properties a request schema declares
only to refuse them (`x-refused`) are dropped.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

CONTRACT_VERSION = "0.1.0"
OPENAPI_VERSION = "3.0.3"
EXAMPLES_FILE = Path(__file__).with_name("examples.json")
CONTACT = {"name": "ajio-sim maintainers: see the project's README (docs/contracts.md for the contract)"}
LICENSE = {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"}
# Where `make serve` listens; a client passes its own base URL (docs/contracts.md, generated clients).
SERVERS = [{"url": "http://127.0.0.1:8080", "description": "a local simulator: `make serve` or `ajio-sim serve` "
                                                           "(any other host and port work the same)"}]

RATE_HEADERS = {
    "X-RateLimit-Limit": "the bucket's burst for this operation group (auth, read, write, documents); sent when "
                         "throttling is on (`ajio-sim serve --throttle`, `PUT /_sim/throttle`)",
    "X-RateLimit-Remaining": "requests left in the bucket now; sent when throttling is on",
    "X-RateLimit-Reset": "simulated seconds until the bucket is full again; sent when throttling is on",
}
RETRY_AFTER = ("simulated seconds until it is worth asking again: with a 429, and with a NOT_YET refusal when the "
               "simulator knows the time (PO lag, credit note delay)")


UNSTATED_LEAD = "Refused (400) though the schema cannot state it"


def unstated_note(rules) -> str:
    """The words a description gets for rules the schema cannot state (contracts.common.Unstated)."""
    return f"{UNSTATED_LEAD}: " + "; ".join(f"{rule.text} ({rule.why})" for rule in rules) + "."


def _field_keywords(self, field: fields.Field, **kwargs) -> dict:
    """A field class's `OPENAPI` keywords (contracts.common.Url, contracts.erp.Base64Pdf): what its
    deserialisation refuses beyond the JSON type, stated in the document."""
    if isinstance(field, fields.Url) and not hasattr(field, "OPENAPI"):
        raise TypeError(f"{field!r}: use contracts.common.Url, whose pattern states what the validator accepts")
    return dict(getattr(field, "OPENAPI", {}))


class ContractPlugin(MarshmallowPlugin):
    """apispec's marshmallow plugin, plus what a schema declares beyond its fields: `OPENAPI_ALL_OF` (rules
    relating fields, e.g. "one of invoicePdf / invoiceURL", published under `allOf` so that generators keep
    the model typed: a model-level anyOf or oneOf becomes an untyped union in openapi-python-client) and
    `UNSTATED` (rules OpenAPI 3.0.3 cannot state, written into the description of the property they name)."""

    def init_spec(self, spec: APISpec) -> None:
        super().init_spec(spec)
        self.converter.add_attribute_function(_field_keywords)

    def schema_helper(self, name, _, schema=None, **kwargs):
        out = super().schema_helper(name, _, schema=schema, **kwargs)
        if schema is None:
            return out
        cls = schema if isinstance(schema, type) else type(schema)
        rules = getattr(cls, "OPENAPI_ALL_OF", ())
        if rules:
            out["allOf"] = [dict(rule) for rule in rules]
        by_property: dict[str, list] = {}
        for rule in getattr(cls, "UNSTATED", ()):
            by_property.setdefault(re.split(r"[.\[]", rule.field, maxsplit=1)[0], []).append(rule)
        for prop, found in by_property.items():
            add_note(out["properties"][prop], unstated_note(found))
        return out


def add_note(target: dict, note: str) -> None:
    """Append a sentence to a description (a property's, a parameter's, an operation's)."""
    text = (target.get("description") or "").rstrip()
    target["description"] = f"{text}{'' if not text or text.endswith('.') else '.'} {note}".strip()


def new_spec(title: str, description: str, tags: list[tuple[str, str]]) -> APISpec:
    spec = APISpec(title=title, version=CONTRACT_VERSION, openapi_version=OPENAPI_VERSION,
                   plugins=[ContractPlugin()],
                   info={"description": description, "contact": CONTACT, "license": LICENSE},
                   servers=SERVERS, tags=[{"name": name, "description": text} for name, text in tags])
    return spec


def add_headers(spec: APISpec) -> None:
    """The response headers the AJIO-facing surface sends (throttling, not-yet refusals)."""
    spec.components.header("Retry-After", {"description": RETRY_AFTER, "schema": {"type": "integer", "minimum": 1}})
    for name, text in RATE_HEADERS.items():
        spec.components.header(name, {"description": text, "schema": {"type": "integer", "minimum": 0}})


def json_content(schema, example=None) -> dict:
    media: dict = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"application/json": media}


def headers(*names: str) -> dict:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def load_examples() -> dict:
    """contracts/examples.json: real requests and answers, captured by `python -m simulator.contract_examples`."""
    if not EXAMPLES_FILE.exists():
        return {}
    return json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))


def finish(spec: APISpec) -> dict:
    doc = spec.to_dict()
    for schema in doc.get("components", {}).get("schemas", {}).values():
        _refused_properties(schema)
        _typed_nullables(schema)
    return doc


def _refused_properties(schema: dict) -> None:
    """Drop properties a schema declares only to refuse them with a precise rule (x-refused)."""
    props = schema.get("properties") or {}
    for name in [n for n, p in props.items() if p.get("x-refused")]:
        del props[name]
        if name in schema.get("required", []):
            schema["required"].remove(name)


def _typed_nullables(schema: dict) -> None:
    """A nullable nested schema, in a form that is exact under OpenAPI 3.0.3 and keeps generators typed.

    apispec writes `anyOf: [{type: object, nullable: true}, {$ref}]`: the first branch accepts any
    object, so generators give an untyped bag. This becomes `anyOf: [{$ref}, {type: object, nullable:
    true, enum: [null]}]`: the model, or null and nothing else. (`allOf: [{$ref}], nullable: true` is not
    exact: 3.0.3 lets `nullable` act only beside `type`, and with `type: object` beside the allOf
    openapi-python-client drops the null.)"""
    for prop in (schema.get("properties") or {}).values():
        target = prop.get("items") if prop.get("type") == "array" else prop
        branches = (target or {}).get("anyOf")
        if not branches or len(branches) != 2:
            continue
        refs = [b for b in branches if "$ref" in b]
        nulls = [b for b in branches if b.get("nullable") and "$ref" not in b]
        if len(refs) == 1 and len(nulls) == 1:
            target["anyOf"] = [refs[0], dict(NULL_ONLY)]


NULL_ONLY = {"type": "object", "nullable": True, "enum": [None], "description": "null"}
