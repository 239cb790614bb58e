"""Money that adds up: per-unit amounts, amount due after cancellations, credit notes of what came back, and
e-invoicing as NIC issues it (IRN, Ack No, Ack Date, signed QR) on B2B documents only."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from decimal import Decimal

import pytest
from dsworld import CREDIT_NOTE_DELAY, Order, World, jwt_part, pdf_text, signed_qr_data

from simulator.domain.documents import qr_key

SEED = 7  # the app fixture's seed (tests/conftest.py)


@pytest.fixture
def w(sim) -> World:
    return World.new(sim)


def paise(x) -> int:
    return int(Decimal(str(x)) * 100)


def test_line_amounts_times_quantity_are_the_taxable_value_and_tax_to_the_paisa(w):
    """Per-unit b2b_base_price and b2b_tax times quantity give each line's tax_summary exactly."""
    skus = w.skus()
    orders = [w.place(lines=[{"sku": sku, "quantity": q}])[0] for sku in skus[:12] for q in (1, 3)]
    for order_id in orders:
        assert w.acknowledge(order_id).status == 200
    w.advance(1800)
    for order_id in orders:
        order = w.order(order_id)
        for line in order["order_lines"]:
            qty, summary = line["quantity"], line["tax_summary"]
            assert paise(line["b2b_base_price"]) * qty == paise(summary["taxable_value"]), line
            assert paise(line["b2b_tax"]) * qty == paise(summary["tax_amount"]), line
            assert paise(line["item_base_price"]) < paise(line["unit_price"])
        assert paise(order["po_amount"]) == sum(paise(l["b2b_base_price"]) * l["quantity"]
                                                + paise(l["b2b_tax"]) * l["quantity"] for l in order["order_lines"])


def test_amount_due_follows_cancellations_total_amount_does_not(w):
    order_id = w.place_lines(2, 1)
    lines = w.pending(order_id)["order_lines"]
    total = w.pending(order_id)["total_amount"]
    assert w.pending(order_id)["amount_due"] == total
    first = lines[0]
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                  {"lines": [{"order_item_id": first["order_item_id"], "quantity": 1}]}, expect=200)
    pending = w.pending(order_id)
    assert pending["total_amount"] == total
    assert paise(pending["amount_due"]) == paise(total) - paise(first["unit_price"])


def test_cod_label_collects_the_amount_due(sim):
    w = World.new(sim)
    [order_id] = w.sim.place(w.pob_id, payment_method="COD", lines=[{"sku": w.skus()[0], "quantity": 3}])
    [line] = w.pending(order_id)["order_lines"]
    w.sim.control("POST", f"/orders/{order_id}/customer-cancel",
                  {"lines": [{"order_item_id": line["order_item_id"], "quantity": 1}]}, expect=200)
    [order] = w.drive_existing([Order(order_id)], "PACKED")
    due = w.order(order_id)["amount_due"]
    text = pdf_text(w.sim.get_url(order.label["label_pdf_url"], w.token).content)
    assert f"{due:,.2f}" in text and paise(due) == 2 * paise(line["unit_price"])


def _credit_note(w: World, codes: list[str]) -> tuple[dict, list[dict]]:
    """A delivered order of one line of len(codes) units, returned and put away with those QC codes."""
    order, return_id = w.arrived_return(lines=[{"sku": w.skus()[0], "quantity": len(codes)}])
    [item] = w.return_items(return_id)
    counts = {c: codes.count(c) for c in set(codes)}
    w.ok("POST", f"/returns/{return_id}/qc", {"items": [
        {"return_item_id": item["return_item_id"], "quantity": n, "qc_code": code} for code, n in counts.items()]})
    w.advance(CREDIT_NOTE_DELAY)
    note = w.ok("GET", f"/returns/{return_id}/creditNote")
    return note, w.order(order.order_id)["order_lines"]


def test_credit_note_credits_good_and_bad_units_never_missing(w):
    note, [line] = _credit_note(w, ["GOOD", "BAD", "MISSING"])
    unit = paise(line["b2b_base_price"]) + paise(line["b2b_tax"])
    assert paise(note["credit_note_amount"]) == 2 * unit
    text = pdf_text(w.sim.get_url(note["credit_note_pdf_url"], w.token).content)
    assert f"{2 * unit / 100:,.2f}" in text


def test_credit_note_of_only_missing_units_credits_nothing(w):
    note, _ = _credit_note(w, ["MISSING", "MISSING"])
    assert note["credit_note_amount"] == 0


def test_invoice_of_an_einvoicing_pob_carries_nic_irn_ack_and_signed_qr(sim):
    w = World.new(sim, einvoicing=True)
    order = w.one("INVOICED")
    inv = order.invoice
    assert len(inv["irn"]) == 64 and len(inv["ack_number"]) == 15 and inv["ack_date"] == inv["invoice_date"]
    data = signed_qr_data(inv["signed_qr_code"])
    assert set(data) == {"SellerGstin", "BuyerGstin", "DocNo", "DocTyp", "DocDt", "TotInvVal", "ItemCnt",
                         "MainHsnCode", "Irn", "IrnDt"}
    listed = w.order(order.order_id)
    assert (data["DocNo"], data["DocTyp"], data["Irn"], data["ItemCnt"]) == (
        inv["invoice_number"], "INV", inv["irn"], len(listed["order_lines"]))
    assert paise(data["TotInvVal"]) == paise(listed["po_amount"])
    assert data["MainHsnCode"] in {l["hsn"] for l in listed["order_lines"]}
    assert data["SellerGstin"] != data["BuyerGstin"] and len(data["BuyerGstin"]) == 15
    assert re.fullmatch(r"\d\d/\d\d/20\d\d", data["DocDt"])
    assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d", data["IrnDt"])


def test_signed_qr_is_a_jwt_signed_with_the_worlds_key(sim):
    w = World.new(sim, einvoicing=True)
    token = w.one("INVOICED").invoice["signed_qr_code"]
    header, payload, signature = token.split(".")
    assert jwt_part(token, 0) == {"alg": "HS256", "kid": "ajio-sim", "typ": "JWT"}
    expected = hmac.new(qr_key(SEED), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)) == expected


def test_invoice_of_a_plain_pob_carries_no_einvoice_fields(w):
    inv = w.one("INVOICED").invoice
    assert (inv["irn"], inv["ack_number"], inv["ack_date"], inv["signed_qr_code"]) == (None, None, None, None)


def test_b2c_invoice_carries_no_irn_even_for_an_einvoicing_pob(sim):
    w = World.new(sim, einvoicing=True)
    order = w.one("PACKED")
    b2b = pdf_text(w.sim.get_url(order.invoice["invoice_pdf_url"], w.token).content)
    b2c = pdf_text(w.sim.get_url(order.label["b2c_invoice_pdf_url"], w.token).content)
    assert "IRN" in b2b and order.invoice["irn"] in b2b.replace("\n", "")
    assert "IRN" not in b2c and "e-Invoice" not in b2c


def test_credit_note_of_an_einvoicing_pob_is_an_einvoice_of_type_crn(sim):
    w = World.new(sim, einvoicing=True)
    note, _ = _credit_note(w, ["GOOD"])
    text = pdf_text(w.sim.get_url(note["credit_note_pdf_url"], w.token).content)
    assert "IRN" in text and "Credit Note (e-Invoice)" in text
