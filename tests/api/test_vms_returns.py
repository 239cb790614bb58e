"""VMS returns in-process (seed 002): expectations against the forward order, RTO generation request,
QC PASS/FAIL, credit note (credit-note model), RSI fetch and accept (RSI model)."""
from __future__ import annotations

import pytest
from dsworld import assert_error, pdf_text

from fixtures.simclient import T0
from fixtures.vmsworld import PDF_B64, VmsWorld, zoned

SEED2 = "seed 002"
LAG = 2 * 3600  # RTO expectation after an RTO generation request


@pytest.fixture
def w(sim) -> VmsWorld:
    return VmsWorld.create(sim)


@pytest.fixture
def rsi_world(sim) -> VmsWorld:
    return VmsWorld.create(sim, return_model="rsi")


def delivered_return(w: VmsWorld, arrived: bool = True) -> tuple[str, str]:
    order_id = w.place(1)[0]
    w.to_stage(order_id, "DELIVERED")
    rid = w.sim.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
    if arrived:
        w.sim.control("POST", f"/returns/{rid}/deliver", expect=200)
    return order_id, rid


def all_pass(ret: dict) -> list[dict]:
    return [{"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS"} for i in ret["items"]]


def the_return(w: VmsWorld, rid: str) -> dict:
    return next(r for r in w.returns() if r["return_order_id"] == rid)


# -- expectations ----------------------------------------------------------------------------------
def test_customer_return_expectation_is_against_the_forward_order(w):
    """Seed 002: a return expectation comes from AJIO against a forward order number."""
    order_id, rid = delivered_return(w, arrived=False)
    ret = the_return(w, rid)
    assert ret["order_id"] == order_id and ret["return_type"] == "CUSTOMER_RETURN"
    assert ret["items"][0]["channelSkuCode"] == w.order(order_id)["order_lines"][0]["channelSkuCode"]
    assert [r["return_order_id"] for r in w.returns(returnType="RTO")] == []


def test_rto_expectation_from_the_control_plane(w):
    order_id = w.place(1)[0]
    w.to_stage(order_id, "DISPATCHED")
    rid = w.sim.control("POST", f"/orders/{order_id}/rto", {}, expect=201).json["return_order_id"]
    assert the_return(w, rid)["return_type"] == "RTO"
    assert w.order(order_id)["status"] == "DISPATCHED"  # RTO is internal; the connector sees DISPATCHED


def test_customer_return_before_delivery_refused(w):
    order_id = w.place(1)[0]
    w.to_stage(order_id, "DISPATCHED")
    assert_error(w.sim.control("POST", f"/orders/{order_id}/customer-return", {}), 409, rule=SEED2)


def test_returns_filter_by_date_and_type(w):
    _, rid = delivered_return(w)
    ret = the_return(w, rid)
    assert w.returns(fromDate=ret["return_date"] + 1) == []
    assert [r["return_order_id"] for r in w.returns(toDate=ret["return_date"], returnType="CUSTOMER_RETURN")] == [rid]
    assert_error(w.vms("GET", "/returns?returnType=EXCHANGE"), 400, field="returnType")


# -- RTO generation request ---------------------------------------------------------------------
def test_rto_generation_request_expectation_arrives_after_lag_seed_002(w):
    """Seed 002: no RTO expectation came, so the integration layer requests RTO generation and receives
    the expectation as RTO in some time."""
    order_id = w.place(1)[0]
    w.to_stage(order_id, "DISPATCHED")
    answer = w.ok(w.vms("POST", "/returns/rto", {"order_id": order_id}))
    now = w.sim.control("GET", "/clock").json["now"]
    assert answer == {"status": "SUCCESS", "order_id": order_id, "expectation_due_at": now + LAG}
    assert w.returns(returnType="RTO") == []
    assert w.ok(w.vms("POST", "/returns/rto", {"order_id": order_id})) == answer  # a repeat: same answer
    w.advance(LAG)
    rtos = w.returns(returnType="RTO")
    assert len(rtos) == 1 and rtos[0]["order_id"] == order_id
    assert rtos[0]["return_status"] == "RETURN_DELIVERED"  # the parcel is already back: QC may follow
    items = all_pass(rtos[0])
    assert w.ok(w.vms("POST", f"/returns/{rtos[0]['return_order_id']}/qc", {"items": items}))["return_status"] == \
        "RETURN_PROCESSED"


