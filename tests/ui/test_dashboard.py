"""The dashboard (/_sim/ui) in-process: pages, world events through forms, CSRF, admin login, paging."""
from __future__ import annotations

import html as html_lib
import json
import re

import pytest

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app


def csrf_of(client) -> str:
    cookie = client.get_cookie("ajio_sim_csrf", path="/_sim/ui")
    assert cookie is not None, "the dashboard sets its CSRF cookie on the first page"
    return cookie.value


def flash(html: str) -> str:
    m = re.search(r'<div class="flash[^"]*"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split()) if m else ""


@pytest.fixture
def ui(app):
    client = app.test_client()
    assert client.get("/_sim/ui/").status_code == 200
    return client


def test_pages_render_and_show_sellers_with_model_and_settings(ui, sim):
    pob = sim.seller(einvoicing=True, store_code="QA-STORE-1")
    sim.place(pob["pob_id"], 2)
    html = ui.get("/_sim/ui/").get_data(as_text=True)
    assert pob["pob_id"] in html and "QA-STORE-1" in html and 'model-ds' in html
    assert re.search(r"einvoicing</span>\s*yes", html)
    assert "2 orders" in html
    for path in ("/_sim/ui/orders", "/_sim/ui/returns", "/_sim/ui/journal", "/_sim/ui/static/ui.css",
                 "/_sim/ui/static/ui.js"):
        assert ui.get(path).status_code == 200, path


def test_customer_cancel_button_changes_status_and_timeline(ui, sim):
    pob = sim.seller()
    (order_id,) = sim.place(pob["pob_id"], 1)
    page = ui.get(f"/_sim/ui/orders/{order_id}").get_data(as_text=True)
    # exactly the events the control plane allows in CREATED
    allowed = sim.state(order_id)["allowed_world_events"]
    assert re.findall(r'data-event="([^"]+)"', page) == allowed == ["customer-cancel"]
    r = ui.post(f"/_sim/ui/orders/{order_id}/events/customer-cancel", data={"csrf": csrf_of(ui)})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/_sim/ui/orders/{order_id}")
    page = ui.get(r.headers["Location"]).get_data(as_text=True)
    assert "Customer cancel: done" in flash(page)
    assert sim.state(order_id)["status"] == "CANCELLED"
    assert re.search(r'id="order-status"><span class="badge st-cancelled">CANCELLED', page)
    timeline = page[page.index('id="timeline"'):page.index("</table>", page.index('id="timeline"'))]
    assert "customer cancelled the order" in timeline and "st-cancelled" in timeline
    assert "none in status CANCELLED" in page  # no buttons left


def test_refused_event_shows_ajio_message_and_rule(ui, sim):
    pob = sim.seller()
    (order_id,) = sim.place(pob["pob_id"], 1)
    sim.control("POST", f"/orders/{order_id}/customer-cancel", {}, expect=200)
    r = ui.post(f"/_sim/ui/orders/{order_id}/events/pickup", data={"csrf": csrf_of(ui)})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (409 ILLEGAL_TRANSITION)" in text
    assert "rule: DS-COURIER-AFTER-MANIFEST: DISPATCHED follows the courier's pickup" in " ".join(text.split())


def test_post_without_csrf_token_changes_nothing(ui, sim):
    pob = sim.seller()
    (order_id,) = sim.place(pob["pob_id"], 1)
    for data in ({}, {"csrf": "forged"}):
        r = ui.post(f"/_sim/ui/orders/{order_id}/events/customer-cancel", data=data)
        assert r.status_code == 403 and b"CSRF" in r.data
    assert sim.state(order_id)["status"] == "CREATED"


def test_event_name_cannot_reach_other_control_calls(ui, sim):
    pob = sim.seller()
    (order_id,) = sim.place(pob["pob_id"], 1)
    assert ui.post(f"/_sim/ui/orders/{order_id}/events/RESET", data={"csrf": csrf_of(ui)}).status_code == 404
    assert ui.post(f"/_sim/ui/orders/{order_id}/events/..%2F..%2Freset", data={"csrf": csrf_of(ui)}).status_code == 404
    assert sim.state(order_id)["status"] == "CREATED"


def test_clock_buttons_custom_duration_and_freeze(ui, sim):
    csrf = csrf_of(ui)
    r = ui.post("/_sim/ui/clock/advance", data={"csrf": csrf, "seconds": "14400", "next": "/_sim/ui/orders"})
    assert r.status_code == 303 and r.headers["Location"] == "/_sim/ui/orders"
    assert sim.control("GET", "/clock").json["now"] == T0 + 14400
    ui.post("/_sim/ui/clock/advance", data={"csrf": csrf, "duration": "1d30m"})
    assert sim.control("GET", "/clock").json["now"] == T0 + 14400 + 86400 + 1800
    r = ui.post("/_sim/ui/clock/advance", data={"csrf": csrf, "duration": "soon"})
    assert "not a duration" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert sim.control("GET", "/clock").json["now"] == T0 + 14400 + 86400 + 1800
    ui.post("/_sim/ui/clock/freeze", data={"csrf": csrf, "frozen": "false"})
    assert sim.control("GET", "/clock").json["frozen"] is False
    ui.post("/_sim/ui/clock/freeze", data={"csrf": csrf, "frozen": "true"})
    assert sim.control("GET", "/clock").json["frozen"] is True


def test_redirect_stays_inside_the_dashboard(ui):
    r = ui.post("/_sim/ui/clock/advance", data={"csrf": csrf_of(ui), "seconds": "1", "next": "https://evil.example/"})
    assert r.headers["Location"] == "/_sim/ui/"
    for target in ("//evil.example/_sim/ui", "/_sim/ui\\@evil.example"):
        r = ui.post("/_sim/ui/clock/advance", data={"csrf": csrf_of(ui), "seconds": "1", "next": target})
        assert r.headers["Location"] == "/_sim/ui/"


def test_create_seller_and_place_orders_from_forms(ui, sim):
    csrf = csrf_of(ui)
    ui.post("/_sim/ui/sellers", data={"csrf": csrf, "model": "ds", "store_code": "FORM-1",
                                      "shipping_api_access": "on"})
    pob = [p for p in sim.control("GET", "/sellers").json["sellers"] if p["store_code"] == "FORM-1"][0]
    assert pob["shipping_api_access"] is True and pob["einvoicing"] is False
    r = ui.post("/_sim/ui/orders", data={"csrf": csrf, "pob_id": pob["pob_id"], "count": "3"})
    assert "placed 3 order(s)" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    r = ui.post("/_sim/ui/orders", data={"csrf": csrf, "pob_id": pob["pob_id"], "count": "0"})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (400" in text and "count" in text
    r = ui.post("/_sim/ui/sellers", data={"csrf": csrf, "model": "ds", "store_code": "FORM-1"})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (409" in text and "rule: POB-ONE-STORE-CODE" in " ".join(text.split())


def test_orders_filter_and_keyset_paging_visit_every_order_once(ui, sim):
    a, b = sim.seller(), sim.seller()
    placed = set(sim.place(a["pob_id"], 120))
    sim.place(b["pob_id"], 5)
    seen: list[str] = []
    url = f"/_sim/ui/orders?pob_id={a['pob_id']}&status=CREATED"
    pages = 0
    while url:
        html = ui.get(url).get_data(as_text=True)
        assert "120 matching" in html
        seen += re.findall(r'<a href="/_sim/ui/orders/(\w+)">', html)
        nxt = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
        pages += 1
    assert pages == 3 and len(seen) == 120 and set(seen) == placed
    html = ui.get("/_sim/ui/orders?model=ds&status=CANCELLED").get_data(as_text=True)
    assert "0 matching" in html
    assert "125 matching" in ui.get("/_sim/ui/orders?model=ds").get_data(as_text=True)
    assert "0 matching" in ui.get("/_sim/ui/orders?model=vms").get_data(as_text=True)
    html = ui.get(f"/_sim/ui/orders?pob_id={b['pob_id']}").get_data(as_text=True)
    assert "5 matching" in html and 'rel="next"' not in html
    for cursor in ("nonsense", "9" * 30 + ":FN1", "\u00b2:FN1", "1:" + "x" * 65):
        r = ui.get("/_sim/ui/orders", query_string={"after": cursor})
        assert r.status_code == 400 and b"invalid paging cursor" in r.data, cursor
    for cursor in ("9" * 30, "\u00b2", "-1"):
        assert ui.get("/_sim/ui/journal", query_string={"before": cursor}).status_code == 400
    assert ui.get("/_sim/ui/returns", query_string={"after": "x"}).status_code == 400


def test_order_page_documents_open_as_admin_and_returns_link(ui, sim):
    pob = sim.seller()
    (order_id,) = sim.place(pob["pob_id"], 1)
    sim.to_status(pob, order_id, "DELIVERED")
    page = ui.get(f"/_sim/ui/orders/{order_id}").get_data(as_text=True)
    docs = re.findall(r'href="/_sim/ui/documents/([^"]+)"', page)
    kinds = sim.state(order_id)["documents"]
    assert len(docs) == len(kinds) + 1  # the order's PO, invoices and label, plus its manifest
    assert "manifest" in page
    pdf = ui.get(f"/_sim/ui/documents/{docs[0]}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert ui.get("/_sim/ui/documents/NOPE").status_code == 404
    # the journal entries that touched the order are on its page (found through journal_entities)
    assert f"/ds/orders/{order_id}/invoice" in page and f"/ds/orders/{order_id}/label" in page
    r = ui.post(f"/_sim/ui/orders/{order_id}/events/customer-return", data={"csrf": csrf_of(ui)})
    page = ui.get(r.headers["Location"]).get_data(as_text=True)
    (return_id,) = re.findall(r'href="/_sim/ui/returns/([^"]+)"', page)
    rpage = ui.get(f"/_sim/ui/returns/{return_id}").get_data(as_text=True)
    assert "RETURN_INITIATED" in rpage and 'data-event="cancel"' in rpage
    r = ui.post(f"/_sim/ui/returns/{return_id}/events/cancel", data={"csrf": csrf_of(ui)})
    assert "RETURN_CANCELLED" in ui.get(r.headers["Location"]).get_data(as_text=True)
    assert return_id in ui.get("/_sim/ui/returns?return_type=CUSTOMER_RETURN").get_data(as_text=True)


def test_journal_newest_first_marks_contract_violations(ui, sim):
    pob = sim.seller()
    token = sim.login(pob)
    sim.ds("POST", "/orders", token, {"order_id": "X", "status": "Nope", "order_lines": []})
    sim.ds("GET", "/orders/pendency", token)
    html = ui.get(f"/_sim/ui/journal?pob_id={pob['pob_id']}").get_data(as_text=True)
    paths = re.findall(r"<code>(\w+ [^<?]+)", html)
    assert paths[:3] == ["GET /ds/orders/pendency", "POST /ds/orders", "POST /ds/authToken"]
    assert "contract violation: status" in html
    only = ui.get("/_sim/ui/journal?only=violations").get_data(as_text=True)
    assert re.findall(r"<code>(\w+ [^<?]+)", only) == ["POST /ds/orders"]


def test_fault_rules_add_from_the_form_apply_show_in_the_journal_and_clear(ui, sim):
    pob = sim.seller()
    token = sim.login(pob)
    csrf = csrf_of(ui)
    r = ui.post("/_sim/ui/faults", data={"csrf": csrf, "name": "pendency outage", "method": "GET",
                                         "path": "/ds/orders/pendency", "pob_id": pob["pob_id"], "kind": "status",
                                         "status": "503", "times": "1"})
    assert "fault rule 1 added: status" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    rules = sim.control("GET", "/faults").json["faults"]
    assert [(f["match"], f["effects"], f["times"]) for f in rules] == [
        ({"method": "GET", "path": "/ds/orders/pendency", "pob_id": pob["pob_id"]},
         [{"kind": "status", "status": 503}], 1)]
    assert sim.ds("GET", "/orders/pendency", token).status == 503  # the rule acts on the wire
    assert sim.ds("GET", "/orders/pendency", token).status == 200  # once
    page = ui.get("/_sim/ui/faults").get_data(as_text=True)
    assert "pendency outage" in page and "1 / 1" in page and "spent" in page
    journal_page = ui.get(f"/_sim/ui/journal?pob_id={pob['pob_id']}&only=faults").get_data(as_text=True)
    assert re.findall(r"<code>(\w+ [^<?]+)", journal_page) == ["GET /ds/orders/pendency"]
    assert "fault: status (rule 1)" in journal_page
    # composed effects from the JSON box; a bad rule is refused naming the field
    r = ui.post("/_sim/ui/faults", data={"csrf": csrf, "rule_json": json.dumps(
        {"match": {"path": "/ds/products"}, "effects": [{"kind": "latency", "ms": 1}, {"kind": "throttle"}]})})
    assert "added: latency, throttle" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    r = ui.post("/_sim/ui/faults", data={"csrf": csrf, "kind": "latency", "status": "503"})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (400" in text and "field: effects[0].status" in text
    for bad in ("{nope", "[1, 2]"):
        r = ui.post("/_sim/ui/faults", data={"csrf": csrf, "rule_json": bad})
        assert "add fault refused" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert len(sim.control("GET", "/faults").json["faults"]) == 2
    ui.post("/_sim/ui/faults/clear", data={"csrf": csrf, "id": "1"})
    assert [f["id"] for f in sim.control("GET", "/faults").json["faults"]] == [2]
    r = ui.post("/_sim/ui/faults/clear", data={"csrf": csrf, "id": "99"})
    assert "refused (404" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    r = ui.post("/_sim/ui/faults/clear", data={"csrf": csrf})
    assert "deleted 1 fault rule(s)" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert sim.control("GET", "/faults").json["faults"] == []
    assert ui.post("/_sim/ui/faults/clear", data={"csrf": "forged"}).status_code == 403


def test_throttling_mode_switch(ui, sim):
    page = ui.get("/_sim/ui/faults").get_data(as_text=True)
    assert 'id="throttle"' in page and ">off</span>" in page
    r = ui.post("/_sim/ui/throttle", data={"csrf": csrf_of(ui), "mode": "strict"})
    assert "throttling strict" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert sim.control("GET", "/throttle").json["mode"] == "strict"
    r = ui.post("/_sim/ui/throttle", data={"csrf": csrf_of(ui), "mode": "fast"})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (400" in text and "field: mode" in text
    assert sim.control("GET", "/throttle").json["mode"] == "strict"


def test_journal_marks_applied_faults_as_the_journal_records_them(app, ui):
    from simulator import journal
    with app.extensions["ajio_sim"].store.write() as conn:
        journal.record(conn, at=T0, pob_id="DVFAULT1", method="GET", path="/ds/orders/pendency", query="",
                       status=503, duration_ms=1, request_body=None, response_body="{}", entity_ids=[], limit=1000,
                       faults=[{"rule_id": 7, "name": "x", "kind": "status", "status": 503, "phase": "before"}])
        journal.record(conn, at=T0, pob_id="DVFAULT1", method="GET", path="/ds/products", query="",
                       status=200, duration_ms=1, request_body=None, response_body="{}", entity_ids=[], limit=1000)
    html = ui.get("/_sim/ui/journal?pob_id=DVFAULT1").get_data(as_text=True)
    assert "fault: status (rule 7): status=503, phase=before" in html
    only = ui.get("/_sim/ui/journal?only=faults").get_data(as_text=True)
    assert re.findall(r"<code>(\w+ [^<?]+)", only) == ["GET /ds/orders/pendency"]


def test_find_jumps_to_an_order_or_a_return(ui, sim):
    pob = sim.seller()
    (order_id,) = sim.place(pob["pob_id"], 1)
    sim.to_status(pob, order_id, "DISPATCHED")
    return_id = sim.control("POST", f"/orders/{order_id}/rto", {}, expect=201).json["return_order_id"]
    assert ui.get(f"/_sim/ui/find?q={order_id}").headers["Location"] == f"/_sim/ui/orders/{order_id}"
    assert ui.get(f"/_sim/ui/find?q=%20{return_id}%20").headers["Location"] == f"/_sim/ui/returns/{return_id}"
    missing = ui.get("/_sim/ui/find?q=FN404")
    assert missing.status_code == 404 and b"no order or return with id" in missing.data


def test_a_jit_purchase_order_shows_through_the_same_pages(ui, sim):
    pob = sim.seller(model="jit")
    po_ids = sim.place(pob["pob_id"], 2)
    html = ui.get("/_sim/ui/orders?model=jit").get_data(as_text=True)
    assert "2 matching" in html and all(po in html for po in po_ids)
    assert "0 matching" in ui.get("/_sim/ui/orders?model=ds").get_data(as_text=True)
    page = ui.get(f"/_sim/ui/orders/{po_ids[0]}").get_data(as_text=True)
    assert "model-jit" in page and re.findall(r'data-event="([^"]+)"', page) == []  # JIT: no customer events
    timeline = page[page.index('id="timeline"'):page.index("</table>", page.index('id="timeline"'))]
    assert [t["cause"] for t in sim.state(po_ids[0])["timeline"]][0] in timeline
    r = ui.post(f"/_sim/ui/orders/{po_ids[0]}/events/customer-cancel", data={"csrf": csrf_of(ui)})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (409 ILLEGAL_TRANSITION)" in text and "JIT has no customer cancellation" in text
    assert "rule: JIT-NO-CUSTOMER-CANCEL: A JIT purchase order has no acknowledgement step" in text


def test_missing_order_is_a_404_page():
    client = create_app({"db_url": "sqlite://", "frozen_at": T0}).test_client()
    r = client.get("/_sim/ui/orders/FN000")
    assert r.status_code == 404 and b"order FN000 not found" in r.data


@pytest.fixture
def guarded():
    app = create_app({"db_url": "sqlite://", "seed": 7, "frozen_at": T0, "admin_token": "s3cret-token"})
    return app


def test_admin_token_login_form_sets_a_cookie_that_is_not_the_token(guarded):
    ui = guarded.test_client()
    r = ui.get("/_sim/ui/orders?status=CREATED")
    assert r.status_code == 302 and "/_sim/ui/login" in r.headers["Location"]
    assert ui.get("/_sim/ui/static/ui.css").status_code == 200  # assets need no login
    page = ui.get(r.headers["Location"])
    assert page.status_code == 200 and b'id="clock"' not in page.data  # nothing of the world before login
    csrf = csrf_of(ui)
    bad = ui.post("/_sim/ui/login", data={"csrf": csrf, "token": "wrong", "next": "/_sim/ui/orders?status=CREATED"})
    assert bad.status_code == 401 and b"wrong admin token" in bad.data
    assert ui.post("/_sim/ui/login", data={"token": "s3cret-token"}).status_code == 403  # no CSRF token
    evil = ui.post("/_sim/ui/login", data={"csrf": csrf, "token": "s3cret-token", "next": "https://evil.example/"})
    assert evil.headers["Location"] == "/_sim/ui/"
    ok = ui.post("/_sim/ui/login", data={"csrf": csrf, "token": "s3cret-token",
                                         "next": "/_sim/ui/orders?status=CREATED"})
    assert ok.status_code == 303 and ok.headers["Location"] == "/_sim/ui/orders?status=CREATED"
    cookie = ui.get_cookie("ajio_sim_ui", path="/_sim/ui")
    assert cookie is not None and "s3cret-token" not in cookie.value and cookie.http_only
    assert b'id="clock"' in ui.get("/_sim/ui/orders").data
    # the dashboard's own calls to /_sim carry the token
    r = ui.post("/_sim/ui/sellers", data={"csrf": csrf, "model": "ds"})
    assert "created POB" in flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    ui.post("/_sim/ui/logout", data={"csrf": csrf})
    assert ui.get("/_sim/ui/orders").status_code == 302


def test_admin_token_header_also_opens_the_dashboard_and_posts_need_it(guarded):
    ui = guarded.test_client()
    assert ui.get("/_sim/ui/", headers={"X-Admin-Token": "s3cret-token"}).status_code == 200
    assert ui.get("/_sim/ui/", headers={"X-Admin-Token": "nope"}).status_code == 302
    csrf = csrf_of(ui)
    r = ui.post("/_sim/ui/reset", data={"csrf": csrf, "confirm": "RESET"})
    assert r.status_code == 401
    sim = Sim(FlaskTransport(guarded.test_client()))
    assert sim.control("GET", "/sellers").status == 401  # the JSON control plane stays guarded too


def test_reset_needs_confirmation(ui, sim):
    sim.seller()
    csrf = csrf_of(ui)
    ui.post("/_sim/ui/reset", data={"csrf": csrf, "confirm": "yes"})
    assert len(sim.control("GET", "/sellers").json["sellers"]) == 1
    ui.post("/_sim/ui/reset", data={"csrf": csrf, "confirm": "RESET"})
    assert sim.control("GET", "/sellers").json["sellers"] == []


def test_pages_on_both_engines(db_url):
    """The dashboard's own queries (keyset paging, counts, the journal and its entity index) on SQLite
    and on PostgreSQL: every page a QA engineer walks through answers, and shows the order."""
    app = create_app({"db_url": db_url, "seed": 7, "frozen_at": T0})
    sim = Sim(FlaskTransport(app.test_client()))
    ui = app.test_client()
    pob = sim.seller()
    ids = sim.place(pob["pob_id"], 60)  # more than a page (50)
    sim.to_status(pob, ids[0], "DELIVERED")
    html = ui.get(f"/_sim/ui/orders?pob_id={pob['pob_id']}&status=CREATED").get_data(as_text=True)
    assert "59 matching" in html and 'rel="next"' in html
    nxt = re.search(r'<a href="([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    assert ui.get(nxt).status_code == 200
    page = ui.get(f"/_sim/ui/orders/{ids[0]}").get_data(as_text=True)
    assert "DELIVERED" in page and f"/ds/orders/{ids[0]}/invoice" in page
    for path in ("/_sim/ui/", "/_sim/ui/returns", "/_sim/ui/journal", f"/_sim/ui/journal?pob_id={pob['pob_id']}"):
        assert ui.get(path).status_code == 200, path
    app.extensions["ajio_sim"].store.engine.dispose()


def _dispatched(sim) -> str:
    pob = sim.seller()
    (order_id,) = sim.place(pob["pob_id"], 1)
    sim.to_status(pob, order_id, "DISPATCHED")
    return order_id


def test_failed_delivery_attempt_form_sends_its_reason_and_shows_the_tracking(ui, sim):
    order_id = _dispatched(sim)
    page = ui.get(f"/_sim/ui/orders/{order_id}").get_data(as_text=True)
    assert re.findall(r'data-event="([^"]+)"', page) == sim.state(order_id)["allowed_world_events"]
    assert '<select name="reason"' in page and "<option>REFUSED</option>" in page
    assert 'id="tracking"' in page and "PICKED_UP" in page and "(planned)" in page
    r = ui.post(f"/_sim/ui/orders/{order_id}/events/delivery-attempt", data={"csrf": csrf_of(ui), "reason": "REFUSED"})
    page = ui.get(r.headers["Location"]).get_data(as_text=True)
    assert "Failed delivery attempt: done" in flash(page)
    last = sim.state(order_id)["tracking"]["events"][-1]
    assert (last["status"], last["reason"]) == ("DELIVERY_ATTEMPTED", "REFUSED")
    tracking = page[page.index('id="tracking"'):page.index("</table>", page.index('id="tracking"'))]
    assert "DELIVERY_ATTEMPTED" in tracking and "REFUSED" in tracking


def test_courier_scan_form_refusal_names_the_field(ui, sim):
    order_id = _dispatched(sim)
    r = ui.post(f"/_sim/ui/orders/{order_id}/events/scan", data={"csrf": csrf_of(ui), "milestone": "DELIVERED"})
    text = flash(ui.get(r.headers["Location"]).get_data(as_text=True))
    assert "refused (400 VALIDATION_FAILED)" in text and "milestone" in text
    r = ui.post(f"/_sim/ui/orders/{order_id}/events/scan", data={"csrf": csrf_of(ui), "milestone": "IN_TRANSIT"})
    assert sim.state(order_id)["tracking"]["shipment_status"] == "IN_TRANSIT"
