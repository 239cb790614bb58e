"""A real simulator in this process: a threaded werkzeug server around a fresh in-memory app, on a free port.

The harness runs one per scenario (the simulated clock belongs to a whole server) and tests use it to
drive the simulator over HTTP; it is, with simulator/client.py, what the harness may import of the
simulator (import-linter contract in pyproject.toml).

Starting one used to cost about 0.4 s of building the Flask app (werkzeug compiles each of ~110 URL
rules) and stopping one 0.5 s (the server loop's poll interval). A stopped server's app now goes back
to a pool and the next server recycles it (`Simulator.recycle`: the settings, seeded ids and an empty
world a fresh app would have, tests/unit/test_embedded.py); each server answers through a gate of its
own, so a client still holding a connection to a stopped server reaches nothing of the next world.
"""
from __future__ import annotations

import functools
import io
import socket
import threading
import time
from typing import Any

from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wsgi import LimitedStream

from simulator.app import ANSWER_LOST, create_app
from simulator.config import Config

POLL_S = 0.02  # the server loop's shutdown check: stop() waits at most this long for it
DRAIN_S = 2.0  # requests still running at stop() get this long before the app is dropped, not pooled

_idle: list = []  # apps of stopped servers, ready to recycle
_idle_lock = threading.Lock()
# One app built at a time: building compiles werkzeug's URL rules (ast.parse, compile), and CPython before 3.13
# builds ASTs with a counter shared between threads: two at once can raise "SystemError: AST constructor recursion
# depth mismatch" (python/cpython#106905; seen once in a `--jobs` run). Building takes milliseconds.
_build_lock = threading.Lock()


def settings() -> set[str]:
    """The names of the settings an in-process server takes (simulator/config.py), for a caller that must
    know whether this simulator has one (`ajio-sim soak --profile realistic`)."""
    from dataclasses import fields

    from simulator.config import Config
    return {f.name for f in fields(Config)}


PEEK_BODY = "ajio_sim.peek_body"  # environ key: a callable giving the request body to the harness's kill switch
DRAIN_BODY_MAX = 16 * 1024 * 1024  # an unread request body up to this size is read off to keep the connection
DRAIN_TIMEOUT_S = 2.0              # ... if it arrives within this long; else the connection is closed


