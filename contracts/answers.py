"""Answer conformance: does an answer carry exactly the keys its published response schema requires?

Works on an OpenAPI document (the AJIO one or the control plane's), so it judges what an integrator
reads, not the marshmallow classes behind it, and it needs nothing of the simulator: any
implementation's answers can be checked. `AnswerChecker.check(operation, status, body)` lists what
one answer breaks: a required key missing, a key the schema does not declare, a wrong JSON type, a
null where the schema does not allow one, a value outside an enum. The checker also counts, per
schema property, in how many objects it appeared; `always_present_optional()` then names the optional
properties that a body of answers always carried (they should be `required`), and `coverage()` says
which schemas and properties the answers reached at all.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_JSON_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
               "array": (list,), "object": (dict,)}
_PARAM = re.compile(r"{[^}]+}")


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str
    template: str
    definition: dict


@dataclass
class _Seen:
    objects: int = 0
    present: Counter = field(default_factory=Counter)


class AnswerChecker:
    """Checks answers against one OpenAPI 3.0 document and remembers which properties they carried."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc
        self._by_id: dict[str, Operation] = {}
        self._routes: list[tuple[str, re.Pattern, Operation]] = []
        for template, item in doc.get("paths", {}).items():
            pattern = re.compile("^" + "[^/]+".join(re.escape(part) for part in _PARAM.split(template)) + "$")
            for method, op in item.items():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                entry = Operation(op.get("operationId", f"{method} {template}"), method.lower(), template, op)
                self._by_id[entry.operation_id] = entry
                self._routes.append((method.lower(), pattern, entry))
        # Literal paths first: /ds/orders/dispatch is not /ds/orders/{order_id}.
        self._routes.sort(key=lambda r: r[2].template.count("{"))
        self.seen: dict[str, _Seen] = {}
        self.answers: Counter = Counter()  # (operationId, status) -> answers checked

    # -- finding the schema ----------------------------------------------------------------------
    def operation(self, operation: str, path: str | None = None) -> Operation | None:
        """By operationId, or by method and concrete path (`operation` is then the method)."""
        if path is None:
            return self._by_id.get(operation)
        method = operation.lower()
        for m, pattern, entry in self._routes:
            if m == method and pattern.match(path):
                return entry
        return None

    def response_schema(self, op: Operation, status: int) -> tuple[dict | None, str | None]:
        """The JSON schema of the answer with this status, and the status key it was documented under."""
        responses = op.definition["responses"]
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                content = self._resolve(responses[key]).get("content") or {}
                media = content.get("application/json")
                return (media or {}).get("schema"), key
        return None, None

    def _resolve(self, node: dict) -> dict:
        while isinstance(node, dict) and "$ref" in node:
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, ref: str) -> dict:
        node = self.doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    # -- checking ------------------------------------------------------------------------------------
    def check(self, operation: str, status: int, body, *, path: str | None = None) -> list[str]:
        """Problems of one answer ([] when it conforms). `operation` is an operationId, or the HTTP method
        when `path` (the concrete request path) is given. A status the operation does not document, or
        an answer of an unknown operation, is a problem too; a non-JSON answer (a PDF) is not checked."""
        op = self.operation(operation, path)
        if op is None:
            return [f"{operation} {path or ''}: no such operation in the document".replace("  ", " ")]
        schema, key = self.response_schema(op, status)
        if key is None:
            return [f"{op.operation_id}: status {status} is not documented"]
        self.answers[(op.operation_id, key)] += 1
        if schema is None:
            return []
        out: list[str] = []
        self._walk(schema, body, "$", out, owner=f"{op.operation_id} {key}")
        return [f"{op.operation_id} {status}: {p}" for p in out]

    def _walk(self, schema: dict, value, where: str, out: list[str], owner: str) -> None:
        name = owner
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self._resolve(schema)
        if "allOf" in schema:
            if value is None and schema.get("nullable"):
                return
            for part in schema["allOf"]:
                self._walk(part, value, where, out, name)
            return
        for key in ("anyOf", "oneOf"):
            if key in schema:
                if value is None and schema.get("nullable"):
                    return
                trials = []
                for part in schema[key]:
                    found: list[str] = []
                    _Probe(self).walk(part, value, where, found)
                    trials.append(found)
                if not any(not t for t in trials):
                    out.append(f"{where}: matches no branch of {key} ({min(trials, key=len)[0]})")
                return
        if value is None:
            constrained = any(k in schema for k in ("type", "properties", "items", "enum"))
            if constrained and not schema.get("nullable"):  # an empty schema {} accepts anything
                out.append(f"{where}: null, but the schema does not allow null")
            return
        kind = schema.get("type")
        if kind in _JSON_TYPES:
            ok = isinstance(value, _JSON_TYPES[kind]) and not (kind in ("integer", "number") and isinstance(value, bool))
            if kind == "integer" and isinstance(value, float) and value.is_integer():
                ok = True
            if not ok:
                out.append(f"{where}: {type(value).__name__} where the schema says {kind}")
                return
        if "enum" in schema and value not in schema["enum"]:
            out.append(f"{where}: {value!r} is not one of {schema['enum']}")
        if isinstance(value, dict) and (kind == "object" or "properties" in schema):
            self._object(schema, value, where, out, name)
        elif isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                self._walk(schema["items"], item, f"{where}[{i}]", out, f"{name}[]")

    def _object(self, schema: dict, value: dict, where: str, out: list[str], name: str) -> None:
        props = schema.get("properties") or {}
        for key in schema.get("required") or []:
            if key not in value:
                out.append(f"{where}.{key}: required, absent")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                self._walk(props[key], item, f"{where}.{key}", out, f"{name}.{key}")
            elif isinstance(extra, dict):
                self._walk(extra, item, f"{where}.{key}", out, f"{name}.*")
            elif extra is not True and props:
                out.append(f"{where}.{key}: not declared by the schema ({name})")
        if props:
            seen = self.seen.setdefault(name, _Seen())
            seen.objects += 1
            seen.present.update(k for k in value if k in props)

    # -- what a body of answers says ------------------------------------------------------------
    def always_present_optional(self) -> dict[str, list[str]]:
        """Schema -> optional properties that every object of that schema carried."""
        out: dict[str, list[str]] = {}
        for name, seen in self.seen.items():
            schema = self._schema_named(name)
            if schema is None:
                continue
            required = set(schema.get("required") or [])
            keys = [k for k in schema.get("properties") or {} if k not in required and seen.present[k] == seen.objects]
            if keys:
                out[name] = keys
        return out

    def export_seen(self) -> dict[str, list]:
        """The property counts as JSON-able data: schema -> [objects, {property: objects carrying it}]."""
        return {name: [seen.objects, dict(seen.present)] for name, seen in self.seen.items()}

    def merge_seen(self, exported: dict[str, list]) -> None:
        """Add counts another checker exported (a test run spread over processes judges them together)."""
        for name, (objects, present) in exported.items():
            seen = self.seen.setdefault(name, _Seen())
            seen.objects += objects
            seen.present.update(present)

    def never_seen(self) -> dict[str, list[str]]:
        """Schema -> declared properties no checked object carried (untested, or never sent)."""
        out: dict[str, list[str]] = {}
        for name, seen in self.seen.items():
            schema = self._schema_named(name)
            if schema is not None:
                missing = [k for k in schema.get("properties") or {} if seen.present[k] == 0]
                if missing:
                    out[name] = missing
        return out

    def _schema_named(self, name: str) -> dict | None:
        return self.doc.get("components", {}).get("schemas", {}).get(name)


