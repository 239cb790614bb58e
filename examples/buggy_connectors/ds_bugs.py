"""Dropship bugs: each class is the reference connector with ONE bug planted.

Each overrides the one method (or limit) a real connector's bug lives in, so the diff against the
reference connector is the bug. buggy.py lists them by name.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

from ajio_client import AjioError, AjioUnreachable
from client_bugs import (
    FirstPageClient,
    LoginEveryCallClient,
    NoRetryClient,
    NoTokenDocumentsClient,
    ResetIsFinalClient,
    Retries4xxClient,
    RetriesForeverClient,
    RetryAfterIgnoringClient,
    StickyTokenClient,
)
from connector import Connector, Warehouse, log

# -- Dropship -------------------------------------------------------------------------------------------


class IgnoresTokenExpiry(Connector):
    client_class = StickyTokenClient


class LoginsEveryCall(Connector):
    client_class = LoginEveryCallClient


class NeverRetries(Connector):
    client_class = NoRetryClient


class IgnoresRetryAfter(Connector):
    client_class = RetryAfterIgnoringClient


class NoRetryOnReset(Connector):
    client_class = ResetIsFinalClient


class RetriesForever(Connector):
    client_class = RetriesForeverClient


class Retries4xx(Connector):
    client_class = Retries4xxClient


class FirstPageOnly(Connector):
    client_class = FirstPageClient


class DocumentsWithoutToken(Connector):
    client_class = NoTokenDocumentsClient


class AcknowledgesCancelled(Connector):
    """Acknowledges what it imported without re-reading it: a customer's cancellation is missed."""

    def orders_to_acknowledge(self) -> list[dict]:
        return [self.state.orders[order_id]["imported"] for order_id in self.state.in_stage("imported")]

    def import_pendency(self) -> None:
        for order in self.client.pages("/orders/pendency", "orders"):
            self.state.orders.setdefault(order["order_id"], {"stage": "imported", "imported": order})


class AcksOrderedQuantity(Connector):
    """Acknowledges each line's ordered quantity, not what is still open after a customer's cancellation."""

    def orders_to_acknowledge(self) -> list[dict]:
        todo = super().orders_to_acknowledge()
        for order in todo:
            for line in order["order_lines"]:
                line["quantity"] = line["ordered_quantity"]
        return todo


class ConfirmsEverything(Connector):
    """Confirms every order in full, whatever the warehouse holds."""

    def confirmable(self, open_qty: int, sku: str) -> int:
        return open_qty


class AcksWithoutReserving(Connector):
    """Checks each line against the warehouse's count alone, forgetting what this very sync confirmed: two
    orders wanting the last unit are both confirmed."""

    def confirmable(self, open_qty: int, sku: str) -> int:
        return min(open_qty, self.warehouse.available(sku))


class CancelsWholeLineWhenShort(Connector):
    """A line it cannot ship in full is cancelled whole, even the units the warehouse holds."""

    def confirmable(self, open_qty: int, sku: str) -> int:
        return open_qty if self.warehouse.available(sku) >= open_qty else 0


