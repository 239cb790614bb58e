"""Reference AJIO JIT connector: purchase orders from pendency to manifest (seed 001, API.md).

Started by connector.py when AJIO_MODEL=jit (same environment, state and warehouse files).
One sync: push changed stock in batches of 50 -> for each new PO: cancel what the warehouse cannot
supply (per line, before invoicing) -> AJIO's invoice from the registered series -> pack box-wise
(one box per PO here, with a box id and a seal id; one label per box) -> manifests of <= 250
-> status sync of the POs held.
"""
from __future__ import annotations

from ajio_client import AjioError
from connector import Connector, log


class JitConnector(Connector):
    PHASES = ("push_inventory", "process_pendency", "manifest", "refresh_held_orders")
    PRODUCT_SKU = "sku_code"  # the JIT SKU pull's field (seed 001 channel mappings)
    FINISHED_STAGES = ()      # POs stay in the state: the JIT flow looks them up by stage

    def push_inventory_batch(self, lines: list[dict]) -> None:
        """POST /jit/inventory: absolute, at most 50 lines, all applied or none (API.md)."""
        self.client.post("/inventory", {"inventory": lines})
        self.state.inventory.update({line["sku"]: line["quantity"] for line in lines})
        log(f"inventory: {len(lines)} SKU(s) pushed")

    def process_pendency(self) -> None:
        for po in list(self.client.pages("/orders/pendency", "orders")):
            if self.state.orders.get(po["order_id"], {}).get("stage") in ("packed", "manifested", "cancelled"):
                continue
            try:
                self.fulfil_po(po)
            except AjioError as exc:  # this PO waits for the next sync; the others go on
                self.errors += 1
                log(f"{po['order_id']}: {exc}")

    def fulfil_po(self, po: dict) -> None:
        mine = self.state.orders.setdefault(po["order_id"], {"stage": "new"})
        lines = self.cancel_shortfall(po)
        if not any(l["open_quantity"] for l in lines):
            mine["stage"] = "cancelled"
            return
        invoice = self.client.post(f"/orders/{po['order_id']}/invoice", {})
        self.client.document(invoice["invoice_pdf_url"])
        box = {"box_id": f"BX{po['order_id']}", "seal_id": f"SL{po['order_id']}",
               "items": [{"order_item_id": l["order_item_id"], "quantity": l["open_quantity"]}
                         for l in lines if l["open_quantity"]]}
        packed = self.client.post(f"/orders/{po['order_id']}/pack", {"boxes": [box]})
        for b in packed["boxes"]:
            self.client.document(b["label_pdf_url"])
        mine.update(stage="packed", master_awb=packed["master_awb"], invoice_number=invoice["invoice_number"])
        log(f"packed PO {po['order_id']}: invoice {invoice['invoice_number']}, AWB {packed['master_awb']}")

    def cancel_shortfall(self, po: dict) -> list[dict]:
        """Seller cancellation per line for what the warehouse cannot supply, before the invoice, so
        the invoice covers only what ships (an invoice made first would need a PUT update)."""
        short = []
        for line in po["order_lines"]:
            missing = line["open_quantity"] - min(line["open_quantity"], self.warehouse.available(line["sku_code"]))
            if missing:
                short.append({"order_item_id": line["order_item_id"], "quantity": missing})
        if not short:
            return po["order_lines"]
        answer = self.client.post(f"/orders/{po['order_id']}/cancel", {"lines": short})
        log(f"PO {po['order_id']}: cancelled {sum(s['quantity'] for s in short)} unit(s) the warehouse lacks")
        return answer["order_lines"]

    def dispatch_item(self, order_id: str) -> dict:
        """The PO's master AWB (its first box's) identifies the shipment on the manifest."""
        mine = self.state.orders[order_id]
        return {"masterAWB": mine["master_awb"], "orderId": order_id, "invoiceNo": mine["invoice_number"]}

    def refresh_held_orders(self) -> None:
        held = [o for o, m in self.state.orders.items() if m["stage"] in ("manifested", "shipped")]
        for order_id, po in self.read_orders(held).items():
            mine = self.state.orders[order_id]
            mine["status"] = po["status"]
            if po["status"] == "DISPATCHED":
                mine["stage"] = "shipped"
            elif po["status"] == "DELIVERED":
                mine["stage"] = "delivered"
