"""Shared VMS helpers: the order loader, settings, seed 002's zoned dates, payload fingerprints."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

from simulator.domain.context import load
from simulator.errors import NotFound

IST = timezone(timedelta(hours=5, minutes=30))
EINVOICE_MODELS = ("erp", "rms")
RETURN_MODELS = ("credit_note", "rsi")
CHANNEL = {"channel": "AJIO VMS"}  # printed on the documents instead of "AJIO Dropship"


def zoned(epoch: int | None, tz=IST) -> str | None:
    """Seed 002's ZonedDateTime, as in its examples: 2020-10-16T20:22:28.000+05:30."""
    if epoch is None:
        return None
    d = datetime.fromtimestamp(int(epoch), tz)
    return d.strftime("%Y-%m-%dT%H:%M:%S.000") + d.strftime("%z")[:3] + ":" + d.strftime("%z")[3:]


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def plain(payload: dict) -> dict:
    """A loaded payload made JSON-storable (zoned datetimes as ISO text)."""
    return _plain(payload)


def fingerprint(payload) -> str:
    """What makes two calls "the same payload" for idempotent replays (errors.ConflictingRepeat)."""
    return hashlib.sha256(json.dumps(_plain(payload), sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def settings(pob: dict) -> dict:
    s = pob["settings"]
    return {"einvoice_model": s.get("einvoice_model", "erp"), "return_model": s.get("return_model", "credit_note"),
            "erp_url": s.get("erp_url"), "po_missing": bool(s.get("po_missing")),
            "vms_layer": s.get("vms_layer") or "connector", "ack_hold": int(s.get("ack_hold", 4 * 3600)),
            "late_customer_cancel": bool(s.get("late_customer_cancel")),
            "channel_name": s.get("channel_name") or default_channel_name(pob["pob_id"])}


def default_channel_name(pob_id: str) -> str:
    """The channel (customer) code of AJIO in the seller's ERP, as Increff's postings and RSI name it
    (seed 002: channelName "120997"); not grounded: six digits derived from the POB id."""
    return str(100000 + int.from_bytes(hashlib.sha256(pob_id.encode()).digest()[:4], "big") % 900000)


def vms_order(ctx, order_id: str, pob_id: str | None = None) -> dict:
    rec = load(ctx, "order", order_id, pob_id)
    if rec["model"] != "vms":
        raise NotFound(f"order {order_id} not found", field="order_id")
    return rec


def sku_of(line: dict) -> str:
    """channelSkuCode: the EAN, as seed 002's postings and RSI identify items (key points)."""
    return line["item_details"]["ean"]
