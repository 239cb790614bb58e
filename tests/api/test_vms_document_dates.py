"""VMS-DOCUMENT-DATE: an invoice's invoiceDate and a credit note's ackDate carry the moment of issue with its
true zone. The simulator accepts a wrong date (how AJIO answers is not grounded) and marks the violation in
the journal, naming the rule; a date inside the window marks nothing."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fixtures.vmsworld import VmsWorld, zoned

RULE = "VMS-DOCUMENT-DATE"
SHIFT = 5 * 3600 + 1800  # a UTC wall time labelled +05:30 (or the reverse)


@pytest.fixture
def w(sim) -> VmsWorld:
    return VmsWorld.create(sim)


def now(w: VmsWorld) -> int:
    return w.sim.control("GET", "/clock").json["now"]


def last_entry(w: VmsWorld, path: str) -> dict:
    entries = w.sim.control("GET", f"/journal?pob_id={w.pob['pob_id']}&limit=5000", expect=200).json["entries"]
    return [e for e in entries if e["path"] == path][-1]




@pytest.mark.parametrize("via", ["/ajio-vms", "/vms"])
@pytest.mark.parametrize("offset,marked,words", [
    (0, False, None),
    (-1800, False, None),            # half an hour before the PO: the clock read at a run's start
    (-SHIFT, True, "before"),        # UTC wall time labelled +05:30
    (+SHIFT, True, "after the simulated now"),  # IST wall time labelled Z
])
def test_invoice_date_outside_its_window_is_accepted_and_marked(w, via, offset, marked, words):
    order_id, po = w.with_po()
    body = w.invoice_payload(po, invoiceDate=zoned(now(w) + offset))
    if via == "/ajio-vms":
        w.ok(w.erp("POST", "/b2bInvoice/posting", body))
        path = "/ajio-vms/b2bInvoice/posting"
    else:
        w.ok(w.vms("POST", f"/orders/{order_id}/b2bInvoice", body))
        path = f"/vms/orders/{order_id}/b2bInvoice"
    assert w.order(order_id)["invoiceNumber"] == body["invoiceNumber"]  # accepted either way
    marks = last_entry(w, path).get("violations") or []
    if not marked:
        assert marks == []
        return
    [mark] = marks
    assert mark["rule_id"] == RULE and mark["field"] == "invoiceDate" and words in mark["message"], mark


def test_invoice_date_in_another_zone_but_the_right_instant_is_not_marked(w):
    order_id, po = w.with_po()
    utc = datetime.fromtimestamp(now(w), timezone.utc)
    w.ok(w.erp("POST", "/b2bInvoice/posting", w.invoice_payload(po, invoiceDate=utc.isoformat())))
    assert not last_entry(w, "/ajio-vms/b2bInvoice/posting").get("violations")




@pytest.mark.parametrize("offset,marked", [(0, False), (-SHIFT, True), (+SHIFT, True)])
def test_credit_note_ack_date_outside_its_window_is_marked(w, offset, marked):
    rid = w.processed_return()
    w.ok(w.vms("POST", f"/returns/{rid}/creditNote", w.credit_note_payload(rid, ackDate=zoned(now(w) + offset))))
    marks = last_entry(w, f"/vms/returns/{rid}/creditNote").get("violations") or []
    assert [m["rule_id"] for m in marks] == ([RULE] if marked else []), marks
    if marked:
        assert marks[0]["field"] == "ackDate" and rid in marks[0]["message"]
