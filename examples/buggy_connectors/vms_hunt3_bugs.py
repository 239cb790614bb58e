"""VMS connector bugs of the third blind VMS bug hunt that the catalogue let through (or caught under another
rule): each class is the reference VMS connector with ONE planted mistake. buggy.py lists them by name; each
fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

import re

from vms_connector import ACK_HOLD_S, VmsConnector


class QcOrderQuantity(VmsConnector):
    """VMS-QC-PASS-FAIL: the QC reports, per item, the units of the forward order's line (what was shipped),
    not the units the return lists: a customer returning 1 of 2 units gets a QC of 2, which AJIO refuses."""

    def quality_check(self, ret, mine):
        shipped = {l["channelSkuCode"]: l["quantity"] for l in self.state.orders.get(ret["order_id"], {}).get("lines", [])}
        items = [{**i, "quantity": shipped.get(i.get("channelSkuCode"), 0) or i["quantity"]} for i in ret["items"]]
        super().quality_check({**ret, "items": items}, mine)


class CreditNoteNumberPerOrder(VmsConnector):
    """GST-CREDIT-NOTE-NUMBER-UNIQUE (model 2): the RMS credit note is numbered after the forward order, as if an
    order had one return only: a second return of the order repeats the number (AJIO refuses it by its number)."""

    def credit_note_number(self, ret, mine):
        return "RCN" + re.sub(r"[^A-Za-z0-9]", "", ret["order_id"])[-13:]


class HoldFixed4h(VmsConnector):
    """VMS-ACK-HOLD: the hold is seed 002's "4 hours" whatever the seller's setting (AJIO_VMS_ACK_HOLD_SECONDS):
    a 6 h hold is cut short, a 1 h hold served as 4 h."""

    def __init__(self, env, assume_stock=None):
        super().__init__(env, assume_stock)
        self.ack_hold_s = ACK_HOLD_S


class CreditNoteInRsiModel(VmsConnector):
    """VMS-CREDIT-NOTE-MODEL (model 2): the layer posts its RMS credit note for every processed return, also in
    the RSI model (AJIO issues the RSI; no credit note): AJIO refuses it, sync after sync."""

    def credit_note(self, ret, mine):
        if self.einvoice_model != "rms":
            mine["stage"] = "done"
            return
        saved, self.return_model = self.return_model, "credit_note"
        try:
            super().credit_note(ret, mine)
        finally:
            self.return_model = saved


class PartialFlagAgainstOrdered(VmsConnector):
    """VMS-INVOICE-PARTIAL-FLAG (model 2): isPartialInvoice compares the invoiced units with the units first
    ordered (remembered from the first fetch), not the order's current quantity: an order trimmed before the
    acknowledgement (short stock) is flagged partial although its invoice covers all that is left."""

    def fetch_orders(self):
        super().fetch_orders()
        for mine in self.state.orders.values():
            mine.setdefault("ordered_units", sum(l["quantity"] for l in mine.get("lines", [])))

    def is_partial(self, mine, lines, short):
        return sum(l["quantity"] for l in lines) < mine.get("ordered_units", 0)
