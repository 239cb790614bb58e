"""The soak's warehouse (harness/soak/world.py): what it tells the connector it may sell, as the change
feed shows orders acknowledged, cancelled, picked up and returned."""
from __future__ import annotations

from harness.soak.config import SoakConfig
from harness.soak.traffic import Fate
from harness.soak.world import Order, SoakWorld

T0 = 1_767_551_400
FATE = Fate(0, T0, None, False, "deliver", 0, None, False, "SIZE_FIT_ISSUES", None, "GOOD")


def _world(model: str = "ds") -> SoakWorld:
    world = object.__new__(SoakWorld)  # the bookkeeping only: no server
    world.cfg = SoakConfig(model=model, days=1, orders_per_day=1)
    world.orders, world.returns, world.now = {}, {}, T0
    world.dirty_orders, world.dirty_returns = set(), set()
    world.skus = ["SKU-A", "SKU-B"]
    world.on_hand, world._promised = {"SKU-A": 10, "SKU-B": 4}, {}
    world.orders["FN1"] = Order("FN1", 0, FATE, T0)
    return world


def _view(status: str, *, acked: bool, qty: int = 3, cancelled: int = 0, returns=()) -> dict:
    return {"order_id": "FN1", "status": status, "manifest_id": None, "return_order_ids": list(returns),
            "po_date": None, "documents": [], "cancelled_by": None,
            "lines": [{"order_item_id": "1", "sku": "SKU-A", "ordered_quantity": qty, "acknowledged": acked,
                       "customer_cancelled_qty": cancelled, "seller_cancelled_qty": 0, "seller_short_picked_qty": 0}]}


def test_warehouse_sellable_drops_when_an_order_is_acknowledged_not_when_placed():
    world = _world()
    world._order_view(_view("CREATED", acked=False))
    assert world.sellable() == {"SKU-A": 10, "SKU-B": 4}
    world._order_view(_view("CONFIRMED", acked=True))
    assert world.sellable() == {"SKU-A": 7, "SKU-B": 4}


def _po_view(status: str, *, qty: int = 5, cancelled: int = 0) -> dict:
    return {"order_id": "FN1", "status": status, "manifest_id": None, "return_order_ids": [], "po_date": None,
            "documents": [], "cancelled_by": None,
            "lines": [{"order_item_id": "1", "sku": "SKU-A", "quantity": qty, "cancelled_quantity": cancelled}]}


def test_jit_warehouse_promises_a_pos_units_at_the_pack_as_ajio_takes_them_off_its_view():
    """AJIO takes packed units off its view (docs/jit.md): promised earlier, a push would count them twice."""
    world = _world("jit")
    world._order_view(_po_view("CREATED"))
    world._order_view(_po_view("INVOICED", cancelled=2))
    assert world.sellable()["SKU-A"] == 10
    world._order_view(_po_view("PACKED", cancelled=2))
    assert world.sellable()["SKU-A"] == 7
    world._order_view(_po_view("DISPATCHED", cancelled=2))
    assert world.on_hand["SKU-A"] == 7 and world.promised() == {} and world.sellable()["SKU-A"] == 7


def test_warehouse_cancellation_after_acknowledgement_gives_the_units_back():
    world = _world()
    world._order_view(_view("CONFIRMED", acked=True))
    world._order_view(_view("CONFIRMED", acked=True, cancelled=1))
    assert world.sellable()["SKU-A"] == 8
    world._order_view(_view("CANCELLED", acked=True, cancelled=3))
    assert world.sellable()["SKU-A"] == 10


def test_warehouse_pickup_takes_units_off_the_shelf_and_the_promise_together():
    world = _world()
    world._order_view(_view("READY_TO_DISPATCH", acked=True))
    world._order_view(_view("DISPATCHED", acked=True))
    assert world.on_hand["SKU-A"] == 7 and world.promised() == {} and world.sellable()["SKU-A"] == 7
    world._order_view(_view("DELIVERED", acked=True))  # seen again: taken off once only
    assert world.on_hand["SKU-A"] == 7


def test_warehouse_return_put_away_good_units_come_back_bad_ones_do_not():
    world = _world()
    world._order_view(_view("DISPATCHED", acked=True))
    world._return_view({"return_order_id": "RT1", "order_id": "FN1", "return_type": "RTO", "status": "RETURN_PROCESSED",
                        "return_date": T0, "putaway_at": T0, "credit_note_due_at": None, "credit_note_number": None,
                        "documents": [], "items": [{"sku": "SKU-A", "return_quantity": 3, "cancelled_return_quantity": 0,
                                                    "qc": {"good": 2, "bad": 1, "missing": 0}}]})
    assert world.on_hand["SKU-A"] == 9
    assert world.returns["RT1"].stamps["processed"] == T0


def test_warehouse_file_says_what_it_can_pick_of_an_order_short_and_forgets_it_once_cancelled_down(tmp_path):
    """A lost unit of an acknowledged order: the file's `pickable` says what the warehouse can still pick of
    that SKU for the order; once the seller cancelled the unit (or the order), the order lacks nothing."""
    import json
    world = _world()
    world.missing, world.missing_need, world.unexpected_rto, world.qc = {}, {}, [], {}
    world.warehouse_path = tmp_path / "warehouse.json"
    world._order_view(_view("CONFIRMED", acked=True, qty=3))
    world.lose(world.orders["FN1"], "SKU-A", 1)
    world.write_warehouse()
    assert json.loads(world.warehouse_path.read_text())["pickable"] == {"FN1": {"SKU-A": 2}}
    world.lose(world.orders["FN1"], "SKU-A", 5)   # never more than the order needed
    assert world.missing == {"FN1": {"SKU-A": 3}}
    world.missing = {"FN1": {"SKU-A": 1}}
    view = _view("CONFIRMED", acked=True, qty=3)
    view["lines"][0]["seller_cancelled_qty"] = 1
    world._order_view(view)
    world.write_warehouse()
    assert json.loads(world.warehouse_path.read_text())["pickable"] == {}
