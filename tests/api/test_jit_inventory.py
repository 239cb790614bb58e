"""JIT inventory push, AJIO's view for the daily reconciliation (drift), back orders, returns CONFIRMED (seed 001)."""
from __future__ import annotations

import pytest
from dsworld import assert_error

from fixtures.jitworld import JitWorld


@pytest.fixture
def world(sim) -> JitWorld:
    return JitWorld.new(sim)


def test_inventory_push_is_absolute_and_becomes_ajio_view(world):
    """Seed 001 (inventory push) / API.md: absolute quantities."""
    a, b = world.skus(2)
    answer = world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 7}, {"sku": b, "quantity": 0}]})
    assert answer["status"] == "SUCCESS"
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 7}]})
    assert world.ajio_stock()[a] == 7 and world.ajio_stock()[b] == 0
    assert world.ok("GET", f"/inventory?sku={a}")["inventory"] == [{"sku": a, "quantity": 7}]


def test_inventory_push_unknown_sku_refused_nothing_applied(world):
    """Issue 5 bad input: an unknown SKU names its line; the other lines are not applied either."""
    a = world.skus(1)[0]
    before = world.ajio_stock()[a]
    r = world.jit("POST", "/inventory", {"inventory": [{"sku": a, "quantity": before + 5},
                                                       {"sku": a.lower(), "quantity": 1}]})
    assert_error(r, 400, field="inventory[1].sku", rule="INVENTORY-SKU-EXACT")
    assert world.ajio_stock()[a] == before


@pytest.mark.parametrize("lines,field", [
    ("dup", "inventory[1].sku"),
    ([{"sku": "X", "quantity": -1}], "inventory[0].quantity"),
    ([{"sku": "X", "quantity": 1.5}], "inventory[0].quantity"),
    ([], "inventory"),
    ([{"sku": "X", "quantity": 1}] * 51, "inventory"),
], ids=["duplicate", "negative", "fraction", "empty", "over-50"])
def test_inventory_push_bad_input_names_field(world, lines, field):
    if lines == "dup":
        sku = world.skus(1)[0]
        lines = [{"sku": sku, "quantity": 1}, {"sku": sku, "quantity": 2}]
    assert_error(world.jit("POST", "/inventory", {"inventory": lines}), 400, field=field)


def test_reconciliation_shows_injected_drift_until_next_push(sim, world):
    """Seed 001 row 8 (inventory reconciliation, once a day): AJIO's view can drift from the push; a push fixes it."""
    a, b = world.skus(2)
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 10}, {"sku": b, "quantity": 4}]})
    sim.control("POST", "/jit/inventory/drift", {"pob_id": world.pob_id, "lines": [
        {"sku": a, "delta": -3}, {"sku": b, "quantity": 9}]}, expect=200)
    assert world.ajio_stock()[a] == 7 and world.ajio_stock()[b] == 9
    report = {r["sku"]: r for r in sim.control("GET", f"/jit/inventory?pob_id={world.pob_id}").json["inventory"]}
    assert (report[a]["pushed"], report[a]["ajio_quantity"], report[a]["drift"]) == (10, 7, -3)
    assert report[b]["drift"] == 5
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 10}]})
    assert world.ajio_stock()[a] == 10
    report = {r["sku"]: r for r in sim.control("GET", f"/jit/inventory?pob_id={world.pob_id}").json["inventory"]}
    assert (report[a]["drift"], report[b]["drift"]) == (0, 5)


@pytest.mark.parametrize("line,field", [
    ({"sku": "NOPE", "delta": 1}, "lines[0].sku"),
    ({"sku": "NOPE"}, "lines[0].delta"),
    ({"sku": "NOPE", "delta": 1, "quantity": 2}, "lines[0].delta"),
], ids=["unknown-sku", "neither", "both"])
def test_drift_bad_input_names_field(sim, world, line, field):
    r = sim.control("POST", "/jit/inventory/drift", {"pob_id": world.pob_id, "lines": [line]})
    assert_error(r, 400, field=field)


def test_drift_on_ds_pob_refused(sim):
    ds = sim.seller()
    r = sim.control("POST", "/jit/inventory/drift", {"pob_id": ds["pob_id"], "lines": [{"sku": "x", "delta": 1}]})
    assert_error(r, 400, field="pob_id")


