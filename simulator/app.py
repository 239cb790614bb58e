"""create_app(config): the Flask app with its store, clock, journal, error handler and blueprints."""
from __future__ import annotations

import json
import logging
import random
import time

from flask import Flask, g, jsonify, request
from flask import g as flask_g
from flask import request as flask_request
from sqlalchemy import literal, select, true
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge

from simulator import journal
from simulator.clock import CLOCK_STATE, Clock, monotonic
from simulator.config import Config
from simulator.datagen import DataGen
from simulator.domain.context import Ctx
from simulator.domain.sellers import TOKEN_POB, token_owner
from simulator.errors import ConcurrentUpdate, PayloadTooLarge, SimulatorError
from simulator.fast.jsonprovider import FastJSON
from simulator.fast.pagecache import PageCache
from simulator.ids import Ids
from simulator.lifecycle import NEXT_DUE, fire_due
from simulator.store import Store

log = logging.getLogger(__name__)

# The environ key an embedded server (simulator/embedded.py) sets on a call whose caller it kills once the app has
# handled it (the harness's kill_at): who is killed, "connector" or "ERP"; the journal files the call as answered
# with nothing (status 0).
ANSWER_LOST = "ajio_sim.answer_lost"
# Blueprints whose requests are AJIO-facing: journaled, and the subject of contract checks.
JOURNALED = {"auth", "ds", "jit", "documents", "vms", "erp"}
# The journal's status for a request whose client went away before its body was whole: no answer was
# sent. Not grounded: AJIO says nothing of it; 499 is nginx's "client closed request".
ABORTED = 499


def buffer_chunked_body(environ: dict, limit: int) -> None:
    """A chunked body (no Content-Length) read here, one byte past the limit at most: over it is a 413,
    as a body with a Content-Length is (werkzeug's stream stopped silently at the limit, and the view
    then saw half a JSON document). The body read is put back as a sized one."""
    import io
    stream, parts, size = environ["wsgi.input"], [], 0
    while size <= limit:
        part = stream.read(limit + 1 - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    if size > limit:
        raise RequestEntityTooLarge()
    environ["wsgi.input"] = io.BytesIO(b"".join(parts))
    environ["CONTENT_LENGTH"] = str(size)
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)
# Where a whole world is uploaded (simulator/snapshot.py): allowed up to config.max_snapshot_bytes.
SNAPSHOT_UPLOADS = ("/_sim/snapshot", "/_sim/ui/snapshot")


def first_read_statement(columns: dict):
    """Every request's first read as one statement: one round trip on PostgreSQL, one step on SQLite.

    The clock's state and the next due timer as scalar subqueries, the columns other layers added,
    and the token's row (its POB and the POB's pendency version) LEFT JOINed to a one-row select,
    so the row is there, with NULLs, when the token is missing or unknown."""
    token_row = TOKEN_POB.subquery("token_row")
    one = select(literal(1).label("one")).subquery("one")
    return (select(CLOCK_STATE.scalar_subquery().label("clock"), NEXT_DUE.scalar_subquery().label("next_due"),
                   *(column.label(name) for name, column in columns.items()), *token_row.c)
            .select_from(one.outerjoin(token_row, true())))


