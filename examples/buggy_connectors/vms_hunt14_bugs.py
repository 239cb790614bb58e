"""Bugs of the fourteenth blind VMS hunt, on classes the catalogue had never varied: return reasons and payment
methods AJIO adds, an RSI cursor kept as an IST date taken back in UTC, a daemon reading "now" once. Each class is
the reference VMS connector with ONE planted mistake. buggy.py lists them by name; each fails the scenario written
for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from datetime import datetime, timezone

from connector import log
from rewriting import PagesRewritten
from vms_connector import FIRST_LOOKBACK_S, IST, VmsConnector

# The return reasons the layer met at go-live (customer returns, and the RTO's DELIVERY_FAILED), each with the
# label the warehouse's inward sheet prints.
INWARD_LABEL = {"SIZE_FIT_ISSUES": "size/fit", "DAMAGED_PRODUCT": "damaged", "WRONG_PRODUCT": "wrong item",
                "QUALITY_ISSUES": "quality", "NOT_AS_DESCRIBED": "not as described", "CHANGED_MIND": "changed mind",
                "DELIVERY_FAILED": "RTO", None: "-"}
PAYMENT_METHODS = ("COD", "PREPAID")


class UnknownReturnReasonCrashes(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: the returns read labels each return expectation for the warehouse's inward sheet from a
    table of the return reasons it knows (INWARD_LABEL[return_reason]); a reason AJIO added raises (KeyError): the
    sync stops at that return, so the other returns of the list are not QC'd (nor RTO-requested, nor their RSI
    accepted) for as long as AJIO sends the value."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns":
            label = INWARD_LABEL[item.get("return_reason")]   # the bug: KeyError on a reason AJIO added
            log(f"return {item['return_order_id']}: inward as {label}")
        return item


class UnknownPaymentMethodCancelled(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: at the acknowledgement the layer checks the order's payment_method against the two it
    knows (COD, PREPAID; the warehouse prints the COD amount on the parcel): an order AJIO lists with a payment
    method it added is seller-cancelled ("cannot collect: do not ship") instead of waiting for a value it knows."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders":
            self.payment = {**getattr(self, "payment", {}), item["order_id"]: item.get("payment_method")}
        return item

    def acknowledge(self, order_id: str, mine: dict) -> None:
        method = getattr(self, "payment", {}).get(order_id, "PREPAID")
        if method not in PAYMENT_METHODS:   # the bug: an unknown value is taken for "unpayable"
            self.cancel(order_id, mine, None, f"payment method {method} not supported")
            return
        super().acknowledge(order_id, mine)


class RsiCursorIstDateUtcMidnight(VmsConnector):
    """VMS-RSI-MODEL: the RSI cursor is kept as a date (the IST date of the last sync, "2026-12-05") and each sync
    reads from that date's midnight, built as datetime(date, tzinfo=UTC): 05:30 IST. A sync between 00:00 and
    05:30 IST stores the new IST date, so the next sync starts reading at 05:30 IST: an RSI AJIO issued between that
    night sync and 05:30 IST is never read, never accepted."""

    def rsi_start(self) -> int:
        day = self.meta.get("rsi_day")
        if day is None:
            return self.clock - FIRST_LOOKBACK_S
        return int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())   # the bug: UTC midnight

    def accept_range(self, docs: list[dict], end: int) -> None:
        super().accept_range(docs, end)
        self.meta["rsi_day"] = datetime.fromtimestamp(end, IST).date().isoformat()


class DaemonClockAtStart(VmsConnector):
    """VMS-ACK-HOLD: "now" is read once, when the layer starts (the constructor used to be run per sync), and a
    daemon keeps it: each sync of a daemon works at its start-up time. The hold of an order placed before start-up
    never ends for it (no acknowledgement, the order never ships), and orders placed after start-up are never read
    (the fetch window ends at start-up). A run per sync (cron) is unaffected."""

    def sync(self) -> None:
        if not hasattr(self, "clock"):
            self.clock = self.now()   # the bug: never refreshed in a daemon
        super(VmsConnector, self).sync()
