"""Bugs of the seventeenth blind Dropship/JIT hunt (designed from the seeds, the rules and the references before any
scenario was read): a list worked while it is paged, a per-line failure in the first of two stock-push batches, an
exactly full page of Dropship pendency, a lagging Dropship returns page after a putaway, a crash between the
batches of a stock push (both models), a crash at the PO PDF and at a JIT box label download. Each is the
reference with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

from ajio_client import PAGE_SIZE, AjioError
from connector import Connector, log
from jit_connector import JitConnector


class JitPendencyWorkedWhilePaging(JitConnector):
    """JIT-PO-PROCESSED: pendency is worked page by page as it is read (the pages' generator, not the list read
    whole first: "no need to hold a sale day's POs in memory"). Each PO started is invoiced and leaves pendency
    (which lists POs not yet invoiced), so the list shifts under the reader: page 1 asked for after page 0's 50 POs
    were invoiced starts at what was the 101st PO. With more than 50 POs pending, POs 51-100 are never read in that
    sync; the next syncs pick them up late, and on every sync with more than a page pending a page's worth is
    skipped."""

    def pending_pos(self):
        return self.client.pages("/orders/pendency", "orders")                # the bug: no list() first



class DsStockPushStopsAtFailedLine(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE: a stock push whose answer fails a line inside its 200 ends the push for this
    sync ("AJIO is struggling: the rest waits for the next cycle"). The failed SKU is pushed again next sync, as it
    must be, but so are the batches after it: for a whole sync AJIO keeps selling the old counts of up to every
    changed SKU after the first 50, a SKU that ran out included."""

    def push_inventory(self) -> None:
        changed = self.stock_changes()
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            answer = self.client.post("/updateInventory", {"inventory": changed[start:start + self.INVENTORY_BATCH]})
            for line in answer["success"]:
                self.state.inventory[line["sku"]] = line["quantity"]
            for line in answer["failed_items"]:
                log(f"inventory {line['sku']} refused: {line['error_message']}")
            log(f"inventory: {len(answer['success'])} SKU(s) updated")
            if answer["failed_items"]:                                      # the bug
                log("inventory: AJIO failed lines: the rest of the push waits for the next sync")
                return


class DsPendencyPageTooFar(Connector):
    """API-PAGING: the order pull job pages pendency up to page totalElements // size (the hunt 14 JIT pendency bug,
    on Dropship's pendency): exactly 50 orders waiting (one full page, a sale's first minutes) make it ask for a
    page past the last, which AJIO refuses; the import phase ends with an error at every such sync."""

    def import_pendency(self) -> None:
        page = 0
        while True:
            answer = self.client.get("/orders/pendency", page=page, size=PAGE_SIZE)
            for order in answer["orders"]:
                if not self.state.holds(order["order_id"]):
                    self.state.orders[order["order_id"]] = {"stage": "imported"}
                    log(f"imported {order['order_id']}")
            if page >= answer["page"]["totalElements"] // PAGE_SIZE:           # the bug: not totalPages
                break
            page += 1


class DsQcWhenListedDelivered(Connector):
    """API-CHANGE-SENT-ONCE: a return AJIO lists RETURN_DELIVERED is taken as owed its putaway whenever it is not
    credited or closed here ("AJIO's status is the truth: DELIVERED means our QC did not land"). Once AJIO has
    processed a QC it never lists the return DELIVERED again, so nothing shows, until a lagging returns page
    (an older answer served again) lists a return put away as still DELIVERED: its QC is sent a second time."""

    def sync_returns(self) -> None:
        listed = set()
        for ret in self.client.pages("/returns", "returns", **self.returns_window()):
            listed.add(ret["order_id"])
            mine = self.state.returns.setdefault(ret["return_order_id"], {"order_id": ret["order_id"], "stage": "seen"})
            mine.update(return_date=ret["return_date"], return_type=ret["return_type"])
            if ret["return_status"] == "RETURN_DELIVERED" and mine["stage"] in ("seen", "put_away"):   # the bug
                self.quality_check(ret, mine)
            elif ret["return_status"] == "RETURN_PROCESSED" and mine["stage"] == "seen":
                mine["stage"] = "put_away"
            elif ret["return_status"] == "RETURN_CANCELLED":
                mine["stage"] = "closed"
        expected_orders = self.orders_with_expectation(listed)
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in expected_orders and order_id not in self.state.rto_created:
                self.create_rto(order_id)


def push_resuming_at_offset(connector, changed: list[dict]) -> None:
    """The resumable push job of both models' bugs below: the index of the next batch is kept with the state after
    each batch AJIO took, cleared when the push ends or fails, and a run resumes at it in the list it has just
    recomputed (the bug: an offset into a new list)."""
    resume = connector.state.meta.get("inventory_next_batch", 0)
    try:
        for n, start in enumerate(range(0, len(changed), connector.INVENTORY_BATCH)):
            if n < resume:
                continue
            connector.push_inventory_batch(changed[start:start + connector.INVENTORY_BATCH])
            connector.state.meta["inventory_next_batch"] = n + 1
            connector.noted += 1
    except AjioError:
        connector.state.meta.pop("inventory_next_batch", None)
        connector.noted += 1
        raise
    connector.state.meta.pop("inventory_next_batch", None)
    connector.noted += 1


