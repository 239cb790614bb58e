"""The simulator as the harness sees it: a control-plane client (the in-process server is simulator/embedded.py)."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import requests
from werkzeug.test import EnvironBuilder, run_wsgi_app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class StepFailed(RuntimeError):
    """A world step the simulator refused: the scenario cannot go on. The runner decides whether the
    script or the connector is to blame (a 409 after the connector ran: the connector left an order in
    a state the world cannot move from, a failure); `status` and `body` are the control plane's answer."""

    def __init__(self, message: str, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body if isinstance(body, dict) else {}


class Control:
    """JSON calls to `/_sim`; a refusal raises StepFailed with the simulator's own message.

    `wsgi`: the app of a simulator in this process (InProcessServer.wsgi). Its control calls are then handed to the
    app directly, as werkzeug's test client hands them, not sent over HTTP: the same app, views and answers, without a
    socket, an HTTP client and a server thread for each. Those made about a sixth of a scenario's harness-side CPU
    (benchmarks/README.md). The connector's and the ERP's calls still go over HTTP, through the server."""

    def __init__(self, base_url: str, admin_token: str | None = None, wsgi=None) -> None:
        self.base_url = base_url.rstrip("/")
        self.wsgi = wsgi
        self.headers = {"X-Admin-Token": admin_token} if admin_token else {}
        self.session = requests.Session()
        # A simulator on this machine is never reached through a proxy: without the environment's proxy settings
        # requests also stops reading them at every call (about a tenth of a scenario's harness time).
        self.session.trust_env = urlsplit(self.base_url).hostname not in LOOPBACK
        self.session.headers.update(self.headers)

    def send(self, method: str, path: str, *, json: Any = None, data: bytes | None = None,
              params: dict | None = None, headers: dict | None = None) -> Answer:
        """One call to `/_sim{path}` (the query may be in `path` or `params`); StepFailed when none answers."""
        if self.wsgi is None:
            try:
                r = self.session.request(method, f"{self.base_url}/_sim{path}", json=json, data=data, params=params,
                                         headers=headers, timeout=60)
            except requests.RequestException as exc:
                raise StepFailed(f"cannot reach the simulator at {self.base_url}: {exc}") from None
            return Answer(r.status_code, r.content)
        builder = EnvironBuilder(path=f"/_sim{path}", base_url=self.base_url, method=method, json=json, data=data,
                                 query_string=params, headers={**self.headers, **(headers or {})})
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        body, status, _ = run_wsgi_app(self.wsgi, environ, buffered=True)
        try:
            return Answer(int(status.split(" ", 1)[0]), b"".join(body))
        finally:
            if hasattr(body, "close"):
                body.close()

    def call(self, method: str, path: str, body: Any = None, expect: int | None = None) -> Any:
        r = self.send(method, path, json=body)
        ok = r.status_code == expect if expect is not None else r.ok
        if not ok:
            raise StepFailed(f"{method} /_sim{path} answered {r.status_code}: {r.text[:400]}", r.status_code,
                             r.data())
        return r.json() if r.content else None

    def post_csv(self, path: str, data: bytes, params: dict, expect: int | None = None) -> Any:
        """A CSV body (a seller's catalogue file) instead of JSON."""
        r = self.send("POST", path, data=data, params=params, headers={"Content-Type": "text/csv"})
        if (r.status_code != expect) if expect is not None else not r.ok:
            raise StepFailed(f"POST /_sim{path} (CSV) answered {r.status_code}: {r.text[:400]}")
        return r.json() if r.content else None

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def journal(self, pob_id: str) -> list[dict]:
        """Every journal entry of a POB, oldest first (paged by id, so long scenarios lose nothing)."""
        out: list[dict] = []
        after = 0
        while True:
            page = self.get(f"/journal?pob_id={pob_id}&after_id={after}&limit=5000")["entries"]
            out.extend(page)
            if len(page) < 5000:
                return out
            after = page[-1]["id"]

    def all_orders(self, pob_id: str) -> list[dict]:
        out, page = [], 0
        while True:
            block = self.get(f"/orders?pob_id={pob_id}&page={page}&size=50")
            out.extend(block["orders"])
            if page + 1 >= block["page"]["totalPages"]:
                return out
            page += 1

    def close(self) -> None:
        self.session.close()


class Answer:
    """The control plane's answer: status and body."""

    __slots__ = ("status_code", "content")

    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code, self.content = status_code, content

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)

    def data(self) -> Any:
        """The body as JSON, None when it is not JSON."""
        try:
            return self.json()
        except ValueError:
            return None

