"""A JIT POB's settings: e-invoicing credentials (seed 001 prerequisites) and when it is ready to ship."""
from __future__ import annotations

from simulator.errors import ValidationFailed

EINVOICING_RULE = "JIT-EINVOICING-CREDENTIALS"
READY_TO_SHIP_AT = ("manifest", "pack")


def jit_settings(einvoicing: bool, extra: dict) -> dict:
    """Check the e-invoicing credentials against the flag; default the ready-to-ship event (seed 001 row 5)."""
    out = dict(extra)
    for key in ("einvoicing_username", "einvoicing_password"):
        value = out.get(key)
        given = value is not None and value.strip() != ""
        if einvoicing and not given:
            raise ValidationFailed(f"{key} is required when einvoicing is true", field=key, rule=EINVOICING_RULE)
        if not einvoicing and given:
            raise ValidationFailed(f"{key} must be blank when einvoicing is false", field=key, rule=EINVOICING_RULE)
        if not einvoicing:
            out.pop(key, None)
    out["ready_to_ship_at"] = out.get("ready_to_ship_at") or "manifest"
    return out


def refuse_settings(extra: dict) -> None:
    """A POB of another model given a JIT-only setting."""
    if "ready_to_ship_at" in extra:
        raise ValidationFailed("ready_to_ship_at is a JIT setting (seed 001 row 5)", field="ready_to_ship_at")
