"""The QA dashboard (/_sim/ui): sellers, clock, orders, returns, journal, and world events.

Reads that need paging at scale (order, return and journal lists) query the store directly with
keyset paging on indexed columns. Every change to the world goes through the JSON control plane
itself (an in-process subrequest to /_sim/...), so the dashboard does exactly what the API does for
every model, and a refusal comes back with AJIO's message and the rule behind it.

Forms POST and redirect (PRG). Every POST carries a CSRF token (double-submit cookie). When the
simulator has an admin token, a browser logs in once with a form; the cookie then holds an HMAC of
the token, never the token itself.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sys
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for
from sqlalchemy import String, cast, func, or_, select
from werkzeug.exceptions import RequestEntityTooLarge

from simulator.api.common import sim
from simulator.client import line_columns, parse_duration
from simulator.domain.documents import for_entity
from simulator.domain.machine import MACHINES, Machine
from simulator.domain.sellers import list_pobs
from simulator.errors import SimulatorError
from simulator.store import documents, journal, journal_entities, orders, pobs, returns

bp = Blueprint("ui", __name__, url_prefix="/_sim/ui", template_folder="templates", static_folder="static")

COOKIE_AUTH = "ajio_sim_ui"
COOKIE_CSRF = "ajio_sim_csrf"
COOKIE_FLASH = "ajio_sim_flash"
PAGE_SIZE = 50
IST = timezone(timedelta(hours=5, minutes=30))
MODELS = ("ds", "jit", "vms")
# Labels of the world events the control plane may allow; an event not named here shows its own name.
EVENT_LABELS = {"customer-cancel": "Customer cancel", "pickup": "Courier pickup", "deliver": "Deliver",
                "rto": "RTO (delivery failed)", "customer-return": "Customer return",
                "cancel": "Customer withdraws return", "release-ack": "Release held acknowledgement (VMS layer)"}
# World events whose control-plane path is not /orders/{id}/{event} (the VMS ones live under /vms).
EVENT_PATHS = {"release-ack": "/vms/orders/{order_id}/release-ack"}
RETURN_EVENT_LABELS = {"deliver": "Return reaches warehouse", "cancel": "Customer withdraws return"}
ADVANCE_PRESETS = (("+30 min", 1800), ("+4 h", 4 * 3600), ("+1 day", 86400))
_EVENT = re.compile(r"^[a-z][a-z-]{0,40}$")
_NUMBER = re.compile(r"^[0-9]{1,15}$")  # epochs and journal ids: ASCII digits that fit a 64-bit column


# -- guard: admin token (header or login cookie) and CSRF ----------------------------------------

def _session_value(token: str) -> str:
    return hmac.new(token.encode(), b"ajio-sim dashboard session", hashlib.sha256).hexdigest()


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


@bp.before_request
def _guard():
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()  # whatever the content type: the app's handler answers 413
    g.ui_csrf = request.cookies.get(COOKIE_CSRF) or secrets.token_urlsafe(24)
    if request.endpoint == "ui.static":
        return None
    g.ui_flash = _read_flash()
    token = sim().config.admin_token
    g.ui_logged_in = False
    g.ui_authorized = not token
    if token and request.endpoint != "ui.login":
        header_ok = _same(request.headers.get("X-Admin-Token"), token)
        cookie_ok = _same(request.cookies.get(COOKIE_AUTH), _session_value(token))
        if not (header_ok or cookie_ok):
            if request.method == "GET":
                return redirect(url_for("ui.login", next=request.full_path.rstrip("?")))
            return _page("error.html", 401, title="Admin token required",
                         message="the dashboard needs the admin token when the simulator listens beyond loopback")
        g.ui_logged_in = cookie_ok
        g.ui_authorized = True
    if request.method == "POST" and not _same(request.form.get("csrf"), request.cookies.get(COOKIE_CSRF)):
        return _page("error.html", 403, title="Form expired",
                     message="this form's CSRF token does not match your browser's cookie; reload the page and retry")
    return None


@bp.after_request
def _cookies(response):
    secure = request.scheme == "https"
    if request.cookies.get(COOKIE_CSRF) != g.get("ui_csrf"):
        response.set_cookie(COOKIE_CSRF, g.ui_csrf, httponly=True, samesite="Strict", path="/_sim/ui", secure=secure)
    if g.get("ui_flash_out") is not None:
        response.set_cookie(COOKIE_FLASH, g.ui_flash_out, httponly=True, samesite="Strict", path="/_sim/ui",
                            max_age=120, secure=secure)
    elif g.get("ui_flash") is not None:
        response.delete_cookie(COOKIE_FLASH, path="/_sim/ui")
    return response


@bp.errorhandler(SimulatorError)
def _error(exc: SimulatorError):
    return _page("error.html", exc.status, title=exc.code, message=exc.message, rule=exc.rule, field=exc.field)


# -- flash messages (a short-lived cookie, so any worker can show them) --------------------------

def _read_flash() -> dict | None:
    raw = request.cookies.get(COOKIE_FLASH)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _flash(kind: str, message: str, **details) -> None:
    g.ui_flash_out = json.dumps({"kind": kind, "message": message[:600],
                                 **{k: str(v)[:600] for k, v in details.items() if v}})


def _safe_next(target: str | None, default: str) -> str:
    """Only a path of the dashboard itself: never another host (no open redirect)."""
    if not target or not target.startswith("/_sim/ui") or "//" in target or "\\" in target:
        return default
    return target


def _back(default: str):
    """PRG: redirect to the page the form came from (only a dashboard path), else `default`."""
    return redirect(_safe_next(request.form.get("next"), default), code=303)


# -- helpers ---------------------------------------------------------------------------------------

def _page(template: str, status: int = 200, **context):
    return render_template(template, **context), status


def _api(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    """Call the JSON control plane in-process, exactly as a client would (admin token included)."""
    app = current_app._get_current_object()
    token = sim().config.admin_token
    headers = {"X-Admin-Token": token} if token else {}
    with app.app_context():  # its own `g`, so the subrequest cannot disturb this request's state
        r = app.test_client().open("/_sim" + path, method=method, json=body if method != "GET" else None,
                                   headers=headers, base_url=request.host_url)
    return r.status_code, (r.get_json(silent=True) or {})


def _refused(what: str, status: int, answer: dict) -> None:
    _flash("error", f"{what} refused ({status} {answer.get('error_code', '')}): "
                    f"{answer.get('error_message', 'no message')}", rule=answer.get("rule"), field=answer.get("field"))


def _act(what: str, method: str, path: str, body: dict | None, done) -> None:
    """A world event or setting through the control plane: AJIO's refusal (message, rule, field) or
    `done(answer)`'s message is flashed on the next page."""
    status, answer = _api(method, path, body)
    if status >= 400:
        _refused(what, status, answer)
    else:
        _flash("ok", done(answer))


