"""Builders for the in-process Dropship API tests: one POB, its token, orders driven to a state."""
from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import dataclass, field

from pypdf import PdfReader

from contracts.rulebook import ID
from fixtures.simclient import PARCEL, Resp, Sim

PO_LAG = 1800  # Config.po_lag: the PO follows the acknowledgement after 30 minutes
TOKEN_TTL = 30 * 60  # API.md: a token lives 30 minutes
CREDIT_NOTE_DELAY = 9000  # seed 000 point 17: the credit note comes 2.5 h after putaway
DAY = 86400

STAGES = ("CREATED", "CONFIRMED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED")


def assert_error(r: Resp, status: int, *, code: str | None = None, field: str | None = None,
                 message: str | None = None, rule: str | None = None) -> dict:
    """AJIO's error body with the expected status, code, offending field, message part and rule part."""
    assert r.status == status, f"expected {status}, got {r.status}: {r.content[:600]!r}"
    assert r.mimetype == "application/json", r.headers
    body = r.json
    assert body["status"] == "FAILED", body
    assert isinstance(body["error_message"], str) and body["error_message"], body
    if code is not None:
        assert body["error_code"] == code, body
    if field is not None:
        assert body.get("field") == field, body
    if message is not None:
        assert message.lower() in body["error_message"].lower(), body
    if rule is not None:  # a rulebook id (contracts/rules/*.yaml) is compared whole, text as a part of `rule`
        if ID.fullmatch(rule):
            assert body.get("rule_id") == rule, body
            assert body.get("rule", "").startswith(f"{rule}: "), body
        else:
            assert rule in (body.get("rule") or ""), body
    return body


def jwt_part(token: str, index: int) -> dict:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def signed_qr_data(token: str) -> dict:
    """NIC's fields inside a signed QR code: a JWT whose payload's `data` is a JSON string."""
    assert token.count(".") == 2, token
    return json.loads(jwt_part(token, 1)["data"])


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF"), content[:40]
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def pdf_amount(text: str, label: str) -> str:
    """The rupee amount printed after `label` in a document's text ("Rs. 1,234.50" -> "1,234.50")."""
    match = re.search(label + r"\s*Rs\.\s*([\d,]+\.\d\d)", text)
    assert match, text
    return match.group(1)


@dataclass
class Order:
    order_id: str
    invoice: dict | None = None
    label: dict | None = None
    manifest: dict | None = None

    @property
    def dispatch_item(self) -> dict:
        return {"masterAWB": self.label["tracking_number"], "orderId": self.order_id,
                "invoiceNo": self.invoice["invoice_number"]}


