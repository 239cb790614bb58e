"""The replay server: a recording's answers served again as a fixed world, in recorded order per request.

A request is keyed by method, path, query and body, masked as the proxy masks them (so a recorded login,
whose password was masked, matches the same login replayed) and canonicalised (key and parameter order do
not matter). Each key's answers come back in the order they were recorded; once they are used up the last
one is served again (counted as `repeated`). A request the recording does not hold gets a 501 in AJIO's
error shape naming what was recorded for that path, and is counted as a miss: the harness fails the
scenario on it. Upstream URLs in recorded answers point at this server instead."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from harness.recording.har import Exchange, RecordingError, load
from harness.recording.masking import Masker, key_body, key_query
from simulator.embedded import POLL_S  # the server loop's shutdown check

_DROP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date",
                   "server"})
# The smallest PDF readers open: served where the recording omitted a document (privacy masks).
PLACEHOLDER_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
                   b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n"
                   b"%%EOF\n")


def _key(method: str, path: str, query: str, body: str | None) -> tuple[str, str, str, str]:
    return method.upper(), path, key_query(query), key_body(body)


@dataclass
class Served:
    """What the replay server did with one request, in the simulator journal's words (for expectations)."""
    id: int
    method: str
    path: str
    query: str
    status: int
    request_body: str | None
    response_body: str | None
    pob_id: str | None
    entry: int | None           # the recording's entry served, None for a miss
    repeated: bool = False
    faults: list = field(default_factory=list)
    violations: None = None

    def as_journal(self) -> dict:
        return {"id": self.id, "method": self.method, "path": self.path, "query": self.query, "status": self.status,
                "request_body": self.request_body, "response_body": self.response_body, "pob_id": self.pob_id,
                "faults": self.faults, "violations": self.violations, "replay_entry": self.entry}


class Recording:
    """A HAR recording made ready for replay."""

    def __init__(self, path: str | Path) -> None:
        kind, exchanges, meta = load(path)
        if kind != "har":
            raise RecordingError(f"{path}: replay needs a HAR recording (ajio-sim proxy --record); a journal "
                                 "export has no headers and cut bodies")
        if not exchanges:
            raise RecordingError(f"{path}: the recording holds no exchange")
        self.path = str(path)
        self.upstream = (meta.get("upstream") or "").rstrip("/")
        self.exchanges = exchanges
        self.queues: dict[tuple, list[Exchange]] = {}
        for ex in exchanges:
            self.queues.setdefault(_key(ex.method, ex.called, ex.query, ex.request_body), []).append(ex)

    def logins(self) -> list[dict]:
        """Each distinct login of the recording, in order: {"pob_id", "password"} as recorded (masked)."""
        out: dict[str, dict] = {}
        for ex in self.exchanges:
            if ex.method == "POST" and ex.called.endswith("/authToken") and ex.request_body:
                try:
                    body = json.loads(ex.request_body)
                except ValueError:
                    continue
                if isinstance(body, dict) and isinstance(body.get("username"), str):
                    out.setdefault(body["username"], {"pob_id": body["username"],
                                                      "password": str(body.get("password", ""))})
        return list(out.values())


