"""Run scenarios: a fresh world per scenario, world steps through /_sim, the connector, expectations.

`run()` is a generator of events (harness.events); reporters consume them and the CLI only wires up.
Isolation: every scenario gets its own sellers (fresh POBs), its own connector state directory and,
by default, its own in-process server, because the simulated clock is one per server and scenarios
advance it. Against a shared server (`base_url`) scenarios therefore run one at a time.
"""
from __future__ import annotations

import json
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterator

from harness import checks, forensics
from harness import events as ev
from harness.expectations import Facts, evaluate
from harness.journal import PAGE, JournalCache, RunSpan
from harness.killswitch import KillSwitch
from harness.loader import REF, WORLD_STEPS
from harness.model import (
    ConnectorRun,
    Failure,
    Scenario,
    ScenarioError,
    ScenarioResult,
    Step,
)
from harness.steps import WorldSteps
from harness.vms_run import VmsRun
from harness.world import Control, StepFailed
from simulator.embedded import InProcessServer

POLL_S = 0.2
JOURNAL_EXCERPT = 40
# --journal-dir: answers kept whole (the server's default keeps 16 KiB of a body for the report's excerpt).
JOURNAL_DUMP_BODY_LIMIT = 8 * 1024 * 1024


def _matches_bodies(node) -> bool:
    """Whether a scenario's steps match calls on their bodies or answers (`body:` / `response:` of a matcher)."""
    if isinstance(node, dict):
        if "response" in node or ("path" in node and "body" in node):
            return True
        return any(_matches_bodies(v) for v in node.values())
    if isinstance(node, list):
        return any(_matches_bodies(v) for v in node)
    return False


class Options:
    def __init__(self, *, base_url: str | None = None, admin_token: str | None = None, jobs: int = 1,
                 keep_workdir: bool = False, daemon_poll_seconds: float = 0.2, replay: str | None = None,
                 run_class: type | None = None, erp=None, journal_dir: str | Path | None = None) -> None:
        self.base_url = base_url
        # Each scenario's whole journal (every request with its answer as sent) is written under this directory,
        # at the scenario's path below journal_root (the CLI: the folder named; else the scenarios' common folder),
        # as JSON lines (`ajio-sim run --journal-dir`).
        self.journal_dir = Path(journal_dir) if journal_dir else None
        self.journal_root: Path | None = None
        # The ERP under test of VMS scenarios (harness.erp.ErpCommand / ErpUrl), or None: the stand-in plays it.
        self.erp = erp
        # A HAR recording: scenarios run against its answers with run_class (the CLI passes
        # harness.recording.replay_run.ReplayScenarioRun; the runner imports nothing of it: no import circle).
        self.replay = replay
        self.run_class = run_class
        self.admin_token = admin_token
        self.jobs = 1 if base_url or replay else max(1, jobs)
        self.keep_workdir = keep_workdir
        self.daemon_poll_seconds = daemon_poll_seconds


def run(scenarios: list[Scenario], adapter, options: Options) -> Iterator[object]:
    started = time.monotonic()
    run_class = options.run_class or ScenarioRun
    server = f"REPLAY of the recording {options.replay}" if options.replay else \
        options.base_url or "in-process server per scenario"
    under_test = [x.describe() for x in (adapter, options.erp) if x is not None]
    yield ev.RunStarted(scenarios, "; ".join(under_test), server)
    if options.journal_dir is not None and options.journal_root is None and scenarios:
        folders = [str(Path(s.path).resolve().parent) for s in scenarios]
        options.journal_root = Path(os.path.commonpath(folders))
    results: list[ScenarioResult] = []
    if options.jobs == 1:
        for scenario in scenarios:
            for event in run_class(scenario, adapter, options).events():
                if isinstance(event, ev.ScenarioDone):
                    results.append(event.result)
                yield event
    else:
        yield from _parallel(scenarios, adapter, options, results)
    yield ev.RunDone(results, time.monotonic() - started)


