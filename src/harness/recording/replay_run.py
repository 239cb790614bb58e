"""`ajio-sim run --replay FILE`: one scenario against a recording's answers instead of a simulator.

Record once against AJIO staging (`ajio-sim proxy`), replay in CI. There is no world to move: the
recording is the world, so a replay scenario holds only connector steps (`run_connector`,
`start_connector`/`stop_connector`, `wait_until`, `expect`) and `warehouse`, and only expectations read
from the requests the connector made (`request`, `requests_in_order`, `connector_exit`). Its sellers are
the recording's logins, in the order they first logged in. Every report marks the scenario as a replay."""
from __future__ import annotations

from typing import Any

from harness import events as ev
from harness.model import Failure, ScenarioError, Step
from harness.recording.har import RecordingError
from harness.recording.replay import Recording, ReplayServer
from harness.runner import ScenarioRun
from harness.world import StepFailed

REPLAY_STEPS = {"run_connector", "start_connector", "stop_connector", "wait_until", "expect", "warehouse"}
REPLAY_EXPECTATIONS = {"request", "requests_in_order", "connector_exit"}
MISS_NOTE = "a replay answers only what was recorded: the connector must make the recorded requests (docs/drift.md)"


def replay_problems(scenario) -> list[str]:
    """Why a scenario cannot run as a replay (empty when it can)."""
    out = []
    if scenario.throttle is not None:
        out.append("world.throttle needs the simulator's /_sim/throttle")
    for step in scenario.steps:
        if step.kind not in REPLAY_STEPS:
            out.append(f"{step.label} goes through /_sim, which a replay does not have")
        for exp in (step.args.get("expect") or []) if step.kind in ("expect", "wait_until") else []:
            if exp["kind"] not in REPLAY_EXPECTATIONS:
                out.append(f"{step.label}: the '{exp['kind']}' expectation reads the simulator's state")
    return out


class ReplayControl:
    """What expectations may ask in a replay: the requests the replay server answered, nothing of /_sim."""

    def __init__(self, server: ReplayServer) -> None:
        self.server = server

    def journal(self, pob_id: str) -> list[dict]:
        return [s.as_journal() for s in self.server.app.served if s.pob_id in (pob_id, None)]

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def call(self, method: str, path: str, body: Any = None, expect: int | None = None) -> Any:
        raise StepFailed(f"{method} /_sim{path}: a replay has no control plane")

    def all_orders(self, pob_id: str) -> list[dict]:
        return self.call("GET", f"/orders?pob_id={pob_id}")

    def close(self) -> None:
        pass


class ReplayScenarioRun(ScenarioRun):
    """Runs as Options(replay=FILE, run_class=ReplayScenarioRun): the recording instead of a server."""
    # The implicit checks hold a connector to a simulated world's rules over its whole journal; a
    # recording's answers are whatever AJIO said that day, so a replay checks only what it states.
    implicit_checks = False

    def __init__(self, scenario, adapter, options) -> None:
        super().__init__(scenario, adapter, options)
        self.recording_path: str = options.replay
        self._misses_seen = 0

    def events(self):
        for event in super().events():
            if isinstance(event, ev.ScenarioDone):
                event.result.mode = "replay"
                event.result.recording = self.recording_path
            yield event

    def _setup(self) -> None:
        problems = replay_problems(self.s)
        if problems:
            raise ScenarioError("cannot replay this scenario: " + "; ".join(problems)
                                + f" (allowed: steps {', '.join(sorted(REPLAY_STEPS))}; expectations "
                                  f"{', '.join(sorted(REPLAY_EXPECTATIONS))}; see docs/drift.md)")
        try:
            recording = Recording(self.recording_path)
        except RecordingError as exc:
            raise ScenarioError(str(exc)) from None
        logins = recording.logins()
        if len(logins) < len(self.s.sellers):
            raise ScenarioError(f"the scenario has {len(self.s.sellers)} seller(s), the recording "
                                f"{len(logins)} login(s): each seller is one recorded login, in order")
        self.server = ReplayServer(recording)
        self.base_url = self.server.base_url
        self.control = ReplayControl(self.server)
        for seller, login in zip(self.s.sellers, logins[:len(self.s.sellers)], strict=True):
            pob = {**login, "model": self.s.model, "replay": True}
            self.pobs[seller.name] = self.vars[seller.name] = pob
            (self.workdir / seller.name).mkdir()
            self.warehouses[seller.name] = {"default_stock": 20, "stock": {}, "qc": {}, "unexpected_rto": []}
            self._write_warehouse(seller.name)

    def _step(self, step: Step) -> list[Failure]:
        failures = super()._step(step)
        misses = self.server.app.misses if self.server is not None else []
        new = misses[self._misses_seen:]
        self._misses_seen = len(misses)
        if new:
            first = new[0]
            q = f"?{first.query}" if first.query else ""
            failures = [Failure(step.label, "requests the recording does not hold (answered 501 REPLAY_MISS)",
                                "every request answered from the recording",
                                f"{len(new)} not recorded; first: {first.method} {first.path}{q} "
                                f"{(first.request_body or '')[:200]}", self.s.rules[0], note=MISS_NOTE), *failures]
        return failures

    def _replay(self) -> dict:
        app = self.server.app if self.server is not None else None
        out: dict[str, Any] = {"scenario": self.s.path, "recording": self.recording_path,
                               "sellers": {n: p["pob_id"] for n, p in self.pobs.items()},
                               "warehouse": self.warehouses}
        if app is not None:
            out["served"] = len(app.served)
            out["misses"] = [f"{s.method} {s.path}" + (f"?{s.query}" if s.query else "") for s in app.misses][:20]
            out["repeated"] = sum(s.repeated for s in app.served)
            out["journal_total"] = len(app.served)
            out["journal_excerpt"] = [s.as_journal() for s in app.served[-40:]]
        return out
