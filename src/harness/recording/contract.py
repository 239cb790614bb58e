"""The contract as the drift checker reads it: operations by method and path template from the OpenAPI
document (built from contracts/ by default, so it follows every change to the schemas), and a walker that
compares one recorded JSON value with a schema and says how they differ."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

# A recorded integer this large, where ours is epoch seconds, is in milliseconds (10**11 s is year 5138).
_EPOCH_MS_FLOOR = 10 ** 11
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATEISH_NAME = re.compile(r"(date|_at|At|time|Time|Date)$")


@dataclass(frozen=True, slots=True)
class Op:
    operation_id: str
    method: str           # upper case
    template: str         # /ds/orders/{order_id}/invoice
    spec: dict
    literals: int         # path segments without a parameter: the more specific template wins

    @property
    def label(self) -> str:
        return f"{self.operation_id} ({self.method} {self.template})"


class Contract:
    def __init__(self, doc: dict, source: str) -> None:
        self.doc = doc
        self.source = source
        self.ops: list[tuple[re.Pattern, Op]] = []
        for template, methods in (doc.get("paths") or {}).items():
            pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
            literals = sum(1 for seg in template.split("/") if seg and "{" not in seg)
            for method, spec in methods.items():
                if method.lower() in ("get", "put", "post", "delete", "patch", "head", "options"):
                    op = Op(spec.get("operationId") or f"{method} {template}", method.upper(), template, spec,
                            literals)
                    self.ops.append((pattern, op))
        self.ops.sort(key=lambda po: -po[1].literals)

    @classmethod
    def load(cls, path: str | None = None) -> Contract:
        """The contract of this installation (contracts/, the same schemas that serve the API), or a file."""
        if path:
            return cls(json.loads(Path(path).read_text(encoding="utf-8")), path)
        from contracts.openapi import CONTRACT_VERSION, ajio_spec
        return cls(ajio_spec(), f"contracts/ (built-in, version {CONTRACT_VERSION})")

    def find(self, method: str, path: str) -> tuple[Op | None, list[str]]:
        """(the operation, None when unknown; the methods the contract has for this path)."""
        methods = []
        for pattern, op in self.ops:
            if pattern.match(path):
                if op.method == method.upper():
                    return op, []
                methods.append(op.method)
        return None, methods

    def resolve(self, schema: Any) -> dict:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 50:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.doc["components"]["schemas"][name]
            seen += 1
        if isinstance(schema, str):  # apispec may leave a bare component name
            schema = self.doc["components"]["schemas"].get(schema, {})
        return schema if isinstance(schema, dict) else {}


@dataclass(slots=True)
class Difference:
    kind: str       # extra_field | missing_field | type | format | enum | nullable
    where: str      # JSON path with list indexes collapsed: orders[].order_date
    detail: str     # stable words (no values): what differs
    got: str = ""   # the recorded value, short (masked recordings hold masked values)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _iso(text: str) -> bool:
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class Walker:
    """Compares one value with one schema; `seen` collects every schema property met (for "never seen")."""

    def __init__(self, contract: Contract) -> None:
        self.c = contract
        self.seen: set[str] = set()
        self.declared: dict[str, str] = {}   # where -> the object's path, for properties never met

    def compare(self, schema: Any, value: Any, where: str = "") -> list[Difference]:
        out: list[Difference] = []
        self._walk(schema, value, where, out)
        return out

    def _walk(self, schema: Any, value: Any, where: str, out: list[Difference]) -> None:
        s = self.c.resolve(schema)
        alternatives = s.get("anyOf") or s.get("oneOf")
        if alternatives:  # the closest alternative decides (an error body or the call's own refusal shape)
            trials = []
            for alt in alternatives:
                found: list[Difference] = []
                self._walk(alt, value, where, found)
                trials.append(found)
            out.extend(min(trials, key=len))
            return
        for part in s.get("allOf") or []:
            self._walk(part, value, where, out)
        name = where.rsplit(".", 1)[-1]
        if value is None:
            if s and not s.get("nullable") and s.get("type"):
                out.append(Difference("nullable", where, f"null where ours is never null ({s['type']})", "null"))
            return
        want = s.get("type")
        before = len(out)
        self._typed(s, want, value, where, name, out)
        if len(out) == before and "enum" in s and value not in s["enum"]:
            listed = ", ".join(map(str, s["enum"][:8])) + (", ..." if len(s["enum"]) > 8 else "")
            out.append(Difference("enum", where, f"a value our contract does not list (ours: {listed})", _short(value)))

    def _typed(self, s: dict, want: str | None, value: Any, where: str, name: str, out: list[Difference]) -> None:
        if want is None:
            return
        got = _json_type(value)
        if want == "object":
            if got != "object":
                out.append(Difference("type", where, f"{got} where ours is an object", _short(value)))
                return
            self._object(s, value, where, out)
        elif want == "array":
            if got != "array":
                out.append(Difference("type", where, f"{got} where ours is an array", _short(value)))
                return
            for item in value:
                self._walk(s.get("items") or {}, item, f"{where}[]", out)
        elif want == "integer":
            self._integer(s, value, got, where, name, out)
        elif want == "number":
            if got == "string" and _NUMBER.match(value.strip()):
                out.append(Difference("type", where, "a number sent as a string (ours: number)", _short(value)))
            elif got not in ("integer", "number"):
                out.append(Difference("type", where, f"{got} where ours is a number", _short(value)))
        elif want == "string":
            self._string(s, value, got, where, out)
        elif want == "boolean" and got != "boolean":
            what = "a boolean sent as a string" if got == "string" and value.lower() in ("true", "false") else \
                f"{got} where ours is a boolean"
            out.append(Difference("type", where, what, _short(value)))

    def _object(self, s: dict, value: dict, where: str, out: list[Difference]) -> None:
        props = s.get("properties") or {}
        prefix = f"{where}." if where else ""
        for key in props:
            self.declared.setdefault(prefix + key, where)
        extra = s.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                self.seen.add(prefix + key)
                self._walk(props[key], item, prefix + key, out)
            elif extra is False:
                out.append(Difference("extra_field", prefix + key, "in the recorded answer, not in our contract",
                                      _short(item)))
            elif isinstance(extra, dict):
                self._walk(extra, item, prefix + key, out)
        for key in s.get("required") or []:
            if key not in value:
                out.append(Difference("missing_field", prefix + key,
                                      "our contract always sends it; the recorded answer lacks it"))

    def _integer(self, s, value, got, where, name, out) -> None:
        epochish = "epoch" in (s.get("description") or "").lower() or bool(_DATEISH_NAME.search(name))
        if got == "integer":
            if epochish and abs(value) >= _EPOCH_MS_FLOOR:
                out.append(Difference("format", where, "epoch milliseconds where ours is epoch seconds", _short(value)))
        elif got == "number":
            out.append(Difference("type", where, "a fractional number where ours is an integer", _short(value)))
        elif got == "string" and _iso(value):
            out.append(Difference("format", where, "an ISO-8601 date where ours is epoch seconds (integer)",
                                  _short(value)))
        elif got == "string" and _NUMBER.match(value.strip()):
            out.append(Difference("type", where, "a number sent as a string (ours: integer)", _short(value)))
        else:
            out.append(Difference("type", where, f"{got} where ours is an integer", _short(value)))

    def _string(self, s, value, got, where, out) -> None:
        fmt = s.get("format")
        if got != "string":
            if fmt == "date-time" and got == "integer":
                out.append(Difference("format", where, "epoch seconds where ours is an ISO-8601 date-time",
                                      _short(value)))
            else:
                out.append(Difference("type", where, f"{got} where ours is a string", _short(value)))
            return
        if fmt == "date-time" and not _iso(value):
            out.append(Difference("format", where, "not an ISO-8601 date-time (ours: date-time)", _short(value)))
        elif fmt in ("uri", "url") and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
            out.append(Difference("format", where, "not an absolute URL (ours: uri)", _short(value)))
