"""The JIT soak (`ajio-sim soak --model jit`): its traffic, each JIT invariant (fails when its rule is broken,
holds when it is kept), and whole soaks in process: the reference JIT connector passes and exercises every
invariant, a seed replays, and each bundled buggy JIT connector whose bug a month reveals fails naming its
rule (docs/soak.md "JIT").
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from fixtures.soak_run import assert_fails_naming, in_process_soak
from harness.soak import traffic
from harness.soak.config import DAY, HOUR, SoakConfig
from harness.soak.jit import JIT_INVARIANTS, JitChecker
from harness.soak.tap import Call
from harness.soak.world import Order, Return

T0 = 1_767_551_400


# -- traffic -------------------------------------------------------------------------------------------
def test_jit_traffic_has_no_customer_and_no_courier_turning_back():
    cfg = SoakConfig(model="jit", days=3, orders_per_day=40, seed=4).apply(["return_share=0.5"])
    fates = [traffic.fate(cfg, i, T0) for i in range(400)]
    assert all(f.cancel_after is None and f.delivery == "deliver" for f in fates)
    returned = sum(f.return_after is not None for f in fates) / len(fates)
    assert 0.4 < returned < 0.6
    assert [traffic.fate(cfg, i, T0) for i in range(400)] == fates   # seeded per PO


def test_jit_day_plan_strikes_jit_calls_only_and_drifts_at_its_rate():
    cfg = SoakConfig(model="jit", days=30, orders_per_day=40, seed=4).apply(["drifts_per_day=2.5",
                                                                             "faults_per_day=3"])
    plans = [traffic.day_plan(cfg, d, 60, traffic.outage_days(cfg)) for d in range(30)]
    paths = {f.rule["match"]["path"] for p in plans for f in p.faults}
    assert paths and all(p.startswith(("/jit/", "/documents/")) for p in paths), paths
    assert not {f.kind for p in plans for f in p.faults} & {"po_delay", "repeat"}   # Dropship's own
    drifts = [d for p in plans for d in p.drifts]
    assert 60 <= len(drifts) <= 90 and all(delta for _, _, delta in drifts)
    for p in plans:
        assert all(T0 + p.day * DAY <= at < T0 + (p.day + 1) * DAY for at, _, _ in p.drifts)
    assert traffic.demand_per_sku(cfg, 60) > traffic.demand_per_sku(SoakConfig(days=1, orders_per_day=40), 60)


# -- invariants ------------------------------------------------------------------------------------------
FATE = traffic.Fate(0, T0, None, False, "deliver", 0, None, False, "RTV", None, "GOOD")


def _po(order_id="4001", *, status="CREATED", docs=(), **stamps) -> Order:
    o = Order(order_id, 0, FATE, T0, status=status)
    o.lines = [{"order_item_id": "1", "sku": "SKU-A", "quantity": 4, "cancelled_quantity": 0}]
    o.stamps.update(stamps)
    for doc_id, kind in docs:
        o.documents[doc_id] = kind
        o.doc_issued[doc_id] = T0
    return o


def _world(*orders: Order, returns=(), view=None, sellable=None):
    return SimpleNamespace(orders={o.order_id: o for o in orders}, returns={r.return_order_id: r for r in returns},
                           dirty_orders={o.order_id for o in orders}, dirty_returns={r.return_order_id for r in returns},
                           ajio_inventory=lambda: dict(view or {}), sellable=lambda: dict(sellable or {}),
                           pending=set())


def _checker(world, **knobs) -> JitChecker:
    checker = JitChecker(SoakConfig(model="jit", days=3, orders_per_day=1).apply(
        [f"{k}={v}" for k, v in knobs.items()]), world)
    checker.world_changed()
    return checker


_seq = iter(range(1, 10_000))


def _call(method, path, status=200, *, body=None, answer=None) -> Call:
    return Call(next(_seq), 0, 0.0, method, path, "", status, "tok", None, 0.001, 0.001,
                request_body=json.dumps(body).encode() if body is not None else None,
                answer=json.dumps(answer).encode() if answer is not None else None)


def _kept(checker, key):
    return checker.tally[key].kept


def test_po_in_time_po_never_packed_names_po_processed():
    checker = _checker(_world(_po(status="INVOICED", invoiced=T0 + HOUR)))
    checker.deadlines(0, T0 + 23 * HOUR, T0 + 25 * HOUR)
    [v] = _kept(checker, "po-in-time")
    assert v.rule_id == "JIT-PO-PROCESSED" and "not packed" in v.actual


def test_po_in_time_packed_or_cancelled_in_time_holds():
    checker = _checker(_world(_po("4001", status="PACKED", packed=T0 + HOUR),
                              _po("4002", status="CANCELLED", cancelled=T0 + 2 * HOUR)))
    checker.deadlines(0, T0 + 30 * HOUR, T0 + 31 * HOUR)
    assert _kept(checker, "po-in-time") == [] and checker.tally["po-in-time"].checks == 2


def test_dispatch_in_time_packed_po_never_manifested_names_manifest_rule():
    checker = _checker(_world(_po(status="PACKED", packed=T0 + HOUR)))
    checker.deadlines(0, T0 + 47 * HOUR, T0 + 49 * HOUR)
    [v] = _kept(checker, "dispatch-in-time")
    assert v.rule_id == "JIT-MANIFEST-DOCUMENT" and "still PACKED" in v.actual


def test_dispatch_in_time_manifested_po_holds_and_a_cancelled_one_is_not_judged():
    checker = _checker(_world(_po("4001", status="READY_TO_DISPATCH", packed=T0 + HOUR, manifested=T0 + 2 * HOUR),
                              _po("4002", status="CANCELLED", cancelled=T0 + HOUR)))
    checker.deadlines(0, T0 + 49 * HOUR, T0 + 50 * HOUR)
    assert _kept(checker, "dispatch-in-time") == [] and checker.tally["dispatch-in-time"].checks == 1


def test_documents_box_label_never_fetched_names_manifest_rule_and_invoice_names_po_rule():
    po = _po(status="PACKED", docs=[("DOCINV", "jit_b2b_invoice"), ("DOCLBL", "jit_box_label"),
                                    ("DOCMF", "jit_manifest")])
    checker = _checker(_world(po))
    checker.calls(0, T0, [_call("GET", "/documents/DOCMF")])
    checker.deadlines(0, T0 + 25 * HOUR, T0 + 26 * HOUR)
    assert sorted((v.subject, v.rule_id) for v in _kept(checker, "documents")) == [
        ("DOCINV", "JIT-PO-PROCESSED"), ("DOCLBL", "JIT-MANIFEST-DOCUMENT")]


def _rtv(return_id="RT1", order_id="4001") -> Return:
    return Return(return_id, order_id, "RTV", "CONFIRMED", T0)


def test_returns_pulled_return_never_listed_names_returns_confirmed():
    checker = _checker(_world(_po(), returns=[_rtv("RT1"), _rtv("RT2")]))
    checker.calls(0, T0, [_call("GET", "/jit/returns", answer={"returns": [{"return_order_id": "RT1"}]})])
    checker.deadlines(0, T0 + 23 * HOUR, T0 + 25 * HOUR)
    assert [(v.subject, v.rule_id) for v in _kept(checker, "returns-pulled")] == [("RT2", "JIT-RETURNS-CONFIRMED")]


def test_backorders_not_pulled_for_a_day_names_backorder_pull_once_per_stretch():
    checker = _checker(_world())
    for tick in range(30):
        checker.deadlines(tick, T0 + tick * HOUR, T0 + (tick + 1) * HOUR)
    [v] = _kept(checker, "backorders")
    assert v.rule_id == "JIT-BACKORDER-PULL"
    pulled = _checker(_world())
    for tick in range(30):
        pulled.calls(tick, T0 + tick * HOUR, [_call("GET", "/jit/backorders", answer={"backorders": []})])
        pulled.deadlines(tick, T0 + tick * HOUR, T0 + (tick + 1) * HOUR)
    assert _kept(pulled, "backorders") == [] and pulled.tally["backorders"].checks == 30


def test_inventory_change_not_pushed_names_push_and_drift_not_reconciled_names_reconcile():
    checker = _checker(_world(view={"A": 3, "B": 7}, sellable={"A": 5, "B": 9}))
    checker.drifted("B", T0)
    for tick in range(3):
        checker.inventory(tick, T0 + tick * HOUR, {}, {}, [])
    assert [v.rule_id for v in _kept(checker, "inventory")] == ["JIT-INVENTORY-PUSH"]   # A after 2 h
    for tick in range(3, 27):
        checker.inventory(tick, T0 + tick * HOUR, {}, {}, [])
    assert "JIT-INVENTORY-RECONCILE" in [v.rule_id for v in _kept(checker, "inventory")]   # B after 26 h


def test_inventory_drift_corrected_within_a_day_holds():
    world = _world(view={"A": 2}, sellable={"A": 5})
    checker = _checker(world)
    checker.drifted("A", T0)
    for tick in range(20):
        checker.inventory(tick, T0 + tick * HOUR, {}, {}, [])
    world.ajio_inventory = lambda: {"A": 5}
    checker.inventory(20, T0 + 20 * HOUR, {}, {}, [])
    assert _kept(checker, "inventory") == []


def _cancel(po, lines):
    return _call("POST", f"/jit/orders/{po}/cancel", body={"lines": lines}, answer={"order_id": po})


def test_cancel_shortfall_only_cancelling_more_than_the_warehouse_lacks_names_po_processed():
    checker = _checker(_world(_po("4001"), _po("4002")))
    checker.before_run(0, T0, {"SKU-A": 5})            # 8 units open on two POs, 5 in stock: 3 lacking
    checker.calls(0, T0, [_cancel("4001", [{"order_item_id": "1", "quantity": 4}])])
    [v] = _kept(checker, "cancel-shortfall-only")
    assert v.rule_id == "JIT-PO-PROCESSED" and v.order_id == "4001" and "lacked 3" in v.what


def test_cancel_shortfall_only_cancelling_the_shortfall_across_pos_holds():
    checker = _checker(_world(_po("4001"), _po("4002")))
    checker.before_run(0, T0, {"SKU-A": 5})
    checker.calls(0, T0, [_cancel("4001", [{"order_item_id": "1", "quantity": 1}]),
                          _cancel("4002", [{"order_item_id": "1", "quantity": 2}])])
    assert _kept(checker, "cancel-shortfall-only") == [] and checker.tally["cancel-shortfall-only"].checks == 1


def test_inventory_of_a_sku_still_in_moderation_is_not_judged():
    world = _world(view={"A": 3}, sellable={"A": 5})
    world.pending = {"A"}
    checker = _checker(world)
    for tick in range(5):
        checker.inventory(tick, T0 + tick * HOUR, {}, {}, [])
    assert _kept(checker, "inventory") == []


def test_inventory_of_a_sku_approved_late_is_judged_from_its_approval_even_if_it_drifted_before():
    """Found by a 30-day JIT soak: a SKU drifted while in moderation was judged from the drift at its approval."""
    world = _world(view={"A": 3}, sellable={"A": 5})
    world.pending = {"A"}
    checker = _checker(world)
    checker.drifted("A", T0)
    for tick in range(30):
        checker.inventory(tick, T0 + tick * HOUR, {}, {}, [])
    world.pending = set()
    checker.inventory(30, T0 + 30 * HOUR, {}, {}, [])      # the run after the approval was throttled
    assert _kept(checker, "inventory") == []
    for tick in range(31, 34):
        checker.inventory(tick, T0 + tick * HOUR, {}, {}, [])
    assert [v.rule_id for v in _kept(checker, "inventory")] == ["JIT-INVENTORY-PUSH"]   # 2 h after the approval


def test_late_approvals_hold_skus_in_moderation_until_a_day_of_the_soak():
    cfg = SoakConfig(model="jit", days=10, orders_per_day=5, seed=4).apply(["late_approvals=3"])
    approvals = traffic.late_approvals(cfg, 60)
    assert len(approvals) == 3 and all(cfg.start < at < cfg.traffic_end for at in approvals.values())
    assert traffic.late_approvals(SoakConfig(days=10, orders_per_day=5, seed=4), 60) == {}   # Dropship: none


def test_processed_once_pack_sent_again_after_success_names_change_sent_once():
    checker = _checker(_world(_po(status="PACKED")))
    checker.calls(0, T0, [_call("POST", "/jit/orders/4001/pack", body={"boxes": []}),
                          _call("POST", "/jit/orders/4001/pack", body={"boxes": []})])
    [v] = _kept(checker, "processed-once")
    assert v.rule_id == "API-CHANGE-SENT-ONCE" and v.order_id == "4001"


def _read(ids, tick=0):
    c = _call("GET", "/jit/orders", answer={"orders": []})
    c.query, c.tick = "orderIds=" + "%2C".join(ids) + "&page=0&size=50", tick
    return c


def test_status_sync_pickup_never_read_names_no_updated_since():
    checker = _checker(_world(_po("4001", status="DISPATCHED", dispatched=T0 + HOUR),
                              _po("4002", status="DISPATCHED", dispatched=T0 + HOUR)))
    checker.calls(2, T0 + 2 * HOUR, [_read(["4002"], tick=2)])
    checker.deadlines(6, T0 + 6 * HOUR, T0 + 8 * HOUR)
    assert _kept(checker, "status-sync") == []     # a day to learn it: a run spoiled by AJIO is not a breach
    checker.deadlines(26, T0 + 26 * HOUR, T0 + 28 * HOUR)
    assert [(v.subject, v.rule_id) for v in _kept(checker, "status-sync")] == [("4001", "API-NO-UPDATED-SINCE")]


def test_status_sync_delivered_po_read_in_a_third_run_overdoes_but_a_retry_or_a_second_run_does_not():
    checker = _checker(_world(_po("4001", status="DELIVERED", delivered=T0 + HOUR),
                              _po("4002", status="DELIVERED", delivered=T0 + HOUR)))
    checker.calls(2, T0 + 2 * HOUR, [_read(["4001", "4002"], tick=2), _read(["4001", "4002"], tick=2)])
    assert _kept(checker, "status-sync") == []     # the run that learnt the delivery, with its retry
    checker.calls(3, T0 + 3 * HOUR, [_read(["4002"], tick=3)])
    assert _kept(checker, "status-sync") == []     # a second run may re-learn what a spoiled first one lost
    checker.calls(4, T0 + 4 * HOUR, [_read(["4002"], tick=4)])
    checker.deadlines(4, T0 + 4 * HOUR, T0 + 8 * HOUR)
    assert [(v.subject, v.rule_id) for v in _kept(checker, "status-sync")] == [("4002", "API-NO-UPDATED-SINCE")]


def test_final_state_po_left_invoiced_or_packed_at_the_end():
    checker = _checker(_world(_po("4001", status="INVOICED"), _po("4002", status="PACKED"),
                              _po("4003", status="DELIVERED"), _po("4004", status="DISPATCHED")))
    checker.finish(10, T0 + 10 * DAY)
    assert sorted((v.subject, v.rule_id) for v in _kept(checker, "final-state")) == [
        ("4001", "JIT-PO-PROCESSED"), ("4002", "JIT-MANIFEST-DOCUMENT")]


# -- whole soaks -------------------------------------------------------------------------------------------
FAST = ["tick=2h", "settle_tick=12h", "return_max_delay=1d", "settle_days=8"]
BUSY = ["return_share=0.4", "faults_per_day=6", "throttles_per_day=3", "stockouts_per_week=7", "drifts_per_day=4"]


def jit_soak(connector: str = "reference", *, days: int = 2, orders: int = 12, seed: int = 5,
             settings: list[str] = (), until: int | None = None) -> dict:
    return in_process_soak("jit", connector, days=days, orders=orders, seed=seed, settings=settings, until=until)


@pytest.fixture(scope="module")
def busy_jit() -> dict:
    return jit_soak(settings=FAST + BUSY, seed=11)


def test_jit_soak_reference_connector_passes_and_exercises_every_invariant(busy_jit):
    doc = busy_jit
    assert doc["error"] is None
    assert doc["verdict"] == "PASS", [v for i in doc["invariants"] for v in i["kept"]][:3]
    assert [i["key"] for i in doc["invariants"]] == [i.key for i in JIT_INVARIANTS]
    assert [i["key"] for i in doc["invariants"] if i["checks"] == 0] == []
    w = doc["world"]
    assert w["orders_by_status"].get("DELIVERED") and w["returns_by_type"].get("RTV") and w["stockouts"]
    struck = {f["kind"] for f in doc["faults"] if f["applied"]}
    assert {"transport", "throttle", "drift", "approval"} <= struck, doc["faults"]


def test_jit_soak_same_seed_replays_the_same_traffic_and_verdict(busy_jit):
    again = jit_soak(settings=FAST + BUSY, seed=11)
    for key in ("verdict", "world", "faults", "days"):
        assert again[key] == busy_jit[key], key
    assert [(i["key"], i["checks"], i["violations"]) for i in again["invariants"]] == \
        [(i["key"], i["checks"], i["violations"]) for i in busy_jit["invariants"]]


QUIET = ["tick=2h", "faults_per_day=0", "throttles_per_day=0", "stockouts_per_week=0", "outages_per_month=0",
         "drifts_per_day=0", "late_approvals=0"]
SHORT = ["initial_stock_days=0.7", "inbound_share=0.7"]          # SKUs run short: the seller cancels some units
# Each JIT bug with the traffic that reveals it soonest, the invariant it must fail and the rule it must name.
JIT_BUGS = {
    "jit_no_reconcile": (["drifts_per_day=12"], 30, "inventory", "JIT-INVENTORY-RECONCILE"),
    "jit_no_backorders": ([], 20, "backorders", "JIT-BACKORDER-PULL"),
    "jit_no_returns_pull": (["return_share=1", "return_max_delay=2h", "tick=4h"], 40, "returns-pulled",
                            "JIT-RETURNS-CONFIRMED"),
    "jit_skips_manifest_pdf": ([], 20, "documents", "JIT-MANIFEST-DOCUMENT"),
    "jit_skips_manifest_when_ready": ([], 30, "dispatch-in-time", "JIT-MANIFEST-DOCUMENT"),
    "jit_cancels_whole_line": (SHORT, 24, "cancel-shortfall-only", "JIT-PO-PROCESSED"),
    "jit_cancel_without_key": (SHORT + ["jit_prepack=true", "faults_per_day=24"], 24, "cancel-shortfall-only",
                               "JIT-PO-PROCESSED"),
    "jit_sku_pull_once": (["late_approvals=4"], 40, "po-in-time", "JIT-PO-PROCESSED"),
    "jit_waits_for_stock": (SHORT, 40, "po-in-time", "JIT-PO-PROCESSED"),
    "jit_skips_invoice_pdf": ([], 20, "documents", "JIT-PO-PROCESSED"),
    "jit_refetches_documents": ([], 20, "documents", "JIT-PO-PROCESSED"),
    "jit_login_every_call": ([], 4, "logins", "AUTH-LOGIN-SPARINGLY"),
    "jit_no_status_sync": ([], 50, "status-sync", "API-NO-UPDATED-SINCE"),
    "jit_rereads_final_pos": ([], 60, "status-sync", "API-NO-UPDATED-SINCE"),
    "jit_reinvoices_every_sync": ([], 20, "processed-once", "API-CHANGE-SENT-ONCE"),
    "jit_box_numbers_per_po": ([], 12, "no-refusal", "JIT-BOX-IDS-UNIQUE"),
    "jit_no_retry_on_reset": (["faults_per_day=24"], 12, "transient-retried", "API-RETRY-TRANSIENT"),
    "jit_ignores_retry_after": (["throttles_per_day=12", "throttle_retry_after=1"], 12, "retry-after",
                                "API-THROTTLE-RETRY-AFTER"),
}


@pytest.mark.parametrize("bug", sorted(JIT_BUGS))
def test_jit_soak_buggy_connector_fails_naming_its_rule(bug):
    extra, until, invariant, rule = JIT_BUGS[bug]
    doc = jit_soak(f"bug_{bug}", days=2, orders=12, seed=3, settings=QUIET + extra, until=until)
    assert_fails_naming(doc, invariant, rule)


def test_jit_soak_report_names_jit_steps_and_every_jit_invariant(busy_jit):
    from harness.soak.html import render
    from harness.soak.report import junit_xml
    html = render(busy_jit)
    assert "Order placed -&gt; packed" in html or "Order placed -> packed" in html
    assert all(f"<code>{i.key}</code>" in html for i in JIT_INVARIANTS)
    assert junit_xml(busy_jit).count("<testcase ") == len(JIT_INVARIANTS)