def ist(epoch) -> str:
    if epoch is None or epoch == "":
        return ""
    try:
        return datetime.fromtimestamp(int(epoch), IST).strftime("%Y-%m-%d %H:%M:%S IST")
    except (TypeError, ValueError, OverflowError, OSError):
        return str(epoch)


def _states(entity: str) -> list[str]:
    """Every status of every model's state machine for this entity (each model declares its Machine)."""
    machines = list(MACHINES.values())
    for name in sorted(n for n in sys.modules if n.startswith("simulator.domain")):
        machines += [v for v in vars(sys.modules[name]).values() if isinstance(v, Machine) and v not in machines]
    seen: list[str] = []
    for machine in machines:
        if machine.entity == entity:
            seen.extend(s for s in sorted(machine.states) if s not in seen)
    return seen


def _cursor(value: str | None) -> tuple[int, str] | None:
    """Keyset cursor 'epoch:id' of the last row shown; a malformed one is a clear 400."""
    if not value:
        return None
    epoch, sep, key = value.partition(":")
    if not sep or not _NUMBER.match(epoch) or not key or len(key) > 64:
        raise SimulatorError(f"invalid paging cursor {value!r}: expected EPOCH:ID", field="after")
    return int(epoch), key


@bp.app_template_filter("ist")
def _ist_filter(epoch):
    return ist(epoch)


