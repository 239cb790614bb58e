"""A small AJIO API client: login, token renewal, retries and paging, on Python's standard library only.

Everything here follows the pinned API (shared/API.md): `POST /ds/authToken` gives a token that lives
30 minutes and cannot be refreshed, calls carry it in the `apiKey` header, lists page Spring-style
(`page` from 0, `size` at most 50, `page.totalPages`).

The HTTP transport is a small HTTP/1.1 client on `socket` with one kept-alive connection per host (`Http`), not
`requests` nor `http.client`: the connector is a process per sync, and importing `requests` (urllib3, charset
detection, idna, certifi) cost three times the CPU of starting Python, `http.client` (with `email` and `ssl`)
about twice; more than most syncs spend on their calls. The connector needs no package beyond Python 3.11.
"""
from __future__ import annotations

import json as jsonlib
import os
import select
import socket
import time
from urllib.parse import urlencode, urlsplit

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a connector's start 2-4 ms (benchmarks/README.md)
    from typing import Any, Callable, Iterator

PAGE_SIZE = 50  # AJIO's maximum page size


class Request:
    """What an answer says of the call it answers (for messages): the method and the path with its query."""

    def __init__(self, method: str, path_url: str) -> None:
        self.method = method
        self.path_url = path_url


class Response:
    """One answer, read whole: status, headers (looked up case-insensitively), body."""

    def __init__(self, request: Request, status: int, headers: Headers, content: bytes) -> None:
        self.request = request
        self.status_code = status
        self.headers = headers
        self.content = content

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON; ValueError when it is empty, cut or not JSON."""
        return jsonlib.loads(self.content)


def proxy_for(scheme: str, host: str) -> tuple[str, int] | None:
    """The HTTP proxy the environment names for this URL (`https_proxy` / `http_proxy`, `no_proxy` honoured),
    read at each new connection; a loopback host is never proxied."""
    if host in ("localhost", "127.0.0.1", "::1"):
        return None
    skip = os.environ.get("no_proxy", os.environ.get("NO_PROXY", ""))
    for entry in (e.strip().lstrip(".") for e in skip.split(",")):
        if entry == "*" or (entry and (host == entry or host.endswith("." + entry))):
            return None
    proxy = os.environ.get(f"{scheme}_proxy") or os.environ.get(f"{scheme.upper()}_PROXY")
    if not proxy:
        return None
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    return parts.hostname or "", parts.port or 80


def _ascii(host: str) -> str | bytes:
    """A host name for the resolver: as bytes when it is ASCII (every loopback and most real hosts), which spares the
    `idna` codec's import (with `stringprep` and `unicodedata`, 1-3 ms a start) that a `str` host costs."""
    return host.encode("ascii") if host.isascii() else host


class BrokenAnswer(Exception):
    """No whole HTTP answer on a connection that did not fail as a socket: the server closed it before or
    inside the answer, cut the body short of its Content-Length, or sent what is not HTTP/1.x."""


