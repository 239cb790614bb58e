"""Soaks end to end, in process (the connector a Python callable, so no process per tick): the reference
connector passes and exercises every invariant, a seed replays the same traffic and verdict, and each
buggy connector whose bug a month of traffic reveals fails naming its rule.

Each buggy soak concentrates the traffic that reveals its bug (docs/soak.md: every share and rate is a
knob), so a few simulated hours or days suffice; benchmarks/soak.py runs the plain month.
"""
from __future__ import annotations

import pytest

from fixtures.soak_run import assert_fails_naming, in_process_soak
from harness.connectors import PythonAdapter
from harness.soak.config import SoakConfig
from harness.soak.engine import SoakRun

FAST = ["tick=2h", "settle_tick=12h", "return_max_delay=1d", "settle_days=6"]
BUSY = ["cancel_share=0.2", "rto_share=0.1", "unexpected_rto_share=0.05", "return_share=0.3",
        "return_withdraw_share=0.2", "faults_per_day=6", "throttles_per_day=3", "repeats_per_day=2",
        "stockouts_per_week=7"]


def soak(connector: str = "reference", *, days: int = 1, orders: int = 20, seed: int = 5,
         settings: list[str] = (), until: int | None = None) -> dict:
    return in_process_soak("ds", connector, days=days, orders=orders, seed=seed, settings=settings, until=until)


def _fingerprint(doc: dict) -> dict:
    return {"verdict": doc["verdict"], "world": doc["world"], "faults": doc["faults"], "days": doc["days"],
            "invariants": [(i["key"], i["checks"], i["violations"]) for i in doc["invariants"]],
            "calls": [(h["tick"], h["calls"], h["refusals"], h["throttled"], h["failures"]) for h in doc["hours"]]}


@pytest.fixture(scope="module")
def busy_reference() -> dict:
    return soak(days=2, orders=25, seed=11, settings=FAST + BUSY)


def test_soak_reference_connector_passes_a_busy_soak(busy_reference):
    doc = busy_reference
    assert doc["error"] is None
    assert doc["verdict"] == "PASS", [v for i in doc["invariants"] for v in i["kept"]][:3]
    assert doc["replay_command"] is None


def test_soak_reference_connector_exercises_every_invariant(busy_reference):
    unchecked = [i["key"] for i in busy_reference["invariants"] if i["checks"] == 0]
    assert unchecked == []
    w = busy_reference["world"]
    assert w["cancelled_by"].get("customer") and w["returns_by_type"].get("RTO") and w["unexpected_rto_parcels"]
    assert w["returns_by_type"].get("CUSTOMER_RETURN") and w["stockouts"]
    struck = {f["kind"] for f in busy_reference["faults"] if f["applied"]}
    assert {"transport", "throttle", "repeat", "po_delay"} <= struck, busy_reference["faults"]


def test_soak_same_seed_replays_the_same_traffic_and_verdict(busy_reference):
    again = soak(days=2, orders=25, seed=11, settings=FAST + BUSY)
    assert _fingerprint(again) == _fingerprint(busy_reference)


def test_soak_another_seed_gives_other_traffic(busy_reference):
    other = soak(days=2, orders=25, seed=12, settings=FAST + BUSY, until=6)
    assert other["faults"] != busy_reference["faults"] or other["days"] != busy_reference["days"][:len(other["days"])]


# Each bug with the traffic that reveals it soonest, the invariant it must fail and the rule it must name.
WITHDRAWN = ["tick=4h", "settle_tick=4h", "cancel_share=0", "rto_share=0", "unexpected_rto_share=0", "return_share=1",
             "return_partial_share=0", "return_max_delay=1d", "return_withdraw_share=1", "return_withdraw_partial_share=1"]
