"""Every legal and illegal move of the VMS tables (seed 002; DESIGN rule 3), written out independently."""
from __future__ import annotations

import itertools

import pytest

import simulator.domain.ds.machines  # noqa: F401 (registers ds_order, which one test reads)
from simulator.domain.machine import MACHINES, order_machine
from simulator.domain.vms.machines import (
    RSI,
    VMS_ORDER_ERP,
    VMS_ORDER_ERP_LATE,
    VMS_ORDER_RMS,
    VMS_ORDER_RMS_LATE,
    VMS_PUBLIC_STATUS,
)
from simulator.errors import IllegalTransition

COMMON = {
    ("CREATED", "acknowledge"): "ACKNOWLEDGED",
    ("CREATED", "customer_cancel"): "CANCELLED", ("CREATED", "customer_cancel_lines"): "CREATED",
    ("CREATED", "seller_cancel"): "CANCELLED", ("CREATED", "seller_cancel_lines"): "CREATED",
    ("ACKNOWLEDGED", "po_issued"): "ACKNOWLEDGED",
    ("ACKNOWLEDGED", "seller_cancel"): "CANCELLED", ("ACKNOWLEDGED", "seller_cancel_lines"): "ACKNOWLEDGED",
    ("ACKNOWLEDGED", "b2b_invoice"): "INVOICED",
    ("INVOICED", "seller_cancel"): "CANCELLED", ("INVOICED", "pack"): "PACKED",
    ("PACKED", "seller_cancel"): "CANCELLED", ("PACKED", "dispatch"): "READY_TO_DISPATCH",
    ("READY_TO_DISPATCH", "pickup"): "DISPATCHED", ("DISPATCHED", "deliver"): "DELIVERED",
    ("DISPATCHED", "rto"): "RTO", ("DELIVERED", "customer_return"): "DELIVERED",
}
ERP_EXPECTED = dict(COMMON)
# Model 2: a partial cancellation after RMS's invoice cancels that invoice (an issued invoice never changes):
# the order is back to ACKNOWLEDGED, with its PO, waiting for a new invoice.
RMS_EXPECTED = {**COMMON, ("INVOICED", "seller_cancel_lines"): "ACKNOWLEDGED"}
# Late customer cancellations (the seller's late_customer_cancel, seed 004): after the acknowledgement,
# partially until packing, completely until handover.
LATE = {("ACKNOWLEDGED", "customer_cancel"): "CANCELLED", ("ACKNOWLEDGED", "customer_cancel_lines"): "ACKNOWLEDGED",
        ("INVOICED", "customer_cancel"): "CANCELLED", ("PACKED", "customer_cancel"): "CANCELLED"}
ERP_LATE_EXPECTED = {**ERP_EXPECTED, **LATE, ("INVOICED", "customer_cancel_lines"): "INVOICED"}
RMS_LATE_EXPECTED = {**RMS_EXPECTED, **LATE, ("INVOICED", "customer_cancel_lines"): "ACKNOWLEDGED"}
RSI_EXPECTED = {("ISSUED", "accept"): "ACCEPTED"}
CASES = [(VMS_ORDER_ERP, ERP_EXPECTED), (VMS_ORDER_RMS, RMS_EXPECTED), (VMS_ORDER_ERP_LATE, ERP_LATE_EXPECTED),
         (VMS_ORDER_RMS_LATE, RMS_LATE_EXPECTED), (RSI, RSI_EXPECTED)]


def _pairs():
    for machine, expected in CASES:
        for state, event in itertools.product(sorted(machine.states), sorted(machine.events)):
            yield pytest.param(machine, expected, state, event, id=f"{machine.name}-{state}-{event}")


def test_vms_tables_match_the_documented_moves():
    assert dict(VMS_ORDER_ERP.table) == ERP_EXPECTED
    assert dict(VMS_ORDER_RMS.table) == RMS_EXPECTED
    assert dict(VMS_ORDER_ERP_LATE.table) == ERP_LATE_EXPECTED
    assert dict(VMS_ORDER_RMS_LATE.table) == RMS_LATE_EXPECTED
    assert dict(RSI.table) == RSI_EXPECTED


