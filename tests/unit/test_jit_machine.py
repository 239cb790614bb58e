"""Every legal and illegal move of the JIT purchase order's table (DESIGN rule 3; API.md pinned statuses)."""
from __future__ import annotations

import itertools

import pytest

from simulator.domain.jit.machines import JIT_PO, OPEN_STATUSES
from simulator.errors import IllegalTransition

# Written out independently of the implementation so that a changed move fails here.
EXPECTED = {
    ("CREATED", "invoice"): "INVOICED",
    ("CREATED", "seller_cancel"): "CANCELLED", ("CREATED", "seller_cancel_lines"): "CREATED",
    ("INVOICED", "update_invoice"): "INVOICED", ("INVOICED", "prepack"): "INVOICED",
    ("INVOICED", "seller_cancel"): "CANCELLED", ("INVOICED", "seller_cancel_lines"): "INVOICED",
    ("INVOICED", "pack"): "PACKED",
    ("PACKED", "ready_to_ship"): "READY_TO_DISPATCH", ("PACKED", "dispatch"): "READY_TO_DISPATCH",
    ("READY_TO_DISPATCH", "dispatch"): "READY_TO_DISPATCH", ("READY_TO_DISPATCH", "pickup"): "DISPATCHED",
    ("DISPATCHED", "deliver"): "DELIVERED", ("DELIVERED", "vendor_return"): "DELIVERED",
}
PINNED = {"CREATED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED"}


def test_jit_table_matches_the_documented_moves():
    assert dict(JIT_PO.table) == EXPECTED


def test_jit_states_are_exactly_the_pinned_po_statuses():
    """API.md: PO status values CREATED, INVOICED, PACKED, READY_TO_DISPATCH, DISPATCHED, DELIVERED, CANCELLED."""
    assert JIT_PO.states == PINNED
    assert set(OPEN_STATUSES) <= PINNED


@pytest.mark.parametrize("state,event", [pytest.param(s, e, id=f"{s}-{e}") for s, e in
                                         itertools.product(sorted(PINNED), sorted(JIT_PO.events))])
def test_jit_move_legal_or_refused(state, event):
    if (state, event) in EXPECTED:
        assert JIT_PO.next(state, event) == EXPECTED[(state, event)]
    else:
        with pytest.raises(IllegalTransition) as err:
            JIT_PO.next(state, event)
        assert state in err.value.message and event in err.value.message and err.value.status == 409
        assert err.value.rule  # every refusal says which rule forbids it


@pytest.mark.parametrize("state", ["PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED"])
@pytest.mark.parametrize("event", ["seller_cancel", "seller_cancel_lines", "update_invoice", "prepack"])
def test_jit_cancel_invoice_update_and_prepack_end_at_packing(state, event):
    """Seed 001 / API.md: seller cancellation, invoice update and label prefetch only until packed."""
    assert not JIT_PO.allows(state, event)


def test_jit_has_no_acknowledgement_and_no_customer_cancellation():
    """API.md (JIT): no acknowledgement step and no customer cancellation."""
    assert not {"acknowledge", "customer_cancel", "customer_cancel_lines"} & JIT_PO.events


def test_jit_cancelled_has_no_exit():
    assert JIT_PO.events_from("CANCELLED") == []