@bp.app_context_processor
def _layout_context():
    if request.blueprint != "ui":
        return {}
    clock = None
    if g.get("ui_authorized"):  # the login page shows nothing of the world
        with sim().store.read() as conn:
            clock = sim().clock.describe(conn)
    return {"clock": clock, "csrf": g.get("ui_csrf", ""), "flash": g.get("ui_flash"), "presets": ADVANCE_PRESETS,
            "admin_required": bool(sim().config.admin_token), "logged_in": g.get("ui_logged_in", False),
            "here": request.full_path.rstrip("?")}


# -- pages -----------------------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    token = sim().config.admin_token
    target = _safe_next(request.values.get("next"), url_for("ui.sellers"))
    if not token:
        return redirect(target, code=303)
    if request.method == "POST":
        if _same(request.form.get("token"), token):
            response = redirect(target, code=303)
            response.set_cookie(COOKIE_AUTH, _session_value(token), httponly=True, samesite="Strict",
                                path="/_sim/ui", secure=request.scheme == "https")
            return response
        return _page("login.html", 401, next=target, error="wrong admin token")
    return _page("login.html", next=target, error=None)


@bp.post("/logout")
def logout():
    response = redirect(url_for("ui.login"), code=303)
    response.delete_cookie(COOKIE_AUTH, path="/_sim/ui")
    return response


@bp.get("/")
def sellers():
    with sim().store.read() as conn:
        pobs = list_pobs(conn)
        counts = dict(conn.execute(select(orders.c.pob_id, func.count()).group_by(orders.c.pob_id)).all())
    return _page("sellers.html", pobs=pobs, counts=counts, models=MODELS)


@bp.post("/sellers")
def create_seller():
    body = {"model": request.form.get("model", "ds"),
            "einvoicing": request.form.get("einvoicing") == "on",
            "shipping_api_access": request.form.get("shipping_api_access") == "on"}
    for key in ("store_code", "seller_id", "erp_url"):
        if request.form.get(key, "").strip():
            body[key] = request.form[key].strip()
    if body["model"] == "vms":  # the VMS world settings (docs/vms.md); empty = the default
        for key in ("einvoice_model", "return_model", "vms_layer", "ack_hold", "channel_name"):
            if request.form.get(key, "").strip():
                body[key] = request.form[key].strip()
        if request.form.get("late_customer_cancel") == "on":
            body["late_customer_cancel"] = True
    _act("create seller", "POST", "/sellers", body,
         lambda a: f"created POB {a['pob_id']} ({a['model']}), password {a['password']}")
    return _back(url_for("ui.sellers"))


@bp.post("/orders")
def create_orders():
    body = {"pob_id": request.form.get("pob_id", "")}
    count = request.form.get("count", "1").strip() or "1"
    body["count"] = int(count) if count.isdigit() else count  # the contract names a bad count
    _act("place orders", "POST", "/orders", body,
         lambda a: f"placed {len(a['order_ids'])} order(s) for {body['pob_id']}: {', '.join(a['order_ids'][:10])}"
                   + (" ..." if len(a["order_ids"]) > 10 else ""))
    return _back(url_for("ui.order_list", pob_id=body["pob_id"]))


@bp.post("/clock/advance")
def clock_advance():
    raw = (request.form.get("duration") or request.form.get("seconds") or "").strip()
    try:
        seconds = parse_duration(raw)
    except ValueError as exc:
        _flash("error", f"advance refused: {exc}", field="duration")
        return _back(url_for("ui.sellers"))
    _act("advance", "POST", "/clock/advance", {"seconds": seconds},
         lambda a: f"clock advanced by {raw} ({seconds} s): now {ist(a['now'])}")
    return _back(url_for("ui.sellers"))


