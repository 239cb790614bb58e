"""A small HTTP client of the control plane (/_sim), shared by the QA CLI and the pytest plugin.

It speaks only the pinned JSON surface, so it drives any running simulator (local, CI, remote).
"""
from __future__ import annotations

import os
from urllib.parse import quote

import requests

from contracts.durations import parse_duration

DEFAULT_BASE_URL = "http://127.0.0.1:8080"

class SimError(Exception):
    """The simulator refused a call: AJIO's error body (error_message, error_code, field, rule)."""

    def __init__(self, status: int, body: dict | None, method: str, path: str) -> None:
        self.status = status
        self.body = body if isinstance(body, dict) else {}
        self.method = method
        self.path = path
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return str(self.body.get("error_message") or f"HTTP {self.status} on {self.method} {self.path}")

    @property
    def rule(self) -> str | None:
        return self.body.get("rule")

    @property
    def field(self) -> str | None:
        return self.body.get("field")

    @property
    def code(self) -> str | None:
        return self.body.get("error_code")


class Unreachable(Exception):
    """No simulator answered at the base URL."""


class SimClient:
    """Control-plane calls by name; every refusal raises SimError with AJIO's message and rule."""

    def __init__(self, base_url: str | None = None, admin_token: str | None = None, timeout: float = 30) -> None:
        self.base_url = (base_url or os.environ.get("AJIO_SIM_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.admin_token = admin_token if admin_token is not None else os.environ.get("AJIO_SIM_ADMIN_TOKEN")
        self.timeout = timeout
        self.session = requests.Session()
        if self.admin_token:
            self.session.headers["X-Admin-Token"] = self.admin_token

    def call(self, method: str, path: str, body: dict | None = None, params: dict | None = None):
        url = self.base_url + "/_sim" + path
        try:
            r = self.session.request(method, url, json=body, params=params, timeout=self.timeout)
        except requests.ConnectionError as exc:
            raise Unreachable(f"no simulator answers at {self.base_url} ({exc.__class__.__name__}); "
                              f"is `ajio-sim serve` running there?") from None
        try:
            data = r.json()
        except ValueError:
            data = None
        if r.status_code >= 400:
            raise SimError(r.status_code, data, method, "/_sim" + path)
        return data

    # sellers and orders
    def create_seller(self, model: str = "ds", **settings) -> dict:
        return self.call("POST", "/sellers", {"model": model, **settings})

    def sellers(self) -> list[dict]:
        return self.call("GET", "/sellers")["sellers"]

    def create_orders(self, pob_id: str, count: int = 1, **kw) -> list[str]:
        return self.call("POST", "/orders", {"pob_id": pob_id, "count": count, **kw})["order_ids"]

    def orders(self, **filters) -> dict:
        return self.call("GET", "/orders", params={k: v for k, v in filters.items() if v is not None})

    def order(self, order_id: str) -> dict:
        return self.call("GET", f"/orders/{quote(order_id, safe='')}")

    def order_event(self, order_id: str, event: str, body: dict | None = None) -> dict:
        """A world event on an order: customer-cancel, pickup, deliver, rto, customer-return."""
        return self.call("POST", f"/orders/{quote(order_id, safe='')}/{quote(event, safe='')}", body or {})

    def return_order(self, return_order_id: str) -> dict:
        return self.call("GET", f"/returns/{quote(return_order_id, safe='')}")

    def return_event(self, return_order_id: str, event: str) -> dict:
        return self.call("POST", f"/returns/{quote(return_order_id, safe='')}/{quote(event, safe='')}", {})

    # clock
    def clock(self) -> dict:
        return self.call("GET", "/clock")

    def advance(self, duration) -> dict:
        seconds = duration if isinstance(duration, int) else parse_duration(duration)
        return self.call("POST", "/clock/advance", {"seconds": seconds})

    def set_clock(self, now: int) -> dict:
        return self.call("POST", "/clock/set", {"now": now})

    def freeze(self, frozen: bool = True) -> dict:
        return self.call("POST", "/clock/freeze", {"frozen": frozen})

    # fault rules (/_sim/faults): {"match": {...}, "effects": [{"kind": ...}], "times"?, "probability"?}
    def faults(self) -> list[dict]:
        return self.call("GET", "/faults")["faults"]

    def add_fault(self, rule: dict | None = None, **fields) -> dict:
        return self.call("POST", "/faults", {**(rule or {}), **fields})

    def clear_faults(self, rule_id: int | None = None) -> int:
        """Delete one rule, or every rule; answers how many were deleted."""
        path = "/faults" if rule_id is None else f"/faults/{int(rule_id)}"
        return self.call("DELETE", path)["deleted"]

    # VMS: the simulated layer's acknowledgement hold, the ERP postings and their dead letters
    def release_ack(self, order_id: str) -> dict:
        return self.call("POST", f"/vms/orders/{quote(order_id, safe='')}/release-ack", {})

    def erp_postings(self, **filters) -> list[dict]:
        return self.call("GET", "/erp/postings", params={k: v for k, v in filters.items() if v is not None})["postings"]

    def dead_letters(self, pob_id: str | None = None) -> list[dict]:
        params = {"pob_id": pob_id} if pob_id else None
        return self.call("GET", "/erp/dead-letters", params=params)["dead_letters"]

    def redeliver(self, posting_id: int | None = None, pob_id: str | None = None) -> list[int]:
        """One dead letter by id, or every dead letter of a POB; answers the ids sent back to the queue."""
        if posting_id is not None:
            return self.call("POST", f"/erp/postings/{int(posting_id)}/redeliver", {})["redelivered"]
        return self.call("POST", "/erp/redeliver", {"pob_id": pob_id})["redelivered"]

    def deliver_postings(self) -> dict:
        return self.call("POST", "/erp/deliver", {})

    # journal and world
    def journal(self, **filters) -> list[dict]:
        return self.call("GET", "/journal", params={k: v for k, v in filters.items() if v is not None})["entries"]

    def reset(self) -> None:
        self.call("POST", "/reset", {})

    def health(self) -> dict:
        return self.call("GET", "/health")


# Line columns worth a glance, whatever the model calls them (DS, JIT and VMS lines differ).
_LINE_KEYS = ("order_item_id", "return_item_id", "sku", "sku_code", "channelSkuCode", "ordered_quantity", "quantity",
              "return_quantity", "confirmed_quantity", "customer_cancelled_qty", "seller_cancelled_qty",
              "seller_short_picked_qty", "cancelled_quantity", "cancelled_return_quantity", "unit_price", "mrp")


def line_columns(lines: list[dict]) -> list[str]:
    """The columns a table of order or return lines shows: the known key fields, else the first scalars."""
    present = {k for line in lines for k, v in line.items() if not isinstance(v, (dict, list))}
    cols = [k for k in _LINE_KEYS if k in present]
    cols += sorted(k for k in present if k not in cols and (k.endswith("_qty") or k.endswith("quantity")))
    if len(cols) < 2:
        seen: list[str] = []
        for line in lines:
            seen.extend(k for k, v in line.items() if not isinstance(v, (dict, list)) and k not in seen)
        cols = seen[:8]
    return cols
