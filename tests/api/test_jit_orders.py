"""JIT purchase orders: pendency, reads, seller cancellation push (seed 001), no customer cancellation."""
from __future__ import annotations

import pytest
from dsworld import assert_error

from fixtures.jitworld import JitWorld

CANCEL_RULE = "JIT-SELLER-CANCEL-UNTIL-PACKED"


@pytest.fixture
def world(sim) -> JitWorld:
    return JitWorld.new(sim)


@pytest.fixture
def po(world) -> str:
    a, b = world.skus(2)
    return world.raise_po([(a, 5), (b, 3)])


def test_pendency_lists_new_pos_with_pinned_line_fields(world, po):
    """Seed 001 order pull: new POs in pendency with sku_code, product_id, variant_id, ean (API.md)."""
    page = world.ok("GET", "/orders/pendency")
    assert [o["order_id"] for o in page["orders"]] == [po]
    order = page["orders"][0]
    assert order["status"] == "CREATED" and order["po_date"] == world.sim.control("GET", "/clock").json["now"]
    for line in order["order_lines"]:
        assert {"order_item_id", "sku_code", "product_id", "variant_id", "ean", "quantity",
                "cancelled_quantity"} <= set(line)
    assert [l["quantity"] for l in order["order_lines"]] == [5, 3]


def test_pendency_drops_po_once_invoiced_and_orders_keeps_it(world, po):
    """JIT has no acknowledgement: a PO leaves pendency when it is invoiced, and stays readable by id."""
    world.invoiced(po)
    assert world.ok("GET", "/orders/pendency")["orders"] == []
    assert world.po(po)["status"] == "INVOICED"
    assert [o["order_id"] for o in world.ok("GET", "/orders?status=INVOICED")["orders"]] == [po]


def test_orders_unknown_or_other_pobs_po_404(sim, world, po):
    other = JitWorld.new(sim)
    assert_error(other.jit("GET", f"/orders?orderIds={po}"), 404, field="orderIds")
    assert_error(other.jit("POST", f"/orders/{po}/invoice", {}), 404, field="order_id")


def test_ds_order_invisible_on_jit(sim, world):
    ds = sim.seller()
    order_id = sim.place(ds["pob_id"])[0]
    assert_error(world.jit("POST", f"/orders/{order_id}/invoice", {}), 404)


def test_cancel_partial_line_keeps_po_open(world, po):
    """Seed 001 order cancellation push: per line and quantity, partial allowed."""
    line = world.line_ids(po)[0]
    answer = world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": line, "quantity": 2}]})
    assert answer["status"] == "CREATED"
    assert answer["order_lines"][0]["cancelled_quantity"] == 2 and answer["order_lines"][0]["open_quantity"] == 3
    assert world.state(po)["timeline"][-1]["cause"].startswith("seller cancelled")


def test_cancel_everything_cancels_po(world, po):
    a, b = world.line_ids(po)
    answer = world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": a, "quantity": 5},
                                                                 {"order_item_id": b, "quantity": 3}]})
    assert answer["status"] == "CANCELLED"
    assert_error(world.jit("POST", f"/orders/{po}/invoice", {}), 409, code="ILLEGAL_TRANSITION")


def test_cancel_above_open_quantity_refused_nothing_applied(world, po):
    """Issue 5 bad input: cancellation above the open quantity names the line's field; no line changes."""
    a, b = world.line_ids(po)
    r = world.jit("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": a, "quantity": 1},
                                                             {"order_item_id": b, "quantity": 4}]})
    assert_error(r, 400, field="lines[1].quantity", message="only 3 open", rule=CANCEL_RULE)
    assert [l["cancelled_quantity"] for l in world.po(po)["order_lines"]] == [0, 0]


def test_cancel_second_time_counts_against_what_is_left(world, po):
    a = world.line_ids(po)[0]
    world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": a, "quantity": 4}]})
    assert_error(world.jit("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": a, "quantity": 2}]}),
                 400, field="lines[0].quantity", message="only 1 open")


