"""Document numbers used once (CGST rules 46 and 53, the e-invoice portal; not the seeds): an ERP that
repeats an invoice number on another order, or an IRN on another invoice, is refused as production
refuses it, and the order stays un-invoiced; the exact repeat of one posting stays an idempotent 200."""
from __future__ import annotations

import pytest
from dsworld import assert_error

from fixtures.simclient import T0
from fixtures.vmsworld import VmsWorld, irn_for, zoned

# 2027-04-01 00:00 IST: the first instant of the next Indian financial year after T0 (2026-11-23).
NEXT_FY = 1806517800


@pytest.fixture
def w(sim) -> VmsWorld:
    return VmsWorld.create(sim)




def post(w: VmsWorld, path: str, order_id: str, body: dict):
    if path == "/ajio-vms":
        return w.erp("POST", "/b2bInvoice/posting", body)
    return w.vms("POST", f"/orders/{order_id}/b2bInvoice", body)


@pytest.mark.parametrize("first,second", [("/ajio-vms", "/ajio-vms"), ("/vms", "/ajio-vms"), ("/ajio-vms", "/vms")])
def test_b2b_invoice_number_repeat_on_another_order_refused(w, first, second):
    """CGST rule 46: one invoice number per seller and financial year, whichever path posts it."""
    a, po_a = w.with_po()
    b, po_b = w.with_po()
    w.ok(post(w, first, a, w.invoice_payload(po_a, invoiceNumber="ERP/26/0001")))
    body = assert_error(post(w, second, b, w.invoice_payload(po_b, invoiceNumber="ERP/26/0001")), 409,
                        field="invoiceNumber", rule="GST-INVOICE-NUMBER-UNIQUE", message=a)
    assert body["held_by"]["order_id"] == a and "cgst rules, 2017, rule 46" in body["rule"].lower()
    assert w.order(b)["status"] == "ACKNOWLEDGED" and w.order(b)["invoiceNumber"] is None
    assert w.sim.state(b)["vms"]["b2b_invoice"] is None


def test_b2b_invoice_exact_repeat_on_the_same_order_answers_the_first(w):
    order_id, po = w.with_po()
    body = w.invoice_payload(po, invoiceNumber="ERP/26/0002")
    first = w.ok(w.erp("POST", "/b2bInvoice/posting", body))
    assert w.ok(w.erp("POST", "/b2bInvoice/posting", body)) == first
    assert w.ok(w.vms("POST", f"/orders/{order_id}/b2bInvoice", body))["invoiceNumber"] == "ERP/26/0002"


def test_b2b_invoice_fresh_number_on_another_order_accepted(w):
    a, po_a = w.with_po()
    b, po_b = w.with_po()
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_a, invoiceNumber="ERP/26/0003")))
    assert w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b, invoiceNumber="ERP/26/0004")))[
        "order_id"] == b


def test_b2b_invoice_number_is_the_sellers_across_its_pobs(sim, w):
    """GST numbers a GSTIN's invoices: a second POB of the same seller cannot reuse the number."""
    a, po_a = w.with_po()
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_a, invoiceNumber="ERP/26/0005")))
    sibling = VmsWorld.create(sim, seller_id=w.pob["seller_id"])
    b, po_b = sibling.with_po()
    assert_error(sibling.erp("POST", "/b2bInvoice/posting", sibling.invoice_payload(po_b, invoiceNumber="ERP/26/0005")),
                 409, field="invoiceNumber", rule="GST-INVOICE-NUMBER-UNIQUE", message=w.pob["pob_id"])
    other_seller = VmsWorld.create(sim)
    c, po_c = other_seller.with_po()
    other_seller.ok(other_seller.erp("POST", "/b2bInvoice/posting",
                                     other_seller.invoice_payload(po_c, invoiceNumber="ERP/26/0005")))


def test_b2b_invoice_number_free_again_in_the_next_financial_year(w):
    """'unique for a financial year' (rule 46): April to March, on the simulated clock."""
    a, po_a = w.with_po()
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_a, invoiceNumber="ERP/0001")))
    b, po_b = w.with_po()
    w.advance(NEXT_FY - 1 - T0)  # 31 March, 23:59:59 IST: still this year
    assert_error(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b, invoiceNumber="ERP/0001")), 409,
                 field="invoiceNumber")
    w.advance(1)
    assert w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b, invoiceNumber="ERP/0001")))[
        "order_id"] == b


