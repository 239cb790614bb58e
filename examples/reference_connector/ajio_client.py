"""A small AJIO Dropship API client: login, token renewal, retries and paging, with `requests` only.

Everything here follows the pinned API (shared/API.md): `POST /ds/authToken` gives a token that lives
30 minutes and cannot be refreshed, calls carry it in the `apiKey` header, lists page Spring-style
(`page` from 0, `size` at most 50, `page.totalPages`).
"""
from __future__ import annotations

import time
from typing import Any, Iterator

import requests

PAGE_SIZE = 50  # AJIO's maximum page size


class AjioError(RuntimeError):
    def __init__(self, response: requests.Response) -> None:
        self.status = response.status_code
        try:
            self.body = response.json()
        except ValueError:
            self.body = {"error_message": response.text[:300]}
        self.code = self.body.get("error_code") if isinstance(self.body, dict) else None
        self.retry_after = response.headers.get("Retry-After")
        message = self.body.get("error_message") if isinstance(self.body, dict) else self.body
        super().__init__(f"{response.request.method} {response.request.path_url} -> {self.status} {self.code}: {message}")


class AjioClient:
    # Renew well before AJIO's 30 minutes run out, so a long sync never starts a call on a dying token.
    TOKEN_MAX_AGE_S = 25 * 60
    # The clock can also jump (a sleeping laptop, or a simulator moving time): a 401 means log in again, once.
    RELOGIN_ON_401 = True
    RETRIES = 3              # for 429 / 5xx / dropped connections
    MAX_BACKOFF_S = 5.0

    def __init__(self, base_url: str, username: str, password: str, model: str = "ds") -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.username = username
        self.password = password
        self.session = requests.Session()
        self.token: str | None = None
        self.token_at = 0.0
        self.logins = 0

    # -- auth -------------------------------------------------------------------------------
    def login(self) -> None:
        r = self.session.post(f"{self.base_url}/{self.model}/authToken",
                              json={"username": self.username, "password": self.password}, timeout=30)
        if r.status_code != 200:
            raise AjioError(r)
        self.token = r.json()["result"]["accessToken"]
        self.token_at = time.monotonic()
        self.logins += 1

    def _token(self) -> str:
        if self.token is None or time.monotonic() - self.token_at > self.TOKEN_MAX_AGE_S:
            self.login()
        return self.token

    # -- calls ------------------------------------------------------------------------------
    def request(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
                raw: bool = False) -> Any:
        """One call with the token; 401 -> log in again once; 429/5xx/connection -> bounded retries."""
        url = path if path.startswith("http") else f"{self.base_url}/{self.model}{path}"
        relogged = False
        for attempt in range(self.RETRIES + 1):
            try:
                r = self.session.request(method, url, json=json, params=params, timeout=60,
                                         headers={"apiKey": self._token()})
            except requests.ConnectionError:
                if attempt == self.RETRIES:
                    raise
                time.sleep(min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt))
                continue
            if r.status_code == 401 and self.RELOGIN_ON_401 and not relogged:
                relogged = True
                self.login()
                continue
            if (r.status_code == 429 or r.status_code >= 500) and attempt < self.RETRIES:
                wait = float(r.headers.get("Retry-After", 0.2 * 2 ** attempt))
                time.sleep(min(self.MAX_BACKOFF_S, wait))
                continue
            if not r.ok:
                raise AjioError(r)
            return r.content if raw else r.json()
        raise RuntimeError("unreachable")

    def get(self, path: str, **params) -> Any:
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, json=body)

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
