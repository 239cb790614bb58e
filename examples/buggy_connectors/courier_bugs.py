"""Dropship courier and catalogue bugs (issue 19's world): each class is the reference connector with ONE
bug planted. buggy.py lists them by name."""
from __future__ import annotations

from connector import HELD, Connector


class RtoOnFailedAttempt(Connector):
    """Treats a failed delivery attempt as the end: creates an RTO for the parcel at once."""

    def sync_tracking(self) -> None:
        super().sync_tracking()
        for order_id in self.state.in_stage("shipped"):
            mine = self.state.orders[order_id]
            if (mine.get("tracking") or {}).get("delivery_attempts") and order_id not in self.state.rto_created:
                self.create_rto(order_id)


class IgnoresTracking(Connector):
    """Never reads the courier's milestones: customers hear nothing between dispatch and delivery."""

    def sync_tracking(self) -> None:
        pass


class MixedCarrierManifest(Connector):
    """Puts every packed order on one manifest, whatever its carrier (as before couriers mattered)."""

    def manifest(self) -> None:
        self.manifest_carrier(self.state.in_stage("packed"))


class CaseInsensitiveSku(Connector):
    """Looks the warehouse's stock up by SKU ignoring case: a look-alike SKU's stock is taken for AJIO's."""

    def acknowledge_imported(self) -> None:
        stock = {sku.lower(): qty for sku, qty in self.warehouse.stock.items()}
        self.warehouse.available = lambda sku: stock.get(sku.lower(), self.warehouse.default_stock)
        super().acknowledge_imported()


class RtoItemIdAsScanned(Connector):
    """Names each RTO line's item by the SKU as its warehouse scanner reads the parcel (lower case), not as
    AJIO lists it: AJIO refuses the RTO, and the parcel that came back stays unbooked."""

    def create_rto(self, order_id: str) -> None:
        mine = self.state.orders.get(order_id, {})
        code = self.warehouse.qc_code(order_id)
        answer = self.client.post("/return/rto", {"order_id": order_id, "order_items": [
            {"order_item_id": l["order_item_id"], "item_id": l["sku"].lower(), "quantity": l["quantity"],
             "qc_code": code} for l in mine.get("lines", []) if l["quantity"] > 0]})
        self.state.rto_created.append(order_id)
        self.state.returns[answer["return_order_id"]] = {"order_id": order_id, "stage": "put_away"}


class CreditNoteUntilMissingCredited(Connector):
    """Expects AJIO's credit note to cover every unit of a return, MISSING ones too: a note short of them is
    taken as provisional, so it asks for it again (and downloads it again) at every sync, for ever."""

    def fetch_credit_notes(self) -> None:
        super().fetch_credit_notes()
        for return_id, mine in self.state.returns.items():
            if mine["stage"] == "credited" and mine.get("settle_offline"):
                answer = self.client.get(f"/returns/{return_id}/creditNote")
                self.keep_document(answer["credit_note_pdf_url"], "credit note")


class MissingAsBad(Connector):
    """Reports a unit QC found missing as BAD ('it is damaged stock either way'), so AJIO credits a unit that
    never came back instead of the seller settling it offline."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        qc = self.warehouse.qc
        self.warehouse.qc = {k: ("BAD" if v == "MISSING" else v) for k, v in qc.items()}
        try:
            super().quality_check(ret, mine)
        finally:
            self.warehouse.qc = qc


class AsksInvoiceForIrn(Connector):
    """Keeps the invoice number and PDF but not NIC's IRN, Ack and QR: whenever its GST records need them, it asks
    AJIO for the invoice again (AJIO answers the first invoice), at every sync for every order it invoiced."""

    def fulfil(self) -> None:
        super().fulfil()
        for order_id, mine in self.state.orders.items():
            if mine.get("invoice_number") and mine["stage"] in HELD:
                mine.pop("einvoice", None)
                self.client.post(f"/orders/{order_id}/invoice", {})


class ShipsAjioCancelled(Connector):
    """Stops fulfilling only what the customer or the seller cancelled: an order AJIO cancelled past its
    dispatch_by is taken for a glitch and invoiced, labelled and manifested anyway."""

    def refresh_held_orders(self) -> None:
        before = {oid: self.state.orders[oid]["stage"] for oid in self.state.in_stage(*HELD)}
        super().refresh_held_orders()
        for order_id, stage in before.items():
            mine = self.state.orders[order_id]
            if mine["stage"] == "cancelled" and mine.get("cancelled_by") == "AJIO":
                mine.update(stage=stage, status="CONFIRMED")


class TracksEverySync(Connector):
    """Reads every shipment's tracking at every sync, delivered ones too, whether or not the order shows a new
    milestone ('the courier may have scanned it')."""

    FINISHED_STAGES = ()  # keeps delivered orders (the reference retires them), to track them again

    def sync_tracking(self) -> None:
        for order_id in self.state.in_stage("shipped", "delivered"):
            self.state.orders[order_id].pop("tracking", None)
            self.state.orders[order_id]["courier_seen"] = {"shipment_status": "?"}
        super().sync_tracking()