class AcksUntilPO(Connector):
    """Sends the acknowledgement again at every sync until AJIO's PO shows, as if AJIO had missed it."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for order_id in self.state.in_stage("acknowledged"):
            mine = self.state.orders[order_id]
            if not mine.get("po_number") and mine.get("status") == "CONFIRMED":
                self.client.post("/orders", {"order_id": order_id, "status": "Acknowledge", "order_lines": [
                    {"order_item_id": l["order_item_id"], "confirmed_quantity": l["quantity"], "cancelled_quantity": 0}
                    for l in mine["lines"]]})


class SplitsInvoice(Connector):
    """Invoices line by line (an order split), which AJIO Dropship does not support."""

    def invoice(self, order_id: str, mine: dict) -> None:
        for line in mine["lines"]:
            answer = self.client.post(f"/orders/{order_id}/invoice", {"order_lines": [
                {"order_item_id": line["order_item_id"], "quantity": line["quantity"]}]})
            mine.update(stage="invoiced", invoice_number=answer["invoice_number"])


class LabelWithoutDimensions(Connector):
    """Sends only the weight for the label: dimensions left out."""

    def parcel(self, order_id: str) -> dict:
        return {"weight_grams": 450}


class LabelBeforeInvoice(Connector):
    """Asks for the label first and invoices afterwards."""

    def fulfil_order(self, order_id: str, mine: dict) -> None:
        self.label(order_id, mine)
        self.invoice(order_id, mine)


class RelabelsOnRetry(Connector):
    """When a label call gets no answer, weighs the parcel again and asks again: another payload."""
    client_class = ResetIsFinalClient
    weighings = 0

    def parcel(self, order_id: str) -> dict:
        self.weighings += 1
        return {**super().parcel(order_id), "weight_grams": 450 + 5 * (self.weighings - 1)}

    def label(self, order_id: str, mine: dict) -> None:
        try:
            super().label(order_id, mine)
        except AjioUnreachable:
            super().label(order_id, mine)


class SwallowsLabelRefusal(Connector):
    """A refused label is logged and forgotten: the run ends 'fine' (exit 0), nobody hears of it."""

    def label(self, order_id: str, mine: dict) -> None:
        try:
            super().label(order_id, mine)
        except AjioError as exc:
            log(f"label of {order_id} refused, skipping: {exc}")


class OneBigManifest(Connector):
    """Puts every packed order into one manifest, however many."""
    MANIFEST_MAX = 10_000


class NeverManifests(Connector):
    """Prints its own manifest and tells AJIO nothing: packed orders are never manifested."""

    def manifest(self) -> None:
        for order_id in self.state.in_stage("packed"):
            self.state.orders[order_id]["stage"] = "manifested"


class ManifestsB2CInvoiceNumber(Connector):
    """Sends the B2C invoice number (from the label) as invoiceNo on the manifest, not the B2B one."""

    def label(self, order_id: str, mine: dict) -> None:
        answer = self.client.post(f"/orders/{order_id}/label", self.parcel(order_id))
        self.client.document(answer["label_pdf_url"])
        self.client.document(answer["b2c_invoice_pdf_url"])
        mine.update(stage="packed", awb=answer["tracking_number"], invoice_number=answer["b2c_invoice_number"])


class InventoryInOneCall(Connector):
    """Pushes the whole catalogue's stock in one call."""
    INVENTORY_BATCH = 10_000


class InventoryEverySync(Connector):
    """Pushes the whole catalogue at every sync, changed or not."""

    def push_inventory(self) -> None:
        lines = [{"sku": p[self.PRODUCT_SKU], "quantity": self.warehouse.available(p[self.PRODUCT_SKU])}
                 for p in self.client.pages("/products", "products")]
        for start in range(0, len(lines), self.INVENTORY_BATCH):
            self.push_inventory_batch(lines[start:start + self.INVENTORY_BATCH])


class SkipsZeroStock(Connector):
    """Leaves out SKUs at zero ('nothing to sell'): AJIO keeps the last quantity it was told."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        if [line for line in lines if line["quantity"]]:
            super().push_inventory_batch([line for line in lines if line["quantity"]])


class PushesWarehouseSkus(Connector):
    """Pushes every SKU its warehouse knows (its own list first), also those AJIO does not list."""

    def push_inventory(self) -> None:
        listed = [p[self.PRODUCT_SKU] for p in self.client.pages("/products", "products")]
        skus = [sku for sku in self.warehouse.stock if sku not in listed] + listed
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in skus
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            self.push_inventory_batch(changed[start:start + self.INVENTORY_BATCH])


class InventoryQuantityAsText(Connector):
    """Sends quantities as text (read from a CSV export): "7", not 7."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        super().push_inventory_batch([{**line, "quantity": str(line["quantity"])} for line in lines])


