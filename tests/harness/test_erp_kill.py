"""`erp: {kill_at: ...}`: the seller's ERP command (the reference ERP, a real process) killed at the nth matching call
it makes to AJIO, before or after AJIO handled it, down until the scenario's next `erp: {restart: true}`, its state
dir kept
(harness/killswitch.py, harness/vms_run.py)."""
from __future__ import annotations

import json
import sys
import textwrap

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.e2e

REFERENCE_ERP = f"{sys.executable} {ROOT / 'examples/reference_erp/erp.py'}"

# Two orders acknowledged at once: their two OUTWARD_ORDER_CREATE postings reach the ERP in one pump, and it posts
# two e-invoices to AJIO, unless it is killed first; it stays down until the scenario restarts it, then the
# integration layer's retry reaches the restarted ERP.
SCENARIO = """\
name: erp kill_at {when} at e-invoice {nth}
rule: [ERP-ORDER-CREATE-POSTING]
model: vms
under_test: {side}
seed: 14320
world:
  sellers: [{{name: pob, einvoice_model: erp}}]
steps:
  - place_orders: {{count: 2, as: o}}
  - erp: {{kill_at: {{method: POST, path: "/ajio-vms/b2bInvoice/*", nth: {nth}, when: {when}}}}}
  - acknowledge: "${{o[0]}}"
  - acknowledge: "${{o[1]}}"
  - advance: 30m
  - expect:
{expect}
  - erp: {{restart: true}}
  - advance: 30s
  - wait_until:
      timeout: 10
      expect:
        - orders: {{status: INVOICED, count: 2}}
          rule: ERP-ORDER-CREATE-POSTING
"""


def _scenario(tmp_path, *, when: str, expect: str, nth: int = 2, side: str = "erp"):
    target = tmp_path / f"erp_kill_{when}_{nth}.yaml"
    target.write_text(SCENARIO.format(when=when, nth=nth, side=side, expect=textwrap.indent(expect, "      ")))
    return str(target)


def _erp_runs(report: dict) -> list[dict]:
    [scenario] = report["scenarios"]
    return [r for r in scenario["connector_runs"] if r["step"].startswith("ERP under test")]


def test_erp_killed_after_the_nth_call_leaves_ajio_changed_and_comes_back(run_harness, tmp_path):
    # Both e-invoices were taken; the second was journaled with status 0 (no answer went back) and the ERP, which
    # died before answering the second posting, answers its retry from its books after the restart.
    expect = textwrap.dedent("""\
        - orders: {status: INVOICED, count: 2}
        - request: {method: POST, path: /ajio-vms/b2bInvoice/posting, status: 200, count: 1}
        - request: {method: POST, path: /ajio-vms/b2bInvoice/posting, status: 0, count: 1}
        - erp_postings: {event_type: OUTWARD_ORDER_CREATE, status: PENDING, count: 1}
        """)
    journals = tmp_path / "journals"
    result = run_harness(_scenario(tmp_path, when="after", expect=expect), "--erp-cmd", REFERENCE_ERP,
                         "--journal-dir", str(journals))
    assert result.code == 0, result.output[-3000:]
    # the journal files the lost answer under the ERP, the process that was killed
    [lost] = [e for f in journals.rglob("*.jsonl") for e in map(json.loads, f.read_text().splitlines())
              if e["status"] == 0]
    assert [(f["kind"], f["processed_status"]) for f in lost["faults"]] == [("erp_killed", 200)]
    killed, last = _erp_runs(result.report)
    assert killed["step"] == "ERP under test of pob (killed: kill_at of step 2 (erp))"
    assert killed["exit_code"] == -9
    assert killed["kill"] == ("ERP killed (kill_at) at POST /ajio-vms/b2bInvoice/posting "
                              "(matching call 2, after AJIO handled it)")
    assert "[harness] ERP killed (kill_at) at POST /ajio-vms/b2bInvoice/posting" in killed["output_tail"]
    # the restarted process, stopped at the end: same log, its restart said, no kill of its own
    assert last["step"] == "ERP under test of pob (stopped at the end)" and "kill" not in last
    assert "[harness] ERP restarted after its kill (kill_at), state dir kept" in last["output_tail"]
    assert "again: already processed" in last["output_tail"]
    assert "ERP killed (kill_at) at POST /ajio-vms/b2bInvoice/posting" in result.output


def test_erp_killed_before_the_nth_call_leaves_ajio_unchanged(run_harness, tmp_path):
    # The second e-invoice never reached AJIO: one order invoiced, the other still ACKNOWLEDGED until the restarted
    # ERP posts the e-invoice it had made (the last step of the scenario).
    expect = textwrap.dedent("""\
        - order: {id: "${o[0]}", status: INVOICED}
        - order: {id: "${o[1]}", status: ACKNOWLEDGED}
        - request: {method: POST, path: /ajio-vms/b2bInvoice/posting, count: 1}
        """)
    result = run_harness(_scenario(tmp_path, when="before", expect=expect), "--erp-cmd", REFERENCE_ERP)
    assert result.code == 0, result.output[-3000:]
    killed, _ = _erp_runs(result.report)
    assert killed["exit_code"] == -9
    assert killed["kill"].endswith("(matching call 2, before AJIO handled it)")