def test_rto_request_when_expectation_exists_refused(w):
    order_id = w.place(1)[0]
    w.to_stage(order_id, "DISPATCHED")
    w.sim.control("POST", f"/orders/{order_id}/rto", {}, expect=201)
    assert_error(w.vms("POST", "/returns/rto", {"order_id": order_id}), 409, field="order_id", rule=SEED2)


@pytest.mark.parametrize("stage", ["ACKNOWLEDGED", "PACKED", "DELIVERED"])
def test_rto_request_needs_a_dispatched_order(w, stage):
    order_id = w.place(1)[0]
    w.to_stage(order_id, stage)
    assert_error(w.vms("POST", "/returns/rto", {"order_id": order_id}), 409, code="ILLEGAL_TRANSITION")


def test_rto_request_bad_input(w):
    assert_error(w.vms("POST", "/returns/rto", {}), 400, field="order_id")
    assert_error(w.vms("POST", "/returns/rto", {"order_id": "FN0000000000"}), 404)


# -- QC ---------------------------------------------------------------------------------------------
def test_qc_before_the_return_arrives_refused(w):
    _, rid = delivered_return(w, arrived=False)
    ret = the_return(w, rid)
    assert_error(w.vms("POST", f"/returns/{rid}/qc", {"items": all_pass(ret)}), 409, code="ILLEGAL_TRANSITION")


def test_qc_fail_with_reason_and_images(w):
    """API.md (Increff): qcStatus PASS|FAIL; a FAIL names a qcReason; imageUrls only on FAIL."""
    order_id, rid = delivered_return(w)
    ret = the_return(w, rid)
    item = ret["items"][0]
    items = [{"channelSkuCode": item["channelSkuCode"], "quantity": 1, "qcStatus": "FAIL",
              "qcReason": "WAREHOUSE_DAMAGE", "imageUrls": ["https://img.example.com/1.jpg"]}]
    if item["quantity"] > 1:
        items.append({"itemCode": item["itemCode"], "quantity": item["quantity"] - 1, "qcStatus": "PASS"})
    answer = w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": items}))
    qc = answer["items"][0]["qc"]
    assert qc["fail"] == 1 and qc["pass"] == item["quantity"] - 1
    assert qc["qcReasons"] == ["WAREHOUSE_DAMAGE"] and qc["imageUrls"] == ["https://img.example.com/1.jpg"]
    assert w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": items})) == answer  # the same QC again
    flipped = [{**i, "qcStatus": "PASS"} for i in items if i["qcStatus"] == "PASS"] + [
        {"itemCode": item["itemCode"], "quantity": 1, "qcStatus": "PASS"}]
    assert_error(w.vms("POST", f"/returns/{rid}/qc", {"items": flipped}), 409, code="CONFLICTING_REPEAT",
                 field="items")


def test_qc_pass_units_are_sellable_again_fail_units_not(app, w):
    """QC good goes back to AJIO's view of stock; a FAIL is settled offline (seed 002)."""
    from sqlalchemy import select

    from simulator.store import products

    def stock(sku: str) -> int:
        with app.extensions["ajio_sim"].store.read() as conn:
            return conn.execute(select(products.c.quantity).where(products.c.pob_id == w.pob["pob_id"],
                                                                   products.c.sku == sku)).scalar_one()

    sku = w.order(w.place(1)[0])["order_lines"][0]["sku"]
    order_id = w.place(1, lines=[{"sku": sku, "quantity": 2}])[0]
    w.to_stage(order_id, "DELIVERED")
    rid = w.sim.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
    w.sim.control("POST", f"/returns/{rid}/deliver", expect=200)
    item = the_return(w, rid)["items"][0]
    before = stock(sku)
    w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": [
        {"itemCode": item["itemCode"], "quantity": 1, "qcStatus": "PASS"},
        {"itemCode": item["itemCode"], "quantity": 1, "qcStatus": "FAIL", "qcReason": "USED_PRODUCT"}]}))
    assert stock(sku) == before + 1


