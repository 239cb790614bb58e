"""GET /_sim/openapi.json: the control plane's own OpenAPI document, built from the app's /_sim routes."""
from __future__ import annotations

import re

from flask import current_app

from contracts import control as c
from contracts import control_jit as cj
from contracts.openapi import control_spec

# The schema each control view parses (body, or query for a GET); a route missing here is still
# documented, without a body shape.
SCHEMAS = {
    "control.create_seller": c.CreateSellerRequest, "control.create_orders": c.CreateOrdersRequest,
    "control.list_orders": c.OrdersListQuery, "control.customer_cancel": c.CustomerCancelRequest,
    "control.customer_return": c.CustomerReturnRequest, "control.advance_clock": c.ClockAdvanceRequest,
    "control.set_clock": c.ClockSetRequest, "control.freeze_clock": c.ClockFreezeRequest,
    "control.get_journal": c.JournalQuery, "control.world_changes": c.ChangesQuery,
    "control_jit.create_pos": cj.CreatePosRequest, "control_jit.inject_drift": cj.DriftRequest,
    "control_jit.moderate_sku": cj.ModerateRequest, "control_jit.stock_report": cj.StockQuery,
    "control_jit.vendor_return": cj.VendorReturnRequest,
}


def build() -> dict:
    routes = []
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/_sim"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        view = current_app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method.lower(), path, rule.endpoint, view.__doc__))
    return control_spec(sorted(routes, key=lambda r: (r[1], r[0])), SCHEMAS)