class _KeepAlive(WSGIRequestHandler):
    """werkzeug's request handler with HTTP/1.1 keep-alive, which werkzeug's own server turns off.

    A client that keeps its connection (requests' Session, every connector) used to pay a TCP connect,
    a server thread and werkzeug's 10 ms wait for stray bytes on every call; a month's soak makes some
    230,000. The request is parsed as werkzeug parses it (`make_environ`); the answer is sent
    whole, with its Content-Length, in one write. The connection is kept unless the client asked to
    close it, the body was chunked, or an unread body cannot be drained (tests/unit/test_embedded.py)."""

    protocol_version = "HTTP/1.1"

    def log_request(self, *args, **kwargs) -> None:  # the journal is the request log
        pass

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conns = getattr(self.server, "open_connections", None)
        if conns is not None:
            conns.add(self.connection)

    def finish(self) -> None:
        conns = getattr(self.server, "open_connections", None)
        if conns is not None:
            conns.discard(self.connection)
        super().finish()

    def run_wsgi(self) -> None:
        environ = self.make_environ()
        self.environ = environ
        # The harness's kill switch (`run_connector: {kill_at: ...}`, `erp: {kill_at: ...}`): it may kill the caller
        # now, before AJIO handles the call (nothing sent back), or ask to be called once AJIO has handled it, before
        # the answer.
        intercept = getattr(self.server, "intercept", None)
        peeked: list[bytes] = []
        if intercept is not None:  # a switch aimed by body (kill_at's `body`) reads the body before the app does
            environ[PEEK_BODY] = functools.partial(self._peek_body, environ, peeked)
        after = intercept(environ, self.server.request_pob) if intercept is not None else None
        environ.pop(PEEK_BODY, None)
        if after == "dropped":
            self.close_connection = True
            return
        if callable(after):
            environ[ANSWER_LOST] = getattr(after, "who", "connector")
        body = None
        if peeked:  # the app reads the body the switch read
            body = LimitedStream(io.BytesIO(peeked[0]), len(peeked[0]))
            environ["wsgi.input"] = body
        elif not environ.get("wsgi.input_terminated"):  # chunked bodies are read by the app (simulator/app.py)
            try:  # werkzeug's stream, counting what of the body the app read
                body = LimitedStream(self.rfile, max(0, int(environ.get("CONTENT_LENGTH") or 0)))
            except ValueError:
                body = None
            if body is not None:
                environ["wsgi.input"] = body
        if body is None:
            self.close_connection = True
        answer: dict = {}
        chunks: list[bytes] = []

        def start_response(status, headers, exc_info=None):
            # Nothing is sent before the app returns, so a second call (an error page) simply replaces these.
            answer["status"], answer["headers"] = status, headers
            return chunks.append

        def flush(kept: bytes) -> None:
            # A wire truncation (simulator/faults/wire.py) cuts the socket while the app's answer is still being
            # read here (the middlewares above it may hold the kept bytes): the head, with the whole body's
            # Content-Length, and the kept bytes go out first, so the client reads a body that ends early, not a
            # connection that closed without an answer.
            self._send(environ["REQUEST_METHOD"], answer["status"], answer["headers"], kept)

        environ["ajio_sim.flush"] = flush

        try:
            result = self.server.app(environ, start_response)
            try:
                chunks.extend(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (ConnectionError, socket.timeout):  # a wire fault cut it, or the client went away
            self.close_connection = True
            return
        except Exception as exc:  # the app's own 500 handler missed it: a bare 500, as werkzeug answers
            self.server.log("error", f"Error on request: {exc!r}")
            answer, chunks = {"status": "500 INTERNAL SERVER ERROR",
                              "headers": [("Content-Type", "text/plain; charset=utf-8")]}, [b"internal server error"]
            self.close_connection = True
        if callable(after):  # AJIO's change is committed; the caller dies before its answer goes back
            after()
            self.close_connection = True
            return
        if body is not None and not body.is_exhausted and not self._drain(body):
            self.close_connection = True
        self._send(environ["REQUEST_METHOD"], answer["status"], answer["headers"], b"".join(chunks))

    def _peek_body(self, environ: dict, peeked: list[bytes]) -> bytes | None:
        """The request's body, read off the connection before the app sees it (then handed to the app from
        memory): what a kill switch aimed by body matches. None for a chunked body (the app reads those)."""
        if peeked:
            return peeked[0]
        if environ.get("wsgi.input_terminated"):
            return None
        try:
            size = max(0, int(environ.get("CONTENT_LENGTH") or 0))
        except ValueError:
            return None
        try:
            data = LimitedStream(self.rfile, size).read()
        except (ClientDisconnected, OSError):
            data = b""
        peeked.append(data)
        return data

    def _drain(self, body: LimitedStream) -> bool:
        """Read off the body the app left unread (a refusal before parsing it): True if it all came."""
        if body.limit - body.tell() > DRAIN_BODY_MAX:
            return False
        self.connection.settimeout(DRAIN_TIMEOUT_S)
        try:
            body.exhaust()
        except (ClientDisconnected, OSError):
            return False
        finally:
            self.connection.settimeout(None)
        return body.is_exhausted

    def _send(self, method: str, status: str, headers: list, data: bytes) -> None:
        code = int(status.split(None, 1)[0])
        names = {k.lower() for k, _ in headers}
        lines = [f"HTTP/1.1 {status}", f"Server: {self.version_string()}", f"Date: {self.date_time_string()}"]
        lines += [f"{k}: {v}" for k, v in headers if k.lower() != "connection"]
        if "content-length" not in names and not (100 <= code < 200 or code in (204, 304)) and method != "HEAD":
            lines.append(f"Content-Length: {len(data)}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        payload = b"" if method == "HEAD" or 100 <= code < 200 or code in (204, 304) else data
        try:
            self.wfile.write(head + payload)
        except OSError:
            self.close_connection = True


class _Gate:
    """One server's way into the app: closed at stop(), counting the requests it let through."""

    def __init__(self, app) -> None:
        self.app, self.open, self.busy = app, True, 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            if not self.open:
                start_response("503 SERVICE UNAVAILABLE", [("Content-Type", "text/plain"), ("Connection", "close")])
                return [b"this simulator was stopped"]
            self.busy += 1
        try:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]  # the whole answer before the count drops
            finally:
                if hasattr(result, "close"):  # Flask's teardown runs here
                    result.close()
        finally:
            with self._lock:
                self.busy -= 1

    def close(self, wait: float) -> bool:
        """Closed to new requests; True once none is running (within `wait` seconds)."""
        with self._lock:
            self.open = False
        deadline = time.monotonic() + wait
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.005)
        return not self.busy