class Simulator:
    """Everything one simulator instance owns; hung on app.extensions['ajio_sim']."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.db_url, durability=config.durability)
        self.store.create_schema()
        self.clock = Clock(self.store)
        self.ids = Ids(config.seed)
        self.data = DataGen(config.seed)
        # Scalar columns other layers read in the request's first read (the faults layer's check):
        # one statement with the clock, the next due timer and the token (`begin_request`).
        self._first_read_columns: dict = {}
        self._first_read = None
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

    def add_first_read(self, **columns) -> None:
        """Scalar columns (SQL expressions) a layer wants read in every request's first read."""
        self._first_read_columns.update(columns)
        self._first_read = None

    def first_read_statement(self):
        if self._first_read is None:
            self._first_read = first_read_statement(self._first_read_columns)
        return self._first_read

    def begin_request(self, token: str | None = None):
        """Bring the world up to the simulated now, in one statement: the clock, the next due timer,
        the token with its POB and the POB's pendency version, and the columns other layers added.

        Answers (now, row, fired). Most requests find no timer due; when some fired (each in its own
        transaction, after the read), what the row says of orders may be out of date."""
        row = self.store.lean_one(self.first_read_statement(), {"token": token})  # simulator/fast/lean.py
        now = self.clock.at(row["clock"])
        due = row["next_due"]
        fired = due is not None and due <= now
        if fired:
            fire_due(self.store, lambda conn, at: self.ctx(conn, at), now)
        return now, row, fired

    def tick(self) -> int:
        """Fire every timer that has come due; answers the simulated now."""
        return self.begin_request()[0]

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

    def read(self, fn, *, doc_url=None, now: int | None = None, feed: bool = False):
        with self.store.read(feed=feed) as conn:
            ctx = self.ctx(conn, now if now is not None else self.clock.now(conn), doc_url)
            return fn(ctx), ctx

    def recycle(self, config: Config) -> None:
        """Become what `Simulator(config)` would be on this store, keeping the app around it (its URL
        map cost 0.3 s to build): settings, seeded ids and data, and an empty world. Only settings the
        app did not read at creation may differ (simulator/embedded.py changes seed, clock, PO lag)."""
        for name in Config.__dataclass_fields__:
            setattr(self.config, name, getattr(config, name))
        self.ids = Ids(config.seed)
        self.data = DataGen(config.seed)
        self.reset()

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
    from simulator.control.snapshot import bp as control_snapshot_bp
    from simulator.control.vms import bp as vms_control_bp
    from simulator.ui import bp as ui_bp
    for bp in (auth_bp, ds_bp, jit_bp, documents_bp, control_bp, control_jit_bp, faults_bp, docs_bp, vms_bp, erp_bp,
               vms_control_bp, control_snapshot_bp, ui_bp):
        app.register_blueprint(bp)

    @app.before_request
    def _before():
        # The objects behind Flask's proxies, once: each proxy access costs a context-variable lookup.
        g, request = flask_g._get_current_object(), flask_request._get_current_object()
        g.t0 = monotonic()
        g.pob_id = None
        g.touched = []
        # Refused before anything runs, whether or not the view would read the body (POST /_sim/reset
        # with 1 MiB used to reset the world and answer 200); a chunked one too (waitress, under
        # --workers N, has already read it whole and sized it; werkzeug's server has not). A world
        # snapshot's import has its own limit.
        if request.method == "POST" and request.path in SNAPSHOT_UPLOADS:
            request.max_content_length = config.max_snapshot_bytes
        limit = request.max_content_length
        environ = request.environ
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() and not environ.get("CONTENT_LENGTH"):
            buffer_chunked_body(environ, limit)
        if (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()
        token = request.headers.get("apiKey")
        g.now, g.first_read, g.timers_fired = sim.begin_request(token or None)
        if token and request.blueprint in JOURNALED:  # authenticate() checks it; None: no such token
            g.token_row = g.first_read if g.first_read["token_expires_at"] is not None else None

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
        return error_response(PayloadTooLarge(f"request body over {request.max_content_length} bytes", field="body"))

    @app.errorhandler(ClientDisconnected)
    def _aborted(exc):
        # The client went away mid-body: nothing reaches it, the journal says what happened.
        g.aborted = True
        err = SimulatorError("the client closed the connection before its request body was complete")
        err.status, err.code = ABORTED, "CLIENT_CLOSED_REQUEST"
        return error_response(err)

    # waitress (serve --workers N) reads bodies before the app runs: a client that leaves mid-body never
    # reaches a view, and simulator/workers.py reports it here to be journaled all the same.
    app.extensions["ajio_sim_aborted"] = lambda partial: record_aborted(app, partial)

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
    g, request = flask_g._get_current_object(), flask_request._get_current_object()  # as in _before
    try:
        if g.get("aborted"):  # nothing was sent to a client that had gone
            body = None
        elif response.mimetype == "application/json":
            body = response.get_data(as_text=True)
        else:
            body = f"<{response.mimetype} {response.calculate_content_length() or 0} bytes>"
        try:
            if g.get("aborted"):
                raw = f"<aborted by the client before its body of {request.content_length} bytes was complete>"
            else:
                raw = request.get_data(cache=True, as_text=True) if request.content_length else None
        except RequestEntityTooLarge:  # the body was refused unread; the journal says what came
            raw = f"<body of {request.content_length} bytes, over the {sim.config.max_body_bytes}-byte limit>"
        at = g.get("now") or sim.now()  # read before the write: a memory store has one connection
        # Refused before its view knew the POB (expired token, unknown route): filed under the POB whose
        # apiKey it carries (the first read joined it, expired or not), so journal?pob_id= shows a
        # connector all of its calls.
        first = g.get("first_read")
        pob_id = g.get("pob_id") or (first["pob_id"] if first is not None else None)
        if pob_id is None and request.path.startswith("/ajio-vms"):
            # The ERP layer names its POB in authUsername: a call answered before its view (a fault, a 429)
            # is filed there too, so journal?pob_id= shows one seller's ERP-layer calls.
            pob_id = (request.headers.get("authUsername") or "")[:32] or None
        if pob_id is None and request.path.endswith("/authToken"):
            # A login answered before its view (a staged 503, a 429) is filed under the name it sent, as the view
            # files every login: a connector hammering a login AJIO refuses shows in its POB's journal.
            pob_id = _login_name(raw)
        owner_unknown = pob_id is None and first is None and bool(request.headers.get("apiKey"))
        status, faults = response.status_code, g.get("faults")
        killed = request.environ.get(ANSWER_LOST)  # the harness kills the caller before this answer is sent
        if killed:
            erp = killed == "ERP"   # erp: {kill_at}, else run_connector's
            faults = (faults or []) + [{"rule_id": None, "name": "erp kill_at" if erp else "run_connector kill_at",
                                        "kind": "erp_killed" if erp else "connector_killed",
                                        "phase": "after", "processed_status": status,
                                        "detail": f"request processed; the harness killed the {killed} before the "
                                                  "answer (kill_at)"}]
            status = 0  # as a reset after processing: handled, and no answer reached the client
        entry = journal.Entry(at=at, pob_id=pob_id, method=request.method, path=request.path,
                              query=request.query_string.decode("latin-1"), status=status,
                              duration_ms=int((monotonic() - g.get("t0", monotonic())) * 1000),
                              request_body=raw, response_body=body, entity_ids=g.get("touched", []),
                              limit=sim.config.journal_body_limit, violations=g.get("violations"),
                              faults=faults)
        # On the driver (simulator/fast/lean.py); one INSERT alone needs no BEGIN/COMMIT.
        with sim.store.lean_write(single=entry.statements == 1 and not owner_unknown) as conn:
            if owner_unknown:  # the request failed before its first read
                entry.row["pob_id"] = token_owner(conn, request.headers.get("apiKey"))
            entry.insert(conn)
    except Exception:  # the journal must never turn a good answer into a failure
        log.exception("journal write failed")


def _login_name(raw: str | None) -> str | None:
    """The username a login's body sends (its first 32 characters), or None."""
    if not raw or not raw.lstrip().startswith("{"):
        return None
    try:
        sent = json.loads(raw)
    except ValueError:
        return None
    name = sent.get("username") if isinstance(sent, dict) else None
    return (name[:32] or None) if isinstance(name, str) else None


def _journaled_path(app: Flask, method: str, path: str) -> bool:
    """Whether a request for this path would be journaled: _journal's rule, without a request."""
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method)
    except HTTPException:
        return not path.startswith("/_sim")
    return endpoint.split(".", 1)[0] in JOURNALED


def record_aborted(app: Flask, partial) -> None:
    """Journal a request whose client left before its body was whole (waitress's parser, half-filled)."""
    method, path = partial.command, partial.path
    if not _journaled_path(app, method, path):
        return
    expected = getattr(partial, "content_length", 0)
    remain = getattr(partial.body_rcv, "remain", None)
    note = (f"<aborted by the client: {expected - remain} of {expected} body bytes received>" if remain is not None
            else "<aborted by the client during its chunked body>")
    sim = app.extensions["ajio_sim"]
    api_key = partial.headers.get("APIKEY") or None
    now, first, _ = sim.begin_request(api_key)
    pob_id = first["pob_id"]
    if pob_id is None and path.startswith("/ajio-vms"):  # the ERP layer names its POB in authUsername
        pob_id = (partial.headers.get("AUTHUSERNAME") or "")[:32] or None
    with sim.store.lean_write(single=True) as conn:
        journal.record(conn, at=now, pob_id=pob_id, method=method, path=path, query=partial.query or "",
                       status=ABORTED, duration_ms=0, request_body=note, response_body=None, entity_ids=[],
                       limit=sim.config.journal_body_limit)


__all__ = ["create_app", "record_aborted", "Simulator", "error_response", "json"]
