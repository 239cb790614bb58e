"""Plain-text renderings shared by the reporters."""
from __future__ import annotations

from harness.checks import cause_lines
from harness.model import ScenarioResult


def failure_text(r: ScenarioResult) -> str:
    lines = [f"scenario: {r.scenario.name} ({r.scenario.path})", f"proves:   {r.scenario.rule}"]
    if r.mode == "replay":
        lines.append(f"mode:     REPLAY of the recording {r.recording} (recorded answers, no simulator)")
    if r.causes:  # the cause first: what AJIO refused, before what the scenario expected
        lines.append("AJIO refused these requests of the connector (method path -> status error_code [rule id]):")
        lines += cause_lines(r.causes)
    if r.error:
        lines.append(f"error: {r.error}")
    for f in r.failures:
        lines.append(f.message())
    for run in r.connector_runs:  # run_connector kill_at: where the run was killed, or that it was not
        if run.kill:
            lines.append(f"{run.step} ({run.seller}): {run.kill}")
    bad_runs = [run for run in r.connector_runs if run.abnormal]
    for run in bad_runs[:3]:
        who = "ERP" if run.step.startswith("ERP under test") else "connector"
        lines.append(f"{who} exited {run.exit_code} at {run.step} ({run.seller}); "
                     f"output tail:\n{run.output_tail[-800:]}")
    if r.replay and r.mode == "replay":
        lines.append(f"replay data: {r.replay.get('served', 0)} requests answered, {len(r.replay.get('misses', []))} "
                     f"not in the recording, {r.replay.get('repeated', 0)} answered again after their recorded "
                     "answers ran out (details in the JSON report)")
    elif r.replay:
        clock = r.replay.get("clock", {})
        lines.append(f"replay: seed {r.replay['seed']}, start {r.replay['start']}, clock now {clock.get('now')}, "
                     f"sellers {r.replay['sellers']}, journal {r.replay.get('journal_total', '?')} entries "
                     f"(last {len(r.replay.get('journal_excerpt', []))} in the JSON report)")
    return "\n".join(lines)
