"""Bugs of the sixth blind Dropship/JIT bug hunt that the catalogue let through (or caught under another rule):
each class is the reference connector with ONE planted mistake, as real integrators make them. buggy.py lists
them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from ajio_client import AjioError
from connector import Connector, log
from jit_connector import JitConnector


class DsCreditNoteSkipsBadQc(Connector):
    """DS-CREDIT-NOTE-FETCHED: a return put away BAD is taken to earn no credit note (damaged goods "are a
    dispute"): it is closed without asking AJIO, whose credit note of a BAD putaway is never fetched."""

    def fetch_credit_notes(self) -> None:
        for return_id, mine in self.state.returns.items():
            code = mine.get("qc_code") or self.warehouse.qc_code(mine.get("order_id", ""))
            if mine.get("stage") == "put_away" and code == "BAD":
                mine["stage"] = "closed"
                log(f"{return_id}: put away BAD, no credit note expected: closed")
        super().fetch_credit_notes()


class DsAckMergesLinesBySku(Connector):
    """DS-ACK-PENDING-ONLY: the ERP keys an order's lines by SKU: two lines of one SKU are acknowledged as the
    first line with the summed quantity, the second line unnamed; AJIO refuses it and the order stays pending."""

    def orders_to_acknowledge(self) -> list[dict]:
        merged = []
        for order in super().orders_to_acknowledge():
            by_sku: dict[str, dict] = {}
            for line in order["order_lines"]:
                sku = line["item_details"]["item_code"]
                if sku in by_sku:
                    by_sku[sku]["quantity"] += line["quantity"]
                else:
                    by_sku[sku] = dict(line)
            merged.append({**order, "order_lines": list(by_sku.values())})
        return merged


class DsStockLostFirstLineOnly(Connector):
    """DS-SELLER-CANCEL-UNTIL-INVOICED: the check for units lost before invoicing looks at the order's first line
    only (the ERP's order header carries one SKU): a unit lost on a second line is invoiced and shipped short."""

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        return super().stock_lost({**mine, "lines": (mine.get("lines") or [])[:1]}, order_id)


class DsUnlistedPickableAsZero(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK: an order (or a SKU of one) the warehouse's pick report does not name is read as
    nothing pickable: orders the warehouse can ship whole are seller-cancelled."""

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        if self.warehouse.pickable is not None and order_id is not None:
            can = self.warehouse.pickable.get(order_id, {})
            return any(line["quantity"] > can.get(line["sku"], 0) for line in mine["lines"] if line["quantity"])
        return super().stock_lost(mine, order_id)


class JitReconSettingIgnored(JitConnector):
    """JIT-INVENTORY-RECONCILE: the daily reconciliation runs whatever the channel's `inventory_recon` setting
    says: a seller who turned it off still has AJIO's view read and drift pushed every day."""

    def reconcile_inventory(self) -> None:
        settings = self.warehouse.settings
        self.warehouse.settings = {**settings, "inventory_recon": True}
        try:
            super().reconcile_inventory()
        finally:
            self.warehouse.settings = settings


class JitInventoryOneBatchPerSync(JitConnector):
    """JIT-INVENTORY-PUSH: one inventory call a sync, "to stay under the throttle": the first 50 changed SKUs; the
    rest wait for later syncs, showing stale stock on AJIO meanwhile."""

    def push_inventory(self) -> None:
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        if changed:
            self.push_inventory_batch(changed[:self.INVENTORY_BATCH])


class JitManifestsThisSyncOnly(JitConnector):
    """JIT-MANIFEST-DOCUMENT: the manifest is built from the POs packed in this run (an in-memory wave), not from
    every packed PO: a PO packed in a sync whose manifest call failed stays packed for good."""

    def pack(self, po_id: str, mine: dict) -> None:
        super().pack(po_id, mine)
        self.__dict__.setdefault("wave", set()).add(po_id)

    def manifest_carrier(self, packed: list[str]) -> None:
        wave = self.__dict__.get("wave", set())
        this_run = [po_id for po_id in packed if po_id in wave]
        if this_run:
            super().manifest_carrier(this_run)


class JitSkuPullClearsMapOnFailure(JitConnector):
    """JIT-PO-PROCESSED: the SKU pull empties the channel mapping, then fills it page by page (TRUNCATE + INSERT):
    a pull that fails leaves the mapping empty, and POs mapped the sync before wait as "not pulled yet"."""

    def pull_skus(self) -> None:
        self.state.extra["skus"] = {}
        super().pull_skus()


class DsTrackingFailedReadMarked(Connector):
    """DS-TRACKING-SYNC: a tracking read that fails is logged and the shipment's change taken as read (no new
    milestones): the failed attempt whose read failed is never read, and the customer never told."""

    def read_tracking(self, order_id: str, mine: dict) -> dict:
        try:
            return super().read_tracking(order_id, mine)
        except AjioError as exc:
            log(f"{order_id}: tracking unavailable ({exc}): nothing new")
            seen = mine.get("courier_seen") or {}
            return {"shipment_status": seen.get("shipment_status"), "delivery_attempts": seen.get("delivery_attempts", 0),
                    "events": []}


class DsCreditNoteClosedOn5xx(Connector):
    """DS-CREDIT-NOTE-FETCHED: a credit-note call that failed past the retries (AJIO down) closes the return as if
    AJIO had no credit note for it: the note is never fetched."""

    def credit_note_failed(self, return_id: str, mine: dict, exc: AjioError) -> None:
        mine["stage"] = "closed"
        log(f"{return_id}: no credit note ({exc}): closed")


class JitDocumentErrorSwallowed(JitConnector):
    """JIT-PO-PROCESSED: a document download that fails is logged and forgotten: the invoice PDF of a PO invoiced
    while AJIO's documents were down is never kept."""

    def keep_document(self, url: str, kind: str) -> bytes:
        try:
            return super().keep_document(url, kind)
        except AjioError as exc:
            log(f"{kind} not downloaded: {exc}")
            return b""