@bp.post("/clock/freeze")
def clock_freeze():
    frozen = request.form.get("frozen") == "true"
    _act("freeze", "POST", "/clock/freeze", {"frozen": frozen},
         lambda a: f"clock {'frozen' if frozen else 'running'} at {ist(a['now'])}")
    return _back(url_for("ui.sellers"))


@bp.post("/reset")
def reset():
    if request.form.get("confirm") != "RESET":
        _flash("error", "reset needs the word RESET typed in the box", field="confirm")
        return _back(url_for("ui.sellers"))
    _act("reset", "POST", "/reset", {}, lambda a: "the world is empty")
    return redirect(url_for("ui.sellers"), code=303)


def _filters(allowed: tuple[str, ...]) -> dict:
    return {k: request.args.get(k, "").strip() for k in allowed if request.args.get(k, "").strip()}


@bp.get("/orders")
def order_list():
    f = _filters(("pob_id", "model", "status"))
    after = _cursor(request.args.get("after"))
    cond = [orders.c[k] == v for k, v in f.items() if k != "model"]
    if f.get("model"):
        # A POB is enabled for one model (API.md), so its orders are that model's: the filter then
        # stays on the POB indexes (orders.model itself has none) and the count reads no order rows.
        cond.append(orders.c.pob_id.in_(select(pobs.c.pob_id).where(pobs.c.model == f["model"])))
    # Only indexed columns in the sorted scan (an index-only read); the page's other columns after.
    cols = [orders.c.order_id, orders.c.pob_id, orders.c.status, orders.c.order_date]
    stmt = select(*cols).where(*cond)
    if after:
        # Row-value "(date, id) < cursor", spelled so the date bound is an index range for the planner.
        stmt = stmt.where(orders.c.order_date <= after[0],
                          or_(orders.c.order_date < after[0], orders.c.order_id < after[1]))
    with sim().store.read() as conn:
        rows = [dict(r) for r in conn.execute(stmt.order_by(orders.c.order_date.desc(), orders.c.order_id.desc())
                                              .limit(PAGE_SIZE + 1)).mappings()]
        extra = {r.order_id: r for r in conn.execute(
            select(orders.c.order_id, orders.c.model, orders.c.updated_at)
            .where(orders.c.order_id.in_([r["order_id"] for r in rows])))}
        for r in rows:
            r["model"], r["updated_at"] = extra[r["order_id"]].model, extra[r["order_id"]].updated_at
        total = conn.execute(select(func.count()).select_from(orders).where(*cond)).scalar_one()
        pob_ids = [p["pob_id"] for p in list_pobs(conn)]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_url = (url_for("ui.order_list", **f, after=f"{rows[-1]['order_date']}:{rows[-1]['order_id']}")
                if more else None)
    return _page("orders.html", rows=rows, total=total, filters=f, next_url=next_url, first=after is None,
                 statuses=_states("order"), models=MODELS, pobs=pob_ids,
                 first_url=url_for("ui.order_list", **f))


def _entity_journal(entity_id: str, limit: int = 50) -> list[dict]:
    """The latest journal entries naming an entity, through the journal_entities index (a LIKE over
    the entity_ids text scanned the whole journal on every order page)."""
    with sim().store.read() as conn:
        rows = conn.execute(select(journal).where(journal.c.id.in_(
            select(journal_entities.c.journal_id).where(journal_entities.c.entity_id == entity_id)))
            .order_by(journal.c.id.desc()).limit(limit)).mappings().all()
    return [_journal_view(dict(r)) for r in rows]


def _journal_view(row: dict) -> dict:
    row["violations"] = row["violations"] if isinstance(row["violations"], list) else []
    row["faults"] = row["faults"] if isinstance(row["faults"], list) and row["faults"] else []
    row["rule_id"] = _refusal_rule(row)
    return row