class Headers:
    """An answer's header fields, looked up case-insensitively (repeated fields joined with ", ")."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[str, str]] = {}

    def add(self, name: str, value: str) -> None:
        key = name.lower()
        if key in self._fields:
            value = f"{self._fields[key][1]}, {value}"
        self._fields[key] = (name, value)

    def get(self, name: str, default: str | None = None) -> str | None:
        field = self._fields.get(name.lower())
        return default if field is None else field[1]

    def __getitem__(self, name: str) -> str:
        return self._fields[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._fields

    def items(self) -> list[tuple[str, str]]:
        return list(self._fields.values())


MAX_LINE = 65536  # a status or header line longer than this is not an answer this client reads


class Connection:
    """One kept-alive connection: its socket and a buffered reader over it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = sock.makefile("rb")

    def close(self) -> None:
        try:
            self.reader.close()
        finally:
            self.sock.close()

    def _line(self, where: str) -> bytes:
        line = self.reader.readline(MAX_LINE + 1)
        if not line:
            raise BrokenAnswer(f"the server closed the connection {where}")
        if len(line) > MAX_LINE or not line.endswith(b"\n"):
            raise BrokenAnswer(f"a line {where} is cut or longer than {MAX_LINE} bytes")
        return line

    def read_head(self) -> tuple[str, int, Headers]:
        """The status line and header fields of the next answer (interim 1xx answers skipped)."""
        while True:
            line = self._line("before its answer")
            version, _, rest = line.decode("latin-1").rstrip("\r\n").partition(" ")
            code = rest[:3]
            if not version.startswith("HTTP/1.") or not (code.isdigit() and len(code) == 3 and rest[3:4] in ("", " ")):
                raise BrokenAnswer(f"not an HTTP/1.x status line: {line[:80]!r}")
            headers = Headers()
            while True:
                field = self._line("inside an answer's header")
                if field in (b"\r\n", b"\n"):
                    break
                name, colon, value = field.decode("latin-1").partition(":")
                if not colon or not name.strip() or name != name.strip():
                    raise BrokenAnswer(f"not a header field: {field[:80]!r}")
                headers.add(name, value.strip())
            if not 100 <= int(code) < 200:
                return version, int(code), headers

    def read_body(self, length: int | None, chunked: bool) -> bytes:
        """The body: chunked, Content-Length bytes, or (neither) everything until the server closes."""
        if chunked:
            parts = []
            while True:
                size_line = self._line("inside a chunked body").split(b";", 1)[0].strip()
                try:
                    size = int(size_line, 16)
                except ValueError:
                    raise BrokenAnswer(f"not a chunk size: {size_line[:40]!r}") from None
                if size == 0:
                    while self._line("in a chunked body's trailer") not in (b"\r\n", b"\n"):
                        pass
                    return b"".join(parts)
                parts.append(self._exactly(size))
                if self._line("after a chunk") not in (b"\r\n", b"\n"):
                    raise BrokenAnswer("a chunk longer than its size")
        if length is None:
            return self.reader.read()
        return self._exactly(length)

    def _exactly(self, size: int) -> bytes:
        data = self.reader.read(size)
        if len(data) < size:
            raise BrokenAnswer(f"the body was cut: {len(data)} of {size} bytes came")
        return data


