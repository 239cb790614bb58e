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
import socket
import subprocess
import time
from pathlib import Path

import requests

from harness.connectors import Outcome, _kill_group, _tail
from harness.world import StepFailed

READY_TIMEOUT_S = 20.0
SETUP_EVENT = "SETUP"  # X-Ajio-Sim-Event of the harness's setup call to an --erp-url ERP


def erp_env(base_url: str, pob: dict, settings: dict, state_dir: Path) -> dict[str, str]:
    return {"AJIO_ERP_BASE_URL": f"{base_url}/ajio-vms", "AJIO_ERP_USERNAME": pob["pob_id"],
            "AJIO_ERP_PASSWORD": pob["password"],
            "AJIO_ERP_EINVOICE_MODEL": settings.get("einvoice_model", "erp"),
            "AJIO_ERP_RETURN_MODEL": settings.get("return_model", "credit_note"),
            "AJIO_CLOCK_URL": f"{base_url}/_sim/clock", "AJIO_ERP_STATE_DIR": str(state_dir)}


def free_port() -> int:
    with socket.socket() as s:
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

    def set_reachable(self, name: str, reachable: bool) -> None:
        """An ERP that is down refuses connections: stopped, and started again when it comes back."""
        proc = self.procs[name]
        if reachable and proc.proc is None:
            proc.start()
        elif not reachable:
            proc.stop()

    def restart(self, name: str) -> None:
        self.procs[name].stop()
        self.procs[name].start()

    def stop_all(self) -> dict[str, Outcome]:
        return {name: proc.stop() for name, proc in self.procs.items()}


class ErpUrl:
    """`--erp-url URL`: an ERP service a team runs; every seller's postings go to URL.

    Before the scenario's first step the harness POSTs each seller's ERP environment (JSON) to URL with
    the header `X-Ajio-Sim-Event: SETUP`; the service keeps one tenant per AJIO_ERP_USERNAME and tells the
    postings apart by their `channelName` (the POB id). A non-2xx answer ends the scenario as an error."""

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

    def set_reachable(self, name: str, reachable: bool) -> None:
        raise StepFailed("an --erp-url ERP runs outside the harness: it cannot be taken down by a scenario "
                         "(use --erp-cmd)")

    def restart(self, name: str) -> None:
        self.set_reachable(name, False)

    def stop_all(self) -> dict[str, Outcome]:
        return {}
