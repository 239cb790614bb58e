"""create_app(config): the Flask app with its store, clock, journal, error handler and blueprints."""
from __future__ import annotations

import json
import logging
import random
import time

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from simulator import journal
from simulator.clock import Clock, monotonic
from simulator.config import Config
from simulator.datagen import DataGen
from simulator.domain.context import Ctx
from simulator.domain.sellers import lookup_token, token_owner
from simulator.errors import ConcurrentUpdate, PayloadTooLarge, SimulatorError
from simulator.ids import Ids
from simulator.lifecycle import fire_due, next_due
from simulator.jsonfast import FastJSON
from simulator.pagecache import PageCache
from simulator.store import Store

log = logging.getLogger(__name__)

# Blueprints whose requests are AJIO-facing: journaled, and the subject of contract checks.
JOURNALED = {"auth", "ds", "jit", "documents", "vms", "erp"}


class Simulator:
    """Everything one simulator instance owns; hung on app.extensions['ajio_sim']."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.db_url)
        self.store.create_schema()
        self.clock = Clock(self.store)
        self.ids = Ids(config.seed)
        self.data = DataGen(config.seed)
        # Reads other layers ask to ride in a request's first read (the faults layer's check):
        # each is fn(conn), called inside tick()'s read transaction; one transaction, not several.
        self.request_reads: list = []
        self.pages = PageCache(config.page_cache)
        with self.store.write() as conn:
            # Workers starting together on one store: the first one sets the clock, the rest share it.
            self.store.init_meta(conn, "clock", {"offset": 0.0, "frozen_at": config.frozen_at})

    def ctx(self, conn, now: int, doc_url=None) -> Ctx:
        ctx = Ctx(conn, self.store, now, self.ids, self.data, self.config)
        if doc_url is not None:
            ctx.doc_url = doc_url
        return ctx

    def now(self) -> int:
        return self.clock.now()

    def tick(self, peek=None):
        """Bring the world up to the simulated now: fire every timer that has come due.

        `peek(conn)`, when given, runs in the same short read (a request's token lookup), saving
        the request a transaction; tick then answers (now, whether timers fired after that read:
        then what peek saw may be out of date)."""
        # One short read answers "anything due?" (an index probe); most requests find nothing.
        with self.store.lean_read() as conn:  # on the driver: every request runs it (simulator/lean.py)
            now = self.clock.now(conn)
            due = next_due(conn)
            if peek is not None:
                peek(conn)
        fired = due is not None and due <= now
        if fired:
            fire_due(self.store, lambda conn, at: self.ctx(conn, at), now)
        return now if peek is None else (now, fired)

    def transact(self, fn, *, doc_url=None, now: int | None = None, attempts: int = 10):
        """Run fn(ctx) in one write transaction; a lost race is retried from scratch, never half-applied."""
        for attempt in range(attempts):
            try:
                with self.store.write() as conn:
                    ctx = self.ctx(conn, now if now is not None else self.clock.now(conn), doc_url)
                    result = fn(ctx)
                    return result, ctx
            except ConcurrentUpdate:
                if attempt == attempts - 1:
                    raise
                # Workers that collided step apart at random before trying again (no lockstep retries).
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
        raise AssertionError("unreachable")

    def read(self, fn, *, doc_url=None, now: int | None = None):
        with self.store.read() as conn:
            ctx = self.ctx(conn, now if now is not None else self.clock.now(conn), doc_url)
            return fn(ctx), ctx

    def reset(self) -> None:
        self.store.reset()
        self.pages.clear()  # not needed for correctness (versions are never reused); frees the memory
        with self.store.write() as conn:
            self.store.put_meta(conn, "clock", {"offset": 0.0, "frozen_at": self.config.frozen_at})


def error_response(exc: SimulatorError):
    response = jsonify(exc.body())
    response.status_code = exc.status
    for key, value in exc.headers.items():
        response.headers[key] = value
    return response


def create_app(config: Config | dict | None = None) -> Flask:
    if not isinstance(config, Config):
        config = Config.from_mapping(config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json = FastJSON(app)  # orjson: encoding a 20-order page 5-10x faster (benchmarks/README.md)
    sim = Simulator(config)
    app.extensions["ajio_sim"] = sim

    from simulator.api.auth import bp as auth_bp
    from simulator.api.docs import bp as docs_bp
    from simulator.api.documents import bp as documents_bp
    from simulator.api.ds import bp as ds_bp
    from simulator.api.erp import bp as erp_bp
    from simulator.api.jit import bp as jit_bp
    from simulator.api.vms import bp as vms_bp
    from simulator.control.faults import bp as faults_bp
    from simulator.control.jit import bp as control_jit_bp
    from simulator.control.routes import bp as control_bp
    from simulator.control.vms import bp as vms_control_bp
    from simulator.ui import bp as ui_bp
    for bp in (auth_bp, ds_bp, jit_bp, documents_bp, control_bp, control_jit_bp, faults_bp, docs_bp, vms_bp, erp_bp,
               vms_control_bp, ui_bp):
        app.register_blueprint(bp)

    @app.before_request
    def _before():
        g.t0 = monotonic()
        g.pob_id = None
        g.touched = []
        # Refused before anything runs, whether or not the view would read the body (POST /_sim/reset
        # with 1 MiB used to reset the world and answer 200).
        if (request.content_length or 0) > config.max_body_bytes:
            raise RequestEntityTooLarge()
        token = request.headers.get("apiKey")
        want_token = bool(token) and request.blueprint in JOURNALED

        def first_read(conn):
            # The token lookup and the other layers' checks share the clock's read.
            if want_token:
                g.token_row = lookup_token(conn, token)
            for fn in sim.request_reads:
                fn(conn)

        g.now, g.timers_fired = sim.tick(first_read)

    from simulator.api.guard import refuse_undeclared_query
    app.before_request(refuse_undeclared_query)

    @app.after_request
    def _journal(response):
        # A request no route matched (a mistyped path, a wrong method) has no blueprint; unless it
        # was aimed at the control plane, it is a connector's call to AJIO and belongs in the journal.
        unmatched = request.url_rule is None and not request.path.startswith("/_sim")
        if request.blueprint in JOURNALED or unmatched:
            _write_journal(sim, response)
        return response

    # Registered after _journal, so Flask runs its answer-side hook first: the journal sees the
    # answer as the connector got it, with the faults applied to it.
    from simulator.faults import install as install_faults
    install_faults(app, sim)

    @app.errorhandler(SimulatorError)
    def _domain_error(exc: SimulatorError):
        return error_response(exc)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc):
        return error_response(PayloadTooLarge(f"request body over {config.max_body_bytes} bytes", field="body"))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        err = SimulatorError(f"{exc.name}: {request.method} {request.path}")
        err.status, err.code = exc.code, exc.name.upper().replace(" ", "_")
        # A 405 must say what is allowed (RFC 9110 15.5.6); werkzeug's own answer carries it.
        err.headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return error_response(err)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # Never a stack trace to the client; the server log keeps it.
        log.exception("unhandled error on %s %s", request.method, request.path)
        err = SimulatorError("internal simulator error (the server log has the details)")
        err.status, err.code = 500, "INTERNAL_ERROR"
        return error_response(err)

    return app


def _write_journal(sim: Simulator, response) -> None:
    try:
        if response.mimetype == "application/json":
            body = response.get_data(as_text=True)
        else:
            body = f"<{response.mimetype} {response.calculate_content_length() or 0} bytes>"
        try:
            raw = request.get_data(cache=True, as_text=True) if request.content_length else None
        except RequestEntityTooLarge:  # the body was refused unread; the journal says what came
            raw = f"<body of {request.content_length} bytes, over the {sim.config.max_body_bytes}-byte limit>"
        at = g.get("now") or sim.now()  # read before the write: a memory store has one connection
        with sim.store.lean_write() as conn:  # on the driver: every AJIO call writes one (simulator/lean.py)
            # Refused before its view knew the POB (expired token, unknown route): filed under the
            # POB whose apiKey it carries, so journal?pob_id= shows a connector all of its calls.
            pob_id = g.get("pob_id") or token_owner(conn, request.headers.get("apiKey"))
            journal.record(conn, at=at, pob_id=pob_id, method=request.method,
                           path=request.path, query=request.query_string.decode("latin-1"),
                           status=response.status_code,
                           duration_ms=int((monotonic() - g.get("t0", monotonic())) * 1000),
                           request_body=raw, response_body=body, entity_ids=g.get("touched", []),
                           limit=sim.config.journal_body_limit, violations=g.get("violations"),
                           faults=g.get("faults"))
    except Exception:  # the journal must never turn a good answer into a failure
        log.exception("journal write failed")


__all__ = ["create_app", "Simulator", "error_response", "json"]
