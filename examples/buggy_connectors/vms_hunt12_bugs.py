"""Bugs of the twelfth round for the VMS layer: each class is the reference VMS connector with ONE planted mistake.
buggy.py lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from kill_bugs import SavedPerPhase
from rewriting import PagesRewritten
from vms_connector import VmsConnector

KNOWN = ("CREATED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED",
         "RTO")


class UnknownStatusCrashesSync(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: an order status missing from its table of AJIO's statuses raises: the orders read stops at
    it, and no order of the sync is worked further."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders" and item["status"] not in KNOWN:
            raise KeyError(f"order status {item['status']}")   # the bug
        return item


class UnknownStatusCancelled(PagesRewritten, VmsConnector):
    """API-UNKNOWN-VALUE: an order in a status it does not know is cancelled at AJIO ("anything odd: do not ship"):
    a seller cancellation of an order AJIO had nothing against, and the order is lost."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders" and item["status"] not in KNOWN:
            self.client.post(f"/orders/{item['order_id']}/cancel", {})
            return {**item, "status": "CANCELLED"}   # the bug
        return item


class CreditNoteRedoneAfterLostAnswers(VmsConnector):
    """VMS-CREDIT-NOTE-MODEL: the reference until the twelfth hunt: model 2, a credit note AJIO took while every
    answer was lost is posted again with a new ackDate (same number): AJIO refuses the different repeat (409) at
    every sync; the return listing's creditNoteNumber is never read."""

    def credited_by_ajio(self, ret: dict) -> str | None:
        return None   # the bug


class RecoversAcknowledgedOnly(VmsConnector):
    """VMS-PO-AFTER-ACK: an order held as new that AJIO lists ACKNOWLEDGED is taken as acknowledged earlier, but one
    AJIO lists INVOICED is not ("invoiced means we handled it"): model 1, an order whose acknowledgement answer was
    lost (or whose run was killed) and which the ERP e-invoiced before the next sync is never taken further."""

    def acknowledged_by_an_interrupted_run(self, order_id: str, mine: dict) -> None:
        if mine.get("status") == "INVOICED":
            return   # the bug: only ACKNOWLEDGED is recovered
        super().acknowledged_by_an_interrupted_run(order_id, mine)


class Model2IgnoresListedInvoiced(SavedPerPhase, VmsConnector):
    """VMS-INVOICE-FOR-PO: model 2, RMS's own records are trusted for its invoices ("AJIO's INVOICED can only be
    ours"): after a run killed between RMS's invoice call and the save, the next run invoices the order again
    under a new number; AJIO refuses it (the order has its invoice) and the order is never packed. It saves its
    state when a phase ends, as the reference then did (kill_bugs.SavedPerPhase): the reference now saves before the
    next call, and loses no invoice to the wall-clock kill of platform/killed_after_rms_invoice."""

    def fetch_orders(self) -> None:
        before = {order_id: mine["stage"] for order_id, mine in self.state.orders.items()}
        super().fetch_orders()
        if self.einvoice_model == "rms":
            for order_id, mine in self.state.orders.items():
                if before.get(order_id) == "po" and mine["stage"] == "invoiced":
                    mine["stage"] = "po"   # the bug: AJIO's INVOICED is ignored in model 2