@dataclass
class World:
    """A ds POB with a live token; every helper goes through the same HTTP surface a connector uses."""

    sim: Sim
    pob: dict
    token: str
    _skus: list[str] = field(default_factory=list)

    @classmethod
    def new(cls, sim: Sim, **settings) -> "World":
        pob = sim.seller(**settings)
        return cls(sim, pob, sim.login(pob))

    @property
    def pob_id(self) -> str:
        return self.pob["pob_id"]

    # -- AJIO side -------------------------------------------------------------------------
    def ds(self, method: str, path: str, body=None, **kw) -> Resp:
        return self.sim.ds(method, path, self.token, body, **kw)

    def ok(self, method: str, path: str, body=None) -> dict:
        r = self.ds(method, path, body)
        assert r.status == 200, f"{method} /ds{path} -> {r.status} {r.content[:600]!r}"
        return r.json

    def relogin(self) -> str:
        self.token = self.sim.login(self.pob)
        return self.token

    def advance(self, seconds: int) -> int:
        """Move the simulated clock and log in again (a wait may outlive the 30-minute token)."""
        now = self.sim.advance(seconds)
        self.relogin()
        return now

    def skus(self) -> list[str]:
        if not self._skus:
            products = self.ok("GET", "/products?publishedStatus=PUBLISHED&size=50")["products"]
            self._skus = [p["sku"] for p in products]
        return self._skus

    def product(self, sku: str) -> dict:
        [product] = self.ok("GET", f"/products?sku={sku}")["products"]
        return product

    def order(self, order_id: str) -> dict:
        [order] = self.ok("GET", f"/orders?orderIds={order_id}")["orders"]
        return order

    def pendency(self) -> list[dict]:
        out, page = [], 0
        while True:
            answer = self.ok("GET", f"/orders/pendency?size=50&page={page}")
            out.extend(answer["orders"])
            page += 1
            if page >= answer["page"]["totalPages"]:
                return out

    def pending(self, order_id: str) -> dict | None:
        return next((o for o in self.pendency() if o["order_id"] == order_id), None)

    def acknowledge(self, order_id: str, lines: list[dict] | None = None) -> Resp:
        return self.ds("POST", "/orders", {"order_id": order_id, "status": "Acknowledge", "order_lines": lines or []})

    # -- world side (control plane) ---------------------------------------------------------
    def place(self, count: int = 1, lines: list[dict] | None = None, carrier: str | None = None) -> list[str]:
        extra = {"lines": lines} if lines else {}
        if carrier:
            extra["carrier"] = carrier
        return self.sim.place(self.pob_id, count, **extra)

    def place_lines(self, *quantities: int) -> str:
        """One order with one line per quantity, each on its own published SKU."""
        skus = self.skus()
        [order_id] = self.place(lines=[{"sku": skus[i], "quantity": q} for i, q in enumerate(quantities)])
        return order_id

    def state(self, order_id: str) -> dict:
        return self.sim.state(order_id)

    def drive(self, target: str, count: int = 1, lines: list[dict] | None = None,
              carrier: str | None = None) -> list[Order]:
        """Place `count` orders and take each through AJIO's calls up to `target` (one PO wait for all; one
        manifest per carrier, or one for all when `carrier` makes them all ship with it)."""
        orders = [Order(i) for i in self.place(count, lines, carrier)]
        return self.drive_existing(orders, target)

    def drive_existing(self, orders: list[Order], target: str) -> list[Order]:
        stop = STAGES.index(target)
        self.relogin()  # another world's waits share the clock and may have outlived this token
        if stop >= STAGES.index("CONFIRMED"):
            for o in orders:
                r = self.acknowledge(o.order_id)
                assert r.status == 200, r.content
            self.advance(PO_LAG)
        if stop >= STAGES.index("INVOICED"):
            for o in orders:
                o.invoice = self.ok("POST", f"/orders/{o.order_id}/invoice", {})
        if stop >= STAGES.index("PACKED"):
            for o in orders:
                o.label = self.ok("POST", f"/orders/{o.order_id}/label", PARCEL)
        if stop >= STAGES.index("READY_TO_DISPATCH"):
            by_carrier: dict[str, list[Order]] = {}
            for o in orders:  # a manifest is handed to one courier (DS-MANIFEST-ONE-CARRIER)
                by_carrier.setdefault(o.label["carrier"], []).append(o)
            for group in by_carrier.values():
                manifest = self.ok("POST", "/orders/dispatch", {"dispatchItems": [o.dispatch_item for o in group]})
                assert manifest["failedDispatchItems"] == [], manifest
                for o in group:
                    o.manifest = manifest
        for step, event in (("DISPATCHED", "pickup"), ("DELIVERED", "deliver")):
            if stop >= STAGES.index(step):
                for o in orders:
                    self.sim.control("POST", f"/orders/{o.order_id}/{event}", expect=200)
        return orders

    def one(self, target: str, lines: list[dict] | None = None) -> Order:
        [order] = self.drive(target, 1, lines)
        return order

    def customer_return(self, order_id: str, lines: list[dict] | None = None) -> str:
        body = {"lines": lines} if lines else {}
        r = self.sim.control("POST", f"/orders/{order_id}/customer-return", body, expect=201)
        return r.json["return_order_id"]

    def arrived_return(self, lines: list[dict] | None = None) -> tuple[Order, str]:
        """A delivered order whose customer return has reached the seller's warehouse."""
        order = self.one("DELIVERED", lines)
        return_id = self.customer_return(order.order_id)
        self.sim.control("POST", f"/returns/{return_id}/deliver", expect=200)
        return order, return_id

    def return_items(self, return_id: str) -> list[dict]:
        return self.sim.return_state(return_id)["return_order_items"]

    def qc_all(self, return_id: str, qc_code: str = "GOOD") -> dict:
        return {"items": [{"return_item_id": i["return_item_id"], "quantity": i["return_quantity"],
                           "qc_code": qc_code} for i in self.return_items(return_id)]}

    # -- "nothing half-applied" -----------------------------------------------------------
    def snapshot(self, order_ids=(), return_ids=()) -> dict:
        """Everything a refused call could have touched, as AJIO and the control plane show it."""
        return {
            "products": self.ok("GET", "/products?size=50")["products"],
            "pendency": self.pendency(),
            "orders": {o: self.state(o) for o in order_ids},
            "returns": {r: self.sim.return_state(r) for r in return_ids},
            "all_orders": self.sim.control("GET", f"/orders?pob_id={self.pob_id}&size=50", expect=200).json,
        }
