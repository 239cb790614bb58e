"""The VMS vocabulary of a scenario (seed 002, seed 004): who is under test, the sellers' e-invoice and
return models, the steps in which the harness plays the VMS layer or the ERP, and the VMS expectations.

Pure data and load-time checks (harness.loader merges them in); harness.vms_run runs them.
"""
from __future__ import annotations

from typing import Any

from contracts.erp import QC_REASONS as QC_REASONS  # re-exported: the warehouse QC codes of VMS
from contracts.vms_control import POSTING_STATUSES as POSTING_STATUSES  # re-exported: scenario_schema
from contracts.vms_control import POSTING_TYPES as POSTING_EVENTS

_INT, _STR, _BOOL, _LIST, _MAP, _ANY = int, str, bool, list, dict, object

# Which side(s) of a VMS integration a scenario judges. `connector`: the VMS layer (talks to /vms);
# `erp`: the seller's ERP (receives the postings, posts to /ajio-vms); `both`: the two together.
SIDES = ("connector", "erp", "both")
NEEDS = {"connector": ("connector",), "erp": ("erp",), "both": ("connector", "erp")}
EINVOICE_MODELS = ("erp", "rms")
RETURN_MODELS = ("credit_note", "rsi")
QC_STATUSES = ("PASS", "FAIL")
RSI_STATUSES = ("ISSUED", "ACCEPTED")

# Seller settings of a VMS POB (docs/vms.md): the models, whether it has an ERP (the harness's), and the
# simulator's VMS-layer settings (vms_layer "simulated" for an ERP under test, ack_hold, late cancellations).
SELLER_KEYS = {"einvoice_model": _STR, "return_model": _STR, "erp": _BOOL, "vms_layer": _STR, "ack_hold": _ANY,
               "late_customer_cancel": _BOOL, "channel_name": _STR}
VMS_LAYERS = ("connector", "simulated")
# Server timings a VMS scenario may set (simulator Config.extra); durations.
WORLD_TIMINGS = {"rsi_after": "vms_rsi_after", "rto_expectation_lag": "vms_rto_expectation_lag"}

_ORDER = {"order": _STR, "seller": _STR}
# Steps in which the harness plays the VMS layer (calls /vms with the seller's token), for scenarios
# whose connector is not under test; and the stand-in ERP's knobs.
WORLD_STEPS: dict[str, tuple[dict, set, str | None]] = {
    "acknowledge": (_ORDER, {"order"}, "order"),
    "pack": (_ORDER, {"order"}, "order"),
    "manifest": ({"orders": _LIST, "seller": _STR, "as": _STR}, {"orders"}, "orders"),
    "seller_cancel": ({**_ORDER, "lines": _LIST}, {"order"}, "order"),
    "qc": ({"return": _STR, "seller": _STR, "status": _STR, "reason": _STR}, {"return"}, "return"),
    "vms_call": ({"seller": _STR, "method": _STR, "path": _STR, "body": _ANY, "status": _INT, "as": _STR},
                 {"method", "path"}, None),
    "deliver_postings": ({}, set(), None),
    "erp": ({"seller": _STR, "reachable": _BOOL, "lose_answers": _INT, "restart": _BOOL, "kill_at": _MAP}, set(),
            None),
}
# Steps that run the connector: a scenario that does not put the connector under test has none.
CONNECTOR_ONLY = ("run_connector", "start_connector", "stop_connector", "reinstall_connector")

EXPECTATIONS: dict[str, tuple[dict, set]] = {
    "erp_postings": ({"seller": _STR, "event_type": _STR, "order": _STR, "entity": _STR, "status": _STR,
                      "count": _INT, "min": _INT, "max": _INT, "attempts": _INT, "min_attempts": _INT,
                      "max_attempts": _INT, "answered": _ANY}, set()),
    "rsi": ({"id": _STR, "return": _STR, "status": _STR}, {"status"}),
    "erp_rsi_fetched": ({"id": _STR, "return": _STR, "seller": _STR, "since": _STR}, set()),
}
RETURN_KEYS = {"qc_status": _LIST, "qc_reasons": _LIST}


