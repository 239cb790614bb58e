"""VMS-layer bugs of the second blind VMS bug hunt that the catalogue let through (or caught under another
rule): each class is the reference VMS connector with ONE planted mistake. buggy.py lists them by name; each
fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from datetime import datetime

from ajio_client import AjioClient, AjioError
from connector import log
from vms_connector import (
    FIRST_LOOKBACK_S,
    IST,
    OVERLAP_S,
    TERMINAL,
    VmsConnector,
)


class HoldFromFirstSeen(VmsConnector):
    """Counts the 4 h hold from when the layer first fetched the order, not from the order's creation: an
    order first seen late (a sync missed, the layer down) is acknowledged late and customers keep cancelling."""

    def fetch_orders(self) -> None:
        super().fetch_orders()
        for mine in self.state.orders.values():
            mine.setdefault("seen_at", self.clock)

    def acknowledge_due(self) -> None:
        real = {}
        for oid, mine in self.state.orders.items():
            real[oid] = mine["order_date"]
            mine["order_date"] = mine.get("seen_at", mine["order_date"])
        try:
            super().acknowledge_due()
        finally:
            for oid, date in real.items():
                self.state.orders[oid]["order_date"] = date


class LinesFromFirstFetch(VmsConnector):
    """Keeps an order's lines as first fetched: later re-reads only update the status, so a customer's
    partial cancellation inside the hold is never learnt (quantities are stale)."""

    def fetch_orders(self) -> None:
        open_dates = [o["order_date"] for o in self.state.orders.values() if o["stage"] not in TERMINAL]
        start = self.meta.get("orders_to", self.clock - FIRST_LOOKBACK_S) - OVERLAP_S
        start = min([start, *open_dates])
        for order in self.client.pages("/orders", "orders", fromDate=max(0, start), toDate=self.clock):
            mine = self.state.orders.get(order["order_id"])
            if mine is None:
                mine = self.state.orders[order["order_id"]] = {"stage": "new", "order_date": order["order_date"]}
                mine["lines"] = [{"sku": l["sku"], "channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]}
                                 for l in order["order_lines"]]
                log(f"new order {order['order_id']}")
            mine["status"] = order["status"]
            if order["status"] == "CANCELLED" and mine["stage"] not in TERMINAL:
                mine["stage"] = "cancelled"
                log(f"{order['order_id']} cancelled")
            elif order["status"] == "INVOICED" and mine["stage"] == "po":
                mine["stage"] = "invoiced"
        self.meta["orders_to"] = self.clock


class AcksBeforeRefresh(VmsConnector):
    """Acknowledges due orders first and fetches orders afterwards ("acks are time-critical"): the decision
    uses the statuses of the previous sync, so a customer cancellation since then is not seen."""
    PHASES = ("acknowledge_due", "fetch_orders", "fetch_pos", "invoice", "pack", "manifest", "sync_returns",
              "accept_rsi")


class ReserveNeverReleased(VmsConnector):
    """Soft reservations are kept in the state across syncs and never released, although the warehouse's
    count already excludes what was picked: later orders look short and get cancelled."""

    def acknowledge_due(self) -> None:
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "new" or mine["status"] != "CREATED":
                continue
            if self.clock - mine["order_date"] < self.ack_hold_s:
                continue
            reserved = self.meta.setdefault("reserved", {})
            try:
                short = self.shortfall(mine, reserved)
                if short and self.remaining(mine, short) == 0:
                    self.cancel(order_id, mine, None, "nothing in stock")
                    continue
                if short:
                    self.cancel(order_id, mine, short, "short in stock before acknowledging")
                self.client.post(f"/orders/{order_id}/acknowledge", {})
                for line in mine["lines"]:
                    reserved[line["sku"]] = reserved.get(line["sku"], 0) + line["quantity"]
                mine.update(stage="acknowledged", acknowledged_at=self.clock)
                log(f"acknowledged {order_id} after the hold")
            except AjioError as exc:
                self.errors += 1
                log(f"acknowledge {order_id}: {exc}")


class HammerClient(AjioClient):
    """More retries for 5xx and transport failures, and no waiting between them: "get it done fast"."""
    RETRIES = 8
    TRANSPORT_RETRIES = 8
    MAX_BACKOFF_S = 0.0

    def retry_wait(self, response, attempt):
        if response.status_code >= 500:
            return 0.0
        return super().retry_wait(response, attempt)


class Hammers5xx(VmsConnector):
    client_class = HammerClient


class RefetchesDocumentsAtHandover(VmsConnector):
    """Re-fetches the documents (B2C invoice and label) at handover to print them for the courier, though
    it kept them at packing."""

    def manifest(self) -> None:
        for order_id in self.state.in_stage("packed"):
            try:
                docs = self.client.get(f"/orders/{order_id}/documents")
                self.client.document(docs["label_pdf_url"])
                self.client.document(docs["b2c_invoice_pdf_url"])
            except AjioError as exc:
                log(f"reprint {order_id}: {exc}")
        super().manifest()


class ReturnsForgetOpen(VmsConnector):
    """Return expectations are fetched only from where the last fetch stopped (less the overlap): a return
    created earlier whose parcel arrives days later is never read again, so its QC is never shared."""

    def returns_from(self) -> int:
        return self.meta.get("returns_to", self.clock - FIRST_LOOKBACK_S) - OVERLAP_S


class RsiSkipsPdf(VmsConnector):
    """Accepts each RSI without pulling its PDF ("the report UI has it anyway")."""

    def accept_document(self, doc: dict) -> bool:
        self.client.post(f"/rsi/{doc['rsiNumber']}/accept", {})
        log(f"RSI {doc['rsiNumber']} accepted ({len(doc['rsiLines'])} line(s))")
        return True


class OrdersSinceMidnight(VmsConnector):
    """Fetches "today's" orders (from IST midnight) plus the open ones it holds: an order created just before
    midnight and not yet seen by the last sync of the day is never fetched."""

    def fetch_orders(self) -> None:
        day = datetime.fromtimestamp(self.clock, IST).replace(hour=0, minute=0, second=0, microsecond=0)
        open_dates = [o["order_date"] for o in self.state.orders.values() if o["stage"] not in TERMINAL]
        start = min([int(day.timestamp()), *open_dates])
        self._fetch_from(start)

    def _fetch_from(self, start: int) -> None:
        for order in self.client.pages("/orders", "orders", fromDate=max(0, start), toDate=self.clock):
            mine = self.state.orders.get(order["order_id"])
            if mine is None:
                mine = self.state.orders[order["order_id"]] = {"stage": "new", "order_date": order["order_date"]}
                log(f"new order {order['order_id']}")
            mine.update(status=order["status"], lines=[
                {"sku": l["sku"], "channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]}
                for l in order["order_lines"]])
            if order["status"] == "CANCELLED" and mine["stage"] not in TERMINAL:
                mine["stage"] = "cancelled"
            elif order["status"] == "INVOICED" and mine["stage"] == "po":
                mine["stage"] = "invoiced"
        self.meta["orders_to"] = self.clock
