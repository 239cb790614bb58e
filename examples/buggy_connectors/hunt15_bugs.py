"""Bugs of the fifteenth blind Dropship/JIT hunt, on classes the catalogue had never varied: a crash between two
calls (state saved only before writes, an "in flight" mark or an outbox written before the call and trusted after a
crash), a return type AJIO adds, exactly one full page of the JIT SKU pull, and the financial-year boundary (1 April
IST) used as a floor of the returns read. Each class is the reference with ONE planted mistake. buggy.py lists them
by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

import time
from datetime import datetime

from ajio_client import PAGE_SIZE, AjioError
from connector import Connector, log
from jit_connector import IST, JitConnector

KNOWN_RETURN_TYPES = ("RTO", "CUSTOMER_RETURN")


def fy_start_ist(epoch: float) -> int:
    """The start (00:00 IST, 1 April) of the Indian financial year holding `epoch`."""
    day = datetime.fromtimestamp(epoch, IST)
    year = day.year if day.month >= 4 else day.year - 1
    return int(datetime(year, 4, 1, tzinfo=IST).timestamp())


# -- a crash between two calls --------------------------------------------------------------------------------------
class DsSavesBeforeWritesOnly(Connector):
    """API-CHANGE-SENT-ONCE: the state is saved before each WRITE (an outbox flushed before a POST/PUT leaves),
    not before every call: what a write's answer recorded is on disk only once the next write leaves. A crash at
    the read that follows a write (the invoice's PDF download, right after AJIO answered the invoice) loses the
    invoice AJIO answered: the next run invoices the order again."""

    def __init__(self, env, assume_stock=None):
        super().__init__(env, assume_stock)
        if self.client.before_call is not None:
            self.client.before_call = None
            plain = self.client.request

            def request(method, path, **kw):
                if method != "GET":            # the bug: reads leave without the state saved
                    self.save_changes()
                return plain(method, path, **kw)
            self.client.request = request


class DsAckInFlightStranded(Connector):
    """DS-ACK-WITHIN-SLA: an order is marked "acknowledging" (and the state saved) before its acknowledgement
    leaves, so that a crash never acknowledges it twice; an answer or an error puts it back where the reference
    has it. After a crash at the call the mark stays, and no phase looks at an order in that stage: never
    acknowledged (kill before: AJIO cancels it at its acknowledge_by) or never invoiced (kill after)."""

    def __init__(self, env, assume_stock=None):
        super().__init__(env, assume_stock)
        plain = self.client.post

        def post(path, body, headers=None):
            if path == "/orders" and isinstance(body, dict) and body.get("status") == "Acknowledge":
                mine = self.state.orders[body["order_id"]]
                mine["stage"] = "acknowledging"          # the bug: a stage nothing recovers after a crash
                self.state.save()
                try:
                    answer = plain(path, body, headers)
                finally:
                    mine["stage"] = "imported"
                return answer
            return plain(path, body, headers)
        self.client.post = post


class DsQcOutboxTrustedAfterCrash(Connector):
    """DS-CIR-PUTAWAY: a return's putaway is recorded (and the state saved) before the QC call leaves ("the WMS
    booked it"); an error from AJIO reverts it, so a putaway that failed is sent again. A crash before the call
    reached AJIO leaves the record: the return is taken as put away for ever, never QC'd at AJIO, never credited."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        items = [{"return_item_id": i["return_item_id"], "quantity": i["return_quantity"] - i["cancelled_return_quantity"],
                  "qc_code": code} for i in ret["return_order_items"]
                 if i["return_quantity"] - i["cancelled_return_quantity"] > 0]
        mine.update(stage="put_away", qc_code=code, units=sum(i["quantity"] for i in items))
        self.state.save()                                    # the bug: trusted after a crash
        try:
            self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        except AjioError:
            mine["stage"] = "seen"
            raise
        log(f"put away {ret['return_order_id']}: {code}")


