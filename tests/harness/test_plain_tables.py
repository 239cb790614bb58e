"""Tables printed where no one sees a terminal (a pipe, a file, a CI log): plain columns, never folded."""
from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from harness import events as ev
from harness.loader import load_scenario
from harness.model import ScenarioResult
from harness.reporters.console import ConsoleReporter
from harness.tables import plain_table

ROOT = Path(__file__).resolve().parents[2]


def test_plain_table_aligns_columns_and_keeps_each_row_on_one_line():
    text = plain_table(["pob_id", "password"], [["DVB1VX5Z", "pw-6a1b453a3a26d09f"], ["DV1", "multi\nline  cell"]])
    assert text.splitlines() == ["pob_id    password", "DVB1VX5Z  pw-6a1b453a3a26d09f", "DV1       multi line cell"]


def test_plain_table_prints_none_as_empty():
    assert plain_table(["a", "b"], [[None, 1]]).splitlines()[1] == "   1"


def test_console_summary_in_a_ci_log_is_one_line_per_scenario():
    s = load_scenario(ROOT / "scenarios/ds/cancellation/customer_cancel_after_ack.yaml")
    results = [ScenarioResult(s, "passed", 1.5), ScenarioResult(s, "failed", 2.0)]
    buf = io.StringIO()
    rep = ConsoleReporter(Console(file=buf, force_terminal=False, width=80))
    rep.handle(ev.RunStarted([s], "command: x", "in-process"))
    rep.handle(ev.RunDone(results, 3.5))
    lines = buf.getvalue().splitlines()
    start = lines.index(next(line for line in lines if line.startswith("result")))
    assert lines[start + 1] == f"PASS    1.5  {s.name}  {s.rule}"
    assert lines[start + 2] == f"FAIL    2.0  {s.name}  {s.rule}"
    assert len(lines[start + 1]) > 80  # longer than the width rich assumes for a pipe, and still one line
