"""Dropship returns: customer returns, RTOs, QC/putaway, the credit note 2.5 h later (seed 000 points 13-18)."""
from __future__ import annotations

import pytest
from dsworld import CREDIT_NOTE_DELAY, World, assert_error


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def returns(w: World, query: str = "") -> list[dict]:
    return w.ok("GET", f"/returns?size=50{query}")["returns"]


def rto_body(order_id: str, line: dict, quantity: int, qc_code: str = "GOOD") -> dict:
    return {"order_id": order_id, "order_items": [{"item_id": line["item_details"]["item_code"],
                                                   "order_item_id": line["order_item_id"], "quantity": quantity,
                                                   "qc_code": qc_code, "reason": "parcel back from courier"}]}


# -- customer returns (CIR) ------------------------------------------------------------------------
@pytest.mark.parametrize("stage", ["CONFIRMED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED"])
def test_customer_return_before_delivery_refused(w, stage):
    """Seed 000 point 15: a customer return (CIR) follows delivery."""
    order = w.one(stage)
    before = w.snapshot([order.order_id])
    r = w.sim.control("POST", f"/orders/{order.order_id}/customer-return", {})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", rule="RETURN-AGAINST-FORWARD-ORDER")
    assert w.snapshot([order.order_id]) == before
    assert returns(w) == []


