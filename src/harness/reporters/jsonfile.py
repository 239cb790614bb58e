"""The JSON report: every scenario with its status, failures, connector runs and, when failed, replay data."""
from __future__ import annotations

import json
from pathlib import Path

from harness import events as ev


class JsonReporter:
    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.connector = ""

    def handle(self, event) -> None:
        if isinstance(event, ev.RunStarted):
            self.connector = event.connector
        if isinstance(event, ev.RunDone):
            self.write(event)

    def write(self, done: ev.RunDone) -> None:
        doc = {"ok": done.ok, "connector": self.connector, "duration_s": round(done.duration_s, 3),
               "summary": {s: sum(r.status == s for r in done.results) for s in ("passed", "failed", "error")},
               "scenarios": [{
                   "name": r.scenario.name, "file": r.scenario.path, "rules": r.scenario.rules, "status": r.status,
                   "mode": r.mode, "recording": r.recording,
                   "duration_s": round(r.duration_s, 3), "steps_done": r.steps_done, "error": r.error,
                   "failures": [{"step": f.step, "what": f.what, "expected": f.expected, "actual": f.actual,
                                 "rule_id": f.rule_id, "rule": f.rule, "note": f.note} for f in r.failures],
                   "causes": r.causes,
                   "connector_runs": [{"step": c.step, "seller": c.seller, "exit_code": c.exit_code,
                                       "duration_s": c.duration_s, "output_tail": c.output_tail,
                                       **({"kill": c.kill} if c.kill else {})}
                                      for c in r.connector_runs],
                   "replay": r.replay or None} for r in done.results]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(doc, indent=1, default=str), encoding="utf-8")
