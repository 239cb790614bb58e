"""The control plane's view of a Dropship order: the B2C record with AJIO's grounded status beside it."""
from __future__ import annotations

from simulator.domain.ds.machines import DS_PUBLIC_STATUS
from simulator.domain.inspect import b2c_order_state

PUBLIC_STATUS = DS_PUBLIC_STATUS


def order_state(ctx, rec: dict) -> dict:
    # Acknowledged (CONFIRMED) orders are on hold until AJIO's PO appears (API.md).
    return b2c_order_state(ctx, rec, DS_PUBLIC_STATUS, held_in="CONFIRMED")
