"""`run_connector: {kill_at: ...}` / `erp: {kill_at: ...}`: the connector process, or the seller's ERP command,
crashes at a chosen call, deterministically.

The scenario's in-process server (simulator/embedded.py) hands every request to `KillSwitch.intercept`
before the app sees it. The nth call of this run from the connector's POB that matches `method` and `path`
(as a `request:` expectation matches: harness.expectations.matches) kills the connector's process group
with SIGKILL, in the request's own thread:

- when: after (the default): AJIO handles the call whole (its change committed, journaled), then the
  connector dies and the answer is never sent: a crash right after AJIO took a write, its answer lost.
- when: before: the connector dies and AJIO never handles the call: a crash just before the write left.

With `body`, a call matches only if its JSON body holds `body` (a subset, as a `request:` expectation's `body`
matches: harness.expectations.matches): an acknowledgement and a seller cancellation are both POST /ds/orders,
and `body: {status: Cancel}` picks the cancellations whatever order the connector calls in. The server reads the
body for the switch before the app does (simulator/embedded.py, "ajio_sim.peek_body"), only for a call whose
method and path already match.

An ERP's switch (target "ERP", `erp: {kill_at}`) counts only the calls that name the POB in `authUsername`
(the ERP layer's credentials, seed 002), never a call carrying an apiKey (the VMS layer of the same POB).

No sleep and no wall clock decides anything: the kill is synchronous with the request, so the run is
the same on any machine.
"""
from __future__ import annotations

import functools
import json
import os
import signal
import threading
import time
from dataclasses import dataclass, field

from contracts.faults import json_subset
from harness.connectors import _group_running
from harness.expectations import matches

GONE_S = 10.0  # how long the request thread waits for the killed group to be gone (it takes milliseconds)


@dataclass
class KillSwitch:
    method: str
    path: str
    nth: int = 1
    when: str = "after"
    body: dict | None = None           # the call's JSON body must hold this (a subset), if given
    pob_id: str | None = None          # only this POB's calls count (the connector's seller)
    pgid: int | None = None            # the connector's (or ERP's) process group, once started
    target: str = "connector"          # what is killed: "connector" (its calls carry an apiKey) or "ERP"
    seen: int = 0                      # matching calls so far in this run
    fired: str | None = None           # what was killed, for the run's record
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def describe(self) -> str:
        return f"{self.what()} (matching call {self.nth}, {self.when} AJIO handled it)"

    def what(self) -> str:
        """What a call must be to count: method and path, and the body's subset if given."""
        aimed = f"{self.method.upper()} {self.path}"
        return aimed if self.body is None else f"{aimed} with body {json.dumps(self.body, sort_keys=True)}"

    def body_matches(self, environ: dict) -> bool:
        """The call's JSON body holds `body` (a subset); a body the server cannot give (chunked) or not JSON does not."""
        peek = environ.get("ajio_sim.peek_body")
        raw = peek() if callable(peek) else None
        if raw is None:
            return False
        try:
            sent = json.loads(raw or b"null")
        except ValueError:
            return False
        return json_subset(self.body, sent)

    def intercept(self, environ: dict, request_pob):
        """The server's hook (simulator/embedded.py): None, "dropped", or a callable to run after the app."""
        if self.fired is not None or self.pgid is None:
            return None
        entry = {"method": environ.get("REQUEST_METHOD", ""), "path": environ.get("PATH_INFO", "")}
        if entry["path"].startswith("/_sim") or not matches(entry, {"method": self.method, "path": self.path}):
            return None
        if self.target == "ERP" and (environ.get("HTTP_APIKEY") or not environ.get("HTTP_AUTHUSERNAME")):
            return None  # not the ERP layer's call: the VMS layer (apiKey) of the same POB, or nobody's
        if self.pob_id is not None and request_pob(environ) != self.pob_id:
            return None
        if self.body is not None and not self.body_matches(environ):
            return None
        with self._lock:
            pgid = self.pgid
            if self.fired is not None or pgid is None:
                return None
            self.seen += 1
            if self.seen != self.nth:
                return None
            aimed = "" if self.body is None else f" with body {json.dumps(self.body, sort_keys=True)}"
            self.fired = (f"{entry['method']} {entry['path']}{aimed} (matching call {self.nth}, {self.when} AJIO "
                          "handled it)")
        if self.when == "before":
            kill(pgid)
            return "dropped"
        after = functools.partial(kill, pgid)
        after.who = self.target   # the server files the lost answer under who was killed (simulator/app.py)
        return after

    def note(self) -> str:
        if self.fired is not None:
            return f"[harness] {self.target} killed (kill_at) at {self.fired}"
        what = "kill_at" if self.target == "connector" else "ERP kill_at"
        return (f"[harness] {what} not reached: {self.seen} call(s) matched {self.what()}, "
                f"fewer than nth {self.nth}; nothing was killed")


def kill(pgid: int) -> None:
    """SIGKILL to the connector's (or ERP's) process group; back once none of it runs any more."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + GONE_S
    while _group_running(pgid) and time.monotonic() < deadline:
        time.sleep(0.005)
