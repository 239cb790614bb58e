"""Every document number ajio-sim issues itself follows the GST format it enforces on sellers (CGST rule
46(b): at most 16 characters of letters, digits, '-' and '/'): Dropship and JIT B2B invoices, Dropship
credit notes (tests/api/test_ds_returns.py), VMS B2C invoices and RSI numbers."""
from __future__ import annotations

from fixtures.jitworld import JitWorld
from fixtures.vmsworld import VmsWorld
from simulator.domain.numbers import NUMBER_FORMAT


def test_dropship_invoice_number_follows_the_gst_format(sim):
    pob = sim.seller()
    order_id = sim.place(pob["pob_id"], 1)[0]
    number = sim.to_status(pob, order_id, "INVOICED")["invoice"]["invoice_number"]
    assert NUMBER_FORMAT.fullmatch(number), number


def test_jit_invoice_number_follows_the_gst_format(sim):
    w = JitWorld.new(sim)
    number = w.invoiced(w.raise_po())["invoice_number"]
    assert NUMBER_FORMAT.fullmatch(number), number


def test_vms_b2c_invoice_and_rsi_numbers_follow_the_gst_format(sim):
    w = VmsWorld.create(sim, return_model="rsi")
    order_id = w.place(1)[0]
    out = w.to_stage(order_id, "DELIVERED")
    assert NUMBER_FORMAT.fullmatch(out["documents"]["b2c_invoice_number"])
    rid = sim.control("POST", f"/orders/{order_id}/customer-return", {}, expect=201).json["return_order_id"]
    rsi = sim.control("POST", "/vms/rsi", {"pob_id": w.pob["pob_id"], "return_order_ids": [rid]}, expect=201).json
    assert NUMBER_FORMAT.fullmatch(rsi["rsiNumber"]), rsi
    assert not NUMBER_FORMAT.fullmatch("A" * 17) and not NUMBER_FORMAT.fullmatch("INV 1")
