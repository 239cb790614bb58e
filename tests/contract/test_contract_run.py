"""schemathesis over the simulator: clean on the real app, red on a deliberately broken one.

The full run is seeded and bounded (max 5 examples per operation and phase, about a thousand cases,
mostly the coverage phase); `ajio-sim contract --max-examples N` is the knob for deep runs."""
from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from flask import jsonify

from fixtures.simclient import ServerProcess, ajio_sim_binary
from simulator import cli, journal
from simulator.conformance import contract_app, run_contract, serve_in_thread

pytestmark = pytest.mark.contract


def _journal_statuses(app) -> Counter:
    sim = app.extensions["ajio_sim"]
    with sim.store.read() as conn:
        rows = journal.entries(conn, limit=5000)
    out = Counter()
    for r in rows:
        parts = r["path"].split("/")
        key = r["path"] if not (len(parts) == 5 and parts[2] == "orders") else f"/{parts[1]}/orders/*/{parts[4]}"
        out[(r["method"], key, r["status"])] += 1
    return out


def test_contract_run_over_the_simulator_finds_no_failure():
    """Issue 7's bar: 0 server errors, 0 schema violations, every status documented, negative data refused,
    over /ds, /jit, /vms (a VMS POB with orders, its token) and the ERP layer /ajio-vms (authUsername /
    authPassword headers, declared as security schemes); and the stateful phase really walks pendency ->
    acknowledge -> invoice -> label (ds) and pendency -> invoice (jit) through the links."""
    app = contract_app(seed=1)
    result = run_contract(app=app, seed=1, max_examples=5)
    assert result.ok, result.summary()
    for model in ("ds", "jit"):
        for phase in ("examples", "coverage", "fuzzing", "stateful"):
            assert result.phases[f"{model} {phase}"] == "success", result.phases
    for model in ("vms", "erp"):  # no OpenAPI links there yet: no stateful phase
        for phase in ("coverage", "fuzzing"):
            assert result.phases[f"{model} {phase}"] == "success", result.phases
    assert {"GET /vms/orders", "POST /vms/manifests", "POST /ajio-vms/b2bInvoice/posting",
            "GET /ajio-vms/rsi"} <= set(result.cases), result.cases
    assert sum(result.cases.values()) > 1000, result.cases
    assert {"Stateful tests (ds)", "Stateful tests (jit)", "POST /jit/orders/{order_id}/pack"} <= set(result.cases)
    seen = _journal_statuses(app)
    for step in (("POST", "/ds/orders", 200), ("POST", "/ds/orders/*/invoice", 200),
                 ("POST", "/ds/orders/*/label", 200), ("POST", "/jit/orders/*/invoice", 200),
                 ("POST", "/jit/orders/*/prepack", 200), ("GET", "/jit/orders/pendency", 200)):
        assert seen[step] > 0, (step, sorted(k for k in seen if k[0] == "POST"))
    # Negative data reached every kind of refusal the contract documents.
    assert seen[("POST", "/ds/orders", 400)] and seen[("POST", "/ds/orders", 415)]
    assert seen[("GET", "/ds/orders/pendency", 401)]
    # The VMS pass was logged in (answers 200 with its token) and the ERP layer's headers were accepted.
    vms_seen = sorted(k for k in seen if k[1].startswith(("/vms/", "/ajio-vms/")))
    assert seen[("GET", "/vms/orders", 200)] and seen[("GET", "/vms/returns", 200)], vms_seen
    assert seen[("GET", "/ajio-vms/rsi", 200)] and seen[("POST", "/ajio-vms/b2bInvoice/posting", 400)], vms_seen


def _findings(result) -> set[tuple[str, str]]:
    return {(f.operation, f.check) for f in result.findings}


def test_contract_run_fails_on_an_answer_that_breaks_its_schema():
    app = contract_app(seed=1)
    app.view_functions["ds.get_pendency"] = lambda: jsonify({"orders": [{"order_id": 5}], "page": {"number": 0}})
    result = run_contract(app=app, seed=1, max_examples=2, phases=("fuzzing",), operation_ids=("get_pendency",))
    assert not result.ok
    assert ("GET /ds/orders/pendency", "response_schema_conformance") in _findings(result), result.summary()


def test_contract_run_fails_on_a_server_error_and_an_undocumented_status():
    app = contract_app(seed=1)

    def crash():
        raise RuntimeError("deliberate bug")

    app.view_functions["ds.list_products"] = crash
    app.view_functions["ds.list_returns"] = lambda: (jsonify({"status": "FAILED", "error_message": "teapot",
                                                              "error_code": "TEAPOT"}), 418)
    result = run_contract(app=app, seed=1, max_examples=2, phases=("fuzzing",),
                          operation_ids=("list_products", "list_returns"))
    found = _findings(result)
    assert ("GET /ds/products", "not_a_server_error") in found, result.summary()
    assert ("GET /ds/returns", "status_code_conformance") in found, result.summary()


