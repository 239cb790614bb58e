"""`ajio-sim proxy`: a recording reverse proxy. Every call is forwarded unchanged to the upstream (AJIO, a
staging host or a simulator); the answer streams back as it comes, and the exchange, masked, is appended
to a HAR 1.2 file. Upstream failures are answered by the proxy in AJIO's error shape (502 unreachable,
504 timeout) and recorded as the proxy's own answers; an answer cut by the upstream is cut for the
client too and recorded as incomplete, never passed off as whole."""
from __future__ import annotations

import base64
import json
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from urllib3.util import SKIP_HEADER

from harness.recording.har import EXT, HarWriter, har_headers, har_query, is_json_mime, mime_of, now_iso
from harness.recording.masking import Masker

# RFC 9110 7.6.1: connection-specific headers are not forwarded; Host and Content-Length are re-made.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
                        "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length"})
# The proxy's own server adds these; the upstream's are dropped so the client does not get two of each.
OWN_HEADERS = frozenset({"date", "server"})
CHUNK = 64 * 1024


class UpstreamBrokeOff(ConnectionError):
    """Raised inside a streamed answer: the server then drops the client's connection without ending the
    body (no final chunk), so the client sees the same cut the upstream made (werkzeug treats a
    ConnectionError as a dropped connection and writes nothing more)."""


@dataclass
class ProxyOptions:
    upstream: str                       # base URL, may carry a path prefix
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    rewrite_links: bool = False         # upstream URLs in JSON answers -> the proxy's (documents via the proxy)
    keep_documents: bool = False        # keep binary answers (PDFs carry customers' names and addresses)
    list_masked: bool = False
    log: Callable[[str], None] = field(default=lambda line: print(line, flush=True))


def _textual(mime: str) -> bool:
    """Recorded as text (JSON, NDJSON, HTML, XML...); anything else is binary (base64, or omitted)."""
    base = mime.split(";")[0].strip().lower()
    return base.startswith("text/") or "json" in base or base.endswith("xml") or \
        base in ("application/javascript", "application/x-www-form-urlencoded")


def _decode(raw: bytes, headers: list[tuple[str, str]]) -> tuple[bytes, str | None]:
    """The body as the upstream meant it (Content-Encoding undone), or the raw bytes and why not."""
    coding = next((v.strip().lower() for k, v in headers if k.lower() == "content-encoding"), "")
    if coding in ("", "identity"):
        return raw, None
    try:
        if coding == "gzip":
            return zlib.decompress(raw, 16 + zlib.MAX_WBITS), None
        if coding == "deflate":
            try:
                return zlib.decompress(raw), None
            except zlib.error:
                return zlib.decompress(raw, -zlib.MAX_WBITS), None
    except zlib.error as exc:
        return raw, f"Content-Encoding {coding} could not be undone ({exc}): raw bytes kept"
    return raw, f"Content-Encoding {coding} is not decoded by the proxy: raw bytes kept"


