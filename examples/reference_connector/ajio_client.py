"""A small AJIO API client: login, token renewal, retries and paging, on Python's standard library only.

Everything here follows the pinned API (shared/API.md): `POST /ds/authToken` gives a token that lives
30 minutes and cannot be refreshed, calls carry it in the `apiKey` header, lists page Spring-style
(`page` from 0, `size` at most 50, `page.totalPages`).

The HTTP transport is `http.client` with one kept-alive connection per host (`Http`), not `requests`: the
connector is a process per sync, and importing `requests` (urllib3, charset detection, idna, certifi) cost
three times the CPU of starting Python, more than most syncs spend on their calls. The connector needs no
package beyond Python 3.11.
"""
from __future__ import annotations

import http.client
import json as jsonlib
import os
import select
import time
from typing import Any, Callable, Iterator
from urllib.parse import urlencode, urlsplit

PAGE_SIZE = 50  # AJIO's maximum page size


class Request:
    """What an answer says of the call it answers (for messages): the method and the path with its query."""

    def __init__(self, method: str, path_url: str) -> None:
        self.method = method
        self.path_url = path_url


class Response:
    """One answer, read whole: status, headers (looked up case-insensitively), body."""

    def __init__(self, request: Request, status: int, headers: http.client.HTTPMessage, content: bytes) -> None:
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


class Http:
    """HTTP/1.1 calls with one kept-alive connection per host, like a browser or `requests.Session`.

    A kept connection the server has closed meanwhile (it is readable while no call is in flight) is
    replaced before it is used; any failure during a call closes it, and the caller decides on a retry."""

    def __init__(self, user_agent: str = "ajio-reference-connector") -> None:
        self.user_agent = user_agent
        self.connections: dict[tuple[str, str], http.client.HTTPConnection] = {}
        self.proxied: set[tuple[str, str]] = set()  # plain-HTTP hosts reached through a proxy: sent whole URLs

    def _connection(self, scheme: str, netloc: str, host: str, port: int | None,
                    timeout: float) -> http.client.HTTPConnection:
        key = (scheme, netloc)
        conn = self.connections.get(key)
        if conn is not None and conn.sock is not None and select.select([conn.sock], [], [], 0)[0]:
            conn.close()  # closed by the server while idle (or it sent what nobody asked for)
        if conn is None:
            proxy = proxy_for(scheme, host)
            if scheme == "https":
                import ssl  # only for HTTPS: importing it costs a start-up what a call to a local AJIO costs
                context = ssl.create_default_context()
                if proxy:
                    conn = http.client.HTTPSConnection(*proxy, timeout=timeout, context=context)
                    conn.set_tunnel(host, port)
                else:
                    conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
            else:
                conn = http.client.HTTPConnection(*(proxy or (host, port)), timeout=timeout)
                if proxy:
                    self.proxied.add(key)
            self.connections[key] = conn
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def request(self, method: str, url: str, *, params: dict | None = None, json: Any = None,
                headers: dict | None = None, timeout: float = 60) -> Response:
        """One call; OSError or http.client.HTTPException when no whole answer came (the connection is then
        closed). `params` is the query (None values left out, lists repeated); `json` the body, as JSON."""
        parts = urlsplit(url)
        path = parts.path or "/"
        query = [parts.query] if parts.query else []
        if params:
            query.append(urlencode({k: v for k, v in params.items() if v is not None}, doseq=True))
        path_url = path + ("?" + "&".join(q for q in query if q) if any(query) else "")
        send_headers = {"User-Agent": self.user_agent, "Accept": "*/*", **(headers or {})}
        body = None
        if json is not None:
            body = jsonlib.dumps(json).encode()
            send_headers["Content-Type"] = "application/json"
        elif method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            body = b""
        conn = self._connection(parts.scheme, parts.netloc, parts.hostname or "", parts.port, timeout)
        proxied = (parts.scheme, parts.netloc) in self.proxied
        target = f"{parts.scheme}://{parts.netloc}{path_url}" if proxied else path_url
        try:
            conn.request(method, target, body=body, headers=send_headers)
            answer = conn.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            raise
        return Response(Request(method, path_url), answer.status, answer.headers, content)

    def close(self) -> None:
        for conn in self.connections.values():
            conn.close()
        self.connections.clear()


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


# Transport failures worth a retry: no connection, the connection reset or dropped, no answer in time, or the
# body arrived cut (http.client's IncompleteRead, RemoteDisconnected, BadStatusLine are HTTPExceptions).
TRANSIENT = (OSError, http.client.HTTPException)


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
        up when it is longer than MAX_RETRY_AFTER_S: the next sync comes back. 5xx: Retry-After when
        given, else exponential backoff."""
        announced = self.retry_after_seconds(response.headers.get("Retry-After"))
        if response.status_code == 429:
            wait = 1.0 if announced is None else announced
            return wait + 0.05 if wait <= self.MAX_RETRY_AFTER_S else None
        if announced is not None:
            return min(announced, self.MAX_RETRY_AFTER_S) + 0.05
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
              parse: bool = True, headers: dict | None = None) -> Response:
        """One call: 401 -> log in again once; 429/5xx/transport failures/unparsable 2xx -> bounded retries.

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
                    try:
                        r.json()  # a cut, empty or malformed body is as good as no answer
                    except ValueError as exc:
                        problem = exc
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
        r = self._send(method, url, {"json": json, "params": params}, parse=not raw, headers=headers)
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
