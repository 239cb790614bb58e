"""What a failed scenario's report shows besides its expectations: refused requests and order timelines.

Gathered by the runner before the scenario's server stops (replay data), read by the JSON and HTML
reporters. Bounded, so a scenario with hundreds of orders or requests keeps a readable report.
"""
from __future__ import annotations

from typing import Any

MAX_REFUSED = 50
MAX_ORDERS = 25
BODY_CHARS = 600


def refused_requests(entries: list[dict]) -> list[dict]:
    """The journal's refused requests (status >= 400), oldest first, the last MAX_REFUSED of them."""
    refused = [e for e in entries if (e.get("status") or 0) >= 400]
    return [{k: e.get(k) for k in ("id", "at", "pob_id", "method", "path", "query", "status", "violations", "faults")}
            | {"request_body": (e.get("request_body") or "")[:BODY_CHARS],
               "response_body": (e.get("response_body") or "")[:BODY_CHARS]}
            for e in refused[-MAX_REFUSED:]]


def _ids_in(value: Any, known: set[str], out: list[str]) -> None:
    if isinstance(value, str):
        if value in known and value not in out:
            out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _ids_in(v, known, out)
    elif isinstance(value, list):
        for v in value:
            _ids_in(v, known, out)


def order_timelines(control, pob_ids: list[str], captured: dict) -> dict:
    """{"orders": [{order_id, status, timeline, ...}], "more": N}: the orders the scenario captured (`as:`)
    first, then the rest of its POBs' orders, at most MAX_ORDERS read in full (GET /_sim/orders/{id})."""
    listed: list[str] = []
    for pob_id in pob_ids:
        listed.extend(o["order_id"] for o in control.all_orders(pob_id))
    ordered: list[str] = []
    _ids_in(captured, set(listed), ordered)
    ordered += [oid for oid in listed if oid not in ordered]
    orders = []
    for order_id in ordered[:MAX_ORDERS]:
        o = control.get(f"/orders/{order_id}")
        orders.append({"order_id": o.get("order_id", order_id), "pob_id": o.get("pob_id"), "model": o.get("model"),
                       "status": o.get("status"), "ajio_status": o.get("ajio_status"),
                       "timeline": o.get("timeline") or []})
    return {"orders": orders, "more": max(0, len(ordered) - MAX_ORDERS)}
