"""The reference DS connector and an RTO creation AJIO answers `200 {status: FAILED}` (rto17): not a created RTO;
sent again once a sync, then, after RTO_TRIES FAILED syncs, once every RTO_TRIES syncs (never dropped)."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples/reference_connector"))

import connector  # noqa: E402


def test_only_success_with_a_return_id_is_a_created_rto():
    created = connector.Connector.rto_created_by
    assert created({"status": "SUCCESS", "return_order_id": "R1", "error_message": None})
    assert not created({"status": "FAILED", "return_order_id": None, "error_message": "busy"})
    assert not created({"status": "SUCCESS", "return_order_id": None})
    assert not created({"status": "NEW_VALUE_FROM_AJIO", "return_order_id": "R1"})


def test_a_failed_rto_is_tried_every_sync_then_every_rto_tries_syncs():
    me = SimpleNamespace(state=SimpleNamespace(meta={}))
    may = lambda: connector.Connector.rto_may_try(me, "FN1")  # noqa: E731
    me.state.meta["rto_failed"] = {"FN1": connector.RTO_TRIES - 1}
    assert may() and may()
    me.state.meta["rto_failed"]["FN1"] = connector.RTO_TRIES
    syncs = [may() for _ in range(3 * connector.RTO_TRIES)]
    assert sum(syncs) == 3 and syncs[connector.RTO_TRIES - 1] and not any(syncs[:connector.RTO_TRIES - 1])