class SharedStateAcrossPobs(Connector):
    """Keeps one memory for all the seller's stores (one state file per installation, not per POB)."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env)
        from connector import State
        self.state = State(os.path.dirname(os.path.abspath(self.state_dir)))


class InvoicesWithoutPO(Connector):
    """Does not wait for AJIO's PO: invoices as soon as the order is acknowledged."""

    def fulfil(self) -> None:
        for order_id in self.state.in_stage("acknowledged", "invoiced"):
            mine = self.state.orders[order_id]
            if mine.get("status") != "CONFIRMED":
                continue
            try:
                self.fulfil_order(order_id, mine)
            except AjioError as exc:
                self.errors += 1
                log(f"{order_id}: {exc}")


class CancelsWhenPOLate(Connector):
    """Gives up on an order whose PO has not come after two syncs on hold: cancels it."""

    def fulfil(self) -> None:
        for order_id in self.state.in_stage("acknowledged"):
            mine = self.state.orders[order_id]
            if mine.get("status") == "CONFIRMED" and not mine.get("po_number"):
                mine["waited"] = mine.get("waited", 0) + 1
                if mine["waited"] > 2:
                    log(f"{order_id}: no PO after two syncs, cancelling")
                    self.seller_cancel(order_id)
        super().fulfil()


class NeverCancelsLostStock(Connector):
    """Stock lost after the acknowledgement is ignored: the order is invoiced anyway."""

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        return False


class IgnoresStatusOnReread(Connector):
    """Re-reads held orders for their PO but never looks at their status: a cancelled order is invoiced."""

    def refresh_held_orders(self) -> None:
        held = self.state.in_stage("acknowledged", "invoiced", "packed", "manifested", "shipped")
        for order_id, order in self.read_orders(held).items():
            mine = self.state.orders[order_id]
            if order.get("po_number") and not mine.get("po_number"):
                self.client.document(order["po_pdf_url"])
            mine.update(po_number=order.get("po_number"), status="CONFIRMED", lines=[
                {"order_item_id": l["order_item_id"], "sku": l["item_details"]["item_code"], "quantity": l["quantity"]}
                for l in order["order_lines"]])


class ReadsByStatus(Connector):
    """Uses the status filter as if it were an 'updated since' feed: reads CONFIRMED orders, never by id."""

    def refresh_held_orders(self) -> None:
        for order in self.client.pages("/orders", "orders", status="CONFIRMED"):
            mine = self.state.orders.get(order["order_id"])
            if mine is None or mine["stage"] not in ("acknowledged", "invoiced"):
                continue
            if order.get("po_number") and not mine.get("po_number"):
                self.client.document(order["po_pdf_url"])
            mine.update(po_number=order.get("po_number"), status=order["status"], lines=[
                {"order_item_id": l["order_item_id"], "sku": l["item_details"]["item_code"], "quantity": l["quantity"]}
                for l in order["order_lines"]])


class NoStatusSyncAfterManifest(Connector):
    """Stops following an order once it is manifested: dispatch and delivery are never learnt."""

    def refresh_held_orders(self) -> None:
        for order_id in self.state.in_stage("manifested", "shipped"):
            self.state.orders[order_id]["stage"] = "done"
        super().refresh_held_orders()


class RereadsFinalOrders(Connector):
    """Keeps re-reading delivered and cancelled orders at every sync, for ever."""

    FINISHED_STAGES = ()  # keeps its final orders (the reference retires them), to read them again

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        final = self.state.in_stage("delivered", "cancelled")
        if final:
            self.read_orders(final)


class RefetchesDocuments(Connector):
    """Downloads the PO PDF again at every sync instead of keeping it."""

    def keep_document(self, url: str, kind: str) -> bytes:
        if kind == "purchase order":
            self.state.extra.setdefault("po_pdfs", []).append(url)
        return super().keep_document(url, kind)

    def refresh_held_orders(self) -> None:
        kept_before = list(self.state.extra.get("po_pdfs", []))   # by earlier syncs
        super().refresh_held_orders()
        for url in kept_before:
            self.client.document(url)


