"""The realistic profile through the API: the same seed gives the same world, whatever the call order."""
from __future__ import annotations

from dsworld import World

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app

DAY = 86400


def world(seed: int = 11, profile: str = "realistic") -> World:
    app = create_app({"db_url": "sqlite://", "seed": seed, "frozen_at": T0})
    app.config["CONTRACT_STRICT"] = True
    w = World.new(Sim(FlaskTransport(app.test_client())))
    w.sim.control("PUT", "/timing", {"profile": profile}, expect=200)
    return w


def shipped(w: World, count: int, pickup_order: list[int]) -> list[str]:
    """`count` orders packed in the exact profile (a PO lag of 30 minutes), manifested one by one in the
    realistic one, then picked up by QA in the order given."""
    w.sim.control("PUT", "/timing", {"profile": "exact"}, expect=200)
    orders = w.drive("PACKED", count)
    w.sim.control("PUT", "/timing", {"profile": "realistic"}, expect=200)
    for o in orders:
        w.ok("POST", "/orders/dispatch", {"dispatchItems": [o.dispatch_item]})
    for index in pickup_order:
        w.sim.control("POST", f"/orders/{orders[index].order_id}/pickup", expect=200)
    return [o.order_id for o in orders]


def plans(w: World, order_ids: list[str]) -> dict:
    return {o: w.sim.control("GET", f"/orders/{o}/tracking", expect=200).json["planned"] for o in order_ids}


def test_realistic_world_replays_whatever_the_order_of_calls():
    first, second = world(), world()
    ids = shipped(first, 3, [0, 1, 2])
    assert shipped(second, 3, [2, 0, 1]) == ids
    assert plans(first, ids) == plans(second, ids)


def test_realistic_po_lag_is_drawn_per_order_and_replays():
    def lags(w: World) -> list[int]:
        ids = w.place(4)
        for o in ids:
            assert w.acknowledge(o).status == 200
        return [w.state(o)["po_due_at"] - w.state(o)["timeline"][-1]["at"] for o in ids]
    drawn = lags(world())
    assert drawn == lags(world()) and len(set(drawn)) > 1 and drawn != [1800] * 4


def test_another_seed_gives_another_world():
    one, other = world(11), world(12)
    assert list(plans(one, shipped(one, 2, [0, 1])).values()) != list(plans(other, shipped(other, 2, [0, 1])).values())


def test_realistic_deliveries_end_delivered_or_back_as_rto_on_their_own():
    """Left alone for three weeks, every shipment ends: delivered (perhaps after failed attempts) or RTO."""
    w = world(seed=3)
    ids = shipped(w, 12, list(range(12)))
    w.advance(21 * DAY)
    states = {o: w.state(o) for o in ids}
    assert {s["status"] for s in states.values()} <= {"DELIVERED", "RTO"}
    for o, s in states.items():
        t = s["tracking"]
        assert t["planned"] == [] and t["events"][-1]["status"] in ("DELIVERED", "RTO_DELIVERED")
        if s["status"] == "RTO":
            assert [r["return_type"] for r in s["returns"]] == ["RTO"]
            assert s["returns"][0]["return_status"] == "RETURN_DELIVERED"
