"""Buggy connectors: the reference connector with ONE planted bug each, as real connectors have them.

    python buggy.py BUG          (same environment as the reference connector)

Each bug is a small subclass overriding the one method (or limit) the real bug lives in, so the
diff against the reference is the bug. `ajio-sim run` must fail each of them, naming the rule.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference_connector"))
from ajio_client import AjioClient  # noqa: E402
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


BUGS = {"acks_cancelled": AcknowledgesCancelled, "split_invoice": SplitsInvoice,
        "label_no_dimensions": LabelWithoutDimensions, "label_before_invoice": LabelBeforeInvoice,
        "big_manifest": OneBigManifest, "inventory_one_call": InventoryInOneCall,
        "ignores_token_expiry": IgnoresTokenExpiry, "credit_note_once": GivesUpOnCreditNote, "no_retry": NeverRetries,
        "jit_invoice_before_cancel": JitInvoicesBeforeCancelling}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in BUGS:
        sys.exit(f"usage: buggy.py BUG   (BUG: {', '.join(BUGS)})")
    sys.exit(main(BUGS[sys.argv[1]]))
