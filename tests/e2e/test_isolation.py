"""Security, generated from the Flask URL map: POB isolation, tokens, the admin token, size limit, no traces.

Every AJIO-facing route (the JOURNALED blueprints but login) is probed: without a token and with
an expired one it answers 401; with another POB's ids it answers exactly as for ids that do not
exist (404 where the id is in the path). The ERP layer `/ajio-vms` authenticates by the authUsername/
authPassword headers (seed 002) instead: missing or wrong credentials are a 401 naming the header, and another
seller's PO, return or RSI is as unknown as none. A route this file has no probe for fails the test, so a
new route cannot slip in unchecked. Runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from api.dsworld import PARCEL, World

from fixtures.jitworld import JitWorld
from fixtures.simclient import T0, FlaskTransport, HttpTransport, ServerProcess, Sim
from fixtures.vmsworld import PDF_B64, VmsWorld, zoned
from simulator.app import JOURNALED, create_app

PUBLIC = {"auth"}  # logging in needs no token, by definition
TRACE = re.compile(r"Traceback|File \"|line \d+, in |sqlalchemy|psycopg|sqlite3", re.I)


@pytest.fixture
def world(db_url):
    app = create_app({"db_url": db_url, "seed": 11, "frozen_at": T0})
    sim = Sim(FlaskTransport(app.test_client()))
    victim = World.new(sim, shipping_api_access=True)
    order, return_id = victim.arrived_return()
    attacker = World.new(sim, shipping_api_access=True)
    attacker.drive("CONFIRMED")
    yield app, sim, victim, attacker, order, return_id
    app.extensions["ajio_sim"].store.engine.dispose()


@pytest.fixture
def jit_pair(world):
    """A JIT victim with a manifested PO (invoice, boxes, AWB) and a JIT attacker with a PO of its own."""
    _, sim, *_ = world
    victim, attacker = JitWorld.new(sim), JitWorld.new(sim)
    po = victim.raise_po()
    dispatch = victim.manifested(po)
    attacker.raise_po()
    state = sim.state(po)
    line = state["lines"][0]
    ids = {"order_id": po, "order_item_id": line["order_item_id"], "sku": line["sku"],
           "awb": victim.packed(po)["master_awb"], "invoice_no": victim.invoiced(po)["invoice_number"],
           "manifest_id": dispatch["manifest_id"]}
    ghost = {"order_id": "4000000000", "order_item_id": "00000000000000000", "sku": "NO-SUCH-SKU",
             "awb": "AWB0000000", "invoice_no": "INV0000000", "manifest_id": "MF0000000000"}
    return victim, attacker, ids, ghost


class _VmsAttacker:
    """A VMS POB probing /vms with its apiKey token."""

    def __init__(self, world: VmsWorld) -> None:
        self.world = world

    def relogin(self) -> None:
        self.world.login()

    @property
    def token(self) -> str:
        return self.world.token


class _ErpAttacker(_VmsAttacker):
    """The same POB probing /ajio-vms: its credentials are the authUsername/authPassword headers (seed 002)."""

    def relogin(self) -> None:
        pass

    @property
    def token(self) -> dict:
        return {"authUsername": self.world.pob["pob_id"], "authPassword": self.world.pob["password"]}


@pytest.fixture
def vms_pair(world):
    """A VMS victim (RSI model) with an order whose PO is out (not yet invoiced), a delivered order with a
    customer return that arrived (no QC yet) and an RSI issued over it; a VMS attacker with an order of its own."""
    _, sim, *_ = world
    victim, attacker = VmsWorld.create(sim, return_model="rsi"), VmsWorld.create(sim)
    delivered = victim.place(1)[0]
    out = victim.to_stage(delivered, "DELIVERED")
    rid = sim.control("POST", f"/orders/{delivered}/customer-return", {}, expect=201).json["return_order_id"]
    sim.control("POST", f"/returns/{rid}/deliver", expect=200)
    rsi_number = sim.control("POST", "/vms/rsi", {"pob_id": victim.pob["pob_id"], "return_order_ids": [rid]},
                             expect=201).json["rsiNumber"]
    open_po = victim.place(1)[0]
    po = victim.to_stage(open_po, "PO")["po"]
    attacker.login()  # the victim's waits outlived the attacker's token
    attacker.to_stage(attacker.place(1)[0], "ACKNOWLEDGED")
    ret = next(r for r in victim.returns() if r["return_order_id"] == rid)
    ids = {"order_id": open_po, "delivered_order_id": delivered, "po": po["forwardPurchaseOrder"],
           "channelSkuCode": po["lines"][0]["channelSkuCode"], "return_order_id": rid,
           "item_code": ret["items"][0]["itemCode"], "rsi_number": rsi_number,
           "invoice_no": out["invoice"]["invoiceNumber"]}
    # The probes below are not vacuous: the victim itself sees these records through both layers.
    victim.login()
    listed = victim.ok(victim.vms("GET", "/orders" + QUERIES[("GET", "/vms/orders")](ids)))["orders"]
    assert {open_po, delivered} <= {o["order_id"] for o in listed}
    assert rid in {r["return_order_id"] for r in victim.returns()}
    for via in (victim.vms("GET", "/rsi" + _RSI_WINDOW), victim.erp("GET", "/rsi" + _RSI_WINDOW)):
        assert [r["rsiNumber"] for r in victim.ok(via)["returnSalesInvoices"]] == [rsi_number]
    ghost = {"order_id": "FN0000000000", "delivered_order_id": "FN0000000001", "po": "PO0000000000",
             "channelSkuCode": "0000000000000", "return_order_id": "RT00000000", "item_code": "RI000000000000",
             "rsi_number": "3100000000", "invoice_no": "INV0000000"}
    return victim, attacker, ids, ghost


def ajio_routes(app) -> list[tuple[str, str, object]]:
    out = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.rsplit(".", 1)[0] if "." in rule.endpoint else None
        if blueprint not in JOURNALED or blueprint in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, rule.rule, rule))
    return out


def fill(rule, values: dict) -> str:
    missing = [a for a in rule.arguments if a not in values]
    if missing:
        pytest.fail(f"no probe value for path variable(s) {missing} of {rule.rule}: add them to the isolation test")
    return _build(rule.rule, values)


def _build(template: str, values: dict) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], template)


def victim_ids(sim, victim, order, return_id) -> dict:
    state = sim.state(order.order_id)
    [item] = sim.return_state(return_id)["return_order_items"][:1]
    doc = next(d for d in state["documents"] if d["kind"] == "b2b_invoice")
    return {"order_id": order.order_id, "return_order_id": return_id, "document_id": doc["document_id"],
            "return_item_id": item["return_item_id"], "order_item_id": state["lines"][0]["order_item_id"],
            "sku": state["lines"][0]["sku"], "awb": order.label["tracking_number"],
            "invoice_no": order.invoice["invoice_number"],
            "event": "customer-cancel"}  # the dashboard's world-event forms (/_sim/ui/.../events/<event>)


GHOST = {"order_id": "FN0000000000", "return_order_id": "RT00000000", "document_id": "DOC000000000000",
         "return_item_id": "RI000000000000", "order_item_id": "00000000000000000", "sku": "NO-SUCH-SKU",
         "awb": "AWB0000000", "invoice_no": "INV0000000"}

# Bodies and queries that name records: (method, rule) -> request built from a set of ids.
BODIES = {
    ("POST", "/jit/orders/<order_id>/cancel"): lambda v: {"lines": [{"order_item_id": v["order_item_id"],
                                                                     "quantity": 1}]},
    ("POST", "/jit/orders/<order_id>/invoice"): lambda v: {},
    ("PUT", "/jit/orders/<order_id>/invoice"): lambda v: {},
    ("POST", "/jit/orders/<order_id>/prepack"): lambda v: {"box_ids": ["LPN-PROBE-1"]},
    ("POST", "/jit/orders/<order_id>/pack"): lambda v: {"boxes": [{
        "box_id": "LPN-PROBE-2", "seal_id": "SEAL-PROBE-2",
        "items": [{"order_item_id": v["order_item_id"], "quantity": 1}]}]},
    ("POST", "/jit/orders/dispatch"): lambda v: {"dispatchItems": [
        {"masterAWB": v["awb"], "orderId": v["order_id"], "invoiceNo": v["invoice_no"]}]},
    ("POST", "/jit/inventory"): lambda v: {"inventory": [{"sku": v["sku"], "quantity": 5}]},
    ("POST", "/ds/orders"): lambda v: {"order_id": v["order_id"], "status": "Acknowledge", "order_lines": []},
    ("POST", "/ds/orders/<order_id>/invoice"): lambda v: {},
    ("POST", "/ds/orders/<order_id>/label"): lambda v: PARCEL,
    ("POST", "/ds/orders/dispatch"): lambda v: {"dispatchItems": [
        {"masterAWB": v["awb"], "orderId": v["order_id"], "invoiceNo": v["invoice_no"]}]},
    ("POST", "/ds/return/rto"): lambda v: {"order_id": v["order_id"], "order_items": [
        {"order_item_id": v["order_item_id"], "quantity": 1}]},
    ("POST", "/ds/returns/<return_order_id>/qc"): lambda v: {"items": [
        {"return_item_id": v["return_item_id"], "quantity": 1, "qc_code": "GOOD"}]},
    ("POST", "/ds/updateInventory"): lambda v: {"inventory": [{"sku": v["sku"], "quantity": 5}]},
}
_RSI_WINDOW = f"?rsiDateFrom={quote(zoned(T0 - 3600))}&rsiDateTo={quote(zoned(T0 + 86400))}"


def _vms_invoice(v: dict) -> dict:
    return {"invoiceNumber": v["invoice_no"], "invoiceDate": zoned(T0), "forwardPurchaseOrder": v["po"],
            "isPartialInvoice": False, "qrCode": "eyJhbGciOiJSUzI1NiJ9.qr", "irnNumber": "c46a3047f428c7ee8e2",
            "invoicePdf": PDF_B64}


def _vms_credit_note(v: dict) -> dict:
    return {"creditNoteNumber": "CNPROBE1", "returnOrderId": v["return_order_id"], "irnNumber": "1a2b3c",
            "signedQrCode": "eyJxciI6MX0", "signedCreditNotePdf": PDF_B64}


BODIES.update({
    ("POST", "/vms/orders/<order_id>/acknowledge"): lambda v: {},
    ("POST", "/vms/orders/<order_id>/b2bInvoice"): _vms_invoice,
    ("POST", "/vms/orders/<order_id>/cancel"): lambda v: {"lines": [{"channelSkuCode": v["channelSkuCode"],
                                                                      "quantity": 1}]},
    ("POST", "/vms/manifests"): lambda v: {"orderIds": [v["order_id"], v["delivered_order_id"]]},
    ("POST", "/vms/returns/rto"): lambda v: {"order_id": v["delivered_order_id"]},
    ("POST", "/vms/returns/<return_order_id>/qc"): lambda v: {"items": [
        {"itemCode": v["item_code"], "quantity": 1, "qcStatus": "PASS"}]},
    ("POST", "/vms/returns/<return_order_id>/creditNote"): _vms_credit_note,
    ("POST", "/vms/rsi/<rsi_number>/accept"): lambda v: {},
    ("POST", "/ajio-vms/b2bInvoice/posting"): _vms_invoice,
    ("POST", "/ajio-vms/creditNote/posting"): _vms_credit_note,
})
QUERIES = {("GET", "/vms/orders"): lambda v: f"?fromDate=0&toDate={T0 + 10 ** 8}&size=50",
           ("GET", "/vms/returns"): lambda v: f"?fromDate=0&toDate={T0 + 10 ** 8}&size=50",
           ("GET", "/vms/rsi"): lambda v: _RSI_WINDOW,
           ("GET", "/ajio-vms/rsi"): lambda v: _RSI_WINDOW,
           ("GET", "/ds/orders"): lambda v: f"?orderIds={v['order_id']}",
           ("GET", "/jit/orders"): lambda v: f"?orderIds={v['order_id']}",
           ("GET", "/jit/inventory"): lambda v: f"?sku={v['sku']}"}


def call(sim, method, rule, values, token):
    path = _build(rule.rule, values) + QUERIES.get((method, rule.rule), lambda v: "")(values)
    body = BODIES.get((method, rule.rule), lambda v: None)(values)
    if method in ("POST", "PUT", "PATCH") and body is None:
        pytest.fail(f"no probe body for {method} {rule.rule}: add one to the isolation test")
    headers = token if isinstance(token, dict) else ({"apiKey": token} if token else {})
    return sim.http(method, path, json_body=body, headers=headers)


def _neutral(resp, values) -> bytes:
    text = resp.content.decode("utf-8", "replace")
    for v in values.values():
        text = text.replace(v, "<id>")
    return text.encode()


def model_worlds(world, jit_pair, vms_pair):
    """blueprint -> (attacker, the victim's ids, ids of nothing): each model probed with its own credentials."""
    _, sim, victim, attacker, order, return_id = world
    jit_victim, jit_attacker, jit_ids, jit_ghost = jit_pair
    vms_victim, vms_attacker, vms_ids, vms_ghost = vms_pair
    ds = (attacker, victim_ids(sim, victim, order, return_id), GHOST)
    return {"ds": ds, "documents": ds, "jit": (jit_attacker, jit_ids, jit_ghost),
            "vms": (_VmsAttacker(vms_attacker), vms_ids, vms_ghost),
            "erp": (_ErpAttacker(vms_attacker), vms_ids, vms_ghost)}


def _world_for(worlds, rule):
    blueprint = rule.endpoint.split(".", 1)[0]
    if blueprint not in worlds:
        pytest.fail(f"no attacker/victim world for blueprint {blueprint!r} ({rule.rule}): add one to the isolation test")
    return worlds[blueprint]


def test_every_ajio_route_refuses_another_pobs_ids(world, jit_pair, vms_pair):
    app, sim, victim, attacker, order, return_id = world
    worlds = model_worlds(world, jit_pair, vms_pair)
    routes = ajio_routes(app)
    assert len(routes) >= 13 + 13
    before = sim.state(jit_pair[2]["order_id"])
    vms_before = vms_snapshot(sim, vms_pair)
    for method, _, rule in routes:
        attacker, theirs, nothing = _world_for(worlds, rule)
        attacker.relogin()
        got = call(sim, method, rule, theirs, attacker.token)
        ghost = call(sim, method, rule, nothing, attacker.token)
        where = f"{method} {rule.rule}"
        if rule.arguments:
            assert got.status == 404, (where, got.status, got.content[:300])
        if rule.endpoint.startswith("erp.") and method == "POST":
            # The ERP postings name records in the body: refused as unknown, naming the body's field.
            body = BODIES[(method, rule.rule)](theirs)
            assert got.status == 404 and got.json["field"] in body, (where, got.status, got.content[:300])
        # Another POB's record is indistinguishable from one that does not exist.
        assert (got.status, _neutral(got, theirs)) == (ghost.status, _neutral(ghost, nothing)), where
        # Nothing of the victim's comes back beyond what the request itself named.
        sent = _build(rule.rule, theirs) + QUERIES.get((method, rule.rule), lambda v: "")(theirs) + json.dumps(
            BODIES.get((method, rule.rule), lambda v: {})(theirs))
        for v in theirs.values():
            assert v in sent or v not in got.content.decode("utf-8", "replace"), (where, v)
    # ... and nothing the attackers sent changed the victims' records.
    assert sim.state(order.order_id)["status"] == "DELIVERED"
    after = sim.state(jit_pair[2]["order_id"])
    assert (after["status"], after["version"]) == (before["status"], before["version"])
    assert vms_snapshot(sim, vms_pair) == vms_before


def vms_snapshot(sim, vms_pair) -> dict:
    """The VMS victim's records as AJIO keeps them: its orders, its return, its RSI and the ERP postings."""
    victim, _, ids, _ = vms_pair
    victim.login()
    orders = victim.ok(victim.vms("GET", "/orders" + QUERIES[("GET", "/vms/orders")](ids)))["orders"]
    returns = victim.returns()
    rsi = sim.control("GET", f"/vms/rsi/{ids['rsi_number']}", expect=200).json
    return {"orders": orders, "returns": returns, "rsi": rsi}


def test_every_ajio_route_refuses_missing_and_expired_tokens(world, jit_pair, vms_pair):
    app, sim, victim, attacker, order, return_id = world
    worlds = model_worlds(world, jit_pair, vms_pair)
    expired = {name: w[0].token for name, w in worlds.items()}
    sim.advance(31 * 60)  # API.md: tokens live 30 minutes
    for method, _, rule in ajio_routes(app):
        if rule.endpoint.split(".", 1)[0] == "erp":
            continue  # no token: the ERP layer's own credentials, test_erp_layer_refuses_bad_credentials
        _, theirs, _ = _world_for(worlds, rule)
        for token, why in ((None, "missing"), ("not-a-token", "unknown"),
                           (expired[rule.endpoint.split(".", 1)[0]], "expired")):
            r = call(sim, method, rule, theirs, token)
            assert r.status == 401, (method, rule.rule, why, r.status, r.content[:300])
            assert r.json["error_code"] == "UNAUTHORIZED" and r.json["field"] == "apiKey"


def test_erp_layer_refuses_bad_credentials(world, jit_pair, vms_pair):
    """Seed 002: /ajio-vms authenticates by authUsername/authPassword; missing, wrong or another model's
    credentials (or an apiKey token instead) are a 401 naming the header."""
    app, sim, ds_victim, ds_attacker, *_ = world
    vms_victim, vms_attacker, ids, _ = vms_pair
    routes = [(m, r) for m, _, r in ajio_routes(app) if r.endpoint.startswith("erp.")]
    assert len(routes) == 3, routes
    pob = vms_attacker.pob
    cases = [({}, "authUsername"), ({"authUsername": pob["pob_id"]}, "authPassword"),
             ({"authPassword": pob["password"]}, "authUsername"),
             ({"authUsername": pob["pob_id"], "authPassword": pob["password"] + "x"}, "authPassword"),
             ({"authUsername": pob["pob_id"], "authPassword": vms_victim.pob["password"]}, "authPassword"),
             ({"authUsername": "NOSUCHPOB", "authPassword": pob["password"]}, "authPassword"),
             ({"authUsername": ds_attacker.pob["pob_id"], "authPassword": ds_attacker.pob["password"]},
              "authUsername"),
             ({"apiKey": vms_attacker.token}, "authUsername")]
    for method, rule in routes:
        for headers, field in cases:
            r = call(sim, method, rule, ids, headers)
            assert r.status == 401, (method, rule.rule, headers, r.status, r.content[:300])
            assert r.json["error_code"] == "UNAUTHORIZED" and r.json["field"] == field, (rule.rule, headers, r.json)
            assert not TRACE.search(r.content.decode("utf-8", "replace"))


# Path values for the size and garbage probes: the DS victim's ids plus VMS ids of nothing (an RSI number, and
# a POB id for the VMS control routes, an ERP posting id).
VMS_PATH_GHOSTS = {"rsi_number": "3100000000", "pob_id": "NOSUCHPOB", "posting_id": "999999"}


def all_body_routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            if rule.endpoint != "static":
                yield method, rule


def test_every_body_over_the_limit_gets_413(world):
    app, sim, victim, attacker, order, return_id = world
    limit = app.extensions["ajio_sim"].config.max_body_bytes
    values = {**VMS_PATH_GHOSTS, **victim_ids(sim, victim, order, return_id)}
    vms = VmsWorld.create(sim)
    erp = {"authUsername": vms.pob["pob_id"], "authPassword": vms.pob["password"]}
    for method, rule in all_body_routes(app):
        # Each model's credentials: an over-size body is refused whoever sends it (and before any auth).
        for headers in ({"apiKey": attacker.token}, {"apiKey": vms.token}, erp, {}):
            r = sim.http(method, _build(rule.rule, values), data=b"{" + b" " * limit + b"}",
                         headers={**headers, "Content-Type": "application/json"})
            assert r.status == 413, (method, rule.rule, headers, r.status)
            assert r.json["error_code"] == "PAYLOAD_TOO_LARGE"


GARBAGE = [b"not json", b"[1, 2]", b'{"a": ' * 3000, b'{"order_id": 1e999999}', b'{"\\ud800": "x"}',
           "{\"order_id\": \"\u202e\u0000\"}".encode(), b'{"items": [{"quantity": 99999999999999999999999}]}']


def test_no_stack_trace_reaches_a_client(world, monkeypatch):
    app, sim, victim, attacker, order, return_id = world
    values = {**VMS_PATH_GHOSTS, **victim_ids(sim, victim, order, return_id)}
    vms = VmsWorld.create(sim)
    erp = {"authUsername": vms.pob["pob_id"], "authPassword": vms.pob["password"]}
    # An unexpected failure deep inside answers a plain 500 body: no trace, no internals.
    from simulator.domain.ds import orders as domain_orders

    def broken(*_a, **_k):
        raise RuntimeError("secret internals at /srv/x.py line 3")
    monkeypatch.setattr(domain_orders, "get_pendency", broken)
    r = attacker.ds("GET", "/orders/pendency")
    assert r.status == 500 and r.json["error_code"] == "INTERNAL_ERROR"
    assert "secret" not in r.content.decode() and not TRACE.search(r.content.decode())
    # Garbage to every body-taking route (last: POST /_sim/reset takes no body and resets the world).
    for method, rule in all_body_routes(app):
        blueprint = rule.endpoint.split(".", 1)[0]
        # Garbage reaches the body parser with the route's model's own valid credentials.
        auth = erp if blueprint == "erp" else {"apiKey": vms.token} if blueprint == "vms" else {
            "apiKey": attacker.token}
        for raw in GARBAGE:
            r = sim.http(method, _build(rule.rule, values), data=raw,
                         headers={**auth, "Content-Type": "application/json"})
            assert r.status < 500 and not TRACE.search(r.content.decode("utf-8", "replace")), (rule.rule, raw[:30])


@pytest.mark.e2e
def test_control_plane_beyond_loopback_needs_the_admin_token(db_url):
    server = ServerProcess(db_url, "--workers", "2", host="0.0.0.0")
    try:
        token = server.wait_for("admin token").split(":", 1)[1].split()[0]
        sim = Sim(HttpTransport(server.base_url))
        for path in ("/_sim/health", "/_sim/sellers", "/_sim/journal"):
            r = sim.http("GET", path)
            assert r.status == 401 and r.json["field"] == "X-Admin-Token", path
            assert sim.http("GET", path, headers={"X-Admin-Token": token + "x"}).status == 401
            assert sim.http("GET", path, headers={"X-Admin-Token": token}).status == 200
        assert sim.http("POST", "/_sim/reset").status == 401
    finally:
        server.stop()
