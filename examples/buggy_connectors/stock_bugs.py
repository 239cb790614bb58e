"""Bugs of a Dropship stock push whose 200 carries failed lines (failed_items): AJIO fails one SKU's line while
the others apply (the fault line_failure with `sku`). Each class is the reference connector with ONE planted
mistake; each fails ds/faults/inventory_line_failure.yaml (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from connector import Connector, log


class DsInventorySentRecordedPushed(Connector):
    """API-PER-LINE-FAILURES: keeps its own record of what AJIO holds, as an ERP's "last synced" column: every line
    it sent in a call AJIO answered 200 is recorded as pushed, and the next sync pushes the SKUs whose count differs
    from that record. A line AJIO failed inside the 200 is recorded as pushed too, so it is never sent again and
    AJIO sells a stale count of that SKU."""

    def push_inventory(self) -> None:
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)}
                   for sku in (p[self.PRODUCT_SKU] for p in self.client.pages("/products", "products"))
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            lines = changed[start:start + self.INVENTORY_BATCH]
            self.client.post("/updateInventory", {"inventory": lines})
            for line in lines:   # the bug: a 200 taken for "every line applied"
                self.state.inventory[line["sku"]] = line["quantity"]
            log(f"inventory: {len(lines)} SKU(s) pushed")


class DsInventoryResendsBatchOnFailedLine(Connector):
    """DS-INVENTORY-CHANGED-ONLY: a push whose answer lists a failed line is retried whole, at once, "to be sure":
    the SKUs AJIO took are pushed again though nothing changed (and the failed line is hammered inside the sync)."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        answer = self.client.post("/updateInventory", {"inventory": lines})
        if answer["failed_items"]:   # the bug: the whole batch again, not the failed lines at a later sync
            log(f"inventory: {len(answer['failed_items'])} line(s) failed: sending the batch again")
            answer = self.client.post("/updateInventory", {"inventory": lines})
        for line in answer["success"]:
            self.state.inventory[line["sku"]] = line["quantity"]
        for line in answer["failed_items"]:
            log(f"inventory {line['sku']} refused: {line['error_message']}")


class DsInventoryFailedSkuDropped(Connector):
    """API-PER-LINE-FAILURES: treats every failed line as AJIO refusing the SKU for good, as it must treat an unknown
    SKU (INVENTORY-SKU-EXACT): the SKU goes on a list never pushed again, so a line AJIO failed for now ("send it
    again") leaves a stale count on AJIO for ever."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        dropped = self.state.extra.setdefault("refused_skus", [])
        lines = [line for line in lines if line["sku"] not in dropped]
        if not lines:
            return
        answer = self.client.post("/updateInventory", {"inventory": lines})
        for line in answer["success"]:
            self.state.inventory[line["sku"]] = line["quantity"]
        for line in answer["failed_items"]:   # the bug: "send it again" read as "never"
            dropped.append(line["sku"])
            log(f"inventory {line['sku']} refused: {line['error_message']}; not pushed again")
