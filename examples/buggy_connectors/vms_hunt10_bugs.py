"""Bugs of the tenth blind VMS hunt that the catalogue let through, and the reference's own gap it found: each class
is the reference VMS connector with ONE planted mistake. buggy.py lists them by name; each fails the scenario
written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from datetime import datetime, timezone

from kill_bugs import SavedPerPhase
from rewriting import PostRewritten
from vms_connector import VmsConnector


class Model1CancelMarkedBeforeCall(VmsConnector):
    """VMS-MODEL1-COMPLETE-CANCEL-ONLY: model 1, an order with an item missing or damaged after the e-invoice is
    recorded cancelled before the complete cancellation is sent: when the cancel call fails for a whole sync the
    order stays INVOICED at AJIO for good (never cancelled, never shipped, the ERP never told)."""

    def cancel(self, order_id: str, mine: dict, lines, why: str) -> None:
        if lines is None and "model 1" in why:
            mine["stage"] = "cancelled"   # the bug: before the call
        super().cancel(order_id, mine, lines, why)


class RmsSeriesFyUtc(VmsConnector):
    """GST-INVOICE-NUMBER-UNIQUE (model 2): RMS restarts its number series (no year in the number) with India's
    financial year, 1 April, but by the server's UTC date: invoices made between 00:00 and 05:30 IST on 1 April go
    on in the old series, then the restart at 05:30 IST repeats their numbers within the new financial year."""

    def next_number(self, prefix: str) -> str:
        day = datetime.fromtimestamp(self.clock, timezone.utc)   # the bug: India's financial year starts by IST
        year = day.year if day.month >= 4 else day.year - 1
        if self.meta.get(prefix + "@fy") != year:
            self.meta[prefix + "@fy"] = year
            self.meta[prefix] = 0
        return super().next_number(prefix)


class RmsInvoicedBeforeCall(VmsConnector):
    """VMS-PACK-DOCUMENTS: model 2, the order is recorded invoiced before RMS's B2B invoice is posted: when the
    b2bInvoice call fails for a whole sync the layer goes on to pack it in that sync, asking AJIO for the B2C invoice
    and label of an order it has not invoiced (refused); only the next sync's re-read puts it back."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        mine["stage"] = "invoiced"   # the bug: before the call
        super().invoice_order(order_id, mine)


class ManifestMarkedBeforeCall(PostRewritten, VmsConnector):
    """VMS-MANIFEST-AT-HANDOVER: the orders of a manifest are recorded handed over before Create Manifest is sent
    (only the failed lines of a 200 are put back): a manifest call that fails for a whole sync leaves its orders
    marked handed over, never manifested at AJIO."""

    def manifest(self) -> None:
        self.with_rewrite(super().manifest)

    def rewritten(self, path, body, post):
        if path != "/manifests":
            return post(path, body)
        for order_id in body["orderIds"]:
            self.state.orders[order_id]["stage"] = "manifested"   # the bug: before the call
        answer = post(path, body)
        for failed in answer.get("failed", []):
            self.state.orders[failed["orderId"]]["stage"] = "packed"
        return answer


class ForgetsAckOfKilledRun(SavedPerPhase, VmsConnector):
    """VMS-PO-AFTER-ACK: the reference until the tenth hunt. An order this layer still holds as new but AJIO lists as
    acknowledged (a run acknowledged it and was killed before it saved its state) is left alone: never acknowledged
    again (AJIO would refuse), its PO never asked for, never invoiced or shipped. It saves its state when a phase
    ends, as the reference then did (kill_bugs.SavedPerPhase): the reference now saves before the next call, and
    loses no acknowledgement to the wall-clock kill of platform/killed_after_acknowledge."""

    def acknowledged_by_an_interrupted_run(self, order_id: str, mine: dict) -> None:
        pass   # the bug: only a CREATED order is acted on
