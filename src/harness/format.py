"""The scenario format's tables: every step and expectation kind with its keys and their types, the
vocabularies they take, and the parsers of the top-level sections (rule ids, world.throttle, allow,
checks). The loader (harness/loader.py) checks files against them with its checker (`chk`: fail, typed,
mapping); scenarios/README.md documents them, table for table.
"""
from __future__ import annotations

from typing import Any

from contracts import rulebook
from contracts.faults import THROTTLE_GROUPS, THROTTLE_MODES
from harness import routes, vms

_INT, _STR, _BOOL, _LIST, _MAP, _ANY = int, str, bool, list, dict, object
_ORDER_REF = {"order": _STR}
# kind -> (allowed keys with types, required keys, key a scalar shorthand fills)
WORLD_STEPS: dict[str, tuple[dict, set, str | None]] = {
    "place_orders": ({"seller": _STR, "count": _INT, "lines": _LIST, "seed": _INT, "payment_method": _STR,
                      "carrier": _STR, "as": _STR}, set(), "count"),
    "customer_cancel": ({**_ORDER_REF, "lines": _LIST}, {"order"}, "order"),
    "pickup": (_ORDER_REF, {"order"}, "order"),
    "deliver": (_ORDER_REF, {"order"}, "order"),
    "rto": ({**_ORDER_REF, "reason": _STR, "as": _STR}, {"order"}, "order"),
    "delivery_attempt": ({**_ORDER_REF, "reason": _STR, "location": _STR}, {"order"}, "order"),
    "scan": ({**_ORDER_REF, "milestone": _STR, "location": _STR}, {"order", "milestone"}, None),
    "customer_return": ({**_ORDER_REF, "lines": _LIST, "reason": _STR, "as": _STR}, {"order"}, "order"),
    "return_arrives": ({"return": _STR}, {"return"}, "return"),
    "cancel_return": ({"return": _STR, "lines": _LIST}, {"return"}, "return"),
    "advance": ({"seconds": _INT}, {"seconds"}, "seconds"),
    "import_catalogue": ({"seller": _STR, "products": _LIST, "file": _STR, "replace": _BOOL}, set(), None),
    "publish": ({"seller": _STR, "skus": _LIST}, {"skus"}, "skus"),
    "unpublish": ({"seller": _STR, "skus": _LIST}, {"skus"}, "skus"),
    "control": ({"method": _STR, "path": _STR, "body": _ANY, "as": _STR, "status": _INT, "rule": _ANY},
                {"method", "path"}, None),
    "warehouse": ({"seller": _STR, "default_stock": _INT, "stock": _MAP, "out_of_stock_orders": _LIST,
                   "pickable": _MAP, "qc": _MAP, "unexpected_rto": _LIST, "settings": _MAP}, set(), None),
    # JIT (seed 001): AJIO's stock view drifts from what was pushed; a SKU is approved or sent back to moderation.
    "drift": ({"seller": _STR, "lines": _LIST}, {"lines"}, "lines"),
    "moderate": ({"seller": _STR, "sku": _STR, "status": _STR}, {"sku", "status"}, None),
    # Remember where each POB's journal is now: `since: NAME` in an expectation counts only what came after.
    "mark": ({"name": _STR}, {"name"}, "name"),
}
WORLD_STEPS.update(vms.WORLD_STEPS)   # VMS (seed 002): the VMS layer's and the ERP's steps
CONNECTOR_STEPS: dict[str, tuple[dict, set, str | None]] = {
    "run_connector": ({"seller": _STR, "times": _INT, "timeout": _INT, "kill_at": _MAP}, set(), "times"),
    "start_connector": ({"seller": _STR, "kill_at": _MAP}, set(), "seller"),
    "stop_connector": ({"seller": _STR}, set(), "seller"),
    "reinstall_connector": ({"seller": _STR}, set(), "seller"),
    "wait_until": ({"timeout": _INT, "expect": _ANY}, {"expect"}, None),
    "expect": ({"expect": _ANY}, {"expect"}, "expect"),
}
STEPS = {**WORLD_STEPS, **CONNECTOR_STEPS}

_MATCH = {"method": _STR, "path": _STR, "query": _STR, "body": _MAP, "status": _ANY, "fault": _STR,
          "error_code": _STR, "rule_id": _STR, "response": _ANY,
          "refused_by": _STR}   # refused_by: issue 17's name for a refusal naming that rule id (as rule_id)
