"""JIT bugs: each class is the reference JIT connector with ONE bug planted (buggy.py lists them by name)."""
from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timezone

from ajio_client import AjioError, AjioUnreachable
from client_bugs import (
    FirstPageClient,
    LoginEveryCallClient,
    NoTokenDocumentsClient,
    ResetIsFinalClient,
    RetryAfterIgnoringClient,
    StickyTokenClient,
)
from connector import State, log
from ds_bugs import ManifestIgnoresFailedItems
from jit_connector import JitConnector

# -- the client's bugs, in the JIT flow -----------------------------------------------------------------


class JitIgnoresTokenExpiry(JitConnector):
    client_class = StickyTokenClient


class JitLoginsEveryCall(JitConnector):
    client_class = LoginEveryCallClient


class JitIgnoresRetryAfter(JitConnector):
    client_class = RetryAfterIgnoringClient


class JitNoRetryOnReset(JitConnector):
    client_class = ResetIsFinalClient


class JitFirstPageOnly(JitConnector):
    client_class = FirstPageClient


class JitDocumentsWithoutToken(JitConnector):
    client_class = NoTokenDocumentsClient


class JitSharedState(JitConnector):
    """Keeps one memory for all the seller's stores (one state file per installation, not per POB)."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env)
        self.state = State(os.path.dirname(os.path.abspath(self.state_dir)))


# -- SKUs and inventory -----------------------------------------------------------------------------------


class JitMapsProductOnly(JitConnector):
    """Maps ChannelProductId to AJIO's ProductId alone: every size of a style maps to one SKU."""

    def channel_product_id(self, item: dict) -> str:
        return str(item["product_id"])

    def pull_skus(self) -> None:
        mapping: dict[str, str] = {}
        for product in self.client.pages("/products", "products", moderationStatus="APPROVED"):
            mapping.setdefault(self.channel_product_id(product), product[self.PRODUCT_SKU])
        self.state.extra["skus"] = mapping


class JitSkuPullOnce(JitConnector):
    """Pulls AJIO's SKUs at its first sync only: a SKU approved later is never mapped."""

    def pull_skus(self) -> None:
        if "skus" not in self.state.extra:
            super().pull_skus()


class JitOneBigManifest(JitConnector):
    """Puts every packed PO into one manifest, however many."""
    MANIFEST_MAX = 10_000


class JitInventoryInOneCall(JitConnector):
    """Pushes every SKU's stock in one call."""
    INVENTORY_BATCH = 10_000


class JitInventoryAsText(JitConnector):
    """Sends quantities as text (read from a CSV export): "9", not 9."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        super().push_inventory_batch([{**line, "quantity": str(line["quantity"])} for line in lines])


class JitPushesWarehouseSkus(JitConnector):
    """Pushes every SKU its warehouse knows, also those AJIO never listed."""

    def pulled_skus(self) -> list[str]:
        return sorted(set(super().pulled_skus()) | set(self.warehouse.stock))


class JitSkipsZeroStock(JitConnector):
    """Leaves out SKUs at zero ('nothing to sell'): AJIO keeps the last quantity it was told."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        if [line for line in lines if line["quantity"]]:
            super().push_inventory_batch([line for line in lines if line["quantity"]])


class JitPushesEverything(JitConnector):
    """Pushes every SKU at every sync, changed or not."""

    def push_inventory(self) -> None:
        self.state.inventory.clear()
        super().push_inventory()


class JitNoReconcile(JitConnector):
    """Never compares AJIO's view with the warehouse: drift stays."""

    def reconcile_inventory(self) -> None:
        pass


class JitReconcilesEverySync(JitConnector):
    """Reconciles at every sync instead of once a day."""

    def reconcile_inventory(self) -> None:
        self.state.extra.pop("reconciled", None)
        super().reconcile_inventory()


class JitNoBackorders(JitConnector):
    """Never pulls back orders."""

    def pull_backorders(self) -> None:
        pass


class JitBackordersPerPO(JitConnector):
    """Pulls the back orders again for every PO it starts."""

    def start_po(self, po: dict) -> None:
        super().start_po(po)
        self.pull_backorders()


# -- purchase orders --------------------------------------------------------------------------------------


class JitAcknowledges(JitConnector):
    """Treats a JIT PO like a Dropship order: acknowledges it first (and carries on when AJIO refuses)."""

    def start_po(self, po: dict) -> None:
        try:
            self.client.post("/orders", {"order_id": po["order_id"], "status": "Acknowledge"})
        except AjioError as exc:
            log(f"acknowledge {po['order_id']}: {exc}")
        super().start_po(po)


class JitInvoicesBeforeCancelling(JitConnector):
    """Invoices the PO first and cancels the shortfall afterwards, never updating the invoice."""

    def start_po(self, po: dict) -> None:
        self.client.post(f"/orders/{po['order_id']}/invoice", {})
        super().start_po(po)


