"""VMS scenario files (seed 002): who is under test, the sellers' models, the VMS-layer steps and the
VMS expectations are validated on load, every error naming the file, the step and the problem."""
from __future__ import annotations

from pathlib import Path

import pytest

from harness.expectations import matches
from harness.loader import discover, load_scenario
from harness.model import ScenarioError

ROOT = Path(__file__).resolve().parents[2]
VMS = "name: t\nmodel: vms\nrule: VMS-ACK-HOLD\n"


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path


# The schema's words (line: field: problem) where it can tell; the loader's own (step N (kind)) beyond it.
@pytest.mark.parametrize("text, where, problem", [
    (VMS + "under_test: warehouse\nsteps:\n  - run_connector\n",
     "line 4: under_test", "'warehouse' is not one of ['connector', 'erp', 'both']"),
    ("name: t\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\nunder_test: erp\nsteps:\n  - expect: {no_violations: true}\n",
     "under_test", "only a VMS scenario can put an ERP under test"),
    (VMS + "under_test: erp\nsteps:\n  - run_connector\n", "step 1 (run_connector)",
     "puts the erp under test (under_test: erp): it runs no connector"),
    (VMS + "world:\n  sellers: [{name: pob, einvoice_model: ims}]\nsteps:\n  - run_connector\n",
     "line 5: world.sellers[0].einvoice_model",
     "'ims' is not one of ['erp', 'rms']"),
    (VMS + "world:\n  sellers: [{name: pob, return_model: refund}]\nsteps:\n  - run_connector\n",
     "line 5: world.sellers[0].return_model",
     "'refund' is not one of ['credit_note', 'rsi']"),
    ("name: t\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\nworld:\n  sellers: [{name: pob, return_model: rsi}]\n"
     "steps:\n  - run_connector\n", "world.sellers[1]", "'return_model' is a VMS seller setting"),
    ("name: t\nmodel: ds\nrule: DS-NO-ORDER-SPLIT\nsteps:\n  - acknowledge: X\n", "step 1 (acknowledge)",
     "'acknowledge' is a VMS step (model vms)"),
    # a FAIL names AJIO's reason: the schema says so first (harness/vms.py's check_step too, for a bare loader)
    (VMS + "steps:\n  - qc: {return: R, status: FAIL}\n", "line 5: steps[0].qc", "missing required key 'reason'"),
    (VMS + "steps:\n  - qc: {return: R, status: BROKEN}\n",
     "line 5: steps[0].qc.status", "'BROKEN' is not one of ['PASS', 'FAIL']"),
    (VMS + "steps:\n  - vms_call: {method: GET, path: /ds/orders}\n", "line 5: steps[0].vms_call.path",
     "(a /vms/ or /ajio-vms/ path)"),
    (VMS + "steps:\n  - erp: {seller: pob}\n",
     "line 5: steps[0].erp", "needs at least one of reachable, lose_answers, restart, kill_at"),
    # erp: {kill_at}: the ERP command crashed at a chosen call (harness/killswitch.py)
    (VMS + "steps:\n  - erp: {kill_at: {method: POST, path: /ajio-vms/b2bInvoice/posting, at: 2}}\n",
     "line 5: steps[0].erp.kill_at", "unknown key 'at' (allowed: body, method, nth, path, when)"),
    (VMS + "steps:\n  - erp: {kill_at: {method: POST, path: /ajio-vms/creditNote/posting, body: [returnOrderId]}}\n",
     "line 5: steps[0].erp.kill_at.body", "['returnOrderId'] is not of type 'object'"),
    (VMS + "steps:\n  - erp: {kill_at: {path: /ajio-vms/b2bInvoice/posting}}\n",
     "line 5: steps[0].erp.kill_at", "missing required key 'method'"),
    (VMS + "steps:\n  - erp: {kill_at: {method: POST, path: /ajio-vms/b2bInvoice/posting, nth: 0}}\n",
     "line 5: steps[0].erp.kill_at.nth", "0 is less than the minimum of 1"),
    (VMS + "steps:\n  - erp: {kill_at: {method: POST, path: /ajio-vms/b2bInvoice/posting, when: during}}\n",
     "line 5: steps[0].erp.kill_at.when", "'during' is not one of ['after', 'before']"),
    (VMS + "steps:\n  - erp: {kill_at: {method: POST, path: /vms/orders/*/acknowledge}}\n",
     "line 5: steps[0].erp.kill_at.path", "is not valid here (a glob of the ERP's call to AJIO"),
    (VMS + "steps:\n  - erp: {restart: true, kill_at: {method: POST, path: /ajio-vms/creditNote/posting}}\n",
     "step 1 (erp)", "kill_at and restart: true in one step"),
    (VMS + "world:\n  sellers: [{name: pob}, {name: b}]\nsteps:\n"
     "  - erp: {kill_at: {method: POST, path: /ajio-vms/creditNote/posting}}\n  - erp: {seller: b, restart: true}\n",
     "step 1 (erp)", "kill_at: the ERP of pob stays down after its kill until an `erp: {restart: true}` step for it"),
    (VMS + "steps:\n  - expect: [{erp_postings: {event_type: OUTWARD_ORDER_SHIP, count: 1}}]\n",
     "line 5: steps[0].expect[0].erp_postings.event_type", "'OUTWARD_ORDER_SHIP' is not one of"),
    (VMS + "steps:\n  - expect: [{erp_postings: {event_type: RETURN_ORDER}}]\n",
     "line 5: steps[0].expect[0].erp_postings", "needs at least one of count, min, max, attempts, min_attempts"),
    (VMS + "steps:\n  - expect: [{rsi: {status: ACCEPTED}}]\n", "line 5: steps[0].expect[0].rsi",
     "needs exactly one of id, return (got none)"),
    (VMS + "steps:\n  - expect: [{return: {id: R, qc_status: [GOOD]}}]\n", "line 5: steps[0].expect[0].return.qc_status[0]",
     "'GOOD' is not one of ['PASS', 'FAIL']"),
    (VMS + "steps:\n  - warehouse: {qc: {X: SMELLS}}\n", "line 5: steps[0].warehouse.qc.X",
     "'SMELLS' is not one of ['GOOD', 'BAD', 'MISSING', 'PRODUCT_MISMATCH'"),
    (VMS + "world:\n  rsi_after: soon\nsteps:\n  - run_connector\n", "line 5: world.rsi_after", "'soon' is not valid here"),
    (VMS + "steps:\n  - wait_until: {expect: [{no_violations: true}]}\n", "steps",
     "or, in a VMS scenario, an ERP under test"),
    (VMS + "world:\n  sellers: [{name: pob, vms_layer: omni}]\nsteps:\n  - run_connector\n",
     "line 5: world.sellers[0].vms_layer",
     "'omni' is not one of ['connector', 'simulated']"),
    (VMS + "steps:\n  - expect: [{request: {path: /ajio-vms/*, refused_by: GST-NUMBER, made: false}}]\n",
     "step 1 (expect) expectation 1 (request)", "refused_by 'GST-NUMBER' is not a rulebook id"),
    (VMS + "steps:\n  - expect: [{erp_rsi_fetched: {}, rule: VMS-ERP-RSI-FETCH}]\n",
     "line 5: steps[0].expect[0].erp_rsi_fetched", "needs exactly one of id, return (got none)"),
    (VMS + "steps:\n  - expect: [{erp_rsi_fetched: {return: R, covers: yes}, rule: VMS-ERP-RSI-FETCH}]\n",
     "line 5: steps[0].expect[0].erp_rsi_fetched", "'covers'"),
    (VMS + "steps:\n  - expect: [{erp_rsi_fetched: {return: R, since: nowhere}, rule: VMS-ERP-RSI-FETCH}]\n",
     "step 1 (expect) expectation 1 (erp_rsi_fetched)", "since 'nowhere' is no mark"),
], ids=["side", "side-ds", "connector-step-erp-side", "einvoice-model", "return-model", "vms-setting-on-ds",
        "vms-step-on-ds", "qc-fail-reason", "qc-status", "vms-call-path", "erp-knob", "erp-kill-key", "erp-kill-body",
        "erp-kill-method", "erp-kill-nth", "erp-kill-when", "erp-kill-path", "erp-kill-and-restart",
        "erp-kill-never-restarted", "posting-event",
        "posting-count", "rsi-which", "qc-status-expect", "warehouse-qc", "timing", "wait-until", "vms-layer", "refused-by",
        "erp-rsi-fetched-which", "erp-rsi-fetched-key", "erp-rsi-fetched-since"])