def test_backorders_when_po_demand_exceeds_stock(sim, world):
    """Seed 001 (back order inventory pull): SKUs whose open PO demand exceeds available stock."""
    a, b = world.skus(2)
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 4}, {"sku": b, "quantity": 50}]})
    assert world.ok("GET", "/backorders") == {"backorders": []}
    world.raise_po([(a, 3), (b, 2)])
    assert world.ok("GET", "/backorders") == {"backorders": []}
    second = world.raise_po([(a, 3)])
    assert world.ok("GET", "/backorders") == {"backorders": [{"sku": a, "demand": 6, "available": 4}]}
    # Demand falls with a cancellation, and the seller's push of more stock clears it.
    world.ok("POST", f"/orders/{second}/cancel", {"lines": [{"order_item_id": world.line_ids(second)[0], "quantity": 1}]})
    assert world.ok("GET", "/backorders")["backorders"] == [{"sku": a, "demand": 5, "available": 4}]
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 5}]})
    assert world.ok("GET", "/backorders") == {"backorders": []}


def test_backorders_count_only_unpacked_pos(world):
    a = world.skus(1)[0]
    world.ok("POST", "/inventory", {"inventory": [{"sku": a, "quantity": 3}]})
    po = world.raise_po([(a, 3)])
    world.raise_po([(a, 1)])
    assert world.ok("GET", "/backorders")["backorders"] == [{"sku": a, "demand": 4, "available": 3}]
    world.packed(po)  # 3 units left the warehouse: stock 0, demand 1
    assert world.ok("GET", "/backorders")["backorders"] == [{"sku": a, "demand": 1, "available": 0}]
    assert_error(world.jit("GET", "/backorders?sku=x"), 400, field="sku")


def test_returns_pulled_are_confirmed(sim, world):
    """Seed 001 row 3: in the return pull the return is always created in Confirmed status."""
    po = world.raise_po([(world.skus(1)[0], 4)])
    assert_error(sim.control("POST", f"/orders/{po}/customer-return", {}), 409, code="ILLEGAL_TRANSITION")
    world.delivered(po)
    line = world.line_ids(po)[0]
    rid = sim.control("POST", f"/jit/orders/{po}/return", {"lines": [{"order_item_id": line, "quantity": 1}],
                                                          "reason": "DAMAGED"}, expect=201).json["return_order_id"]
    rid2 = sim.control("POST", f"/orders/{po}/customer-return", {}, expect=201).json["return_order_id"]
    returns = world.ok("GET", "/returns")["returns"]
    pulled = {r["return_order_id"]: (r["return_status"], r["return_order_items"][0]["return_quantity"]) for r in returns}
    assert pulled == {rid: ("CONFIRMED", 1), rid2: ("CONFIRMED", 3)}
    assert_error(sim.control("POST", f"/orders/{po}/customer-return", {}), 409, message="already returned")
    assert sim.return_state(rid)["status"] == "CONFIRMED"


def test_return_above_delivered_quantity_refused(sim, world):
    po = world.raise_po([(world.skus(1)[0], 2)])
    world.delivered(po)
    r = sim.control("POST", f"/jit/orders/{po}/return", {"lines": [{"order_item_id": world.line_ids(po)[0],
                                                                    "quantity": 3}]})
    assert_error(r, 400, field="lines[0].quantity")
    assert world.ok("GET", "/returns")["returns"] == []


def test_rto_refused_for_jit_po(sim, world):
    po = world.raise_po([(world.skus(1)[0], 2)])
    world.manifested(po)
    sim.control("POST", f"/orders/{po}/pickup", expect=200)
    assert_error(sim.control("POST", f"/orders/{po}/rto"), 409, field="order_id")


def test_jit_calls_are_journaled(sim, world):
    world.ok("GET", "/backorders")
    """API.md: the journal holds every AJIO-facing request, JIT's too, with contract violations."""
    world.jit("POST", "/inventory", {"inventory": [{"sku": "X", "quantity": -1}]})
    entries = sim.control("GET", f"/journal?pob_id={world.pob_id}").json["entries"]
    assert any(e["path"] == "/jit/backorders" and e["status"] == 200 for e in entries)
    refused = [e for e in entries if e["path"] == "/jit/inventory"]
    assert refused and refused[0]["violations"][0]["field"] == "inventory[0].quantity"