class JitCancelsWholeLine(JitConnector):
    """A line it cannot supply in full is cancelled whole, even the units the warehouse holds."""

    def picked(self, line: dict) -> int:
        return line["open"] if self.warehouse.available(line["sku"]) >= line["open"] else 0


class JitPacksOrderedQuantity(JitConnector):
    """Packs each line's ordered quantity, not what is left after its cancellation."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        ordered = {line["order_item_id"]: line["quantity"] for line in self.current_po["order_lines"]}
        return super().boxes(po_id, [{**line, "open": ordered[line["order_item_id"]]} for line in lines])

    def map_lines(self, po: dict) -> list[dict] | None:
        self.current_po = po
        return super().map_lines(po)


class JitBoxNumbersPerPO(JitConnector):
    """Numbers boxes 1, 2, ... on every PO, as printed on the carton: box ids repeat across POs."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        out = super().boxes(po_id, lines)
        for n, box in enumerate(out, 1):
            box.update(box_id=f"BOX-{n:02d}", seal_id=f"SEAL-{n:02d}")
        return out


class JitNewBoxIdsOnRetry(JitConnector):
    """When a pack call gets no answer, packs again with new box ids (uuid4 per attempt)."""
    client_class = ResetIsFinalClient

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        out = super().boxes(po_id, lines)
        for box in out:
            box.update(box_id=f"BX-{uuid.uuid4().hex[:10]}", seal_id=f"SL-{uuid.uuid4().hex[:10]}")
        return out

    def pack(self, po_id: str, mine: dict) -> None:
        try:
            super().pack(po_id, mine)
        except AjioUnreachable:
            super().pack(po_id, mine)


class JitCancelWithoutKey(JitConnector):
    """Sends its cancellations without an Idempotency-Key: a retry after a lost answer cancels again."""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        short = [{"order_item_id": line["order_item_id"], "quantity": line["open"] - self.picked(line)}
                 for line in lines if line["open"] > self.picked(line)]
        if not short:
            return lines
        answer = self.client.post(f"/orders/{po_id}/cancel", {"lines": short})
        left = {line["order_item_id"]: line["open_quantity"] for line in answer["order_lines"]}
        return [{**line, "open": left[line["order_item_id"]]} for line in lines]


class JitNoInvoiceUpdate(JitConnector):
    """After cancelling what the pick found short, packs without having AJIO re-issue the invoice."""

    def update_invoice(self, po_id: str, mine: dict) -> None:
        log(f"PO {po_id}: keeping invoice {mine['invoice_number']}")


class JitManifestsFirstInvoiceNumber(JitConnector):
    """Manifests a PO under the invoice number it got first, even after AJIO re-issued the invoice."""

    def update_invoice(self, po_id: str, mine: dict) -> None:
        first = mine["invoice_number"]
        super().update_invoice(po_id, mine)
        mine["invoice_number"] = first


class JitNewBoxesAtPack(JitConnector):
    """Prefetches labels at picklist time but packs in boxes with new ids: the prefetched labels are void."""

    def pack(self, po_id: str, mine: dict) -> None:
        boxes = [{**b, "box_id": b["box_id"] + "-P"} for b in self.boxes(po_id, mine["lines"])]
        packed = self.client.post(f"/orders/{po_id}/pack", {"boxes": boxes})
        for box in packed["boxes"]:
            self.keep_document(box["label_pdf_url"], "box label")
        mine.update(stage="packed", master_awb=packed["master_awb"])


class JitManifestsPrepacked(JitConnector):
    """Counts a PO as ready for the manifest once its labels are prefetched, before it is packed."""

    def prepack(self, po_id: str, mine: dict) -> None:
        super().prepack(po_id, mine)
        mine.update(stage="packed", master_awb=None)

    def dispatch_item(self, order_id: str) -> dict:
        mine = self.state.orders[order_id]
        if not mine.get("master_awb"):
            mine["stage"] = "picking"
            return {"masterAWB": f"{order_id}-B01", "orderId": order_id, "invoiceNo": mine["invoice_number"]}
        return super().dispatch_item(order_id)


class JitSkipsManifestWhenReady(JitConnector):
    """A PO READY_TO_DISPATCH at pack (seller setting) is taken as manifested: no manifest is made."""

    def pack(self, po_id: str, mine: dict) -> None:
        super().pack(po_id, mine)
        mine["stage"] = "manifested"


class JitSkipsManifestPdf(JitConnector):
    """Manifests but never downloads the manifest document."""

    def keep_document(self, url: str, kind: str) -> bytes:
        return b"" if kind == "manifest" else super().keep_document(url, kind)