def test_contract_run_fails_when_invalid_data_is_accepted():
    """A view that skips the contract and accepts anything: negative data is not refused."""
    from simulator.api.common import authenticate
    app = contract_app(seed=1)

    def lax_label(order_id):
        authenticate("ds")  # the token is still checked; the body is not
        return jsonify({"order_id": order_id, "tracking_number": "1", "carrier": "X", "label_pdf_url": "http://x/1",
                        "b2c_invoice_pdf_url": "http://x/2", "b2c_invoice_number": "B1", "invoice_number": "I1"})

    app.view_functions["ds.generate_label"] = lax_label
    result = run_contract(app=app, seed=1, max_examples=5, phases=("fuzzing",), operation_ids=("generate_label",))
    assert ("POST /ds/orders/{order_id}/label", "negative_data_rejection") in _findings(result), result.summary()


def test_contract_run_fails_on_a_key_the_contract_does_not_declare(monkeypatch):
    """CONTRACT_STRICT: a domain answer with a key the response schema lacks is a 500, never a silent drop."""
    from simulator.domain import catalog
    real = catalog.product_view
    monkeypatch.setattr(catalog, "product_view", lambda row: {**real(row), "undeclared": 1})
    app = contract_app(seed=1)
    result = run_contract(app=app, seed=1, max_examples=3, phases=("fuzzing",), operation_ids=("list_products",))
    assert ("GET /ds/products", "not_a_server_error") in _findings(result), result.summary()


def test_cli_contract_exit_code_and_junit_name_the_failure(tmp_path, capsys):
    app = contract_app(seed=1)
    app.view_functions["ds.get_credit_note"] = lambda return_order_id: jsonify({"credit_note_number": 1})
    report = tmp_path / "contract.xml"
    with serve_in_thread(app) as url:
        code = cli.main(["contract", "--base-url", url, "--max-examples", "2", "--phases", "fuzzing",
                         "--junit", str(report)])
    assert code == 1
    assert "FAIL GET /ds/returns/{return_order_id}/creditNote" in capsys.readouterr().out
    suite = ET.parse(report).getroot()
    assert int(suite.get("failures")) >= 1
    failed = [tc.get("name") for tc in suite.iter("testcase") if tc.find("failure") is not None]
    assert "GET /ds/returns/{return_order_id}/creditNote" in failed


def test_cli_contract_without_schemathesis_says_how_to_install_it(monkeypatch, capsys):
    """schemathesis is an optional extra: without it the command explains itself (exit 2), no traceback."""
    import sys
    monkeypatch.setitem(sys.modules, "schemathesis", None)  # makes `import schemathesis` raise ImportError
    assert cli.main(["contract"]) == 2
    assert "pip install 'ajio-sim[contract]'" in capsys.readouterr().err


def test_cli_contract_cannot_prepare_without_the_admin_token(tmp_path, capsys):
    app = contract_app(seed=1)
    app.extensions["ajio_sim"].config.admin_token = "secret"
    with serve_in_thread(app) as url:
        assert cli.main(["contract", "--base-url", url, "--phases", "examples"]) == 2
    assert "cannot prepare the run" in capsys.readouterr().err


def test_cli_contract_refuses_bad_options(capsys):
    assert cli.main(["contract", "--phases", "fuzzing,bogus"]) == 2
    assert "--phases" in capsys.readouterr().err
    assert cli.main(["contract", "--max-examples", "0"]) == 2


@pytest.mark.e2e
def test_cli_contract_against_a_real_server_process_passes(tmp_path):
    """`ajio-sim contract --base-url` as a user runs it, against `ajio-sim serve` in its own process whose
    control plane wants an admin token (the run makes its POBs through /_sim with it)."""
    server = ServerProcess(tmp_path / "sim.sqlite3", "--admin-token", "contract-admin")
    try:
        report = tmp_path / "junit.xml"
        done = subprocess.run([ajio_sim_binary(), "contract", "--base-url", server.base_url, "--max-examples", "2",
                               "--phases", "examples,fuzzing,stateful", "--junit", str(report),
                               "--admin-token", "contract-admin"],
                              capture_output=True, text=True, timeout=600)
    finally:
        server.stop()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "OK: 0 failures" in done.stdout
    suite = ET.parse(report).getroot()
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    names = {tc.get("name") for tc in suite.iter("testcase")}
    assert "POST /ds/orders" in names and "Stateful tests (ds)" in names and "GET /jit/orders" in names


def test_contract_holds_under_strict_throttling():
    """With issue 8's throttling on (a frozen clock refills nothing), most calls answer 429: the contract
    documents it (AJIO throttles per user since spec v1.2, API.md), so the run stays clean."""
    from simulator.app import create_app
    from simulator.conformance import FROZEN_AT

    app = create_app({"db_url": "sqlite://", "seed": 1, "frozen_at": FROZEN_AT, "po_lag": 0, "throttle": "strict"})
    app.config["CONTRACT_STRICT"] = True
    result = run_contract(app=app, seed=1, max_examples=3, phases=("fuzzing",))
    assert result.ok, result.summary()
    statuses = Counter(status for (_, _, status), n in _journal_statuses(app).items() for _ in range(n))
    assert statuses[429] > 0, statuses