_BOUNDS = {"count": _INT, "min": _INT, "max": _INT}
_JOURNAL = {"seller": _STR, "since": _STR}     # which POB's journal, and from which mark on
_REFUSAL = {"method": _STR, "path": _STR, "status": _ANY, "error_code": _STR, "rule_id": _STR}
EXPECTATIONS: dict[str, tuple[dict, set]] = {
    "order": ({"id": _STR, "status": _STR, "ajio_status": _STR, "on_hold": _BOOL, "quantities": _MAP,
               "boxes": _MAP, "po_available": _BOOL, "shipment_status": _STR, "delivery_attempts": _INT,
               "sla_breached": _BOOL, "cancelled_by": _STR}, {"id"}),
    "orders": ({"seller": _STR, "status": _STR, "count": _INT}, {"status"}),
    "return": ({"id": _STR, "status": _STR, "credit_note": _BOOL, "qc_codes": _LIST, **vms.RETURN_KEYS}, {"id"}),
    "returns": ({"seller": _STR, "order": _STR, "return_type": _STR, "status": _STR, "count": _INT}, {"count"}),
    "documents_fetched": ({"order": _STR, "orders": _ANY, "return": _STR, "kinds": _LIST, "max_each": _INT}, {"kinds"}),
    "inventory": ({"seller": _STR, "all": _INT, "skus": _MAP, "published_only": _BOOL}, set()),
    "request": ({**_MATCH, **_JOURNAL, **_BOUNDS, "made": _BOOL, "outside_api": _BOOL}, {"path"}),
    "requests_in_order": ({**_JOURNAL, "requests": _LIST}, {"requests"}),
    "no_violations": (dict(_JOURNAL), set()),
    "connector_exit": ({"code": _INT}, {"code"}),
    # Both-sided counts over the journal (harness/checks.py); each defaults to "none" (max 0) unless bounded.
    "refusals": ({**_REFUSAL, **_JOURNAL, **_BOUNDS}, set()),
    "line_failures": ({"method": _STR, "path": _STR, **_JOURNAL, **_BOUNDS}, set()),
    "duplicates": ({"method": _STR, "path": _STR, **_JOURNAL, **_BOUNDS}, set()),
    "early_polls": ({"method": _STR, "path": _STR, **_JOURNAL, **_BOUNDS}, set()),
    "logins": ({**_JOURNAL, **_BOUNDS, "max_needless": _INT}, set()),
    **vms.EXPECTATIONS,
}
BOUNDED = ("request", "refusals", "line_failures", "duplicates", "early_polls", "logins")
IMPLICIT_CHECKS = ("refusals", "line_failures", "violations", "duplicates", "early_polls", "logins", "retries")
_ALLOW = {**_REFUSAL, "line_failures": _BOOL, "max": _INT, "rule": _STR, "note": _STR}
BOX_KEYS = ("count", "packed", "prefetched", "void")
MODERATION = ("APPROVED", "PENDING")
QUANTITY_KEYS = ("ordered", "open", "confirmed", "customer_cancelled", "seller_cancelled", "invoiced")
QC_CODES = ("GOOD", "BAD", "MISSING")
ORDER_STATUSES = ("CREATED", "CONFIRMED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED",
                  "DELIVERED", "CANCELLED", "RTO")
RETURN_STATUSES = ("RETURN_INITIATED", "RETURN_CREATED", "RETURN_DELIVERED", "RETURN_PROCESSED", "RETURN_CANCELLED")
DOC_KINDS = ("purchase_order", "b2b_invoice", "b2c_invoice", "label", "manifest", "credit_note",
             "jit_b2b_invoice", "jit_box_label", "jit_manifest", "rsi")
MODELS = ("ds", "jit", "vms")
CLOCKS = ("frozen", "running")
# world.documents: how the scenario's own simulator renders GET /documents/{id} (simulator Config.pdf).
DOCUMENTS = ("full", "lite")
PROFILES = ("exact", "realistic")
FAILURE_REASONS = ("CUSTOMER_NOT_AVAILABLE", "ADDRESS_ISSUE", "REFUSED", "COD_NOT_READY")
SCANS = ("IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY")
MILESTONES = ("PICKED_UP", "IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY", "DELIVERY_ATTEMPTED",
              "DELIVERED", "RTO_INITIATED", "RTO_IN_TRANSIT", "RTO_DELIVERED")
