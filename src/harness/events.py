"""What the runner tells its reporters, in order: run, scenario and step events."""
from __future__ import annotations

from dataclasses import dataclass

from harness.model import ConnectorRun, Scenario, ScenarioResult, Step


@dataclass(slots=True)
class RunStarted:
    scenarios: list[Scenario]
    connector: str
    server: str


@dataclass(slots=True)
class ScenarioStarted:
    scenario: Scenario


@dataclass(slots=True)
class StepDone:
    scenario: Scenario
    step: Step
    ok: bool
    note: str = ""


@dataclass(slots=True)
class ConnectorRan:
    scenario: Scenario
    run: ConnectorRun


@dataclass(slots=True)
class ScenarioDone:
    result: ScenarioResult


@dataclass(slots=True)
class RunDone:
    results: list[ScenarioResult]
    duration_s: float

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)