@pytest.mark.parametrize("machine,expected,state,event", list(_pairs()))
def test_vms_move_legal_or_refused(machine, expected, state, event):
    if (state, event) in expected:
        assert machine.next(state, event) == expected[(state, event)]
    else:
        with pytest.raises(IllegalTransition) as err:
            machine.next(state, event)
        assert err.value.status == 409 and state in err.value.message


@pytest.mark.parametrize("state", ["ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED"])
@pytest.mark.parametrize("machine", [VMS_ORDER_ERP, VMS_ORDER_RMS], ids=["model1", "model2"])
def test_customer_cancel_after_acknowledgement_names_seed_002(machine, state):
    """Seed 002 forward flow: once the acknowledgement reaches AJIO, AJIO stops customer cancellations."""
    with pytest.raises(IllegalTransition) as err:
        machine.next(state, "customer_cancel")
    assert "seed 002" in err.value.rule and "customer cancellations" in err.value.rule


@pytest.mark.parametrize("state", ["INVOICED", "PACKED"])
def test_model1_partial_cancel_after_einvoice_refused_complete_allowed(state):
    """Seed 002 model 1: after the e-invoice only a complete cancellation is possible."""
    assert not VMS_ORDER_ERP.allows(state, "seller_cancel_lines")
    assert VMS_ORDER_ERP.next(state, "seller_cancel") == "CANCELLED"
    with pytest.raises(IllegalTransition) as err:
        VMS_ORDER_ERP.next(state, "seller_cancel_lines")
    assert err.value.rule_id == "VMS-MODEL1-COMPLETE-CANCEL-ONLY" and "seed 002" in err.value.rule


def test_model2_partial_cancel_allowed_after_rms_invoice_and_waits_for_a_new_one():
    """Seed 002 model 2: items not found or damaged may be cancelled partially; the issued invoice is
    cancelled, never edited, so the order waits (ACKNOWLEDGED, with its PO) for RMS's new invoice."""
    assert VMS_ORDER_RMS.next("INVOICED", "seller_cancel_lines") == "ACKNOWLEDGED"
    assert VMS_ORDER_RMS.next("ACKNOWLEDGED", "b2b_invoice") == "INVOICED"


@pytest.mark.parametrize("machine", [VMS_ORDER_ERP_LATE, VMS_ORDER_RMS_LATE], ids=["model1", "model2"])
@pytest.mark.parametrize("state,event", [("READY_TO_DISPATCH", "customer_cancel"), ("PACKED", "customer_cancel_lines"),
                                         ("DISPATCHED", "customer_cancel")])
def test_late_customer_cancel_stops_at_packing_or_handover_seed_004(machine, state, event):
    with pytest.raises(IllegalTransition) as err:
        machine.next(state, event)
    assert err.value.rule_id == "VMS-LATE-CUSTOMER-CANCEL" and "seed 004" in err.value.rule


def test_forward_order_documents_before_manifest():
    """Seed 002: B2B invoice -> B2C invoice and label (pack) -> manifest; no step skipped."""
    for machine in (VMS_ORDER_ERP, VMS_ORDER_RMS):
        assert not machine.allows("ACKNOWLEDGED", "pack")
        assert not machine.allows("INVOICED", "dispatch")
        assert not machine.allows("CREATED", "b2b_invoice")


def test_vms_public_status_is_the_pinned_set():
    """API.md pinned VMS statuses; the internal RTO state shows as DISPATCHED."""
    pinned = {"CREATED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED",
              "CANCELLED"}
    assert set(VMS_PUBLIC_STATUS) == VMS_ORDER_ERP.states == VMS_ORDER_RMS.states == VMS_ORDER_ERP_LATE.states
    assert set(VMS_PUBLIC_STATUS.values()) == pinned


def test_order_machine_picks_the_table_named_by_the_order():
    assert order_machine({"model": "vms", "data": {"machine": "vms_rms_order"}}) is VMS_ORDER_RMS
    assert order_machine({"model": "vms", "data": {"machine": "vms_erp_order"}}) is VMS_ORDER_ERP
    assert order_machine({"model": "vms", "data": {"machine": "vms_rms_late_order"}}) is VMS_ORDER_RMS_LATE
    assert order_machine({"model": "ds", "data": {}}) is MACHINES["ds_order"]