_SLA_KEYS = {"ack": _ANY, "dispatch": _ANY, "dispatch_cancel": _BOOL, "max_delivery_attempts": _INT}
_TOP = {"name", "description", "model", "seed", "start", "rule", "world", "steps", "tags", "allow", "checks", "under_test"}
_SELLER_KEYS = {"name": _STR, "store_code": _STR, "einvoicing": _BOOL, "shipping_api_access": _BOOL,
                "catalog_size": _INT, "seller_id": _STR, "password": _STR, "same_seller_as": _STR,
                "einvoicing_username": _STR, "einvoicing_password": _STR, "ready_to_ship_at": _STR,
                "catalogue": _ANY, **vms.SELLER_KEYS}


def _rule_ids(chk, where: str, raw: Any, model: str) -> list[str]:
    """A rulebook id, or a list of them, each defined (contracts/rules/*.yaml) and applying to `model`."""
    ids = raw if isinstance(raw, list) else [raw]
    if not ids or not all(isinstance(i, str) for i in ids):
        chk.fail(where, f"must be a rulebook id like DS-NO-ORDER-SPLIT, or a list of them (got {raw!r}); "
                        f"`ajio-sim rules` lists them")
    for rid in ids:
        if not rulebook.is_rule(rid):
            chk.fail(where, f"{rid!r} is not a rule of the rulebook (`ajio-sim rules` lists them, docs/rules.md)")
        if model not in rulebook.rule(rid).models:
            chk.fail(where, f"{rid} applies to {', '.join(rulebook.rule(rid).models)}, not to a {model} scenario")
    return ids


def _throttle(chk, raw: Any) -> dict | None:
    """world.throttle: {mode, limits: {GROUP: {rate, burst}}}, the body of PUT /_sim/throttle."""
    if raw is None:
        return None
    where = "world.throttle"
    args = chk.mapping(where, raw, {"mode": _STR, "limits": _MAP}, set(), "mode")
    if not args:
        chk.fail(where, "names 'mode' and/or 'limits'")
    if "mode" in args and args["mode"] not in THROTTLE_MODES:
        chk.fail(where, f"mode '{args['mode']}' is not one of {', '.join(THROTTLE_MODES)}")
    for grp, limit in args.get("limits", {}).items():
        at = f"{where}.limits.{grp}"
        if grp not in THROTTLE_GROUPS:
            chk.fail(where, f"limits: unknown group '{grp}' (groups: {', '.join(THROTTLE_GROUPS)})")
        limit = chk.mapping(at, limit, {"rate": _ANY, "burst": _INT}, {"rate", "burst"}, None)
        rate = limit["rate"]
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
            chk.fail(at, f"rate must be a number of requests per simulated second > 0 (got {rate!r})")
        if limit["burst"] < 1:
            chk.fail(at, f"burst must be at least 1 (got {limit['burst']})")
    return args


def _allow(chk, raw: Any, model: str) -> list[dict]:
    """allow: the refusals (4xx) and per-line failures a correct connector meets in this scenario, each
    matched like a request (method, path glob, status, error_code, rule_id), optionally bounded (`max`)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        chk.fail("allow", "must be a list of refusals the scenario expects, e.g. [{path: '/ds/returns/*/creditNote', "
                          "error_code: NOT_YET, max: 3}]")
    out = []
    for n, item in enumerate(raw, 1):
        where = f"allow[{n}]"
        args = chk.mapping(where, item, _ALLOW, set(), None)
        if not args or not set(args) & {"path", "status", "error_code", "rule_id"}:
            chk.fail(where, "names what it allows: path, status, error_code or rule_id")
        if "path" in args and not args["path"].startswith("/"):
            chk.fail(where, f"path must start with '/' (got {args['path']!r})")
        if "path" in args and (why := routes.problem(args.get("method"), args["path"])):
            chk.fail(where, why)
        for key in ("rule", "rule_id"):
            if key in args:
                _rule_ids(chk, f"{where} {key}", args[key], model)
        out.append(args)
    return out


def _checks(chk, raw: Any) -> dict[str, bool]:
    """checks: the implicit end-of-scenario checks to turn off (each is on unless set to false)."""
    if raw is None:
        return {}
    args = chk.mapping("checks", raw, {name: _BOOL for name in IMPLICIT_CHECKS}, set(), None)
    return args