def _refusal_rule(row: dict) -> str | None:
    """The rulebook id a refusal named (AJIO's error body), shown beside the entry."""
    body = row.get("response_body") or ""
    if row.get("status", 0) < 400 or '"rule_id"' not in body:
        return None
    try:
        found = json.loads(body).get("rule_id")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


@bp.get("/orders/<order_id>")
def order_page(order_id: str):
    status, order = _api("GET", f"/orders/{order_id}")
    if status >= 400:
        return _page("error.html", status, title=order.get("error_code", "error"),
                     message=order.get("error_message", ""), rule=order.get("rule"))
    events = [(e, EVENT_LABELS.get(e, e)) for e in order.get("allowed_world_events", [])]
    if order.get("manifest_id") and isinstance(order.get("documents"), list):
        # The manifest PDF belongs to the manifest, which covers this order: list it with the order's own.
        with sim().store.read() as conn:
            known = {d.get("document_id") for d in order["documents"]}
            order["documents"] += [d for d in for_entity(conn, order["manifest_id"]) if d["document_id"] not in known]
    return _page("order.html", order=order, events=events, entries=_entity_journal(order_id),
                 **_generic_parts(order, skip={"lines", "timeline", "documents", "returns",
                                               "allowed_world_events"}))


@bp.post("/orders/<order_id>/events/<event>")
def order_event(order_id: str, event: str):
    if not _EVENT.match(event):
        abort(404)
    label = EVENT_LABELS.get(event, event)
    path = EVENT_PATHS.get(event, "/orders/{order_id}/" + event).format(order_id=order_id)
    _act(label, "POST", path, {}, lambda a: f"{label}: done on {order_id}" + (
        f" (return {a['return_order_id']})" if a.get("return_order_id") else ""))
    return redirect(url_for("ui.order_page", order_id=order_id), code=303)


@bp.get("/find")
def find():
    """Jump to an order or return by its id (as a connector's log shows it)."""
    key = request.args.get("q", "").strip()
    with sim().store.read() as conn:
        if key and conn.execute(select(orders.c.order_id).where(orders.c.order_id == key)).first():
            return redirect(url_for("ui.order_page", order_id=key))
        if key and conn.execute(select(returns.c.return_order_id).where(returns.c.return_order_id == key)).first():
            return redirect(url_for("ui.return_page", return_order_id=key))
    return _page("error.html", 404, title="NOT_FOUND", message=f"no order or return with id {key!r}", field="q")


@bp.get("/returns")
def return_list():
    f = _filters(("pob_id", "status", "return_type"))
    after = _cursor(request.args.get("after"))
    cond = [returns.c[k] == v for k, v in f.items()]
    cols = [returns.c.return_order_id, returns.c.order_id, returns.c.pob_id, returns.c.return_type,
            returns.c.status, returns.c.return_date, returns.c.updated_at]
    stmt = select(*cols).where(*cond)
    if after:
        stmt = stmt.where(returns.c.return_date <= after[0],
                          or_(returns.c.return_date < after[0], returns.c.return_order_id < after[1]))
    with sim().store.read() as conn:
        rows = [dict(r) for r in conn.execute(stmt.order_by(returns.c.return_date.desc(),
                                                            returns.c.return_order_id.desc())
                                              .limit(PAGE_SIZE + 1)).mappings()]
        total = conn.execute(select(func.count()).select_from(returns).where(*cond)).scalar_one()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_url = (url_for("ui.return_list", **f, after=f"{rows[-1]['return_date']}:{rows[-1]['return_order_id']}")
                if more else None)
    return _page("returns.html", rows=rows, total=total, filters=f, next_url=next_url, first=after is None,
                 statuses=_states("return"), first_url=url_for("ui.return_list", **f))


