"""Unit tests for simulator.pdf: every document kind parsed back with pypdf."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import pypdf
import pytest

from fixtures.jit_samples import JIT_SAMPLES
from simulator.pdf import KINDS, render_pdf
from simulator.pdf.base import DocPDF
from simulator.pdf.fmt import amount_in_words, fmt_datetime, fmt_money

ORDER_DATE = 1795237200  # 21-Nov-2026 10:30 IST
PO_DATE = 1795238100  # 21-Nov-2026 10:45 IST
INVOICE_DATE = 1795422900  # 23-Nov-2026 14:05 IST
ACK_DATE = 1795423500  # 23-Nov-2026 14:15 IST
MANIFEST_DATE = 1795432200  # 23-Nov-2026 16:40 IST
CREDIT_NOTE_DATE = 1796189400  # 02-Dec-2026 11:00 IST
PAISE = Decimal("0.01")

SELLER = {
    "seller_name": "Kalyani Fashions Pvt Ltd",
    "gstin": "27AABCK1234M1Z5",
    "pob_id": "POB-MH-00421",
    "store_code": "KFPL01",
    "address": {
        "line1": "Unit 12, Andheri Industrial Estate",
        "line2": "Off Veera Desai Road, Andheri West",
        "city": "Mumbai",
        "state": "Maharashtra",
        "pincode": "400053",
    },
}
BUYER = {
    "name": "Reliance Retail Limited (AJIO)",
    "gstin": "27AABCR1718E1ZP",
    "address": {
        "line1": "Reliance Corporate Park, Building 5",
        "line2": "Thane-Belapur Road, Ghansoli",
        "city": "Navi Mumbai",
        "state": "Maharashtra",
        "pincode": "400701",
    },
}
CUSTOMER = {
    "name": "Priya Raghavan",
    "phone": "+91 98450 12345",
    "address": {
        "line1": "Flat 304, Prestige Lakeside Habitat",
        "line2": "Varthur Main Road, Whitefield",
        "city": "Bengaluru",
        "state": "Karnataka",
        "pincode": "560066",
    },
}
ITEMS = [
    ("KF-KURTA-IND-M", "Women's Cotton Printed Straight Kurta - Indigo Blue", "6204", 2, "1299.00", 12, "1899.00"),
    ("KF-DUPATTA-RED", "Chanderi Silk Dupatta with Zari Border", "6214", 1, "799.00", 5, "1199.00"),
]
AWB = "AJ7700123456789"


def line(sku, name, hsn, qty, unit_price, rate, mrp, intra_state=True):
    """A money line whose tax split adds up, as the simulator would compute it."""
    total = (Decimal(unit_price) * qty).quantize(PAISE)
    taxable = (total * 100 / (100 + rate)).quantize(PAISE, ROUND_HALF_UP)
    tax = total - taxable
    half = (tax / 2).quantize(PAISE, ROUND_HALF_UP)
    cgst, sgst, igst = (half, tax - half, Decimal(0)) if intra_state else (Decimal(0), Decimal(0), tax)
    return {
        "sku": sku, "name": name, "hsn": hsn, "quantity": qty, "unit_price": float(unit_price), "mrp": float(mrp),
        "taxable_value": float(taxable), "gst_rate": rate, "cgst": float(cgst), "sgst": float(sgst),
        "igst": float(igst), "total": float(total),
    }


def totals(lines):
    sums = {k: sum(Decimal(str(ln[k])) for ln in lines) for k in ("taxable_value", "cgst", "sgst", "igst", "total")}
    sums["tax"] = sums["cgst"] + sums["sgst"] + sums["igst"]
    return {k: float(v) for k, v in sums.items()}


def einvoice():
    # Shaped like the NIC signed QR: a JWT of ~800 characters.
    claims = {"SellerGstin": SELLER["gstin"], "BuyerGstin": BUYER["gstin"], "DocNo": "KF/2026/000123",
              "DocTyp": "INV", "DocDt": "23/11/2026", "TotInvVal": 3397.0, "ItemCnt": 2, "MainHsnCode": "6204",
              "Irn": hashlib.sha256(b"KF/2026/000123").hexdigest(), "IrnDt": "2026-11-23 14:15:00",
              "pad": "x" * 300}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    signature = base64.urlsafe_b64encode(hashlib.sha512(body.encode()).digest() * 4).decode().rstrip("=")
    return {
        "irn": hashlib.sha256(b"KF/2026/000123").hexdigest(),
        "ack_number": "112610012345678",
        "ack_date": ACK_DATE,
        "qr_payload": f"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.{body}.{signature}",
    }


def b2b_invoice(with_einvoice=False, item_count=None):
    items = ITEMS if item_count is None else [
        (f"KF-SKU-{i:04d}", f"Printed Cotton Kurta Style {i}", "6204", 1, "999.00", 5, "1499.00")
        for i in range(1, item_count + 1)
    ]
    lines = [line(*item) for item in items]
    return {
        "invoice_number": "KF/2026/000123", "invoice_date": INVOICE_DATE,
        "po_number": "PO-AJ-88123401", "po_date": PO_DATE, "order_id": "FN2611234567",
        "seller": SELLER, "buyer": BUYER, "lines": lines, "totals": totals(lines),
        "einvoice": einvoice() if with_einvoice else None,
    }


def b2c_invoice(customer=CUSTOMER):
    lines = [line(*item, intra_state=False) for item in ITEMS]
    return {
        "invoice_number": "AJC/2026/0456789", "invoice_date": INVOICE_DATE, "order_id": "FN2611234567",
        "order_date": ORDER_DATE, "payment_method": "COD", "seller": SELLER, "customer": customer,
        "lines": lines, "totals": totals(lines),
    }


def label(cod_amount=3397.0, items=None):
    return {
        "tracking_number": AWB, "carrier": "Delhivery", "order_id": "FN2611234567", "order_date": ORDER_DATE,
        "payment_method": "COD" if cod_amount else "PREPAID", "cod_amount": cod_amount,
        "weight_grams": 650, "length_cm": 30, "breadth_cm": 22, "height_cm": 6,
        "ship_to": CUSTOMER,
        "return_to": {"name": SELLER["seller_name"], "address": SELLER["address"]},
        "invoice_number": "AJC/2026/0456789",
        "items": items if items is not None else [
            {"sku": sku, "name": name, "quantity": qty} for sku, name, _, qty, *_ in ITEMS
        ],
    }


def manifest(count=3, manifest_id="MF-KFPL01-20261123-01"):
    return {
        "manifest_id": manifest_id, "created_at": MANIFEST_DATE, "seller": SELLER,
        "shipments": [
            {"order_id": f"FN26{i:08d}", "tracking_number": f"AJ77{i:011d}", "carrier": "Delhivery",
             "invoice_number": f"AJC/2026/{i:07d}", "weight_grams": 400 + i, "quantity": 1 + i % 3}
            for i in range(1, count + 1)
        ],
    }


def credit_note(with_einvoice=False):
    lines = [line(*ITEMS[0])]
    return {
        "credit_note_number": "RCN/2026/000045", "credit_note_series": "RCN26", "date": CREDIT_NOTE_DATE,
        "return_order_id": "RT2612000045", "order_id": "FN2611234567", "return_type": "CUSTOMER_RETURN",
        "original_invoice_number": "KF/2026/000123", "seller": SELLER, "buyer": BUYER,
        "lines": lines, "totals": totals(lines), "einvoice": einvoice() if with_einvoice else None,
    }


def purchase_order():
    lines = [line(*item) for item in ITEMS]
    return {"po_number": "PO-AJ-88123401", "po_date": PO_DATE, "order_id": "FN2611234567",
            "seller": SELLER, "buyer": BUYER, "lines": lines, "totals": totals(lines)}


def rsi():
    """A VMS return sales invoice (seed 002 RSI model): the credit-note payload shape, AJIO as issuer."""
    return {**credit_note(with_einvoice=True), "credit_note_number": "3100000374", "return_type": "RSI",
            "original_invoice_number": "33111150000047", "return_order_id": "RT11381010, RT11381011"}


SAMPLES = {
    "b2b_invoice": b2b_invoice, "b2c_invoice": b2c_invoice, "label": label, "manifest": manifest,
    "credit_note": credit_note, "purchase_order": purchase_order, "rsi": rsi,
}
SAMPLES.update(JIT_SAMPLES)


def test_rsi_shows_number_billing_no_and_returns():
    """Seed 002 RSI payload: rsiNumber, billingNo and the returns it covers are printed."""
    text = text_of(render_pdf("rsi", rsi()))
    assert "Return Sales Invoice" in text and "3100000374" in text and "33111150000047" in text
    assert "RT11381010" in text


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def rect_ops(pdf: bytes) -> int:
    """Rectangles (`re` operators) across all page content streams."""
    return sum(len(re.findall(rb" re\b", page.get_contents().get_data())) for page in reader(pdf).pages)


def filled_rect_ops(pdf: bytes) -> int:
    return sum(len(re.findall(rb" re f\b", page.get_contents().get_data())) for page in reader(pdf).pages)


@pytest.mark.parametrize("kind", KINDS)
def test_render_pdf_every_kind_parses_with_title_and_footer(kind):
    pdf = render_pdf(kind, SAMPLES[kind]())
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "Generated by ajio-sim (simulated document, not valid for tax purposes)" in text
    assert "Page 1 of 1" in text


@pytest.mark.parametrize("kind", KINDS)
def test_render_pdf_same_payload_is_byte_identical(kind):
    assert render_pdf(kind, SAMPLES[kind]()) == render_pdf(kind, SAMPLES[kind]())


def test_render_pdf_creation_date_comes_from_document_date():
    meta = reader(render_pdf("b2b_invoice", b2b_invoice())).metadata
    assert meta.creation_date == datetime.fromtimestamp(INVOICE_DATE, timezone.utc)


def test_render_pdf_unknown_kind_raises_value_error():
    with pytest.raises(ValueError, match="unknown document kind"):
        render_pdf("debit_note", {})


def test_b2b_invoice_shows_key_numbers_parties_and_total():
    text = text_of(render_pdf("b2b_invoice", b2b_invoice()))
    for expected in ("Tax Invoice", "KF/2026/000123", "PO-AJ-88123401", "FN2611234567", "23-Nov-2026 14:05 IST",
                     "Kalyani Fashions Pvt Ltd", "27AABCK1234M1Z5", "Reliance Retail Limited (AJIO)",
                     "27AABCR1718E1ZP", "KF-KURTA-IND-M", "6204", "Rs. 3,397.00",
                     "Rupees Three Thousand Three Hundred Ninety Seven Only"):
        assert expected in text, expected


def test_b2b_invoice_with_einvoice_prints_irn_and_ack():
    data = einvoice()
    text = text_of(render_pdf("b2b_invoice", b2b_invoice(with_einvoice=True)))
    assert "Tax Invoice (e-Invoice)" in text
    assert data["irn"] in text
    assert "112610012345678" in text
    assert "23-Nov-2026 14:15 IST" in text


def test_b2b_invoice_without_einvoice_has_no_irn():
    text = text_of(render_pdf("b2b_invoice", b2b_invoice(with_einvoice=False)))
    assert "IRN" not in text
    assert "e-Invoice" not in text
    assert einvoice()["irn"] not in text


def test_b2b_invoice_einvoice_key_absent_is_tolerated():
    payload = b2b_invoice()
    del payload["einvoice"]
    assert "IRN" not in text_of(render_pdf("b2b_invoice", payload))


def test_b2b_invoice_with_einvoice_draws_qr_code():
    plain = rect_ops(render_pdf("b2b_invoice", b2b_invoice(with_einvoice=False)))
    signed = rect_ops(render_pdf("b2b_invoice", b2b_invoice(with_einvoice=True)))
    # An ~800 character payload needs a version 20+ QR: well over a thousand dark runs.
    assert plain < 60
    assert signed - plain > 1000


def test_b2b_invoice_many_lines_flow_onto_later_pages():
    pdf = render_pdf("b2b_invoice", b2b_invoice(item_count=60))
    pages = [page.extract_text() for page in reader(pdf).pages]
    assert len(pages) >= 3
    assert "KF-SKU-0060" in pages[-1]
    assert all("Taxable" in page for page in pages)  # table header repeated
    assert "".join(pages).count("Invoice Total") == 1
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_b2c_invoice_shows_customer_mrp_and_payment():
    text = text_of(render_pdf("b2c_invoice", b2c_invoice()))
    for expected in ("AJC/2026/0456789", "Priya Raghavan", "+91 98450 12345", "Karnataka", "MRP", "1,899.00",
                     "COD", "21-Nov-2026 10:30 IST", "Kalyani Fashions Pvt Ltd"):
        assert expected in text, expected


def test_b2c_invoice_non_latin1_name_is_replaced_not_fatal():
    customer = dict(CUSTOMER, name="\u0930\u093e\u092e Kumar \u20b9 \u201cVIP\u201d \u2013 Ng\u01b0\u1eddi")
    text = text_of(render_pdf("b2c_invoice", b2c_invoice(customer=customer)))
    assert "Kumar Rs. \"VIP\" - Ngu" in text


def test_label_shows_awb_carrier_and_cod_amount():
    text = text_of(render_pdf("label", label(cod_amount=3397.0)))
    for expected in (AWB, "DELHIVERY", "Rs. 3,397.00", "COD", "Priya Raghavan", "560066", "FN2611234567",
                     "AJC/2026/0456789", "0.65 kg", "30 x 22 x 6 cm", "RETURN TO"):
        assert expected in text, expected
    assert "PREPAID" not in text


def test_label_prepaid_prints_prepaid_without_amount():
    text = text_of(render_pdf("label", label(cod_amount=0)))
    assert "PREPAID" in text
    assert "Rs." not in text


def test_label_page_is_4x6_inches():
    page = reader(render_pdf("label", label())).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (288, 432)


def test_label_draws_code39_barcode_of_awb(monkeypatch):
    with_code = filled_rect_ops(render_pdf("label", label()))
    monkeypatch.setattr(DocPDF, "barcode39", lambda self, *args, **kwargs: 0)
    without = filled_rect_ops(render_pdf("label", label()))
    # Code 39 draws 5 bars per symbol, and the AWB is framed by "*" start/stop symbols.
    assert with_code - without == 5 * (len(AWB) + 2)


def test_label_too_many_items_stays_on_one_page():
    items = [{"sku": f"SKU-{i}", "name": f"Item {i}", "quantity": 1} for i in range(40)]
    pdf = render_pdf("label", label(items=items))
    assert len(reader(pdf).pages) == 1
    assert "more item(s)" in text_of(pdf)


def test_manifest_250_shipments_span_pages_and_list_last_order():
    pdf = render_pdf("manifest", manifest(count=250))
    pages = [page.extract_text() for page in reader(pdf).pages]
    assert len(pages) >= 4
    assert "FN2600000250" in pages[-1]
    assert "Total shipments: 250" in pages[-1]
    for number, page in enumerate(pages, 1):
        assert "Order ID" in page and "AWB / Tracking No" in page, number
        assert f"Page {number} of {len(pages)}" in page


def test_manifest_every_shipment_listed_once():
    text = text_of(render_pdf("manifest", manifest(count=250)))
    assert all(text.count(f"FN26{i:08d}") == 1 for i in range(1, 251))


def test_manifest_has_courier_signature_box():
    text = text_of(render_pdf("manifest", manifest()))
    assert "RECEIVED BY (COURIER PICKUP PERSON)" in text
    assert "Signature:" in text


def test_manifest_draws_code39_of_manifest_id(monkeypatch):
    with_code = filled_rect_ops(render_pdf("manifest", manifest(manifest_id="MF-2611-07")))
    monkeypatch.setattr(DocPDF, "barcode39", lambda self, *args, **kwargs: 0)
    without = filled_rect_ops(render_pdf("manifest", manifest(manifest_id="MF-2611-07")))
    assert with_code - without == 5 * len("*MF-2611-07*")


def test_manifest_id_with_characters_outside_code39_renders():
    text = text_of(render_pdf("manifest", manifest(manifest_id="mf_2611/#7")))
    assert "mf_2611/#7" in text


def test_credit_note_shows_return_details():
    text = text_of(render_pdf("credit_note", credit_note()))
    for expected in ("Credit Note", "RCN/2026/000045", "RCN26", "RT2612000045", "Customer Return",
                     "KF/2026/000123", "02-Dec-2026 11:00 IST", "Rs. 2,598.00"):
        assert expected in text, expected
    assert "IRN" not in text


def test_credit_note_with_einvoice_prints_irn():
    text = text_of(render_pdf("credit_note", credit_note(with_einvoice=True)))
    assert "(e-Invoice)" in text
    assert einvoice()["irn"] in text


def test_purchase_order_shows_po_number_and_value():
    text = text_of(render_pdf("purchase_order", purchase_order()))
    for expected in ("Purchase Order", "PO-AJ-88123401", "21-Nov-2026 10:45 IST", "FN2611234567",
                     "PO Value", "Rs. 3,397.00"):
        assert expected in text, expected
    assert "IRN" not in text


def test_fmt_money_uses_indian_grouping():
    assert fmt_money(1299) == "Rs. 1,299.00"
    assert fmt_money(123456.5) == "Rs. 1,23,456.50"
    assert fmt_money(Decimal("12345678.005")) == "Rs. 1,23,45,678.01"
    assert fmt_money(-50) == "-Rs. 50.00"


def test_fmt_datetime_prints_ist():
    assert fmt_datetime(INVOICE_DATE) == "23-Nov-2026 14:05 IST"
    assert fmt_datetime(None) == "-"


def test_amount_in_words_handles_lakhs_and_paise():
    assert amount_in_words(123456.5) == "Rupees One Lakh Twenty Three Thousand Four Hundred Fifty Six and Fifty Paise Only"
