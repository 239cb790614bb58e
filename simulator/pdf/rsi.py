"""Return Sales Invoice (RSI): AJIO's document over returned items in the VMS RSI model (seed 002)."""

from __future__ import annotations

from .base import seller_lines
from .fmt import clean, fmt_datetime
from .invoices import _buyer, _render


def render_rsi(p: dict) -> bytes:
    seller, buyer = p["seller"], p.get("buyer") or {}
    return _render(
        title="Return Sales Invoice (e-Invoice)" if p.get("einvoice") else "Return Sales Invoice",
        subtitle="AJIO VMS - return sales invoice (RSI) from AJIO to the seller",
        reference=f"RSI No. {clean(p.get('credit_note_number'))}",
        created_at=p.get("date"),
        keys=[("RSI No", p.get("credit_note_number")), ("Date", fmt_datetime(p.get("date"))),
              ("Billing No", p.get("original_invoice_number")), ("Returns", p.get("return_order_id")),
              ("Orders", p.get("order_id"))],
        einvoice=p.get("einvoice"),
        panels=[("Issued By (AJIO)", _buyer(buyer)), ("Issued To (Seller)", seller_lines(seller))],
        lines=p.get("lines") or [], totals=p.get("totals") or {}, total_label="RSI Total",
        signatory=buyer.get("name"),
        notes=["Returned items may be listed before they reach the seller's warehouse (AJIO throttling)."],
    )