class SkipsDocument(Connector):
    """Never downloads one kind of AJIO's documents (it keeps the numbers, not the PDF)."""
    SKIPPED = ""

    def keep_document(self, url: str, kind: str) -> bytes:
        return b"" if kind == self.SKIPPED else super().keep_document(url, kind)


class SkipsPOPdf(SkipsDocument):
    """Never downloads AJIO's PO PDF."""
    SKIPPED = "purchase order"


class SkipsInvoicePdf(SkipsDocument):
    """Keeps the invoice number, never downloads the B2B invoice PDF."""
    SKIPPED = "B2B invoice"


class SkipsB2CInvoicePdf(SkipsDocument):
    """Downloads the label but not the B2C invoice that comes with it."""
    SKIPPED = "B2C invoice"


class SkipsManifestPdf(SkipsDocument):
    """Manifests but never downloads the manifest PDF."""
    SKIPPED = "manifest"


class CreditNoteWithoutPdf(SkipsDocument):
    """Keeps the credit note's number and series, never downloads its PDF."""
    SKIPPED = "credit note"


class DoubleProcesses(Connector):
    """Takes every order pendency lists as new work, forgetting the orders it already holds."""

    def import_pendency(self) -> None:
        for order in self.client.pages("/orders/pendency", "orders"):
            self.state.orders[order["order_id"]] = {"stage": "imported"}
            log(f"imported {order['order_id']}")


# -- Dropship: the bug hunt over the catalogue (lost stock, inventory, returns, tracking) -----------------


class IgnoresPickable(Connector):
    """Judges lost stock by the SKU's count alone, never by what the warehouse says it can still pick of the
    order (`pickable`): a unit of an acknowledged order damaged on the shelf goes unseen while the SKU's count
    still covers the order, and the order is invoiced though it cannot ship whole."""

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        return super().stock_lost(mine)


class ReturnsSinceNewest(Connector):
    """Reads returns from the newest return date it knows (a plain 'since last time' watermark), not from the
    oldest return still open: an older return whose parcel is still on its way drops out of the window once a
    newer return is listed, and is never put away."""

    def returns_window(self) -> dict:
        dates = [r["return_date"] for r in self.state.returns.values() if isinstance(r.get("return_date"), int)]
        return {"fromDate": max(dates)} if dates else {}


class InventoryVsLastPush(Connector):
    """Decides which SKUs changed against what it pushed last, not against the count AJIO's listing shows: AJIO
    moves its count by itself (a cancelled order's units go back on it) and that drift is never corrected."""

    def push_inventory(self) -> None:
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)}
                   for sku in (p[self.PRODUCT_SKU] for p in self.client.pages("/products", "products"))
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            self.push_inventory_batch(changed[start:start + self.INVENTORY_BATCH])


class InventoryPublishedOnly(Connector):
    """Reads only the published listings (publishedStatus=PUBLISHED) for the stock sync: an unpublished SKU
    keeps the count AJIO had when it went offline, and sells it again the moment it is republished."""

    def push_inventory(self) -> None:
        every_page = self.client.pages
        self.client.pages = lambda path, key, **params: every_page(path, key, **params, publishedStatus="PUBLISHED")
        try:
            super().push_inventory()
        finally:
            self.client.pages = every_page


class TrackingOnStatusChangeOnly(Connector):
    """Reads the courier's tracking only when the shipment's milestone changes, not when the number of failed
    attempts does: a second failed attempt (still DELIVERY_ATTEMPTED) is never read, the customer never told."""

    def sync_tracking(self) -> None:
        for order_id in self.state.in_stage("shipped", "delivered"):
            mine = self.state.orders[order_id]
            known = mine.get("tracking") or {}
            if (mine.get("courier_seen") or {}).get("shipment_status") == known.get("shipment_status"):
                continue   # the same milestone: taken for "nothing new", whatever the attempts say
            answer = self.client.get(f"/orders/{order_id}/tracking")
            for event in answer["events"][known.get("events_seen", 0):]:
                log(f"{order_id}: {event['status']} at {event['location']}")
            mine["tracking"] = {"shipment_status": answer["shipment_status"],
                                "delivery_attempts": answer["delivery_attempts"], "events_seen": len(answer["events"])}


