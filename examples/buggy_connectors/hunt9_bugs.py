"""Bugs of the ninth blind Dropship/JIT bug hunt that the catalogue let through (or caught under another rule):
each class is the reference connector with ONE planted mistake, as real integrators make them. buggy.py lists
them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

import time

from ajio_client import AjioError
from connector import Connector, log
from jit_connector import JitConnector
from vms_hunt8_bugs import ReloginLoopClient


class DsLabelParkedOn403(Connector):
    """DS-SHIPPING-API-ACCESS: a label refused with 403 (no shipping-API access) parks the order for an operator
    ("raise a ticket with the account manager") and the connector never asks for its label again: once AJIO
    enables the POB's shipping access, the parked orders are still never labelled, manifested or shipped."""

    def fulfil_order(self, order_id: str, mine: dict) -> None:
        if mine.get("parked"):
            return
        try:
            super().fulfil_order(order_id, mine)
        except AjioError as exc:
            if exc.status == 403:
                mine["parked"] = "label refused: shipping-API access"
                log(f"{order_id}: parked for an operator ({exc})")
            raise


class DsRtoCheckRtoTypeOnly(Connector):
    """DS-RTO-CHECK-SYNC-FIRST: a parcel the warehouse reports back is checked against AJIO's RTO expectations only
    (returnType RTO): a parcel of an order AJIO has a customer return for is booked as an RTO of the seller's own."""

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        return {m["order_id"] for m in self.state.returns.values() if m.get("return_type", "RTO") == "RTO"}


class DsReloginLoop(Connector):
    """AUTH-LOGIN-SPARINGLY: a call refused with 401 is answered by logging in again and again (up to 10 times per
    call) instead of once: while AJIO's gateway refuses tokens, every call of the sync costs ten logins."""
    client_class = ReloginLoopClient


class DsAckEchoesCustomerCancel(Connector):
    """DS-ACK-PENDING-ONLY: the acknowledgement's cancelled_quantity is the seller's shortfall PLUS what the customer
    already cancelled of the line (the ERP's "cancelled" column): a line the customer partly cancelled before the
    acknowledgement names more units than are open, and AJIO refuses the acknowledgement."""

    def acknowledgement_lines(self, order: dict) -> list[dict]:
        lines = super().acknowledgement_lines(order)
        open_lines = [l for l in order["order_lines"] if l["quantity"] > 0]
        return [{**sent, "cancelled_quantity": sent["cancelled_quantity"] + (line.get("customer_cancelled_qty") or 0)}
                for line, sent in zip(open_lines, lines)]


class DsCancelsRestAfterCustomerPartial(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK: an acknowledged order the customer cancelled part of is seller-cancelled whole
    ("a half order is not worth a parcel"): units the warehouse holds and the customer still wants are cancelled."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        out = super().read_orders(order_ids)
        for order_id, order in out.items():
            mine = self.state.orders.get(order_id)
            if mine is None or mine.get("stage") != "acknowledged" or order["status"] != "CONFIRMED":
                continue
            if any(l.get("customer_cancelled_qty") for l in order["order_lines"]) and \
                    any(l["quantity"] for l in order["order_lines"]):
                self.seller_cancel(order_id)
                order["status"] = "CANCELLED"
        return out


class DsInventoryPushesWholePage(Connector):
    """DS-INVENTORY-CHANGED-ONLY: stock is pushed per page of AJIO's listing: when any SKU of a page of 50 changed,
    the whole page's counts are pushed again, unchanged SKUs included."""

    def push_inventory(self) -> None:
        products = list(self.client.pages("/products", "products"))
        for start in range(0, len(products), self.INVENTORY_BATCH):
            page = products[start:start + self.INVENTORY_BATCH]
            changed = False
            for product in page:
                sku = product[self.PRODUCT_SKU]
                shown = product["quantity"] if "quantity" in product else self.state.inventory.get(sku)
                changed = changed or shown != self.warehouse.available(sku)
            if changed:
                self.push_inventory_batch([{"sku": p[self.PRODUCT_SKU], "quantity": self.warehouse.available(
                    p[self.PRODUCT_SKU])} for p in page])


class JitReloginLoop(JitConnector):
    """AUTH-LOGIN-SPARINGLY (JIT): a call refused with 401 is answered by logging in again and again (up to 10
    times per call) instead of once: while AJIO's gateway refuses tokens, every refused call costs ten logins."""
    client_class = ReloginLoopClient


class JitPackedOrderedQtyOffStock(JitConnector):
    """JIT-INVENTORY-PUSH: after packing, the PO's ORDERED units (looked up on the PO) are taken off the connector's
    record of AJIO's stock, not the units packed: for a PO partly cancelled at the pick the record falls below what
    AJIO shows, so the next change is judged against a wrong count (a push of an unchanged count, or a change
    missed)."""

    def units_packed(self, po_id: str, line: dict) -> int:
        if getattr(self, "ordered_of", (None, {}))[0] != po_id:   # the PO read once per pack
            po = self.read_orders([po_id]).get(po_id, {"order_lines": []})
            self.ordered_of = (po_id, {l["order_item_id"]: l["quantity"] for l in po["order_lines"]})
        return self.ordered_of[1].get(line["order_item_id"], line["open"])


class JitMasterAwbLastBox(JitConnector):
    """JIT-MANIFEST-DOCUMENT: the master AWB put on the manifest is the AWB of the LAST box packed ("the one on top
    of the pallet"), not AJIO's master_awb (the first box's): a PO packed in several boxes fails on the manifest."""

    def master_awb(self, packed: dict) -> str:
        return packed["boxes"][-1]["tracking_number"]


class JitDaemonPackedNowKept(JitConnector):
    """JIT-PO-PROCESSED: the units packed "in this sync" (which the warehouse's count does not show yet) are counted
    from the daemon's start, not per sync: a later sync takes units packed by earlier syncs off a warehouse count
    that already shows them gone, and seller-cancels units it has. A run per tick is unaffected."""

    def sync(self) -> None:
        self.sync_id = time.time()
        if not hasattr(self, "packed_now"):
            self.packed_now = {}
        self.picking_for = None
        self.reserving = {po_id: mine for po_id, mine in self.state.orders.items()
                          if mine.get("stage") in ("invoiced", "picking")}
        Connector.sync(self)


class DsRtoMarkedBeforeCall(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED: the RTO is recorded as created before AJIO takes it ("so it is never created
    twice"): a creation that failed for a whole sync (AJIO down) is never sent again, and the parcel never credited.
    (Written from the ninth VMS hunt's report: writes failing for a whole sync were never staged on Dropship's RTO
    call.)"""

    def create_rto(self, order_id: str) -> None:
        self.state.rto_created.append(order_id)
        try:
            super().create_rto(order_id)
        finally:
            while self.state.rto_created.count(order_id) > 1:
                self.state.rto_created.remove(order_id)


class DsPutawayMarkedBeforeCall(Connector):
    """DS-CIR-PUTAWAY: a return is recorded as put away before AJIO takes its QC: a putaway that failed for a whole
    sync (AJIO down) is never sent again; the return stays open and is never credited."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        mine["stage"] = "put_away"
        super().quality_check(ret, mine)
