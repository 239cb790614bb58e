"""Each Dropship rule of seeds 000 and 003 checked through the real server process."""
from __future__ import annotations

import pytest

from fixtures.simclient import PARCEL

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live):
    pob = live.seller()
    return live, pob, live.login(pob)


def test_customer_cancel_before_acknowledgement_removes_order_from_pendency(world):
    """Seed 000 point 12.1: AJIO's customer cancellations reach the seller until invoicing."""
    live, pob, token = world
    [order_id] = live.place(pob["pob_id"])
    live.control("POST", f"/orders/{order_id}/customer-cancel", expect=200)
    pending = live.ds("GET", "/orders/pendency?size=50", token).json["orders"]
    assert order_id not in [o["order_id"] for o in pending]
    assert live.order(token, order_id)["status"] == "CANCELLED"
    refused = live.acknowledge_all(token, order_id)
    assert refused.status == 409 and refused.json["error_code"] == "ILLEGAL_TRANSITION"


def test_customer_cancel_after_acknowledgement_before_invoice_cancels(world):
    """Seed 000 point 12.1."""
    live, pob, token = world
    [order_id] = live.place(pob["pob_id"])
    token = live.to_status(pob, order_id, "CONFIRMED")["token"]
    live.control("POST", f"/orders/{order_id}/customer-cancel", expect=200)
    order = live.order(token, order_id)
    assert order["status"] == "CANCELLED"
    assert all(l["customer_cancelled_qty"] == l["ordered_quantity"] for l in order["order_lines"])


def test_customer_cancel_after_invoice_refused_naming_seed(world):
    """Seed 000 point 12.1: no customer cancellation once invoiced (packed)."""
    live, pob, token = world
    [order_id] = live.place(pob["pob_id"])
    live.to_status(pob, order_id, "INVOICED")
    r = live.control("POST", f"/orders/{order_id}/customer-cancel")
    assert r.status == 409
    assert r.json["rule_id"] == "DS-CUSTOMER-CANCEL-UNTIL-INVOICED" and "(seed 000), point 12.1" in r.json["rule"]


def test_seller_cancel_after_acknowledgement_cancels_order(world):
    """Seed 000 point 12.2: the seller's cancellation syncs to AJIO until invoiced."""
    live, pob, token = world
    [order_id] = live.place(pob["pob_id"])
    token = live.to_status(pob, order_id, "CONFIRMED")["token"]
    r = live.ds("POST", "/orders", token, {"order_id": order_id, "status": "Cancel", "order_lines": []})
    assert r.status == 200, r.content
    order = live.order(token, order_id)
    assert order["status"] == "CANCELLED"
    assert all(l["quantity"] == 0 for l in order["order_lines"])


def test_seller_cancel_after_invoice_refused_naming_seed(world):
    """Seed 000 point 12.2."""
    live, pob, token = world
    [order_id] = live.place(pob["pob_id"])
    token = live.to_status(pob, order_id, "INVOICED")["token"]
    r = live.ds("POST", "/orders", token, {"order_id": order_id, "status": "Cancel", "order_lines": []})
    assert r.status == 409 and r.json["rule_id"] == "DS-SELLER-CANCEL-UNTIL-INVOICED" and "12.2" in r.json["rule"]
    assert live.order(token, order_id)["status"] == "CONFIRMED"