def check_step(fail, where: str, kind: str, args: dict, model: str, side: str) -> None:
    """Load-time rules of the VMS steps: VMS scenarios only, and the VMS layer is not played twice."""
    if kind in WORLD_STEPS and model != "vms":
        fail(where, f"'{kind}' is a VMS step (model vms), not one of a {model} scenario")
    if kind in CONNECTOR_ONLY and "connector" not in NEEDS[side]:
        fail(where, f"this scenario puts the {side} under test (under_test: {side}): it runs no connector; "
                    f"the harness plays the VMS layer with acknowledge/pack/manifest/qc/vms_call steps")
    if kind == "qc" and args.get("status", "PASS") not in QC_STATUSES:
        fail(where, f"status must be one of {', '.join(QC_STATUSES)} (got {args['status']!r})")
    if kind == "qc" and args.get("status") == "FAIL" and "reason" not in args:
        fail(where, "a FAIL needs a 'reason' from AJIO's QC vocabulary (API.md)")
    if kind == "vms_call" and not (args["path"].startswith("/vms/") or args["path"].startswith("/ajio-vms/")):
        fail(where, f"path must start with /vms/ or /ajio-vms/ (got {args['path']!r})")
    if kind == "erp" and not ({"reachable", "lose_answers", "restart", "kill_at"} & set(args)):
        fail(where, "names 'reachable' (the simulator reaches the ERP or not), 'lose_answers: N' (the ERP's next N "
                    "answers never reach AJIO), 'restart: true' (an ERP command restarts) or 'kill_at' (an ERP "
                    "command crashes at a chosen call)")
    if kind == "erp" and isinstance(args.get("kill_at"), dict):
        path = args["kill_at"].get("path")
        if isinstance(path, str) and not path.startswith("/ajio-vms/"):
            fail(where, f"kill_at.path must be a glob of an /ajio-vms/ path: the ERP's calls to AJIO (its B2B "
                        f"invoices, credit notes, RSI); got {path!r}")
        if args.get("restart"):
            fail(where, "kill_at and restart: true in one step: restart the ERP in a step of its own")


def check_erp_kills(fail, steps: list, default_seller: str) -> None:
    """An ERP killed by `erp: {kill_at}` stays down until the scenario restarts it (its supervisor's restart, placed
    by the scenario): a later `erp: {restart: true}` of the same seller is required."""
    for i, step in enumerate(steps):
        if step.kind != "erp" or "kill_at" not in step.args:
            continue
        seller = step.args.get("seller") or default_seller
        if not any(s.kind == "erp" and s.args.get("restart") and (s.args.get("seller") or default_seller) == seller
                   for s in steps[i + 1:]):
            fail(step.label, f"kill_at: the ERP of {seller} stays down after its kill until an `erp: {{restart: "
                             f"true}}` step for it: add one after this step (where its supervisor restarts it)")


def check_expectation(fail, at: str, kind: str, args: dict) -> None:
    if kind == "erp_postings":
        if args.get("event_type") and args["event_type"] not in POSTING_EVENTS:
            fail(at, f"event_type '{args['event_type']}' is not one of {', '.join(POSTING_EVENTS)}")
        if args.get("status") and args["status"] not in POSTING_STATUSES:
            fail(at, f"status '{args['status']}' is not one of {', '.join(POSTING_STATUSES)}")
        if not ({"count", "min", "max", "attempts", "min_attempts", "max_attempts", "answered"} & set(args)):
            fail(at, "names what to count: count, min, max, attempts, min_attempts, max_attempts or answered")
    if kind in ("rsi", "erp_rsi_fetched"):
        if ("id" in args) == ("return" in args):
            fail(at, "names exactly one of 'id' (an RSI number) or 'return' (the RSI over that return)")
    if kind == "rsi":
        if args["status"] not in RSI_STATUSES:
            fail(at, f"status must be one of {', '.join(RSI_STATUSES)} (got {args['status']!r})")
    if kind == "return":
        bad = [s for s in args.get("qc_status", []) if s not in QC_STATUSES]
        if bad:
            fail(at, f"qc_status must be taken from {', '.join(QC_STATUSES)} (got {bad})")


def seller_settings(fail, where: str, s: dict, model: str) -> None:
    vms_keys = [k for k in SELLER_KEYS if k in s]
    if vms_keys and model != "vms":
        fail(where, f"'{vms_keys[0]}' is a VMS seller setting (model vms)")
    if s.get("einvoice_model", "erp") not in EINVOICE_MODELS:
        fail(where, f"einvoice_model must be one of {', '.join(EINVOICE_MODELS)} (seed 002 model 1 / model 2)")
    if s.get("return_model", "credit_note") not in RETURN_MODELS:
        fail(where, f"return_model must be one of {', '.join(RETURN_MODELS)} (seed 002)")
    if s.get("vms_layer", "connector") not in VMS_LAYERS:
        fail(where, f"vms_layer must be one of {', '.join(VMS_LAYERS)} (who plays Increff's VMS layer)")


def has_erp(settings: dict) -> bool:
    """Whether a VMS seller has an ERP receiving postings: by default, model 1 sellers (the ERP e-invoices)."""
    return bool(settings.get("erp", settings.get("einvoice_model", "erp") == "erp"))


def side_of(fail, raw: Any, model: str) -> str:
    side = raw if raw is not None else "connector"
    if side not in SIDES:
        fail("under_test", f"must be one of {', '.join(SIDES)} (got {raw!r})")
    if side != "connector" and model != "vms":
        fail("under_test", f"only a VMS scenario can put an ERP under test (this one is {model})")
    return side
