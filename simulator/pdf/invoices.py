"""GST line-item documents: B2B and B2C tax invoices, credit notes and purchase orders."""

from __future__ import annotations

from typing import Any, Sequence

from .base import FONT, GREY, Column, DocPDF, party_lines, seller_lines
from .fmt import amount_in_words, clean, fmt_amount, fmt_datetime, fmt_money, fmt_number

QR_SIZE = 38
# Height of the totals, amount-in-words and signature blocks under the line-item table.
_TOTALS_H = 62
DECLARATION = (
    "Declaration: We declare that this document shows the actual price of the goods described "
    "and that all particulars are true and correct."
)

# (title, line key, width, width when an MRP column is present): each set adds up to the
# 190 mm A4 content width.
_AMOUNT_COLUMNS = (
    ("Unit Price", "unit_price", 18, 17), ("Taxable", "taxable_value", 19, 18), ("GST", "gst_rate", 10, 9),
    ("CGST", "cgst", 15, 14), ("SGST", "sgst", 15, 14), ("IGST", "igst", 15, 14), ("Total", "total", 19, 18),
)


def _columns(with_mrp: bool) -> list[Column]:
    if with_mrp:
        cols = [Column("#", 6, "C"), Column("Item", 42), Column("HSN", 13, "C"), Column("Qty", 8, "R"),
                Column("MRP", 17, "R")]
    else:
        cols = [Column("#", 6, "C"), Column("Item", 50), Column("HSN", 14, "C"), Column("Qty", 9, "R")]
    return cols + [Column(t, w_mrp if with_mrp else w, "R") for t, _, w, w_mrp in _AMOUNT_COLUMNS]


def _line_row(index: int, line: dict, with_mrp: bool) -> list[Any]:
    row: list[Any] = [str(index), [line.get("name"), f"SKU: {clean(line.get('sku'))}"],
                      clean(line.get("hsn")), fmt_number(line.get("quantity"))]
    if with_mrp:
        row.append(fmt_amount(line.get("mrp")))
    for _, key, _, _ in _AMOUNT_COLUMNS:
        row.append(f"{fmt_number(line.get(key))}%" if key == "gst_rate" else fmt_amount(line.get(key)))
    return row


def _buyer(buyer: dict | None) -> list[tuple[Any, str, float]]:
    buyer = buyer or {}
    gstin = clean(buyer.get("gstin"))
    return party_lines(buyer.get("name"), buyer.get("address"), f"GSTIN: {gstin}" if gstin else "")


def _state(party: dict | None) -> str:
    address = (party or {}).get("address")
    return clean(address.get("state")) if isinstance(address, dict) else ""


def _render(
    *, title: str, subtitle: str, reference: str, created_at: Any, keys: Sequence[tuple[str, Any]],
    einvoice: dict | None, panels: Sequence[tuple[str, Any]], lines: Sequence[dict], totals: dict,
    total_label: str, signatory: Any, notes: Sequence[str] = (), with_mrp: bool = False,
) -> bytes:
    pdf = DocPDF(title, reference, created_at)
    x, top = pdf.l_margin, pdf.t_margin
    text_w = pdf.content_width - (QR_SIZE + 4 if einvoice else 0)

    pdf.set_font(FONT, "B", 17)
    pdf.put(x, top, text_w, 8, title, pad=0)
    pdf.set_font(FONT, "", 8.5)
    pdf.put(x, top + 8, text_w, 4.5, subtitle, pad=0)
    y = pdf.key_values(keys, x, top + 14.5, text_w)
    if einvoice:
        qr_x = pdf.w - pdf.r_margin - QR_SIZE
        if einvoice.get("qr_payload"):
            pdf.qr_code(einvoice["qr_payload"], qr_x, top - 1, QR_SIZE)
            pdf.set_font(FONT, "", 6.5)
            pdf.put(qr_x, top + QR_SIZE - 1.5, QR_SIZE, 3, "Signed QR code (e-Invoice)", "C")
        pdf.set_font(FONT, "B", 8.5)
        pdf.put(x, y + 1, 9, 4.6, "IRN:", pad=0)
        pdf.set_font("courier", "B", 8)
        pdf.put(x + 9, y + 1, text_w - 9, 4.6, einvoice.get("irn"), pad=0)
        y = pdf.key_values(
            [("Ack No", einvoice.get("ack_number")), ("Ack Date", fmt_datetime(einvoice.get("ack_date")))],
            x, y + 5.6, text_w,
        )
        y = max(y, top + QR_SIZE + 2)
    pdf.set_line_width(0.4)
    pdf.line(x, y + 2, x + pdf.content_width, y + 2)

    y = pdf.boxes(y + 5, panels)
    pdf.set_y(y + 4)
    rows = [_line_row(i, line, with_mrp) for i, line in enumerate(lines, 1)]
    y = pdf.table(_columns(with_mrp), rows, reserve=_TOTALS_H)
    _totals_and_signature(pdf, y + 3, totals, total_label, signatory, notes)
    return pdf.output_bytes()


