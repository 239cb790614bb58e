"""4x6 inch courier shipping label with the AWB as a Code 39 barcode."""

from __future__ import annotations

from typing import Any

from .base import FONT, Column, DocPDF
from .fmt import address_lines, clean, fmt_datetime, fmt_money, fmt_number, to_decimal

# 4 x 6 inches is the thermal label size courier pickup printers take.
LABEL_SIZE = (101.6, 152.4)
_MARGIN = 3.5
_RETURN_BLOCK_H = 19
_ITEM_ROW_H = 5.0


def _is_cod(payload: dict) -> bool:
    # The amount decides, not payment_method: the courier collects exactly cod_amount.
    return to_decimal(payload.get("cod_amount")) > 0


def _payment_badge(pdf: DocPDF, payload: dict, x: float, y: float, w: float, h: float) -> None:
    # White on black so the sorter sees at a glance whether cash must be collected.
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(x, y, w, h, "F")
    pdf.set_text_color(255, 255, 255)
    if _is_cod(payload):
        pdf.set_font(FONT, "B", 9)
        pdf.put(x, y + 0.5, w, 4, "COD - COLLECT CASH", "C")
        pdf.set_font(FONT, "B", 12.5)
        pdf.put(x, y + 4.8, w, 6.5, fmt_money(payload.get("cod_amount")), "C")
    else:
        pdf.set_font(FONT, "B", 16)
        pdf.put(x, y, w, h, "PREPAID", "C")
    pdf.set_text_color(0, 0, 0)


def _ship_to(pdf: DocPDF, ship_to: dict, y: float) -> float:
    x, w = pdf.l_margin, pdf.content_width
    address = ship_to.get("address")
    pincode = clean(address.get("pincode")) if isinstance(address, dict) else ""
    pdf.set_font(FONT, "B", 7)
    pdf.put(x, y + 0.5, 20, 4, "SHIP TO:")
    if pincode:
        pdf.set_font(FONT, "B", 15)
        pdf.put(x + w - 40, y + 0.8, 40, 6.5, f"PIN {pincode}", "R")
    pdf.set_font_to_fit(ship_to.get("name"), w - 42, "B", 11, 8)
    pdf.put(x, y + 5, w - 40, 5.5, ship_to.get("name"))
    ly = y + 10.8
    pdf.set_font(FONT, "", 8.5)
    for line in address_lines(address):
        for part in pdf.wrap(line, w - 3, 2):
            pdf.put(x, ly, w, 3.9, part)
            ly += 3.9
    phone = clean(ship_to.get("phone"))
    if phone:
        pdf.set_font(FONT, "B", 8.5)
        pdf.put(x, ly + 0.3, w, 4, f"Phone: {phone}")
        ly += 4.3
    pdf.set_line_width(0.3)
    pdf.rect(x, y, w, ly + 1.2 - y)
    return ly + 1.2


def _items(pdf: DocPDF, items: list[dict], y: float, bottom: float) -> None:
    pdf.set_y(y)
    fit = max(1, int((bottom - y - 6) // _ITEM_ROW_H))
    rows: list[list[Any]] = [
        [item.get("sku"), item.get("name"), fmt_number(item.get("quantity"))] for item in items
    ]
    if len(rows) > fit:
        more = len(rows) - fit + 1
        rows = rows[: fit - 1] + [["", f"+ {more} more item(s), see invoice", ""]]
    columns = [Column("SKU", 30), Column("Item", pdf.content_width - 42), Column("Qty", 12, "R")]
    pdf.table(columns, rows, size=7, line_h=3.4, max_lines=1)


def _return_to(pdf: DocPDF, return_to: dict, y: float) -> None:
    x, w = pdf.l_margin, pdf.content_width
    pdf.set_line_width(0.2)
    pdf.rect(x, y, w, _RETURN_BLOCK_H)
    pdf.set_font(FONT, "B", 7)
    pdf.put(x, y + 0.5, w, 3.6, "IF UNDELIVERED, RETURN TO:")
    pdf.set_font(FONT, "B", 7.5)
    pdf.put(x, y + 4, w, 3.6, return_to.get("name"))
    pdf.set_font(FONT, "", 7)
    lines = [part for line in address_lines(return_to.get("address")) for part in pdf.wrap(line, w - 3, 2)]
    for i, line in enumerate(lines[:3]):
        pdf.put(x, y + 7.6 + i * 3.3, w, 3.3, line)


def render_label(p: dict) -> bytes:
    awb = clean(p.get("tracking_number"))
    pdf = DocPDF("Shipping Label", f"AWB {awb}", p.get("order_date"),
                 page_format=LABEL_SIZE, margin=_MARGIN, footer_size=5.5)
    x, w, top = pdf.l_margin, pdf.content_width, pdf.t_margin
    badge_w = 40

    carrier = clean(p.get("carrier")).upper() or "COURIER"
    pdf.set_font_to_fit(carrier, w - badge_w - 2, "B", 18, 10)
    pdf.put(x, top, w - badge_w - 2, 8.5, carrier, pad=0)
    pdf.set_font(FONT, "", 7)
    pdf.put(x, top + 8.5, w - badge_w - 2, 3.5, f"{clean(p.get('channel') or 'AJIO Dropship')} shipment", pad=0)
    _payment_badge(pdf, p, x + w - badge_w, top, badge_w, 12)

    pdf.barcode39(awb, x, top + 15, w, 17)
    pdf.set_font(FONT, "B", 11)
    pdf.put(x, top + 32.5, w, 5, f"AWB: {awb}", "C")
    pdf.set_line_width(0.4)
    pdf.line(x, top + 38.5, x + w, top + 38.5)

    y = _ship_to(pdf, p.get("ship_to") or {}, top + 40.5)
    dims = " x ".join(fmt_number(p.get(k)) for k in ("length_cm", "breadth_cm", "height_cm"))
    weight = to_decimal(p.get("weight_grams")) / 1000
    y = pdf.key_values(
        [("Order ID", p.get("order_id")), ("Invoice", p.get("invoice_number")),
         ("Order Date", fmt_datetime(p.get("order_date"))), ("Payment", clean(p.get("payment_method")).upper()),
         ("Weight", f"{fmt_number(round(weight, 3))} kg"), ("Dimensions", f"{dims} cm")],
        x, y + 1.5, w, label_w=16, size=7, line_h=3.9,
    )
    return_top = pdf.page_break_trigger - _RETURN_BLOCK_H
    _items(pdf, list(p.get("items") or []), y + 1.5, return_top - 1.5)
    _return_to(pdf, p.get("return_to") or {}, return_top)
    return pdf.output_bytes()
