"""A VMS POB's settings (seed 002): the e-invoice model (1 "erp" / 2 "rms"), the return model, the ERP URL,
and the VMS integration layer's role: who holds the acknowledgement (vms_layer), for how long (ack_hold),
whether customers may cancel late (seed 004), and the channel code the postings name."""
from __future__ import annotations

from simulator.errors import ValidationFailed

# Seed 002: "Increff's VMS Integration layer will hold acknowledgment for a definite time (4 hours)".
ACK_HOLD = 4 * 3600
DEFAULTS = {"einvoice_model": "erp", "return_model": "credit_note", "po_missing": False, "vms_layer": "connector",
            "ack_hold": ACK_HOLD, "late_customer_cancel": False, "channel_name": None}


def vms_settings(extra: dict, erp_url: str | None) -> dict:
    if erp_url and not erp_url.lower().startswith(("http://", "https://")):
        raise ValidationFailed("erp_url must be an http(s) URL: the ERP postings are HTTP POSTs (seed 004)",
                               field="erp_url")
    return {**DEFAULTS, **extra}


def refuse_settings(model: str, extra: dict) -> None:
    """A POB of another model given a VMS-only setting."""
    for key in DEFAULTS:
        if key in extra:
            raise ValidationFailed(f"{key} is a VMS setting (seed 002), not one of a {model} POB", field=key)