def _totals_and_signature(
    pdf: DocPDF, y: float, totals: dict, total_label: str, signatory: Any, notes: Sequence[str]
) -> None:
    if y + _TOTALS_H > pdf.page_break_trigger:
        pdf.add_page()
        y = pdf.y
    x, right_w, row_h = pdf.l_margin, 78, 5
    rx = x + pdf.content_width - right_w
    rows = [("Taxable Value", "taxable_value"), ("CGST", "cgst"), ("SGST", "sgst"),
            ("IGST", "igst"), ("Total Tax", "tax")]
    pdf.set_line_width(0.2)
    for i, (label, key) in enumerate(rows):
        pdf.set_font(FONT, "", 8.5)
        pdf.put(rx, y + i * row_h, 40, row_h, label)
        pdf.put(rx + 40, y + i * row_h, right_w - 40, row_h, fmt_money(totals.get(key)), "R")
    gy = y + len(rows) * row_h
    pdf.set_fill_color(*GREY)
    pdf.rect(rx, gy, right_w, row_h + 1.5, "F")
    pdf.set_font(FONT, "B", 10)
    pdf.put(rx, gy, 40, row_h + 1.5, total_label)
    pdf.put(rx + 40, gy, right_w - 40, row_h + 1.5, fmt_money(totals.get("total")), "R")
    pdf.rect(rx, y, right_w, gy + row_h + 1.5 - y)

    left_w = pdf.content_width - right_w - 6
    pdf.set_font(FONT, "B", 8.5)
    pdf.put(x, y, left_w, 4.5, "Amount in words:", pad=0)
    pdf.set_font(FONT, "", 8.5)
    ly = y + 4.5
    for text in pdf.wrap(amount_in_words(totals.get("total")), left_w, 3):
        pdf.put(x, ly, left_w, 4.2, text, pad=0)
        ly += 4.2
    pdf.set_font(FONT, "", 8)
    for note in notes:
        for text in pdf.wrap(note, left_w, 3):
            pdf.put(x, ly + 1.5, left_w, 4, text, pad=0)
            ly += 4

    sy = max(ly, gy + row_h + 1.5) + 6
    pdf.set_font(FONT, "", 7)
    for i, text in enumerate(pdf.wrap(DECLARATION, left_w, 3)):
        pdf.put(x, sy + i * 3.4, left_w, 3.4, text, pad=0)
    pdf.rect(rx, sy, right_w, 24)
    pdf.set_font(FONT, "B", 8.5)
    pdf.put(rx, sy + 1, right_w, 4.5, f"For {clean(signatory)}", "C")
    pdf.set_font(FONT, "", 8)
    pdf.put(rx, sy + 18, right_w, 4.5, "Authorised Signatory", "C")


def _channel(p: dict) -> str:
    """The selling model the document belongs to: Dropship unless the payload names another (VMS)."""
    return clean(p.get("channel") or "AJIO Dropship")


def _tax_title(base: str, einvoice: dict | None) -> str:
    return f"{base} (e-Invoice)" if einvoice else base


def render_b2b_invoice(p: dict) -> bytes:
    seller, buyer, einvoice = p["seller"], p.get("buyer") or {}, p.get("einvoice")
    cancelled = p.get("cancelled") or {}  # VMS: an invoice cancelled after it was issued keeps its number
    return _render(
        title=("CANCELLED " if cancelled else "") + _tax_title("Tax Invoice", einvoice),
        subtitle=f"{_channel(p)} - supply from seller to AJIO (B2B) - Original for Recipient",
        reference=f"Invoice No. {clean(p.get('invoice_number'))}",
        created_at=p.get("invoice_date"),
        keys=[("Invoice No", p.get("invoice_number")), ("Invoice Date", fmt_datetime(p.get("invoice_date"))),
              ("PO No", p.get("po_number")), ("PO Date", fmt_datetime(p.get("po_date"))),
              ("Order ID", p.get("order_id")), ("Place of Supply", _state(buyer) or "-")],
        einvoice=einvoice,
        panels=[("Supplier (Seller)", seller_lines(seller)), ("Buyer (Bill To)", _buyer(buyer))],
        lines=p.get("lines") or [], totals=p.get("totals") or {}, total_label="Invoice Total",
        signatory=seller.get("seller_name"),
        notes=[f"Cancelled {fmt_datetime(cancelled.get('at'))}: {clean(cancelled.get('reason'))}"] if cancelled else (),
    )