class Reads100Ids(Connector):
    """Re-reads held orders 100 ids a call (AJIO takes at most 50 orderIds): with more than 50 orders held, every
    re-read is refused and nothing held moves on."""
    IDS_PER_READ = 100


class NoCreditNoteForOwnRto(Connector):
    """Closes an RTO it created itself at once ('we booked it, nothing more to come'): AJIO's credit note for
    that return is never fetched."""

    def create_rto(self, order_id: str) -> None:
        known = set(self.state.returns)
        super().create_rto(order_id)
        for return_id in set(self.state.returns) - known:
            self.state.returns[return_id]["stage"] = "closed"


class ManifestIgnoresFailedItems(Connector):
    """Takes a manifest answered 200 for "every shipment handed over": never reads failedDispatchItems, so an
    order whose line AJIO failed is marked manifested and never sent again (API-PER-LINE-FAILURES)."""

    def manifest_carrier(self, packed: list[str]) -> None:
        for start in range(0, len(packed), self.MANIFEST_MAX):
            chunk = packed[start:start + self.MANIFEST_MAX]
            answer = self.client.post("/orders/dispatch", {"dispatchItems": [self.dispatch_item(o) for o in chunk]})
            for order_id in chunk:
                self.state.orders[order_id]["stage"] = "manifested"
            self.keep_document(answer["manifestUrl"], "manifest")


# -- the second Dropship/JIT bug hunt: acknowledgement, held orders, the sync, inventory, returns -----------

IST = timezone(timedelta(hours=5, minutes=30))


class DsAckOmitsZeroLines(Connector):
    """Leaves a line it confirms nothing of out of the acknowledgement, as if unconfirmed meant cancelled: the
    line stays open in pendency, the order never becomes CONFIRMED, and AJIO's acknowledgement SLA later cancels
    all of it, the lines the warehouse could ship included."""

    def acknowledge_imported(self) -> None:
        post = self.client.post

        def without_zero_lines(path, body, headers=None):
            if path == "/orders" and body.get("status") == "Acknowledge":
                kept = [l for l in body["order_lines"] if l["confirmed_quantity"] > 0]
                body = {**body, "order_lines": kept or body["order_lines"]}
            return post(path, body, headers=headers)
        self.client.post = without_zero_lines
        try:
            super().acknowledge_imported()
        finally:
            self.client.post = post


class DsCodAllOrNothing(Connector):
    """Cancels a cash-on-delivery order whole at acknowledgement when any unit of it is short, believing a COD
    parcel cannot be partial: the units the warehouse holds are cancelled with the missing one and the sale is lost."""

    def acknowledgement_lines(self, order: dict) -> list[dict]:
        before = dict(self.reserved)
        lines = super().acknowledgement_lines(order)
        # the bug: a COD order short of any unit is cancelled whole
        if order.get("payment_method") == "COD" and any(l["cancelled_quantity"] for l in lines):
            self.reserved = before
            lines = [{**l, "confirmed_quantity": 0, "cancelled_quantity": l["confirmed_quantity"] + l["cancelled_quantity"]}
                     for l in lines]
        return lines


class DsSkuNormalisedSpaces(Connector):
    """Finds a SKU's stock with the spaces taken out of the SKU, so 'TOP 22/RED/S' and 'TOP22/RED/S' are one item
    to it: units of a look-alike SKU of the seller's own catalogue are confirmed for an order of the other."""

    def available_by_loose_sku(self, sku: str) -> int:
        loose = {k.replace(" ", ""): v for k, v in self.warehouse.stock.items()}
        return self.warehouse.stock.get(sku, loose.get(sku.replace(" ", ""), self.warehouse.default_stock))

    def confirmable(self, open_qty: int, sku: str) -> int:
        return min(open_qty, max(0, self.available_by_loose_sku(sku) - self.reserved.get(sku, 0)))


