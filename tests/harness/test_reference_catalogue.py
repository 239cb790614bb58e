"""The whole catalogue, run ONCE against the reference connector, and everything checked on that run.

`ajio-sim run scenarios/ --connector-cmd REFERENCE --junit --json --journal-dir` (the real binary, real connector
processes, the harness's stand-in playing the ERP of VMS scenarios): every scenario passes, the JUnit and JSON
reports say so, and each scenario's journal (every answer the simulator sent, kept whole) is checked against the
published schemas. The checks share one run because the run is the expensive part: they live in one module so
that pytest-xdist (`--dist loadfile`) gives them to one worker, which runs the catalogue once.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contracts.answers import AnswerChecker
from contracts.openapi import ajio_spec
from fixtures.answer_check import loose_properties
from harness.loader import discover, load_scenario

from .conftest import REFERENCE, ROOT, ajio_sim_run, connector_side

pytestmark = pytest.mark.e2e

VMS = [load_scenario(p) for p in discover(ROOT / "scenarios/vms")]


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    """(result, JUnit file, journal directory) of the run."""
    tmp = tmp_path_factory.mktemp("reference")
    junit, journals = tmp / "junit.xml", tmp / "journals"
    result = ajio_sim_run(tmp, "scenarios/", "--connector-cmd", REFERENCE, "--junit", str(junit), "--jobs", "4",
                          "--journal-dir", str(journals))
    return result, junit, journals


def test_run_reference_connector_passes_every_scenario(reference_run):
    result, _, _ = reference_run
    broken = [(s["file"], s["error"], s["failures"]) for s in (result.report or {}).get("scenarios", [])
              if s["status"] != "passed"]
    assert result.code == 0, broken or result.output[-4000:]
    statuses = {s["file"]: s["status"] for s in result.report["scenarios"]}
    assert len(statuses) == len(connector_side(discover(ROOT / "scenarios")))
    assert set(statuses.values()) == {"passed"}, statuses
    assert result.report["ok"] is True


def test_run_junit_lists_each_scenario_as_a_testcase(reference_run):
    _, junit, _ = reference_run
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    names = {s.name for s in connector_side(discover(ROOT / "scenarios"))}
    assert {c.get("name") for c in cases} == names
    assert int(suite.get("tests")) == len(names) and suite.get("failures") == "0" and suite.get("errors") == "0"
    assert all(c.find("failure") is None and c.find("error") is None for c in cases)
    assert all(float(c.get("time")) > 0 for c in cases)


def test_run_connector_nonzero_exit_recorded_not_fatal(reference_run):
    """API.md: a non-zero connector exit is recorded, not fatal by itself (the 403 label scenario)."""
    result, _, _ = reference_run
    [scenario] = [s for s in result.report["scenarios"] if s["file"].endswith("label_without_shipping_access.yaml")]
    assert scenario["status"] == "passed"
    assert 1 in [r["exit_code"] for r in scenario["connector_runs"]]
    assert "403" in " ".join(r["output_tail"] for r in scenario["connector_runs"])


def test_run_reference_connector_survives_every_fault_scenario(reference_run):
    """docs/faults.md: throttling (strict, Retry-After), resets, a late PO and a repeated order, staged
    by the scenarios in ds/faults/; the reference connector finishes each with exit code 0."""
    result, _, _ = reference_run
    faults = {s["file"]: s for s in result.report["scenarios"] if "/ds/faults/" in s["file"]}
    assert {Path(f).name for f in faults} == {p.name for p in (ROOT / "scenarios/ds/faults").glob("*.yaml")}
    assert len(faults) >= 4
    for scenario in faults.values():
        assert scenario["status"] == "passed", scenario
        assert scenario["connector_runs"][-1]["exit_code"] == 0, scenario["connector_runs"][-1]


def _relative(path: str) -> str:
    return str(Path(path).resolve().relative_to(ROOT))


def test_run_vms_reference_connector_passes_every_connector_scenario(reference_run):
    result, _, _ = reference_run
    statuses = {_relative(s["file"]): s["status"] for s in result.report["scenarios"]
                if _relative(s["file"]).startswith("scenarios/vms/")}
    connector_scenarios = {_relative(s.path) for s in VMS if s.under_test == "connector"}
    assert set(statuses) == connector_scenarios and len(statuses) >= 12
    assert set(statuses.values()) == {"passed"}


def test_run_vms_erp_scenarios_left_out_without_an_erp_named(reference_run):
    """Scenarios judging the ERP (alone or beside the connector) need an ERP under test: left out, counted."""
    result, _, _ = reference_run
    erp_side = {_relative(s.path) for s in VMS if s.under_test in ("erp", "both")}
    assert {s.under_test for s in VMS} == {"connector", "erp", "both"}
    assert f"{len(erp_side)} scenario(s) left out: they put the erp under test" in result.output
    assert not {_relative(s["file"]) for s in result.report["scenarios"]} & erp_side


# --- the answers: every answer of the catalogue against its published schema -----------------------------------
@pytest.fixture(scope="module")
def journal_entries(reference_run):
    """Every scenario's journal entries, from `--journal-dir` (a file per scenario, at its path below scenarios/)."""
    result, _, journals = reference_run
    files = sorted(journals.rglob("*.jsonl"))
    assert {str(f.relative_to(journals).with_suffix(".yaml")) for f in files} == \
        {_relative(s["file"]).removeprefix("scenarios/") for s in result.report["scenarios"]}
    return [json.loads(line) for f in files for line in f.read_text().splitlines()]