def render_b2c_invoice(p: dict) -> bytes:
    seller, customer, einvoice = p["seller"], p.get("customer") or {}, p.get("einvoice")
    phone = clean(customer.get("phone"))
    return _render(
        title=_tax_title("Tax Invoice", einvoice),
        subtitle=f"{_channel(p)} - customer invoice - Original for Recipient",
        reference=f"Invoice No. {clean(p.get('invoice_number'))}",
        created_at=p.get("invoice_date"),
        keys=[("Invoice No", p.get("invoice_number")), ("Invoice Date", fmt_datetime(p.get("invoice_date"))),
              ("Order ID", p.get("order_id")), ("Order Date", fmt_datetime(p.get("order_date"))),
              ("Payment", p.get("payment_method")), ("Place of Supply", _state(customer) or "-")],
        einvoice=einvoice,
        panels=[("Sold By", seller_lines(seller)),
                ("Bill To / Ship To", party_lines(customer.get("name"), customer.get("address"),
                                             f"Phone: {phone}" if phone else ""))],
        lines=p.get("lines") or [], totals=p.get("totals") or {}, total_label="Invoice Total",
        signatory=seller.get("seller_name"), with_mrp=True,
        notes=[f"Payment method: {clean(p.get('payment_method'))}. Sold on AJIO (ajio.com)."],
    )


_RETURN_TYPES = {"RTO": "RTO (Return to Origin)", "CUSTOMER_RETURN": "Customer Return"}


def render_credit_note(p: dict) -> bytes:
    seller, buyer, einvoice = p["seller"], p.get("buyer") or {}, p.get("einvoice")
    return_type = _RETURN_TYPES.get(p.get("return_type"), clean(p.get("return_type")))
    original = clean(p.get("original_invoice_number"))
    return _render(
        title=_tax_title("Credit Note", einvoice),
        subtitle=f"{_channel(p)} - return invoice against Invoice No. {original} - {return_type}",
        reference=f"Credit Note No. {clean(p.get('credit_note_number'))}",
        created_at=p.get("date"),
        keys=[("Credit Note No", p.get("credit_note_number")), ("Date", fmt_datetime(p.get("date"))),
              ("Series", p.get("credit_note_series")), ("Return Type", return_type),
              ("Return Order", p.get("return_order_id")), ("Order ID", p.get("order_id")),
              ("Original Invoice", original)],
        einvoice=einvoice,
        panels=[("Issued By (Buyer)", _buyer(buyer)), ("Issued To (Seller)", seller_lines(seller))],
        lines=p.get("lines") or [], totals=p.get("totals") or {}, total_label="Credit Total",
        signatory=buyer.get("name"),
        notes=[f"Goods returned ({return_type}) against original Invoice No. {original}."],
    )


def render_purchase_order(p: dict) -> bytes:
    seller, buyer = p["seller"], p.get("buyer") or {}
    return _render(
        title="Purchase Order",
        subtitle=f"{_channel(p)} - purchase order from AJIO to seller",
        reference=f"PO No. {clean(p.get('po_number'))}",
        created_at=p.get("po_date"),
        keys=[("PO No", p.get("po_number")), ("PO Date", fmt_datetime(p.get("po_date"))),
              ("Order ID", p.get("order_id")), ("Ship From", _state(seller) or "-")],
        einvoice=None,
        panels=[("Buyer (Issued By)", _buyer(buyer)), ("Vendor (Seller)", seller_lines(seller))],
        lines=p.get("lines") or [], totals=p.get("totals") or {}, total_label="PO Value",
        signatory=buyer.get("name"),
        notes=[f"Please pack and ship the items above against AJIO order {clean(p.get('order_id'))} "
               "and raise your tax invoice quoting this PO number."],
    )