class DsPendencyAfterWatermark(Connector):
    """Takes from pendency only orders dated strictly after the newest order date it imported before: an order
    placed in the same second as that one (or listed late) is skipped for good and AJIO cancels it at its SLA."""

    def import_pendency(self) -> None:
        mark = self.state.meta.get("pendency_mark", -1)
        newest = mark
        for order in self.client.pages("/orders/pendency", "orders"):
            if order["order_date"] <= mark:
                continue
            newest = max(newest, order["order_date"])
            if not self.state.holds(order["order_id"]):
                self.state.orders[order["order_id"]] = {"stage": "imported"}
                log(f"imported {order['order_id']}")
        self.state.meta["pendency_mark"] = newest


class DsKeepsFirstLines(Connector):
    """Freezes an order's lines as first read after acknowledging it: a later partial cancellation by the customer
    is never seen, so the lost-stock check still wants the old quantity and seller-cancels an order the warehouse
    could ship (and an RTO would name units that never left)."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for mine in self.state.orders.values():
            if "lines" in mine:
                mine.setdefault("first_lines", mine["lines"])
                mine["lines"] = mine["first_lines"]


class DsStopsSyncOnError(Connector):
    """Abandons the rest of the sync when one phase fails: while AJIO's inventory (or returns) service is down,
    no order is acknowledged, invoiced or manifested, and AJIO's SLAs cancel the orders."""

    def sync(self) -> None:
        self.warehouse = Warehouse(self.warehouse_path, self.assume_stock)
        for name in self.PHASES:
            writes = self.client.writes
            try:
                getattr(self, name)()
            except AjioError as exc:
                self.errors += 1
                log(f"{name}: {exc}; sync abandoned")
                break   # the bug: the reference goes on with the other phases
            finally:
                if self.client.writes != writes:
                    self.state.save()
        if self.FINISHED_STAGES:
            self.state.retire(*self.FINISHED_STAGES)
        self.state.save()


class DsTrackingStopsAtRto(Connector):
    """Stops following a shipment's tracking once it shows RTO_INITIATED: the parcel's way back and its arrival at
    the warehouse (RTO_DELIVERED) are never read."""

    def sync_tracking(self) -> None:
        parked = []
        for order_id in self.state.in_stage("shipped"):
            mine = self.state.orders[order_id]
            if (mine.get("tracking") or {}).get("shipment_status", "") and \
                    str(mine["tracking"]["shipment_status"]).startswith("RTO"):
                mine["stage"] = "rto-untracked"
                parked.append(order_id)
        try:
            super().sync_tracking()
        finally:
            for order_id in parked:
                self.state.orders[order_id]["stage"] = "shipped"


class DsInventoryAtp(Connector):
    """Pushes the warehouse's count less the units of orders it holds and has not packed ('available to
    promise'): those units are already out of the warehouse's count and AJIO takes them off its own, so they are
    taken off twice and AJIO offers less than the seller can sell."""

    def push_inventory(self) -> None:
        committed: dict[str, int] = {}
        for order_id in self.state.in_stage("acknowledged", "invoiced"):
            for line in self.state.orders[order_id].get("lines") or []:
                committed[line["sku"]] = committed.get(line["sku"], 0) + line["quantity"]
        available = self.warehouse.available
        self.warehouse.available = lambda sku: max(0, available(sku) - committed.get(sku, 0))
        try:
            super().push_inventory()
        finally:
            self.warehouse.available = available