def test_b2b_invoice_number_filed_under_the_year_of_its_date_not_of_its_posting(w):
    """An e-invoice dated 23:30 IST on 31 March and posted at 00:10 on 1 April (an ERP retrying through an outage)
    belongs to the year ending: its number is used in that year, and free in the new one (a series restarted on
    1 April by the document's date is lawful); the same number dated 31 March again is refused."""
    a, po_a = w.with_po()
    b, po_b = w.with_po()
    c, po_c = w.with_po()
    w.advance(NEXT_FY - 30 * 60 - T0)                   # 23:30 IST, 31 March: the ERP makes the invoice of a
    march = zoned(NEXT_FY - 30 * 60)
    w.advance(40 * 60)                                  # 00:10 IST, 1 April: AJIO takes it
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_a, invoiceNumber="ERP/0001", invoiceDate=march)))
    assert w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b, invoiceNumber="ERP/0001")))[
        "order_id"] == b                                 # dated 1 April: the new year's first
    assert_error(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_c, invoiceNumber="ERP/0001",
                                                                       invoiceDate=march)),
                 409, field="invoiceNumber", rule="GST-INVOICE-NUMBER-UNIQUE", message=a)


@pytest.mark.parametrize("number", ["ERP/2026/00000001", "INV 1", "INV#1", "INV_1", ""])
@pytest.mark.parametrize("path", ["/ajio-vms", "/vms"])
def test_b2b_invoice_number_format_refused(w, number, path):
    """Rule 46(b): at most 16 characters of letters, digits, '-' and '/'."""
    order_id, po = w.with_po()
    assert_error(post(w, path, order_id, w.invoice_payload(po, invoiceNumber=number)), 400, field="invoiceNumber",
                 rule="GST-DOCUMENT-NUMBER-FORMAT")
    assert w.order(order_id)["status"] == "ACKNOWLEDGED"


def test_irn_repeat_on_another_invoice_refused_across_sellers(sim, w):
    """The e-invoice portal issues an IRN once: an ERP that caches its first IRN is refused on the second."""
    a, po_a = w.with_po()
    irn = irn_for("cached", "first")
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_a, irnNumber=irn)))
    b, po_b = w.with_po()
    body = assert_error(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b, irnNumber=irn)), 409,
                        field="irnNumber", rule="EINVOICE-IRN-UNIQUE", message=a)
    assert body["held_by"]["entity_id"] == a and body["held_by"]["kind"] == "b2b_invoice"
    assert w.order(b)["status"] == "ACKNOWLEDGED"
    other = VmsWorld.create(sim)
    c, po_c = other.with_po()
    assert_error(other.erp("POST", "/b2bInvoice/posting", other.invoice_payload(po_c, irnNumber=irn)), 409,
                 field="irnNumber")
    assert w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b)))["order_id"] == b  # a fresh IRN




def test_credit_note_number_repeat_on_another_return_refused(w):
    """CGST rule 53(1A): a credit-note number once per seller and financial year."""
    first, second = w.processed_return(), w.processed_return()
    body = w.credit_note_payload(first, creditNoteNumber="CN/26/0001")
    answer = w.ok(w.erp("POST", "/creditNote/posting", body))
    assert w.ok(w.erp("POST", "/creditNote/posting", body)) == answer  # the exact repeat: idempotent
    refused = assert_error(w.vms("POST", f"/returns/{second}/creditNote",
                                 w.credit_note_payload(second, creditNoteNumber="CN/26/0001")), 409,
                           field="creditNoteNumber", rule="GST-CREDIT-NOTE-NUMBER-UNIQUE", message=first)
    assert refused["held_by"]["return_order_id"] == first
    assert next(r for r in w.returns() if r["return_order_id"] == second)["creditNoteNumber"] is None
    w.ok(w.vms("POST", f"/returns/{second}/creditNote", w.credit_note_payload(second, creditNoteNumber="CN/26/0002")))


def test_credit_note_with_an_invoices_irn_refused(w):
    """One IRN, one document: a credit note cannot carry the IRN of an invoice."""
    rid = w.processed_return()
    order_id = w.sim.return_state(rid)["order_id"]
    used = w.sim.state(order_id)["vms"]["b2b_invoice"]["irnNumber"]
    assert_error(w.erp("POST", "/creditNote/posting", w.credit_note_payload(rid, irnNumber=used)), 409,
                 field="irnNumber", rule="EINVOICE-IRN-UNIQUE", message=order_id)


def test_refusal_is_journaled_with_its_rule(w):
    a, po_a = w.with_po()
    b, po_b = w.with_po()
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_a, invoiceNumber="ERP/26/0009")))
    w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po_b, invoiceNumber="ERP/26/0009"))
    entry = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&path=/ajio-vms/*", expect=200).json["entries"][-1]
    assert entry["status"] == 409 and "GST-INVOICE-NUMBER-UNIQUE" in entry["response_body"]
