"""contracts/jit.py is the one definition of /jit: every route has its operation, and answers carry only schema fields."""
from __future__ import annotations

import re

from contracts import jit as c
from simulator.app import create_app


def test_every_jit_route_has_an_operation_named_like_its_view():
    app = create_app({"db_url": "sqlite://"})
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/jit/") and not rule.rule.endswith("/authToken"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes[(method, path)] = rule.endpoint.split(".")[-1]
    assert set(routes) == set(c.OPERATIONS)
    for key, endpoint in routes.items():
        assert c.OPERATIONS[key][0] == endpoint, key


def _lost_keys(data, dumped, path="") -> list[str]:
    if isinstance(data, dict):
        out = [f"{path}.{k}" for k in data if k not in dumped]
        for k in data:
            if k in dumped:
                out += _lost_keys(data[k], dumped[k], f"{path}.{k}")
        return out
    if isinstance(data, list):
        return [p for d, x in zip(data, dumped) for p in _lost_keys(d, x, path + "[]")]
    return []


def test_answers_lose_no_field_through_their_schema(monkeypatch, sim):
    """Whatever the domain answers, its schema declares: the contract is the whole shape, nothing is dropped."""
    import simulator.api.jit as views
    from fixtures.jitworld import JitWorld

    seen = []
    real = views.respond

    def recording(schema, data, status=200):
        seen.append((type(schema).__name__, _lost_keys(data, schema.dump(data))))
        return real(schema, data, status)

    monkeypatch.setattr(views, "respond", recording)
    world = JitWorld.new(sim, einvoicing=True, einvoicing_username="u", einvoicing_password="p")
    sku = world.skus(1)[0]
    po = world.raise_po([(sku, 3)])
    world.ok("GET", "/products")
    world.ok("GET", "/orders/pendency")
    world.ok("POST", f"/orders/{po}/prepack", {"box_ids": ["B0"]})
    world.ok("POST", f"/orders/{po}/cancel", {"lines": [{"order_item_id": world.line_ids(po)[0], "quantity": 1}]})
    world.ok("PUT", f"/orders/{po}/invoice", {})
    world.delivered(po)
    world.ok("POST", "/inventory", {"inventory": [{"sku": sku, "quantity": 1}]})
    world.ok("GET", "/inventory")
    world.raise_po([(sku, 5)])
    world.ok("GET", "/backorders")
    world.sim.control("POST", f"/orders/{po}/customer-return", {}, expect=201)
    world.ok("GET", "/returns")
    world.jit("POST", "/orders/dispatch", {"dispatchItems": [{"masterAWB": "x", "orderId": "y", "invoiceNo": "z"}]})
    names = {name for name, _ in seen}
    assert names >= {"JitProductsAnswer", "JitOrdersAnswer", "JitPrepackAnswer", "JitOrder", "JitInvoiceAnswer",
                     "JitPackAnswer", "JitDispatchAnswer", "JitInventoryPushAnswer", "JitInventoryAnswer",
                     "JitBackordersAnswer", "JitReturnsAnswer"}
    assert [(name, lost) for name, lost in seen if lost] == []
