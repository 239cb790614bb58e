"""Blind hunt 23, VMS layer: three bugs of a seller's VMS integration layer, each one method of the reference.

Designed from the rulebook before reading the catalogue (docs: /work/hunt23_vms/REPORT1.md).
"""
from __future__ import annotations

from vms_connector import VmsConnector, zoned


class DocumentsBeforeTheErpInvoice(VmsConnector):
    """VMS-PACK-DOCUMENTS. Model 1: the layer does not wait to see the ERP's e-invoice at AJIO before packing. The
    team reasoned that the ERP e-invoices as soon as it gets OUTWARD_ORDER_CREATE (sent when the PO is issued), so
    by the time the layer has the PO the invoice is "surely there": every order with its PO goes straight to
    packing and its B2C invoice and label are asked for, before the B2B invoice when the ERP is slower."""

    def pack(self) -> None:
        if self.einvoice_model == "erp":
            for mine in self.state.orders.values():
                if mine["stage"] == "po":
                    mine["stage"] = "invoiced"
        super().pack()


class RmsInvoiceDatedAtAcknowledgement(VmsConnector):
    """VMS-DOCUMENT-DATE. Model 2: RMS's invoice is dated when the order was acknowledged ("the sale is booked at
    the acknowledgement"), not when the invoice is made. Harmless while the PO comes minutes after the
    acknowledgement; a PO that lags or goes missing for hours gives an invoice dated hours before its PO."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        self._dating = mine.get("acknowledged_at")
        try:
            super().invoice_order(order_id, mine)
        finally:
            self._dating = None

    def document_date(self) -> str:
        at = getattr(self, "_dating", None)
        return zoned(at) if at else super().document_date()


class AcknowledgesOnlyNewlyDue(VmsConnector):
    """VMS-ACK-HOLD. The acknowledgement pass looks only at orders whose hold ended since the previous pass (a
    "due window" from the last sync's clock to this one's, so that no order is looked at twice). An order whose
    acknowledgement failed in the sync where its hold ended (AJIO down for the whole sync, a throttle, a listing
    that did not show it) is never acknowledged."""

    def ack_due(self, mine: dict) -> bool:
        since = self.meta.get("ack_scanned_to")  # the previous pass's clock: what was due then was seen then
        due = mine["order_date"] + self.ack_hold_s
        return self.clock >= due and (since is None or due > since)

    def acknowledge_due(self) -> None:
        super().acknowledge_due()
        self.meta["ack_scanned_to"] = self.clock
