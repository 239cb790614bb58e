"""Plain-text renderings shared by the reporters."""
from __future__ import annotations

from harness.checks import cause_lines
from harness.model import ScenarioResult


def failure_text(r: ScenarioResult) -> str:
    lines = [f"scenario: {r.scenario.name} ({r.scenario.path})", f"proves:   {r.scenario.rule}"]
    if r.causes:  # the cause first: what AJIO refused, before what the scenario expected
        lines.append("AJIO refused these requests of the connector (method path -> status error_code [rule id]):")
        lines += cause_lines(r.causes)
    if r.error:
        lines.append(f"error: {r.error}")
    for f in r.failures:
        lines.append(f.message())
    bad_runs = [run for run in r.connector_runs if run.abnormal]
    for run in bad_runs[:3]:
        lines.append(f"connector exited {run.exit_code} at {run.step} ({run.seller}); "
                     f"output tail:\n{run.output_tail[-800:]}")
    if r.replay:
        clock = r.replay.get("clock", {})
        lines.append(f"replay: seed {r.replay['seed']}, start {r.replay['start']}, clock now {clock.get('now')}, "
                     f"sellers {r.replay['sellers']}, journal {r.replay.get('journal_total', '?')} entries "
                     f"(last {len(r.replay.get('journal_excerpt', []))} in the JSON report)")
    return "\n".join(lines)