def _app(config: dict):
    with _idle_lock:
        app = _idle.pop() if _idle else None
    if app is None:
        with _build_lock:
            return create_app(config)
    app.extensions["ajio_sim"].recycle(Config.from_mapping(config))
    return app


class InProcessServer:
    """A real HTTP server (werkzeug, threaded) around a fresh in-memory simulator, on a free port.

    One per scenario by default: the simulated clock belongs to the whole server, so a scenario that
    advances it can only be isolated from the others by having a clock of its own."""

    def __init__(self, *, seed: int, start: int, po_lag: int | None = None, extra: dict | None = None,
                 erp_delivery: bool = False, **settings: Any) -> None:
        # `settings`: any other Config field (timings, catalog size, throttle...), as `ajio-sim soak` sets them;
        # `extra`: server timings a scenario's world sets (Config.extra, e.g. vms_rsi_after).
        config: dict[str, Any] = {"db_url": "sqlite://", "seed": seed, "frozen_at": start, **settings}
        if po_lag is not None:
            config["po_lag"] = po_lag
        if extra:
            config["extra"] = dict(extra)
        self.app = _app(config)
        self._gate = _Gate(self.app)
        self.server = make_server("127.0.0.1", 0, self._gate, threaded=True, request_handler=_KeepAlive)
        self.server.open_connections = set()  # the kept-alive ones, closed at stop()
        # intercept(environ, request_pob) -> None (answer as usual), "dropped" (the call is not handled and
        # gets no answer) or a callable (handle the call, then call it, and send no answer): the harness's
        # deterministic connector crash (harness/killswitch.py). request_pob(environ): the POB of the call.
        self.server.intercept = None
        self.server.request_pob = self.request_pob
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": POLL_S},
                                       name="ajio-sim-server", daemon=True)
        self.thread.start()
        # VMS sellers' ERP postings go out as `ajio-sim serve` sends them: a background sender, retries
        # due in simulated time (simulator/erp_delivery.py).
        self.delivery = None
        if erp_delivery:
            from simulator.erp_delivery import DeliveryWorker
            self.delivery = DeliveryWorker(self.app.extensions["ajio_sim"], interval=0.1).start()

    @property
    def wsgi(self):
        """This server's way into its app, for a caller in this process that needs no socket (the harness's control
        calls, harness/world.py): closed, like the server, at stop()."""
        return self._gate

    def intercept(self, hook) -> None:
        """Hand every call to `hook(environ, request_pob)` before the app sees it (None: stop). The hook answers
        None (go on), "dropped" (the caller is gone: nothing handled, nothing sent) or a callable to run once the
        app has handled the call, before its answer is sent; its `who` ("connector" or "ERP") is who the journal
        says lost the answer. While the hook runs, `environ["ajio_sim.peek_body"]()` gives it the request's body
        (bytes; None if chunked), which the app then reads as usual."""
        self.server.intercept = hook

    def request_pob(self, environ: dict) -> str | None:
        """The POB a request comes from, before the app sees it: its apiKey's owner (expired or not), or the
        ERP layer's authUsername; None when it names neither."""
        token = environ.get("HTTP_APIKEY")
        if token:
            from simulator.domain.sellers import token_owner
            with self.app.extensions["ajio_sim"].store.read() as conn:
                return token_owner(conn, token)
        return (environ.get("HTTP_AUTHUSERNAME") or "")[:32] or None

    def stop(self) -> None:
        if self.delivery is not None:
            self.delivery.stop()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        drained = self._gate.close(DRAIN_S)
        # Kept-alive connections end here: a client's next call opens a new one, refused like any other.
        for conn in list(self.server.open_connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if drained:  # nothing of this world still running: the next server may recycle it
            with _idle_lock:
                _idle.append(self.app)
