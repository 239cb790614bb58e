"""Connector adapters: a command (once or as a daemon), an HTTP trigger, a Python callable.

Whatever the adapter, the connector gets the same facts: AJIO_BASE_URL, AJIO_MODEL, AJIO_USERNAME,
AJIO_PASSWORD (pinned in API.md), plus AJIO_STATE_DIR (a directory private to this seller in this
scenario, kept between runs) and AJIO_WAREHOUSE (a JSON file: what the seller's warehouse knows).
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import requests

TAIL = 3000


@dataclass(slots=True)
class Outcome:
    exit_code: int
    duration_s: float
    output_tail: str


def _tail(text: str) -> str:
    return text if len(text) <= TAIL else "..." + text[-TAIL:]


class CommandAdapter:
    """Any executable, in any language, started through the shell with the connector environment."""

    supports_daemon = True

    def __init__(self, command: str, timeout: float = 300.0) -> None:
        self.command = command
        self.timeout = timeout

    def describe(self) -> str:
        return f"command: {self.command}"

    supports_kill = True

    def run_once(self, env: dict[str, str], timeout: float | None = None, kill_switch=None) -> Outcome:
        """One run; killed (SIGKILL to its process group) after `timeout` seconds, else the adapter's own.
        `kill_switch` (harness.killswitch.KillSwitch): told the process group, which it may kill at a call."""
        timeout = timeout or self.timeout
        log = Path(env["AJIO_STATE_DIR"]) / "connector-output.log"
        started = time.monotonic()
        with open(log, "w+", encoding="utf-8", errors="replace") as out:
            proc = subprocess.Popen(self.command, shell=True, env={**os.environ, **env}, stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            if kill_switch is not None:
                kill_switch.pgid = proc.pid  # start_new_session: the group's id is the shell's pid
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                code = -9
                out.write(f"\n[harness] connector killed after {timeout:.0f} s\n")
            if kill_switch is not None:
                kill_switch.pgid = None  # the run is over: later calls (another run's) are not its to kill
                if kill_switch.fired:
                    _kill_group(proc)    # reaped, and whatever of its group outlived the kill is gone
                out.write(f"\n{kill_switch.note()}\n")
            out.seek(0)
            text = out.read()
        return Outcome(code, time.monotonic() - started, _tail(text))

    def start(self, env: dict[str, str]) -> "Daemon":
        return Daemon(self.command, env)


class Daemon:
    """The same command, told by AJIO_DAEMON=1 to keep syncing every AJIO_POLL_SECONDS until stopped."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.log_path = Path(env["AJIO_STATE_DIR"]) / "daemon-output.log"
        self.log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(command, shell=True, env={**os.environ, **env, "AJIO_DAEMON": "1"},
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> Outcome:
        code = self.proc.poll()
        if code is None:
            _kill_group(self.proc, sig=signal.SIGTERM)
            code = self.proc.returncode
        self.log.close()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return Outcome(code if code is not None else -1, time.monotonic() - self.started, _tail(text))


def _kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the connector's whole process group and wait until none of it runs any more: a daemon's
    child outliving its scenario would go on calling a server that is gone (or a new one on its port)."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 10
    while _group_running(proc.pid):
        if time.monotonic() > deadline:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        time.sleep(0.05)


def _group_running(pgid: int) -> bool:
    """Whether a process of the group is still alive; Linux /proc, elsewhere assume none.

    A process is gone once it is a zombie with no thread left. A zombie main thread alone is not enough: when a
    multi-threaded process is killed, its main thread may be a zombie while its other threads are still exiting,
    and until the last one has, the process's files stay open. A killed ERP's listening socket then still took
    connections, so its restart looked ready before the new process listened, and the posting sent next was
    refused (vms/erp/killed_after_credit_note_taken, killed_before_einvoice_sent: about one run in ten on a
    loaded machine)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return False
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()  # after "pid (comm) ": state ppid pgrp ...
        if len(fields) > 2 and fields[2] == str(pgid) and (fields[0] != "Z" or _threads_left(entry)):
            return True
    return False


def _threads_left(process: Path) -> bool:
    """A zombie main thread's process still has other threads exiting (/proc/PID/task lists them)."""
    try:
        return any(task.name != process.name for task in (process / "task").iterdir())
    except OSError:
        return False


class HttpTriggerAdapter:
    """A connector that runs as a service: one sync is a POST of the connector environment to its URL.

    The body is the environment as JSON (same names) plus "warehouse", the warehouse file's content.
    A 2xx answer is exit code 0; anything else is recorded as the HTTP status."""

    supports_daemon = False

    def __init__(self, url: str, timeout: float = 300.0) -> None:
        self.url = url
        self.timeout = timeout

    def describe(self) -> str:
        return f"HTTP trigger: POST {self.url}"

    def run_once(self, env: dict[str, str]) -> Outcome:
        body = dict(env)
        body["warehouse"] = json.loads(Path(env["AJIO_WAREHOUSE"]).read_text())
        started = time.monotonic()
        try:
            r = requests.post(self.url, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            return Outcome(-1, time.monotonic() - started, f"[harness] trigger failed: {exc}")
        return Outcome(0 if r.ok else r.status_code, time.monotonic() - started, _tail(r.text))


class PythonAdapter:
    """`module:function` or `path/to/file.py:function`, called in-process with the environment as a dict.

    An int returned is the exit code (as from a main()); any other return is 0; an exception is exit
    code 1 with its traceback as output."""

    supports_daemon = False

    def __init__(self, target: str) -> None:
        module_name, _, func = target.rpartition(":")
        if not module_name or not func:
            raise ValueError(f"--connector-python takes module:function or file.py:function, got {target!r}")
        self.target = target
        self.func = self._load(module_name, func)

    @staticmethod
    def _load(module_name: str, func: str):
        if module_name.endswith(".py"):
            path = Path(module_name).resolve()
            spec = importlib.util.spec_from_file_location(path.stem, path)
            if spec is None or not path.exists():
                raise ValueError(f"--connector-python: no such file {module_name}")
            sys.path.insert(0, str(path.parent))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            sys.path.insert(0, os.getcwd())
            module = importlib.import_module(module_name)
        fn = getattr(module, func, None)
        if not callable(fn):
            raise ValueError(f"--connector-python: {module_name} has no callable {func}")
        return fn

    def describe(self) -> str:
        return f"Python callable: {self.target}"

    def run_once(self, env: dict[str, str]) -> Outcome:
        started = time.monotonic()
        try:
            returned = self.func(dict(env))
        except Exception:  # the connector's failure is a result to record, not the harness's crash
            return Outcome(1, time.monotonic() - started, _tail(traceback.format_exc()))
        code = returned if isinstance(returned, int) and not isinstance(returned, bool) else 0
        return Outcome(code, time.monotonic() - started, "")


def adapter_from_options(cmd: str | None, http: str | None, python: str | None, timeout: float):
    """The connector named by `--connector-cmd`, `--connector-http` or `--connector-python` (one of them, or
    None when none is given), as `ajio-sim run` and `ajio-sim soak` take them. A bad target raises
    ValueError or ImportError, for the caller to report."""
    if cmd:
        return CommandAdapter(cmd, timeout=timeout)
    if http:
        return HttpTriggerAdapter(http, timeout=timeout)
    if python:
        return PythonAdapter(python)
    return None
