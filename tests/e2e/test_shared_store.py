"""Two simulator processes on one database behave as one simulator: one clock, one set of timers."""
from __future__ import annotations

import pytest

from fixtures.simclient import HttpTransport, ServerProcess, Sim

pytestmark = pytest.mark.e2e


def test_two_processes_share_clock_records_and_timers(db_url):
    # Two hosts' simulators on one store (a file SQLite, or PostgreSQL as across hosts).
    # Started together on an empty store: schema, triggers and clock are created once, not twice.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        a, b = pool.map(lambda _: ServerProcess(db_url), range(2))
    try:
        sim_a, sim_b = Sim(HttpTransport(a.base_url)), Sim(HttpTransport(b.base_url))
        pob = sim_a.seller()
        [order_id] = sim_a.place(pob["pob_id"])
        assert sim_b.acknowledge_all(sim_b.login(pob), order_id).status == 200

        now = sim_a.advance(1800)  # the PO timer was set by B, the clock moved through A
        assert sim_b.control("GET", "/clock", expect=200).json["now"] == now
        state = sim_b.state(order_id)
        assert state["po"] is not None and state["po"]["po_date"] == now
        po_entries = [t for t in state["timeline"] if t["cause"].startswith("AJIO issued PO")]
        assert len(po_entries) == 1, "the PO timer fired once, not once per process"
        assert sim_a.order(sim_a.login(pob), order_id)["po_number"] == state["po"]["po_number"]
    finally:
        a.stop()
        b.stop()
