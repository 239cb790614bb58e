"""`ajio-sim run` end to end: the real binary, real connector processes, real HTTP servers."""
from __future__ import annotations

import json
import shutil
import sys
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness.loader import load_scenario

from .conftest import BUGGY, REFERENCE, ROOT

pytestmark = pytest.mark.e2e


# Every bundled bug against its scenario: tests/harness/test_buggy_connectors.py. Here, what a failure report holds.
def test_run_buggy_connector_report_shows_causes_then_rule_junit_and_replay(run_harness, tmp_path):
    """Issue 18: the requests AJIO refused (method, path, status, error_code, rule id) come before the
    expected/actual diff; the failure names the rule with its quoted source; JUnit and replay data follow."""
    junit = tmp_path / "junit.xml"
    result = run_harness("scenarios/ds/fulfilment/label_prerequisites.yaml", "--connector-cmd",
                         f"{BUGGY} label_no_dimensions", "--junit", str(junit))
    assert result.code == 1, result.output[-3000:]
    [failed] = result.report["scenarios"]
    assert failed["status"] == "failed"
    [cause] = [c for c in failed["causes"] if c["path"].endswith("/label")]
    assert (cause["method"], cause["status"], cause["error_code"], cause["rule_id"]) == \
        ("POST", 400, "VALIDATION_FAILED", "DS-LABEL-NEEDS-DIMENSIONS")
    out = result.output
    assert out.index("AJIO refused these requests") < out.index("expected:"), out[-3000:]
    assert "/label -> 400" in out
    assert "rule:     DS-LABEL-NEEDS-DIMENSIONS: " in out and "source:   " in out
    assert any(f["rule_id"] == "DS-LABEL-NEEDS-DIMENSIONS" for f in failed["failures"])
    replay = failed["replay"]
    assert replay["seed"] == load_scenario(failed["file"]).seed and replay["clock"]["now"] >= replay["start"]
    assert replay["journal_excerpt"], "a failed scenario carries the journal's tail to replay it"
    case = ET.parse(junit).getroot().find("testsuite/testcase")
    text = case.find("failure").text
    assert "DS-LABEL-NEEDS-DIMENSIONS" in text and "AJIO refused these requests" in text


def test_run_world_step_refused_is_the_connectors_failure_naming_order_and_timeline(run_harness):
    """Issue 18: a world step the connector made impossible (pickup of an order it never manifested) is the
    connector's failure, naming the order, its timeline and the rule the world's refusal names."""
    result = run_harness("scenarios/ds/cancellation/customer_cancel_refused_after_invoice.yaml", "--connector-cmd",
                         f"{BUGGY} never_manifests")
    assert result.code == 1, result.output[-3000:]
    [run] = result.report["scenarios"]
    assert run["status"] == "failed" and run["error"] is None, run
    [failure] = run["failures"]
    assert failure["step"].endswith("(pickup)") and failure["rule_id"] == "DS-COURIER-AFTER-MANIFEST"
    assert "the world cannot take step 'pickup'" in failure["what"]
    assert "PACKED (timeline: CREATED -> CONFIRMED -> CONFIRMED -> INVOICED -> PACKED)" in failure["actual"] \
        or "is PACKED (timeline: " in failure["actual"]


def test_run_shell_curl_connector_passes(run_harness):
    """A connector in another runtime (POSIX sh + curl + jq) is tested the same way: proof of "any"."""
    missing = [tool for tool in ("sh", "curl", "jq") if shutil.which(tool) is None]
    assert not missing, f"install {missing} (.ci/run does) to run the shell connector"
    result = run_harness("scenarios/", "-k", "ds/fulfilment/happy_path,ds/cancellation/customer_cancel_after_ack",
                         "--connector-cmd", f"sh {ROOT / 'examples/shell_connector/connector.sh'}")
    assert result.code == 0, result.output[-3000:]
    assert [s["status"] for s in result.report["scenarios"]] == ["passed"] * 2


def test_run_python_callable_adapter(run_harness):
    """module:function in-process; an int it returns is the exit code (label scenario expects 1)."""
    target = f"{ROOT / 'examples/reference_connector/connector.py'}:run_once"
    result = run_harness("scenarios/ds/fulfilment/", "-k", "happy_path,label_without_shipping_access",
                         "--connector-python", target)
    assert result.code == 0, result.output[-3000:]
    assert [s["status"] for s in result.report["scenarios"]] == ["passed", "passed"]


