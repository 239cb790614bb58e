"""Dropship orders: pendency, acknowledgement per line, cancellations, the order list (API.md, seed 000)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from dsworld import PO_LAG, Order, World, assert_error, pdf_amount, pdf_text

from fixtures.simclient import PARCEL


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def line_ids(order: dict) -> list[str]:
    return [l["order_item_id"] for l in order["order_lines"]]


def ack_line(item_id: str, confirmed: int, cancelled: int = 0) -> dict:
    return {"order_item_id": item_id, "confirmed_quantity": confirmed, "cancelled_quantity": cancelled}


# -- pendency ------------------------------------------------------------------------------------
def test_pendency_lists_only_unacknowledged_orders(w):
    waiting, acknowledged, cancelled = w.place(3)
    assert w.acknowledge(acknowledged).status == 200
    w.sim.control("POST", f"/orders/{cancelled}/customer-cancel", expect=200)
    answer = w.ok("GET", "/orders/pendency")
    assert [o["order_id"] for o in answer["orders"]] == [waiting]
    assert answer["page"] == {"number": 0, "size": 20, "totalElements": 1, "totalPages": 1}


def test_pendency_order_carries_grounded_fields(w):
    """API.md (grounded): pendency orders and lines carry AJIO's field names."""
    [order_id] = w.place()
    order = w.pending(order_id)
    assert {"carrier", "order_date", "order_id", "payment_method", "tracking_number", "total_amount",
            "order_lines"} <= set(order)
    for line in order["order_lines"]:
        assert {"item_details", "order_item_id", "ordered_quantity", "mrp", "unit_price", "listing_price",
                "seller_discount", "b2b_base_price", "b2b_tax"} <= set(line)
        assert set(line["item_details"]) == {"brand_name", "color", "ean", "item_code", "name", "size"}
        # The open quantity is shown (to confirm after a customer cancellation); PO-side fields are not.
        assert line["quantity"] == line["ordered_quantity"] and line["customer_cancelled_qty"] == 0
        assert not {"item_base_price", "hsn", "tax_summary", "seller_short_picked_qty"} & set(line)


def test_pendency_shows_open_quantity_after_customer_cancel_and_it_acknowledges(w):
    """Seed 000 point 12.1: a partial customer cancellation before acknowledgement leaves less to confirm."""
    order_id = w.place_lines(2)
    [item] = line_ids(w.pending(order_id))
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                  {"lines": [{"order_item_id": item, "quantity": 1}]}, expect=200)
    [line] = w.pending(order_id)["order_lines"]
    assert (line["ordered_quantity"], line["customer_cancelled_qty"], line["quantity"]) == (2, 1, 1)
    answer = w.ok("POST", "/orders", {"order_id": order_id, "status": "Acknowledge", "order_lines": [
        {"order_item_id": item, "confirmed_quantity": line["quantity"], "cancelled_quantity": 0}]})
    assert answer == {"success": [item], "failed_items": []}
    assert w.order(order_id)["status"] == "CONFIRMED"


def test_pendency_pages_45_orders_by_20(w):
    """API.md: Spring-style paging, page from 0: 45 orders by 20 are pages of 20, 20 and 5."""
    placed = set(w.place(45))
    pages = [w.ok("GET", f"/orders/pendency?size=20&page={n}") for n in range(3)]
    assert [len(p["orders"]) for p in pages] == [20, 20, 5]
    for n, p in enumerate(pages):
        assert p["page"] == {"number": n, "size": 20, "totalElements": 45, "totalPages": 3}
    seen = [o["order_id"] for p in pages for o in p["orders"]]
    assert len(seen) == len(set(seen)) == 45 and set(seen) == placed
    assert_error(w.ds("GET", "/orders/pendency?size=20&page=3"), 400, code="VALIDATION_FAILED", field="page")


def test_pendency_default_size_is_20(w):
    w.place(21)
    answer = w.ok("GET", "/orders/pendency")
    assert len(answer["orders"]) == 20 and answer["page"]["size"] == 20 and answer["page"]["totalPages"] == 2