@bp.get("/returns/<return_order_id>")
def return_page(return_order_id: str):
    status, ret = _api("GET", f"/returns/{return_order_id}")
    if status >= 400:
        return _page("error.html", status, title=ret.get("error_code", "error"),
                     message=ret.get("error_message", ""), rule=ret.get("rule"))
    events = [(e, RETURN_EVENT_LABELS.get(e, e)) for e in ret.get("allowed_world_events", [])]
    return _page("return.html", ret=ret, events=events, entries=_entity_journal(return_order_id),
                 **_generic_parts(ret, skip={"return_order_items", "timeline", "documents", "allowed_world_events"}))


@bp.post("/returns/<return_order_id>/events/<event>")
def return_event(return_order_id: str, event: str):
    if not _EVENT.match(event):
        abort(404)
    label = RETURN_EVENT_LABELS.get(event, event)
    _act(label, "POST", f"/returns/{return_order_id}/{event}", {}, lambda a: f"{label}: done on {return_order_id}")
    return redirect(url_for("ui.return_page", return_order_id=return_order_id), code=303)


@bp.get("/documents/<document_id>")
def document(document_id: str):
    """The admin's way to open any POB's PDF (GET /documents/{id} needs the owning POB's apiKey)."""
    from simulator.pdf import render_pdf
    with sim().store.read() as conn:
        row = conn.execute(select(documents).where(documents.c.document_id == document_id)).mappings().first()
    if row is None:
        return _page("error.html", 404, title="NOT_FOUND", message=f"document {document_id} not found")
    return Response(render_pdf(row["kind"], row["payload"]), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{row["kind"]}-{document_id}.pdf"'})


# -- fault rules (/_sim/faults) -----------------------------------------------------------------------

_EFFECT_OPTIONS = (("status", int), ("phase", str), ("error_message", str), ("ms", int), ("jitter_ms", int),
                   ("retry_after", int), ("bytes", int), ("minutes", int), ("order_id", str))


def _number(raw: str, kind):
    """A form number as the JSON number it is; anything else is sent as typed, for the contract to name."""
    try:
        return kind(raw)
    except ValueError:
        return raw


@bp.get("/faults")
def faults_page():
    status, answer = _api("GET", "/faults")
    if status >= 400:
        return _page("error.html", status, title=answer.get("error_code", "error"),
                     message=answer.get("error_message", ""), rule=answer.get("rule"))
    from contracts.faults import EFFECTS, METHODS, THROTTLE_MODES
    from contracts.faults import MODELS as FAULT_MODELS
    _, throttle = _api("GET", "/throttle")
    return _page("faults.html", rules=answer["faults"], effects=EFFECTS, methods=METHODS, models=FAULT_MODELS,
                 throttle=throttle, throttle_modes=THROTTLE_MODES)


@bp.post("/throttle")
def set_throttle():
    _act("throttling", "PUT", "/throttle", {"mode": request.form.get("mode", "")},
         lambda a: f"throttling {a.get('mode')}")
    return _back(url_for("ui.faults_page"))


@bp.post("/faults")
def add_fault():
    form = request.form
    raw = form.get("rule_json", "").strip()
    if raw:
        try:
            rule = json.loads(raw)
        except ValueError as exc:
            _flash("error", f"add fault refused: the rule is not valid JSON ({exc})", field="rule_json")
            return _back(url_for("ui.faults_page"))
        if not isinstance(rule, dict):
            _flash("error", "add fault refused: the rule must be a JSON object", field="rule_json")
            return _back(url_for("ui.faults_page"))
    else:
        match = {k: form[k].strip() for k in ("method", "path", "path_regex", "model", "pob_id")
                 if form.get(k, "").strip()}
        effect = {"kind": form.get("kind", "")}
        for key, kind in _EFFECT_OPTIONS:
            if form.get(key, "").strip():
                effect[key] = _number(form[key].strip(), kind)
        if form.get("wire") == "on":
            effect["wire"] = True
        rule = {"match": match, "effects": [effect]}
        if form.get("name", "").strip():
            rule["name"] = form["name"].strip()
        for key, kind in (("times", int), ("probability", float), ("seed", int)):
            if form.get(key, "").strip():
                rule[key] = _number(form[key].strip(), kind)
    _act("add fault", "POST", "/faults", rule,
         lambda a: f"fault rule {a['id']} added: " + ", ".join(e["kind"] for e in a["effects"]))
    return _back(url_for("ui.faults_page"))


@bp.post("/faults/clear")
def clear_faults():
    rule_id = request.form.get("id", "").strip()
    if rule_id and not _NUMBER.match(rule_id):
        _flash("error", f"not a rule id: {rule_id!r}", field="id")
        return _back(url_for("ui.faults_page"))
    _act("delete fault", "DELETE", f"/faults/{rule_id}" if rule_id else "/faults", None,
         lambda a: f"deleted {a['deleted']} fault rule(s)")
    return _back(url_for("ui.faults_page"))


@bp.get("/journal")
def journal_page():
    f = _filters(("pob_id", "path", "only"))
    before = request.args.get("before", "").strip()
    if before and not _NUMBER.match(before):
        raise SimulatorError(f"invalid paging cursor {before!r}: expected a journal entry id", field="before")
    stmt = select(journal)
    if f.get("pob_id"):
        stmt = stmt.where(journal.c.pob_id == f["pob_id"])
    if f.get("path"):
        stmt = stmt.where(journal.c.path.like(f["path"].replace("*", "%")))
    if f.get("only") in ("violations", "faults"):
        column = journal.c[f["only"]]
        stmt = stmt.where(column.isnot(None), cast(column, String) != "null")
    if before:
        stmt = stmt.where(journal.c.id < int(before))
    with sim().store.read() as conn:
        rows = [_journal_view(dict(r)) for r in conn.execute(stmt.order_by(journal.c.id.desc())
                                                             .limit(PAGE_SIZE + 1)).mappings()]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_url = url_for("ui.journal_page", **f, before=rows[-1]["id"]) if more else None
    return _page("journal.html", entries=rows, filters=f, next_url=next_url, first=not before,
                 first_url=url_for("ui.journal_page", **f))


def _generic_parts(record: dict, skip: set[str]) -> dict:
    """Split any model's record into scalar fields and small objects, so the page shows every field."""
    scalars, objects, lists = {}, {}, {}
    for key, value in record.items():
        if key in skip:
            continue
        if isinstance(value, dict):
            objects[key] = value
        elif isinstance(value, list):
            lists[key] = value
        else:
            scalars[key] = value
    return {"scalars": scalars, "objects": objects, "lists": lists}


@bp.app_template_global("line_columns")
def _line_columns(lines):
    return line_columns(lines or [])


@bp.app_template_global("item_summary")
def _item_summary(line: dict) -> str:
    item = line.get("item_details")
    if not isinstance(item, dict):
        return ""
    parts = [item.get("name"), item.get("brand_name"), item.get("color"), item.get("size"), item.get("item_code")]
    return " / ".join(str(p) for p in parts if p)


@bp.app_template_global("fault_summary")
def fault_summary(fault) -> str:
    """A short text for an applied fault as the journal records it ({"rule_id", "name", "kind", ...})."""
    if not isinstance(fault, dict):
        return str(fault)[:120]
    details = ", ".join(f"{k}={v}" for k, v in fault.items()
                        if k not in ("kind", "rule_id", "name") and not isinstance(v, (dict, list)))
    head = f"{fault.get('kind', 'fault')}" + (f" (rule {fault['rule_id']})" if "rule_id" in fault else "")
    return (head + (f": {details}" if details else ""))[:120]


@bp.app_template_global("query_with")
def _query_with(**changes) -> str:
    args = {k: v for k, v in request.args.items() if k not in ("after", "before")}
    args.update({k: v for k, v in changes.items() if v})
    for k, v in changes.items():
        if not v:
            args.pop(k, None)
    return "?" + urlencode(args) if args else "?"
