"""GET /openapi.json and /docs: the AJIO contract as JSON and as a page that works offline.

The page is rendered on the server from the same OpenAPI dict (no script, no CDN): every operation
with its parameters, body, answers and links, then every schema with its fields."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from html import escape

from flask import Blueprint, Response, jsonify

from contracts.openapi import ajio_spec

bp = Blueprint("docs", __name__)


@lru_cache(maxsize=1)
def _spec() -> dict:
    return ajio_spec()


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(_spec())


@bp.get("/docs")
def docs_page():
    return Response(render_html(_spec()), mimetype="text/html")


_BACKTICKS = re.compile(r"`([^`]+)`")


def _prose(text: str) -> str:
    """Escaped text with `code` spans as <code> (the descriptions are written in Markdown's inline style)."""
    return _BACKTICKS.sub(r"<code>\1</code>", escape(text))


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(schema: dict) -> str:
    """A one-line type: `string (enum: A, B)`, `array of Order`, links to components."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return f" {key} ".join(_type(s) for s in schema[key])
    kind = schema.get("type", "any")
    if kind == "array":
        text = f"array of {_type(schema.get('items', {}))}"
    else:
        text = escape(str(kind))
    notes = []
    if "enum" in schema:
        notes.append("enum: " + ", ".join(escape(str(v)) for v in schema["enum"]))
    for key in ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "format", "pattern"):
        if key in schema:
            notes.append(f"{key} {escape(str(schema[key]))}")
    if schema.get("nullable"):
        notes.append("nullable")
    return text + (f" <small>({'; '.join(notes)})</small>" if notes else "")


def _properties_table(schema: dict) -> str:
    props = schema.get("properties", {})
    if not props:
        extra = "any other key allowed" if schema.get("additionalProperties", True) is not False else "no field"
        return f"<p><code>{{}}</code> ({extra})</p>"
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code>{' *' if name in required else ''}</td><td>{_type(prop)}</td>"
        f"<td>{_prose(str(prop.get('description', '')))}"
        f"{' e.g. <code>' + escape(json.dumps(prop['example'])) + '</code>' if 'example' in prop else ''}</td></tr>"
        for name, prop in props.items())
    refused = schema.get("additionalProperties", True) is False
    strict = "<p><small>unknown fields are refused (400)</small></p>" if refused else ""
    return f"<table><tr><th>field (* required)</th><th>type</th><th>notes</th></tr>{rows}</table>{strict}"


def _operation_html(path: str, method: str, op: dict) -> str:
    parts = [f'<section class="op" id="op-{escape(op["operationId"])}"><h3><span class="m {method}">'
             f'{method.upper()}</span> <code>{escape(path)}</code> <small>{escape(op["operationId"])}</small></h3>',
             f"<p><b>{_prose(op.get('summary', ''))}</b></p><p>{_prose(op.get('description', ''))}</p>"]
    if op.get("security"):
        parts.append("<p><small>needs the <code>apiKey</code> header</small></p>")
    params = op.get("parameters", [])
    if params:
        rows = "".join(f"<tr><td><code>{escape(p['name'])}</code>{' *' if p.get('required') else ''}</td>"
                       f"<td>{escape(p['in'])}</td><td>{_type(p.get('schema', {}))}</td></tr>" for p in params)
        parts.append(f"<h4>parameters</h4><table><tr><th>name</th><th>in</th><th>type</th></tr>{rows}</table>")
    if "requestBody" in op:
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        req = "required" if op["requestBody"].get("required") else "optional"
        parts.append(f"<h4>body ({req}, application/json)</h4><p>{_type(schema)}</p>")
        example = op["requestBody"]["content"]["application/json"].get("example")
        if example is not None:
            parts.append(f"<pre>{escape(json.dumps(example, indent=2))}</pre>")
    rows = []
    for status, resp in op["responses"].items():
        content = resp.get("content", {})
        shape = ", ".join(f"{escape(mt)}: {_type(c.get('schema', {}))}" for mt, c in content.items())
        links = "".join(f"<br><small>link {escape(name)} -> {escape(link['operationId'])}</small>"
                        for name, link in resp.get("links", {}).items())
        rows.append(f"<tr><td>{escape(status)}</td><td>{_prose(resp['description'])}{links}</td><td>{shape}</td></tr>")
    parts.append(f"<h4>answers</h4><table><tr><th>status</th><th>when</th><th>body</th></tr>{''.join(rows)}</table>")
    parts.append("</section>")
    return "".join(parts)


_STYLE = """body{font-family:system-ui,sans-serif;max-width:70em;margin:1em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.3em 0 1em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;
vertical-align:top}section.op{border-top:2px solid #eee;padding-top:.5em}.m{padding:0 .4em;border-radius:3px;
color:#fff}.get{background:#2b7}.post{background:#27b}.put{background:#b72}.delete{background:#b22}
code{background:#f4f4f4;padding:0 .2em}nav li{margin:.1em 0}"""


def render_html(doc: dict) -> str:
    info = doc["info"]
    ops = [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()]
    toc = "".join(f'<li><a href="#op-{escape(op["operationId"])}">{method.upper()} {escape(path)}</a> '
                  f'<small>{escape(op.get("summary", ""))}</small></li>' for path, method, op in ops)
    schemas = "".join(f'<section id="schema-{escape(name)}"><h3>{escape(name)}</h3>'
                      f'{"<p>" + escape(s["description"]) + "</p>" if s.get("description") else ""}'
                      f"{_properties_table(s)}</section>"
                      for name, s in doc.get("components", {}).get("schemas", {}).items())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(info['title'])}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{escape(info['title'])} <small>{escape(info['version'])}"
            f"</small></h1><p>{_prose(info.get('description', ''))}</p><p>Machine-readable: "
            f"<a href='/openapi.json'>/openapi.json</a> (OpenAPI {escape(doc['openapi'])}).</p>"
            f"<h2>Operations</h2><nav><ul>{toc}</ul></nav>"
            f"{''.join(_operation_html(p, m, o) for p, m, o in ops)}<h2>Schemas</h2>{schemas}</body></html>")