def _answers(entries):
    for e in entries:
        if e["status"] == 0 or e["status"] >= 500 or not e["response_body"]:
            continue  # a staged reset or 5xx (ds/faults): outside the contract
        if not e["path"].startswith("/"):
            continue  # a posting to the seller's ERP (VMS): the ERP's answer, not AJIO's
        if any(isinstance(f, dict) and f.get("kind") == "unknown_value" and "was" in f for f in e.get("faults") or []):
            continue  # a staged unknown_value: off the contract on purpose (docs/faults.md)
        try:
            body = json.loads(e["response_body"])
        except ValueError:
            continue  # a PDF, or a staged malformed body
        yield e, body


def test_catalogue_answers_match_their_published_schemas(reference_run, journal_entries, answer_audit):
    """Each answer the reference connector got matches its published schema (contracts/answers.py: no required key
    missing, no undeclared key, the declared types and nullability). The answers also join the session's audit."""
    result, _, _ = reference_run
    assert result.code == 0, "the catalogue must pass with the reference connector"
    checker = AnswerChecker(ajio_spec())
    problems, checked = [], 0
    clipped = [e["id"] for e in journal_entries if (e["response_body"] or "").endswith("more characters]")]
    assert not clipped, f"journal bodies clipped (--journal-dir keeps them whole): {clipped[:5]}"
    for entry, body in _answers(journal_entries):
        found = checker.check(entry["method"], entry["status"], body, path=entry["path"])
        answer_audit.ajio.check(entry["method"], entry["status"], body, path=entry["path"])
        problems += [f"#{entry['id']} {entry['method']} {entry['path']}: {p}" for p in found]
        checked += 1
    assert checked > 1000, checked  # the catalogue makes thousands of calls: the journals were read
    assert not problems, "\n".join(problems[:30])
    reached = {op for op, status in checker.answers if status.startswith("2")}
    assert {"get_pendency", "acknowledge_order", "generate_invoice", "generate_label", "dispatch_orders",
            "quality_check", "get_credit_note", "jit_get_pendency", "jit_pack", "jit_dispatch_orders"} <= reached


def test_catalogue_answers_leave_no_always_sent_property_optional(journal_entries):
    """Over the whole catalogue every optional property was absent at least once: one the simulator always sends
    belongs in `required`."""
    checker = AnswerChecker(ajio_spec())
    for entry, body in _answers(journal_entries):
        checker.check(entry["method"], entry["status"], body, path=entry["path"])
    assert loose_properties(checker) == {}
