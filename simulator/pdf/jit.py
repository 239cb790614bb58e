"""JIT documents (seed 001): B2B invoice to AJIO, one dummy ship label per box, the PO manifest."""

from __future__ import annotations

from .base import FONT, Column, DocPDF, party_lines, seller_lines
from .fmt import address_lines, clean, fmt_datetime, fmt_number
from .invoices import _buyer, _render, _state, _tax_title
from .label import LABEL_SIZE

_MARGIN = 3.5


def render_jit_b2b_invoice(p: dict) -> bytes:
    seller, buyer, einvoice = p["seller"], p.get("buyer") or {}, p.get("einvoice")
    return _render(
        title=_tax_title("Tax Invoice", einvoice),
        subtitle="AJIO JIT - supply from seller to AJIO against purchase order (B2B) - Original for Recipient",
        reference=f"Invoice No. {clean(p.get('invoice_number'))}",
        created_at=p.get("invoice_date"),
        keys=[("Invoice No", p.get("invoice_number")), ("Invoice Date", fmt_datetime(p.get("invoice_date"))),
              ("PO No", p.get("po_number")), ("PO Date", fmt_datetime(p.get("po_date"))),
              ("Place of Supply", _state(buyer) or "-")],
        einvoice=einvoice,
        panels=[("Supplier (Seller)", seller_lines(seller)), ("Buyer / Ship To (AJIO warehouse)", _buyer(buyer))],
        lines=p.get("lines") or [], totals=p.get("totals") or {}, total_label="Invoice Total",
        signatory=seller.get("seller_name"),
    )


def render_jit_box_label(p: dict) -> bytes:
    """A 4x6 dummy ship label for one box: AWB barcode, PO, box id (LPN) barcode, seal, contents."""
    awb = clean(p.get("tracking_number"))
    pdf = DocPDF("Box Label", f"AWB {awb}", p.get("created_at"), page_format=LABEL_SIZE, margin=_MARGIN,
                 footer_size=5.5)
    x, w, top = pdf.l_margin, pdf.content_width, pdf.t_margin
    pdf.set_font_to_fit(clean(p.get("carrier")).upper() or "COURIER", w, "B", 18, 10)
    pdf.put(x, top, w, 8.5, clean(p.get("carrier")).upper() or "COURIER", pad=0)
    pdf.set_font(FONT, "", 7)
    count = p.get("box_count")
    which = f"box {p.get('box_index')} of {count}" if count else "prefetched label (prepack)"
    pdf.put(x, top + 8.5, w, 3.5, f"AJIO JIT shipment - {which}", pad=0)
    pdf.barcode39(awb, x, top + 13, w, 15)
    pdf.set_font(FONT, "B", 10)
    pdf.put(x, top + 28.5, w, 5, f"AWB: {awb}", "C")
    y = pdf.key_values([("PO No", p.get("order_id")), ("Box ID", p.get("box_id")), ("Seal ID", p.get("seal_id") or "-"),
                        ("Invoice", p.get("invoice_number") or "-"), ("Date", fmt_datetime(p.get("created_at")))],
                       x, top + 35, w, cols=1, label_w=16, size=7.5, line_h=4)
    pdf.barcode39(p.get("box_id"), x, y + 1, w, 10)
    y += 13
    ship_to = p.get("ship_to") or {}
    pdf.set_font(FONT, "B", 7)
    pdf.put(x, y, w, 4, "SHIP TO (AJIO WAREHOUSE):", pad=0)
    pdf.set_font(FONT, "B", 9)
    pdf.put(x, y + 4, w, 4.5, ship_to.get("name"), pad=0)
    pdf.set_font(FONT, "", 8)
    y += 8.5
    for line in address_lines({k: v for k, v in ship_to.items() if k != "name"}):
        pdf.put(x, y, w, 3.8, line, pad=0)
        y += 3.8
    ship_from = p.get("ship_from") or {}
    pdf.set_font(FONT, "B", 7)
    pdf.put(x, y + 1, w, 4, "FROM:", pad=0)
    pdf.set_font(FONT, "", 7.5)
    for i, (text, _style, _size) in enumerate(party_lines(ship_from.get("name"), ship_from.get("address"))[:3]):
        pdf.put(x, y + 5 + i * 3.5, w, 3.5, text, pad=0)
    pdf.set_y(y + 17)
    items = p.get("items") or []
    if items:
        rows = [[i.get("sku"), i.get("name"), fmt_number(i.get("quantity"))] for i in items[:8]]
        if len(items) > 8:
            rows.append(["", f"+ {len(items) - 8} more line(s)", ""])
        pdf.table([Column("SKU", 30), Column("Item", w - 42), Column("Qty", 12, "R")], rows, size=7, line_h=3.4,
                  max_lines=1)
    return pdf.output_bytes()


_COLUMNS = (Column("#", 8, "C"), Column("PO No", 26), Column("Master AWB", 32), Column("Invoice No", 32),
            Column("Box ID", 32), Column("Seal ID", 28), Column("Box AWB", 32))


def render_jit_manifest(p: dict) -> bytes:
    shipments = list(p.get("shipments") or [])
    manifest_id = clean(p.get("manifest_id"))
    pdf = DocPDF("JIT Manifest", manifest_id, p.get("created_at"))
    x, top, w = pdf.l_margin, pdf.t_margin, pdf.content_width
    pdf.set_font(FONT, "B", 17)
    pdf.put(x, top, w - 86, 8, "Manifest", pad=0)
    pdf.set_font(FONT, "", 8.5)
    pdf.put(x, top + 8, w - 86, 4.5, "AJIO JIT - purchase orders handed to the courier", pad=0)
    boxes = sum(len(s.get("boxes") or []) for s in shipments)
    units = sum(int(s.get("quantity") or 0) for s in shipments)
    y = pdf.key_values([("Manifest ID", manifest_id), ("Created", fmt_datetime(p.get("created_at"))),
                        ("POs", len(shipments)), ("Boxes", boxes), ("Units", units)],
                       x, top + 14.5, w - 86, cols=1, label_w=24)
    pdf.barcode39(manifest_id, x + w - 82, top + 1, 82, 14)
    y = pdf.boxes(y + 4, [("Seller (Pickup From)", seller_lines(p.get("seller") or {}))])
    pdf.set_y(y + 4)
    rows, n = [], 0
    for s in shipments:
        for b in s.get("boxes") or []:
            n += 1
            rows.append([str(n), s.get("order_id"), s.get("master_awb"), s.get("invoice_number"), b.get("box_id"),
                         b.get("seal_id"), b.get("tracking_number")])
    y = pdf.table(_COLUMNS, rows, size=7.5, line_h=3.6, max_lines=1)
    pdf.set_font(FONT, "B", 9)
    pdf.put(x, y + 4, w, 5, f"Total: {len(shipments)} PO(s), {boxes} box(es), {units} unit(s). "
                            f"Deliver to: {', '.join(sorted({clean(s.get('deliver_to')) for s in shipments}))}", pad=0)
    pdf.set_font(FONT, "", 8.5)
    pdf.put(x, y + 16, w / 2, 5, "Handed over by (Seller): ____________________", pad=0)
    pdf.put(x + w / 2, y + 16, w / 2, 5, "Received by (Courier): ____________________", pad=0)
    return pdf.output_bytes()