class DsUnpublishedPushedZero(Connector):
    """Pushes 0 for every unpublished listing, reading 'not for sale' as 'no stock': AJIO's count is wiped, and
    once the listing is published again it shows 0 while the warehouse holds units."""

    def push_inventory(self) -> None:
        changed = []
        for product in self.client.pages("/products", "products"):
            sku = product[self.PRODUCT_SKU]
            quantity = self.warehouse.available(sku) if product.get("published_status", "PUBLISHED") == "PUBLISHED" else 0
            shown = product["quantity"] if "quantity" in product else self.state.inventory.get(sku)
            if shown != quantity:
                changed.append({"sku": sku, "quantity": quantity})
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            self.push_inventory_batch(changed[start:start + self.INVENTORY_BATCH])


class DsRereadOnePage(Connector):
    """Re-reads held orders 50 ids a call but reads only the first page of each answer, without asking a page size:
    AJIO answers 20 of them, and the orders missing from that page are taken as gone and never acknowledged."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        out = {}
        for start in range(0, len(order_ids), self.IDS_PER_READ):
            chunk = order_ids[start:start + self.IDS_PER_READ]
            for order in self.client.get("/orders", orderIds=",".join(chunk))["orders"]:
                out[order["order_id"]] = order
        return out


class DsSecondReturnIgnored(Connector):
    """Files returns by their order, one per order: a second return of an order that already had one (another unit
    sent back later) is skipped, never put away."""

    def sync_returns(self) -> None:
        pages = self.client.pages

        def first_return_per_order(path, key, **params):
            known = {}
            for rid, mine in self.state.returns.items():
                known.setdefault(mine["order_id"], rid)
            for ret in pages(path, key, **params):
                first = known.setdefault(ret["order_id"], ret["return_order_id"])
                if path == "/returns" and first != ret["return_order_id"]:
                    continue
                yield ret
        self.client.pages = first_return_per_order
        try:
            super().sync_returns()
        finally:
            self.client.pages = pages


class DsCreditNotePerOrder(Connector):
    """Counts an order as credited once one of its returns has its credit note: the credit note of the order's
    other return is never fetched."""

    def fetch_credit_notes(self) -> None:
        credited = {m["order_id"] for m in self.state.returns.values() if m["stage"] == "credited"}
        for mine in self.state.returns.values():
            if mine["stage"] == "put_away" and mine["order_id"] in credited:
                mine["stage"] = "credited"
        super().fetch_credit_notes()


class DsRtoOrderedQuantity(Connector):
    """Builds the RTO of a parcel that came back unannounced from the ordered quantities, not the shipped ones:
    units cancelled before shipping are named too, AJIO refuses the RTO and the parcel is never booked back."""

    def create_rto(self, order_id: str) -> None:
        order = self.read_orders([order_id])[order_id]
        code = self.warehouse.qc_code(order_id)
        answer = self.client.post("/return/rto", {"order_id": order_id, "order_items": [
            {"order_item_id": l["order_item_id"], "quantity": l["ordered_quantity"], "qc_code": code}
            for l in order["order_lines"] if l["ordered_quantity"] > 0]})
        self.state.rto_created.append(order_id)
        self.state.returns[answer["return_order_id"]] = {"order_id": order_id, "stage": "put_away"}


class DsRtoExpectedWindowOnly(Connector):
    """Checks a parcel reported back without an expectation only against the returns read in this sync's window,
    not every return it holds: an RTO expectation already put away is forgotten and a second RTO is created, which
    AJIO refuses."""

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        return listed   # the bug: the reference also counts every return it holds from earlier reads


class DsReturnsToEndOfUtcDay(Connector):
    """Ends its return read at 23:59:59 IST of the UTC date: from midnight to 05:30 IST that is yesterday's end,
    so a return raised after midnight IST is not seen (nor put away) before 05:30."""

    def returns_window(self) -> dict:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        utc_day = datetime.fromtimestamp(now, timezone.utc).date()
        end = datetime(utc_day.year, utc_day.month, utc_day.day, 23, 59, 59, tzinfo=IST)
        return {**super().returns_window(), "toDate": int(end.timestamp())}
