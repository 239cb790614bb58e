"""The control plane's view of a VMS order: the B2C record, its VMS block (e-invoice model, B2B invoice,
acknowledgement, PO state) and the pinned VMS status beside it."""
from __future__ import annotations

from simulator.domain.inspect import b2c_order_state
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS

PUBLIC_STATUS = VMS_PUBLIC_STATUS


def order_state(ctx, rec: dict) -> dict:
    # Acknowledged orders wait for AJIO's B2B PO, which can be missing for a while (seed 002).
    return b2c_order_state(ctx, rec, VMS_PUBLIC_STATUS, held_in="ACKNOWLEDGED")
