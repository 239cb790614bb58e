"""Bugs of the fourteenth blind Dropship/JIT hunt, on classes the catalogue had never varied: values AJIO adds on
courier tracking events, cancellation sources, return reasons, payment methods and carriers; an IST day boundary
built in UTC; exactly one full page of JIT pendency; and the reference's own old mistake of not reading the
per-line failures inside an acknowledgement's 200. Each class is the reference with ONE planted mistake. buggy.py
lists them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from datetime import datetime, timezone

from connector import Connector, log
from jit_connector import IST, RETURNS_LOOKBACK_S, JitConnector
from rewriting import PagesRewritten

# The vocabularies the integrator knew at go-live (docs/dropship.md, simulator's timing tables).
TRACKING_MILESTONES = ("PICKED_UP", "IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY", "DELIVERY_ATTEMPTED",
                       "DELIVERED", "RTO_INITIATED", "RTO_IN_TRANSIT", "RTO_DELIVERED")
CANCELLERS = {None: "-", "CUSTOMER": "CUST", "SELLER": "SELF", "AJIO": "MKTP"}
RETURN_DISPOSITION = {None: "RTO", "DELIVERY_FAILED": "RTO", "CUSTOMER_NOT_AVAILABLE": "RTO", "ADDRESS_ISSUE": "RTO",
                      "REFUSED": "RTO", "COD_NOT_READY": "RTO", "SIZE_FIT_ISSUES": "RESELL", "CHANGED_MIND": "RESELL",
                      "NOT_AS_DESCRIBED": "INSPECT", "QUALITY_ISSUES": "INSPECT", "DAMAGED_PRODUCT": "INSPECT",
                      "WRONG_PRODUCT": "INSPECT"}
PAYMENT_METHODS = ("PREPAID", "COD")


class DsTrackingUnknownEventDelivered(Connector):
    """API-UNKNOWN-VALUE: the courier's milestones are turned into customer notifications through a table of the
    milestones known at go-live; a milestone it does not know is read as the end of the journey ("delivered"): the
    order is closed and leaves the state, so its later milestones (a failed attempt, the delivery, the RTO) are never
    read again, nor its status."""

    def read_tracking(self, order_id: str, mine: dict) -> dict:
        answer = super().read_tracking(order_id, mine)
        if any(e.get("status") not in TRACKING_MILESTONES for e in answer.get("events", [])):   # the bug
            mine["stage"] = "delivered"
            log(f"{order_id}: milestone not in the table: journey over, closed")
        return answer


class DsUnknownCancellerCrashes(Connector):
    """API-UNKNOWN-VALUE: the status sync maps who cancelled an order (cancelled_by) to the ERP's cancel-source code
    for every order it re-reads, through a table of CUSTOMER, SELLER and AJIO; a canceller AJIO added raises
    (KeyError) out of the sync: no held order is refreshed, and nothing after it in the run (invoice, label,
    manifest, returns, credit notes) is done while AJIO lists that value."""

    def refresh_held_orders(self) -> None:
        read = self.read_orders

        def mapped(order_ids):
            out = read(order_ids)
            for order in out.values():
                order["_cancel_source"] = CANCELLERS[order.get("cancelled_by")]   # the bug: KeyError on a new value
            return out
        self.read_orders = mapped
        try:
            super().refresh_held_orders()
        finally:
            del self.read_orders


class DsReturnUnknownReasonCrashes(PagesRewritten, Connector):
    """API-UNKNOWN-VALUE: each listed return's reason is mapped to the warehouse's disposition (resell, inspect, RTO)
    through the reasons known at go-live; a reason AJIO added raises (KeyError) out of the returns read: the returns
    listed after it are not put away, no RTO is created, no credit note fetched, while AJIO lists that reason."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns":
            item = {**item, "_disposition": RETURN_DISPOSITION[item.get("return_reason")]}   # the bug
        return item