def _parallel(scenarios, adapter, options, results) -> Iterator[object]:
    """Scenarios on worker threads (each with its own server), events funnelled through one queue."""
    q: queue.Queue = queue.Queue()
    todo = list(scenarios)
    lock = threading.Lock()

    def worker():
        try:
            while True:
                with lock:
                    if not todo:
                        break
                    scenario = todo.pop(0)
                for event in ScenarioRun(scenario, adapter, options).events():
                    q.put(event)
        finally:
            q.put(None)  # whatever happens, the consumer is never left waiting

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(options.jobs, len(scenarios)))]
    for t in threads:
        t.start()
    finished = 0
    while finished < len(threads):
        event = q.get()
        if event is None:
            finished += 1
            continue
        if isinstance(event, ev.ScenarioDone):
            results.append(event.result)
        yield event


class ScenarioRun(VmsRun, WorldSteps):
    # The checks of every POB's whole journal after the last step (harness/checks.py): on for a simulated world.
    implicit_checks = True

    def __init__(self, scenario: Scenario, adapter, options: Options) -> None:
        self.s = scenario
        self.adapter = adapter
        self.options = options
        self.vars: dict[str, Any] = {}
        self.pobs: dict[str, dict] = {}
        self.warehouses: dict[str, dict] = {}
        self.daemons: dict[str, Any] = {}
        self.runs: list[ConnectorRun] = []
        self._pending: list[ConnectorRun] = []   # runs not yet announced as events
        self._kills: list[tuple[str, KillSwitch]] = []   # run_connector kill_at switches, by step
        self.server: InProcessServer | None = None
        self.control: Control | None = None
        self.workdir = Path(tempfile.mkdtemp(prefix="ajio-sim-run-"))
        self._restore: list[tuple[str, str, Any]] = []  # /_sim calls undoing world settings on a shared server
        self.journal: JournalCache | None = None
        self.spans: list[RunSpan] = []                   # where each connector run's requests are in the journal
        self.marks: dict[str, dict[str, int]] = {}       # `mark:` name -> POB id -> last journal id then

    # -- references -------------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        if isinstance(value, str):
            whole = REF.fullmatch(value)
            if whole:
                return self._lookup(whole)
            return REF.sub(lambda m: str(self._lookup(m)), value)
        if isinstance(value, dict):
            return {self.resolve(k): self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _lookup(self, m: re.Match) -> Any:
        value = self.vars[m.group(1)]
        for part in re.findall(r"\[(\d+)\]|\.(\w+)", m.group(2)):
            index, key = part
            try:
                value = value[int(index)] if index else value[key]
            except (IndexError, KeyError, TypeError):
                raise StepFailed(f"{m.group(0)}: no such element in {json.dumps(value)[:200]}") from None
        return value

    def pob(self, name: str | None) -> dict:
        return self.pobs[name or self.s.connector_seller]

    # -- the run ----------------------------------------------------------------------------
    def events(self) -> Iterator[object]:
        yield ev.ScenarioStarted(self.s)
        started = time.monotonic()
        result = ScenarioResult(self.s, "passed", 0.0, connector_runs=self.runs)
        where = "world setup"
        try:
            self._setup()
            for step in self.s.steps:
                where = step.label
                failures = self._step(step)
                for run in self._drain_runs():
                    yield ev.ConnectorRan(self.s, run)
                result.steps_done = step.index
                if failures:
                    result.status, result.failures = "failed", failures
                    yield ev.StepDone(self.s, step, False, f"{len(failures)} expectation(s) broken")
                    break
                yield ev.StepDone(self.s, step, True)
            if self.implicit_checks:
                # Also after a broken step: an undeclared refusal or violation so far names its own rule (a
                # scenario that stopped at an order's status would otherwise hide the rule the refusal broke).
                where = "end of scenario (implicit checks)"
                for run in self._stop_daemons():  # a daemon's last requests count too
                    yield ev.ConnectorRan(self.s, run)
                failures = checks.implicit(self.s, self._facts())
                if failures:
                    result.status, result.failures = "failed", result.failures + failures
            unfired = self._unfired_kills()
            if unfired and result.status == "passed":
                # The crash the scenario is about never happened: a pass would say the connector survives a
                # crash it never met (its calls differ from the ones the scenario aims at, or it never made them).
                result.status, result.error = "error", "; ".join(unfired)
        except (StepFailed, ScenarioError) as exc:
            result.status, result.error = "error", f"{where}: {exc}"
        except Exception as exc:  # a harness bug must still end in a report, never a hang
            import traceback
            result.status, result.error = "error", f"{where}: harness error: {exc!r}\n" \
                                                   f"{traceback.format_exc(limit=5)}"
        finally:
            for run in self._stop_daemons():
                yield ev.ConnectorRan(self.s, run)
            for run in self._vms_stop_erps():
                self.runs.append(run)
                yield ev.ConnectorRan(self.s, run)
            if not result.passed:
                result.causes = self._causes()
                result.replay = self._replay()
            self._teardown()
        result.duration_s = time.monotonic() - started
        yield ev.ScenarioDone(result)

    def _drain_runs(self) -> list[ConnectorRun]:
        pending, self._pending = self._pending, []
        return pending

    def _setup(self) -> None:
        if self.options.base_url:
            base_url = self.options.base_url
        else:
            self.server = InProcessServer(seed=self.s.seed, start=self.s.start, po_lag=self.s.po_lag,
                                          extra=self.s.extra, pdf=self.s.documents)
            base_url = self.server.base_url
            # Whole bodies, not clipped for the report's excerpt: for --journal-dir, and for a scenario that
            # matches on a body or an answer (a clipped one cannot be judged: expectations._whole).
            if self.options.journal_dir is not None or _matches_bodies([step.args for step in self.s.steps]):
                self.server.app.extensions["ajio_sim"].config.journal_body_limit = JOURNAL_DUMP_BODY_LIMIT
        self.base_url = base_url.rstrip("/")
        # Control calls go straight to the in-process simulator's app (no socket, HTTP client or server thread a
        # call); a shared simulator (--base-url) is reached over HTTP. benchmarks/README.md, "stop 53".
        self.control = Control(self.base_url, self.options.admin_token,
                               wsgi=self.server.wsgi if self.server is not None else None)
        self.journal = JournalCache(self.control)
        self._world_settings()
        for seller in self.s.sellers:
            settings = dict(seller.settings)
            catalogue = settings.pop("catalogue", None)
            if "same_seller_as" in settings:  # another store (POB) of a seller made earlier in this world
                settings["seller_id"] = self.pobs[settings.pop("same_seller_as")]["seller_id"]
            if self.s.model == "vms":
                settings = self._vms_seller_settings(seller.name, settings)
            pob = self.control.call("POST", "/sellers", {"model": self.s.model, **settings}, expect=201)
            if catalogue is not None:  # the seller's own SKUs, shared by its later POBs too
                self._import_catalogue(pob["pob_id"], catalogue, replace=True)
            self.pobs[seller.name] = pob
            self.vars[seller.name] = pob
            state = self.workdir / seller.name
            state.mkdir()
            if self.s.model == "vms":
                self._vms_start_erp(seller.name, seller.settings, pob)
            self.warehouses[seller.name] = {"default_stock": 20, "stock": {}, "qc": {}, "unexpected_rto": [],
                                            "settings": {}, "now": None}
            self._write_warehouse(seller.name)

    def _world_settings(self) -> None:
        """world.throttle and world.clock. A shared server gets its previous settings back at the end
        (its clock keeps the time that passed: simulated time only moves forward)."""
        if self.s.throttle is not None:
            before = self.control.get("/throttle")
            self.control.call("PUT", "/throttle", self.s.throttle)
            self._restore.append(("PUT", "/throttle", before))
        if self.s.timing is not None:
            before = self.control.get("/timing")
            self.control.call("PUT", "/timing", self.s.timing)
            self._restore.append(("PUT", "/timing", {k: before[k] for k in self.s.timing}))
        if self.s.clock == "running":
            if self.control.get("/clock")["frozen"]:
                self._restore.append(("POST", "/clock/freeze", {"frozen": True}))
            self.control.call("POST", "/clock/freeze", {"frozen": False})

    def _write_warehouse(self, name: str) -> None:
        (self.workdir / name / "warehouse.json").write_text(json.dumps(self.warehouses[name], indent=1))

    def _tell_the_time(self) -> None:
        """The seller's systems keep AJIO's simulated time: `now` in every warehouse file, for a connector
        that schedules work by the clock (a daily reconciliation) when simulated days pass in seconds."""
        if self.journal is None:  # no simulator (a replay): the connector keeps its own clock
            return
        now = self.control.get("/clock")["now"]
        for name, wh in self.warehouses.items():
            if wh.get("now") != now:
                wh["now"] = now
                self._write_warehouse(name)

    def _env(self, name: str) -> dict[str, str]:
        pob = self.pobs[name]
        return {"AJIO_BASE_URL": self.base_url, "AJIO_MODEL": self.s.model, "AJIO_USERNAME": pob["pob_id"],
                "AJIO_PASSWORD": pob["password"], "AJIO_STATE_DIR": str(self.workdir / name),
                "AJIO_WAREHOUSE": str(self.workdir / name / "warehouse.json"),
                "AJIO_POLL_SECONDS": str(self.options.daemon_poll_seconds),
                # The simulated clock ({"now": epoch}): a connector that needs "now" (VMS date filters, the
                # acknowledgement hold) reads it here instead of its system clock.
                "AJIO_CLOCK_URL": f"{self.base_url}/_sim/clock",
                **(self._vms_env(name) if self.s.model == "vms" else {})}

    def _facts(self) -> Facts:
        return Facts(self.control, self.pob, lambda: self.runs[-1].exit_code if self.runs else None,
                     journal_of=self._entries, spans_of=lambda pob_id: [s for s in self.spans if s.pob_id == pob_id],
                     sellers_of=lambda: dict(self.pobs),
                     anonymous_of=self._anonymous_erp_calls if self.server is not None and self.s.under_test != "connector"
                     else None)

    def _anonymous_erp_calls(self) -> list[dict]:
        """The ERP layer's calls of this scenario's own server that named no seller: only an ERP under test calls
        /ajio-vms, so a call filed under no POB is its call without the seed's auth headers (ERP-AUTH-HEADERS). On a
        shared server (--base-url) another run's calls would mix in: not looked at there."""
        out: list[dict] = []
        after = 0
        while True:
            page = self.control.get(f"/journal?path=/ajio-vms/*&after_id={after}&limit={PAGE}")["entries"]
            out += [e for e in page if not e.get("pob_id")]
            if len(page) < PAGE:
                return out
            after = page[-1]["id"]

    def _entries(self, pob_id: str, since: str | None) -> list[dict]:
        if self.journal is None:  # a run class without the simulator's journal (a replay): what its control has
            return self.control.journal(pob_id)
        entries = self.journal.entries(pob_id)
        if since is None:
            return entries
        after = self.marks[since].get(pob_id, 0)
        return [e for e in entries if e["id"] > after]

    def _position(self, pob_id: str) -> int:
        return self.journal.position(pob_id) if self.journal is not None else 0

    def _step(self, step: Step) -> list[Failure]:
        handler = getattr(self, f"_do_{step.kind}")
        if step.kind in ("expect", "wait_until"):
            self.pump_postings()
            return handler(step, step.args)
        args = self.resolve(step.args)
        try:
            failures = handler(step, args) or []
        except StepFailed as exc:
            failure = self._world_refused(step, args, exc) if step.kind in WORLD_STEPS else None
            if failure is None:
                raise
            return [failure]
        self.pump_postings()  # what the step made due goes to the ERP before the next step
        return failures

    # -- connector steps --------------------------------------------------------------------
    def _record(self, step: Step, seller: str, outcome, daemon: bool = False, kill: str | None = None) -> None:
        run = ConnectorRun(step.label, self.pobs[seller]["pob_id"], outcome.exit_code, round(outcome.duration_s, 3),
                           outcome.output_tail, daemon=daemon, kill=kill)
        self.runs.append(run)
        self._pending.append(run)

    def _do_run_connector(self, step, a):
        name = a.get("seller") or self.s.connector_seller
        if name in self.daemons:
            raise StepFailed(f"the connector of {name} runs as a daemon here: stop_connector first")
        pob_id = self.pobs[name]["pob_id"]
        kill_after = {"timeout": a["timeout"]} if a.get("timeout") else {}
        if kill_after and not getattr(self.adapter, "supports_kill", False):
            raise StepFailed(f"run_connector timeout (a run killed mid-sync) needs a connector process "
                             f"(--connector-cmd); {self.adapter.describe()} cannot be killed")
        switch = self._kill_switch(pob_id, a["kill_at"]) if a.get("kill_at") else None
        for _ in range(a.get("times", 1)):
            self._tell_the_time()
            span = RunSpan(pob_id, self._position(pob_id), None, step=step.label)
            self.spans.append(span)
            if switch is None:
                self._record(step, name, self.adapter.run_once(self._env(name), **kill_after))
            else:
                self._arm(switch)
                try:
                    outcome = self.adapter.run_once(self._env(name), kill_switch=switch, **kill_after)
                finally:
                    self._disarm(switch)
                self._record(step, name, outcome, kill=switch.note()[len("[harness] "):])
            span.last = self._position(pob_id)
        if switch is not None:
            self._kills.append((step.label, switch))

    def _unfired_kills(self) -> list[str]:
        """The kill_at switches (run_connector's, start_connector's, the ERP's) that never fired, each saying what it
        waited for."""
        switches = self._kills + [(k["step"], k["switch"]) for k in self.__dict__.get("_erp_kills", [])]
        return [f"{label}: {switch.note()[len('[harness] '):]}: the crash this scenario tests was never exercised"
                for label, switch in switches if switch.fired is None]

    def _arm(self, switch: KillSwitch) -> None:
        """Hand the server's calls to this switch too: a run's (run_connector kill_at) and an ERP's (erp kill_at)
        may be armed at once; the first that claims a call decides it."""
        switches = self.__dict__.setdefault("_switches", [])
        switches.append(switch)
        self.server.intercept(self._intercept)

    def _disarm(self, switch: KillSwitch) -> None:
        switches = self.__dict__.setdefault("_switches", [])
        if switch in switches:
            switches.remove(switch)
        if not switches and self.server is not None:
            self.server.intercept(None)

    def _intercept(self, environ: dict, request_pob):
        for switch in list(self.__dict__.get("_switches", [])):
            decided = switch.intercept(environ, request_pob)
            if decided is not None:
                return decided
        return None

    def _kill_switch(self, pob_id: str, kill_at: dict) -> KillSwitch:
        """`kill_at`: the connector process crashes at the nth matching call of this run (harness/killswitch.py)."""
        if not getattr(self.adapter, "supports_kill", False):
            raise StepFailed(f"run_connector kill_at (a run killed at a call) needs a connector process "
                             f"(--connector-cmd); {self.adapter.describe()} cannot be killed")
        if self.server is None:
            raise StepFailed("run_connector kill_at needs the harness's own in-process server, which sees every "
                             "call as it comes; a shared server (--base-url) or a replay cannot hold a call")
        return KillSwitch(method=kill_at["method"], path=kill_at["path"], nth=kill_at.get("nth", 1),
                          when=kill_at.get("when", "after"), body=kill_at.get("body"), pob_id=pob_id)

    def _do_start_connector(self, step, a):
        name = a.get("seller") or self.s.connector_seller
        if not getattr(self.adapter, "supports_daemon", False):
            raise StepFailed(f"start_connector needs a daemon-capable adapter (--connector-cmd); "
                             f"{self.adapter.describe()} runs once per trigger")
        if name in self.daemons:
            raise StepFailed(f"the connector of {name} is already running")
        self._tell_the_time()
        pob_id = self.pobs[name]["pob_id"]
        # kill_at: the daemon's process group crashes at the nth matching call of its life (harness/killswitch.py).
        # It stays down: the scenario's stop_connector records it (exit -9, where it died), start_connector restarts.
        switch = self._kill_switch(pob_id, a["kill_at"]) if isinstance(a, dict) and a.get("kill_at") else None
        self.spans.append(RunSpan(pob_id, self._position(pob_id), None, daemon=True, step=step.label))
        if switch is not None:
            self._arm(switch)   # counts nothing until it knows the group (pgid None)
        self.daemons[name] = self.adapter.start(self._env(name))
        if switch is not None:
            switch.pgid = self.daemons[name].proc.pid   # start_new_session: the group's id is the shell's pid
            self.__dict__.setdefault("_daemon_kills", {})[name] = switch
            self._kills.append((step.label, switch))

    def _daemon_kill_note(self, name: str) -> str | None:
        """Disarm a daemon's kill_at switch as the daemon is stopped; where it killed the daemon (or that it never
        fired), for the run's record."""
        switch = self.__dict__.get("_daemon_kills", {}).pop(name, None)
        if switch is None:
            return None
        self._disarm(switch)
        switch.pgid = None
        return switch.note()[len("[harness] "):]

    def _end_span(self, name: str) -> None:
        pob_id = self.pobs[name]["pob_id"]
        for span in self.spans:
            if span.pob_id == pob_id and span.daemon and span.last is None:
                span.last = self._position(pob_id)

    def _do_stop_connector(self, step, a):
        name = a.get("seller") or self.s.connector_seller
        daemon = self.daemons.pop(name, None)
        if daemon is None:
            raise StepFailed(f"no daemon connector runs for {name}")
        kill = self._daemon_kill_note(name)
        self._record(step, name, daemon.stop(), daemon=True, kill=kill)
        self._end_span(name)

    def _do_reinstall_connector(self, step, a):
        """The connector's state is gone (a reinstall, a new machine, a lost disk): AJIO_STATE_DIR is emptied
        but for the warehouse's file (the seller's, not the connector's) and the harness's output log."""
        name = a.get("seller") or self.s.connector_seller
        if name in self.daemons:
            raise StepFailed(f"the connector of {name} runs as a daemon here: stop_connector before reinstalling it")
        state = self.workdir / name
        for entry in state.iterdir():
            if entry.name in ("warehouse.json", "connector-output.log"):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def _stop_daemons(self) -> list[ConnectorRun]:
        runs = []
        for name, daemon in list(self.daemons.items()):
            kill = self._daemon_kill_note(name)
            outcome = daemon.stop()
            try:
                self._end_span(name)
            except Exception:  # the server may be what failed; the span stays open
                pass
            runs.append(ConnectorRun("end of scenario (daemon stopped)", self.pobs[name]["pob_id"],
                                     outcome.exit_code, round(outcome.duration_s, 3), outcome.output_tail,
                                     daemon=True, kill=kill))
        self.daemons.clear()
        self.runs.extend(runs)
        return runs

    def _expectations(self, step: Step, raw: list[dict]) -> list[dict]:
        return [{**e, "args": self.resolve(e["args"])} for e in raw]

    def _do_expect(self, step, a):
        return evaluate(self._expectations(step, a["expect"]), self._facts(), step.label, self.s.rules[0])

    def _do_wait_until(self, step, a):
        """Poll (wall clock, bounded) until every expectation holds while a daemon connector works."""
        exps = self._expectations(step, a["expect"])
        deadline = time.monotonic() + a["timeout"]
        while True:
            self.pump_postings()
            failures = evaluate(exps, self._facts(), step.label, self.s.rules[0])
            if not failures:
                return []
            dead = [n for n, d in self.daemons.items() if not d.alive()]
            if dead:
                # A daemon may have died (a kill_at) between the evaluation above and this look: what it did
                # before dying is in the journal now. Judge once more on that before calling it a failure.
                self.pump_postings()
                failures = evaluate(exps, self._facts(), step.label, self.s.rules[0])
                if not failures:
                    return []
            if time.monotonic() >= deadline or dead:
                why = f"daemon of {dead[0]} exited" if dead else f"still broken after waiting {a['timeout']} s"
                for f in failures:
                    f.what += f" ({why})"
                return failures
            time.sleep(POLL_S)

    # -- the end ----------------------------------------------------------------------------
    def _replay(self) -> dict:
        """What it takes to replay a failed scenario: the seed, the times, the world, the journal's tail."""
        out: dict[str, Any] = {"scenario": self.s.path, "seed": self.s.seed, "start": self.s.start,
                               "server": self.options.base_url or "in-process",
                               "sellers": {n: p["pob_id"] for n, p in self.pobs.items()},
                               "captured": {k: v for k, v in self.vars.items() if k not in self.pobs},
                               "warehouse": self.warehouses}
        if self.control is None:
            return out
        try:
            out["clock"] = self.control.get("/clock")
            entries = []
            for pob in self.pobs.values():
                entries.extend(self.journal.entries(pob["pob_id"]))
            entries.sort(key=lambda e: e["id"])
            out["journal_total"] = len(entries)
            out["journal_excerpt"] = [
                {k: e.get(k) for k in ("id", "at", "pob_id", "method", "path", "query", "status", "violations")}
                | {"request_body": (e.get("request_body") or "")[:300],
                   "response_body": (e.get("response_body") or "")[:300]}
                for e in entries[-JOURNAL_EXCERPT:]]
            # For the reports (HTML, JSON): every refused request, and the orders' timelines.
            out["refused"] = forensics.refused_requests(entries)
            out["orders"] = forensics.order_timelines(self.control, [p["pob_id"] for p in self.pobs.values()],
                                                      out["captured"])
        except Exception as exc:  # the server may be what failed; the replay info says so
            out["replay_error"] = repr(exc)
        return out

    def _causes(self) -> list[dict]:
        """The connector's requests AJIO refused or failed per line: shown before the expected/actual diff."""
        if self.journal is None:
            return []
        try:
            journals = {p["pob_id"]: self.journal.entries(p["pob_id"]) for p in self.pobs.values()}
        except Exception:  # the server may be what failed: what was read so far
            journals = dict(self.journal.cached())
        return checks.causes(journals)

    def _dump_journal(self) -> None:
        """`--journal-dir`: the scenario's journal as JSON lines: the whole journal of its own server, or its POBs'
        entries on a shared one (--base-url), whose own body limit applies."""
        if self.options.journal_dir is None or self.journal is None:
            return
        if self.server is not None:
            entries, after = [], 0
            while True:
                page = self.control.get(f"/journal?after_id={after}&limit={PAGE}")["entries"]
                entries += page
                if len(page) < PAGE:
                    break
                after = page[-1]["id"]
        else:
            entries = sorted((e for p in self.pobs.values() for e in self.journal.entries(p["pob_id"])),
                             key=lambda e: e["id"])
        target = self.options.journal_dir / Path(self.s.path).resolve().relative_to(
            self.options.journal_root or Path(self.s.path).resolve().parent)
        target = target.with_suffix(".jsonl")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8") as out:
            for entry in entries:
                out.write(json.dumps(entry, separators=(",", ":")) + "\n")

    def _teardown(self) -> None:
        try:
            self._dump_journal()
        except Exception as exc:  # noqa: BLE001 - the scenario's verdict stands; say what was not written
            print(f"ajio-sim run: could not write the journal of {self.s.path}: {exc!r}", file=sys.stderr)
        try:
            if self.control is not None:
                if self.options.base_url:
                    for method, path, body in reversed(self._restore):
                        try:
                            self.control.call(method, path, body)
                        except StepFailed as exc:  # the shared server keeps this scenario's setting: say so
                            print(f"ajio-sim run: could not give back {method} /_sim{path} after "
                                  f"{self.s.path}: {exc}", file=sys.stderr)
                self.control.close()
            if self.server is not None:
                self.server.stop()
        except Exception:  # a server that will not stop must not hide the scenario's result
            pass
        if not self.options.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