class Http:
    """HTTP/1.1 calls with one kept-alive connection per host, like a browser or `requests.Session`.

    Written on `socket` rather than `http.client`: importing `http.client` (and the `email` and `ssl` packages it
    pulls in) cost a connector process about 40 ms of CPU at each start, half of the whole start, and the
    connector is a process per sync. `ssl` is imported only for an HTTPS URL.

    A kept connection the server has closed meanwhile (it is readable while no call is in flight) is
    replaced before it is used; any failure during a call closes it, and the caller decides on a retry."""

    def __init__(self, user_agent: str = "ajio-reference-connector") -> None:
        self.user_agent = user_agent
        self.connections: dict[tuple[str, str], Connection] = {}
        self.proxied: set[tuple[str, str]] = set()  # plain-HTTP hosts reached through a proxy: sent whole URLs

    def _open(self, scheme: str, netloc: str, host: str, port: int | None, timeout: float) -> Connection:
        key = (scheme, netloc)
        default_port = 443 if scheme == "https" else 80
        proxy = proxy_for(scheme, host)
        address = proxy or (host, port or default_port)
        sock = socket.create_connection((_ascii(address[0]), address[1]), timeout=timeout)
        try:
            if scheme == "https":
                if proxy:
                    _tunnel(sock, host, port or default_port)
                import ssl  # only for HTTPS: importing it costs a start-up what a call to a local AJIO costs
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            elif proxy:
                self.proxied.add(key)
        except BaseException:
            sock.close()
            raise
        return Connection(sock)

    def _connection(self, scheme: str, netloc: str, host: str, port: int | None, timeout: float) -> Connection:
        if scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {scheme}://{netloc}")
        key = (scheme, netloc)
        conn = self.connections.get(key)
        if conn is not None and select.select([conn.sock], [], [], 0)[0]:
            self._drop(key)  # closed by the server while idle (or it sent what nobody asked for)
            conn = None
        if conn is None:
            conn = self.connections[key] = self._open(scheme, netloc, host, port, timeout)
        conn.sock.settimeout(timeout)
        return conn

    def _drop(self, key: tuple[str, str]) -> None:
        conn = self.connections.pop(key, None)
        if conn is not None:
            conn.close()

    def request(self, method: str, url: str, *, params: dict | None = None, json: Any = None,
                headers: dict | None = None, timeout: float = 60) -> Response:
        """One call; OSError or BrokenAnswer when no whole answer came (the connection is then closed).
        `params` is the query (None values left out, lists repeated); `json` the body, as JSON."""
        parts = urlsplit(url)
        path = parts.path or "/"
        query = [parts.query] if parts.query else []
        if params:
            query.append(urlencode({k: v for k, v in params.items() if v is not None}, doseq=True))
        path_url = path + ("?" + "&".join(q for q in query if q) if any(query) else "")
        host = parts.hostname or ""
        netloc = parts.netloc.rpartition("@")[2]
        send_headers = {"Host": netloc, "User-Agent": self.user_agent, "Accept": "*/*",
                        "Accept-Encoding": "identity", **(headers or {})}
        body = None
        if json is not None:
            body = jsonlib.dumps(json).encode()
            send_headers["Content-Type"] = "application/json"
        elif method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            body = b""
        if body is not None:
            send_headers["Content-Length"] = str(len(body))
        fields = "".join(f"{_field(k)}: {_field(v)}\r\n" for k, v in send_headers.items())
        key = (parts.scheme, parts.netloc)
        conn = self._connection(parts.scheme, parts.netloc, host, parts.port, timeout)
        target = f"{parts.scheme}://{parts.netloc}{path_url}" if key in self.proxied else path_url
        head = f"{method} {target} HTTP/1.1\r\n{fields}\r\n"
        try:
            conn.sock.sendall(head.encode("latin-1") + (body or b""))
            version, status, answer_headers = conn.read_head()
            kept = _kept_alive(version, answer_headers)
            if method == "HEAD" or status in (204, 304):
                content = b""
            else:
                chunked = "chunked" in (answer_headers.get("Transfer-Encoding") or "").lower()
                length = answer_headers.get("Content-Length")
                if length is not None and not chunked:
                    if not length.isdigit():
                        raise BrokenAnswer(f"not a Content-Length: {length[:40]!r}")
                    length = int(length)
                kept = kept and (chunked or length is not None)
                content = conn.read_body(None if chunked else length, chunked)
        except (OSError, BrokenAnswer):
            self._drop(key)
            raise
        if not kept:
            self._drop(key)
        return Response(Request(method, path_url), status, answer_headers, content)

    def close(self) -> None:
        for key in list(self.connections):
            self._drop(key)


def _field(text: str) -> str:
    """A header name or value as sent: a line break in it would end the header early (and let a value add
    fields of its own), so it is refused."""
    text = str(text)
    if "\r" in text or "\n" in text:
        raise ValueError(f"a line break in a header: {text[:60]!r}")
    return text


def _kept_alive(version: str, headers: Headers) -> bool:
    """Whether the connection stays open after this answer (HTTP/1.1 unless it says close; 1.0 if it says
    keep-alive)."""
    connection = (headers.get("Connection") or "").lower()
    if version == "HTTP/1.0":
        return "keep-alive" in connection
    return "close" not in connection


def _tunnel(sock: socket.socket, host: str, port: int) -> None:
    """CONNECT through an HTTP proxy to host:port, for HTTPS (the proxy then relays the TLS bytes)."""
    target = f"{host}:{port}"
    sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode("latin-1"))
    conn = Connection(sock)
    _, status, _ = conn.read_head()
    if status != 200:
        raise OSError(f"the proxy refused CONNECT {target}: {status}")
    conn.reader.close()  # the socket stays open for the caller (nothing follows a CONNECT's answer until TLS starts)


class AjioError(RuntimeError):
    def __init__(self, response: Response) -> None:
        self.status = response.status_code
        try:
            self.body = response.json()
        except ValueError:
            self.body = {"error_message": response.text[:300]}
        self.code = self.body.get("error_code") if isinstance(self.body, dict) else None
        self.retry_after = response.headers.get("Retry-After")
        message = self.body.get("error_message") if isinstance(self.body, dict) else self.body
        super().__init__(f"{response.request.method} {response.request.path_url} -> {self.status} {self.code}: {message}")


class AjioUnreachable(AjioError):
    """No usable answer after the retries: a dropped connection, a cut body, or JSON no parser accepts."""

    def __init__(self, method: str, url: str, exc: Exception) -> None:  # noqa: D107 (no response to read)
        RuntimeError.__init__(self, f"{method} {url}: no usable answer after retries: {exc!r}")
        self.status, self.body, self.code, self.retry_after = 0, {}, "UNREACHABLE", None


