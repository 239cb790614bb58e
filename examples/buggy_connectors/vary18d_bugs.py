"""Dropship inputs the catalogue never varied (vary18d): a crash right after an acknowledgement whose 200 failed a
line, the same line failing again, lagging status and tracking reads after the label, a seller cancellation and the
delivery, one shipment's tracking read refused, a warehouse file naming an order AJIO does not know, manifest lines
failing for whole syncs; and the reference mistake it found (an order a lagging re-read leaves out taken for
cancelled). Each is the reference with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

from ajio_client import AjioError
from connector import Connector, item_refused, log
from hunt18_bugs import FailedDispatchRetryBudget


class DsAckLinesNotedBeforeCall(Connector):
    """API-PER-LINE-FAILURES: every line of an acknowledgement is written down as taken before the call leaves ("so a
    crash never sends a line twice"); a line AJIO fails inside the 200, or a call that fails, is struck off again
    when the answer comes. A crash right after an acknowledgement whose 200 failed a line leaves the failed line
    written down as taken: the next runs acknowledge nothing of it (an empty acknowledgement, refused), the order
    stays CREATED and is never shipped."""

    def acknowledgement_lines(self, order: dict) -> list[dict]:
        lines = super().acknowledgement_lines(order)
        applied = self.state.orders[order["order_id"]].setdefault("applied_lines", {})
        for line in lines:
            applied[line["order_item_id"]] = line["confirmed_quantity"]     # the bug: noted before the call
        self.sending = [line["order_item_id"] for line in lines]
        self.noted += 1
        return lines

    def acknowledgement_partly_failed(self, order: dict, lines: list[dict], failed: set[str]) -> None:
        applied = self.state.orders[order["order_id"]]["applied_lines"]
        for order_item_id in failed:
            applied.pop(order_item_id, None)
        super().acknowledgement_partly_failed(order, lines, failed)

    def acknowledgement_failed(self, order_id: str, exc: AjioError) -> None:
        applied = self.state.orders[order_id].get("applied_lines", {})
        for order_item_id in getattr(self, "sending", ()):
            applied.pop(order_item_id, None)


class DsFailedLineGivenUpWhenRefused(Connector):
    """API-PER-LINE-FAILURES: a line AJIO failed inside an acknowledgement's 200 is acknowledged again at the next
    sync; when AJIO refuses that retry too (a 4xx), its word is taken as final: the lines it took are shipped and the
    failed one is given up ("AJIO will not take it"). When the retry was refused only because AJIO's read still
    lagged, the line stays open at AJIO: the order stays CREATED, is never invoiced, and AJIO cancels it at its
    acknowledge_by."""

    def acknowledgement_failed(self, order_id: str, exc: AjioError) -> None:
        mine = self.state.orders[order_id]
        if mine.get("applied_lines") and item_refused(exc):                  # the bug
            mine["stage"] = "acknowledged"
            log(f"acknowledge {order_id}: the failed line refused again: given up, shipping what AJIO took")


class DsStageFollowsListedStatus(Connector):
    """API-CHANGE-SENT-ONCE: AJIO's status is the order's truth: an order AJIO lists CONFIRMED is one to invoice and
    label, whatever was recorded ("AJIO's word wins over our memory"). With AJIO's reads current an invoiced or
    labelled order never shows CONFIRMED; a status sync answered by a lagging page (from before the label) sends the
    order back to be invoiced and labelled again: both changes sent twice."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for mine in self.state.orders.values():
            if mine.get("status") == "CONFIRMED" and mine["stage"] in ("invoiced", "packed"):
                mine["stage"] = "acknowledged"                                  # the bug


class DsSellerCancelRecordedFromRead(Connector):
    """API-CHANGE-SENT-ONCE: a seller cancellation is recorded from the next status sync, not from AJIO's answer
    ("the list is the truth: it shows CANCELLED once AJIO applied it"). With AJIO's reads current the order shows
    CANCELLED at the next sync; a lagging status read still showing it CONFIRMED makes the connector find the stock
    lost again and send the cancellation again, at every sync the read lags."""

    def seller_cancel(self, order_id: str) -> None:
        self.client.post("/orders", {"order_id": order_id, "status": "Cancel", "order_lines": []})
        log(f"{order_id} cancellation sent: recorded once AJIO lists it CANCELLED")    # the bug: stage left


class DsTrackingMarkedFromOrderStatus(Connector):
    """DS-TRACKING-SYNC: after a tracking read answered 200, the milestone the status sync announced (the order's
    shipment_status and attempts) is marked read, whatever the answer's own status says ("the read succeeded").
    A tracking answer that lags (the pickup's milestones after the delivery) marks the delivery read: the DELIVERED
    milestone is never read, the customer never hears of the delivery."""

    def read_tracking(self, order_id: str, mine: dict) -> dict:
        answer = super().read_tracking(order_id, mine)
        seen = mine.get("courier_seen") or {}
        return {**answer, "shipment_status": seen.get("shipment_status"),      # the bug: the order's, not the answer's
                "delivery_attempts": seen.get("delivery_attempts", 0)}


class DsTrackingRefusalEndsPhase(Connector):
    """DS-TRACKING-SYNC: any failed tracking read ends the tracking phase ("AJIO's tracking is failing: try them all at
    the next sync"), a refusal about one shipment (404) as well as AJIO being down. While one shipment's read is
    refused, every shipment after it goes unread, sync after sync."""

    def sync_tracking(self) -> None:
        for order_id in self.state.in_stage("shipped", "delivered"):
            mine = self.state.orders[order_id]
            if not self.tracking_owed(mine):
                continue
            known = mine.get("tracking") or {}
            answer = self.read_tracking(order_id, mine)                          # the bug: a 404 ends the phase
            for event in answer["events"][known.get("events_seen", 0):]:
                log(f"{order_id}: {event['status']} at {event['location']}")
            mine["tracking"] = {"shipment_status": answer["shipment_status"],
                                "delivery_attempts": answer["delivery_attempts"], "events_seen": len(answer["events"])}


class DsPickReportWalked(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK: the warehouse's pick report (`pickable`) is walked order by order, each looked up
    in the connector's own orders to find those short of units. An id the connector does not hold (mistyped in the
    warehouse, an order finished with, another store's) raises at the look-up, and the sync dies there at every
    run while the report names it: no order is invoiced, labelled or manifested."""

    def fulfil(self) -> None:
        self.short_orders = set()
        for order_id, can in (self.warehouse.pickable or {}).items():
            mine = self.state.orders[order_id]                                   # the bug: KeyError on an unknown id
            if any(line["quantity"] > can[line["sku"]] for line in mine.get("lines", []) if line["sku"] in can):
                self.short_orders.add(order_id)
        super().fulfil()

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        if self.warehouse.pickable is not None and order_id is not None:
            return order_id in self.short_orders
        return super().stock_lost(mine, order_id)


class DsFailedDispatchRetryBudget(FailedDispatchRetryBudget, Connector):
    """API-PER-LINE-FAILURES: a shipment whose line AJIO fails inside a manifest's 200 goes on the next manifests,
    but on two at most ("the public utility retries up to 3 times"): then it is parked for a person and no longer
    manifested. A line AJIO fails for two whole syncs (its message says "send it again") leaves the shipment packed
    for good, never handed over."""



class DsMissingFromRereadTakenCancelled(Connector):
    """DS-ACK-WITHIN-SLA: the reference until vary18d: an imported order that the re-read before its acknowledgement
    leaves out of a 200 is taken as cancelled by the customer and dropped for good. A lagging read (one answer
    replayed whatever ids are asked) leaves out an order pendency lists: it is never acknowledged, and AJIO cancels
    it at its acknowledge_by."""

    def orders_to_acknowledge(self) -> list[dict]:
        current = self.read_orders(self.state.in_stage("imported"))
        todo = []
        for order_id in self.state.in_stage("imported"):
            order = current.get(order_id)
            if order is None or order["status"] == "CANCELLED":                  # the bug: missing taken as cancelled
                self.state.orders[order_id]["stage"] = "cancelled"
                log(f"{order_id} cancelled by the customer before acknowledgement: dropped")
            elif order["status"] == "CREATED":
                todo.append(order)
            elif self.acknowledged_elsewhere(order["status"]):
                self.state.orders[order_id]["stage"] = "acknowledged"
            else:
                log(f"{order_id}: status {order['status']!r} unknown here, left as it is until AJIO says more")
        return todo