# -- acknowledgement -------------------------------------------------------------------------------
def test_acknowledge_partial_quantity_cancels_the_rest_of_the_line(w):
    order_id = w.place_lines(2)
    [item] = line_ids(w.pending(order_id))
    sku = w.skus()[0]
    stock_before = w.product(sku)["quantity"]
    r = w.acknowledge(order_id, [ack_line(item, 1, 1)])
    assert r.status == 200 and r.json == {"success": [item], "failed_items": []}
    [line] = w.order(order_id)["order_lines"]
    assert (line["ordered_quantity"], line["quantity"], line["seller_cancelled_qty"]) == (2, 1, 1)
    assert line["customer_cancelled_qty"] == 0
    assert w.product(sku)["quantity"] == stock_before + 1  # the cancelled unit is sellable again
    assert w.order(order_id)["status"] == "CONFIRMED"


def test_acknowledge_one_line_of_two_keeps_other_line_in_pendency(w):
    order_id = w.place_lines(1, 1)
    first, second = line_ids(w.pending(order_id))
    assert w.acknowledge(order_id, [ack_line(first, 1)]).json == {"success": [first], "failed_items": []}
    assert line_ids(w.pending(order_id)) == [second]
    assert w.state(order_id)["status"] == "CREATED"
    assert w.state(order_id)["po_due_at"] is None  # no PO before the whole order is acknowledged


def test_acknowledge_last_pending_line_confirms_order_and_starts_po_lag(w):
    order_id = w.place_lines(1, 1)
    first, second = line_ids(w.pending(order_id))
    w.acknowledge(order_id, [ack_line(first, 1)])
    now = w.sim.advance(60)
    w.relogin()
    assert w.acknowledge(order_id, [ack_line(second, 1)]).json == {"success": [second], "failed_items": []}
    assert w.pending(order_id) is None
    order = w.order(order_id)
    assert order["status"] == "CONFIRMED" and [l["quantity"] for l in order["order_lines"]] == [1, 1]
    assert w.state(order_id)["po_due_at"] == now + PO_LAG


def test_acknowledge_unknown_line_reported_in_failed_items_others_applied(w):
    order_id = w.place_lines(1, 1)
    first, second = line_ids(w.pending(order_id))
    r = w.acknowledge(order_id, [ack_line(first, 1), ack_line("99999999999999999", 1)])
    assert r.status == 200
    assert r.json["success"] == [first]
    [failure] = r.json["failed_items"]
    assert failure["order_item_id"] == "99999999999999999" and "not a line of order" in failure["error_message"]
    assert line_ids(w.pending(order_id)) == [second]


def test_acknowledge_quantities_not_adding_up_fail_that_line_only(w):
    order_id = w.place_lines(2, 1)
    first, second = line_ids(w.pending(order_id))
    r = w.acknowledge(order_id, [ack_line(first, 1, 0), ack_line(second, 1)])
    assert r.status == 200 and r.json["success"] == [second]
    [failure] = r.json["failed_items"]
    assert failure["order_item_id"] == first and "open quantity 2" in failure["error_message"]
    assert line_ids(w.pending(order_id)) == [first]


def test_acknowledge_all_lines_invalid_refused_nothing_applied(w):
    order_id = w.place_lines(2, 1)
    first, second = line_ids(w.pending(order_id))
    before = w.snapshot([order_id])
    r = w.acknowledge(order_id, [ack_line(first, 3), ack_line(second, 0, 0)])
    body = assert_error(r, 400, code="VALIDATION_FAILED", field="order_lines", message="could be acknowledged")
    assert body["success"] == [] and {f["order_item_id"] for f in body["failed_items"]} == {first, second}
    assert w.snapshot([order_id]) == before


def test_acknowledge_same_line_twice_in_one_call_fails_the_repeat(w):
    order_id = w.place_lines(1)
    [item] = line_ids(w.pending(order_id))
    r = w.acknowledge(order_id, [ack_line(item, 1), ack_line(item, 1)])
    assert r.status == 200 and r.json["success"] == [item]
    assert [f["error_message"] for f in r.json["failed_items"]] == ["order_item_id repeated in this request"]


