"""A small HTTP client of the control plane (/_sim), shared by the QA CLI and the pytest plugin.

It speaks only the pinned JSON surface, so it drives any running simulator (local, CI, remote).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

import requests

from contracts.durations import parse_duration

DEFAULT_BASE_URL = "http://127.0.0.1:8080"

# One naming for the whole toolset (CLI, `ajio-sim run`, the pytest plugin, the docs): the simulator's URL
# and its admin token. Names used before are still read, with a note saying which name to use instead.
ENV_URL = "AJIO_SIM_URL"
ENV_ADMIN_TOKEN = "AJIO_SIM_ADMIN_TOKEN"
DEPRECATED_ENV = {"AJIO_SIM_BASE_URL": ENV_URL}
_noted: set[str] = set()


def _stderr_note(message: str) -> None:
    print(f"ajio-sim: {message}", file=sys.stderr)


def env_setting(name: str, note=_stderr_note) -> str | None:
    """The environment's value for `name`, else for a deprecated name of it (noted once per process)."""
    value = os.environ.get(name)
    if value:
        return value
    for old, new in DEPRECATED_ENV.items():
        if new == name and os.environ.get(old):
            if old not in _noted:
                _noted.add(old)
                note(f"{old} is deprecated, set {new} instead (the old name is still read for now)")
            return os.environ[old]
    return None


def env_sim_url(note=_stderr_note) -> str | None:
    """$AJIO_SIM_URL (or the deprecated $AJIO_SIM_BASE_URL): a running simulator to use."""
    return env_setting(ENV_URL, note)


def env_admin_token(note=_stderr_note) -> str | None:
    return env_setting(ENV_ADMIN_TOKEN, note)


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
        self.base_url = (base_url or env_sim_url() or DEFAULT_BASE_URL).rstrip("/")
        self.admin_token = admin_token if admin_token is not None else env_admin_token()
        self.timeout = timeout
        self.session = requests.Session()
        if self.admin_token:
            self.session.headers["X-Admin-Token"] = self.admin_token

    def call(self, method: str, path: str, body: dict | None = None, params: dict | None = None,
             data: bytes | None = None, content_type: str | None = None):
        url = self.base_url + "/_sim" + path
        kwargs = {"json": body} if data is None else {"data": data, "headers": {"Content-Type": content_type}}
        try:
            r = self.session.request(method, url, params=params, timeout=self.timeout, **kwargs)
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

    def tracking(self, order_id: str) -> dict:
        """The courier's milestones of an order up to now, and what its plan holds."""
        return self.call("GET", f"/orders/{quote(order_id, safe='')}/tracking")

    def delivery_attempt(self, order_id: str, reason: str = "CUSTOMER_NOT_AVAILABLE", location: str | None = None) -> dict:
        """A failed delivery attempt now (the last one allowed starts the RTO)."""
        body = {"reason": reason, **({"location": location} if location else {})}
        return self.call("POST", f"/orders/{quote(order_id, safe='')}/delivery-attempt", body)

    def scan(self, order_id: str, milestone: str, location: str | None = None) -> dict:
        body = {"milestone": milestone, **({"location": location} if location else {})}
        return self.call("POST", f"/orders/{quote(order_id, safe='')}/scan", body)

    # timing profile and SLAs
    def timing(self) -> dict:
        return self.call("GET", "/timing")

    def set_timing(self, **settings) -> dict:
        """profile="exact"|"realistic", ack_sla, dispatch_sla (seconds or "24h"), dispatch_sla_cancel,
        max_delivery_attempts; the others stay as they are."""
        body = {k: (parse_duration(v) if k in ("ack_sla", "dispatch_sla") else v)
                for k, v in settings.items() if v is not None}
        return self.call("PUT", "/timing", body)

    # a seller's own catalogue
    def import_catalogue(self, products, *, pob_id: str | None = None, seller_id: str | None = None,
                         replace: bool = True) -> dict:
        """`products`: a list of listings (sku, ean, name, brand, size, colour, mrp, price, hsn, category,
        published?, quantity?) or the path of a .json (that list, or {"products": [...]}) or .csv file."""
        who = {k: v for k, v in {"pob_id": pob_id, "seller_id": seller_id}.items() if v is not None}
        if isinstance(products, (str, Path)):
            path = Path(products)
            if path.suffix.lower() == ".csv":
                return self.call("POST", "/catalogue", params={**who, "replace": str(replace).lower()},
                                 data=path.read_bytes(), content_type="text/csv")
            loaded = json.loads(path.read_text(encoding="utf-8"))
            products = loaded["products"] if isinstance(loaded, dict) else loaded
        return self.call("POST", "/catalogue", {**who, "products": list(products), "replace": replace})

    def publish(self, skus, *, published: bool = True, pob_id: str | None = None,
                seller_id: str | None = None) -> dict:
        who = {k: v for k, v in {"pob_id": pob_id, "seller_id": seller_id}.items() if v is not None}
        skus = [skus] if isinstance(skus, str) else list(skus)
        return self.call("POST", "/catalogue/publish", {**who, "skus": skus, "published": published})

    def return_order(self, return_order_id: str) -> dict:
        return self.call("GET", f"/returns/{quote(return_order_id, safe='')}")

    def return_event(self, return_order_id: str, event: str, body: dict | None = None) -> dict:
        return self.call("POST", f"/returns/{quote(return_order_id, safe='')}/{quote(event, safe='')}", body or {})

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
