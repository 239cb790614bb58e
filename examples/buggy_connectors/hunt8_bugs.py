"""Bugs of the eighth blind Dropship/JIT bug hunt that the catalogue let through (or caught under another rule):
each class is the reference connector with ONE planted mistake, as real integrators make them. buggy.py lists
them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from ajio_client import AjioError
from connector import Connector, log
from jit_connector import JitConnector


class DsCreditNotesStopAtNotYet(Connector):
    """DS-CREDIT-NOTE-FETCHED: credit notes are asked for in the order the returns were first seen and the loop
    stops at the first "not yet" ("the rest were put away later still"): a return put away earlier but listed
    later (an RTO the seller created at once, while an older customer return waited for its parcel) does not
    get its credit note fetched while the older one is still not ready."""

    def returns_awaiting_credit_note(self):
        self.not_yet_seen = False
        for item in super().returns_awaiting_credit_note():
            if self.not_yet_seen:   # the bug: "the rest were put away later still"
                return
            yield item

    def credit_note_not_yet(self, return_id: str, mine: dict, exc: AjioError) -> None:
        self.not_yet_seen = True
        super().credit_note_not_yet(return_id, mine, exc)


class DsManifestsWithLabelOwed(Connector):
    """DS-LABEL-DOCUMENTS-FETCHED: every packed order goes on the manifest, also one whose label / B2C invoice
    download failed (still owed): the parcel is handed to the courier before its label was ever printed."""

    def manifest(self) -> None:
        by_carrier: dict[str, list[str]] = {}
        for order_id in self.state.in_stage("packed"):
            by_carrier.setdefault(self.state.orders[order_id].get("carrier", ""), []).append(order_id)
        for packed in by_carrier.values():
            self.manifest_carrier(packed)


class DsGivesUpOnBreached(Connector):
    """DS-DISPATCH-WITHIN-SLA: an order AJIO flags sla_breached is given up as lost ("AJIO cancels those"), though
    this POB's AJIO only flags a late order and does not cancel it: it is never invoiced, labelled or shipped."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        out = super().read_orders(order_ids)
        for order_id, order in out.items():
            mine = self.state.orders.get(order_id)
            if order.get("sla_breached") and order["status"] == "CONFIRMED" and mine is not None:
                if mine.get("stage") in ("acknowledged", "invoiced", "packed"):
                    mine["stage"] = "cancelled"
                    log(f"{order_id}: past its dispatch_by, given up")
        return out


class JitPushStateBeforeCall(JitConnector):
    """JIT-INVENTORY-PUSH: what is pushed is written to the connector's record of AJIO's stock before the call
    ("optimistic"): a push that fails (AJIO down for the sync) is recorded as done, so the change is never sent
    again and AJIO shows the old count until the next day's reconciliation."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        self.state.inventory.update({line["sku"]: line["quantity"] for line in lines})
        self.client.post("/inventory", {"inventory": lines})
        log(f"inventory: {len(lines)} SKU(s) pushed")


class JitReissuedInvoiceNoPdf(JitConnector):
    """JIT-PO-PROCESSED: when AJIO re-issues the invoice after a cancellation, the new number is kept but its PDF
    is not downloaded ("we have the invoice PDF already"): the document that goes with the shipment is the
    superseded one."""

    def update_invoice(self, po_id: str, mine: dict) -> None:
        answer = self.client.put(f"/orders/{po_id}/invoice", {})
        mine["invoice_number"] = answer["invoice_number"]
        log(f"PO {po_id}: invoice re-issued as {answer['invoice_number']}")


class JitCancelKeyPerMoment(JitConnector):
    """API-IDEMPOTENT-REPEAT: a cancellation's Idempotency-Key is the PO and the moment (pick, pack) alone: a PO
    found short again at the same moment of a later sync (its invoice failed meanwhile) repeats the key, and AJIO
    answers the first cancellation's result (nothing more cancelled) or refuses other lines as a conflicting
    repeat. (The reference connector had this until the eighth hunt's report pointed at it.)"""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        post = self.client.post

        def moment_key(path, body, headers=None):
            return post(path, body, headers={"Idempotency-Key": f"{po_id}-{moment}"})
        self.client.post = moment_key
        try:
            return super().cancel_shortfall(po_id, lines, moment)
        finally:
            self.client.post = post