def test_load_vms_scenario_invalid_names_file_step_and_problem(tmp_path, text, where, problem):
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value).startswith(f"{path}: {where}: "), str(err.value)
    assert problem in str(err.value)


def test_load_vms_scenario_erp_side_may_wait_without_a_daemon(tmp_path):
    path = _write(tmp_path, VMS.replace("VMS-ACK-HOLD", "ERP-RETRY-NON-200") + "under_test: erp\n"
                  "world:\n  rsi_after: 2h\n  sellers: [{name: pob, einvoice_model: erp, return_model: rsi}]\n"
                  "steps:\n  - place_orders: {count: 1, as: o}\n  - acknowledge: '${o[0]}'\n"
                  "  - wait_until: {expect: [{order: {id: '${o[0]}', status: INVOICED}}]}\n")
    scenario = load_scenario(path)
    assert scenario.under_test == "erp" and scenario.needs == ("erp",)
    assert scenario.extra == {"vms_rsi_after": 7200}
    assert scenario.sellers[0].settings == {"einvoice_model": "erp", "return_model": "rsi"}


def test_vms_catalogue_loads_and_puts_each_side_under_test():
    scenarios = [load_scenario(p) for p in discover(ROOT / "scenarios" / "vms")]
    sides = {s.under_test for s in scenarios}
    assert sides >= {"connector", "erp"}
    assert sum(s.under_test == "connector" for s in scenarios) >= 12
    assert sum(s.under_test == "erp" for s in scenarios) >= 4
    assert all(s.model == "vms" for s in scenarios)


