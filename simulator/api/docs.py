"""GET /openapi.json and /docs: the AJIO contract as JSON and as a page that works offline.

The page is rendered on the server from the same OpenAPI dict (no CDN, nothing fetched from anywhere
but this server): every operation with its parameters, body, answers, examples and links, and a
try-it form that sends the request to this simulator (a small inline script); then every schema."""
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


_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _prose(text: str) -> str:
    """Escaped text with `code` and **bold** spans (the descriptions use Markdown's inline style)."""
    return _BOLD.sub(r"<b>\1</b>", _BACKTICKS.sub(r"<code>\1</code>", escape(text)))


def _blocks(text: str) -> str:
    """Paragraphs and `- ` lists of a longer description (the document's own)."""
    out = []
    for block in text.split("\n\n"):
        lines = block.splitlines()
        if lines and all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{_prose(line[2:])}</li>" for line in lines) + "</ul>")
        else:
            out.append(f"<p>{_prose(' '.join(lines))}</p>")
    return "".join(out)


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
    schemes = sorted({name for requirement in op.get("security", []) for name in requirement})
    if schemes:
        parts.append(f"<p><small>needs the header{'s' if len(schemes) > 1 else ''} "
                     f"{', '.join(f'<code>{escape(n)}</code>' for n in schemes)}</small></p>")
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
    example = _first_example(op)
    if example is not None:
        parts.append(f"<details><summary>example answer</summary><pre>{escape(json.dumps(example, indent=2))}"
                     f"</pre></details>")
    parts.append(_try_form(path, method, op, schemes))
    parts.append("</section>")
    return "".join(parts)


def _first_example(op: dict):
    for status, resp in op["responses"].items():
        if status.startswith("2"):
            return (resp.get("content", {}).get("application/json") or {}).get("example")
    return None


def _try_form(path: str, method: str, op: dict, schemes: list[str]) -> str:
    """A form the inline script turns into a request to this server (same origin, no network beyond it)."""
    fields = [f'<label>{escape(name)} <input name="path:{escape(name)}" required></label>'
              for name in re.findall(r"{([^}]+)}", path)]
    if any(p["in"] == "query" for p in op.get("parameters", [])):
        fields.append('<label>query <input name="query" placeholder="page=0&amp;size=20" size="50"></label>')
    if "requestBody" in op:
        media = op["requestBody"]["content"]["application/json"]
        body = json.dumps(media["example"], indent=2) if "example" in media else "{}"
        fields.append(f'<label>body<br><textarea name="body" rows="{min(14, body.count(chr(10)) + 2)}" cols="80">'
                      f"{escape(body)}</textarea></label>")
    return (f'<form class="try" data-method="{escape(method.upper())}" data-path="{escape(path)}" '
            f'data-security="{escape(" ".join(schemes))}"><h4>try it</h4>{"<br>".join(fields)} '
            f'<button type="submit">Send {escape(method.upper())}</button><pre class="answer"></pre></form>')


_STYLE = """body{font-family:system-ui,sans-serif;max-width:70em;margin:1em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.3em 0 1em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;
vertical-align:top}section.op{border-top:2px solid #eee;padding-top:.5em}.m{padding:0 .4em;border-radius:3px;
color:#fff}.get{background:#2b7}.post{background:#27b}.put{background:#b72}.delete{background:#b22}
code{background:#f4f4f4;padding:0 .2em}nav li{margin:.1em 0}form.try{background:#f7f9fc;padding:.3em .6em;
border:1px solid #dde}form.try pre.answer:empty{display:none}#credentials{position:sticky;top:0;background:#fff;
border-bottom:2px solid #27b;padding:.3em 0}#credentials input{width:22em}"""

# The try-it forms: send the request to this server with the credentials above, show status, the
# throttling headers and the answer; a login's accessToken fills the apiKey box.
_SCRIPT = """
const cred = n => document.getElementById("cred-" + n);
const watched = ["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"];
document.querySelectorAll("form.try").forEach(form => form.addEventListener("submit", async event => {
  event.preventDefault();
  const out = form.querySelector("pre.answer");
  let url = form.dataset.path.replace(/{([^}]+)}/g,
    (_, name) => encodeURIComponent(form.elements["path:" + name].value.trim()));
  const query = form.elements.query ? form.elements.query.value.trim().replace(/^[?]/, "") : "";
  if (query) url += "?" + query;
  const headers = {};
  for (const name of form.dataset.security.split(" ").filter(Boolean)) {
    if (cred(name).value) headers[name] = cred(name).value.trim();
  }
  const init = {method: form.dataset.method, headers};
  if (form.elements.body) { headers["Content-Type"] = "application/json"; init.body = form.elements.body.value; }
  out.textContent = "sending " + form.dataset.method + " " + url + " ...";
  try {
    const r = await fetch(url, init);
    const type = r.headers.get("Content-Type") || "";
    let text;
    if (type.startsWith("application/json")) {
      const data = await r.json();
      text = JSON.stringify(data, null, 2);
      if (data && data.result && data.result.accessToken) cred("apiKey").value = data.result.accessToken;
    } else if (type.startsWith("application/pdf")) {
      text = (await r.blob()).size + " bytes of PDF (open " + url + " with the apiKey header to read it)";
    } else {
      text = await r.text();
    }
    const shown = watched.filter(h => r.headers.get(h) !== null).map(h => h + ": " + r.headers.get(h));
    out.dataset.status = String(r.status);
    out.textContent = [r.status + " " + r.statusText, ...shown, "", text].join("\\n");
  } catch (err) {
    out.dataset.status = "0";
    out.textContent = "request failed: " + err;
  }
}));
"""

_CREDENTIALS = ("<section id='credentials'><b>Try it against this simulator</b> (every form below sends its request "
                "here; nothing else is fetched): <label>apiKey <input id='cred-apiKey' placeholder='filled by a "
                "login'></label> <label>authUsername <input id='cred-authUsername' placeholder='ERP layer: the "
                "POB id'></label> <label>authPassword <input id='cred-authPassword' placeholder='ERP layer: its API "
                "password'></label> <small>Sellers and orders come from <code>POST /_sim/sellers</code> and "
                "<code>POST /_sim/orders</code> (or <code>make serve</code>'s demo logins).</small></section>")


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
            f"</small></h1>{_blocks(info.get('description', ''))}<p>Machine-readable: "
            f"<a href='/openapi.json'>/openapi.json</a> (OpenAPI {escape(doc['openapi'])}); the control plane: "
            f"<a href='/_sim/openapi.json'>/_sim/openapi.json</a>.</p>"
            f"{_CREDENTIALS}<h2>Operations</h2><nav><ul>{toc}</ul></nav>"
            f"{''.join(_operation_html(p, m, o) for p, m, o in ops)}<h2>Schemas</h2>{schemas}"
            f"<script>{_SCRIPT}</script></body></html>")
