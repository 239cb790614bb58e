"""The wire between the connector and the in-process simulator, as a proxy would see it (a WSGI tap).

The journal records what the simulator decided; some invariants need what only the wire shows: the
wall-clock instant of each call (was Retry-After waited?), the token it carried (was an expired one
used again after a 401?) and the whole body of a manifest (the journal clips long bodies). The tap
wraps the server's WSGI application: it reads nothing of the simulator's insides, adds no network hop,
and measures what each request cost the simulator (wall and thread CPU time), which is how the soak
tells the simulator's time from the connector's.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import time
from dataclasses import dataclass, field

# Request bodies the invariants read (they are small): acknowledgement/cancel, manifest, inventory, RTO, QC.
_KEEP_REQUEST = re.compile(
    r"^/(ds|jit|vms)/(orders|orders/dispatch|updateInventory|return/rto|returns/[^/]+/qc|orders/[^/]+/cancel|manifests"
    r"|returns/rto)$|^/ajio-vms/(b2bInvoice|creditNote)/posting$")   # ... and an ERP's e-invoices and credit notes
# Answers kept whole: those of the bodies above (which lines succeeded, the manifest's URL), and every
# refusal or failure (their rule ids and codes).
_KEEP_ANSWER = _KEEP_REQUEST
# ... and of reads whose content an invariant needs: which returns a JIT returns pull listed.
_KEEP_READ = re.compile(r"^/jit/returns$")
MAX_KEPT = 2_000_000
# A posting of the ERP's that failed (no answer, a 5xx, a 429) is owed again (seed 002: "If Status Code is other than
# 200 then Client has to retry"): the soak waits up to this many wall seconds (past any Retry-After) for the retry, so a
# retry's document is judged in the tick it belongs to, not lost past the soak's end. Not grounded: the reference ERP's
# backoff tops out at 4 s.
ERP_RETRY_WAIT_S = 5.0


@dataclass(slots=True)
class Call:
    """One request on the wire and its answer."""
    seq: int
    tick: int
    wall: float                 # time.monotonic() when the request arrived
    method: str
    path: str
    query: str
    status: int                 # 0: no answer (the connection was reset or cut)
    token: str | None           # a short fingerprint of the apiKey header, never the token itself
    retry_after: str | None
    server_s: float             # wall seconds inside the simulator
    server_cpu_s: float         # CPU seconds of the serving thread
    request_body: bytes | None = None
    answer: bytes | None = None
    error_code: str | None = None
    rule_id: str | None = None
    cut: bool = False           # the answer's body was cut on the wire
    bad_body: bool = False      # an answer no JSON parser accepts (an empty, cut or malformed body)

    @property
    def ajio(self) -> bool:
        """A call of AJIO's API (the connector's), not of the control plane nor of the ERP layer (the soak's
        stand-in ERP posts to /ajio-vms)."""
        return not self.path.startswith(("/_sim", "/ajio-vms"))

    def json_body(self) -> object:
        try:
            return json.loads(self.request_body or b"null")
        except ValueError:
            return None

    def json_answer(self) -> object:
        try:
            return json.loads(self.answer or b"null")
        except ValueError:
            return None


@dataclass
class Tap:
    """Wraps a WSGI app; `calls` grows with every request (thread-safe), `tick` is set by the soak."""
    app: object
    tick: int = 0
    # While a fault that spoils JSON answers may strike, every answer is parsed to tell which did.
    check_bodies: bool = False
    calls: list[Call] = field(default_factory=list)
    in_flight: int = 0
    last_activity: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = 0
        self._erp_in_flight = 0                 # ERP-layer calls (/ajio-vms) in flight, and when the last ended
        self._erp_last = time.monotonic()
        self._erp_hold_until = 0.0              # an ERP told to wait (429 Retry-After) is busy until then
        self._erp_retry_owed: dict[tuple, float] = {}   # (path, order or return) -> wall time its retry is awaited to

    def __call__(self, environ, start_response):
        started, cpu0 = time.monotonic(), time.thread_time()
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        erp = path.startswith("/ajio-vms/")
        with self._lock:
            self.in_flight += 1
            self._seq += 1
            seq = self._seq
            if erp:
                self._erp_in_flight += 1
        body = None
        if method == "POST" and _KEEP_REQUEST.match(path):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if 0 < length <= MAX_KEPT:
                body = environ["wsgi.input"].read(length)
                environ["wsgi.input"] = io.BytesIO(body)
        seen: dict = {}

        def _start(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0] or 0)
            seen["retry_after"] = next((v for k, v in headers if k.lower() == "retry-after"), None)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        def finish(chunks: list[bytes], cut: bool) -> None:
            token = environ.get("HTTP_APIKEY")
            call = Call(seq, self.tick, started, method, path, environ.get("QUERY_STRING", ""),
                        seen.get("status", 0),
                        hashlib.blake2b(token.encode(), digest_size=6).hexdigest() if token else None,
                        seen.get("retry_after"), time.monotonic() - started, time.thread_time() - cpu0,
                        request_body=body, cut=cut)
            keep = call.status >= 400 or (method == "POST" and _KEEP_ANSWER.match(path)) or (
                method == "GET" and _KEEP_READ.match(path))
            if keep or (self.check_bodies and 200 <= call.status < 300 and not path.startswith("/documents/")):
                data = b"".join(chunks)
                try:
                    answer = json.loads(data)
                except ValueError:  # spoiled on purpose (a fault), or not JSON: the connector cannot read it
                    answer, call.bad_body = None, True
                if keep:
                    call.answer = data
                if isinstance(answer, dict) and call.status >= 400:
                    call.error_code = answer.get("error_code")
                    call.rule_id = answer.get("rule_id")
            with self._lock:
                self.calls.append(call)
                self.in_flight -= 1
                self.last_activity = time.monotonic()
                if erp:
                    self._erp_in_flight -= 1
                    self._erp_last = self.last_activity
                    try:
                        wait = float(call.retry_after) if call.status == 429 and call.retry_after else 0.0
                    except ValueError:
                        wait = 0.0
                    self._erp_hold_until = max(self._erp_hold_until, self.last_activity + wait)
                    key = (path, _erp_subject(call))
                    if call.status in (0, 429) or call.status >= 500 or call.cut:
                        self._erp_retry_owed[key] = self.last_activity + wait + ERP_RETRY_WAIT_S
                    else:
                        self._erp_retry_owed.pop(key, None)

        try:
            result = self.app(environ, _start)
        except (ConnectionResetError, ConnectionAbortedError):
            finish([], True)  # a reset: the connection is gone before any answer
            raise
        except BaseException:
            finish([], False)
            raise
        return self._stream(result, finish)

    @staticmethod
    def _stream(result, finish):
        """Pass the answer through as the app yields it (a cut on the wire stays a cut), then record it."""
        chunks: list[bytes] = []
        cut = False
        try:
            for chunk in result:
                chunks.append(chunk)
                yield chunk
        except (ConnectionResetError, ConnectionAbortedError):
            cut = True
            raise
        finally:
            if hasattr(result, "close"):
                result.close()
            finish(chunks, cut)

    def drain(self) -> list[Call]:
        """The calls recorded since the last drain (the soak checks them tick by tick, then lets them go)."""
        with self._lock:
            calls, self.calls = self.calls, []
        return calls

    def erp_idle_for(self) -> float:
        """Seconds since the last ERP-layer call (/ajio-vms) ended, 0 while one is in flight."""
        with self._lock:
            now = time.monotonic()
            return 0.0 if self._erp_in_flight or now < self._erp_hold_until else now - max(self._erp_last,
                                                                                          self._erp_hold_until)

    def erp_retries_owed(self) -> int:
        """ERP postings that failed and have not come again yet, still within ERP_RETRY_WAIT_S."""
        with self._lock:
            now = time.monotonic()
            self._erp_retry_owed = {k: until for k, until in self._erp_retry_owed.items() if until > now}
            return len(self._erp_retry_owed)

    def idle_for(self) -> float:
        """Seconds since the last request ended, 0 while one is in flight."""
        with self._lock:
            return 0.0 if self.in_flight else time.monotonic() - self.last_activity


def _erp_subject(call: Call) -> str:
    """What an ERP posting is about, whatever its document number (a retry may wrongly carry a new one): the B2B
    PO an e-invoice is for, the return a credit note is for."""
    body = call.json_body()
    if not isinstance(body, dict):
        return ""
    return str(body.get("forwardPurchaseOrder") or body.get("returnOrderId") or "")