@pytest.mark.parametrize("change,field", [
    ({"qcStatus": "FAIL"}, "items[0].qcReason"),
    ({"imageUrls": ["https://img.example.com/a.jpg"]}, "items[0].imageUrls"),
    ({"qcReason": "PRODUCT_MISMATCH"}, "items[0].qcReason"),
    ({"qcStatus": "FAIL", "qcReason": "BROKEN"}, "items[0].qcReason"),
    ({"qcStatus": "GOOD"}, "items[0].qcStatus"),
    ({"itemCode": None}, "items[0].itemCode"),
    ({"channelSkuCode": "8900000000000"}, "items[0].itemCode"),
    ({"quantity": 0}, "items[0].quantity"),
    ({"qcStatus": "FAIL", "qcReason": "TAG_MISSING", "imageUrls": ["not a url"]}, "items[0].imageUrls[0]"),
])
def test_qc_bad_item_refused_and_nothing_applied(w, change, field):
    _, rid = delivered_return(w)
    ret = the_return(w, rid)
    item = {k: v for k, v in {**all_pass(ret)[0], **change}.items() if v is not None}
    assert_error(w.vms("POST", f"/returns/{rid}/qc", {"items": [item]}), 400, field=field)
    assert the_return(w, rid)["return_status"] == "RETURN_DELIVERED"


def test_qc_must_cover_every_returned_unit(w):
    _, rid = delivered_return(w)
    ret = the_return(w, rid)
    items = all_pass(ret)
    items[0]["quantity"] += 1
    assert_error(w.vms("POST", f"/returns/{rid}/qc", {"items": items}), 400, field="items", message="came back")
    unknown = [{**all_pass(ret)[0], "itemCode": "RI000000000000"}]
    assert_error(w.vms("POST", f"/returns/{rid}/qc", {"items": unknown}), 400, field="items[0].itemCode")
    assert the_return(w, rid)["return_status"] == "RETURN_DELIVERED"


# -- credit note --------------------------------------------------------------------------------
def test_credit_note_after_qc_seed_002(w):
    """Seed 002 credit-note model: after processing, the ERP's credit note is shared with AJIO."""
    _, rid = delivered_return(w)
    assert_error(w.vms("POST", f"/returns/{rid}/creditNote", w.credit_note_payload(rid)), 409,
                 code="ILLEGAL_TRANSITION", rule=SEED2)
    w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": all_pass(the_return(w, rid))}))
    answer = w.ok(w.vms("POST", f"/returns/{rid}/creditNote", w.credit_note_payload(rid)))
    assert answer["status"] == "SUCCESS" and answer["creditNoteNumber"] == "CN" + rid[-8:]
    text = pdf_text(w.sim.get_url(answer["credit_note_pdf_url"], w.token).content)
    assert answer["creditNoteNumber"] in text and w.credit_note_payload(rid)["irnNumber"] in text.replace("\n", "")
    assert the_return(w, rid)["creditNoteNumber"] == answer["creditNoteNumber"]
    assert w.ok(w.vms("POST", f"/returns/{rid}/creditNote", w.credit_note_payload(rid))) == answer
    assert_error(w.vms("POST", f"/returns/{rid}/creditNote", w.credit_note_payload(rid, creditNoteNumber="CN2")),
                 409, code="CONFLICTING_REPEAT", field="creditNoteNumber")


