"""ERPs in a VMS scenario: the seller's ERP under test (`--erp-cmd`, `--erp-url`) or the harness's stand-in.

Whichever it is, an ERP gets the same facts (the ERP environment): AJIO_ERP_BASE_URL (the simulator's
`/ajio-vms`, where it posts B2B invoices and credit notes), AJIO_ERP_USERNAME / AJIO_ERP_PASSWORD (the
seed 002 `authUsername` / `authPassword`: the VMS POB's id and API password), AJIO_ERP_EINVOICE_MODEL
(`erp` | `rms`), AJIO_ERP_RETURN_MODEL (`credit_note` | `rsi`), AJIO_CLOCK_URL (the simulated clock) and,
for a command, AJIO_ERP_PORT (where to listen; the simulator posts to http://127.0.0.1:PORT/postings) and
AJIO_ERP_STATE_DIR (its private directory, kept across a restart within the scenario).

A provider is asked twice per seller: `prepare(name)` gives the URL the seller is created with (the
simulator posts there), `start(name, env)` brings the ERP up for that seller once the POB exists.
"""
from __future__ import annotations

import os
import random
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from harness.connectors import Outcome, _kill_group, _tail
from harness.world import StepFailed
from simulator.embedded import POLL_S  # the server loop's shutdown check

READY_TIMEOUT_S = 20.0
SETUP_EVENT = "SETUP"  # X-Ajio-Sim-Event of the harness's setup call to an --erp-url ERP


def erp_env(base_url: str, pob: dict, settings: dict, state_dir: Path) -> dict[str, str]:
    return {"AJIO_ERP_BASE_URL": f"{base_url}/ajio-vms", "AJIO_ERP_USERNAME": pob["pob_id"],
            "AJIO_ERP_PASSWORD": pob["password"],
            "AJIO_ERP_EINVOICE_MODEL": settings.get("einvoice_model", "erp"),
            "AJIO_ERP_RETURN_MODEL": settings.get("return_model", "credit_note"),
            "AJIO_CLOCK_URL": f"{base_url}/_sim/clock", "AJIO_ERP_STATE_DIR": str(state_dir)}


LOWEST_PORT = 10_000
_ports = random.SystemRandom()  # not the seeded `random`: parallel runs seeded alike must not pick alike


