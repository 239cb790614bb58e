"""JIT inputs the catalogue never varied (vary18j): a value AJIO adds to the stock push's answer, crashes at the
reads the JIT flow depends on (the reconciliation's view, the back orders, the invoice PDF, the SKU pull's second
page), a held PO missing from a lagging status re-read, a cancelled PO listed again by a lagging pendency, the
prepack and the back-order pull down for two syncs.
Each is the reference with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

import json
from pathlib import Path

from ajio_client import PAGE_SIZE, AjioError
from connector import log
from jit_connector import JitConnector


class SyncStopped(Exception):
    """An answer this connector does not understand: the rest of the sync is left for the next one."""


class JitPushStatusStopsSync(JitConnector):
    """JIT-PO-PROCESSED: the stock push's answer is read strictly: its `status` must be SUCCESS (the one pinned
    value), anything else stops the sync as "AJIO said something we do not understand: do nothing more until a person
    looks" (a fail-safe, as an enum parse raising on an unknown member). The push is not recorded either, so while AJIO
    answers the push with a value it added, every sync pushes again and stops there: the POs raised meanwhile are
    never invoiced, packed or manifested."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        answer = self.client.post("/inventory", {"inventory": lines})
        if answer.get("status") != "SUCCESS":                              # the bug
            raise SyncStopped(f"inventory push answered {answer.get('status')!r}")
        self.state.inventory.update({line["sku"]: line["quantity"] for line in lines})
        log(f"inventory: {len(lines)} SKU(s) pushed")

    def sync(self) -> None:
        try:
            super().sync()
        except SyncStopped as exc:
            log(f"sync stopped: {exc}")
            self.state.save()


class JitReconciledMarkedFirst(JitConnector):
    """JIT-INVENTORY-RECONCILE: the day is marked reconciled (and saved) before AJIO's view is read, "so a
    reconciliation that fails is not tried again in a loop the same day". A run that dies right after AJIO answered
    the view (or a view read that fails) leaves the day marked done: a SKU that drifted on AJIO is not corrected
    before the next day, and AJIO sells the drifted count all day."""

    def reconcile_inventory(self) -> None:
        if not self.warehouse.settings.get("inventory_recon", True) or self.state.extra.get("reconciled") == self.today():
            return
        self.state.extra["reconciled"] = self.today()                     # the bug: marked before the read
        self.noted += 1                                                    # (on disk before the read leaves)
        view = {row["sku"]: row["quantity"] for row in self.client.get("/inventory")["inventory"]}
        drifted = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if view.get(sku) != self.warehouse.available(sku)]
        for start in range(0, len(drifted), self.INVENTORY_BATCH):
            self.push_inventory_batch(drifted[start:start + self.INVENTORY_BATCH])
        log(f"reconciliation: {len(drifted)} SKU(s) had drifted on AJIO")


class JitStateSavedAtEndOnly(JitConnector):
    """JIT-INVENTORY-PUSH: the state file is written once, at the end of a sync ("fewer disk writes", as
    hunt7's DsStateSavedAtEndOnly): a run killed at its last reads (the back-order pull) forgets every change AJIO
    took in it. Its stock push is sent again unchanged at the next run, and the POs it packed and manifested are
    unknown here, never followed to their delivery."""

    def sync(self) -> None:
        save, self.state.save = self.state.save, lambda: None
        try:
            super().sync()
        finally:
            self.state.save = save
        self.state.save()


class JitInvoicePdfOwedOnFailureOnly(JitConnector):
    """JIT-PO-PROCESSED: the invoice PDF is printed right after AJIO's invoice answer and written to the PO's "owed"
    list only when the download fails ("the retry queue holds failures"). A failed download is fetched again at the
    next sync, as it must be; but a run that dies at the download (after the invoice was taken and saved, before the
    PDF came) has noted nothing owed: the PO is packed and shipped at the next run, its invoice document never
    kept."""

    def invoice(self, po_id: str, mine: dict) -> None:
        answer = self.client.post(f"/orders/{po_id}/invoice", {})
        mine.update(invoice_number=answer["invoice_number"], stage="invoiced")
        self.reserving[po_id] = mine
        log(f"PO {po_id}: invoice {answer['invoice_number']}")
        try:
            self.keep_document(answer["invoice_pdf_url"], "invoice")
        except AjioError:                                                  # the bug: owed only on failure
            mine.setdefault("documents_owed", []).append([answer["invoice_pdf_url"], "invoice"])
            self.noted += 1
            raise