def test_acknowledge_repeat_same_payload_same_answer_no_new_timeline_entry(w):
    order_id = w.place_lines(1, 2)
    lines = [ack_line(i, q) for i, q in zip(line_ids(w.pending(order_id)), (1, 2))]
    first = w.acknowledge(order_id, lines)
    timeline = w.state(order_id)["timeline"]
    again = w.acknowledge(order_id, lines)
    assert (again.status, again.json) == (first.status, first.json) == (200, first.json)
    assert w.state(order_id)["timeline"] == timeline


def test_acknowledge_repeat_of_one_line_same_answer_no_new_timeline_entry(w):
    """A connector retrying a per-line acknowledgement must not add a transition each time."""
    order_id = w.place_lines(1, 1)
    first_line, _ = line_ids(w.pending(order_id))
    body = [ack_line(first_line, 1)]
    first = w.acknowledge(order_id, body)
    state = w.state(order_id)
    again = w.acknowledge(order_id, body)
    assert (again.status, again.json) == (200, first.json)
    after = w.state(order_id)
    assert after["timeline"] == state["timeline"] and after["version"] == state["version"]


def test_acknowledge_repeat_with_other_quantities_conflicts(w):
    """API.md: only orders in pendency can be acknowledged; a different repeat is not a retry."""
    order_id = w.place_lines(2)
    [item] = line_ids(w.pending(order_id))
    w.acknowledge(order_id, [ack_line(item, 2)])
    before = w.snapshot([order_id])
    assert_error(w.acknowledge(order_id, [ack_line(item, 1, 1)]), 409, code="CONFLICTING_REPEAT",
                 field="order_lines[0].confirmed_quantity", rule="API-IDEMPOTENT-REPEAT")
    assert w.snapshot([order_id]) == before


def test_acknowledge_with_every_quantity_cancelled_cancels_order(w):
    order_id = w.place_lines(2)
    [item] = line_ids(w.pending(order_id))
    assert w.acknowledge(order_id, [ack_line(item, 0, 2)]).status == 200
    order = w.order(order_id)
    assert order["status"] == "CANCELLED"
    assert order["order_lines"][0]["seller_cancelled_qty"] == 2 and order["order_lines"][0]["quantity"] == 0
    assert w.state(order_id)["po_due_at"] is None


def test_acknowledge_another_pobs_order_not_found(w):
    theirs = World.new(w.sim)
    [order_id] = theirs.place()
    before = theirs.snapshot([order_id])
    assert_error(w.acknowledge(order_id), 404, code="NOT_FOUND", field="order_id")
    assert theirs.snapshot([order_id]) == before


# -- cancellations --------------------------------------------------------------------------------
def test_customer_cancel_part_of_a_line_sets_customer_cancelled_qty(w):
    """Seed 000 point 12.1: AJIO's customer cancellations reach the seller until the order is invoiced."""
    order_id = w.place_lines(2, 1)
    w.acknowledge(order_id)
    first, second = line_ids(w.order(order_id))
    r = w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                      {"lines": [{"order_item_id": first, "quantity": 1}]}, expect=200)
    assert r.json["success"] == [first] and r.json["status"] == "CONFIRMED"
    lines = {l["order_item_id"]: l for l in w.order(order_id)["order_lines"]}
    assert (lines[first]["customer_cancelled_qty"], lines[first]["quantity"]) == (1, 1)
    assert (lines[second]["customer_cancelled_qty"], lines[second]["quantity"]) == (0, 1)
    assert w.order(order_id)["status"] == "CONFIRMED"


