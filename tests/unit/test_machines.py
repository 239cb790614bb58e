"""Every legal and illegal move of the state-machine tables (DESIGN rule 3)."""
from __future__ import annotations

import itertools

import pytest

from simulator.domain.ds.machines import DS_ORDER, DS_PUBLIC_STATUS
from simulator.domain.returns import RETURN
from simulator.errors import IllegalTransition

# The expected tables, written out independently of the implementation so a changed move fails here.
DS_EXPECTED = {
    ("CREATED", "acknowledge"): "CONFIRMED", ("CREATED", "acknowledge_lines"): "CREATED",
    ("CREATED", "customer_cancel"): "CANCELLED", ("CREATED", "customer_cancel_lines"): "CREATED",
    ("CREATED", "seller_cancel"): "CANCELLED", ("CREATED", "seller_cancel_lines"): "CREATED",
    ("CONFIRMED", "po_issued"): "CONFIRMED",
    ("CONFIRMED", "customer_cancel"): "CANCELLED", ("CONFIRMED", "customer_cancel_lines"): "CONFIRMED",
    ("CONFIRMED", "seller_cancel"): "CANCELLED", ("CONFIRMED", "seller_cancel_lines"): "CONFIRMED",
    ("CONFIRMED", "invoice"): "INVOICED", ("INVOICED", "label"): "PACKED",
    ("PACKED", "dispatch"): "READY_TO_DISPATCH", ("READY_TO_DISPATCH", "pickup"): "DISPATCHED",
    ("DISPATCHED", "deliver"): "DELIVERED", ("DISPATCHED", "rto"): "RTO",
    ("DELIVERED", "customer_return"): "DELIVERED",
    ("CREATED", "sla_cancel"): "CANCELLED", ("CONFIRMED", "sla_cancel"): "CANCELLED",
    ("INVOICED", "sla_cancel"): "CANCELLED", ("PACKED", "sla_cancel"): "CANCELLED",
}
RETURN_EXPECTED = {
    ("RETURN_INITIATED", "return_pickup"): "RETURN_CREATED",
    ("RETURN_INITIATED", "return_cancel"): "RETURN_CANCELLED",
    ("RETURN_CREATED", "return_arrive"): "RETURN_DELIVERED",
    ("RETURN_DELIVERED", "qc"): "RETURN_PROCESSED",
    ("RETURN_PROCESSED", "credit_note_issued"): "RETURN_PROCESSED",
}
CASES = [(DS_ORDER, DS_EXPECTED), (RETURN, RETURN_EXPECTED)]


def _all_pairs():
    for machine, expected in CASES:
        for state, event in itertools.product(sorted(machine.states), sorted(machine.events)):
            yield pytest.param(machine, expected, state, event, id=f"{machine.entity}-{state}-{event}")


def test_tables_match_the_documented_moves():
    assert dict(DS_ORDER.table) == DS_EXPECTED
    assert dict(RETURN.table) == RETURN_EXPECTED


@pytest.mark.parametrize("machine,expected,state,event", list(_all_pairs()))
def test_move_legal_or_refused(machine, expected, state, event):
    if (state, event) in expected:
        assert machine.next(state, event) == expected[(state, event)]
        assert machine.allows(state, event)
    else:
        assert not machine.allows(state, event)
        with pytest.raises(IllegalTransition) as err:
            machine.next(state, event)
        assert state in err.value.message and event in err.value.message
        assert err.value.status == 409


@pytest.mark.parametrize("event", ["customer_cancel", "seller_cancel"])
@pytest.mark.parametrize("state", ["INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED"])
def test_cancel_after_invoice_names_the_cancellation_rule(state, event):
    """Seed 000 point 12: cancellation sync stops once the order is invoiced (packed)."""
    with pytest.raises(IllegalTransition) as err:
        DS_ORDER.next(state, event)
    assert err.value.rule_id == {"customer_cancel": "DS-CUSTOMER-CANCEL-UNTIL-INVOICED",
                                 "seller_cancel": "DS-SELLER-CANCEL-UNTIL-INVOICED"}[event]
    assert "seed 000), point 12." in err.value.rule


def test_public_status_uses_only_grounded_values():
    """API.md: connectors see only AJIO's grounded statuses (plus CREATED for pendency orders)."""
    grounded = {"CONFIRMED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED", "CREATED"}
    assert set(DS_PUBLIC_STATUS) == DS_ORDER.states
    assert set(DS_PUBLIC_STATUS.values()) <= grounded


def test_terminal_states_have_no_exit():
    assert DS_ORDER.events_from("CANCELLED") == []
    assert RETURN.events_from("RETURN_CANCELLED") == []