def test_erp_kill_not_reached_is_said_nothing_is_killed_and_the_scenario_is_an_error(run_harness, tmp_path):
    """Every expectation holds, but the crash the scenario is about never happened: no pass."""
    expect = "- orders: {status: INVOICED, count: 2}\n"
    result = run_harness(_scenario(tmp_path, when="after", nth=3, expect=expect), "--erp-cmd", REFERENCE_ERP)
    assert result.code != 0, result.output[-3000:]
    [scenario] = result.report["scenarios"]
    assert scenario["status"] == "error" and not scenario["failures"], scenario
    assert scenario["error"] == ("step 2 (erp): ERP kill_at not reached: 2 call(s) matched POST /ajio-vms/b2bInvoice/*, "
                                 "fewer than nth 3; nothing was killed: the crash this scenario tests was never "
                                 "exercised")
    [only] = _erp_runs(result.report)
    assert only["exit_code"] in (-15, 143, 0)
    assert only["kill"] == ("ERP kill_at not reached: 2 call(s) matched POST /ajio-vms/b2bInvoice/*, fewer than "
                            "nth 3; nothing was killed")
    assert "[harness] ERP kill_at not reached" in only["output_tail"]


def test_erp_kill_aimed_by_body_counts_only_the_calls_whose_body_holds_it(run_harness, tmp_path):
    # Two whole e-invoices (isPartialInvoice false): a switch aimed at a partial one lets both by, where the same
    # switch without `body` would have killed the ERP at the first.
    expect = "- orders: {status: INVOICED, count: 2}\n"
    path = _scenario(tmp_path, when="after", nth=1, expect=expect)
    text = open(path).read().replace("nth: 1, when: after}", "nth: 1, when: after, body: {isPartialInvoice: true}}")
    assert "body: {isPartialInvoice: true}" in text
    open(path, "w").write(text)
    result = run_harness(path, "--erp-cmd", REFERENCE_ERP)
    [scenario] = result.report["scenarios"]
    assert scenario["status"] == "error" and not scenario["failures"], result.output[-3000:]  # never killed
    [only] = _erp_runs(result.report)
    assert only["exit_code"] in (-15, 143, 0)
    assert only["kill"] == ('ERP kill_at not reached: 0 call(s) matched POST /ajio-vms/b2bInvoice/* with body '
                            '{"isPartialInvoice": true}, fewer than nth 1; nothing was killed')


def test_erp_kill_at_refused_for_the_stand_in_erp(run_harness, tmp_path):
    # A connector-side scenario: the harness's stand-in ERP plays the ERP, in a thread: nothing to kill.
    path = tmp_path / "stand_in.yaml"
    path.write_text(textwrap.dedent("""\
        name: erp kill_at with the stand-in ERP
        rule: [VMS-ACK-HOLD]
        model: vms
        world:
          sellers: [{name: pob, einvoice_model: erp}]
        steps:
          - erp: {kill_at: {method: POST, path: /ajio-vms/b2bInvoice/posting}}
          - run_connector
          - erp: {restart: true}
        """))
    result = run_harness(str(path), "--connector-cmd",
                         f"{sys.executable} {ROOT / 'examples/reference_connector/connector.py'}")
    [scenario] = result.report["scenarios"]
    assert scenario["status"] == "error", scenario
    assert "step 1 (erp): erp kill_at (the ERP killed at a call) needs an ERP command the harness started " \
           "(--erp-cmd)" in scenario["error"]


def test_erp_kill_at_scenario_left_out_for_an_erp_url(run_harness, tmp_path):
    # An --erp-url ERP runs outside the harness: the scenario is left out, as one restarting the ERP is, and says so.
    path = _scenario(tmp_path, when="after", expect="- orders: {status: INVOICED, count: 2}\n")
    result = run_harness(path, "--erp-url", "http://127.0.0.1:9/postings")
    assert "1 scenario(s) left out: they restart the ERP" in result.output, result.output[-2000:]


def test_an_erp_port_is_free_and_below_the_ephemeral_range_where_servers_on_port_0_land(tmp_path):
    """An ERP restarted within a scenario comes back on its port: a port of the ephemeral range could meanwhile be
    handed to any server started on port 0 (a parallel run's simulator)."""
    import socket

    from harness import erp

    low = erp._ephemeral_low()
    for _ in range(20):
        port = erp.free_port()
        assert erp.LOWEST_PORT <= port < low
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))      # free when handed out
    ranges = tmp_path / "range"
    ranges.write_text("40000\t60999\n")
    assert erp._ephemeral_low(str(ranges)) == 40000
    assert erp._ephemeral_low(str(tmp_path / "missing")) == 32768