@pytest.mark.parametrize("spelling", [{"signedCreditNote": PDF_B64}, {"signedCreditNotePdf": PDF_B64},
                                      {"creditNoteUrl": "https://erp.example.com/cn.pdf"},
                                      {"creditNotePdfUrl": "https://erp.example.com/cn.pdf"},
                                      # seed 002's sample payload sends the PDF and the URL together
                                      {"signedCreditNotePdf": PDF_B64, "creditNotePdfUrl": "https://e.example.com/c.pdf"},
                                      {"signedCreditNote": PDF_B64, "creditNoteUrl": "https://e.example.com/c.pdf"}])
def test_credit_note_accepts_both_spellings_of_pdf_or_url(w, spelling):
    """API.md: seed 002's table and example spell the PDF/URL fields differently; both are accepted, and the
    PDF with the URL ('any one of these is mandatory': at least one)."""
    _, rid = delivered_return(w)
    w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": all_pass(the_return(w, rid))}))
    body = w.credit_note_payload(rid)
    del body["signedCreditNotePdf"]
    assert w.ok(w.vms("POST", f"/returns/{rid}/creditNote", {**body, **spelling}))["status"] == "SUCCESS"


@pytest.mark.parametrize("change,field", [
    ({"signedCreditNotePdf": None}, "signedCreditNote"),
    ({"creditNoteUrl": "not a url"}, "creditNoteUrl"),
    ({"creditNoteNumber": "CN/2026/000000001"}, "creditNoteNumber"),
    ({"creditNoteNumber": "CN#1"}, "creditNoteNumber"),
    ({"creditNoteNumber": None}, "creditNoteNumber"),
    ({"returnOrderId": None}, "returnOrderId"),
    ({"irnNumber": None}, "irnNumber"),
    ({"signedQrCode": None}, "signedQrCode"),
    ({"ackDate": "2026-11-23"}, "ackDate"),
    ({"returnOrderId": "RT00000000"}, "returnOrderId"),
])
def test_credit_note_bad_input_refused(w, change, field):
    """Seed 002's mandatory fields and 'any one of' PDF or URL; the body's return must be the path's."""
    _, rid = delivered_return(w)
    w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": all_pass(the_return(w, rid))}))
    body = {k: v for k, v in {**w.credit_note_payload(rid), **change}.items() if v is not None}
    assert_error(w.vms("POST", f"/returns/{rid}/creditNote", body), 400, field=field)
    assert the_return(w, rid)["creditNoteNumber"] is None


def test_credit_note_in_rsi_model_refused(rsi_world):
    w = rsi_world
    _, rid = delivered_return(w)
    w.ok(w.vms("POST", f"/returns/{rid}/qc", {"items": all_pass(the_return(w, rid))}))
    assert_error(w.vms("POST", f"/returns/{rid}/creditNote", w.credit_note_payload(rid)), 409,
                 field="returnOrderId", rule=SEED2)


# -- RSI ------------------------------------------------------------------------------------------
def issue(w: VmsWorld, *rids: str) -> str:
    return w.sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": list(rids)},
                         expect=201).json["rsiNumber"]


def rsi_query(start: int, end: int) -> str:
    from urllib.parse import quote
    return f"/rsi?rsiDateFrom={quote(zoned(start))}&rsiDateTo={quote(zoned(end))}"


