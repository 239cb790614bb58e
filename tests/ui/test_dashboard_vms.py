"""The dashboard's VMS pieces: the VMS world settings on the seller form, the simulated layer's held
acknowledgement and late customer cancellations as order buttons, the ERP postings page with dead
letters and their redelivery, and the journal showing a refused duplicate invoice number."""
from __future__ import annotations

import re

import pytest
from test_dashboard import csrf_of, flash

from fixtures.vmsworld import VmsWorld
from simulator.erp_delivery import MAX_ATTEMPTS, backoff


@pytest.fixture
def ui(app):
    client = app.test_client()
    assert client.get("/_sim/ui/").status_code == 200
    return client


def test_create_vms_seller_with_world_settings_from_the_form(ui, sim):
    r = ui.post("/_sim/ui/sellers", data={"csrf": csrf_of(ui), "model": "vms", "vms_layer": "simulated",
                                          "ack_hold": "30m", "late_customer_cancel": "on", "einvoice_model": "rms"})
    assert "created POB" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    pob = sim.control("GET", "/sellers", expect=200).json["sellers"][-1]
    assert (pob["vms_layer"], pob["ack_hold"], pob["late_customer_cancel"], pob["einvoice_model"]) == (
        "simulated", 1800, True, "rms")
    r = ui.post("/_sim/ui/sellers", data={"csrf": csrf_of(ui), "model": "vms", "ack_hold": "four hours"})
    assert "refused (400" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))


def test_release_held_acknowledgement_button(ui, sim):
    w = VmsWorld.create(sim, vms_layer="simulated")
    order_id = w.place(1)[0]
    page = ui.get(f"/_sim/ui/orders/{order_id}").get_data(as_text=True)
    assert "release-ack" in re.findall(r'data-event="([^"]+)"', page)
    r = ui.post(f"/_sim/ui/orders/{order_id}/events/release-ack", data={"csrf": csrf_of(ui)})
    assert "done on" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert sim.state(order_id)["status"] == "ACKNOWLEDGED"


def test_late_customer_cancel_button_after_the_einvoice(ui, sim):
    w = VmsWorld.create(sim, late_customer_cancel=True)
    order_id = w.place(1)[0]
    w.to_stage(order_id, "INVOICED")
    page = ui.get(f"/_sim/ui/orders/{order_id}").get_data(as_text=True)
    assert "customer-cancel" in re.findall(r'data-event="([^"]+)"', page)
    ui.post(f"/_sim/ui/orders/{order_id}/events/customer-cancel", data={"csrf": csrf_of(ui)})
    assert sim.state(order_id)["status"] == "CANCELLED"


def test_erp_page_lists_dead_letters_and_redelivers_them(ui, sim):
    w = VmsWorld.create(sim, erp_url="http://127.0.0.1:9/nothing-listens-here")
    order_id = w.place(1)[0]
    w.acknowledge(order_id)
    sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        sim.control("POST", "/erp/deliver", {}, expect=200)
        w.advance(backoff(attempt))
    page = ui.get("/_sim/ui/erp").get_data(as_text=True)
    [dead_id] = re.findall(r'data-dead="(\d+)"', page)
    assert order_id in page and "connection error" in page
    r = ui.post(f"/_sim/ui/erp/postings/{dead_id}/redeliver", data={"csrf": csrf_of(ui)})
    assert f"posting {dead_id} is queued again" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert w.postings(entity_id=order_id)[0]["status"] == "PENDING"
    r = ui.post(f"/_sim/ui/erp/postings/{dead_id}/redeliver", data={"csrf": csrf_of(ui)})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (409" in text and "ERP-DEAD-LETTERS" in text


def test_journal_page_shows_a_refused_duplicate_invoice_number(ui, sim):
    w = VmsWorld.create(sim)
    a, b = w.place(2)
    for order_id in (a, b):
        w.acknowledge(order_id)
        sim.control("POST", f"/vms/orders/{order_id}/po", {}, expect=200)
    po_a, po_b = (w.ok(w.vms("GET", f"/orders/{o}/po")) for o in (a, b))
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_a, invoiceNumber="DUP/1")))
    w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b, invoiceNumber="DUP/1"))
    page = ui.get(f"/_sim/ui/journal?pob_id={w.pob['pob_id']}").get_data(as_text=True)
    assert "/ajio-vms/b2bInvoice/posting" in page
    assert re.findall(r'data-rule="([^"]+)"', page) == ["GST-INVOICE-NUMBER-UNIQUE"]
