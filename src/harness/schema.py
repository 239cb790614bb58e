"""Validate a scenario file against scenario.schema.json (jsonschema), naming the file, the line and the field.

The schema (the catalogue's scenario.schema.json, published by `ajio-sim scenarios schema`) says
what shape a scenario has; the loader then checks what a schema cannot (references to sellers and
captured names, durations, step order). Errors come in the loader's words:
`scenarios/x.yaml: line 12: steps[2].place_orders: unknown key 'cont' (allowed: as, count, ...)`.
"""
from __future__ import annotations

import datetime
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from harness import catalogue
from harness.model import ScenarioError


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    path = catalogue.root() / catalogue.SCHEMA_FILE
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"the scenario schema {path} cannot be read: {exc}") from None
    return Draft202012Validator(schema)


def as_json(value: Any) -> Any:
    """YAML's own types as JSON has them: a timestamp (start: 2026-11-23T10:00:00+05:30) is ISO text."""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def _lines(node, path: tuple = (), out: dict | None = None) -> dict:
    """(path) -> line of the value, and (path, "key") -> line of a mapping's key, from YAML's node tree."""
    out = {} if out is None else out
    if node is None:  # an empty file
        return out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (key.value,)
            out[(child, "key")] = key.start_mark.line + 1
            _lines(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            _lines(item, path + (n,), out)
    return out


def field_name(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


def _describe(error) -> tuple[tuple, str, bool]:
    """(path the message is about, message, whether the line is the key's) in the loader's words."""
    path = tuple(error.absolute_path)
    kind, schema, instance = error.validator, error.schema, error.instance
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in allowed)
        if extra and len(path) == 2 and path[0] == "steps":
            return path + (extra[0],), f"unknown step '{extra[0]}' (known: {', '.join(allowed)})", True
        if extra:
            return path + (extra[0],), f"unknown key '{extra[0]}' (allowed: {', '.join(allowed)})", True
    if kind == "pattern" and schema.get("description"):
        return path, f"{instance!r} is not valid here ({schema['description']})", False
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        if missing:
            return path, f"missing required key '{missing[0]}'", False
    if kind == "oneOf" and all(set(s) == {"required"} for s in error.validator_value):
        names = [s["required"][0] for s in error.validator_value]
        given = [n for n in names if isinstance(instance, dict) and n in instance]
        return path, f"needs exactly one of {', '.join(names)} (got {', '.join(given) or 'none'})", False
    if kind == "type" and not path:
        return path, f"a scenario is a mapping with {', '.join(schema.get('required', []))} (got {instance!r})", False
    if kind == "anyOf" and all(set(s) == {"required"} for s in error.validator_value):
        names = [s["required"][0] for s in error.validator_value]
        return path, f"needs at least one of {', '.join(names)}", False
    if kind in ("not", "anyOf") and schema.get("description"):  # a combination refused: the schema says why
        return path, schema["description"], False
    if kind in ("maxProperties", "minProperties") and len(path) == 2 and path[0] == "steps":
        return path, "a step is a mapping with exactly one key, the step's kind", False
    return path, error.message, False


def validate(path: str | Path, doc: Any, text: str) -> None:
    """Raise ScenarioError for the first (earliest in the file) place the document breaks the schema."""
    errors = list(validator().iter_errors(as_json(doc)))
    if not errors:
        return
    try:
        lines = _lines(yaml.compose(text))
    except yaml.YAMLError:  # already parsed once: cannot happen, but a message without a line still helps
        lines = {}
    found = []
    for error in errors:
        where, message, on_key = _describe(error)
        line = lines.get((where, "key")) if on_key else None
        probe = where
        while line is None and probe:
            line = lines.get(probe)
            probe = probe[:-1]
        found.append((line or 1, field_name(where[:-1] if on_key else where), message))
    line, field, message = min(found, key=lambda f: f[0])
    raise ScenarioError(f"{path}: line {line}: {field}: {message}")