def test_rsi_fetched_by_date_in_seed_002_shape(rsi_world):
    w = rsi_world
    order_id, rid = delivered_return(w)
    number = issue(w, rid)
    now = w.sim.control("GET", "/clock").json["now"]
    got = w.ok(w.vms("GET", rsi_query(now - 3600, now + 3600)))["returnSalesInvoices"]
    assert [r["rsiNumber"] for r in got] == [number]
    rsi = got[0]
    assert set(rsi) == {"rsiNumber", "locationCode", "channelName", "createdAt", "rsiPdfUrl", "billingNo",
                        "irnNumber", "qrCode", "rsiLines"}
    # Seed 002 RSI key points: the plant/store code and the customer (channel) code, a six-digit code here.
    assert rsi["locationCode"] == w.pob["store_code"] and rsi["channelName"].isdigit() and len(rsi["channelName"]) == 6
    line = rsi["rsiLines"][0]
    assert line["returnOrderCode"] == rid
    assert line["clientSkuCode"] == w.order(order_id)["order_lines"][0]["channelSkuCode"]  # the EAN (seed 002)
    assert set(line["taxSummary"]) == {"cessAmount", "cessPercentage", "cgstAmount", "cgstPercentage", "igstAmount",
                                       "igstPercentage", "sgstAmount", "sgstPercentage", "tcsAmount", "tcsPercentage",
                                       "gstAmount"}
    assert number in pdf_text(w.sim.get_url(rsi["rsiPdfUrl"], w.token).content)
    assert w.ok(w.vms("GET", rsi_query(now + 60, now + 3600)))["returnSalesInvoices"] == []


def test_rsi_range_over_two_days_refused_seed_002(rsi_world):
    """Seed 002: rsiDateFrom and rsiDateTo should not be more than 2 days apart (else 400)."""
    w = rsi_world
    assert w.ok(w.vms("GET", rsi_query(T0, T0 + 2 * 86400)))["returnSalesInvoices"] == []
    assert_error(w.vms("GET", rsi_query(T0, T0 + 2 * 86400 + 1)), 400, field="rsiDateTo", message="2 days",
                 rule="VMS-RSI-RANGE-2-DAYS")


@pytest.mark.parametrize("qs,field", [
    ("", "rsiDateFrom"), ("?rsiDateFrom=2026-11-23T10:00:00.000%2B05:30", "rsiDateTo"),
    ("?rsiDateFrom=2026-11-23T10:00:00&rsiDateTo=2026-11-23T11:00:00.000%2B05:30", "rsiDateFrom"),
    ("?rsiDateFrom=1795408200&rsiDateTo=1795408300", "rsiDateFrom"),
    ("?rsiDateFrom=2026-11-24T10:00:00.000%2B05:30&rsiDateTo=2026-11-23T10:00:00.000%2B05:30", "rsiDateTo"),
])
def test_rsi_query_bad_input(rsi_world, qs, field):
    assert_error(rsi_world.vms("GET", "/rsi" + qs), 400, field=field)


def test_rsi_unencoded_plus_in_zone_is_read_as_the_zone(rsi_world):
    r = rsi_world.vms("GET", "/rsi?rsiDateFrom=2026-11-23T10:00:00.000+05:30&rsiDateTo=2026-11-23T11:00:00.000+05:30")
    assert r.status == 200, r.content


def test_rsi_accept_even_for_items_not_received_seed_002(rsi_world):
    """Seed 002: return items not received yet are also marked ACCEPTED (AJIO's throttling)."""
    w = rsi_world
    _, rid = delivered_return(w, arrived=False)
    number = issue(w, rid)
    answer = w.ok(w.vms("POST", f"/rsi/{number}/accept", {}))
    assert answer["status"] == "ACCEPTED" and answer["rsiNumber"] == number
    assert w.ok(w.vms("POST", f"/rsi/{number}/accept", {})) == answer
    assert the_return(w, rid)["return_status"] == "RETURN_INITIATED"
    state = w.sim.control("GET", f"/vms/rsi/{number}", expect=200).json
    assert state["status"] == "ACCEPTED" and [t["to"] for t in state["timeline"]] == ["ISSUED", "ACCEPTED"]


def test_rsi_can_span_several_returns(rsi_world):
    """Seed 002: one RSI document can contain return items from different returns."""
    w = rsi_world
    _, a = delivered_return(w)
    _, b = delivered_return(w, arrived=False)
    number = issue(w, a, b)
    state = w.sim.control("GET", f"/vms/rsi/{number}", expect=200).json
    assert {l["returnOrderCode"] for l in state["rsiLines"]} == {a, b}
    assert_error(w.sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [a]}), 409,
                 field="return_order_ids[0]")