class JitPushOutboxTrustedAfterCrash(JitConnector):
    """JIT-INVENTORY-PUSH: the quantities of an inventory push are written to the record of AJIO's stock (and the
    state saved) before the call ("optimistic"); an error from AJIO puts the old record back, so a failed push is
    sent again. A crash before the call reached AJIO keeps the record: the change is taken as pushed and never
    sent, AJIO keeps selling the old count."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        before = {line["sku"]: self.state.inventory.get(line["sku"]) for line in lines}
        self.state.inventory.update({line["sku"]: line["quantity"] for line in lines})
        self.state.save()                                    # the bug: trusted after a crash
        try:
            self.client.post("/inventory", {"inventory": lines})
        except AjioError:
            for sku, quantity in before.items():
                if quantity is None:
                    self.state.inventory.pop(sku, None)
                else:
                    self.state.inventory[sku] = quantity
            raise
        log(f"inventory: {len(lines)} SKU(s) pushed")


# -- a value AJIO adds ----------------------------------------------------------------------------------------------
class DsUnknownReturnTypeNotExpected(Connector):
    """DS-RTO-CHECK-SYNC-FIRST: returns are read against the return types known at go-live (RTO, CUSTOMER_RETURN);
    one of a type AJIO added is skipped as "not a return we handle" and is no expectation: a parcel the warehouse
    reports back for its order gets an RTO of the seller's own, which AJIO refuses (it expects the parcel)."""

    def sync_returns(self) -> None:
        pages = self.client.pages

        def known(path, key, **params):
            for item in pages(path, key, **params):
                if path == "/returns" and item.get("return_type") not in KNOWN_RETURN_TYPES:   # the bug
                    log(f"return {item.get('return_order_id')}: type {item.get('return_type')!r} skipped")
                    continue
                yield item
        self.client.pages = known
        try:
            super().sync_returns()
        finally:
            self.client.pages = pages


# -- a full page ----------------------------------------------------------------------------------------------------
class JitSkuPullPageTooFar(JitConnector):
    """API-PAGING: the SKU pull pages up to page totalElements // size (the pendency bug of hunt 14, on another
    list): exactly 50 approved SKUs (or 100...) make it ask for a page past the last one; AJIO refuses it, the pull
    fails at every sync and the SKU mapping is never made: no PO is ever processed, no stock pushed."""

    def pull_skus(self) -> None:
        mapping = {}
        page = 0
        while True:
            answer = self.client.get("/products", moderationStatus="APPROVED", page=page, size=PAGE_SIZE)
            for product in answer["products"]:
                mapping[self.channel_product_id(product)] = product[self.PRODUCT_SKU]
            if page >= answer["page"]["totalElements"] // PAGE_SIZE:   # the bug: one page too far when full
                break
            page += 1
        self.state.extra["skus"] = mapping


# -- the financial year ---------------------------------------------------------------------------------------------
class JitReturnsFloorAtFyStart(JitConnector):
    """JIT-RETURNS-CONFIRMED: the returns pull never reaches back before the start of the current financial year
    (1 April, IST): "the closed year's returns ledger is not reopened". A return AJIO raised on 31 March after the
    year's last pull is before the floor at the first pull of April: never pulled, never inbounded."""

    def returns_since(self, now: int) -> int:
        return max(super().returns_since(now), fy_start_ist(now))               # the bug


class DsReturnsFloorAtFyStart(Connector):
    """DS-CIR-PUTAWAY: the returns read never reaches back before the start of the seller's current financial year
    (1 April, IST, by the warehouse's clock): "last year's returns are closed in last year's books". A customer
    return raised in March whose parcel arrives in April drops out of the read on 1 April: never put away."""

    def returns_window(self) -> dict:
        window = super().returns_window()
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        window["fromDate"] = max(window.get("fromDate", 0), fy_start_ist(now))   # the bug
        return window
