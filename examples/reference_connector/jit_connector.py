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
    HELD = ("packed", "manifested", "shipped")

    def sync(self) -> None:
        from connector import Warehouse
        self.warehouse = Warehouse(self.warehouse_path)
        for phase in (self.push_inventory, self.process_pendency, self.manifest, self.refresh_held_orders):
            try:
                phase()
            except AjioError as exc:
                self.errors += 1
                log(f"{phase.__name__}: {exc}")
            finally:
                self.state.save()

    def push_inventory(self) -> None:
        """Absolute quantities for changed SKUs, at most 50 per call (API.md); SKU codes from the pull."""
        changed = []
        for product in self.client.pages("/products", "products"):
            quantity = self.warehouse.available(product["sku_code"])
            if self.state.inventory.get(product["sku_code"]) != quantity:
                changed.append({"sku": product["sku_code"], "quantity": quantity})
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            batch = changed[start:start + self.INVENTORY_BATCH]
            self.client.post("/inventory", {"inventory": batch})  # all lines or none
            self.state.inventory.update({line["sku"]: line["quantity"] for line in batch})
            log(f"inventory: {len(batch)} SKU(s) pushed")

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

    def manifest(self) -> None:
        packed = self.state.in_stage("packed")
        for start in range(0, len(packed), self.MANIFEST_MAX):
            chunk = packed[start:start + self.MANIFEST_MAX]
            items = [{"masterAWB": self.state.orders[o]["master_awb"], "orderId": o,
                      "invoiceNo": self.state.orders[o]["invoice_number"]} for o in chunk]
            answer = self.client.post("/orders/dispatch", {"dispatchItems": items})
            failed = {f.get("orderId") for f in answer.get("failedDispatchItems", [])}
            for order_id in chunk:
                if order_id not in failed:
                    self.state.orders[order_id]["stage"] = "manifested"
            self.client.document(answer["manifestUrl"])
            log(f"manifest {answer['manifest_id']}: {len(chunk) - len(failed)} PO(s)")

    def refresh_held_orders(self) -> None:
        held = [o for o, m in self.state.orders.items() if m["stage"] in ("manifested", "shipped")]
        for order_id, po in self.read_orders(held).items():
            mine = self.state.orders[order_id]
            mine["status"] = po["status"]
            if po["status"] == "DISPATCHED":
                mine["stage"] = "shipped"
            elif po["status"] == "DELIVERED":
                mine["stage"] = "delivered"