def test_invoice_split_refused(world):
    """Seed 000 point 5: order split is not supported by AJIO Dropship."""
    live, pob, token = world
    [order_id] = live.place(pob["pob_id"])
    token = live.to_status(pob, order_id, "CONFIRMED")["token"]
    line = live.order(token, order_id)["order_lines"][0]
    r = live.ds("POST", f"/orders/{order_id}/invoice", token,
                {"order_lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]})
    assert r.status == 400
    assert r.json["field"] == "order_lines" and "seed 000 point 5" in r.json["error_message"]
    assert live.order(token, order_id)["invoice_number"] is None


def test_label_without_dimensions_refused(world):
    """Seed 003 troubleshooting: label generation fails without weight and dimensions."""
    live, pob, token = world
    [order_id] = live.place(pob["pob_id"])
    token = live.to_status(pob, order_id, "INVOICED")["token"]
    r = live.ds("POST", f"/orders/{order_id}/label", token, {"weight_grams": 400})
    assert r.status == 400
    assert r.json["field"] in ("length_cm", "breadth_cm", "height_cm")
    assert "Missing data" in r.json["error_message"]
    assert live.order(token, order_id)["status"] == "CONFIRMED"


def test_label_without_shipping_api_access_refused(live):
    """Seed 003 prerequisites: API access for shipping must be enabled by AJIO."""
    pob = live.seller(shipping_api_access=False)
    token = live.login(pob)
    [order_id] = live.place(pob["pob_id"])
    token = live.to_status(pob, order_id, "INVOICED")["token"]
    r = live.ds("POST", f"/orders/{order_id}/label", token, PARCEL)
    assert r.status == 403 and r.json["rule_id"] == "DS-SHIPPING-API-ACCESS" and "seed 003" in r.json["rule"]


def test_manifest_over_250_refused(world):
    """API.md / Increff: at most 250 shipments per manifest."""
    live, pob, token = world
    items = [{"masterAWB": f"AWB{i}", "orderId": f"FN{i:010d}", "invoiceNo": f"INV{i}"} for i in range(251)]
    r = live.ds("POST", "/orders/dispatch", token, {"dispatchItems": items})
    assert r.status == 400 and r.json["field"] == "dispatchItems" and "250" in r.json["error_message"]


def test_expired_token_refused(world):
    """API.md: a token lives 30 minutes; there is no refresh call."""
    live, pob, token = world
    assert live.ds("GET", "/orders/pendency", token).status == 200
    live.advance(30 * 60)
    r = live.ds("GET", "/orders/pendency", token)
    assert r.status == 401 and "expired" in r.json["error_message"]


def test_another_pobs_order_and_documents_invisible(live):
    """Seeds 000/003: each POB is its own store with its own credentials; nothing crosses."""
    mine, theirs = live.seller(), live.seller()
    [order_id] = live.place(mine["pob_id"])
    docs = live.to_status(mine, order_id, "INVOICED")
    their_token = live.login(theirs)
    assert live.ds("GET", f"/orders?orderIds={order_id}", their_token).status == 404
    assert live.ds("POST", f"/orders/{order_id}/label", their_token, PARCEL).status == 404
    assert live.ds("POST", "/orders", their_token, {"order_id": order_id, "status": "Cancel"}).status == 404
    assert live.get_url(docs["invoice"]["invoice_pdf_url"], their_token).status == 404
    assert order_id not in [o["order_id"] for o in live.ds("GET", "/orders?size=50", their_token).json["orders"]]


def test_demo_banner_prints_logins_that_work(tmp_path):
    """`ajio-sim serve --demo` (what `make serve` runs) prints credentials that log in."""
    from fixtures.simclient import HttpTransport, ServerProcess, Sim

    proc = ServerProcess(tmp_path / "demo.sqlite3", "--demo")
    try:
        proc.wait_for("DEMO-VMS-01")
        logins = [line.split() for line in proc.banner if "store DEMO-" in line]
        assert len(logins) == 5, proc.banner
        sim = Sim(HttpTransport(proc.base_url))
        # The JIT and VMS demo POBs log in on their own models' paths.
        assert sim.login({"pob_id": logins[3][0], "password": logins[3][1]}, model="jit")
        assert sim.login({"pob_id": logins[4][0], "password": logins[4][1]}, model="vms")
        token = sim.login({"pob_id": logins[0][0], "password": logins[0][1]})
        pending = sim.ds("GET", "/orders/pendency", token).json
        assert pending["page"]["totalElements"] == 5
        held = sim.ds("GET", "/orders?size=50", token).json["orders"]
        assert sorted(o["status"] for o in held) == [
            "CANCELLED", "CONFIRMED", "CONFIRMED", "CONFIRMED", "DELIVERED", "DISPATCHED", "PACKED"]
        returned = next(o for o in held if o["status"] == "DELIVERED")
        assert len(returned["return_order_ids"]) == 1
    finally:
        proc.stop()


def test_control_plane_needs_admin_token_beyond_loopback(tmp_path):
    """API.md: /_sim is guarded by an admin token whenever the server listens beyond loopback."""
    import re

    from fixtures.simclient import HttpTransport, ServerProcess

    proc = ServerProcess(tmp_path / "guarded.sqlite3", host="0.0.0.0")
    try:
        token = re.search(r"admin token\s+:\s+(\S+)", proc.wait_for("admin token")).group(1)
        http = HttpTransport(proc.base_url)
        refused = http("GET", "/_sim/clock")
        assert refused.status == 401 and refused.json["field"] == "X-Admin-Token"
        assert http("GET", "/_sim/clock", headers={"X-Admin-Token": token}).status == 200
        assert http("GET", "/_sim/clock", headers={"X-Admin-Token": token + "x"}).status == 401
    finally:
        proc.stop()
