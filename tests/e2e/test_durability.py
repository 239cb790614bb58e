"""SIGKILL the server in the middle of a load of transitions; on restart nothing answered is lost.

Connectors log every answer (fsync'd) before their next call. After the crash a new server on the
same store must hold every transition that got a 2xx, and every timeline must be legal. Runs on a
file SQLite (WAL) and on PostgreSQL, with two gunicorn workers.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.simclient import HttpTransport, ServerProcess, Sim
from fixtures.world_checks import StoreView, read_logs

pytestmark = pytest.mark.e2e

CONNECTORS = 4
ORDERS_EACH = 15
KILL_AFTER = 40  # 2xx transitions seen by the clients before the crash (out of ~4 x 15 x 4)
CONNECTOR = str(Path(__file__).parents[1] / "fixtures" / "connector.py")
STATUS_AFTER = {"acknowledge": {"CONFIRMED", "INVOICED", "PACKED", "READY_TO_DISPATCH"},
                "invoice": {"INVOICED", "PACKED", "READY_TO_DISPATCH"},
                "label": {"PACKED", "READY_TO_DISPATCH"}, "dispatch": {"READY_TO_DISPATCH"}}


def _ok_transitions(logs, while_written: bool = False) -> list[dict]:
    return [e for e in read_logs(logs, while_written=while_written) if e["status"] == 200 and e["action"] in STATUS_AFTER]


def test_sigkill_during_load_loses_no_answered_transition(db_url, tmp_path):
    server = ServerProcess(db_url, "--workers", "2", "--po-lag", "0")
    sim = Sim(HttpTransport(server.base_url))
    pob = sim.seller(shipping_api_access=True)
    order_ids = sim.place(pob["pob_id"], CONNECTORS * ORDERS_EACH)
    logs, procs = [], []
    for i in range(CONNECTORS):
        logs.append(tmp_path / f"c{i}.jsonl")
        logs[-1].touch()
        mine = order_ids[i * ORDERS_EACH:(i + 1) * ORDERS_EACH]
        procs.append(subprocess.Popen([sys.executable, CONNECTOR, server.base_url, pob["pob_id"], pob["password"],
                                       "flow", json.dumps(mine), str(logs[-1]), str(i)]))
    # Wait (bounded) for the load to be under way, then crash the server with everything in flight.
    deadline = time.monotonic() + 120
    while len(_ok_transitions(logs, while_written=True)) < KILL_AFTER and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    for p in procs:
        assert p.wait(timeout=120) == 0
    answered = _ok_transitions(logs)
    assert len(answered) >= KILL_AFTER, "the load did not get under way before the deadline"
    assert len(answered) < CONNECTORS * ORDERS_EACH * 4, "the crash came after the load had finished"

    restarted = ServerProcess(db_url, "--workers", "2", "--po-lag", "0")
    view = StoreView(db_url)
    try:
        after = Sim(HttpTransport(restarted.base_url))
        lost = []
        for e in answered:
            state = after.state(e["order_id"])
            if state["status"] not in STATUS_AFTER[e["action"]]:
                lost.append((e["action"], e["order_id"], state["status"]))
            if e["action"] == "invoice" and state["invoice"]["invoice_number"] != e["answer"]["invoice_number"]:
                lost.append((e["action"], e["order_id"], state["invoice"]))
            if e["action"] == "label" and state["shipment"]["tracking_number"] != e["answer"]["tracking_number"]:
                lost.append((e["action"], e["order_id"], state["shipment"]))
            if e["action"] == "dispatch" and state["manifest_id"] != e["answer"]["manifest_id"]:
                lost.append((e["action"], e["order_id"], state["manifest_id"]))
        assert lost == []
        assert view.illegal_timelines() == []
        assert view.count_mismatches() == {}
        assert view.duplicate_documents() == []
        # The restarted server carries on where the crash left off: a half-shipped order finishes.
        token = after.login(pob)
        stuck = [o for o in order_ids if after.state(o)["status"] == "CONFIRMED"]
        if stuck:
            assert after.ds("POST", f"/orders/{stuck[0]}/invoice", token, {}).status == 200
    finally:
        view.close()
        restarted.stop()
