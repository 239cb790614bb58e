"""Courier pickup manifest: shipments table over as many pages as needed, plus a handover signature box."""

from __future__ import annotations

from .base import FONT, GREY, Column, DocPDF, seller_lines
from .fmt import clean, fmt_datetime, fmt_number, to_decimal

_COLUMNS = (
    Column("#", 10, "C"), Column("Order ID", 38), Column("AWB / Tracking No", 40), Column("Carrier", 30),
    Column("Invoice No", 40), Column("Qty", 12, "R"), Column("Weight (g)", 20, "R"),
)
_SIGNATURE_H = 44

_SIGN_FIELDS = (
    ("Handed over by (Seller)", ("Name", "Signature", "Date & Time")),
    ("Received by (Courier pickup person)", ("Name", "Phone / Employee ID", "Packages received", "Signature",
                                              "Date & Time")),
)


def _signature_box(pdf: DocPDF, y: float) -> None:
    gap = 4
    w = (pdf.content_width - gap) / 2
    for i, (heading, fields) in enumerate(_SIGN_FIELDS):
        x = pdf.l_margin + i * (w + gap)
        pdf.set_fill_color(*GREY)
        pdf.rect(x, y, w, 5.5, "F")
        pdf.set_font(FONT, "B", 8)
        pdf.put(x, y, w, 5.5, heading.upper(), pad=1.5)
        pdf.set_line_width(0.25)
        pdf.rect(x, y, w, _SIGNATURE_H)
        step = (_SIGNATURE_H - 8) / len(fields)
        pdf.set_font(FONT, "", 8)
        pdf.set_line_width(0.15)
        for j, field in enumerate(fields):
            fy = y + 8 + j * step
            pdf.put(x, fy, 34, step, f"{field}:", pad=1.5)
            # Handwriting goes on a rule, as on a paper pickup sheet.
            pdf.line(x + 34, fy + step - 1.2, x + w - 3, fy + step - 1.2)


def render_manifest(p: dict) -> bytes:
    shipments = list(p.get("shipments") or [])
    manifest_id = clean(p.get("manifest_id"))
    pdf = DocPDF("Pickup Manifest", manifest_id, p.get("created_at"))
    x, top, w = pdf.l_margin, pdf.t_margin, pdf.content_width
    code_w = 82
    text_w = w - code_w - 4

    carriers = sorted({clean(s.get("carrier")) for s in shipments if clean(s.get("carrier"))})
    quantity = sum(to_decimal(s.get("quantity")) for s in shipments)
    weight_kg = sum(to_decimal(s.get("weight_grams")) for s in shipments) / 1000

    pdf.set_font(FONT, "B", 17)
    pdf.put(x, top, text_w, 8, "Pickup Manifest", pad=0)
    pdf.set_font(FONT, "", 8.5)
    pdf.put(x, top + 8, text_w, 4.5, f"{clean(p.get('channel') or 'AJIO Dropship')} - courier handover sheet", pad=0)
    y = pdf.key_values(
        [("Manifest ID", manifest_id), ("Created", fmt_datetime(p.get("created_at"))),
         ("Shipments", len(shipments)), ("Carrier(s)", ", ".join(carriers) or "-")],
        x, top + 14.5, text_w, cols=1, label_w=24,
    )
    pdf.barcode39(manifest_id, x + w - code_w, top + 1, code_w, 14)
    pdf.set_font(FONT, "B", 9)
    pdf.put(x + w - code_w, top + 15.5, code_w, 4.5, manifest_id, "C")
    pdf.set_line_width(0.4)
    pdf.line(x, y + 2, x + w, y + 2)

    summary = [
        (f"Total shipments: {len(shipments)}", "B", 9),
        (f"Total quantity: {fmt_number(quantity)}", "", 8.5),
        (f"Total weight: {fmt_number(round(weight_kg, 3))} kg", "", 8.5),
        (f"Carrier(s): {', '.join(carriers) or '-'}", "", 8.5),
    ]
    y = pdf.boxes(y + 5, [("Seller (Pickup From)", seller_lines(p.get("seller") or {})), ("Pickup Summary", summary)])
    pdf.set_y(y + 4)
    rows = [
        [str(i), s.get("order_id"), s.get("tracking_number"), s.get("carrier"), s.get("invoice_number"),
         fmt_number(s.get("quantity")), fmt_number(s.get("weight_grams"))]
        for i, s in enumerate(shipments, 1)
    ]
    y = pdf.table(_COLUMNS, rows, size=8, line_h=3.8, max_lines=1)

    if y + 12 + _SIGNATURE_H > pdf.page_break_trigger:
        pdf.add_page()
        y = pdf.y - 3
    pdf.set_font(FONT, "B", 10)
    pdf.put(x, y + 3, w / 2, 6, f"Total shipments: {len(shipments)}", pad=0)
    pdf.set_font(FONT, "", 8.5)
    pdf.put(x + w / 2, y + 3, w / 2, 6,
            f"Total quantity: {fmt_number(quantity)} | Total weight: {fmt_number(round(weight_kg, 3))} kg", "R", pad=0)
    _signature_box(pdf, y + 11)
    return pdf.output_bytes()
