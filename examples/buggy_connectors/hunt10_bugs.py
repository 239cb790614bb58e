"""Bugs of the tenth blind Dropship/JIT hunt that the catalogue let through (or caught under another rule), and the
reference JIT connector's own gap it found (jit_reissue_forgotten_before_call): each class is the reference with
ONE planted mistake. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from connector import Connector, log
from jit_connector import JitConnector
from rewriting import PostRewritten

# The integrator's table of delivery-attempt reasons for customer notifications (COD_NOT_READY is missing).
ATTEMPT_NOTIFY = {"CUSTOMER_NOT_AVAILABLE": "We missed you", "ADDRESS_ISSUE": "We could not find your address",
                  "REFUSED": "Delivery refused"}


class DsSellerCancelMarkedBeforeCall(Connector):
    """DS-SELLER-CANCEL-UNTIL-INVOICED: stock lost after acknowledgement is recorded as seller-cancelled before the
    cancellation is sent ("so it is never cancelled twice"): when the cancel call fails for a whole sync it is
    never sent again, and the order stays CONFIRMED at AJIO, neither shipped nor cancelled."""

    def seller_cancel(self, order_id: str) -> None:
        self.state.orders[order_id]["stage"] = "cancelled"   # the bug: before the call
        self.state.save()
        super().seller_cancel(order_id)


class DsAckMarkedBeforeCall(PostRewritten, Connector):
    """DS-ACK-WITHIN-SLA: an order is recorded as acknowledged before its acknowledgement is sent: when the
    acknowledgement fails for a whole sync it is never sent again, and AJIO cancels the order at its
    acknowledge_by."""

    def acknowledge_imported(self) -> None:
        self.with_rewrite(super().acknowledge_imported)

    def rewritten(self, path, body, post):
        if path == "/orders" and body.get("status") == "Acknowledge":
            confirmed = sum(l["confirmed_quantity"] for l in body["order_lines"])
            self.state.orders[body["order_id"]] = {"stage": "acknowledged" if confirmed else "cancelled"}
            self.state.save()   # the bug: before the call
        return post(path, body)


class DsRtoOneUnitPerLine(PostRewritten, Connector):
    """DS-PUTAWAY-GOOD-BAD: an RTO for a parcel back without an expectation books one unit per order line (the dock
    scans each line's barcode once), not the units shipped: the other units of the line are never put away nor
    credited."""

    def create_rto(self, order_id: str) -> None:
        self.with_rewrite(super().create_rto, order_id)

    def rewritten(self, path, body, post):
        if path == "/return/rto":
            body = {**body, "order_items": [{**item, "quantity": 1} for item in body["order_items"]]}
        return post(path, body)


class DsQcInChunksOf10Items(PostRewritten, Connector):
    """DS-PUTAWAY-GOOD-BAD: the putaway of a return is sent in calls of at most 10 return items (one WMS tote): a
    return of more than 10 items is reported part by part, each call covering only some of the returned units,
    which AJIO refuses: the return is never processed nor credited."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        self.with_rewrite(super().quality_check, ret, mine)

    def rewritten(self, path, body, post):
        if not path.endswith("/qc"):
            return post(path, body)
        answer = None
        for start in range(0, len(body["items"]), 10):
            answer = post(path, {**body, "items": body["items"][start:start + 10]})
        return answer


class DsTrackingUnknownReasonCrashes(Connector):
    """DS-TRACKING-SYNC: each delivery attempt becomes a customer notification from a table of the reasons the
    integrator knew (customer not available, address issue, refused): a failed attempt of a COD parcel
    (COD_NOT_READY) raises KeyError, the run dies in the tracking phase, and every later sync dies there again
    (returns and credit notes are never reached)."""

    def read_tracking(self, order_id: str, mine: dict) -> dict:
        answer = super().read_tracking(order_id, mine)
        for event in answer["events"]:
            if event["status"] == "DELIVERY_ATTEMPTED":
                log(f"{order_id}: notify customer: {ATTEMPT_NOTIFY[event['reason']]}")   # the bug: KeyError
        return answer


class DsPendencyStopsAtKnown(Connector):
    """DS-ACK-WITHIN-SLA: pendency is read as a newest-first feed: the import stops at the first order it already
    holds ("the rest was seen before"). AJIO lists pendency oldest first, so an order still pending because its
    acknowledgement keeps failing hides every newer order behind it: they are never imported nor acknowledged."""

    def import_pendency(self) -> None:
        for order in self.client.pages("/orders/pendency", "orders"):
            if self.state.holds(order["order_id"]):
                return   # the bug: the reference reads every page
            self.state.orders[order["order_id"]] = {"stage": "imported"}
            log(f"imported {order['order_id']}")


class DsStockLostOnlyWhenCountZero(Connector):
    """DS-SELLER-CANCEL-UNTIL-INVOICED: a warehouse that gives SKU counts only (no pick report) is read as "lost"
    only when a SKU's count is 0, not when it is below a line's quantity: an order of 3 with 1 unit left is
    invoiced and shipped (a warehouse that names what it can pick of an order is still taken at its word)."""

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        if self.warehouse.pickable is not None and order_id is not None:
            return super().stock_lost(mine, order_id)
        return any(self.warehouse.available(l["sku"]) <= 0 for l in mine["lines"] if l["quantity"])


class DsInvoiceNumberInMemory(Connector):
    """DS-MANIFEST-PACKED-ONLY: the B2B invoice number is kept in the process's memory (an ERP cache), not in the
    state file: when the manifest is made by a later run than the invoice (the manifest call down for a sync),
    the dispatch item carries no invoice number and AJIO refuses it."""

    invoice_numbers: dict[str, str] = {}

    def invoice(self, order_id: str, mine: dict) -> None:
        super().invoice(order_id, mine)
        self.invoice_numbers[order_id] = mine.pop("invoice_number")

    def dispatch_item(self, order_id: str) -> dict:
        return {"masterAWB": self.state.orders[order_id]["awb"], "orderId": order_id,
                "invoiceNo": self.invoice_numbers.get(order_id, "")}


class JitPackMarkedBeforeCall(JitConnector):
    """JIT-READY-TO-SHIP: a PO is recorded as packed before the pack call: when the pack call fails for a whole
    sync, the PO goes on the next manifest unpacked (no master AWB): refused, and it is never packed."""

    def pack(self, po_id: str, mine: dict) -> None:
        mine["stage"] = "packed"   # the bug: before the call
        self.state.save()
        super().pack(po_id, mine)

    def dispatch_item(self, order_id: str) -> dict:
        mine = self.state.orders[order_id]
        return {"masterAWB": mine.get("master_awb") or f"{order_id}-B01", "orderId": order_id,
                "invoiceNo": mine["invoice_number"]}


class JitReissueForgottenBeforeCall(JitConnector):
    """JIT-INVOICE-UPDATE-UNTIL-PACKED: the reference until the tenth hunt. After a pack-time cancellation the new
    open quantities are kept before the invoice re-issue (PUT) is sent: a PUT that fails for a whole sync is never
    sent again (nothing looks changed), and every pack is refused against the stale invoice."""

    def update_invoice(self, po_id: str, mine: dict) -> None:
        mine.pop("reissue_owed", None)   # the bug: forgotten before the call
        super().update_invoice(po_id, mine)
