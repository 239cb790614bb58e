"""Blind hunt 23, ERP side: three bugs of a seller's ERP behind Increff's VMS layer, each one method of the
reference ERP (examples/reference_erp/erp.py). Designed from the rulebook before reading the catalogue. A third,
a credit note uploaded for the return order raised at OUTWARD_ORDER_COMPLETE, was dropped: it is the class of
erp_credit_note_on_complete, bundled already."""
from __future__ import annotations

import json
from datetime import datetime

from erp import IST, Tenant


class RsiOnlyWhileReturnsWait(Tenant):
    """VMS-ERP-RSI-FETCH. The RSI job runs only while a return this ERP got a return order posting for has no RSI
    booked yet ("nothing to fetch when no return waits"). AJIO issues RSI a day after the expectation, received
    or not: the RSI of a return that never reached the warehouse (no QC, no return order posting), or one issued
    after every posted return has its RSI, is never fetched."""

    def __init__(self, env: dict[str, str], state_dir) -> None:
        super().__init__(env, state_dir)
        data = json.loads(self.path.read_text()) if self.path.exists() else {}
        self.rsi_awaited: list = data.get("rsi_awaited", [])

    def save(self) -> None:
        super().save()
        data = json.loads(self.path.read_text())
        data["rsi_awaited"] = getattr(self, "rsi_awaited", [])
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1))
        tmp.replace(self.path)

    def return_order(self, p: dict) -> None:
        super().return_order(p)
        if self.rsi_model() and p["returnOrderCode"] not in self.rsi_awaited:
            self.rsi_awaited.append(p["returnOrderCode"])

    def rsi_round(self, start: int, upto: int) -> None:
        booked = {code for doc in self.rsi.values() for code in doc.get("returnOrderCodes", [])}
        if all(code in booked for code in self.rsi_awaited):
            return  # no return waits for its RSI: nothing fetched, the cursor stays
        super().rsi_round(start, upto)


class InvoiceDatedOrderTime(Tenant):
    """VMS-DOCUMENT-DATE. The e-invoice is dated with the order's time from OUTWARD_ORDER_CREATE (`orderTime`:
    "the invoice date is the order date", as the ERP's sales-order module does), not the moment it is made. The
    order is older than its PO by the acknowledgement hold and the PO's lag."""

    def order_create(self, p: dict) -> None:
        self._order_time = p.get("orderTime")
        try:
            super().order_create(p)
        finally:
            self._order_time = None

    def zoned_now(self) -> str:
        at = getattr(self, "_order_time", None)
        if at:
            return datetime.fromisoformat(at).astimezone(IST).isoformat(timespec="milliseconds")
        return super().zoned_now()
