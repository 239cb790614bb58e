"""The real `ajio-sim` binary's QA commands against a real server process."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from fixtures.simclient import T0, ServerProcess, ajio_sim_binary

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def qa_server(tmp_path_factory):
    # Its own server: these tests reset the world, which the shared e2e server must not see.
    proc = ServerProcess(tmp_path_factory.mktemp("qa") / "qa.sqlite3")
    yield proc
    proc.stop()


def run(server, *args, expect: int = 0, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [ajio_sim_binary(), *args]
    if server is not None:
        cmd += ["--base-url", server.base_url]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AJIO_SIM_")}
    full_env.update({"COLUMNS": "160", **(env or {})})
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=full_env)
    assert done.returncode == expect, f"{cmd} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def j(done) -> dict:
    return json.loads(done.stdout)


def test_seller_orders_cancel_show_and_a_refused_cancel(qa_server):
    pob = j(run(qa_server, "seller", "create", "--store-code", "CLI-1", "--einvoicing", "--json"))
    assert pob["pob_id"].startswith("DV") and pob["store_code"] == "CLI-1" and pob["einvoicing"] is True
    listed = j(run(qa_server, "seller", "list", "--json"))["sellers"]
    assert pob["pob_id"] in {p["pob_id"] for p in listed}

    ids = j(run(qa_server, "orders", "create", "--pob", pob["pob_id"], "--count", "2", "--json"))["order_ids"]
    assert len(ids) == 2
    human = run(qa_server, "orders", "create", "--pob", pob["pob_id"]).stdout.split()
    assert len(human) == 1 and human[0].startswith("FN")

    out = run(qa_server, "cancel", ids[0]).stdout
    assert f"{ids[0]} is now CANCELLED" in out
    refused = run(qa_server, "cancel", ids[0], expect=1)
    assert "refused (409 ILLEGAL_TRANSITION)" in refused.stderr
    assert "rule: DS-CUSTOMER-CANCEL-UNTIL-INVOICED: " in refused.stderr and "(seed 000), point 12.1" in refused.stderr

    show = run(qa_server, "order", "show", ids[0]).stdout
    assert "Timeline" in show and "customer cancelled the order" in show and "CANCELLED" in show
    assert "world events allowed now: none" in show
    state = j(run(qa_server, "order", "show", ids[1], "--json"))
    assert state["status"] == "CREATED" and state["allowed_world_events"] == ["customer-cancel"]
    assert [t["to"] for t in state["timeline"]] == ["CREATED"]

    listed = j(run(qa_server, "orders", "list", "--pob", pob["pob_id"], "--status", "CANCELLED", "--json"))
    assert [o["order_id"] for o in listed["orders"]] == [ids[0]]


def test_partial_cancel_by_line_and_pickup_refusal(qa_server):
    pob = j(run(qa_server, "seller", "create", "--json"))
    (order_id,) = j(run(qa_server, "orders", "create", "--pob", pob["pob_id"], "--sku",
                        _first_sku(qa_server, pob) + ":2", "--json"))["order_ids"]
    line = j(run(qa_server, "order", "show", order_id, "--json"))["lines"][0]
    run(qa_server, "cancel", order_id, "--line", f"{line['order_item_id']}:1")
    after = j(run(qa_server, "order", "show", order_id, "--json"))
    assert after["status"] == "CREATED" and after["lines"][0]["customer_cancelled_qty"] == 1
    refused = run(qa_server, "pickup", order_id, expect=1)
    assert "rule: DS-COURIER-AFTER-MANIFEST: DISPATCHED follows the courier's pickup" in " ".join(refused.stderr.split())
    bad = run(qa_server, "cancel", order_id, "--line", "nonsense", expect=2)
    assert "ITEM:QTY" in bad.stderr


def _first_sku(server, pob) -> str:
    import requests
    token = requests.post(f"{server.base_url}/ds/authToken", json={"username": pob["pob_id"],
                                                                   "password": pob["password"]}).json()
    products = requests.get(f"{server.base_url}/ds/products?size=1",
                            headers={"apiKey": token["result"]["accessToken"]}).json()["products"]
    return products[0]["sku"]


def test_clock_advance_durations_and_freeze(qa_server):
    before = j(run(qa_server, "clock", "--json"))["now"]
    assert j(run(qa_server, "clock", "advance", "4h", "--json"))["now"] == before + 4 * 3600
    assert j(run(qa_server, "clock", "--json", "advance", "90s"))["now"] == before + 4 * 3600 + 90
    out = run(qa_server, "clock", "advance", "1d").stdout
    assert "simulated now:" in out and "(frozen)" in out
    assert j(run(qa_server, "clock", "show", "--json"))["now"] == before + 4 * 3600 + 90 + 86400
    bad = run(qa_server, "clock", "advance", "4 hours", expect=2)
    assert "not a duration" in bad.stderr
    back = run(qa_server, "clock", "set", str(T0), expect=1)  # the clock only moves forward
    assert "refused (400" in back.stderr
    naive = run(qa_server, "clock", "set", "2030-01-01T10:00:00", expect=2)
    assert "give the zone" in naive.stderr
    later = j(run(qa_server, "clock", "set", "2030-01-01T10:00:00+05:30", "--json"))
    assert later["now"] == 1893472200


def test_journal_by_pob_shows_requests_and_violations(qa_server):
    import requests
    pob = j(run(qa_server, "seller", "create", "--json"))
    requests.post(f"{qa_server.base_url}/ds/authToken", json={"username": pob["pob_id"], "password": "wrong-pw"})
    entries = j(run(qa_server, "journal", "--pob", pob["pob_id"], "--json"))["entries"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [("POST", "/ds/authToken", 401)]
    token = requests.post(f"{qa_server.base_url}/ds/authToken",
                          json={"username": pob["pob_id"], "password": pob["password"]}).json()
    requests.get(f"{qa_server.base_url}/ds/orders/pendency?size=500",
                 headers={"apiKey": token["result"]["accessToken"]})
    table = run(qa_server, "journal", "--pob", pob["pob_id"], "--path", "/ds/orders*").stdout
    assert "/ds/orders/pendency" in table and "VIOLATION size" in table and "/ds/authToken" not in table


def test_reset_then_errors_and_exit_codes(qa_server, tmp_path):
    pob = j(run(qa_server, "seller", "create", "--json"))
    run(qa_server, "reset")
    assert j(run(qa_server, "seller", "list", "--json"))["sellers"] == []
    missing = run(qa_server, "order", "show", "FN000", "--json", expect=1)
    assert json.loads(missing.stderr.splitlines()[0])["error_code"] == "NOT_FOUND"
    assert "order FN000 not found" in missing.stderr
    odd = run(qa_server, "order", "show", "[/ds/orders]", expect=1)  # brackets are data, never rich markup
    assert "refused (404" in odd.stderr and "[/ds/orders]" in odd.stderr and "Traceback" not in odd.stderr
    refused = run(qa_server, "orders", "create", "--pob", pob["pob_id"], expect=1)
    assert "POB" in refused.stderr and "not found" in refused.stderr
    down = run(None, "clock", "--base-url", "http://127.0.0.1:9", expect=3)
    assert "no simulator answers at http://127.0.0.1:9" in down.stderr
    # the base URL also comes from the environment
    assert j(run(None, "clock", "--json", env={"AJIO_SIM_URL": qa_server.base_url}))["frozen"] is True


def test_admin_token_from_flag_or_environment(tmp_path):
    guarded = ServerProcess(tmp_path / "guarded.sqlite3", "--admin-token", "cli-token-123")
    try:
        denied = run(guarded, "seller", "list", expect=1, env={"AJIO_SIM_ADMIN_TOKEN": ""})
        assert "refused (401" in denied.stderr and "admin token" in denied.stderr
        run(guarded, "seller", "list", "--admin-token", "cli-token-123")
        run(guarded, "seller", "list", env={"AJIO_SIM_ADMIN_TOKEN": "cli-token-123"})
    finally:
        guarded.stop()


def test_fault_add_acts_on_the_wire_then_list_journal_and_clear(qa_server):
    import requests
    pob = j(run(qa_server, "seller", "create", "--json"))
    rule = j(run(qa_server, "fault", "add", "--method", "get", "--path", "/ds/orders/pendency", "--pob", pob["pob_id"],
                 "--effect", "status:status=503,error_message=AJIO is down", "--times", "1", "--name", "outage",
                 "--json"))
    assert rule["match"] == {"method": "GET", "path": "/ds/orders/pendency", "pob_id": pob["pob_id"]}
    assert rule["effects"] == [{"kind": "status", "status": 503, "error_message": "AJIO is down"}]
    human = run(qa_server, "fault", "add", "--path", "/ds/products", "--effect", "latency:ms=1", "--effect",
                "throttle:retry_after=30", "--probability", "0.5", "--seed", "3").stdout
    assert "latency ms=1; throttle retry_after=30" in " ".join(human.split())

    token = requests.post(f"{qa_server.base_url}/ds/authToken",
                          json={"username": pob["pob_id"], "password": pob["password"]}).json()["result"]["accessToken"]
    first = requests.get(f"{qa_server.base_url}/ds/orders/pendency", headers={"apiKey": token})
    assert first.status_code == 503 and first.json()["error_message"] == "AJIO is down"
    assert requests.get(f"{qa_server.base_url}/ds/orders/pendency", headers={"apiKey": token}).status_code == 200

    listed = j(run(qa_server, "fault", "list", "--json"))["faults"]
    outage = [r for r in listed if r["name"] == "outage"][0]
    assert (outage["applied"], outage["active"]) == (1, False)
    table = run(qa_server, "fault", "list").stdout
    assert "outage" in table and "spent" in table
    journal = run(qa_server, "journal", "--pob", pob["pob_id"], "--path", "/ds/orders/pendency").stdout
    assert "FAULT status (rule" in journal

    bad = run(qa_server, "fault", "add", "--effect", "latency:status=503", expect=1)
    assert "field: effects[0].status" in bad.stderr and "not an option of a latency effect" in bad.stderr
    assert "not KIND" in run(qa_server, "fault", "add", "--effect", "Status!", expect=2).stderr
    one = j(run(qa_server, "fault", "add", "--path", "/ajio-vms/b2bInvoice/posting", "--body",
                '{"forwardPurchaseOrder": "PO1"}', "--effect", "status:status=503", "--json"))
    assert one["match"] == {"path": "/ajio-vms/b2bInvoice/posting", "body": {"forwardPurchaseOrder": "PO1"}}
    assert "not a JSON object" in run(qa_server, "fault", "add", "--body", "[1]", "--effect", "reset", expect=2).stderr
    assert "field: match.body" in run(qa_server, "fault", "add", "--body", "{}", "--effect", "reset", expect=1).stderr
    assert "fault rule 999 not found" in run(qa_server, "fault", "clear", "--id", "999", expect=1).stderr
    assert j(run(qa_server, "fault", "clear", "--id", str(outage["id"]), "--json")) == {"deleted": 1}
    assert j(run(qa_server, "fault", "clear", "--json"))["deleted"] >= 1
    assert j(run(qa_server, "fault", "list", "--json"))["faults"] == []


def test_return_withdraw_some_units_then_the_rest(qa_server):
    from fixtures.simclient import HttpTransport, Sim

    sim = Sim(HttpTransport(qa_server.base_url))
    pob = j(run(qa_server, "seller", "create", "--json"))
    (order_id,) = j(run(qa_server, "orders", "create", "--pob", pob["pob_id"], "--sku",
                        _first_sku(qa_server, pob) + ":3", "--json"))["order_ids"]
    sim.to_status(pob, order_id, "DELIVERED")
    out = run(qa_server, "return", order_id).stdout
    return_id = out.split("; return ")[1].split()[0]
    line = j(run(qa_server, "order", "show", order_id, "--json"))["lines"][0]["order_item_id"]
    some = run(qa_server, "return-withdraw", return_id, "--line", f"{line}:2").stdout
    assert f"return {return_id} is now RETURN_INITIATED (units returned: {line}: 1)" in " ".join(some.split())
    refused = run(qa_server, "return-withdraw", return_id, "--line", f"{line}:2", expect=1)
    assert "lines[0].quantity" in refused.stderr and "units still returned (1)" in " ".join(refused.stderr.split())
    rest = run(qa_server, "return-withdraw", return_id).stdout
    assert f"return {return_id} is now RETURN_CANCELLED" in rest