def test_customer_cancel_more_than_open_quantity_refused(w):
    """Seed 000 point 12.1."""
    order_id = w.place_lines(1)
    [item] = line_ids(w.pending(order_id))
    before = w.snapshot([order_id])
    r = w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                      {"lines": [{"order_item_id": item, "quantity": 2}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="order_lines", message="could be cancelled")
    assert w.snapshot([order_id]) == before


@pytest.mark.parametrize("who", ["customer", "seller"])
def test_cancel_of_the_last_pending_line_confirms_the_acknowledged_rest(w, who):
    """Seed 000 point 12: once the only line still pending is cancelled (by the customer or the seller),
    the order waits for nothing: it leaves pendency as CONFIRMED, not as an order with no lines."""
    order_id = w.place_lines(1, 1)
    first, second = line_ids(w.pending(order_id))
    w.acknowledge(order_id, [ack_line(first, 1)])
    if who == "customer":
        w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                      {"lines": [{"order_item_id": second, "quantity": 1}]}, expect=200)
    else:
        w.ok("POST", "/orders", {"order_id": order_id, "status": "Cancel",
                                 "order_lines": [{"order_item_id": second, "cancelled_quantity": 1}]})
    assert w.pending(order_id) is None
    order = w.order(order_id)
    assert order["status"] == "CONFIRMED"
    assert {l["order_item_id"]: l["quantity"] for l in order["order_lines"]} == {first: 1, second: 0}
    assert w.state(order_id)["po_due_at"] is not None


def test_seller_cancel_in_pendency_cancels_order_and_restocks(w):
    """Seed 000 point 12.2: the seller's cancellation reaches AJIO until the order is invoiced."""
    order_id = w.place_lines(2)
    sku = w.skus()[0]
    stock = w.product(sku)["quantity"]
    r = w.ds("POST", "/orders", {"order_id": order_id, "status": "Cancel"})
    assert r.status == 200, r.content
    assert w.pending(order_id) is None
    order = w.order(order_id)
    assert order["status"] == "CANCELLED" and order["order_lines"][0]["seller_cancelled_qty"] == 2
    assert w.product(sku)["quantity"] == stock + 2


def test_seller_cancel_part_after_acknowledgement_is_short_pick(w):
    """Seed 000 point 12.2: after acknowledgement a seller cancellation means the item could not be picked."""
    order_id = w.place_lines(2)
    w.acknowledge(order_id)
    [item] = line_ids(w.order(order_id))
    r = w.ds("POST", "/orders", {"order_id": order_id, "status": "Cancel",
                                 "order_lines": [{"order_item_id": item, "cancelled_quantity": 1}]})
    assert r.status == 200 and r.json["success"] == [item]
    [line] = w.order(order_id)["order_lines"]
    assert (line["seller_short_picked_qty"], line["seller_cancelled_qty"], line["quantity"]) == (1, 0, 1)


def test_seller_cancel_in_pendency_is_short_pick_only_for_the_acknowledged_line(w):
    """Seed 000 point 12.2: a line the seller confirmed and then cannot pick is a short pick, even while
    another line keeps the order in pendency; an unconfirmed line is a plain seller cancellation."""
    order_id = w.place_lines(2, 2)
    confirmed, pending = line_ids(w.pending(order_id))
    assert w.acknowledge(order_id, [ack_line(confirmed, 2)]).status == 200
    for item in (confirmed, pending):
        r = w.ds("POST", "/orders", {"order_id": order_id, "status": "Cancel",
                                     "order_lines": [{"order_item_id": item, "cancelled_quantity": 1}]})
        assert r.status == 200 and r.json["success"] == [item]
    lines = {l["order_item_id"]: l for l in w.state(order_id)["lines"]}
    assert (lines[confirmed]["seller_short_picked_qty"], lines[confirmed]["seller_cancelled_qty"]) == (1, 0)
    assert (lines[pending]["seller_short_picked_qty"], lines[pending]["seller_cancelled_qty"]) == (0, 1)


# -- the order list ------------------------------------------------------------------------------
def test_list_orders_without_ids_excludes_pendency_orders(w):
    waiting, acknowledged = w.place(2)
    w.acknowledge(acknowledged)
    answer = w.ok("GET", "/orders")
    assert [o["order_id"] for o in answer["orders"]] == [acknowledged]
    assert answer["page"]["totalElements"] == 1


def test_list_orders_by_id_shows_pendency_order_as_created(w):
    [order_id] = w.place()
    assert w.order(order_id)["status"] == "CREATED"