@pytest.mark.parametrize("lines,field", [
    ([{"order_item_id": "999", "quantity": 1}], "lines[0].order_item_id"),
    ([{"order_item_id": "LINE0", "quantity": 0}], "lines[0].quantity"),
    ([{"order_item_id": "LINE0", "quantity": "1"}], "lines[0].quantity"),
    ([{"order_item_id": "LINE0"}], "lines[0].quantity"),
    ([], "lines"),
    ([{"order_item_id": "LINE0", "quantity": 1}, {"order_item_id": "LINE0", "quantity": 1}], "lines[1].order_item_id"),
], ids=["unknown-line", "zero", "string", "missing-quantity", "empty", "repeated-line"])
def test_cancel_bad_input_names_field(world, po, lines, field):
    line = world.line_ids(po)[0]
    lines = [{**l, "order_item_id": line} if l.get("order_item_id") == "LINE0" else l for l in lines]
    assert_error(world.jit("POST", f"/orders/{po}/cancel", {"lines": lines}), 400, field=field)
    assert world.po(po)["order_lines"][0]["cancelled_quantity"] == 0


def test_cancel_after_pack_refused(world, po):
    """Seed 001 / API.md: seller cancellation only until packed."""
    world.packed(po)
    r = world.jit("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": world.line_ids(po)[0], "quantity": 1}]})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", rule=CANCEL_RULE)


def test_cancel_with_idempotency_key_replays_first_answer(world, po):
    """A retried cancellation with the same Idempotency-Key and lines is applied once and answers the first result."""
    body = {"lines": [{"order_item_id": world.line_ids(po)[0], "quantity": 1}]}
    first = world.ok("POST", f"/orders/{po}/cancel", body, **{"Idempotency-Key": "k1"})
    again = world.ok("POST", f"/orders/{po}/cancel", body, **{"Idempotency-Key": "k1"})
    assert again == first and world.po(po)["order_lines"][0]["cancelled_quantity"] == 1
    other = {"lines": [{"order_item_id": world.line_ids(po)[0], "quantity": 2}]}
    assert_error(world.jit("POST", f"/orders/{po}/cancel", other, **{"Idempotency-Key": "k1"}), 409,
                 code="CONFLICTING_REPEAT", field="lines")
    # Without a key a cancellation is a delta: the same body again cancels again.
    world.ok("POST", f"/orders/{po}/cancel", body)
    assert world.po(po)["order_lines"][0]["cancelled_quantity"] == 2


def test_customer_cancel_refused_for_jit(world, po):
    """API.md (JIT): no customer cancellation."""
    r = world.sim.control("POST", f"/orders/{po}/customer-cancel", {})
    assert_error(r, 409, rule="JIT-NO-CUSTOMER-CANCEL")
    assert world.po(po)["status"] == "CREATED"


def test_no_acknowledgement_path_on_jit(world, po):
    """API.md (JIT): no acknowledgement step."""
    assert world.jit("POST", "/orders", {"order_id": po, "status": "Acknowledge"}).status == 405


def test_sim_orders_places_jit_pos_for_a_jit_pob(sim, world):
    """API.md control plane: POST /_sim/orders serves every model; a PO has no payment method."""
    ids = sim.control("POST", "/orders", {"pob_id": world.pob_id, "count": 3, "seed": 5}, expect=201).json["order_ids"]
    assert {o["order_id"] for o in world.ok("GET", "/orders/pendency")["orders"]} == set(ids)
    assert_error(sim.control("POST", "/orders", {"pob_id": world.pob_id, "payment_method": "COD"}), 400,
                 field="payment_method")
    assert_error(sim.control("POST", "/jit/orders", {"pob_id": sim.seller()["pob_id"]}), 400, field="pob_id")


def test_seeded_pos_are_reproducible():
    """DESIGN: seeded Faker: two simulators with one seed raise the same POs, several units a line (B2B)."""
    from fixtures.simclient import T0, FlaskTransport, Sim
    from simulator.app import create_app

    def world_lines():
        sim = Sim(FlaskTransport(create_app({"db_url": "sqlite://", "seed": 11, "frozen_at": T0}).test_client()))
        world = JitWorld.new(sim)
        ids = sim.control("POST", "/jit/orders", {"pob_id": world.pob_id, "count": 3, "seed": 9},
                          expect=201).json["order_ids"]
        return ids, [[(l["sku_code"], l["quantity"]) for l in world.po(o)["order_lines"]] for o in ids]

    first, second = world_lines(), world_lines()
    assert first == second
    assert all(q >= 2 for po in first[1] for _, q in po)