class JitHeldPoMissingDropped(JitConnector):
    """API-NO-UPDATED-SINCE: a held PO the status re-read (`GET /jit/orders?orderIds=...`) does not list is taken as
    gone ("AJIO answers 404 for an unknown id, so a PO missing from a 200 must be closed"): it is no longer re-read.
    While AJIO's status read lags (an older page, without a PO manifested since), that PO is dropped here for good:
    its pickup and delivery are never learnt."""

    def refresh_held_orders(self) -> None:
        held = [o for o, m in self.state.orders.items() if m["stage"] in self.HELD_STAGES]
        answered = self.read_orders(held)
        for order_id in held:
            if order_id not in answered:                                   # the bug
                log(f"PO {order_id}: not in AJIO's answer: closed")
                self.state.orders[order_id]["stage"] = "closed"
        super().refresh_held_orders()


class JitPickingNotedBeforePrepack(JitConnector):
    """JIT-PO-PROCESSED: a PO is noted as picking (its picklist made) before its prepack call, "so a crash never
    prefetches it twice". A prepack AJIO refuses for a sync (a 503) leaves the PO picking here with no invoice and no
    labels: the next syncs try to pack it, AJIO refuses every pack (no invoice yet), and the PO is never prefetched
    again: it stays CREATED at AJIO for good."""

    def prepack(self, po_id: str, mine: dict) -> None:
        mine["stage"] = "picking"                                          # the bug: before the call
        self.noted += 1
        self.save_changes()
        super().prepack(po_id, mine)


class JitFailedReadStopsSync(JitConnector):
    """JIT-RETURNS-CONFIRMED: a read AJIO fails after the connector's retries (the back-order pull) is taken for
    "AJIO is down": the rest of the sync is skipped, to be tried at the next one. Harmless when AJIO is down whole;
    but with only the back-order pull failing, every sync stops before its returns pull: while the back orders are
    down, no return is read and the warehouse never learns what comes back."""

    def pull_backorders(self) -> None:
        try:
            super().pull_backorders()
        except AjioError as exc:                                           # the bug
            raise SyncStopped(f"back-order pull failed ({exc}): AJIO taken as down") from exc

    def sync(self) -> None:
        try:
            super().sync()
        except SyncStopped as exc:
            log(f"sync stopped: {exc}")
            self.state.save()


class JitSkuPullResumesAtPage(JitConnector):
    """JIT-SKU-MAPPING: a big catalogue's SKU pull is resumable: the page it reached is saved after each page ("a
    crash does not start a long pull over"), and a run starts where the last one stopped. The pages read are kept in
    the run's memory only, and a pull that reaches the last page replaces the mapping with them. A run killed in the
    middle of the pull leaves the cursor on disk: the next run reads from that page on, and its mapping lacks every
    SKU of the pages before it; a PO of such a SKU waits, "not pulled yet", though the last complete pull had it."""

    def pull_skus(self) -> None:
        page = self.state.extra.get("sku_pull_page", 0)
        mapping: dict[str, str] = {}
        while True:
            answer = self.client.get("/products", moderationStatus="APPROVED", page=page, size=50)
            for product in answer["products"]:
                mapping[self.channel_product_id(product)] = product[self.PRODUCT_SKU]
            if page + 1 >= answer["page"]["totalPages"]:
                break
            page += 1
            self.state.extra["sku_pull_page"] = page                   # the bug: the cursor on disk, the pages not
            self.noted += 1
        self.state.extra["sku_pull_page"] = 0
        self.state.extra["skus"] = mapping


class JitRetiresFinishedPos(JitConnector):
    """API-ORDER-LISTED-AGAIN: POs finished with (cancelled, delivered) are retired from the held orders at the end of
    each sync, as the Dropship reference does to keep a month's state small; but the pendency check still asks only
    the held orders whether a PO is known. A lagging pendency that lists a PO cancelled whole since (CREATED on the old
    page) has it started again: with the stock back, its invoice is asked of a CANCELLED PO, refused at every sync."""

    FINISHED_STAGES = ("cancelled", "delivered")                        # the bug: retired, not looked up


class JitPendencyResumesAtCheckpoint(JitConnector):
    """JIT-PO-PROCESSED: the pendency pull is a resumable job: the page it is about to read is checkpointed in a file
    of its own before each read, and a run resumes at the checkpoint ("a crash does not restart a long pull"). The
    POs of the pages read before it were in memory only: killed after page 1 was answered, the restarted run reads
    from page 1 on, and the fifty POs of page 0 wait for the next sync (a day later: past the 24 h SLA)."""

    def pending_pos(self) -> list[dict]:
        checkpoint = Path(self.state_dir) / "pendency_page.json"
        page = json.loads(checkpoint.read_text()) if checkpoint.exists() else 0
        pulled = []
        while True:
            checkpoint.write_text(json.dumps(page))                            # the bug: the cursor, not the POs
            answer = self.client.get("/orders/pendency", page=page, size=PAGE_SIZE)
            pulled.extend(answer["orders"])
            if page + 1 >= answer["page"]["totalPages"]:
                break
            page += 1
        checkpoint.write_text(json.dumps(0))
        return pulled
