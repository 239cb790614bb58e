"""Two processes on one store share fault rules and throttling buckets: they act as one AJIO."""
from __future__ import annotations

import pytest

from fixtures.simclient import HttpTransport, ServerProcess, Sim

pytestmark = pytest.mark.e2e


def test_rules_and_buckets_are_shared_by_two_processes(tmp_path):
    db = tmp_path / "shared.sqlite3"
    a, b = ServerProcess(db), ServerProcess(db)
    try:
        sim_a, sim_b = Sim(HttpTransport(a.base_url)), Sim(HttpTransport(b.base_url))
        pob = sim_a.seller()
        token = sim_a.login(pob)
        sim_a.control("POST", "/faults", {"match": {"pob_id": pob["pob_id"]}, "times": 3,
                                          "effects": [{"kind": "status", "status": 503}]}, expect=201)
        statuses = [sim.ds("GET", "/products", token).status for sim in (sim_b, sim_a, sim_b, sim_a, sim_b)]
        assert statuses == [503, 503, 503, 200, 200]  # `times` counted across both
        assert sim_b.control("GET", "/faults", expect=200).json["faults"][0]["applied"] == 3

        sim_b.control("PUT", "/throttle", {"mode": "on", "limits": {"read": {"rate": 1, "burst": 2}}}, expect=200)
        statuses = [sim.ds("GET", "/products", token).status for sim in (sim_a, sim_b, sim_a)]
        assert statuses == [200, 200, 429]  # one bucket per POB, whichever process answers
    finally:
        a.stop()
        b.stop()


def test_times_holds_under_concurrent_requests(tmp_path):
    from concurrent.futures import ThreadPoolExecutor
    db = tmp_path / "shared.sqlite3"
    a, b = ServerProcess(db), ServerProcess(db)
    try:
        sim_a = Sim(HttpTransport(a.base_url))
        pob = sim_a.seller()
        token = sim_a.login(pob)
        sim_a.control("POST", "/faults", {"match": {"pob_id": pob["pob_id"]}, "times": 10,
                                          "effects": [{"kind": "status", "status": 503}]}, expect=201)

        def call(i: int) -> int:
            sim = Sim(HttpTransport((a if i % 2 else b).base_url))  # a session per call: threads share none
            return sim.ds("GET", "/products", token).status

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(call, range(40)))
        assert statuses.count(503) == 10 and statuses.count(200) == 30
    finally:
        a.stop()
        b.stop()