class RecordingProxy:
    """The WSGI application; one instance per `ajio-sim proxy` process."""

    def __init__(self, options: ProxyOptions, writer: HarWriter, masker: Masker) -> None:
        self.o = options
        self.upstream = options.upstream.rstrip("/")
        self.writer = writer
        self.masker = masker
        self._local = threading.local()
        self._inflight = 0                  # exchanges begun and not yet recorded (see drain)
        self._cv = threading.Condition()

    def drain(self, timeout: float) -> int:
        """Wait (bounded) until every exchange begun is recorded; the number still unrecorded, to be said."""
        with self._cv:
            self._cv.wait_for(lambda: self._inflight == 0, timeout)
            return self._inflight

    def _finished(self) -> None:
        with self._cv:
            self._inflight -= 1
            self._cv.notify_all()

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers.clear()         # forward the client's headers, not requests' defaults
            s.trust_env = False       # no environment proxies or .netrc credentials slipped in
            self._local.session = s
        return s

    def __call__(self, environ, start_response):
        with self._cv:
            self._inflight += 1
        try:
            return _Tracked(self._handle(environ, start_response), self._finished)
        except BaseException:
            self._finished()   # nothing will be recorded for it: the server's own 500 follows
            raise

    def _handle(self, environ, start_response):
        started, t0 = now_iso(), time.monotonic()
        target = environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
        if "://" in target.split("?", 1)[0]:  # absolute-form request target: keep only path and query
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        path, _, query = target.partition("?")
        method = environ["REQUEST_METHOD"]
        body = self._read_body(environ)
        headers = [(k[5:].replace("_", "-").title(), v) for k, v in environ.items() if k.startswith("HTTP_")]
        if environ.get("CONTENT_TYPE"):
            headers.append(("Content-Type", environ["CONTENT_TYPE"]))
        forward = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]
        if not any(k.lower() == "user-agent" for k, _ in forward):
            forward.append(("User-Agent", SKIP_HEADER))  # urllib3 would add its own otherwise
        ex = _Exchange(started=started, t0=t0, method=method, path=path, query=query,
                       url=self.upstream + target, req_headers=headers, req_body=body,
                       proxy_base=f"{environ['wsgi.url_scheme']}://{environ.get('HTTP_HOST', '')}",
                       http_version=environ.get("SERVER_PROTOCOL", "HTTP/1.1"))
        try:
            r = self._session().request(method, ex.url, data=body or None, headers=dict(forward), stream=True,
                                        allow_redirects=False,
                                        timeout=(self.o.connect_timeout, self.o.read_timeout))
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout) as exc:
            return self._own_answer(ex, start_response, 504, "PROXY_UPSTREAM_TIMEOUT",
                                    f"the upstream {self.upstream} did not answer within "
                                    f"{self._timeout_of(exc)} s", "upstream-timeout")
        except requests.exceptions.RequestException as exc:
            return self._own_answer(ex, start_response, 502, "PROXY_UPSTREAM_UNREACHABLE",
                                    f"cannot reach the upstream {self.upstream}: {_reason(exc)}",
                                    "upstream-unreachable")
        ex.t_wait = time.monotonic()
        ex.status, ex.reason = r.status_code, r.reason or ""
        ex.resp_headers = [(k, v) for k, v in r.raw.headers.items()]
        passed = [(k, v) for k, v in ex.resp_headers if k.lower() not in HOP_BY_HOP | OWN_HEADERS]
        length = r.raw.headers.get("Content-Length")
        if self.o.rewrite_links and is_json_mime(mime_of(ex.resp_headers)):
            return self._rewritten(ex, r, passed, start_response)
        if length is not None and not r.raw.headers.get("Transfer-Encoding"):
            passed.append(("Content-Length", length))  # the client can tell a cut body from a whole one
        start_response(f"{ex.status} {ex.reason}".strip(), passed)
        return self._stream(ex, r)

    @staticmethod
    def _read_body(environ) -> bytes:
        stream = environ["wsgi.input"]
        if environ.get("wsgi.input_terminated"):  # chunked request: werkzeug de-chunks it to its end
            return stream.read()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        return stream.read(length) if length > 0 else b""

    def _timeout_of(self, exc: Exception) -> float:
        return self.o.connect_timeout if isinstance(exc, requests.exceptions.ConnectTimeout) else self.o.read_timeout

    def _stream(self, ex: _Exchange, r: requests.Response) -> Iterator[bytes]:
        got: list[bytes] = []
        size = 0
        try:
            for chunk in r.raw.stream(CHUNK, decode_content=False):
                got.append(chunk)
                size += len(chunk)
                yield chunk
        except GeneratorExit:  # the client went away: what it had is what is recorded, and said so
            ex.incomplete = f"the client closed the connection after {size} bytes"
            raise
        except Exception as exc:  # urllib3 ProtocolError / ReadTimeoutError: the upstream cut it
            ex.incomplete = f"the upstream broke off after {size} bytes: {_reason(exc)}"
            raise UpstreamBrokeOff(ex.incomplete) from None
        finally:
            r.close()
            ex.raw_body = b"".join(got)
            self._record(ex)

    def _rewritten(self, ex: _Exchange, r: requests.Response, passed, start_response):
        """A JSON answer with the upstream's base URL replaced by the proxy's (so documents are fetched, and
        recorded, through the proxy). Buffered: the body changes length. Recorded as the upstream sent it."""
        try:
            content = r.content   # decoded (gzip undone): the client gets identity encoding
        except Exception as exc:
            ex.incomplete = f"the upstream broke off: {_reason(exc)}"
            ex.raw_body = b""
            return self._own_answer(ex, start_response, 502, "PROXY_UPSTREAM_BROKE_OFF",
                                    f"the upstream {self.upstream} broke off its answer: {_reason(exc)}",
                                    "upstream-broke-off")
        finally:
            r.close()
        ex.raw_body = content
        ex.resp_headers = [(k, v) for k, v in ex.resp_headers if k.lower() != "content-encoding"]
        out = content.replace(self.upstream.encode(), ex.proxy_base.encode())
        headers = [(k, v) for k, v in passed if k.lower() != "content-encoding"] + [("Content-Length", str(len(out)))]
        start_response(f"{ex.status} {ex.reason}".strip(), headers)
        self._record(ex, rewrote=out != content)
        return [out]

    def _own_answer(self, ex: _Exchange, start_response, status: int, code: str, message: str, kind: str):
        reason = {502: "Bad Gateway", 504: "Gateway Timeout"}[status]
        body = json.dumps({"status": "FAILED", "error_code": code, "error_message": f"ajio-sim proxy: {message}",
                           "upstream": self.upstream}).encode()
        ex.status, ex.reason, ex.proxy_error = status, reason, kind
        ex.resp_headers = [("Content-Type", "application/json"), ("X-Ajio-Sim-Proxy", kind)]
        ex.raw_body = body
        ex.t_wait = time.monotonic()
        start_response(f"{status} {reason}", ex.resp_headers + [("Content-Length", str(len(body)))])
        self._record(ex)
        return [body]

    # -- the record ----------------------------------------------------------------------------
    def _record(self, ex: _Exchange, rewrote: bool = False) -> None:
        try:
            self.writer.add(self._entry(ex, rewrote))
        except Exception as exc:  # a recording that cannot be written must be loud, never quiet
            print(f"ajio-sim proxy: could not record {ex.method} {ex.path}: {exc!r}", file=sys.stderr, flush=True)
            raise
        self._log(ex)

    def _entry(self, ex: _Exchange, rewrote: bool) -> dict:
        m = self.masker
        masked: list[str] = []
        req_headers, found = m.headers(ex.req_headers, "request.header")
        masked += found
        query, found = m.query(ex.query, "request.query")
        masked += found
        url = self.upstream + ex.path + (f"?{query}" if query else "")
        request: dict = {"method": ex.method, "url": url, "httpVersion": ex.http_version, "cookies": [],
                         "headers": har_headers(req_headers), "queryString": har_query(query),
                         "headersSize": -1, "bodySize": len(ex.req_body)}
        if ex.req_body:
            try:
                text, found = m.body(ex.req_body.decode("utf-8"), "request.body")
                request["postData"] = {"mimeType": mime_of(ex.req_headers), "text": text}
                masked += found
            except UnicodeDecodeError:  # not text: kept only as a size, and said so
                request["postData"] = {"mimeType": mime_of(ex.req_headers), "text": "",
                                       "comment": f"{len(ex.req_body)} bytes of binary data, not recorded"}
                masked.append("request.body (binary, not recorded)")
        resp_headers, found = m.headers(ex.resp_headers, "response.header")
        masked += found
        mime = mime_of(ex.resp_headers)
        decoded, problem = _decode(ex.raw_body, ex.resp_headers)
        content: dict = {"size": len(decoded), "mimeType": mime}
        if len(decoded) != len(ex.raw_body) and problem is None:
            content["compression"] = len(decoded) - len(ex.raw_body)
        ext: dict = {}
        text = None
        if problem is None and _textual(mime):
            try:
                text = decoded.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        if text is not None:
            content["text"], found = m.body(text, "response.body")
            masked += found
        elif not decoded:
            pass
        elif self.o.keep_documents or not m.enabled:
            content["text"], content["encoding"] = base64.b64encode(decoded).decode(), "base64"
            if problem:
                content["comment"] = problem
        else:
            content["comment"] = (f"{len(decoded)} bytes of {mime or 'binary data'} omitted: documents carry "
                                  "customers' names and addresses (record them with --keep-documents)")
            ext["omitted"] = True
            masked.append(f"response.body ({mime or 'binary'}, {len(decoded)} bytes) omitted")
        done = time.monotonic()
        wait_s = (ex.t_wait or done) - ex.t0
        if masked:
            ext["masked"] = masked
        for key, value in (("proxyError", ex.proxy_error), ("incomplete", ex.incomplete)):
            if value:
                ext[key] = value
        if rewrote:
            ext["rewroteLinks"] = f"{self.upstream} -> {ex.proxy_base} in the answer the client got"
        location = next((v for k, v in ex.resp_headers if k.lower() == "location"), "")
        entry = {"startedDateTime": ex.started, "time": round((done - ex.t0) * 1000, 3), "request": request,
                 "response": {"status": ex.status, "statusText": ex.reason, "httpVersion": "HTTP/1.1", "cookies": [],
                              "headers": har_headers(resp_headers), "content": content, "redirectURL": location,
                              "headersSize": -1, "bodySize": len(ex.raw_body)},
                 "cache": {}, "timings": {"send": 0, "wait": round(wait_s * 1000, 3),
                                          "receive": round((done - ex.t0 - wait_s) * 1000, 3)}}
        if ext:
            entry[EXT] = ext
        if ex.incomplete:
            entry["comment"] = f"INCOMPLETE: {ex.incomplete}"
        ex.masked = masked
        return entry

    def _log(self, ex: _Exchange) -> None:
        q = f"?{self.masker.query(ex.query, '')[0]}" if ex.query else ""
        line = f"{ex.method} {ex.path}{q} -> {ex.status} ({(time.monotonic() - ex.t0) * 1000:.0f} ms)"
        if ex.proxy_error:
            line += f" [proxy: {ex.proxy_error}]"
        if ex.incomplete:
            line += f" [INCOMPLETE: {ex.incomplete}]"
        if self.o.list_masked and ex.masked:
            line += "\n    masked: " + "; ".join(ex.masked)
        self.o.log(line)