class ReplayApp:
    """The WSGI application; `served` is its journal."""

    def __init__(self, recording: Recording) -> None:
        self.rec = recording
        self.base_url = ""                      # set once the server is bound
        self.served: list[Served] = []
        self._next: dict[tuple, int] = {}
        self._tokens: dict[str, str | None] = {}   # token answered -> username (None when ambiguous)
        self._last_login: str | None = None
        self._lock = threading.Lock()

    @property
    def misses(self) -> list[Served]:
        return [s for s in self.served if s.entry is None]

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"].upper()
        target = environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
        path, _, query = target.partition("?")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read() if environ.get("wsgi.input_terminated") else \
            environ["wsgi.input"].read(length) if length > 0 else b""
        body = raw.decode("utf-8", "replace") if raw else None
        key = _key(method, path, query, body)
        with self._lock:
            queue = self.rec.queues.get(key)
            n = self._next.get(key, 0)
            ex = None if not queue else queue[min(n, len(queue) - 1)]
            if queue:
                self._next[key] = n + 1
            pob = self._pob(environ, path, body, ex)
            status, headers, payload, cut = self._answer(ex, method, path, query)
            logged, _ = Masker().body(body, "body")
            self.served.append(Served(len(self.served) + 1, method, path, query, status, logged,
                                      payload.decode("utf-8", "replace") if _textual(headers) else
                                      f"<{_mime(headers)} {len(payload)} bytes>",
                                      pob, ex.index if ex else None, repeated=bool(queue) and n >= len(queue)))
        start_response(f"{status} {_REASONS.get(status, 'Recorded')}", headers)
        if cut:
            return _cut(payload)
        return [payload]

    def _pob(self, environ, path: str, body: str | None, ex: Exchange | None) -> str | None:
        """Whose request this is: the login's username, the POB its token was answered to, authUsername."""
        if path.endswith("/authToken") and body:
            try:
                user = json.loads(body).get("username")
            except (ValueError, AttributeError):
                user = None
            if isinstance(user, str):
                self._last_login = user
                token = _token_of(ex)
                if token is not None:
                    self._tokens[token] = user if self._tokens.get(token, user) == user else None
                return user
        if environ.get("HTTP_AUTHUSERNAME"):
            return environ["HTTP_AUTHUSERNAME"]
        token = environ.get("HTTP_APIKEY")
        owner = self._tokens.get(token) if token else None
        # Masked tokens all look alike: with several logins, the latest one is the best guess.
        return owner or self._last_login

    def _answer(self, ex: Exchange | None, method: str, path: str, query: str):
        if ex is None:
            return self._miss(method, path, query)
        headers = [(k, v) for k, v in ex.response_headers if k.lower() not in _DROP]
        if not any(k.lower() == "content-type" for k, _ in headers) and ex.mime:
            headers.append(("Content-Type", ex.mime))
        if ex.response_bytes is not None:
            payload = ex.response_bytes
        elif ex.response_body is not None:
            text = ex.response_body
            if self.rec.upstream:
                text = text.replace(self.rec.upstream, self.base_url)
            payload = text.encode("utf-8")
        elif "pdf" in ex.mime:
            payload = PLACEHOLDER_PDF
            headers.append(("X-Ajio-Sim-Replay-Note", "document omitted from the recording: a placeholder PDF"))
        else:
            payload = b""
        headers += [("X-Ajio-Sim-Replay", f"entry {ex.index}"), ("Content-Length", str(len(payload)))]
        cut = ex.body_note is not None and ex.body_note.startswith("incomplete")
        return ex.status, headers, payload, cut

    def _miss(self, method: str, path: str, query: str):
        near = [ex for key, q in self.rec.queues.items() if key[0] == method and key[1] == path for ex in q[:1]]
        seen = "; ".join(" ".join(part for part in (f"?{ex.query}" if ex.query else "",
                                                    (ex.request_body or "")[:80]) if part) or "no query, no body"
                         for ex in near[:3])
        q = f"?{query}" if query else ""
        body = json.dumps({"status": "FAILED", "error_code": "REPLAY_MISS",
                           "error_message": f"ajio-sim replay: {method} {path}{q} with this body is not in the "
                                            f"recording {Path(self.rec.path).name}"
                                            + (f" (recorded for this path: {seen})" if near else
                                               " (nothing recorded for this method and path)")}).encode()
        return 501, [("Content-Type", "application/json"), ("X-Ajio-Sim-Replay", "miss"),
                     ("Content-Length", str(len(body)))], body, False


_REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 409: "Conflict", 413: "Payload Too Large",
            415: "Unsupported Media Type",
            429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout"}


def _mime(headers) -> str:
    return next((v for k, v in headers if k.lower() == "content-type"), "")


def _textual(headers) -> bool:
    m = _mime(headers).lower()
    return m.startswith("text/") or "json" in m


def _token_of(ex: Exchange | None) -> str | None:
    if ex is None or not ex.response_body:
        return None
    try:
        result = json.loads(ex.response_body).get("result") or {}
    except (ValueError, AttributeError):
        return None
    token = result.get("accessToken") if isinstance(result, dict) else None
    return token if isinstance(token, str) else None


def _cut(payload: bytes):
    """A recorded answer the upstream broke off is broken off again, after the same bytes."""
    yield payload
    raise ConnectionResetError("the recorded answer was incomplete")


class ReplayServer:
    """A real HTTP server (werkzeug, threaded) on a free loopback port around one recording."""

    def __init__(self, recording: Recording, host: str = "127.0.0.1", port: int = 0) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log_request(self, *args, **kwargs) -> None:  # `served` is the request log
                pass

        self.app = ReplayApp(recording)
        self.server = make_server(host, port, self.app, threaded=True, request_handler=Quiet)
        self.base_url = f"http://{host}:{self.server.server_port}"
        self.app.base_url = self.base_url
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": POLL_S},
                                       name="ajio-sim-replay", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