class AjioThrottled(AjioError):
    """Not sent: AJIO asked this client to wait (Retry-After) longer than it waits in one sync."""

    def __init__(self, method: str, url: str, seconds: float) -> None:  # noqa: D107 (no response to read)
        RuntimeError.__init__(self, f"{method} {url}: not sent, AJIO's Retry-After has {seconds:.0f} s to run")
        self.status, self.body, self.code, self.retry_after = 429, {}, "WAITING_RETRY_AFTER", str(round(seconds))


# Transport failures worth a retry: no connection, the connection reset or dropped, no answer in time, or no
# whole answer (closed before or inside it, the body cut, not HTTP: BrokenAnswer).
TRANSIENT = (OSError, BrokenAnswer)


def unusable(r: Response, parse: bool | str) -> Exception | None:
    """Why a 2xx answer is no answer, or None: JSON no parser accepts, or (parse "pdf") a document that is not a
    whole PDF, emptied, cut short or garbled on the way (found by blind hunt 29: an empty 200 was kept as the
    document and never fetched again)."""
    if parse == "pdf":
        body = r.content
        if body.startswith(b"%PDF-") and b"%%EOF" in body[-64:]:
            return None
        return ValueError(f"not a whole PDF ({len(body)} bytes)")
    try:
        r.json()
    except ValueError as exc:
        return exc
    return None


