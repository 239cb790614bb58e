"""Faults and throttling in the request pipeline of every AJIO-facing prefix (installed by create_app).

Order for one request: the clock ticks (app.py), fault rules are decided (each use counted in the
store) and the POB's throttling token is taken, latency is slept, a fault's status/429/reset answers
instead of the view, else an empty bucket answers 429, else the view runs; then the answer-side
effects transform what the view (or the short-circuit) produced, rate-limit headers are added, and
the journal (app.py) records the request with the faults applied to it. Rules and buckets live in
the store, so every worker sees them.
"""
from __future__ import annotations

import logging

from flask import g, jsonify, request
from sqlalchemy import exists, select

from contracts import rulebook
from simulator import throttle
from simulator.domain.sellers import token_owner
from simulator.faults import effects, rules
from simulator.faults.wire import WireFaults
from simulator.store import faults, meta_table, pobs

log = logging.getLogger(__name__)

AJIO_PREFIXES = ("/ds", "/jit", "/vms", "/ajio-vms", "/documents", "/authToken")


def ajio_facing(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in AJIO_PREFIXES)


def _identify(conn, path: str, method: str) -> rules.Who:
    """The POB a request speaks for, known before its view: token owner, ERP headers or login name."""
    pob_id = None
    erp = request.headers.get("authUsername") if path.startswith("/ajio-vms") else None
    sent = request.get_json(silent=True)
    if request.headers.get("apiKey"):
        pob_id = token_owner(conn, request.headers.get("apiKey"))
    elif request.headers.get("authUsername"):
        pob_id = request.headers.get("authUsername")
    elif path.endswith("/authToken"):
        if isinstance(sent, dict) and isinstance(sent.get("username"), str):
            pob_id = sent["username"]
    row = conn.execute(select(pobs.c.model, pobs.c.password).where(pobs.c.pob_id == pob_id)).first() if pob_id else None
    if erp and (row is None or row[1] != request.headers.get("authPassword")):
        # The ERP layer's call is journaled under its authUsername whatever answers it (a fault included);
        # credentials that do not check out are marked, as the view marks the ones it refuses.
        from simulator.api.erp import UNAUTHENTICATED
        g.violations = [{"field": "authUsername", "message": UNAUTHENTICATED}]
    # A name that is no POB (a mistyped login) matches no pob_id rule and gets no bucket of its own.
    pob_id = pob_id if row else None
    return rules.Who(method, path, pob_id, rules.path_model(path) or (row[0] if row else None), sent)


# "Is throttling configured, is any fault rule live?": two columns of every request's first read.
_THROTTLE_KNOB = select(meta_table.c.value).where(meta_table.c.key == "throttle").scalar_subquery()
_FAULTS_ACTIVE = exists().where((faults.c.remaining.is_(None)) | (faults.c.remaining > 0))
_QUICK_CHECK = select(_THROTTLE_KNOB.label("throttle_knob"), _FAULTS_ACTIVE.label("faults_active"))


def install(app, sim) -> None:
    if sim.config.throttle not in throttle.MODES:
        raise ValueError(f"throttle must be one of {', '.join(throttle.MODES)} (got {sim.config.throttle!r})")
    app.wsgi_app = WireFaults(app.wsgi_app)

    # Read with the clock in the request's first read (Simulator.begin_request): no statement of its own.
    sim.add_first_read(throttle_knob=_THROTTLE_KNOB, faults_active=_FAULTS_ACTIVE)

    @app.before_request
    def _faults_before():
        g.faults, g.fault_plan, g.fault_snapshots, g.throttled, g.line_faults = [], [], [], None, {}
        if not ajio_facing(request.path):
            return None
        effects.early_repeat()
        # The common case (no rule, throttling off) costs no transaction of its own (the check was
        # read with the clock) and writes nothing.
        first = g.get("first_read")
        if first is not None and "faults_active" in first:
            knob, active = first["throttle_knob"], first["faults_active"]
        else:
            with sim.store.read() as conn:
                knob, active = conn.execute(_QUICK_CHECK).one()
        limits = throttle.settings_from(knob, sim.config)
        if not active and limits["mode"] == "off":
            return None
        with sim.store.write() as conn:  # one transaction: the rules' uses and the POB's token
            who = g.fault_who = _identify(conn, request.path, request.method)
            plan, snapshots = rules.decide(conn, who, request.query_string.decode("latin-1"), sim.config.seed)
            _take_token(conn, limits, who)
        g.fault_plan, g.fault_snapshots = plan, snapshots
        # A fault's answer wins over a 429; the request still counted against the POB's limit.
        return effects.before(plan) or _throttled(limits, who)

    @app.after_request
    def _faults_after(response):
        if g.get("throttled") is not None:
            for key, value in throttle.headers(g.throttled).items():
                response.headers[key] = value
        if g.get("fault_plan") or g.get("fault_snapshots"):
            try:
                response = effects.after(sim, g.fault_plan, g.fault_snapshots, g.fault_who, response)
            except Exception:  # a staged fault must never become a real 500: the answer goes as it was
                log.exception("fault effects failed on %s %s", request.method, request.path)
                g.faults.append({"kind": "error", "detail": "a fault effect failed; see the server log"})
        return response

    def _take_token(conn, limits: dict, who: rules.Who) -> None:
        if limits["mode"] == "off" or not who.pob_id:
            return
        grp = throttle.group_of(request.method, request.path)
        limit = limits["limits"][grp]
        g.throttled = throttle.take(conn, who.pob_id, grp, g.now, float(limit["rate"]), int(limit["burst"]),
                                    strict=limits["mode"] == "strict")

    def _throttled(limits: dict, who: rules.Who):
        decision = g.throttled
        if decision is None or decision.allowed:
            return None
        grp = throttle.group_of(request.method, request.path)
        limit = limits["limits"][grp]
        if decision.violation:
            g.violations = (g.get("violations") or []) + [{"field": "Retry-After", "message": decision.violation}]
        response = jsonify({"status": "FAILED", "error_code": "TOO_MANY_REQUESTS", "field": "apiKey",
                            "error_message": f"too many {grp} requests for POB {who.pob_id}: limit {limit['burst']} "
                                             f"burst, {limit['rate']}/s; retry after {decision.retry_after} s",
                            "rule_id": "API-THROTTLE-RETRY-AFTER",
                            "rule": rulebook.rule("API-THROTTLE-RETRY-AFTER").text()})
        response.status_code = 429
        return response