class JitReinvoicesEverySync(JitConnector):
    """Asks AJIO for the invoice of every PO it holds at every sync, 'to have the latest'."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for po_id in self.state.in_stage("manifested", "shipped"):
            self.client.post(f"/orders/{po_id}/invoice", {})


class JitNoStatusSync(JitConnector):
    """Forgets a PO once it is manifested: its dispatch and delivery are never learnt."""

    def refresh_held_orders(self) -> None:
        for po_id in self.state.in_stage("manifested"):
            self.state.orders[po_id]["stage"] = "done"


class JitDoubleProcesses(JitConnector):
    """Starts every PO pendency lists, without checking the POs it already holds."""

    def process_pendency(self) -> None:
        for po in list(self.client.pages("/orders/pendency", "orders")):
            try:
                self.state.orders.pop(po["order_id"], None)
                self.start_po(po)
            except AjioError as exc:
                self.errors += 1
                log(f"{po['order_id']}: {exc}")


# -- returns ----------------------------------------------------------------------------------------------


class JitNoReturnsPull(JitConnector):
    """Never pulls returns."""

    def pull_returns(self) -> None:
        pass


class JitSkipsInvoicePdf(JitConnector):
    """Keeps the invoice number but never downloads the invoice document AJIO generated."""

    def keep_document(self, url: str, kind: str) -> bytes:
        return b"" if kind == "invoice" else super().keep_document(url, kind)


class JitWaitsForStock(JitConnector):
    """Leaves a PO it cannot supply in full in pendency, 'until the stock comes in', instead of cancelling
    what it lacks: AJIO's PO is never processed."""

    def start_po(self, po: dict) -> None:
        lines = self.map_lines(po)
        self.picking_for = po["order_id"]
        if lines and any(self.picked(line) < line["open"] for line in lines):
            log(f"PO {po['order_id']}: short, waiting for stock")
            return
        super().start_po(po)


class JitReturnsQc(JitConnector):
    """Handles a JIT return like a Dropship one: posts a QC to AJIO (and carries on when refused)."""

    def pull_returns(self) -> None:
        super().pull_returns()
        for return_id, mine in self.state.returns.items():
            if mine.get("stage") == "to_inbound":
                try:
                    self.client.post(f"/returns/{return_id}/qc", {"items": []})
                except AjioError as exc:
                    log(f"QC of {return_id}: {exc}")
                mine["stage"] = "qc_sent"


# -- the bug hunt over the JIT catalogue (SKUs, inventory) ---------------------------------------------------


class JitPullsPendingSkus(JitConnector):
    """Pulls every SKU AJIO lists, not in moderation mode: SKUs AJIO has not approved yet are mapped too, and
    their stock pushed."""

    def pull_skus(self) -> None:
        self.state.extra["skus"] = {self.channel_product_id(product): product[self.PRODUCT_SKU]
                                    for product in self.client.pages("/products", "products")}


class JitForgetsPackedUnits(JitConnector):
    """Does not take packed units off what it believes AJIO shows: AJIO's view drops by what was packed, and a
    restock that brings the warehouse back to the count pushed before the pack is taken for no change, never
    pushed."""

    def pack(self, po_id: str, mine: dict) -> None:
        believed = dict(self.state.inventory)
        super().pack(po_id, mine)
        self.state.inventory.clear()
        self.state.inventory.update(believed)


class JitReconcilesByUtcDay(JitConnector):
    """Counts the daily reconciliation's day in UTC, not the seller's day (IST): from midnight to 05:30 IST a new
    day is still yesterday to it, and the drift waits for 05:30."""

    def today(self) -> str:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        return datetime.fromtimestamp(now, timezone.utc).date().isoformat()


class JitManifestIgnoresFailedItems(ManifestIgnoresFailedItems, JitConnector):
    """Takes a JIT manifest answered 200 for "every PO handed over": never reads failedDispatchItems, so a PO
    whose line AJIO failed stays packed, never picked up (API-PER-LINE-FAILURES). The Dropship bug's manifest,
    which the JIT connector shares."""


# -- the second Dropship/JIT bug hunt ----------------------------------------------------------------------


