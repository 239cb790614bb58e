"""Buggy connectors: the reference connector with ONE planted bug each, as real connectors have them.

    python buggy.py BUG          (same environment as the reference connector)

Each bug is a small subclass overriding the one method (or limit) the real bug lives in, so the
diff against the reference is the bug. `ajio-sim run` must fail each of them, naming the rule.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference_connector"))
from ajio_client import AjioClient, AjioError  # noqa: E402
from connector import Connector, log, main  # noqa: E402
from jit_connector import JitConnector  # noqa: E402


class AcknowledgesCancelled(Connector):
    """Acknowledges what it imported without re-reading it: a customer's cancellation is missed."""

    def orders_to_acknowledge(self) -> list[dict]:
        todo = []
        for order_id in self.state.in_stage("imported"):
            todo.append(self.state.orders[order_id]["imported"])
        return todo

    def import_pendency(self) -> None:
        for order in self.client.pages("/orders/pendency", "orders"):
            self.state.orders.setdefault(order["order_id"], {"stage": "imported", "imported": order})


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


class OneBigManifest(Connector):
    """Puts every packed order into one manifest, however many."""

    MANIFEST_MAX = 10_000


class InventoryInOneCall(Connector):
    """Pushes the whole catalog's stock in one call."""

    INVENTORY_BATCH = 10_000


class StickyTokenClient(AjioClient):
    TOKEN_MAX_AGE_S = float("inf")
    RELOGIN_ON_401 = False


class IgnoresTokenExpiry(Connector):
    """Logs in once and keeps the token for ever: the 30-minute expiry is ignored."""

    client_class = StickyTokenClient


class NoRetryClient(AjioClient):
    RETRIES = 0


class NeverRetries(Connector):
    """Treats a 503 or a dropped connection as final: the order waits for the next sync at best."""

    client_class = NoRetryClient


class RetryAfterIgnoringClient(AjioClient):
    def retry_wait(self, response, attempt: int) -> float | None:
        return 0.05  # "just try again": the Retry-After header is never read


class IgnoresRetryAfter(Connector):
    """Retries a 429 after its own 50 ms instead of waiting the announced Retry-After."""

    client_class = RetryAfterIgnoringClient


class ResetIsFinalClient(AjioClient):
    TRANSPORT_RETRIES = 0


class NoRetryOnReset(Connector):
    """Retries 429 and 5xx answers, but a reset connection (no answer at all) ends the call."""

    client_class = ResetIsFinalClient


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


class DoubleProcesses(Connector):
    """Takes every order pendency lists as new work, without checking the orders it already holds:
    an order AJIO lists again is booked again (and its progress forgotten)."""

    def import_pendency(self) -> None:
        for order in self.client.pages("/orders/pendency", "orders"):
            self.state.orders[order["order_id"]] = {"stage": "imported"}
            log(f"imported {order['order_id']}")


class GivesUpOnCreditNote(Connector):
    """Asks for the credit note once; on "not yet" it marks the return done and never asks again."""

    def credit_note_not_yet(self, return_id: str, mine: dict, exc) -> None:
        mine["stage"] = "credit_note_failed"
        log(f"credit note of {return_id} unavailable: giving up")


class JitInvoicesBeforeCancelling(JitConnector):
    """JIT: invoices the PO first and cancels the shortfall afterwards, never updating the invoice."""

    def fulfil_po(self, po: dict) -> None:
        self.client.post(f"/orders/{po['order_id']}/invoice", {})
        super().fulfil_po(po)


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


BUGS = {"acks_cancelled": AcknowledgesCancelled, "split_invoice": SplitsInvoice,
        "label_no_dimensions": LabelWithoutDimensions, "label_before_invoice": LabelBeforeInvoice,
        "big_manifest": OneBigManifest, "inventory_one_call": InventoryInOneCall,
        "ignores_token_expiry": IgnoresTokenExpiry, "credit_note_once": GivesUpOnCreditNote, "no_retry": NeverRetries,
        "ignores_retry_after": IgnoresRetryAfter, "no_retry_on_reset": NoRetryOnReset,
        "invoices_without_po": InvoicesWithoutPO, "double_process": DoubleProcesses,
        "jit_invoice_before_cancel": JitInvoicesBeforeCancelling, "rto_on_failed_attempt": RtoOnFailedAttempt,
        "ignores_tracking": IgnoresTracking, "mixed_carrier_manifest": MixedCarrierManifest,
        "case_insensitive_sku": CaseInsensitiveSku}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in BUGS:
        sys.exit(f"usage: buggy.py BUG [--assume-stock N]   (BUG: {', '.join(BUGS)})")
    sys.exit(main(BUGS[sys.argv[1]], sys.argv[2:]))
