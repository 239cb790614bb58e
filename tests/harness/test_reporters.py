"""Reporters and journal matching, below the CLI: events in, text/XML out."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from harness import events as ev
from harness.expectations import matches
from harness.loader import load_scenario
from harness.model import ConnectorRun, Failure, ScenarioResult
from harness.reporters.console import ConsoleReporter
from harness.reporters.junit import JUnitReporter

ROOT = Path(__file__).resolve().parents[2]


def _results():
    s = load_scenario(ROOT / "scenarios/ds/fulfilment/no_split.yaml")
    ok = ScenarioResult(s, "passed", 1.5)
    bad = ScenarioResult(s, "failed", 2.5, failures=[Failure(
        "step 6 (expect) expectation 1 (request)", "requests POST /ds/orders/X/invoice", "exactly 1", "0",
        "DS-NO-ORDER-SPLIT")],
        connector_runs=[ConnectorRun("step 4 (run_connector)", "DVX", 1, 0.2, "Traceback: boom")],
        replay={"seed": 301, "start": 1, "sellers": {"pob": "DVX"}, "clock": {"now": 2}, "journal_excerpt": []})
    return [ok, bad]


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", text)


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "ci-log"])
def test_console_reporter_prints_failure_expected_actual_rule(terminal):
    buf = io.StringIO()
    rep = ConsoleReporter(Console(file=buf, force_terminal=terminal, width=160))
    results = _results()
    rep.handle(ev.RunStarted([r.scenario for r in results], "command: x", "in-process"))
    for r in results:
        rep.handle(ev.ScenarioDone(r))
    rep.handle(ev.RunDone(results, 4.0))
    out = _plain(buf.getvalue())
    assert "[2/2] FAIL" in out
    assert "expected: exactly 1" in out and "actual:   0" in out
    assert "rule:     DS-NO-ORDER-SPLIT: An order is never split" in out
    assert 'source:   Unicommerce (Uniware) help, "Integration with AJIO Dropship" (seed 000), point 5' in out
    assert "connector exited 1" in out and "replay: seed 301" in out
    assert "1 passed, 1 failed, 0 errors" in out


def test_junit_reporter_failure_and_error_counts(tmp_path):
    results = _results()
    path = tmp_path / "out" / "junit.xml"
    JUnitReporter(str(path)).handle(ev.RunDone(results, 4.0))
    suite = ET.parse(path).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    failure = suite.findall("testcase")[1].find("failure")
    assert "DS-NO-ORDER-SPLIT" in failure.text and "(seed 000), point 5" in failure.text
    assert failure.get("message") == "requests POST /ds/orders/X/invoice"
    assert suite.findall("testcase")[1].find("system-err").text.startswith("replay: ")


ENTRY = {"id": 1, "method": "POST", "path": "/ds/orders", "query": None, "status": 409,
         "request_body": '{"order_id": "FN1", "status": "Acknowledge", "order_lines": [{"order_item_id": "A", '
                         '"confirmed_quantity": 1}, {"order_item_id": "B", "confirmed_quantity": 0}]}'}


@pytest.mark.parametrize("match, hit", [
    ({"path": "/ds/orders"}, True),
    ({"path": "/ds/*"}, True),
    ({"path": "/ds/orders", "method": "get"}, False),
    ({"path": "/ds/orders", "status": "4xx"}, True),
    ({"path": "/ds/orders", "status": 200}, False),
    ({"path": "/ds/orders", "status": [200, 409]}, True),
    ({"path": "/ds/orders", "body": {"order_id": "FN1"}}, True),
    ({"path": "/ds/orders", "body": {"order_lines": [{"confirmed_quantity": 0}]}}, True),
    ({"path": "/ds/orders", "body": {"order_lines": [{"confirmed_quantity": 5}]}}, False),
    ({"path": "/ds/orders", "body": {"order_id": "FN2"}}, False),
    ({"path": "/ds/orders", "query": "orderIds"}, False),
])
def test_journal_match(match, hit):
    assert matches(ENTRY, match) is hit
