"""Layer bugs of the eighteenth blind VMS hunt (designed from the seeds, the rules and the references before any
scenario was read): a PO read again at every sync while the ERP is down, a daemon reading the warehouse once, RMS's
series restarted on 1 January; and the reference's own mistake the hunt found (a PO kept without being recorded
before the next call). Each is the reference VMS connector with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

from datetime import datetime

from ajio_client import AjioError
from connector import log
from vms_connector import IST, VmsConnector


class PoRereadUntilInvoiced(VmsConnector):
    """VMS-PO-AFTER-ACK: model 1, an order whose B2B PO the layer already has is asked for its PO (and the PO's PDF)
    again at every sync until AJIO lists it INVOICED ("the PO may still change until the ERP e-invoices it; the
    pick list is printed from the latest PO"). While the ERP is down for a day, every sync of the layer reads every
    waiting order's PO and PDF again: calls spent against AJIO's per-user throttling for nothing (seed 002 has the
    layer accept RSI unseen "because of throttling restrictions at Ajio")."""

    def fetch_pos(self) -> None:
        waiting = [oid for oid, mine in self.state.orders.items() if mine["stage"] == "po"]
        super().fetch_pos()
        if self.einvoice_model != "erp":
            return
        for order_id in waiting:
            mine = self.state.orders[order_id]
            if mine["stage"] != "po":
                continue
            try:
                po = self.client.get(f"/orders/{order_id}/po")   # the bug: the PO again, every sync
                mine.update(po=po["forwardPurchaseOrder"], po_pdf_url=po["po_pdf_url"])
                self.client.document(mine["po_pdf_url"])
                log(f"{order_id}: B2B PO {po['forwardPurchaseOrder']} re-read while the ERP has not e-invoiced")
            except AjioError as exc:
                self.errors += 1
                log(f"PO of {order_id}: {exc}")


class DaemonWarehouseOnce(VmsConnector):
    """VMS-ACK-SOFT-RESERVED: the warehouse file is read once, when the layer starts ("the WMS export is loaded at
    start-up"), never again: a one-shot run per sync is right by accident, but a daemon keeps the stock, QC outcomes
    and parcels of its first minute. Units damaged or sold elsewhere while it runs are still acknowledged to AJIO
    after the hold (promised though the shelf is empty), and parcels logged later are never seen."""

    def read_warehouse(self):
        return self.warehouse   # the bug: the one read in __init__, at start-up


class RmsSeriesCalendarYear(VmsConnector):
    """GST-INVOICE-NUMBER-UNIQUE: model 2, RMS restarts its invoice and credit-note series (no year in the number)
    every 1 January (IST), the calendar year of the layer's own reports, instead of India's financial year (1 April):
    the first RMS invoice of January repeats the number of the first one of April..December of the same financial
    year, refused 409 at every sync; the order is never invoiced nor shipped."""

    def next_number(self, prefix: str) -> str:
        year = datetime.fromtimestamp(self.clock, IST).year
        years = self.meta.setdefault("series_year", {})
        if years.get(prefix) != year:
            years[prefix] = year
            self.meta[prefix] = 0   # the bug: a new series on 1 January
        return super().next_number(prefix)


class PoNotKept(VmsConnector):
    """VMS-PO-AFTER-ACK: the reference until the eighteenth blind hunt: the B2B PO and its PDF are fetched, but
    nothing records them as kept before the next call (client.document, not keep_document): a run killed later in the
    same sync, before its state is saved, fetches the PO and its PDF again at the next run."""

    def keep_document(self, url: str, kind: str) -> bytes:
        if kind == "purchase order":
            return self.client.document(url)                                   # the bug: not recorded as kept
        return super().keep_document(url, kind)


class RmsCounterSavedWithSync(VmsConnector):
    """GST-INVOICE-NUMBER-UNIQUE: RMS's series counters are kept in memory through a sync and written to the state
    when the sync ends ("one write of the counters per sync"); the number a document carries is saved with it, its
    counter is not. A run killed right after AJIO took an RMS invoice forgets that the number was drawn: the next
    order's invoice gets the same number, refused 409 at every sync, and is never invoiced nor handed over. (The
    reference's own draw rides on the save before its call; vms_number_drawn_unsaved no longer reaches this
    scenario since the reference keeps the B2B PO, noted, in the same sync.)"""

    def sync(self) -> None:
        self.drawn: dict[str, int] = {}
        super().sync()
        self.meta.update(self.drawn)                                           # the bug: counters only at the end
        self.state.save()

    def next_number(self, prefix: str) -> str:
        self.drawn[prefix] = self.drawn.get(prefix, self.meta.get(prefix, 0)) + 1
        return f"{prefix}{self.username[-6:]}-{self.drawn[prefix]:05d}"