class DsUnknownPaymentMethodParked(Connector):
    """API-UNKNOWN-VALUE: an imported order whose payment method is not PREPAID or COD is parked for an operator
    ("the ERP cannot book a payment mode it does not know") and never looked at again: once AJIO lists the order
    with a known payment method again, it is still never acknowledged, and AJIO cancels it at acknowledge_by."""

    def orders_to_acknowledge(self) -> list[dict]:
        todo = []
        for order in super().orders_to_acknowledge():
            if order.get("payment_method") not in PAYMENT_METHODS:   # the bug: parked for good
                self.state.orders[order["order_id"]]["stage"] = "parked"
                log(f"{order['order_id']}: payment method {order.get('payment_method')!r} unknown: parked")
                continue
            todo.append(order)
        return todo


COURIERS = ("Delhivery", "Ecom Express", "XpressBees", "Blue Dart", "Shadowfax")   # label stock set up at go-live


class DsUnknownCarrierParked(Connector):
    """API-UNKNOWN-VALUE: before the invoice, the order's courier as AJIO's status sync lists it is checked against
    the couriers the warehouse has label stock and a pickup slot for; an order assigned a courier it does not know is
    parked for an operator ("courier not onboarded") and never fulfilled, also once AJIO lists a known courier for it
    again: AJIO cancels it past its dispatch_by."""

    def refresh_held_orders(self) -> None:
        read = self.read_orders

        def noting(order_ids):
            out = read(order_ids)
            for order_id, order in out.items():
                self.state.orders[order_id]["listed_carrier"] = order.get("carrier")
            return out
        self.read_orders = noting
        try:
            super().refresh_held_orders()
        finally:
            del self.read_orders

    def fulfil_order(self, order_id: str, mine: dict) -> None:
        if mine["stage"] == "acknowledged" and mine.get("listed_carrier") not in COURIERS:   # the bug: parked for good
            mine["stage"] = "courier_setup"
            log(f"{order_id}: courier {mine.get('listed_carrier')!r} not onboarded: parked")
            return
        super().fulfil_order(order_id, mine)


class JitReturnsSinceUtcMidnight(JitConnector):
    """JIT-RETURNS-CONFIRMED: returns are pulled from the start of the seller's day (IST) of the last pull, a
    whole-day overlap, but that midnight is built in UTC (datetime(date, tzinfo=utc)): after a pull between 00:00
    and 05:30 IST the next window starts at 05:30 IST, after that pull, so a return AJIO raised between that pull and
    05:30 IST is never pulled, at any later sync."""

    def returns_since(self, now: int) -> int:
        last = self.state.extra.get("returns_pulled_at")
        if last is None:
            return now - RETURNS_LOOKBACK_S
        day = datetime.fromtimestamp(last, IST).date()
        return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())   # the bug


class JitPoListsPageTooFar(JitConnector):
    """(The base of JitPendencyPageTooFar; caught by the catalogue's full pages of held POs, no row of its own.)
    API-PAGING: the PO lists (pendency, the re-read of held POs) are paged up to page totalElements // size,
    counting the pages itself: a list of exactly 50 POs (or a multiple) is read one page too far, AJIO refuses that
    page (400), and the phase fails at every sync: 50 POs in pendency are never processed, 50 held POs never
    re-read."""

    PAGED_WRONG = ("/orders/pendency", "/orders")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pages = self.client.pages
        client = self.client

        def counted(path, key, **params):
            if path not in self.PAGED_WRONG:
                yield from pages(path, key, **params)
                return
            page = 0
            while True:
                answer = client.get(path, **params, page=page, size=50)
                yield from answer[key]
                if page >= answer["page"]["totalElements"] // 50:   # the bug: 50 elements -> page 1 asked
                    return
                page += 1
        self.client.pages = counted


class JitPendencyPageTooFar(JitPoListsPageTooFar):
    """API-PAGING: the PO pull job (pendency only; the status sync pages by totalPages) pages up to page
    totalElements // size: exactly 50 new POs (or 100, 150...) make it ask for a page past the last one, AJIO refuses
    it (400), and not one of those POs is processed while pendency holds a multiple of 50."""

    PAGED_WRONG = ("/orders/pendency",)


class DsAckIgnoresFailedItems(Connector):
    """API-PER-LINE-FAILURES: the acknowledgement's 200 is taken as the whole order acknowledged, its failed_items
    unread (the reference before hunt 14): a line AJIO failed (the customer cancelled a unit since the re-read) is
    never acknowledged again, the order stays CREATED and AJIO cancels it at its acknowledge_by."""

    def lines_failed(self, answer: dict) -> set[str]:
        return set()
