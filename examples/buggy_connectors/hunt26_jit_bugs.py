"""Blind hunt 26, JIT: six bugs a JIT connector team plausibly ships, each the reference with one method (or
hook) changed. Each docstring names the rule it breaks and the ordinary situation that shows it."""
from __future__ import annotations

from datetime import datetime

from ajio_client import AjioClient
from jit_connector import IST, JitConnector


class ReservesPackedUntilPickup(JitConnector):
    """JIT-PO-PROCESSED (too much): the team believes the warehouse's count keeps a packed PO's units until the
    courier takes them, so the units of every PO packed or manifested and not yet dispatched are held back again
    when a new PO is picked. The warehouse's count already dropped at the pack: a new PO on that SKU is
    seller-cancelled for units the warehouse has."""

    def allocated(self, sku: str) -> int:
        held = sum(line["open"] for po_id, mine in getattr(self, "reserving", {}).items()
                   if mine["stage"] in ("invoiced", "picking") and po_id != self.picking_for
                   for line in mine.get("lines", ()) if line["sku"] == sku)
        at_dock = sum(line["open"] for mine in self.state.orders.values() if mine["stage"] in ("packed", "manifested")
                      for line in mine.get("lines", ()) if line["sku"] == sku)
        return held + at_dock


class PushesChangedBlocks(JitConnector):
    """JIT-INVENTORY-PUSH (too much): the catalogue is cut into blocks of 50 SKUs and a block is pushed whole
    whenever one of its SKUs changed; every unchanged SKU of that block is pushed again with it."""

    def push_inventory(self) -> None:
        skus = self.pulled_skus()
        for start in range(0, len(skus), self.INVENTORY_BATCH):
            block = skus[start:start + self.INVENTORY_BATCH]
            if any(self.state.inventory.get(sku) != self.warehouse.available(sku) for sku in block):
                self.push_inventory_batch([{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in block])


class HeadersOnceClient(AjioClient):
    def headers_of_call(self, headers, auth):
        built = {**(headers or {}), **({"apiKey": self._token()} if auth else {})}
        return lambda: built   # built once per call: the attempt after a re-login still carries the old token


class StaleTokenOnReloginRetry(JitConnector):
    """AUTH-TOKEN-30-MIN (too little): a call's headers are built once, before its first attempt. A token AJIO
    refuses as expired (401) is renewed, but the call is sent again with the expired one, refused again, and fails:
    the phase it belongs to is lost for that sync."""
    client_class = HeadersOnceClient


class WritesNotRetriedClient(AjioClient):
    def may_retry(self, method, failure, attempt, limit):
        if method != "GET" and getattr(failure, "status_code", 0) >= 500:
            return False   # "never repeat a write AJIO may have applied": a 5xx on a POST or PUT is given up at once
        return super().may_retry(method, failure, attempt, limit)


class WritesNotRetriedOn5xx(JitConnector):
    """API-RETRY-TRANSIENT (too little): for fear of doing a change twice, a 5xx answered to a POST or PUT (invoice,
    pack, dispatch, inventory, cancel) is never retried in the sync; only reads are. AJIO answers an identical repeat
    with the first result, so a passing 503 costs the PO a whole sync."""
    client_class = WritesNotRetriedClient


class ReturnsMonthBackOn31st(JitConnector):
    """JIT-RETURNS-CONFIRMED (clock edge): the first returns pull looks one calendar month back, computed by
    replacing the month (January handled: December of the year before). On the 29th to 31st of a month whose
    previous month has no such day (29 to 31 March, 31 May, July, October,
    December), `replace` raises: the
    connector dies at its returns pull at every sync of that day and the returns wait for the next day."""

    def returns_since(self, now: int) -> int:
        if "returns_pulled_at" in self.state.extra:
            return super().returns_since(now)
        day = datetime.fromtimestamp(now, IST)
        back = day.replace(year=day.year - 1, month=12) if day.month == 1 else day.replace(month=day.month - 1)
        return int(back.timestamp()) - 86400


class BackordersOnceADay(JitConnector):
    """JIT-BACKORDER-PULL (too little): the back-order pull is taken for a daily report, pulled with the first sync
    of the seller's day; demand from POs raised later that day (above AJIO's stock) is not pulled until tomorrow."""

    def pull_backorders(self) -> None:
        if self.state.extra.get("backorders_day") == self.today():
            return
        super().pull_backorders()
        self.state.extra["backorders_day"] = self.today()
