"""JUnit XML: one testsuite, one testcase per scenario; failures carry the messages and the replay data."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from harness import events as ev
from harness.reporters.text import failure_text


def _classname(path: str) -> str:
    """scenarios/ds/fulfilment/no_split.yaml -> scenarios.ds.fulfilment.no_split (relative when possible)."""
    p = Path(path).resolve()
    try:
        p = p.relative_to(Path.cwd())
    except ValueError:
        parts = p.parts
        p = Path(*parts[parts.index("scenarios"):]) if "scenarios" in parts else Path(p.name)
    return p.with_suffix("").as_posix().replace("/", ".")


class JUnitReporter:
    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def handle(self, event) -> None:
        if isinstance(event, ev.RunDone):
            self.write(event)

    def write(self, done: ev.RunDone) -> None:
        results = done.results
        suite = ET.Element("testsuite", name="ajio-sim scenarios", tests=str(len(results)),
                           failures=str(sum(r.status == "failed" for r in results)),
                           errors=str(sum(r.status == "error" for r in results)), skipped="0",
                           time=f"{done.duration_s:.3f}")
        for r in results:
            name = r.scenario.name + (" [replay]" if r.mode == "replay" else "")
            case = ET.SubElement(suite, "testcase", name=name, classname=_classname(r.scenario.path),
                                 file=r.scenario.path, time=f"{r.duration_s:.3f}")
            if r.mode == "replay":
                props = ET.SubElement(case, "properties")
                ET.SubElement(props, "property", name="ajio-sim.mode", value="replay")
                ET.SubElement(props, "property", name="ajio-sim.recording", value=r.recording or "")
            if r.status != "passed":
                tag = "failure" if r.status == "failed" else "error"
                first = r.failures[0].what if r.failures else (r.error or "").splitlines()[0]
                node = ET.SubElement(case, tag, message=first[:500], type=tag)
                node.text = failure_text(r)
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(f"[{run.step}] {run.seller} exit {run.exit_code} in {run.duration_s:.2f} s\n"
                                 f"{run.output_tail}" for run in r.connector_runs)
            if r.replay:
                err = ET.SubElement(case, "system-err")
                err.text = "replay: " + json.dumps(r.replay, indent=1, default=str)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        root = ET.Element("testsuites", tests=suite.get("tests"), failures=suite.get("failures"),
                          errors=suite.get("errors"), time=suite.get("time"))
        root.append(suite)
        ET.indent(root)
        ET.ElementTree(root).write(self.path, encoding="utf-8", xml_declaration=True)