class DsPushResumesAtBatchOffset(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE: the stock push is a resumable job: the index of the next batch is kept with
    the state after each batch AJIO took, so a run that dies mid-push resumes "at the batch it reached" instead of
    pushing 20,000 SKUs again; a push that fails (AJIO down) starts again from the first batch, and a push that ends
    clears the index. But the list is recomputed after the crash (the SKUs of the batches AJIO took no longer
    differ): the kept index points past its end, and the SKUs of the batch the crash interrupted are not pushed by
    the next run (they are by the run after it)."""

    def push_inventory(self) -> None:
        changed = self.stock_changes()
        push_resuming_at_offset(self, changed)


class JitPushResumesAtBatchOffset(JitConnector):
    """JIT-INVENTORY-PUSH: the JIT stock push as the same resumable job (the index of the next batch kept with the
    state after each batch AJIO took; cleared when the push ends or fails). A run killed between two batches leaves
    the index; the next run recomputes what changed (the batches AJIO took are recorded, so the list holds only the
    interrupted batch's SKUs) and skips it by the index: those SKUs keep their old counts at AJIO until a later run,
    or until the next day's reconciliation."""

    def push_inventory(self) -> None:
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        push_resuming_at_offset(self, changed)


class DsPoRecordedBeforePdf(Connector):
    """DS-PO-FETCHED: when AJIO's PO appears, the PO is booked (its number recorded, and the state saved) before its
    PDF is downloaded ("the ERP never books a PO twice"); a download that fails undoes the booking, so the next sync
    fetches it. A crash at the download itself (the connector killed while the PDF was on its way) keeps the booking:
    the PO number is on disk, the PDF never fetched, and the status sync never asks for it again."""

    def refresh_held_orders(self) -> None:
        for order_id, order in self.read_orders(self.held_orders()).items():
            mine = self.state.orders[order_id]
            if order.get("po_number") and not mine.get("po_number"):
                mine["po_number"] = order["po_number"]                       # the bug: booked before the PDF
                self.state.save()
                try:
                    self.keep_document(order["po_pdf_url"], "purchase order")
                except AjioError:
                    mine["po_number"] = None
                    self.state.save()
                    raise
                log(f"{order_id}: PO {order['po_number']} arrived")
            mine["po_number"] = order.get("po_number")
            mine["status"] = order["status"]
            mine["courier_seen"] = {"shipment_status": order.get("shipment_status"),
                                    "delivery_attempts": order.get("delivery_attempts", 0)}
            mine["amount_due"] = order.get("amount_due")
            mine["lines"] = [{"order_item_id": l["order_item_id"], "sku": l["item_details"]["item_code"],
                              "quantity": l["quantity"]} for l in order["order_lines"]]
            if order["status"] == "CANCELLED":
                mine.update(stage="cancelled", cancelled_by=order.get("cancelled_by"))
                log(f"{order_id} cancelled ({order.get('cancelled_by')}): not fulfilled")
            elif order["status"] in ("DISPATCHED", "DELIVERED"):
                mine["stage"] = "shipped" if order["status"] == "DISPATCHED" else "delivered"


class JitBoxLabelsOwedOnFailureOnly(JitConnector):
    """JIT-MANIFEST-DOCUMENT: the boxes' labels are printed at the packing bench right after AJIO's pack answer and
    written to the PO's "owed" list only when a download fails ("the retry queue holds failures": the failed label
    and those after it), saved with the PO. A label download that fails is fetched at the next sync, but a crash at
    the download itself leaves nothing owed: the PO was recorded packed (saved before the download's call), it is
    manifested by the next run, and its box label is never fetched."""

    def pack(self, po_id: str, mine: dict) -> None:
        packed = self.client.post(f"/orders/{po_id}/pack", {"boxes": self.boxes(po_id, mine["lines"])})
        for line in mine["lines"]:
            self.packed_now[line["sku"]] = self.packed_now.get(line["sku"], 0) + line["open"]
            if line["sku"] in self.state.inventory:
                self.state.inventory[line["sku"]] -= self.units_packed(po_id, line)
        mine.update(stage="packed", master_awb=self.master_awb(packed))
        log(f"packed PO {po_id}: {len(packed['boxes'])} box(es), AWB {mine['master_awb']}")
        labels = [box["label_pdf_url"] for box in packed["boxes"]
                  if mine.get("labels", {}).get(box["box_id"]) != box["label_pdf_url"]]
        for n, url in enumerate(labels):
            try:
                self.keep_document(url, "box label")                          # the bug: owed only on failure
            except AjioError:
                mine.setdefault("documents_owed", []).extend([u, "box label"] for u in labels[n:])
                raise