class _Probe(AnswerChecker):
    """A walk that only collects problems (used to try the branches of an anyOf); counts nothing."""

    def __init__(self, parent: AnswerChecker) -> None:  # noqa: D107 - shares the parent's document
        self.doc = parent.doc
        self.seen = {}

    def walk(self, schema: dict, value, where: str, out: list[str]) -> None:
        self._walk(schema, value, where, out, "probe")


def check_answer(doc: dict, operation: str, status: int, body, *, path: str | None = None) -> list[str]:
    """One answer against `doc`: see AnswerChecker.check."""
    return AnswerChecker(doc).check(operation, status, body, path=path)


def required_share(doc: dict, prefixes: tuple[str, ...]) -> tuple[int, int]:
    """(required, all) properties reachable from the 2xx JSON answers of operations under `prefixes`:
    each schema counted once, nested schemas included."""
    checker = AnswerChecker(doc)
    names: set[str] = set()
    inline: list[dict] = []

    def visit(schema: dict | None) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name in names:
                return
            names.add(name)
            schema = checker._resolve(schema)
        elif "properties" in schema:
            inline.append(schema)
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, []):
                visit(part)
        visit(schema.get("items"))
        for prop in (schema.get("properties") or {}).values():
            visit(prop)

    for template, item in doc.get("paths", {}).items():
        if not template.startswith(prefixes):
            continue
        for op in item.values():
            for status, answer in op.get("responses", {}).items():
                if status.startswith("2"):
                    visit(((checker._resolve(answer).get("content") or {}).get("application/json") or {}).get("schema"))
    required = total = 0
    for schema in [checker._schema_named(n) for n in names] + inline:
        props = (schema or {}).get("properties") or {}
        total += len(props)
        required += len(set(schema.get("required") or []) & set(props))
    return required, total