def test_list_orders_status_filter(w):
    """API.md (grounded): statuses CONFIRMED, PACKED, ...; an invoiced order still shows as CONFIRMED."""
    confirmed, invoiced, packed = (o.order_id for o in w.drive("CONFIRMED", 3))
    w.ok("POST", f"/orders/{invoiced}/invoice", {})
    w.ok("POST", f"/orders/{packed}/invoice", {})
    w.ok("POST", f"/orders/{packed}/label", PARCEL)
    by_status = {s: sorted(o["order_id"] for o in w.ok("GET", f"/orders?status={s}&size=50")["orders"])
                 for s in ("CONFIRMED", "PACKED", "CANCELLED")}
    assert by_status == {"CONFIRMED": sorted([confirmed, invoiced]), "PACKED": [packed], "CANCELLED": []}


def test_list_orders_other_pobs_order_id_not_found(w):
    """API.md: a token of one POB never reads another POB's data: another POB's order id answers 404."""
    theirs = World.new(w.sim)
    [their_order] = theirs.place()
    [mine] = w.place()
    body = assert_error(w.ds("GET", f"/orders?orderIds={mine},{their_order}"), 404, code="NOT_FOUND",
                        field="orderIds")
    assert their_order in body["error_message"]


def test_list_orders_by_ids_sorted_filtered_and_paged_as_without_ids(w):
    """orderIds answers in the list's own order (order date, then id) whatever order the ids came in,
    with the status filter and paging applied to the named orders only (simulator/domain/paging.py
    `paged_by_keys`: looked up by key, not by walking the POB's orders)."""
    ids = w.place(count=5)
    w.advance(60)
    later = w.place(count=1)
    confirmed = [o.order_id for o in w.drive("CONFIRMED", 2)]
    named = list(reversed(ids + later)) + [ids[0]]  # reversed, and one named twice
    whole = w.ok("GET", f"/orders?orderIds={','.join(named)}&size=50")
    expected = sorted(ids + later, key=lambda i: (w.order(i)["order_date"], i))
    assert [o["order_id"] for o in whole["orders"]] == expected
    assert whole["page"]["totalElements"] == 6 and later[0] == expected[-1]
    second = w.ok("GET", f"/orders?orderIds={','.join(named)}&size=2&page=1")
    assert [o["order_id"] for o in second["orders"]] == expected[2:4]
    assert second["page"] == {"number": 1, "size": 2, "totalElements": 6, "totalPages": 3}
    assert_error(w.ds("GET", f"/orders?orderIds={','.join(named)}&size=2&page=3"), 400, field="page")
    mixed = ",".join(confirmed + ids[:2])
    assert sorted(o["order_id"] for o in w.ok("GET", f"/orders?orderIds={mixed}&status=CONFIRMED")["orders"]) \
        == sorted(confirmed)
    assert w.ok("GET", f"/orders?orderIds={','.join(ids[:2])}&status=CONFIRMED")["orders"] == []


def test_list_orders_has_no_updated_since_filter(w):
    """API.md: there is no "updated since" filter; a connector re-reads the orders it holds."""
    w.drive("CONFIRMED")
    for param in ("updatedSince", "updated_since", "fromDate"):
        assert_error(w.ds("GET", f"/orders?{param}=0"), 400, code="VALIDATION_FAILED", field=param,
                     message="Unknown field")


def test_list_orders_po_fields_absent_until_po_issued(w):
    """API.md: integrators keep an acknowledged order on hold until its po_number appears."""
    [order_id] = w.place()
    w.acknowledge(order_id)
    held = w.order(order_id)
    assert [held[k] for k in ("po_number", "po_date", "po_pdf_url", "po_amount", "total_tax")] == [None] * 5
    assert w.state(order_id)["on_hold"] is True