class _Tracked:
    """The answer's body as the server iterates it; `close()` (called by the server once the last byte is
    written, or the connection dropped) ends the exchange, so a shutdown waits for the client's answer too."""

    def __init__(self, body, done: Callable[[], None]) -> None:
        self._body, self._done, self._closed = body, done, False

    def __iter__(self):
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            if not self._closed:
                self._closed = True
                self._done()


@dataclass
class _Exchange:
    started: str
    t0: float
    method: str
    path: str
    query: str
    url: str
    req_headers: list[tuple[str, str]]
    req_body: bytes
    proxy_base: str
    http_version: str
    status: int = 0
    reason: str = ""
    resp_headers: list[tuple[str, str]] = field(default_factory=list)
    raw_body: bytes = b""
    t_wait: float | None = None
    proxy_error: str | None = None
    incomplete: str | None = None
    masked: list[str] = field(default_factory=list)


def _reason(exc: BaseException) -> str:
    """The innermost cause, in a line ("Connection refused"), not urllib3's nested repr."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out", "Connection reset",
                   "Response ended prematurely", "IncompleteRead", "Connection broken"):
        if marker in text:
            return marker.lower() if marker != "IncompleteRead" else "incomplete read"
    return text.splitlines()[0][:200] if text else type(exc).__name__
