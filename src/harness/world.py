"""The simulator as the harness sees it: a control-plane client (the in-process server is simulator/embedded.py)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests

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
    """JSON calls to `/_sim`; a refusal raises StepFailed with the simulator's own message."""

    def __init__(self, base_url: str, admin_token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # A simulator on this machine is never reached through a proxy: without the environment's proxy settings
        # requests also stops reading them at every call (about a tenth of a scenario's harness time).
        self.session.trust_env = urlsplit(self.base_url).hostname not in LOOPBACK
        if admin_token:
            self.session.headers["X-Admin-Token"] = admin_token

    def call(self, method: str, path: str, body: Any = None, expect: int | None = None) -> Any:
        url = f"{self.base_url}/_sim{path}"
        try:
            r = self.session.request(method, url, json=body, timeout=60)
        except requests.RequestException as exc:
            raise StepFailed(f"cannot reach the simulator at {self.base_url}: {exc}") from None
        ok = r.status_code == expect if expect is not None else r.ok
        if not ok:
            raise StepFailed(f"{method} /_sim{path} answered {r.status_code}: {r.text[:400]}", r.status_code,
                             _json(r))
        return r.json() if r.content else None

    def post_csv(self, path: str, data: bytes, params: dict, expect: int | None = None) -> Any:
        """A CSV body (a seller's catalogue file) instead of JSON."""
        url = f"{self.base_url}/_sim{path}"
        try:
            r = self.session.post(url, data=data, params=params, headers={"Content-Type": "text/csv"}, timeout=60)
        except requests.RequestException as exc:
            raise StepFailed(f"cannot reach the simulator at {self.base_url}: {exc}") from None
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


def _json(r: requests.Response) -> Any:
    try:
        return r.json()
    except ValueError:
        return None

