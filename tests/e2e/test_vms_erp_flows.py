"""ERP-facing VMS flows through the real `ajio-sim serve` process and a real HTTP test ERP fed by the
server's background sender (seeds 002, 004; CGST rule 46; the e-invoice portal): the simulated VMS layer's
hold, the postings after OUTWARD_ORDER_CREATE, a late customer cancellation, duplicate numbers, dead letters,
and the invoice-number registry under concurrent posts on both engines."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from fixtures.simclient import HttpTransport, ServerProcess, Sim
from fixtures.vmsworld import PO_LAG, TestErp, VmsWorld
from simulator.erp_delivery import MAX_ATTEMPTS, backoff

pytestmark = pytest.mark.e2e

HOLD = 3600


def _two_sku_order(w: VmsWorld, quantities=(2, 1)) -> str:
    skus, seed = [], 0
    while len(skus) < len(quantities):
        line = w.order(w.place(1, seed=seed)[0])["order_lines"][0]
        if line["sku"] not in skus:
            skus.append(line["sku"])
        seed += 1
    return w.place(1, lines=[{"sku": s, "quantity": q} for s, q in zip(skus, quantities)])[0]


def _of(erp: TestErp, event: str, order_id: str) -> list[dict]:
    with erp.lock:
        return [r["body"] for r in erp.received if r["event"] == event and r["body"].get("orderCode") == order_id]


def test_erp_under_test_behind_the_simulated_vms_layer(live):
    """ajio-sim plays Increff's VMS layer for an ERP: it holds the acknowledgement (seed 002), a customer
    cancellation inside the hold never reaches the ERP, a seller's partial cancellation after CREATE
    supersedes it, the ERP's stale invoice is refused and its final one taken; a customer's late partial
    cancellation after the e-invoice comes back in OUTWARD_ORDER_COMPLETE (seed 004); a repeated invoice
    number or IRN on another order is refused and that order stays un-invoiced."""
    erp = TestErp()
    try:
        w = VmsWorld.create(live, erp_url=erp.url, vms_layer="simulated", ack_hold="1h", late_customer_cancel=True)
        gone = w.place(1)[0]
        order_id = _two_sku_order(w, (3, 1))
        other = w.place(1)[0]
        live.control("POST", f"/orders/{gone}/customer-cancel", {}, expect=200)
        w.advance(HOLD + PO_LAG)
        erp.wait_for(lambda got: {order_id, other} <= {g["body"]["orderCode"] for g in got})
        assert _of(erp, "OUTWARD_ORDER_CREATE", gone) == []
        state = live.state(order_id)
        assert state["ack_hold"]["layer"] == "simulated" and state["ack_hold"]["acknowledged_early"] is False

        po = w.ok(w.vms("GET", f"/orders/{order_id}/po"))
        sku = po["lines"][0]["channelSkuCode"]
        w.ok(w.vms("POST", f"/orders/{order_id}/cancel", {"lines": [{"channelSkuCode": sku, "quantity": 1}]}))
        erp.wait_for(lambda got: len([g for g in got if g["body"].get("orderCode") == order_id]) == 2)
        first, latest = _of(erp, "OUTWARD_ORDER_CREATE", order_id)
        assert latest["supersedesMessageId"] == first["messageId"]

        def lines_of(posting):
            return [{"channelSkuCode": i["channelSkuCode"], "quantity": i["quantity"]} for i in posting["orderItems"]]
        stale = w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po, lines=lines_of(first)))
        assert stale.status == 400 and stale.json["rule_id"] == "VMS-INVOICE-FINAL-QUANTITY"
        body = w.invoice_payload(po, lines=lines_of(latest), invoiceNumber="E2E/INV/1")
        assert w.ok(w.erp("POST", "/b2bInvoice/posting", body))["order_status"] == "INVOICED"

        item = live.state(order_id)["lines"][0]["order_item_id"]
        live.control("POST", f"/orders/{order_id}/customer-cancel",
                     {"lines": [{"order_item_id": item, "quantity": 1}]}, expect=200)
        w.ok(w.vms("GET", f"/orders/{order_id}/documents"))
        w.ok(w.vms("POST", "/manifests", {"orderIds": [order_id]}))
        erp.wait_for(lambda got: any(g["event"] == "OUTWARD_ORDER_COMPLETE" for g in got))
        [complete] = _of(erp, "OUTWARD_ORDER_COMPLETE", order_id)
        row = {i["orderItemCode"]: i for i in complete["orderItems"]}[item]
        assert (row["invoicedQuantity"], row["quantity"], row["cancelledAfterInvoiceQuantity"]) == (2, 1, 1)

        other_po = w.ok(w.vms("GET", f"/orders/{other}/po"))
        dup = w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(other_po, invoiceNumber="E2E/INV/1"))
        assert dup.status == 409 and dup.json["field"] == "invoiceNumber" and order_id in dup.json["error_message"]
        cached = w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(other_po, invoiceNumber="E2E/INV/2",
                                                                         irnNumber=body["irnNumber"]))
        assert cached.status == 409 and cached.json["field"] == "irnNumber"
        assert w.order(other)["status"] == "ACKNOWLEDGED"
        journal = live.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/ajio-vms/*", expect=200).json
        assert [e["status"] for e in journal["entries"]][-2:] == [409, 409]
    finally:
        erp.close()


def test_dead_letter_redelivered_once_the_erp_is_back(live):
    """Nothing is dropped: the posting refused after the last retry stays as a dead letter, and once the
    ERP answers again a redelivery gets it there; the journal has every attempt."""
    erp = TestErp([503] * MAX_ATTEMPTS)
    try:
        w = VmsWorld.create(live, erp_url=erp.url)
        order_id = w.place(1)[0]
        w.acknowledge(order_id)
        live.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            w.wait_attempts(order_id, attempt)
            w.advance(backoff(attempt))
        [dead] = live.control("GET", f"/erp/dead-letters?pob_id={w.pob['pob_id']}", expect=200).json["dead_letters"]
        assert dead["attempts"] == MAX_ATTEMPTS
        live.control("POST", "/erp/redeliver", {"pob_id": w.pob["pob_id"]}, expect=200)
        assert w.wait_attempts(order_id, MAX_ATTEMPTS + 1)["status"] == "DELIVERED"
        entries = live.control("GET", f"/journal?entity_id={order_id}&path=http*", expect=200).json["entries"]
        assert [e["status"] for e in entries] == [503] * MAX_ATTEMPTS + [200]
    finally:
        erp.close()


WORKERS = 6


def test_one_invoice_number_under_concurrent_posts(db_url):
    """Several workers, several ERPs posting one number for different orders at once: exactly one wins;
    the others get the 409 naming the holder (the primary key decides, not a read-then-write)."""
    server = ServerProcess(db_url, "--workers", "3")
    try:
        sim = Sim(HttpTransport(server.base_url))
        w = VmsWorld.create(sim)
        orders = w.place(WORKERS)
        pos = []
        for order_id in orders:
            w.acknowledge(order_id)
            sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
            pos.append(w.ok(w.vms("GET", f"/orders/{order_id}/po")))
        start = threading.Barrier(WORKERS)

        def post(po: dict) -> int:
            mine = Sim(HttpTransport(server.base_url))
            body = w.invoice_payload(po, invoiceNumber="RACE/1")
            start.wait(10)
            return mine.http("POST", "/ajio-vms/b2bInvoice/posting", json_body=body, headers={
                "authUsername": w.pob["pob_id"], "authPassword": w.pob["password"]}).status
        with ThreadPoolExecutor(WORKERS) as pool:
            statuses = sorted(pool.map(post, pos))
        assert statuses == [200] + [409] * (WORKERS - 1)
        invoiced = [o for o in orders if w.order(o)["status"] == "INVOICED"]
        assert len(invoiced) == 1
    finally:
        server.stop()