SHORT = ["catalog_size=4", "initial_stock_days=0.2", "inbound_share=0.1", "orders=40"]
BUGS = {
    "acks_cancelled": (["cancel_share=0.6", "cancel_mean_delay=1h"], 12, "no-refusal", "DS-ACK-PENDING-ONLY"),
    "split_invoice": ([], 12, "no-refusal", "DS-NO-ORDER-SPLIT"),
    "label_no_dimensions": ([], 12, "no-refusal", "DS-LABEL-NEEDS-DIMENSIONS"),
    "label_before_invoice": ([], 12, "no-refusal", "DS-INVOICE-LABEL-MANIFEST"),
    "inventory_one_call": ([], 2, "inventory", "INVENTORY-ABSOLUTE-MAX-50"),
    "invoices_without_po": ([], 12, "no-refusal", "DS-PO-ON-HOLD"),
    "no_retry": (["faults_per_day=12"], 12, "transient-retried", "API-RETRY-TRANSIENT"),
    "no_retry_on_reset": (["faults_per_day=24"], 12, "transient-retried", "API-RETRY-TRANSIENT"),
    "ignores_retry_after": (["throttles_per_day=12", "throttle_retry_after=1"], 12, "retry-after",
                            "API-THROTTLE-RETRY-AFTER"),
    # A one-off repeat does no harm to a connector that re-reads an order before acting, which the buggy one
    # inherits; AJIO listing orders again for hours strands one the buggy connector forgot it had packed.
    "double_process": (["repeats_per_day=12", "repeat_hours=60"], 30, "dispatch-in-time", "DS-DISPATCH-WITHIN-SLA"),
    "refetches_documents": ([], 12, "documents", "DS-PO-FETCHED"),
    "inventory_every_sync": ([], 4, "inventory", "DS-INVENTORY-CHANGED-ONLY"),
    "rereads_final_orders": (["tick=4h", "settle_tick=4h"], 40, "status-sync", "DS-STATUS-SYNC"),
    "qc_always_good": (["rto_share=1", "qc_bad_share=1", "tick=4h", "settle_tick=4h"], 60, "returns-put-away",
                       "DS-PUTAWAY-GOOD-BAD"),
    "qc_always_bad": (["rto_share=1", "qc_bad_share=0", "tick=4h", "settle_tick=4h"], 60, "returns-put-away",
                      "DS-PUTAWAY-GOOD-BAD"),
    "ignores_tracking": (["tick=4h", "settle_tick=4h"], 30, "status-sync", "DS-TRACKING-SYNC"),
    "no_status_sync_after_manifest": (["tick=4h", "settle_tick=4h"], 30, "status-sync", "DS-STATUS-SYNC"),
    "login_every_call": ([], 4, "logins", "AUTH-LOGIN-SPARINGLY"),
    "credit_note_once": (["unexpected_rto_share=1", "tick=4h", "settle_tick=4h"], 24, "credit-notes",
                         "DS-CREDIT-NOTE-FETCHED"),
    # Stock short on a few SKUs: more confirmed than the warehouse had, or more cancelled than it lacked.
    "confirms_everything": (SHORT, 12, "ack-within-stock", "DS-ACK-WHAT-IS-IN-STOCK"),
    "cancels_whole_line_when_short": (SHORT, 12, "ack-within-stock", "DS-ACK-WHAT-IS-IN-STOCK"),
    "acks_without_reserving": (SHORT, 12, "ack-within-stock", "DS-ACK-WHAT-IS-IN-STOCK"),
    "never_cancels_lost_stock": (["pick_short_share=0.5"], 12, "lost-stock-cancelled", "DS-ACK-WHAT-IS-IN-STOCK"),
    # Every order returned whole, every return withdrawn, some units only where the return has two or more.
    "ds_h20_qc_counts_withdrawn_units": (WITHDRAWN, 60, "no-refusal", "DS-PUTAWAY-GOOD-BAD"),
    "ds_partly_withdrawn_taken_as_withdrawn": (WITHDRAWN, 60, "returns-put-away", "DS-CIR-PUTAWAY"),
}


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_soak_buggy_connector_fails_naming_its_rule(bug):
    extra, until, invariant, rule = BUGS[bug]
    quiet = ["tick=2h", "faults_per_day=0", "throttles_per_day=0", "po_delays_per_day=0", "repeats_per_day=0",
             "stockouts_per_week=0", "outages_per_month=0"]
    orders = next((int(x.split("=")[1]) for x in extra if x.startswith("orders=")), 20)
    doc = soak(f"bug_{bug}", days=1, orders=orders, seed=3, settings=quiet + [x for x in extra
                                                                            if not x.startswith("orders=")],
               until=until)
    assert_fails_naming(doc, invariant, rule)


def test_soak_big_manifest_fails_once_a_backlog_passes_250():
    # A day's orders placed in one tick and shipped in one sync: 260 packed orders at once, all with one
    # courier (a manifest takes one carrier's shipments: over five carriers no manifest would reach 250).
    doc = soak("bug_big_manifest", days=1, orders=260, seed=3, until=3,
               settings=["tick=24h", "carrier=Delhivery", "faults_per_day=0", "throttles_per_day=0", "po_delays_per_day=0",
                         "repeats_per_day=0", "stockouts_per_week=0", "cancel_share=0", "initial_stock_days=20",
                         "pick_short_share=0"])
    by_key = {i["key"]: i for i in doc["invariants"]}
    assert by_key["manifest-size"]["violated_rules"] == ["MANIFEST-MAX-250"]
    assert "a manifest of 26" in by_key["manifest-size"]["kept"][0]["what"]


def test_soak_profile_the_simulator_lacks_is_refused_before_a_world_starts(monkeypatch):
    from harness.soak import engine
    from harness.world import StepFailed
    monkeypatch.setattr(engine.embedded, "settings", lambda: {"seed", "pdf"})   # a simulator without profiles
    run = SoakRun(SoakConfig(days=1, orders_per_day=2, profile="realistic"),
                  PythonAdapter("tests/fixtures/soak_connectors.py:reference"), "ajio-sim soak ...")
    try:
        with pytest.raises(StepFailed, match="--profile realistic: this simulator has no timing profiles"):
            run.run()
        assert not hasattr(run, "world")
    finally:
        run.close()


@pytest.mark.parametrize("path, shape", [
    ("/ds/orders/FN0000000001/label", "/ds/orders/{id}/label"),
    ("/documents/DOCEZSZHZVQLZTG", "/documents/{id}"),        # a document id may have no digit
    ("/documents/DOC4Z8HZVQLZTG1", "/documents/{id}"),
    ("/_sim/sellers/DVABCDEF/inventory", "/_sim/sellers/{id}/inventory"),
    ("/ds/returns/RT00000012/creditNote", "/ds/returns/{id}/creditNote"),
    ("/ds/updateInventory", "/ds/updateInventory"),
    ("/ds/orders/pendency", "/ds/orders/pendency"),
    ("/jit/orders/4000000012/cancel", "/jit/orders/{id}/cancel"),
])
def test_soak_groups_calls_by_path_with_ids_replaced(path, shape):
    from harness.soak.engine import _shape
    assert _shape(path) == shape
