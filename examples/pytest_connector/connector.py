"""A small Dropship connector, the kind a seller's team writes: it is what the example tests test.

It logs in (tokens live 30 minutes, no refresh: log in again on a 401), acknowledges every order in
pendency, and re-reads the orders it holds to learn of cancellations (AJIO has no "updated since").
"""
from __future__ import annotations

import requests


class DropshipConnector:
    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.username, self.password = username, password
        self.token: str | None = None
        self.known: dict[str, str] = {}  # order_id -> last status seen
        self.http = requests.Session()

    def _login(self) -> None:
        r = self.http.post(f"{self.base_url}/ds/authToken",
                           json={"username": self.username, "password": self.password}, timeout=30)
        r.raise_for_status()
        self.token = r.json()["result"]["accessToken"]

    def _call(self, method: str, path: str, **kw) -> requests.Response:
        for attempt in (1, 2):
            if self.token is None:
                self._login()
            r = self.http.request(method, self.base_url + path, headers={"apiKey": self.token}, timeout=30, **kw)
            if r.status_code == 401 and attempt == 1:  # expired: log in again, once
                self.token = None
                continue
            r.raise_for_status()
            return r
        raise AssertionError("unreachable")

    def sync_new_orders(self) -> list[str]:
        """Acknowledge every order waiting in pendency; answer their ids."""
        acknowledged = []
        while True:
            orders = self._call("GET", "/ds/orders/pendency?page=0&size=50").json()["orders"]
            if not orders:
                return acknowledged
            for order in orders:
                body = {"order_id": order["order_id"], "status": "Acknowledge", "order_lines": [
                    {"order_item_id": line["order_item_id"], "confirmed_quantity": line["ordered_quantity"],
                     "cancelled_quantity": 0} for line in order["order_lines"]]}
                self._call("POST", "/ds/orders", json=body)
                acknowledged.append(order["order_id"])
                self.known[order["order_id"]] = "CONFIRMED"

    def refresh(self) -> dict[str, str]:
        """Re-read the held orders (50 ids a call); answer {order_id: status} of those that changed."""
        changed = {}
        ids = sorted(self.known)
        for i in range(0, len(ids), 50):
            chunk = ",".join(ids[i:i + 50])
            for order in self._call("GET", f"/ds/orders?orderIds={chunk}&size=50").json()["orders"]:
                if self.known.get(order["order_id"]) != order["status"]:
                    changed[order["order_id"]] = self.known[order["order_id"]] = order["status"]
        return changed

    def po_number(self, order_id: str) -> str | None:
        order = self._call("GET", f"/ds/orders?orderIds={order_id}").json()["orders"][0]
        return order.get("po_number")