def _ephemeral_low(path: str = "/proc/sys/net/ipv4/ip_local_port_range") -> int:
    """The first port of the kernel's ephemeral range (Linux; 32768, its default, elsewhere)."""
    try:
        with open(path, encoding="ascii") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A port for an ERP command to listen on, drawn at random below the kernel's ephemeral range and free now.
    Not bind(0): that gives a port of the ephemeral range, which any server started with port 0 (a parallel run's
    simulator, another ERP) may be handed while the ERP is down for a restart (`erp: {kill_at}`, `restart_erp`);
    the ERP then cannot come back on its port (seen once in a 3-worker test run)."""
    high = _ephemeral_low()
    for _ in range(100):
        port = _ports.randrange(LOWEST_PORT, max(LOWEST_PORT + 1, high))
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:  # the range below is full: the kernel's choice
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class ErpProcess:
    """One ERP command for one seller: started, stopped (SIGTERM to its group), restarted on the same port."""

    def __init__(self, command: str, env: dict[str, str], port: int) -> None:
        self.command, self.env, self.port = command, env, port
        self.log_path = Path(env["AJIO_ERP_STATE_DIR"]) / "erp-output.log"
        self.proc: subprocess.Popen | None = None
        self.started = time.monotonic()

    def start(self) -> None:
        self._wait_port_free()
        log = open(self.log_path, "a", encoding="utf-8", errors="replace")
        self.proc = subprocess.Popen(self.command, shell=True, env={**os.environ, **self.env}, stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not _listening(self.port):
            if self.proc.poll() is not None:
                raise StepFailed(f"the ERP command exited ({self.proc.returncode}) before listening on port "
                                 f"{self.port}: {self.output()[-800:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise StepFailed(f"the ERP command did not listen on AJIO_ERP_PORT={self.port} within "
                                 f"{READY_TIMEOUT_S:.0f} s: {self.output()[-800:]}")
            time.sleep(0.05)

    def _wait_port_free(self) -> None:
        """Before a (re)start: nothing listens on the port any more. Otherwise the readiness check below would take
        a listener the stopped ERP left (its process still exiting) for the new one, and the next posting would
        be refused once it is gone."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while _listening(self.port):
            if time.monotonic() > deadline:
                raise StepFailed(f"port {self.port} (AJIO_ERP_PORT) is still taken {READY_TIMEOUT_S:.0f} s after "
                                 "the ERP was stopped (another process listens there): the ERP cannot be started "
                                 "again on its port")
            time.sleep(0.05)

    @property
    def pgid(self) -> int | None:
        """Its process group (started in a session of its own): what `erp: {kill_at}` kills."""
        return self.proc.pid if self.proc is not None else None

    def note(self, line: str) -> None:
        """A line of the harness's in the ERP's output (where it was killed), as the connector's output gets it."""
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(line.rstrip("\n") + "\n")

    def output(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> Outcome:
        code = -1
        if self.proc is not None:
            code = self.proc.poll()
            if code is None:
                _kill_group(self.proc, sig=15)
                code = self.proc.returncode
            self.proc = None
        return Outcome(code if code is not None else -1, time.monotonic() - self.started, _tail(self.output()))


class ErpCommand:
    """`--erp-cmd CMD`: the seller's ERP as a command the harness starts per seller and scenario."""

    def __init__(self, command: str) -> None:
        self.command = command

    def describe(self) -> str:
        return f"ERP command: {self.command}"

    def open(self) -> "_CommandSession":
        return _CommandSession(self.command)


class _CommandSession:
    """The ERP processes of one scenario (scenarios may run in parallel: each has its own)."""

    supports_kill = True  # erp: {kill_at}: its process group can be SIGKILLed at a call (harness/killswitch.py)

    def __init__(self, command: str) -> None:
        self.command = command
        self.ports: dict[str, int] = {}
        self.procs: dict[str, ErpProcess] = {}

    def prepare(self, name: str) -> str:
        self.ports[name] = free_port()
        return f"http://127.0.0.1:{self.ports[name]}/postings"

    def start(self, name: str, env: dict[str, str]) -> None:
        proc = ErpProcess(self.command, {**env, "AJIO_ERP_PORT": str(self.ports[name])}, self.ports[name])
        self.procs[name] = proc
        proc.start()

    def restart(self, name: str) -> Outcome:
        """Stopped (SIGTERM; a killed one is only reaped) and started again on its port, its state dir kept: the
        outcome of the process that ended."""
        outcome = self.procs[name].stop()
        self.procs[name].start()
        return outcome

    def pgid(self, name: str) -> int | None:
        return self.procs[name].pgid

    def note(self, name: str, line: str) -> None:
        self.procs[name].note(line)

    def stop_all(self) -> dict[str, Outcome]:
        return {name: proc.stop() for name, proc in self.procs.items()}


class ErpUrl:
    """`--erp-url URL`: an ERP service a team runs; every seller's postings go to URL.

    Before the scenario's first step the harness POSTs each seller's ERP environment (JSON) to URL with
    the header `X-Ajio-Sim-Event: SETUP`; the service keeps one tenant per AJIO_ERP_USERNAME and tells the
    postings apart by their `partnerLocationCode` (the POB id). A non-2xx answer ends the scenario as an error."""

    def __init__(self, url: str) -> None:
        self.url = url

    def describe(self) -> str:
        return f"ERP service: {self.url}"

    def open(self) -> "ErpUrl":
        return self

    def prepare(self, name: str) -> str:
        return self.url

    def start(self, name: str, env: dict[str, str]) -> None:
        try:
            r = requests.post(self.url, json=env, headers={"X-Ajio-Sim-Event": SETUP_EVENT}, timeout=30)
        except requests.RequestException as exc:
            raise StepFailed(f"the ERP service at {self.url} cannot be reached for its setup: {exc}") from None
        if not r.ok:
            raise StepFailed(f"the ERP service at {self.url} answered {r.status_code} to its setup: {r.text[:300]}")

    def restart(self, name: str) -> None:
        raise StepFailed("an --erp-url ERP runs outside the harness: a scenario cannot restart it (use --erp-cmd)")

    def stop_all(self) -> dict[str, Outcome]:
        return {}


class ErpGateway:
    """Between the simulator and every ERP of a scenario (under test or stand-in): each ERP gets a port of its
    own where postings are forwarded to it and its answer handed back, unless the scenario says the ERP is
    unreachable (the port refuses connections, as a host whose ERP is down does: the simulator knows the ERP
    never read the posting) or that answers are lost (the posting reaches the ERP, its answer never reaches
    AJIO: the simulator retries the same messageId, seed 004)."""

    def __init__(self, observer=None) -> None:
        # observer(name, posting bytes, ERP's status, answer lost, answer bytes): told of every posting that
        # reached the gateway (`ajio-sim soak` follows what the ERP under test was sent and answered).
        self.routes: dict[str, dict] = {}
        self.observer = observer

    def _handler(self, name: str) -> type[BaseHTTPRequestHandler]:
        route, observer = self.routes[name], self.observer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "x-ajio-sim-event")}
                try:
                    r = requests.post(route["target"], data=raw, headers=headers, timeout=60)
                    status, body, ctype = r.status_code, r.content, r.headers.get("Content-Type", "application/json")
                except requests.RequestException as exc:
                    status, body, ctype = 502, f"ERP unreachable: {exc}".encode(), "text/plain"
                lost = route["lose"] > 0
                if observer is not None:
                    observer(name, raw, status, lost, body)
                if lost:
                    route["lose"] -= 1
                    self.close_connection = True
                    return  # the ERP processed it; its answer is lost on the way back
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def _listen(self, name: str, port: int) -> None:
        route = self.routes[name]
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), self._handler(name))
        except OSError as exc:
            raise StepFailed(f"ERP {name}: cannot listen again on 127.0.0.1:{port} ({exc}); another process took "
                             "the port while the ERP was unreachable") from exc
        route["server"], route["port"] = server, server.server_port
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_S},
                         name=f"erp-gateway-{name}", daemon=True).start()

    def _unlisten(self, name: str) -> None:
        server = self.routes[name].pop("server", None)
        if server is not None:
            server.shutdown()
            server.server_close()

    def route(self, name: str, target: str) -> str:
        self.routes[name] = {"target": target, "lose": 0}
        self._listen(name, 0)
        return f"http://127.0.0.1:{self.routes[name]['port']}/{name}"

    def set(self, name: str, *, reachable: bool | None = None, lose_answers: int | None = None) -> None:
        route = self.routes[name]
        if reachable is False:
            self._unlisten(name)
        elif reachable is True and "server" not in route:
            self._listen(name, route["port"])
        if lose_answers is not None:
            route["lose"] = lose_answers

    def close(self) -> None:
        for name in list(self.routes):
            self._unlisten(name)

