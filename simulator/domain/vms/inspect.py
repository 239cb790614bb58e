"""The control plane's view of a VMS order: the B2C record, its VMS block (e-invoice model, B2B invoice,
acknowledgement, PO state), the pinned VMS status beside it, and the acknowledgement hold as a scenario
checks it (seed 002: the VMS layer holds the acknowledgement for 4 hours)."""
from __future__ import annotations

from simulator.domain.inspect import b2c_order_state
from simulator.domain.vms.machines import VMS_PUBLIC_STATUS

PUBLIC_STATUS = VMS_PUBLIC_STATUS


def ack_hold(rec: dict, timeline: list[dict]) -> dict:
    """When the order was created, when its acknowledgement reached AJIO, the hold it was owed, and the
    customer cancellations AJIO took meanwhile: what a harness needs to tell an early acknowledgement
    or an ignored cancellation (the connector's duty when it plays the VMS layer)."""
    v = rec["data"]["vms"]
    acked, until = v.get("acknowledged_at"), v.get("ack_hold_until")
    return {"layer": v.get("layer", "connector"), "seconds": v.get("ack_hold"), "created_at": rec["order_date"],
            "until": until, "acknowledged_at": acked,
            "acknowledged_early": None if acked is None or until is None else acked < until,
            "customer_cancellations": [t["at"] for t in timeline if t["cause"].startswith("customer cancelled")]}


def order_state(ctx, rec: dict) -> dict:
    # Acknowledged orders wait for AJIO's B2B PO, which can be missing for a while (seed 002).
    state = b2c_order_state(ctx, rec, VMS_PUBLIC_STATUS, held_in="ACKNOWLEDGED")
    state["ack_hold"] = ack_hold(rec, state["timeline"])
    if state["ack_hold"]["layer"] == "simulated" and rec["status"] == "CREATED":
        state["allowed_world_events"].append("release-ack")  # POST /_sim/vms/orders/{id}/release-ack
    return state