def test_sim_order_state_shows_jit_po_with_timeline(world, po):
    """API.md: /_sim/orders/{id} shows JIT POs with model, status and timeline."""
    world.packed(po)
    state = world.state(po)
    assert state["model"] == "jit" and state["status"] == "PACKED"
    assert [(t["from"], t["to"]) for t in state["timeline"]] == [(None, "CREATED"), ("CREATED", "INVOICED"),
                                                                 ("INVOICED", "PACKED")]
    assert {d["kind"] for d in state["documents"]} == {"jit_b2b_invoice", "jit_box_label"}
    assert state["allowed_world_events"] == []
    assert [o["model"] for o in world.sim.control("GET", "/orders?model=jit").json["orders"]] == ["jit"]


def test_cancel_whole_po_voids_prefetched_labels(world, po):
    world.ok("POST", f"/orders/{po}/prepack", {"box_ids": ["V1"]})
    a, b = world.line_ids(po)
    world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": a, "quantity": 5},
                                                        {"order_item_id": b, "quantity": 3}]})
    assert [x["status"] for x in world.state(po)["boxes"]] == ["VOID"]
    assert_error(world.jit("POST", f"/orders/{po}/prepack", {"box_ids": ["V1"]}), 409, field="box_ids[0]")


def test_cancel_idempotency_key_too_long_refused(world, po):
    body = {"lines": [{"order_item_id": world.line_ids(po)[0], "quantity": 1}]}
    assert_error(world.jit("POST", f"/orders/{po}/cancel", body, **{"Idempotency-Key": "k" * 129}), 400,
                 field="Idempotency-Key")
    assert world.po(po)["order_lines"][0]["cancelled_quantity"] == 0


def test_sim_orders_list_shows_jit_status_as_is(world, po):
    world.invoiced(po)
    listed = world.sim.control("GET", f"/orders?pob_id={world.pob_id}").json["orders"]
    assert [(o["status"], o["ajio_status"]) for o in listed] == [("INVOICED", "INVOICED")]


def test_sim_jit_routes_need_the_admin_token_when_set():
    """API.md: the control plane is guarded by an admin token when one is set; /_sim/jit too."""
    from fixtures.simclient import T0, FlaskTransport, Sim
    from simulator.app import create_app
    client = create_app({"db_url": "sqlite://", "frozen_at": T0, "admin_token": "s3cret"}).test_client()
    sim = Sim(FlaskTransport(client))
    assert_error(sim.control("POST", "/jit/orders", {"pob_id": "DVX"}), 401, field="X-Admin-Token")
    r = client.post("/_sim/jit/orders", json={"pob_id": "DVX"}, headers={"X-Admin-Token": "s3cret"})
    assert r.status_code == 404


@pytest.mark.parametrize("path,field", [
    ("/orders/pendency?size=0", "size"),
    ("/orders/pendency?page=-1", "page"),
    ("/orders?status=CONFIRMED", "status"),
    ("/orders?orderIds=,,", "orderIds"),
    ("/orders?since=1", "since"),
    ("/returns?fromDate=10&toDate=5", "fromDate"),
    ("/returns?fromDate=abc", "fromDate"),
    ("/inventory?page=1", "page"),
], ids=lambda v: v if isinstance(v, str) and v.startswith("/") else None)
def test_jit_query_bad_input_names_parameter(world, path, field):
    """API.md: a 4xx naming the field; JIT has no "updated since" filter and CONFIRMED is no PO status."""
    assert_error(world.jit("GET", path), 400, field=field)


@pytest.mark.parametrize("method,path", [("POST", "/orders/{po}/cancel"), ("POST", "/orders/{po}/pack"),
                                         ("POST", "/orders/{po}/prepack"), ("POST", "/orders/dispatch"),
                                         ("POST", "/inventory")])
def test_jit_bodies_not_json_or_empty_refused(world, po, method, path):
    path = path.format(po=po)
    assert_error(world.jit(method, path, None), 400, field="body")
    r = world.sim.http(method, "/jit" + path, data=b"lines=1",
                       headers={"apiKey": world.token, "Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 415, field="Content-Type")
    assert world.po(po)["status"] == "CREATED"