def test_customer_return_quantity_above_delivered_refused(w):
    """Seed 000 point 15: only what was delivered can come back."""
    order = w.one("DELIVERED", lines=[{"sku": w.skus()[0], "quantity": 2}])
    [line] = w.order(order.order_id)["order_lines"]
    before = w.snapshot([order.order_id])
    r = w.sim.control("POST", f"/orders/{order.order_id}/customer-return",
                      {"lines": [{"order_item_id": line["order_item_id"], "quantity": 3}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="lines[0].quantity", message="returnable quantity 2")
    assert w.snapshot([order.order_id]) == before
    assert returns(w) == []


def test_customer_return_second_return_limited_to_what_is_left(w):
    """Seed 000 point 15: returns against one order never take back more than was delivered."""
    order = w.one("DELIVERED", lines=[{"sku": w.skus()[0], "quantity": 2}])
    [line] = w.order(order.order_id)["order_lines"]
    one = [{"order_item_id": line["order_item_id"], "quantity": 1}]
    w.customer_return(order.order_id, one)
    r = w.sim.control("POST", f"/orders/{order.order_id}/customer-return",
                      {"lines": [{"order_item_id": line["order_item_id"], "quantity": 2}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="lines[0].quantity", message="returnable quantity 1")
    w.customer_return(order.order_id, one)
    assert_error(w.sim.control("POST", f"/orders/{order.order_id}/customer-return", {}), 409, code="CONFLICT",
                 message="nothing left to return")
    assert len(returns(w, "&returnType=CUSTOMER_RETURN")) == 2


def test_list_returns_shows_grounded_fields(w):
    """API.md (grounded): return_order_id, return_date, order_id, return_type, tracking_number, return_status,
    return_order_items[{item_details, return_quantity, order_item_id, return_item_id, cancelled_return_quantity}]."""
    order = w.one("DELIVERED")
    return_id = w.customer_return(order.order_id)
    [ret] = returns(w)
    assert {"return_order_id", "return_date", "order_id", "return_type", "tracking_number",
            "return_status", "return_order_items"} <= set(ret)
    assert (ret["return_order_id"], ret["order_id"], ret["return_type"], ret["return_status"]) == (
        return_id, order.order_id, "CUSTOMER_RETURN", "RETURN_INITIATED")
    for item in ret["return_order_items"]:
        assert {"item_details", "return_quantity", "order_item_id", "return_item_id",
                "cancelled_return_quantity"} <= set(item)


# -- QC / putaway ----------------------------------------------------------------------------------
def test_qc_not_covering_every_unit_refused(w):
    """Seed 000 point 16: putaway sets every returned unit as good or bad inventory."""
    _, return_id = w.arrived_return(lines=[{"sku": w.skus()[0], "quantity": 2}])
    [item] = w.return_items(return_id)
    before = w.snapshot(return_ids=[return_id])
    r = w.ds("POST", f"/returns/{return_id}/qc",
             {"items": [{"return_item_id": item["return_item_id"], "quantity": 1, "qc_code": "GOOD"}]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="items", message="covers 1 unit(s) but 2 came back")
    assert w.snapshot(return_ids=[return_id]) == before


def test_qc_covering_more_units_than_returned_refused(w):
    """Seed 000 point 16: putaway covers exactly the units that came back."""
    _, return_id = w.arrived_return()
    body = w.qc_all(return_id)
    body["items"].append({**body["items"][0], "quantity": 1, "qc_code": "BAD"})
    before = w.snapshot(return_ids=[return_id])
    assert_error(w.ds("POST", f"/returns/{return_id}/qc", body), 400, code="VALIDATION_FAILED", field="items")
    assert w.snapshot(return_ids=[return_id]) == before


def test_qc_repeat_same_payload_same_answer(w):
    """A connector's retried putaway is not a second putaway: same answer, no new transition."""
    _, return_id = w.arrived_return()
    body = w.qc_all(return_id)
    first = w.ds("POST", f"/returns/{return_id}/qc", body)
    assert first.status == 200 and first.json["return_status"] == "RETURN_PROCESSED"
    state = w.sim.return_state(return_id)
    again = w.ds("POST", f"/returns/{return_id}/qc", body)
    assert (again.status, again.json) == (200, first.json)
    assert w.sim.return_state(return_id)["timeline"] == state["timeline"]


def test_qc_repeat_other_payload_conflicts(w):
    """Seed 000 point 16: one putaway per return; a different second one is not a retry."""
    _, return_id = w.arrived_return()
    w.ok("POST", f"/returns/{return_id}/qc", w.qc_all(return_id, "GOOD"))
    before = w.snapshot(return_ids=[return_id])
    assert_error(w.ds("POST", f"/returns/{return_id}/qc", w.qc_all(return_id, "BAD")), 409,
                 code="CONFLICTING_REPEAT", field="items", rule="API-IDEMPOTENT-REPEAT")
    assert w.snapshot(return_ids=[return_id]) == before


def test_qc_good_units_back_in_stock_bad_units_not(w):
    """Seed 000 point 16: putaway updates inventory on the channel: good units are sellable again."""
    sku = w.skus()[0]
    _, return_id = w.arrived_return(lines=[{"sku": sku, "quantity": 2}])
    stock = w.product(sku)["quantity"]
    [item] = w.return_items(return_id)
    r = w.ds("POST", f"/returns/{return_id}/qc", {"items": [
        {"return_item_id": item["return_item_id"], "quantity": 1, "qc_code": "GOOD"},
        {"return_item_id": item["return_item_id"], "quantity": 1, "qc_code": "BAD", "reason": "stained"}]})
    assert r.status == 200, r.content
    assert w.product(sku)["quantity"] == stock + 1
    assert r.json["items"] == [{"return_item_id": item["return_item_id"], "good": 1, "bad": 1, "missing": 0,
                                "reasons": ["stained"]}]


def test_qc_return_of_another_pob_not_found(w):
    """API.md: a token of one POB never reads or changes another POB's data."""
    theirs = World.new(w.sim)
    _, return_id = theirs.arrived_return()
    body = theirs.qc_all(return_id)
    w.relogin()
    assert_error(w.ds("POST", f"/returns/{return_id}/qc", body), 404, code="NOT_FOUND", field="return_order_id")
    assert w.sim.return_state(return_id)["return_status"] == "RETURN_DELIVERED"


# -- credit note -----------------------------------------------------------------------------------
def test_credit_note_before_putaway_not_yet_without_retry_after(w):
    """Seed 000 point 17: the credit note follows putaway; before it there is no time to wait for."""
    _, return_id = w.arrived_return()
    r = w.ds("GET", f"/returns/{return_id}/creditNote")
    assert_error(r, 409, code="NOT_YET", rule="DS-CREDIT-NOTE-AFTER-PUTAWAY")
    assert "Retry-After" not in r.headers


def test_credit_note_retry_after_counts_down_with_the_clock(w):
    """Seed 000 point 17: the credit note is fetched 2.5 hours after putaway."""
    _, return_id = w.arrived_return()
    w.ok("POST", f"/returns/{return_id}/qc", w.qc_all(return_id))
    waits = []
    for step in (0, 3600, 5399):
        w.advance(step)
        r = w.ds("GET", f"/returns/{return_id}/creditNote")
        assert_error(r, 409, code="NOT_YET", rule="DS-CREDIT-NOTE-AFTER-PUTAWAY")
        waits.append(int(r.headers["Retry-After"]))
    assert waits == [CREDIT_NOTE_DELAY, CREDIT_NOTE_DELAY - 3600, 1]
    w.advance(1)
    note = w.ok("GET", f"/returns/{return_id}/creditNote")
    assert note["credit_note_number"].startswith(note["credit_note_series"])
    assert note["credit_note_pdf_url"].startswith("http://localhost/documents/")
    assert w.sim.get_url(note["credit_note_pdf_url"], w.token).status == 200


def test_credit_note_of_another_pob_not_found(w):
    """API.md: a token of one POB never reads or changes another POB's data."""
    theirs = World.new(w.sim)
    _, return_id = theirs.arrived_return()
    theirs.ok("POST", f"/returns/{return_id}/qc", theirs.qc_all(return_id))
    w.advance(CREDIT_NOTE_DELAY)
    assert_error(w.ds("GET", f"/returns/{return_id}/creditNote"), 404, code="NOT_FOUND", field="return_order_id")


# -- the returns list ------------------------------------------------------------------------------
def test_list_returns_filters_by_return_type(w):
    """Seed 000 point 13: return sync covers RTO and customer returns (CIR)."""
    delivered = w.one("DELIVERED")
    cir = w.customer_return(delivered.order_id)
    dispatched = w.one("DISPATCHED")
    rto = w.sim.control("POST", f"/orders/{dispatched.order_id}/rto", expect=201).json["return_order_id"]
    assert [r["return_order_id"] for r in returns(w, "&returnType=RTO")] == [rto]
    assert [r["return_order_id"] for r in returns(w, "&returnType=CUSTOMER_RETURN")] == [cir]
    assert {r["return_order_id"] for r in returns(w)} == {rto, cir}


def test_list_returns_filters_by_from_and_to_date(w):
    """API.md: fromDate and toDate are epoch seconds, both ends inclusive."""
    first_order, second_order = w.drive("DELIVERED", 2)
    first = w.customer_return(first_order.order_id)
    t1 = w.sim.return_state(first)["return_date"]
    w.advance(1000)
    second = w.customer_return(second_order.order_id)
    t2 = w.sim.return_state(second)["return_date"]
    assert t2 == t1 + 1000
    ids = lambda q: [r["return_order_id"] for r in returns(w, q)]  # noqa: E731
    assert ids(f"&fromDate={t2}") == [second]
    assert ids(f"&toDate={t2 - 1}") == [first]
    assert ids(f"&fromDate={t1}&toDate={t2}") == [first, second]
    assert ids(f"&fromDate={t1 + 1}&toDate={t2 - 1}") == []


def test_list_returns_of_another_pob_not_shown(w):
    theirs = World.new(w.sim)
    theirs.arrived_return()
    w.relogin()
    assert returns(w) == []


# -- create RTO (parcel back without an expectation) -----------------------------------------------
def test_create_rto_on_delivered_order_refused(w):
    """Seed 000 point 14: an RTO comes back from a dispatched, undelivered shipment."""
    order = w.one("DELIVERED")
    [line] = w.order(order.order_id)["order_lines"][:1]
    before = w.snapshot([order.order_id])
    assert_error(w.ds("POST", "/return/rto", rto_body(order.order_id, line, 1)), 409, code="ILLEGAL_TRANSITION",
                 rule="RETURN-AGAINST-FORWARD-ORDER")
    assert w.snapshot([order.order_id]) == before


def test_create_rto_before_pickup_refused(w):
    """Seed 000 point 14: nothing can come back that the courier has not picked up."""
    order = w.one("READY_TO_DISPATCH")
    [line] = w.order(order.order_id)["order_lines"][:1]
    assert_error(w.ds("POST", "/return/rto", rto_body(order.order_id, line, 1)), 409, code="ILLEGAL_TRANSITION")


def test_create_rto_quantity_above_shipped_refused(w):
    order = w.one("DISPATCHED", lines=[{"sku": w.skus()[0], "quantity": 2}])
    [line] = w.order(order.order_id)["order_lines"]
    before = w.snapshot([order.order_id])
    assert_error(w.ds("POST", "/return/rto", rto_body(order.order_id, line, 3)), 400, code="VALIDATION_FAILED",
                 field="order_items[0].quantity", message="shipped quantity 2")
    assert w.snapshot([order.order_id]) == before
    assert returns(w) == []


def test_create_rto_when_an_rto_expectation_exists_conflicts(w):
    """Seed 000 point 14.2: an RTO received via status sync is put away against its expectation."""
    order = w.one("DISPATCHED")
    expected = w.sim.control("POST", f"/orders/{order.order_id}/rto", expect=201).json["return_order_id"]
    [line] = w.order(order.order_id)["order_lines"][:1]
    assert_error(w.ds("POST", "/return/rto", rto_body(order.order_id, line, 1)), 409, code="CONFLICT",
                 field="order_id", message=expected, rule="DS-RTO-CREATE-ONLY-UNEXPECTED")


def test_create_rto_puts_away_at_once_and_restocks_good_units(w):
    """Seed 000 point 14.1: a parcel back directly at the warehouse is put away with the return manifest."""
    sku = w.skus()[0]
    order = w.one("DISPATCHED", lines=[{"sku": sku, "quantity": 2}])
    [line] = w.order(order.order_id)["order_lines"]
    stock = w.product(sku)["quantity"]
    r = w.ds("POST", "/return/rto", rto_body(order.order_id, line, 2))
    assert r.status == 200 and r.json["status"] == "SUCCESS" and r.json["error_message"] is None
    [ret] = returns(w, "&returnType=RTO")
    assert ret["return_order_id"] == r.json["return_order_id"] and ret["return_status"] == "RETURN_PROCESSED"
    assert w.product(sku)["quantity"] == stock + 2


def test_customer_cancels_return_before_pickup_then_item_is_returnable_again(w):
    """Seed 000 point 15 (CIR): a withdrawn return is RETURN_CANCELLED and frees its quantity."""
    order = w.one("DELIVERED")
    return_id = w.customer_return(order.order_id)
    r = w.sim.control("POST", f"/returns/{return_id}/cancel", expect=200)
    assert r.json["return_status"] == "RETURN_CANCELLED"
    listed = next(x for x in w.ok("GET", "/returns?size=50")["returns"] if x["return_order_id"] == return_id)
    assert listed["return_status"] == "RETURN_CANCELLED"
    assert all(i["cancelled_return_quantity"] == i["return_quantity"] for i in listed["return_order_items"])
    assert w.customer_return(order.order_id) != return_id


def test_customer_cannot_cancel_return_after_pickup(w):
    """API.md: a customer return can be cancelled only before its pickup."""
    order = w.one("DELIVERED")
    return_id = w.customer_return(order.order_id)
    w.sim.control("POST", f"/returns/{return_id}/deliver", expect=200)
    r = w.sim.control("POST", f"/returns/{return_id}/cancel")
    assert_error(r, 409, code="ILLEGAL_TRANSITION", rule="RETURN-PICKUP-BEFORE-TRANSIT")


def test_customer_withdraws_some_units_before_pickup(w):
    """API.md (grounded field cancelled_return_quantity): the customer keeps one of three returned units; the
    return goes on with two. The putaway reports the two that came back (DS-PUTAWAY-GOOD-BAD: three is refused
    naming the rule), AJIO restocks two and the kept unit can be returned again later."""
    sku = w.skus()[0]
    order = w.one("DELIVERED", lines=[{"sku": sku, "quantity": 3}])
    [line] = w.order(order.order_id)["order_lines"]
    return_id = w.customer_return(order.order_id)
    r = w.sim.control("POST", f"/returns/{return_id}/cancel",
                      {"lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]}, expect=200)
    assert r.json["return_status"] == "RETURN_INITIATED"
    [listed] = [x for x in returns(w) if x["return_order_id"] == return_id]
    [item] = listed["return_order_items"]
    assert (listed["return_status"], item["return_quantity"], item["cancelled_return_quantity"]) == \
        ("RETURN_INITIATED", 3, 1)
    state = w.sim.control("GET", f"/returns/{return_id}", expect=200).json
    assert any("withdrew 1 unit(s)" in t["cause"] for t in state["timeline"])
    w.sim.control("POST", f"/returns/{return_id}/deliver", expect=200)
    stock = w.product(sku)["quantity"]
    three = {"items": [{"return_item_id": item["return_item_id"], "quantity": 3, "qc_code": "GOOD"}]}
    assert_error(w.ds("POST", f"/returns/{return_id}/qc", three), 400, code="VALIDATION_FAILED", field="items",
                 message="2 came back", rule="DS-PUTAWAY-GOOD-BAD")
    two = {"items": [{"return_item_id": item["return_item_id"], "quantity": 2, "qc_code": "GOOD"}]}
    assert w.ok("POST", f"/returns/{return_id}/qc", two)["return_status"] == "RETURN_PROCESSED"
    assert w.product(sku)["quantity"] == stock + 2
    assert_error(w.sim.control("POST", f"/orders/{order.order_id}/customer-return",
                               {"lines": [{"order_item_id": line["order_item_id"], "quantity": 2}]}),
                 400, code="VALIDATION_FAILED", field="lines[0].quantity", message="returnable quantity 1")
    w.customer_return(order.order_id, [{"order_item_id": line["order_item_id"], "quantity": 1}])


def test_withdrawing_every_unit_piece_by_piece_cancels_the_return(w):
    order = w.one("DELIVERED", lines=[{"sku": w.skus()[0], "quantity": 2}])
    [line] = w.order(order.order_id)["order_lines"]
    return_id = w.customer_return(order.order_id)
    one = {"lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]}
    assert w.sim.control("POST", f"/returns/{return_id}/cancel", one, expect=200).json["return_status"] == \
        "RETURN_INITIATED"
    assert w.sim.control("POST", f"/returns/{return_id}/cancel", one, expect=200).json["return_status"] == \
        "RETURN_CANCELLED"
    [listed] = [x for x in returns(w) if x["return_order_id"] == return_id]
    assert [(i["return_quantity"], i["cancelled_return_quantity"]) for i in listed["return_order_items"]] == [(2, 2)]


@pytest.mark.parametrize("lines, field, message", [
    ([{"order_item_id": "NOPE", "quantity": 1}], "lines[0].order_item_id", "not a line of return"),
    ([{"order_item_id": "{line}", "quantity": 3}], "lines[0].quantity", "between 1 and the units still returned (2)"),
    ([{"order_item_id": "{line}", "quantity": 1}, {"order_item_id": "{line}", "quantity": 1}], "lines[1].order_item_id",
     "repeated"),
    ([{"order_item_id": "{line}", "quantity": 0}], "lines[0].quantity", None),
    ([], "lines", None),
])
def test_partial_withdrawal_bad_lines_refused_and_nothing_changes(w, lines, field, message):
    order = w.one("DELIVERED", lines=[{"sku": w.skus()[0], "quantity": 2}])
    [line] = w.order(order.order_id)["order_lines"]
    return_id = w.customer_return(order.order_id)
    before = w.snapshot([order.order_id], [return_id])
    lines = [{**x, "order_item_id": x["order_item_id"].replace("{line}", line["order_item_id"])} for x in lines]
    r = w.sim.control("POST", f"/returns/{return_id}/cancel", {"lines": lines})
    assert_error(r, 400, field=field, **({"message": message} if message else {}))
    assert w.snapshot([order.order_id], [return_id]) == before


def test_partial_withdrawal_after_pickup_refused(w):
    order = w.one("DELIVERED", lines=[{"sku": w.skus()[0], "quantity": 2}])
    [line] = w.order(order.order_id)["order_lines"]
    return_id = w.customer_return(order.order_id)
    w.sim.control("POST", f"/returns/{return_id}/deliver", expect=200)
    r = w.sim.control("POST", f"/returns/{return_id}/cancel",
                      {"lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]})
    assert_error(r, 409, code="ILLEGAL_TRANSITION", rule="RETURN-PICKUP-BEFORE-TRANSIT")


def test_credit_note_carries_number_series_and_pdf(w):
    """Seed 000 point 18: on return completion the seller fetches AJIO's credit note (return invoice
    PDF) and its series (return invoice series)."""
    from dsworld import pdf_text

    _order, return_id = w.arrived_return()
    w.ok("POST", f"/returns/{return_id}/qc", w.qc_all(return_id))
    w.advance(CREDIT_NOTE_DELAY)
    w.relogin()
    cn = w.ok("GET", f"/returns/{return_id}/creditNote")
    assert cn["credit_note_number"].startswith(cn["credit_note_series"])
    assert len(cn["credit_note_number"]) <= 16
    text = pdf_text(w.sim.get_url(cn["credit_note_pdf_url"], w.token).content)
    assert cn["credit_note_number"] in text and return_id in text


def test_customer_return_repeated_order_item_id_refused(w):
    """Seed 000 point 15: a customer return takes back at most what was delivered; naming one line
    twice must not return it twice (create-RTO and cancellations refuse repeats the same way)."""
    order = w.one("DELIVERED", lines=[{"sku": w.skus()[0], "quantity": 1}])
    [line] = w.order(order.order_id)["order_lines"]
    item = {"order_item_id": line["order_item_id"], "quantity": 1}
    before = w.snapshot([order.order_id])
    r = w.sim.control("POST", f"/orders/{order.order_id}/customer-return", {"lines": [item, item]})
    assert_error(r, 400, code="VALIDATION_FAILED", field="lines[1].order_item_id", message="repeated")
    assert w.snapshot([order.order_id]) == before


def test_get_credit_note_of_cancelled_return_is_not_a_not_yet(w):
    """API.md: the credit note is available 2.5 h after putaway, "before that a clear 'not yet'
    answer". A return the customer cancelled before pickup is never put away: answering NOT_YET
    would have a connector poll forever; it is a plain conflict that names the cancellation."""
    order = w.one("DELIVERED")
    return_id = w.customer_return(order.order_id)
    w.sim.control("POST", f"/returns/{return_id}/cancel", expect=200)
    r = w.ds("GET", f"/returns/{return_id}/creditNote")
    body = assert_error(r, 409, code="CONFLICT", message="cancelled")
    assert "Retry-After" not in r.headers and "available_at" not in body