class AjioClient:
    # Renew well before AJIO's 30 minutes run out, so a long sync never starts a call on a dying token.
    TOKEN_MAX_AGE_S = 25 * 60
    # The clock can also jump (a sleeping laptop, or a simulator moving time): a 401 means log in again, once.
    RELOGIN_ON_401 = True
    RETRIES = 3              # for 429 / 5xx answers
    TRANSPORT_RETRIES = 3    # for no usable answer: reset or dropped connection, cut or malformed body
    MAX_BACKOFF_S = 5.0      # exponential backoff of 5xx and transport failures, capped
    MAX_RETRY_AFTER_S = 30.0  # a longer Retry-After ends this sync's attempts (never retried early)

    def __init__(self, base_url: str, username: str, password: str, model: str = "ds") -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.username = username
        self.password = password
        self.http = Http()
        self.token: str | None = None
        self.token_at = 0.0
        self.logins = 0
        self.writes = 0  # calls sent that may change AJIO's side (not GET), answered or not
        # Called before every call: the connector saves what the changes sent so far recorded (Connector.sync).
        self.before_call = None
        # A Retry-After too long to wait in this sync holds every call until it has run: throttling is per
        # user, so another call now would be as early as the throttled one.
        self.blocked_until = 0.0

    # -- auth -------------------------------------------------------------------------------
    def login(self) -> None:
        """A new token; the login goes through the same retries (it is throttled like any call)."""
        r = self._send("POST", f"{self.base_url}/{self.model}/authToken",
                       {"json": {"username": self.username, "password": self.password}}, auth=False)
        self.token = r.json()["result"]["accessToken"]
        self.token_at = time.monotonic()
        self.logins += 1

    def _token(self) -> str:
        if self.token is None or time.monotonic() - self.token_at > self.TOKEN_MAX_AGE_S:
            self.login()
        return self.token

    # -- calls ------------------------------------------------------------------------------
    @staticmethod
    def retry_after_seconds(value: str | None) -> float | None:
        """Retry-After as seconds: a number (AJIO's form) or an HTTP date (RFC 9110); None if absent or unreadable."""
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        import email.utils  # only for the rare HTTP-date form: importing it costs a connector ~10 ms at each start
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time()) if when.tzinfo else None

    def retry_wait(self, response: Response, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None to give up for this sync.

        429: exactly the announced Retry-After (AJIO counts a call sent earlier against us), or give
        up when it is longer than MAX_RETRY_AFTER_S: the next sync comes back. 5xx: the same when it announces a
        Retry-After, else exponential backoff. (Until blind hunt 31 a 5xx's Retry-After was cut to
        MAX_RETRY_AFTER_S and the call sent again inside the announced wait.)"""
        announced = self.retry_after_seconds(response.headers.get("Retry-After"))
        if response.status_code == 429 and announced is None:
            announced = 1.0
        if announced is not None:
            return announced + 0.05 if announced <= self.MAX_RETRY_AFTER_S else None
        return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)

    def transport_wait(self, attempt: int) -> float:
        """Seconds before retrying a call that got no usable answer (reset, cut or broken body): exponential
        backoff from 0.2 s, capped; never at once (a flapping AJIO is not hammered)."""
        return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)

    def may_retry(self, method: str, failure: Any, attempt: int, limit: int) -> bool:
        """Whether a failed call is tried again: `failure` is the exception (no answer, or a 2xx body no parser
        reads) or the 429/5xx response, `attempt` the retries made so far, at most `limit`."""
        return attempt < limit

    def headers_of_call(self, headers: dict | None, auth: bool) -> Callable[[], dict]:
        """How each attempt of one call gets its headers: built at every attempt, so the attempt after a re-login
        carries the new token."""
        return lambda: {**(headers or {}), **({"apiKey": self._token()} if auth else {})}

    def _send(self, method: str, url: str, kwargs: dict, *, auth: bool = True,
              parse: bool | str = True, headers: dict | None = None) -> Response:
        """One call: 401 -> log in again once; 429/5xx/transport failures/unusable 2xx -> bounded retries. `parse`:
        True, a 2xx must be JSON a parser accepts; "pdf", a whole PDF (a document); False, taken as it comes.

        Retrying a POST is safe: AJIO answers an identical repeat with the first result (docs/faults.md)."""
        relogged = False
        attempt = 0
        headers_now = self.headers_of_call(headers, auth)
        if self.before_call is not None:
            self.before_call()
        if method != "GET":
            self.writes += 1
        while True:
            held = self.blocked_until - time.monotonic()
            if held > 0:
                raise AjioThrottled(method, url, held)
            problem: Exception | None = None
            try:
                r = self.http.request(method, url, timeout=60, **kwargs, headers=headers_now())
            except TRANSIENT as exc:
                problem = exc
            else:
                if r.ok and parse:
                    problem = unusable(r, parse)  # a cut, empty or garbled body is as good as no answer
            if problem is not None:
                if not self.may_retry(method, problem, attempt, min(self.RETRIES, self.TRANSPORT_RETRIES)):
                    raise AjioUnreachable(method, url, problem) from problem
                time.sleep(self.transport_wait(attempt))
                attempt += 1
                continue
            if r.status_code == 401 and auth and self.RELOGIN_ON_401 and not relogged:
                relogged = True
                self.login()
                continue
            if (r.status_code == 429 or r.status_code >= 500) and self.may_retry(method, r, attempt, self.RETRIES):
                wait = self.retry_wait(r, attempt)
                if wait is not None:
                    time.sleep(wait)
                    attempt += 1
                    continue
            if r.status_code == 429:
                announced = self.retry_after_seconds(r.headers.get("Retry-After"))
                self.blocked_until = time.monotonic() + (1.0 if announced is None else announced)
            if not r.ok:
                raise AjioError(r)
            return r

    def request(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
                raw: bool = False, headers: dict | None = None) -> Any:
        """One call with the token, through the retries of `_send`; the JSON answer (or bytes when raw)."""
        url = path if path.startswith("http") else f"{self.base_url}/{self.model}{path}"
        r = self._send(method, url, {"json": json, "params": params}, parse="pdf" if raw else True, headers=headers)
        return r.content if raw else r.json()

    def get(self, path: str, **params) -> Any:
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: Any, headers: dict | None = None) -> Any:
        """`headers`: e.g. an Idempotency-Key, so that a retried call that changes by a delta applies once."""
        return self.request("POST", path, json=body, headers=headers)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, json=body)

    def pages(self, path: str, key: str, **params) -> Iterator[dict]:
        """Every item of a paged list, page after page until page.totalPages."""
        page = 0
        while True:
            answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            yield from answer[key]
            if page + 1 >= answer["page"]["totalPages"]:
                return
            page += 1

    def document(self, url: str) -> bytes:
        """A PDF from a `*_url` / `*Url` of an answer: an absolute URL, fetched with the same apiKey."""
        return self.request("GET", url, raw=True)
