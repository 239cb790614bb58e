"""Client bugs every model shares (auth, retries, paging, documents): each an AjioClient with ONE bug planted."""
from __future__ import annotations

from ajio_client import AjioClient, AjioError


class StickyTokenClient(AjioClient):
    """Logs in once and keeps the token for ever: the 30-minute expiry is ignored."""
    TOKEN_MAX_AGE_S = float("inf")
    RELOGIN_ON_401 = False


class LoginEveryCallClient(AjioClient):
    """Logs in before every call, 'to be safe'."""

    def _token(self) -> str:
        self.login()
        return self.token


class NoRetryClient(AjioClient):
    """A 503 is final for this sync."""
    RETRIES = 0


class RetryAfterIgnoringClient(AjioClient):
    """Retries a 429 after its own 50 ms, never reading Retry-After."""

    def retry_wait(self, response, attempt: int) -> float | None:
        return 0.05


class ResetIsFinalClient(AjioClient):
    """Retries 429 and 5xx answers, but a reset connection (no answer at all) ends the call."""
    TRANSPORT_RETRIES = 0


class RetriesForeverClient(AjioClient):
    """Retries a failing call fifty times, almost without pause: AJIO down means hammering it."""
    RETRIES = 50
    MAX_BACKOFF_S = 0.01

    def retry_wait(self, response, attempt: int) -> float | None:
        return 0.01


class Retries4xxClient(AjioClient):
    """Treats every refusal like a 5xx: a 403 or a 409 is retried three times in a row."""

    def _send(self, method, url, kwargs, *, auth=True, parse=True, headers=None):
        for attempt in range(3):
            try:
                return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)
            except AjioError as exc:
                if not 400 <= exc.status < 500 or exc.status == 401 or attempt == 2:
                    raise
        raise AssertionError("unreachable")


class FirstPageClient(AjioClient):
    """Reads page 0 of every list and stops: pages beyond the first are never read."""

    def pages(self, path: str, key: str, **params):
        yield from self.get(path, **params, page=0, size=50)[key]


class NoTokenDocumentsClient(AjioClient):
    """Downloads PDFs as plain URLs, without the apiKey header."""

    def document(self, url: str) -> bytes:
        r = self.http.request("GET", url, timeout=60)
        if not r.ok:
            raise AjioError(r)
        return r.content