def test_rsi_accept_unknown_or_other_pobs_rsi_is_404(sim, rsi_world):
    w = rsi_world
    other = VmsWorld.create(sim, return_model="rsi")
    _, rid = delivered_return(other)
    number = issue(other, rid)
    w.login()
    assert_error(w.vms("POST", f"/rsi/{number}/accept", {}), 404, field="rsi_number")
    assert_error(w.vms("POST", "/rsi/3100000000/accept", {}), 404)
    assert_error(w.vms("POST", f"/rsi/{number}/accept", {"status": "ACCEPTED"}), 400, field="status")


def test_rsi_issue_needs_an_rsi_model_pob(w):
    _, rid = delivered_return(w)
    assert_error(w.sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [rid]}), 400,
                 field="pob_id", rule=SEED2)


@pytest.mark.parametrize("start,end", [("2026-11-23T10:00:00.000 05:30", "2026-11-23T11:00:00.000 05:30"),
                                       ("2026-11-23 10:00:00+05:30", "2026-11-23 11:00:00+05:30"),
                                       ("2026-11-23T04:30:00Z", "2026-11-23T05:30:00Z")])
def test_rsi_zoned_date_variants_accepted(rsi_world, start, end):
    from urllib.parse import quote
    r = rsi_world.vms("GET", f"/rsi?rsiDateFrom={quote(start)}&rsiDateTo={quote(end)}")
    assert r.status == 200, r.content


def test_rsi_issue_bad_input(rsi_world):
    w = rsi_world
    _, rid = delivered_return(w)
    body = {"pob_id": w.pob["pob_id"], "return_order_ids": [rid, rid]}
    assert_error(w.sim.control("POST", "/vms/rsi", body), 400, field="return_order_ids[1]")
    body = {"pob_id": w.pob["pob_id"], "return_order_ids": ["RT00000000"]}
    assert_error(w.sim.control("POST", "/vms/rsi", body), 404, field="return_order_ids[0]")
    assert_error(w.sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": []}), 400,
                 field="return_order_ids")


def test_rsi_issued_by_ajio_a_day_after_the_expectation_seed_002(rsi_world):
    """Seed 002 RSI flow: AJIO generates the RSI documents (here a day after the return expectation,
    whether the parcel arrived or not) and the integration layer pulls them."""
    w = rsi_world
    _, rid = delivered_return(w, arrived=False)
    start = w.sim.control("GET", "/clock").json["now"]
    w.advance(86400 - 1)
    assert w.ok(w.vms("GET", rsi_query(start, start + 86400)))["returnSalesInvoices"] == []
    w.advance(1)
    [rsi] = w.ok(w.vms("GET", rsi_query(start, start + 86400)))["returnSalesInvoices"]
    assert {l["returnOrderCode"] for l in rsi["rsiLines"]} == {rid}
    assert_error(w.sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [rid]}), 409,
                 message="already on RSI")


def test_no_rsi_for_a_withdrawn_return_or_in_the_credit_note_model(sim, rsi_world, w):
    order_id = rsi_world.place(1)[0]
    rsi_world.to_stage(order_id, "DELIVERED")
    rid = sim.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
    sim.control("POST", f"/returns/{rid}/cancel", {}, expect=200)
    w.login()
    delivered_return(w, arrived=False)
    start = sim.control("GET", "/clock").json["now"]
    rsi_world.advance(2 * 86400)
    w.login()
    assert rsi_world.ok(rsi_world.vms("GET", rsi_query(start, start + 2 * 86400)))["returnSalesInvoices"] == []
    assert w.ok(w.vms("GET", rsi_query(start, start + 2 * 86400)))["returnSalesInvoices"] == []