def test_run_http_trigger_adapter(run_harness):
    """A connector running as a service: each sync is a POST of the connector environment."""
    sys.path.insert(0, str(ROOT / "examples/reference_connector"))
    import connector as reference  # the example, imported as a service would

    calls = []

    class Trigger(BaseHTTPRequestHandler):
        def do_POST(self):
            import json
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            calls.append(body)
            errors = reference.run_once({k: v for k, v in body.items() if k.startswith("AJIO_")})
            self.send_response(200 if not errors else 500)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trigger)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run_harness("scenarios/ds/fulfilment/happy_path.yaml",
                             "--connector-http", f"http://127.0.0.1:{server.server_port}/sync")
    finally:
        server.shutdown()
    assert result.code == 0, result.output[-3000:]
    runs = sum(step.args.get("times", 1) for step in load_scenario(ROOT / "scenarios/ds/fulfilment/happy_path.yaml").steps
               if step.kind == "run_connector")
    assert len(calls) == runs and calls[0]["AJIO_MODEL"] == "ds" and calls[0]["AJIO_USERNAME"].startswith("DV")
    assert "default_stock" in calls[0]["warehouse"]


def test_run_against_running_server_base_url(run_harness, server, tmp_path):
    """--base-url: scenarios share a real `ajio-sim serve` (fresh POBs each, run one at a time). --journal-dir
    then writes each scenario's own POBs' entries only, never the other scenario's."""
    journals = tmp_path / "journals"
    result = run_harness("scenarios/", "-k", "ds/fulfilment/happy_path,ds/platform/multi_pob_isolation",
                         "--base-url", server.base_url, "--jobs", "4", "--connector-cmd", REFERENCE,
                         "--journal-dir", str(journals))
    assert result.code == 0, result.output[-3000:]
    assert [s["status"] for s in result.report["scenarios"]] == ["passed", "passed"]
    written = {str(f.relative_to(journals)): [json.loads(line) for line in f.read_text().splitlines()]
               for f in journals.rglob("*.jsonl")}
    assert set(written) == {"ds/fulfilment/happy_path.jsonl", "ds/platform/multi_pob_isolation.jsonl"}
    pobs = {name: {e["pob_id"] for e in entries} for name, entries in written.items()}
    assert len(pobs["ds/fulfilment/happy_path.jsonl"]) == 1 and len(pobs["ds/platform/multi_pob_isolation.jsonl"]) == 2
    assert not pobs["ds/fulfilment/happy_path.jsonl"] & pobs["ds/platform/multi_pob_isolation.jsonl"]
    for entries in written.values():
        assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
        assert {"POST", "GET"} <= {e["method"] for e in entries}


def test_run_journal_dir_that_cannot_be_written_or_a_replay_is_refused(run_harness, tmp_path):
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("")
    result = run_harness("scenarios/ds/fulfilment/happy_path.yaml", "--connector-cmd", "true",
                         "--journal-dir", str(a_file))
    assert result.code == 2 and f"--journal-dir {a_file}: not a directory that can be written" in result.output
    result = run_harness("scenarios/ds/fulfilment/happy_path.yaml", "--connector-cmd", "true",
                         "--replay", str(tmp_path / "x.har"), "--journal-dir", str(tmp_path / "j"))
    assert result.code == 2 and "--journal-dir: a replay runs against a recording" in result.output