def test_status_sync_rereading_held_orders_shows_cancelled_delivered_and_returns(w):
    """Seed 000 point 11: status sync covers cancelled, delivered and return orders, by re-reading
    the orders a connector holds (API.md: there is no "updated since" filter)."""
    cancelled, delivered = w.drive("CONFIRMED", count=2)
    w.drive_existing([delivered], "DELIVERED")
    w.sim.control("POST", f"/orders/{cancelled.order_id}/customer-cancel", expect=200)
    return_id = w.customer_return(delivered.order_id)
    held = w.ok("GET", f"/orders?orderIds={cancelled.order_id},{delivered.order_id}")["orders"]
    status = {o["order_id"]: o["status"] for o in held}
    assert status == {cancelled.order_id: "CANCELLED", delivered.order_id: "DELIVERED"}
    by_order = {o["order_id"]: o for o in held}
    assert by_order[delivered.order_id]["return_order_ids"] == [return_id]


def test_list_orders_tax_summary_adds_up_to_po_amount_and_total_tax(w):
    """API.md (grounded): acknowledged orders carry po_amount and total_tax, lines a tax_summary.
    A connector reconciles them; to the paisa, the lines' tax must add up to total_tax and
    taxable value plus tax to po_amount (the same GST split as the PO and invoice PDFs)."""
    orders = w.drive("CONFIRMED", 25)
    wrong = []
    for o in orders:
        view = w.order(o.order_id)
        tax = sum(Decimal(str(l["tax_summary"]["tax_amount"])) for l in view["order_lines"])
        taxable = sum(Decimal(str(l["tax_summary"]["taxable_value"])) for l in view["order_lines"])
        if tax != Decimal(str(view["total_tax"])) or taxable + tax != Decimal(str(view["po_amount"])):
            wrong.append((o.order_id, str(tax), view["total_tax"], str(taxable + tax), view["po_amount"]))
    assert wrong == []


def test_list_orders_po_amount_follows_cancellation_after_po_and_matches_invoice(w):
    """Seed 000 point 12.1 / API.md open quantity: a customer may cancel part of an order after AJIO
    issued its PO (until invoicing). po_amount and total_tax then value the open quantities, as the
    whole-order B2B invoice does (seed 000 point 5), not the units that will never ship."""
    order_id = w.place_lines(2, 1)
    w.drive_existing([Order(order_id)], "CONFIRMED")
    before = w.order(order_id)
    assert before["po_number"]
    first = before["order_lines"][0]
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                  {"lines": [{"order_item_id": first["order_item_id"], "quantity": 1}]}, expect=200)
    invoice = w.ok("POST", f"/orders/{order_id}/invoice", {})
    text = pdf_text(w.sim.get_url(invoice["invoice_pdf_url"], w.token).content)
    after = w.order(order_id)
    assert after["po_amount"] < before["po_amount"]
    assert f"{after['po_amount']:,.2f}" == pdf_amount(text, "Invoice Total")
    assert f"{after['total_tax']:,.2f}" == pdf_amount(text, "Total Tax")


def test_customer_cancel_of_order_beyond_stock_restores_stock_exactly(w):
    """API.md / seed 003 step 6: stock goes down on order placement and back on cancellation. An
    order for more units than the listing showed takes the count to 0; its cancellation gives back
    what it took, not units that never were in stock."""
    sku = w.skus()[0]
    stock = w.product(sku)["quantity"]
    [order_id] = w.place(lines=[{"sku": sku, "quantity": stock + 3}])
    assert w.product(sku)["quantity"] == 0
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel", expect=200)
    assert w.product(sku)["quantity"] == stock


def test_customer_cancel_of_partly_oversold_line_restocks_only_units_taken(w):
    """As above, per unit: cancelling the units AJIO could not cover first gives nothing back;
    cancelling the rest gives back exactly the units the order took."""
    sku = w.skus()[0]
    stock = w.product(sku)["quantity"]
    [order_id] = w.place(lines=[{"sku": sku, "quantity": stock + 2}])
    [line] = w.state(order_id)["lines"]
    cancel = lambda q: w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                                     {"lines": [{"order_item_id": line["order_item_id"], "quantity": q}]}, expect=200)
    cancel(2)
    assert w.product(sku)["quantity"] == 0
    cancel(stock)
    assert w.product(sku)["quantity"] == stock
