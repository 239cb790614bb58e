"""ERP variants of the sixteenth blind VMS hunt: the reference ERP's Tenant with ONE change each. Two are bugs;
`SeriesPerFy` is not (a series restarted every 1 April, the year in the IRN, is lawful under GST): the catalogue
must pass it (tests/harness/test_run_vms.py, LAWFUL_ERPS).
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from erp import IST, Tenant, log


def financial_year(epoch: float) -> str:
    """India's financial year (April-March, IST) as four digits: 2627 for FY 2026-27."""
    d = datetime.fromtimestamp(int(epoch), IST)
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


class CancelByInvoiceNumber(Tenant):
    """ERP-ORDER-CANCEL-POSTING: OUTWARD_ORDER_CANCEL is applied through the e-invoice it names (seed 004: "cancel
    the order (e-invoice) in their ERP"): the ERP looks the posting's invoiceNumber up in its books. A CANCEL that
    names no e-invoice (AJIO had not taken one when the order was cancelled) is taken as "nothing was invoiced":
    the ERP's own e-invoice, still in its outbox (AJIO down, or the ERP posts asynchronously), stays active and is
    posted for the cancelled order."""

    def order_cancel(self, p: dict) -> None:
        number = p.get("invoiceNumber")
        if not number:
            log(f"{self.pob}: cancellation of {p['orderCode']} before any e-invoice: nothing to cancel")
            return
        for order, inv in self.invoices.items():
            if inv["invoiceNumber"] == number:
                super().order_cancel({**p, "orderCode": order})
                return
        log(f"{self.pob}: cancellation names e-invoice {number}, unknown here")


class SeriesPerFyIrnWithoutYear(Tenant):
    """EINVOICE-IRN-UNIQUE: the ERP restarts its e-invoice and credit-note series every 1 April (IST; no year in
    the number, as GST allows), but computes its IRN from the POB and the number only, leaving out the financial
    year the IRP hashes in: the first e-invoice of the new year, numbered like the first of the old one, carries
    the same IRN, and AJIO refuses it (409) at every try."""

    def number(self, prefix: str) -> str:
        key = f"{prefix}:{financial_year(self.now())}"
        self.series[key] = self.series.get(key, 0) + 1
        return f"{prefix}{self.pob[-6:]}-{self.series[key]:05d}"


class SeriesPerFy(Tenant):
    """Not a bug (GST-INVOICE-NUMBER-UNIQUE allows it): the ERP restarts its e-invoice and credit-note series every
    1 April (IST, by the document's date), the IRN hashing the financial year in as the IRP does. A document made
    (and dated) on 31 March whose posting reaches AJIO only after midnight (AJIO's ERP layer down) belongs to the
    old year under CGST rule 46(b); the new year's first document takes the same number. The simulator filed
    numbers by the year of the posting and refused it, until blind hunt 16 showed it."""

    def number(self, prefix: str) -> str:
        fy = financial_year(self.now())
        key = f"{prefix}:{fy}"
        self.series[key] = self.series.get(key, 0) + 1
        self._fy = fy
        return f"{prefix}{self.pob[-6:]}-{self.series[key]:05d}"

    def irn(self, number: str) -> str:
        return hashlib.sha256(f"{self.pob}/{getattr(self, '_fy', '')}/{number}".encode()).hexdigest()