def test_run_invalid_scenario_exit_2_names_file_line_and_field(run_harness, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: t\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\nsteps:\n  - run_connector\n  - pickup: {}\n")
    result = run_harness(str(bad), "--connector-cmd", "true")
    assert result.code == 2
    assert f"{bad}: line 6: steps[1].pickup: missing required key 'order'" in result.output


# A run killed by wall clock: the sync that invoices and labels the order hangs on its manifest call (a latency
# fault far longer than the step's timeout) and is killed after `timeout` seconds. (The catalogue's crashes use
# `kill_at`, which needs no wall clock; this is the step option's own test.)
TIMEOUT_SCENARIO = """\
name: run_connector timeout kills a run still going
rule: [DS-MANIFEST-FETCHED]
model: ds
seed: 5106
world:
  sellers: [{name: pob}]
steps:
  - place_orders: {count: 1, as: o}
  - run_connector: {times: 2}
  - advance: 30m
  - control:
      method: POST
      path: /faults
      body:
        match: {method: POST, path: /ds/orders/dispatch, pob_id: "${pob.pob_id}"}
        effects: [{kind: latency, ms: 30000}]
  - run_connector: {timeout: 2}
  - expect:
      - order: {id: "${o[0]}", status: PACKED}
  - control: {method: DELETE, path: /faults}
  - run_connector: {}
  - expect:
      - order: {id: "${o[0]}", status: READY_TO_DISPATCH}
        rule: DS-MANIFEST-FETCHED
"""


def test_run_connector_timeout_kills_a_run_still_going_recorded_not_fatal(run_harness, tmp_path):
    """`run_connector: {timeout: N}` kills a run still going after N wall-clock seconds: recorded with exit code -9
    and said in its output, not fatal; the next run finishes the work."""
    target = tmp_path / "timeout.yaml"
    target.write_text(TIMEOUT_SCENARIO)
    result = run_harness(str(target), "--connector-cmd", REFERENCE)
    assert result.code == 0, result.output[-3000:]
    [scenario] = result.report["scenarios"]
    killed = [r for r in scenario["connector_runs"] if r["exit_code"] == -9]
    assert len(killed) == 1 and "[harness] connector killed after 2 s" in killed[0]["output_tail"], killed
    assert 2 <= killed[0]["duration_s"] < 15


@pytest.mark.parametrize("scenario, error", [
    ("scenarios/ds/platform/token_expiry.yaml", "start_connector needs a daemon-capable adapter"),
    # a run killed mid-sync (`run_connector: {timeout: N}`) needs a process to kill
    (None, "run_connector timeout (a run killed mid-sync) needs a connector process"),
])
def test_run_step_the_python_adapter_cannot_do_is_an_error(run_harness, tmp_path, scenario, error):
    if scenario is None:
        scenario = tmp_path / "timeout.yaml"
        scenario.write_text(TIMEOUT_SCENARIO)
    target = f"{ROOT / 'examples/reference_connector/connector.py'}:run_once"
    result = run_harness(str(scenario), "--connector-python", target)
    assert result.code == 1
    [s] = result.report["scenarios"]
    assert s["status"] == "error" and error in s["error"]


def test_run_connector_that_does_nothing_fails_happy_path(run_harness):
    """The harness can fail: a connector that exits 0 without calling AJIO does not pass."""
    result = run_harness("scenarios/ds/fulfilment/happy_path.yaml", "--connector-cmd", "true")
    assert result.code == 1
    [s] = result.report["scenarios"]
    assert s["status"] == "failed" and s["failures"][0]["actual"].startswith("CREATED")


def test_run_world_throttle_and_clock_restored_on_a_shared_server(run_harness, tmp_path):
    """world.throttle / world.clock: switched for the scenario, given back to a shared server after it."""
    import requests

    from fixtures.simclient import ServerProcess

    proc = ServerProcess(tmp_path / "shared.sqlite3")
    try:
        before = requests.get(f"{proc.base_url}/_sim/throttle", timeout=10).json()
        clock = requests.get(f"{proc.base_url}/_sim/clock", timeout=10).json()
        assert before["mode"] == "off" and clock["frozen"] is True
        result = run_harness("scenarios/ds/faults/throttled_backs_off.yaml", "--base-url", proc.base_url,
                             "--connector-cmd", REFERENCE)
        assert result.code == 0, result.output[-3000:]
        journal = requests.get(f"{proc.base_url}/_sim/journal?limit=5000", timeout=10).json()
        assert any(e["status"] == 429 for e in journal["entries"]), "the scenario's throttling applied"
        assert requests.get(f"{proc.base_url}/_sim/throttle", timeout=10).json() == before
        after = requests.get(f"{proc.base_url}/_sim/clock", timeout=10).json()
        assert after["frozen"] is True and after["now"] >= clock["now"] + 30 * 60
    finally:
        proc.stop()


def test_run_reinstall_connector_empties_its_state_but_the_warehouse(run_harness, tmp_path):
    """`reinstall_connector`: what the connector kept in AJIO_STATE_DIR is gone, the warehouse file stays."""
    seen = tmp_path / "seen.txt"
    connector = (f'ls "$AJIO_STATE_DIR" | tr "\\n" " " >> {seen}; echo >> {seen}; '
                 f'touch "$AJIO_STATE_DIR/state.json"; mkdir -p "$AJIO_STATE_DIR/cache"')
    scenario = tmp_path / "reinstall.yaml"
    scenario.write_text("name: reinstall\nrule: [API-CONTRACT]\nmodel: ds\nworld: {sellers: [{name: pob}]}\n"
                        "steps:\n  - warehouse: {default_stock: 1}\n  - run_connector: {}\n"
                        "  - reinstall_connector: {}\n  - run_connector: {}\n")
    result = run_harness(str(scenario), "--connector-cmd", connector)
    assert result.code == 0, result.output[-3000:]
    first, after_reinstall = seen.read_text().split("\n")[:2]
    assert "warehouse.json" in first and "state.json" not in first
    assert after_reinstall == first  # no state.json, no cache/: only the warehouse (and the harness's log)