def test_change_feed_carries_rsis_issued_and_accepted_for_their_pob_only(rsi_world, w):
    """The control plane's change feed (what `ajio-sim soak` follows) names each RSI AJIO issues, with its
    returns and PDF, and again when it is accepted; another POB's feed does not see it."""
    _, rid = delivered_return(rsi_world, arrived=False)
    cursor = rsi_world.sim.control("GET", "/changes?after_id=0&limit=5000").json["last_id"]
    rsi_world.advance(86400)
    feed = rsi_world.sim.control("GET", f"/changes?pob_id={rsi_world.pob['pob_id']}&after_id={cursor}&limit=5000").json
    [rsi] = feed["rsis"]
    assert rsi["return_order_ids"] == [rid] and rsi["status"] == "ISSUED" and rsi["accepted_at"] is None
    assert any(c["entity_kind"] == "rsi" and c["entity_id"] == rsi["rsi_number"] and c["to"] == "ISSUED"
               for c in feed["changes"])
    pdf = rsi_world.sim.control("GET", f"/vms/rsi/{rsi['rsi_number']}").json["rsiPdfUrl"]
    assert pdf.endswith("/documents/" + rsi["document_id"])
    other = rsi_world.sim.control("GET", f"/changes?pob_id={w.pob['pob_id']}&after_id={cursor}&limit=5000").json
    assert other["rsis"] == []
    cursor = feed["last_id"]
    rsi_world.ok(rsi_world.vms("POST", f"/rsi/{rsi['rsi_number']}/accept", {}))
    feed = rsi_world.sim.control("GET", f"/changes?pob_id={rsi_world.pob['pob_id']}&after_id={cursor}&limit=5000").json
    assert [(r["rsi_number"], r["status"]) for r in feed["rsis"]] == [(rsi["rsi_number"], "ACCEPTED")]
    assert feed["rsis"][0]["accepted_at"] is not None


def test_rsi_list_answers_every_rsi_of_the_range_however_many(app, rsi_world):
    """No silent cut: the list once stopped at 500 RSIs, and an ERP that moves its cursor past the range lost the
    rest without a sign. 600 RSIs in one hour (copies of one issued RSI, numbered apart) come back whole, in order."""
    from sqlalchemy import insert, select

    from simulator.store import rsi_documents
    w = rsi_world
    _, rid = delivered_return(w)
    number = issue(w, rid)
    with app.extensions["ajio_sim"].store.write() as conn:
        row = dict(conn.execute(select(rsi_documents).where(rsi_documents.c.rsi_number == number)).mappings().one())
        for n in range(1, 600):
            conn.execute(insert(rsi_documents).values({**row, "rsi_number": f"{number}-{n:03d}"}))
    now = w.sim.control("GET", "/clock").json["now"]
    for fetch in (lambda q: w.vms("GET", q), lambda q: w.erp("GET", q)):
        got = w.ok(fetch(rsi_query(now - 3600, now + 3600)))["returnSalesInvoices"]
        assert [r["rsiNumber"] for r in got] == [number] + [f"{number}-{n:03d}" for n in range(1, 600)]


def test_partial_withdrawal_refused_once_an_rsi_names_the_return(rsi_world):
    """An RSI invoices the return's units as they stood when AJIO issued it: withdrawing some of them after
    that would leave the RSI naming units that never come back (not grounded: ajio-sim refuses it)."""
    w = rsi_world
    _, rid = delivered_return(w, arrived=False)
    w.sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [rid]}, expect=201)
    [item] = the_return(w, rid)["items"]
    r = w.sim.control("POST", f"/returns/{rid}/cancel",
                      {"lines": [{"order_item_id": item["order_item_id"], "quantity": 1}]})
    assert_error(r, 409, code="CONFLICT", field="lines", message="is on RSI")
    assert the_return(w, rid)["return_status"] == "RETURN_INITIATED"