def _module(path: Path):
    import importlib.util
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_buggy_table_lists_every_vms_bug_and_buggy_erp():
    doc = (ROOT / "docs/harness.md").read_text()
    connectors = _module(ROOT / "examples/buggy_connectors/buggy.py").BUGS
    erps = _module(ROOT / "examples/buggy_erps/buggy_erp.py").BUGS
    vms_bugs = [name for name in connectors if name.startswith("vms_")]
    assert len(vms_bugs) >= 5 and len(erps) >= 3
    for name in [*vms_bugs, *erps]:
        assert f"| `{name}` |" in doc, f"{name} is missing from docs/harness.md's table of buggy variants"


REFUSED = {"id": 7, "method": "POST", "path": "/ajio-vms/b2bInvoice/posting", "query": None, "status": 409,
           "request_body": "{}", "response_body": '{"status": "FAILED", "error_code": "DUPLICATE_DOCUMENT_NUMBER", '
                                                   '"field": "invoiceNumber", "rule_id": "GST-INVOICE-NUMBER-UNIQUE"}'}


@pytest.mark.parametrize("entry, match, hit", [
    (REFUSED, {"refused_by": "GST-INVOICE-NUMBER-UNIQUE"}, True),
    (REFUSED, {"refused_by": "EINVOICE-IRN-UNIQUE"}, False),
    ({**REFUSED, "response_body": "not json"}, {"refused_by": "GST-INVOICE-NUMBER-UNIQUE"}, False),
    ({**REFUSED, "status": 200}, {"refused_by": "GST-INVOICE-NUMBER-UNIQUE"}, False),
], ids=["named", "other-rule", "no-json", "accepted"])
def test_journal_match_refused_by_reads_the_error_bodys_rule_id(entry, match, hit):
    assert matches(entry, {"path": "/ajio-vms/**", **match}) is hit