class JitBoxIdsPerRun(JitConnector):
    """Numbers boxes and seals from a counter that restarts with every run: ids are unique within one sync but the
    next sync reuses them, and AJIO refuses that pack."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        out = super().boxes(po_id, lines)
        plan = getattr(self, "_box_plan", {})
        self._box_plan = plan
        if po_id not in plan:
            counter = getattr(self, "_box_counter", 0)
            ids = []
            for _ in out:
                counter += 1
                ids.append((f"B{counter:04d}", f"S{counter:04d}"))
            self._box_counter = counter
            plan[po_id] = ids
        for box, (box_id, seal_id) in zip(out, plan[po_id]):
            box.update(box_id=box_id, seal_id=seal_id)
        return out


class JitPackPickedSkipsInvoiced(JitConnector):
    """Packs only the POs it prefetched: a PO invoiced by an earlier sync whose pack failed (AJIO down) is left
    INVOICED for ever, never packed or shipped."""

    def pack_picked(self) -> None:
        for po_id in self.state.in_stage("invoiced"):
            self.state.orders[po_id]["stage"] = "invoiced-waiting"
        try:
            super().pack_picked()
        finally:
            for po_id in self.state.in_stage("invoiced-waiting"):
                self.state.orders[po_id]["stage"] = "invoiced"


class JitIgnoresPackedThisSync(JitConnector):
    """Forgets the units it packed earlier in the same sync when allocating the next PO (the warehouse file does not
    show them yet): two POs wanting the last units are both invoiced and packed whole, more than the warehouse has."""

    def allocated(self, sku: str) -> int:
        return super().allocated(sku) - getattr(self, "packed_now", {}).get(sku, 0)


class JitPushesBeforeSkuPull(JitConnector):
    """Runs the inventory push before the SKU pull: the first sync pushes nothing at all, and a SKU approved since
    the last sync gets its stock one sync late."""
    PHASES = ("push_inventory", "pull_skus", "reconcile_inventory", "process_pendency", "pack_picked", "manifest",
              "refresh_held_orders", "pull_backorders", "pull_returns")


class JitReconViewSkusOnly(JitConnector):
    """Reconciles only the SKUs AJIO's view shows a count for, reading a row at 0 as 'not listed': a SKU whose count
    AJIO lost to 0 while the warehouse holds stock is never corrected."""

    def reconcile_inventory(self) -> None:
        if not self.warehouse.settings.get("inventory_recon", True) or self.state.extra.get("reconciled") == self.today():
            return
        view = {row["sku"]: row["quantity"] for row in self.client.get("/inventory")["inventory"] if row["quantity"]}
        drifted = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if sku in view and view[sku] != self.warehouse.available(sku)]
        for start in range(0, len(drifted), self.INVENTORY_BATCH):
            self.push_inventory_batch(drifted[start:start + self.INVENTORY_BATCH])
        self.state.extra["reconciled"] = self.today()


class JitReconMarkedBeforePush(JitConnector):
    """Marks the day reconciled as soon as it has read AJIO's view, before the drift is pushed: when that push fails
    (AJIO down) the drift stays until the next day."""

    def reconcile_inventory(self) -> None:
        if not self.warehouse.settings.get("inventory_recon", True) or self.state.extra.get("reconciled") == self.today():
            return
        view = {row["sku"]: row["quantity"] for row in self.client.get("/inventory")["inventory"]}
        self.state.extra["reconciled"] = self.today()
        self.state.save()
        drifted = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if view.get(sku) != self.warehouse.available(sku)]
        for start in range(0, len(drifted), self.INVENTORY_BATCH):
            self.push_inventory_batch(drifted[start:start + self.INVENTORY_BATCH])


class JitCancelKeyPerPo(JitConnector):
    """Sends every cancellation of a PO under one Idempotency-Key: the shortfall found at the pack after the one at
    the pick looks like a repeat of the first, AJIO answers it as a conflicting repeat, and the PO is never packed."""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        post = self.client.post

        def one_key(path, body, headers=None):
            return post(path, body, headers={"Idempotency-Key": f"{po_id}-cancel"})
        self.client.post = one_key
        try:
            return super().cancel_shortfall(po_id, lines, moment)
        finally:
            self.client.post = post


class JitSkuMapNeverForgets(JitConnector):
    """Only ever adds to its SKU mapping: a SKU AJIO sent back to moderation stays mapped and its stock changes are
    still pushed."""

    def pull_skus(self) -> None:
        known = dict(self.state.extra.get("skus", {}))
        super().pull_skus()
        self.state.extra["skus"] = {**known, **self.state.extra["skus"]}


class JitPushesAtp(JitConnector):
    """Pushes the warehouse's count less the open units of POs invoiced and not packed ('available to promise'):
    AJIO takes packed units off its view itself, so the units come off twice and AJIO is told less than the seller
    has."""

    def push_inventory(self) -> None:
        available = self.warehouse.available
        self.warehouse.available = lambda sku: max(0, available(sku) - self.allocated(sku))
        try:
            super().push_inventory()
        finally:
            self.warehouse.available = available


class JitReturnsNoLookback(JitConnector):
    """Starts its returns window at its first pull ("from now on"): on an empty state (a first install, a
    reinstall) the returns AJIO raised before are never pulled."""

    def pull_returns(self) -> None:
        if "returns_pulled_at" not in self.state.extra:
            now = int(self.warehouse.now if self.warehouse.now is not None else time.time())
            self.state.extra["returns_pulled_at"] = now + 86400  # the reference's day of overlap, cancelled out
        super().pull_returns()
