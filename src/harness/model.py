"""Value objects of the harness: a loaded scenario, its steps, and what running it produced."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contracts import rulebook


class ScenarioError(ValueError):
    """A scenario file that cannot run: the message names the file, the step and the problem."""


@dataclass(slots=True)
class Step:
    index: int          # 1-based, as a person counts the steps of the file
    kind: str           # place_orders, run_connector, expect, ...
    args: Any           # the step's arguments, validated, still holding ${...} references
    line: int | None = None

    @property
    def label(self) -> str:
        return f"step {self.index} ({self.kind})"


@dataclass(slots=True)
class Seller:
    name: str
    settings: dict


@dataclass(slots=True)
class Scenario:
    path: str
    name: str
    description: str
    model: str
    seed: int
    start: int                  # epoch seconds the simulated clock starts frozen at (in-process servers)
    rules: list[str]            # rulebook ids the scenario proves; the first one is used when an expectation names none
    sellers: list[Seller]
    connector_seller: str       # which seller's credentials the connector gets unless a step names another
    po_lag: int | None
    tags: list[str]
    steps: list[Step]
    throttle: dict | None = None    # world.throttle: PUT /_sim/throttle before the first step
    clock: str = "frozen"           # world.clock: "running" lets simulated seconds pass with real ones
    timing: dict | None = None      # world.profile and world.sla: PUT /_sim/timing before the first step
    allow: list[dict] = field(default_factory=list)     # refusals / per-line failures a correct connector meets
    checks: dict[str, bool] = field(default_factory=dict)  # implicit checks turned off (name -> False)
    checked: list[str] = field(default_factory=list)    # rule ids its expectations can fail with (coverage)
    under_test: str = "connector"   # VMS: connector | erp | both (harness.vms.SIDES)
    extra: dict = field(default_factory=dict)   # server timings (simulator Config.extra), e.g. vms_rsi_after
    documents: str = "full"     # world.documents: full (laid-out PDFs) or lite (fields as text), own server only

    @property
    def needs(self) -> tuple[str, ...]:
        """The sides the command line must provide: ("connector",), ("erp",) or both."""
        from harness.vms import NEEDS
        return NEEDS[self.under_test]

    @property
    def rule(self) -> str:
        """The rules it proves, as a short label: ids joined by commas."""
        return ", ".join(self.rules)

    @property
    def moves_clock(self) -> bool:
        return any(s.kind == "advance" for s in self.steps)

    @property
    def needs_daemon(self) -> bool:
        return any(s.kind == "start_connector" for s in self.steps)

    @property
    def restarts_erp(self) -> bool:
        """An `erp: {restart: true}` or `erp: {kill_at: ...}` step: only an ERP the harness started (--erp-cmd) can
        be restarted or killed."""
        return any(s.kind == "erp" and (s.args.get("restart") or s.args.get("kill_at")) for s in self.steps)


@dataclass(slots=True)
class Failure:
    """One broken expectation, in the words a failure message needs: what, expected, actual, and the
    rule broken (its id, statement and quoted source, from the rulebook)."""
    step: str
    what: str
    expected: Any
    actual: Any
    rule_id: str
    note: str | None = None

    @property
    def rule(self) -> str:
        return rulebook.rule(self.rule_id).text()

    def message(self) -> str:
        r = rulebook.rule(self.rule_id)
        text = (f"{self.step}: {self.what}\n    expected: {self.expected}\n    actual:   {self.actual}\n"
                f"    rule:     {r.id}: {r.statement}\n    source:   {r.source.citation()}")
        return text + (f"\n    note:     {self.note}" if self.note else "")


@dataclass(slots=True)
class ConnectorRun:
    step: str
    seller: str
    exit_code: int | None       # None while a daemon runs; HTTP status / 0|1 for other adapters
    duration_s: float
    output_tail: str
    daemon: bool = False        # stopped by the harness (SIGTERM to its process group), not exited by itself
    kill: str | None = None     # run_connector kill_at: "connector killed (kill_at) at METHOD path (...)" or
                                # "kill_at not reached: ..."

    @property
    def abnormal(self) -> bool:
        stopped = self.daemon and self.exit_code in (-15, 143)
        return self.exit_code not in (0, None) and not stopped


@dataclass(slots=True)
class ScenarioResult:
    scenario: Scenario
    status: str                 # passed | failed | error
    duration_s: float
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None
    connector_runs: list[ConnectorRun] = field(default_factory=list)
    steps_done: int = 0
    replay: dict = field(default_factory=dict)   # seed, start, clock, sellers, journal excerpt
    causes: list[dict] = field(default_factory=list)  # the connector's requests AJIO refused (or failed per line)
    mode: str = "live"          # "replay": answered from a recording (ajio-sim run --replay), not a simulator
    recording: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "passed"
