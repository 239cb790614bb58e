"""The real `ajio-sim` binary's VMS QA commands against a real server process: VMS seller settings,
release-ack, and the ERP postings' dead letters listed and redelivered."""
from __future__ import annotations

import pytest
from test_qa_cli import j, run

from fixtures.simclient import HttpTransport, ServerProcess, Sim
from fixtures.vmsworld import VmsWorld
from simulator.erp_delivery import MAX_ATTEMPTS, backoff

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def qa_server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("qa-vms") / "qa.sqlite3")
    yield proc
    proc.stop()


def test_vms_seller_settings_and_release_ack(qa_server):
    pob = j(run(qa_server, "seller", "create", "--model", "vms", "--vms-layer", "simulated", "--ack-hold", "2h",
                "--late-customer-cancel", "--einvoice-model", "rms", "--channel-name", "120997", "--json"))
    assert (pob["vms_layer"], pob["ack_hold"], pob["late_customer_cancel"], pob["einvoice_model"],
            pob["channel_name"]) == ("simulated", 7200, True, "rms", "120997")
    [order_id] = j(run(qa_server, "orders", "create", "--pob", pob["pob_id"], "--json"))["order_ids"]
    assert "world events allowed now: customer-cancel, release-ack" in run(qa_server, "order", "show", order_id).stdout
    out = run(qa_server, "release-ack", order_id).stdout
    assert f"release-ack: {order_id} is now ACKNOWLEDGED" in out
    assert j(run(qa_server, "release-ack", order_id, "--json"))["status"] == "ACKNOWLEDGED"  # a repeat: the same
    other = j(run(qa_server, "seller", "create", "--model", "vms", "--json"))
    [theirs] = j(run(qa_server, "orders", "create", "--pob", other["pob_id"], "--json"))["order_ids"]
    refused = run(qa_server, "release-ack", theirs, expect=1)  # a connector plays this seller's layer
    assert "rule: VMS-LAYER-SIMULATED" in refused.stderr


def test_erp_dead_letters_listed_and_redelivered(qa_server):
    sim = Sim(HttpTransport(qa_server.base_url))
    w = VmsWorld.create(sim, erp_url="http://127.0.0.1:9/nothing-listens-here")
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        w.wait_attempts(order_id, attempt)
        w.advance(backoff(attempt))
    [dead] = j(run(qa_server, "erp", "dead-letters", "--pob", w.pob["pob_id"], "--json"))["dead_letters"]
    human = run(qa_server, "erp", "dead-letters", "--pob", w.pob["pob_id"]).stdout
    assert "Dead letters" in human and order_id in human and "OUTWARD_ORDER_CREATE" in human
    assert j(run(qa_server, "erp", "redeliver", str(dead["id"]), "--json")) == {"redelivered": [dead["id"]]}
    refused = run(qa_server, "erp", "redeliver", str(dead["id"]), expect=1)
    assert "rule: ERP-DEAD-LETTERS" in refused.stderr
    w.wait_attempts(order_id, MAX_ATTEMPTS + 1)  # the server's sender tried again: still nobody there
    listed = j(run(qa_server, "erp", "postings", "--pob", w.pob["pob_id"], "--json"))["postings"]
    assert listed[0]["attempts"] == MAX_ATTEMPTS + 1
    assert run(qa_server, "erp", "redeliver", expect=2).returncode == 2  # neither an id nor --pob
