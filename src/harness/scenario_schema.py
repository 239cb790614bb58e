"""The scenario format as a JSON Schema, built in one place: one entry per top-level key, world key, seller key,
step kind and expectation kind.

`python -m harness.scenario_schema` writes scenarios/scenario.schema.json and its published copy
docs/scenario.schema.json (tests/harness/test_scenario_schema.py fails while they differ from this module).
To add a key: add it to the table it belongs to below (TOP, WORLD, SELLER, STEPS, EXPECTATIONS, MATCH),
with a helper for its shape, regenerate, and teach the loader/runner what it means. Vocabularies come
from the harness and contracts modules that own them, so an enum cannot drift from the code.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from contracts.faults import EFFECTS, THROTTLE_GROUPS, THROTTLE_MODES
from contracts.rulebook import ID
from harness import vms
from harness.loader import (
    BOX_KEYS,
    CLOCKS,
    DOC_KINDS,
    DOCUMENTS,
    FAILURE_REASONS,
    IMPLICIT_CHECKS,
    MAX_WAIT,
    MILESTONES,
    MODELS,
    MODERATION,
    ORDER_STATUSES,
    PROFILES,
    QC_CODES,
    QUANTITY_KEYS,
    RETURN_STATUSES,
    SCANS,
)

DURATION_PATTERN = (r"^\s*(?=\D*\d)(\d+\s*|(\d+\s*[wW]\s*)?(\d+\s*[dD]\s*)?(\d+\s*[hH]\s*)?(\d+\s*[mM]\s*)?"
                    r"(\d+\s*[sS]\s*)?)$")
START_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"
NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$"
STATUS_CLASS = "^[1-5]xx$"


# -- shapes ------------------------------------------------------------------------------------------
def _d(schema: dict, description: str | None) -> dict:
    return {**schema, "description": description} if description else schema


def text(description: str | None = None, **more) -> dict:
    return _d({"type": "string", **more}, description)


def integer(description: str | None = None, minimum: int | None = None, maximum: int | None = None) -> dict:
    out: dict[str, Any] = {"type": "integer"}
    out.update({k: v for k, v in (("minimum", minimum), ("maximum", maximum)) if v is not None})
    return _d(out, description)


def flag(description: str | None = None) -> dict:
    return _d({"type": "boolean"}, description)


def one_of(values, description: str | None = None) -> dict:
    return _d({"type": "string", "enum": list(values)}, description)


def array(items: dict, min_items: int | None = None, description: str | None = None) -> dict:
    out: dict[str, Any] = {"type": "array"}
    if min_items is not None:
        out["minItems"] = min_items
    return _d({**out, "items": items}, description)


def mapping(props: dict, required=(), description: str | None = None, **more) -> dict:
    """An object with exactly these keys (additionalProperties false: a typo is an error, not ignored)."""
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return _d({**out, **more}, description)


def either(when_object: dict, otherwise: dict, description: str | None = None, when: str = "object") -> dict:
    """A shorthand: the full form when the value is a `when`, else the short one. if/then/else rather than
    anyOf, so an error names the exact field (steps[0].place_orders.count) instead of "no branch matched"."""
    return _d({"if": {"type": when}, "then": when_object, "else": otherwise}, description)


def ref(name: str, description: str | None = None) -> dict:
    return _d({"$ref": f"#/$defs/{name}"}, description)


ORDER = text("an order id, usually a reference like ${o[0]}")
RETURN = text("a return id, usually a reference captured with `as:`")
SELLER_REF = text("a seller of world.sellers, by name (default: the connector's, the first)")
AS = text(pattern=NAME_PATTERN, description="capture the answer under this name, for ${name} in later steps")
COUNT = integer(minimum=0)
LINES = array(mapping({"order_item_id": text(), "quantity": integer(minimum=1)}, ["order_item_id", "quantity"]),
              min_items=1)
SKUS = array(text(), min_items=1, description="SKUs, exactly as listed")
LISTING = {"type": "object", "required": ["sku"],
           "properties": {key: text() for key in ("sku", "ean", "name", "brand", "size", "colour", "hsn", "category")}
           | {"mrp": {"type": "number"}, "price": {"type": "number"}, "published": flag()},
           "description": "one listing of a seller's own catalogue"}
CATALOGUE = either(array(LISTING, min_items=1), text(pattern=r"(?i)\.(json|csv)$"),
                   "the seller's own catalogue: a list of listings, or a .json/.csv file beside the scenario",
                   when="array")
KILL_WHEN = ("after", "before")
KILL_BODY = {"type": "object", "minProperties": 1,
             "description": "only calls whose JSON body holds this subset count, as a request expectation's body "
                            "matches, e.g. {status: Cancel}: a call picked by what it says, not by its place"}
# A matcher's HTTP method (matched whatever its case).
METHOD = text("the call's HTTP method", pattern="^[A-Za-z]+$")
KILL_AT = mapping({"method": METHOD,
                   "path": text("a glob of the request path, as a request expectation matches it, "
                                "e.g. /ds/orders/${o[0]}/invoice", pattern="^/"),
                   "nth": integer("which matching call of this run (default 1)", 1),
                   "when": one_of(KILL_WHEN, "after (default): AJIO handles the call, the connector dies before its "
                                             "answer; before: the connector dies and AJIO never handles it"),
                   "body": KILL_BODY},
                  ["method", "path"], "kill the connector process (SIGKILL to its group) at the nth call of this run "
                                      "matching method, path (and body); --connector-cmd only, not with times > 1")
ERP_KILL_AT = mapping({"method": METHOD,
                       "path": text("a glob of the ERP's call to AJIO, e.g. /ajio-vms/b2bInvoice/posting",
                                    pattern="^/ajio-vms/"),
                       "nth": integer("which matching call of the ERP from now on (default 1)", 1),
                       "when": one_of(KILL_WHEN, "after (default): AJIO handles the call, the ERP dies before its "
                                                 "answer; before: the ERP dies and AJIO never handles it"),
                       "body": KILL_BODY},
                      ["method", "path"], "kill the seller's ERP command (SIGKILL to its group) at its nth call "
                                          "matching method, path (and body); the harness restarts it when the step ends; "
                                          "--erp-cmd only")
HTTP_STATUS = {"type": ["integer", "string"], "minimum": 0, "maximum": 599, "pattern": STATUS_CLASS}


def order_step(description: str, **more) -> dict:
    """A world event on one order: {order: ID, ...} or the order id alone."""
    return either(mapping({"order": ORDER, **more}, ["order"]), ORDER, description)


def return_step(description: str) -> dict:
    return either(mapping({"return": RETURN}, ["return"]), RETURN, description)


def seller_step(description: str, **more) -> dict:
    """A connector step on one seller: {seller: NAME, ...}, the seller's name alone, or nothing."""
    return either(mapping({"seller": SELLER_REF, **more}), {"type": ["string", "null"]}, description)


# -- the tables: add a key here -------------------------------------------------------------------------
SELLER: dict[str, dict] = {
    "name": text(pattern=NAME_PATTERN, description="referred to as ${name}: ${name.pob_id}, ${name.password}"),
    "store_code": text(),
    "einvoicing": flag(),
    "shipping_api_access": flag("default true"),
    "catalog_size": integer(minimum=1),
    "seller_id": text(),
    "password": text(),
    "same_seller_as": text(pattern=NAME_PATTERN, description="a seller listed before: this POB is another store of it"),
    "einvoicing_username": text(),
    "einvoicing_password": text(),
    "ready_to_ship_at": one_of(("manifest", "pack")),
    "catalogue": CATALOGUE,
    # VMS (docs/vms.md; seed 002)
    "einvoice_model": one_of(vms.EINVOICE_MODELS, "VMS: e-invoice model 1 (erp, the default) or 2 (rms)"),
    "return_model": one_of(vms.RETURN_MODELS, "VMS: credit_note (the default) or rsi"),
    "erp": flag("VMS: the seller has an ERP (the harness's stand-in, or the ERP under test)"),
    "vms_layer": one_of(vms.VMS_LAYERS, "VMS: who plays the VMS integration layer (connector, or the simulator)"),
    "ack_hold": ref("duration", "VMS: how long the acknowledgement is held (seed 002: 4 hours)"),
    "late_customer_cancel": flag("VMS: customers may cancel after the hold (not grounded)"),
    "channel_name": text("VMS: the channel code in ERP postings"),
}

WORLD: dict[str, dict] = {
    "po_lag": ref("duration", "AJIO's PO delay after acknowledgement (default 30m)"),
    "throttle": ref("throttle"),
    "clock": one_of(CLOCKS, "frozen (default) or running: simulated seconds pass with real ones"),
    "documents": one_of(DOCUMENTS, "full (default): laid-out PDFs; lite: the same fields as lines of text, for "
                                   "scenarios fetching documents by the hundred (the scenario's own server only)"),
    "profile": one_of(PROFILES, "timing profile: exact (default, the fixed timings) or realistic (seeded draws)"),
    "sla": mapping({"ack": ref("duration", "AJIO cancels an order not acknowledged within this (0: off)"),
                    "dispatch": ref("duration", "an order not manifested within this of the order is flagged "
                                                "(0: off)"),
                    "dispatch_cancel": flag("AJIO also cancels an order past its dispatch SLA"),
                    "max_delivery_attempts": integer("failed attempts before the RTO", 1, 10)},
                   description="AJIO's SLAs for this world (PUT /_sim/timing)"),
    **{key: ref("duration", f"VMS: the simulator's {key.replace('_', ' ')}") for key in vms.WORLD_TIMINGS},
    "sellers": {"type": ["array", "null"], "items": ref("seller"),
                "description": "the POBs of this world (default: one named pob); the first is the connector's"},
}

TOP: dict[str, dict] = {
    "name": text("the JUnit test case name", pattern=r"\S"),
    "description": text("what happens, in a sentence or two"),
    "rule": ref("rule_ids", "the rule(s) the scenario proves: a rulebook id, or a list of them (`ajio-sim rules` "
                            "lists them, docs/rules.md)"),
    "model": one_of(MODELS, "the selling model"),
    "seed": integer("seeds ids and Faker data (default 1)"),
    "start": {"description": "where the frozen simulated clock starts: epoch seconds or an ISO-8601 date-time with a "
                             "zone (default, by the scenario's name: 2026-11-23T10:00:00+05:30 or "
                             "2037-11-23T10:00:00+05:30, so a connector reading its machine's clock instead of AJIO's "
                             "meets a simulated clock behind and ahead of its own)",
              "type": ["integer", "string"], "minimum": 0, "pattern": START_PATTERN},
    "tags": {"type": "array", "items": {"type": "string"}, "description": "select with `ajio-sim run --tag`"},
    "world": mapping(WORLD, description="the world built before the first step"),
    "steps": {"type": "array", "minItems": 1, "items": ref("step")},
    "under_test": one_of(vms.SIDES, "VMS: who is under test: the connector (default), the seller's ERP, or both"),
    "allow": array(mapping({"method": METHOD, "path": text("a glob of the request path", pattern="^/"),
                            "status": HTTP_STATUS, "error_code": text(), "rule_id": ref("rule_id"),
                            "line_failures": flag("allow per-line failures inside a 200 (failed_items, ...)"),
                            "max": integer("at most this many (default: any number)", 0),
                            "rule": ref("rule_id", "the rule a count over `max` breaks"),
                            "note": text("why a correct connector meets this refusal")},
                           anyOf=[{"required": [k]} for k in ("path", "status", "error_code", "rule_id")]),
                   description="the refusals (4xx) and per-line failures a correct connector meets here; the "
                               "implicit end-of-scenario checks fail any other"),
    "checks": mapping({name: flag(f"the implicit '{name}' check (default true)") for name in IMPLICIT_CHECKS},
                      description="implicit end-of-scenario checks to turn off (each is on unless false)"),
}
REQUIRED = ("name", "model", "rule", "steps")

STEPS: dict[str, dict] = {
    "place_orders": either(
        mapping({"seller": SELLER_REF,
                 "count": integer("how many orders (default 1)", 1, 1000),
                 "lines": array(mapping({"sku": text(), "quantity": integer(minimum=1)}, ["sku", "quantity"]),
                                min_items=1, description="explicit lines instead of Faker ones"),
                 "seed": integer("Faker seed of these orders"),
                 "payment_method": one_of(("PREPAID", "COD")),
                 "carrier": text("the courier of these orders"),
                 "as": AS}),
        {"type": ["integer", "null"], "minimum": 1, "maximum": 1000},
        "customers order (JIT: AJIO raises POs); POST /_sim/orders (JIT: /_sim/jit/orders). A number is the count."),
    "customer_cancel": order_step("the customer cancels (POST /_sim/orders/{id}/customer-cancel); a string is the "
                                  "order", lines=LINES),
    "pickup": order_step("the courier picks the parcel up"),
    "deliver": order_step("the courier delivers"),
    "rto": order_step("delivery failed: AJIO creates the RTO expectation", reason=one_of(FAILURE_REASONS),
                      **{"as": AS}),
    "delivery_attempt": order_step("a failed delivery attempt (the last one allowed starts the RTO)",
                                   reason=one_of(FAILURE_REASONS), location=text()),
    "scan": mapping({"order": ORDER, "milestone": one_of(SCANS), "location": text()}, ["order", "milestone"],
                    "a courier scan on the way to the customer"),
    "import_catalogue": mapping({"seller": SELLER_REF, "products": array(LISTING, min_items=1),
                                 "file": text(pattern=r"(?i)\.(json|csv)$"), "replace": flag()},
                                description="import the seller's own catalogue (exactly one of products or file)",
                                oneOf=[{"required": ["products"]}, {"required": ["file"]}]),
    "publish": either(mapping({"seller": SELLER_REF, "skus": SKUS}, ["skus"]), SKUS, "publish SKUs; a list is the "
                      "SKUs", when="object"),
    "unpublish": either(mapping({"seller": SELLER_REF, "skus": SKUS}, ["skus"]), SKUS, "unpublish SKUs; a list is "
                        "the SKUs", when="object"),
    "customer_return": order_step("the customer returns the order (CIR)", lines=LINES, reason=text(), **{"as": AS}),
    "return_arrives": return_step("the return parcel reaches the warehouse"),
    "cancel_return": either(mapping({"return": RETURN, "lines": LINES}, ["return"]), RETURN,
                            "the customer withdraws the return before its pickup: the whole of it, or only `lines` "
                            "(units of those order lines; the return goes on with the rest)"),
    "advance": either(mapping({"seconds": ref("duration")}, ["seconds"]), ref("duration"),
                      "simulated time passes; every timer due fires (a duration: 90m, 2h30m, 3d or seconds)"),
    "control": mapping({"method": text("HTTP method", pattern="^[A-Za-z]+$"),
                        "path": text("a path under /_sim, e.g. /faults", pattern="^/"),
                        "body": {"description": "the JSON body"},
                        "status": integer("the answer's expected status (default any 2xx)", 100, 599),
                        "rule": ref("rule_ids", "the rule the checked answer proves (needs status)"),
                        "as": AS},
                       ["method", "path"], "any other control-plane call (faults, throttling, ...)"),
    "warehouse": mapping({"seller": SELLER_REF,
                          "default_stock": integer(minimum=0),
                          "stock": {"type": "object",
                                    "additionalProperties": integer(
                                        "below 0 for an oversold SKU: a WMS's count goes negative when it promised "
                                        "more than it holds (not grounded); AJIO takes no negative quantity"),
                                    "description": "units per SKU"},
                          "out_of_stock_orders": array(ORDER),
                          "pickable": {"type": "object",
                                       "additionalProperties": {"type": "object",
                                                                "additionalProperties": integer(minimum=0),
                                                                "description": "units it can pick per SKU"},
                                       "description": "what the warehouse can still pick of an acknowledged "
                                                      "order, per order and SKU (units lost since it was promised)"},
                          "qc": {"type": "object", "additionalProperties": one_of(QC_CODES + vms.QC_REASONS),
                                 "description": "QC outcome per returned order"},
                          "unexpected_rto": array(ORDER),
                          "settings": {"type": "object", "description": "the channel's settings (JIT: prepack, "
                                                                        "box size, ...)"}},
                         description="what the seller's warehouse knows (the AJIO_WAREHOUSE file)"),
    "drift": either(mapping({"seller": SELLER_REF, "lines": ref("drift_lines")}, ["lines"]), ref("drift_lines"),
                    "JIT: AJIO's stock view drifts from what was pushed; a list is the lines", when="object"),
    "moderate": mapping({"seller": SELLER_REF, "sku": text(), "status": one_of(MODERATION)}, ["sku", "status"],
                        "JIT: a SKU is approved (orderable) or sent back to moderation"),
    "mark": either(mapping({"name": text(pattern=NAME_PATTERN)}, ["name"]), text(pattern=NAME_PATTERN),
                   "remember where each POB's journal is now; `since: NAME` counts only later requests"),
    # VMS: the harness plays the VMS layer (scenarios whose connector is not under test), and the stand-in ERP
    "acknowledge": order_step("VMS: the VMS layer acknowledges the order", seller=SELLER_REF),
    "pack": order_step("VMS: the VMS layer packs the order (B2C invoice and label)", seller=SELLER_REF),
    "seller_cancel": order_step("VMS: the seller cancels (lines: a partial cancellation)", seller=SELLER_REF,
                                lines=array(mapping({"order_item_id": text(), "channelSkuCode": text(),
                                                     "quantity": integer(minimum=1)}, ["quantity"],
                                                    anyOf=[{"required": ["order_item_id"]},
                                                           {"required": ["channelSkuCode"]}]), min_items=1)),
    "manifest": either(mapping({"orders": array(ORDER, min_items=1), "seller": SELLER_REF, "as": AS}, ["orders"]),
                       array(ORDER, min_items=1), "VMS: the VMS layer manifests these orders; a list is the orders",
                       when="object"),
    "qc": either(mapping({"return": RETURN, "seller": SELLER_REF, "status": one_of(vms.QC_STATUSES),
                          "reason": one_of(vms.QC_REASONS)}, ["return"],
                         # a FAIL names AJIO's reason (harness/vms.py check_step)
                         **{"if": {"properties": {"status": {"const": "FAIL"}}, "required": ["status"]},
                            "then": {"required": ["reason"]}}), RETURN,
                 "VMS: QC of a return (PASS, or FAIL with AJIO's reason)"),
    "vms_call": mapping({"seller": SELLER_REF, "method": text(pattern="^[A-Za-z]+$"),
                         "path": text("a /vms/ or /ajio-vms/ path", pattern="^/(vms|ajio-vms)/"),
                         "body": {"description": "the JSON body"},
                         "status": integer("the answer's expected status", 100, 599), "as": AS},
                        ["method", "path"], "VMS: any call of the VMS layer or the ERP, with the seller's credentials"),
    "deliver_postings": {"type": ["null", "object"], "maxProperties": 0,
                         "description": "VMS: send every ERP posting due now"},
    "erp": mapping({"seller": SELLER_REF, "reachable": flag("the simulator reaches the ERP"),
                    "lose_answers": integer("the ERP's next N answers never reach AJIO", 0),
                    "restart": flag("restart an ERP command"), "kill_at": ERP_KILL_AT},
                   description="VMS: the ERP's reachability, lost answers, a restart or a crash at a chosen call",
                   anyOf=[{"required": [k]} for k in ("reachable", "lose_answers", "restart", "kill_at")]),
    "run_connector": either(mapping({"seller": SELLER_REF, "times": integer(minimum=1, maximum=50),
                                     "timeout": integer("wall-clock seconds after which the run is killed (SIGKILL to "
                                                        "its process group) mid-sync: a crash; --connector-cmd only",
                                                        1, 600),
                                     "kill_at": KILL_AT}),
                            {"type": ["integer", "null"], "minimum": 1, "maximum": 50},
                            "run the connector once (or `times` times in a row); a number is `times`"),
    "start_connector": seller_step("start the connector as a daemon (AJIO_DAEMON=1); a string is the seller; "
                                   "kill_at: the daemon crashes at a chosen call (stop_connector records it)",
                                   kill_at=KILL_AT),
    "stop_connector": seller_step("stop the daemon (SIGTERM to its process group); a string is the seller"),
    "reinstall_connector": seller_step("the connector loses its state: AJIO_STATE_DIR emptied but for the "
                                       "warehouse file (a reinstall, a lost disk); a string is the seller"),
    "wait_until": mapping({"timeout": integer("wall-clock seconds (default 30)", 1, MAX_WAIT),
                           "expect": ref("expectations")},
                          ["expect"], "poll until every expectation holds, while a daemon connector works"),
    "expect": ref("expectations", "check expectations now; the scenario fails at the first broken one"),
}
STEPS_WITHOUT_ARGUMENTS = ("place_orders", "run_connector", "start_connector", "stop_connector", "reinstall_connector",
                           "deliver_postings")

# What a request expectation (and each of requests_in_order) matches in the journal.
MATCH: dict[str, dict] = {
    "method": METHOD,
    "path": text("a glob of the request path, e.g. /ds/orders/*/invoice", pattern="^/"),
    "query": text("a substring of the query string"),
    "body": {"type": "object", "description": "a subset of the JSON body sent"},
    "status": either({"type": "array", "minItems": 1, "items": HTTP_STATUS}, HTTP_STATUS,
                     "the answer's status: a code (0: no answer, the connection was reset), '4xx', or a list of them",
                     when="array"),
    "fault": one_of(EFFECTS, "a fault effect applied to the request"),
    "error_code": text("the refusal's error_code"),
    "rule_id": ref("rule_id", "the refusal's rule_id"),
    "response": {"description": "a subset of the JSON answer"},
    "refused_by": ref("rule_id", "a refusal whose error body names this rule (as rule_id)"),
}
SINCE = text(pattern=NAME_PATTERN, description="count only requests after this `mark:`")
BOUNDS = {"count": COUNT, "min": COUNT, "max": COUNT}
JOURNAL = {"seller": SELLER_REF, "since": SINCE}
# The keys an expectation item may carry beside its one kind.
EXPECTATION_COMMON: dict[str, dict] = {
    "rule": ref("rule_ids", "the rulebook id(s) this expectation proves (default: the scenario's first rule)"),
    "note": text("why this expectation is here, printed with its failure"),
}
EXPECTATIONS: dict[str, dict] = {
    "order": mapping({"id": ORDER, "status": one_of(ORDER_STATUSES), "ajio_status": text(), "on_hold": flag(),
                      "quantities": mapping({k: integer(minimum=0) for k in QUANTITY_KEYS}),
                      "boxes": mapping({k: integer(minimum=0) for k in BOX_KEYS}),
                      "po_available": flag("VMS: AJIO has issued the order's PO"),
                      "shipment_status": one_of(MILESTONES), "delivery_attempts": COUNT, "sla_breached": flag(),
                      "cancelled_by": one_of(("CUSTOMER", "SELLER", "AJIO"),
                                             "Dropship only (the loader refuses it in a JIT or VMS scenario: only "
                                             "Dropship records who cancelled)")}, ["id"]),
    "orders": mapping({"seller": SELLER_REF, "status": one_of(ORDER_STATUSES), "count": COUNT}, ["status"]),
    "return": mapping({"id": RETURN, "status": one_of(RETURN_STATUSES), "credit_note": flag(),
                       "qc_codes": array(one_of(QC_CODES)),
                       "qc_status": array(one_of(vms.QC_STATUSES), description="VMS: the items' QC statuses"),
                       "qc_reasons": array(one_of(vms.QC_REASONS), description="VMS: the FAIL reasons")}, ["id"]),
    "returns": mapping({"seller": SELLER_REF, "order": ORDER, "return_type": one_of(("RTO", "CUSTOMER_RETURN")),
                        "status": one_of(RETURN_STATUSES), "count": COUNT}, ["count"]),
    "documents_fetched": mapping({"order": ORDER, "return": RETURN,
                                  "orders": {"description": "every order of a list (e.g. `${o}`, a captured "
                                                            "place_orders)",
                                             "oneOf": [{"type": "array", "items": ORDER, "minItems": 1},
                                                       {"type": "string", "pattern": "^\\$\\{[^}]+\\}$"}]},
                                  "kinds": array(one_of(DOC_KINDS), min_items=1),
                                  "max_each": integer("each kind fetched at most this many times", 1)},
                                 ["kinds"], oneOf=[{"required": ["order"]}, {"required": ["orders"]},
                                                   {"required": ["return"]}]),
    "inventory": mapping({"seller": SELLER_REF, "all": COUNT,
                          "skus": {"type": "object", "additionalProperties": COUNT,
                                   "description": "units per SKU"},
                          "published_only": flag("AJIO lists only published SKUs with the figures")},
                         anyOf=[{"required": ["all"]}, {"required": ["skus"]}],
                         description="AJIO's view of the seller's stock: every SKU at one figure (all), and/or "
                                     "the figure of each SKU named (skus)"),
    "request": mapping({**MATCH, **JOURNAL,
                        "made": flag("the request was made (true) or never made (false)"), **BOUNDS,
                        "outside_api": flag("the call is not one AJIO serves (answered 404/405): the expectation "
                                            "guards against a connector making it, so it is never made")},
                       ["path"],
                       dependentSchemas={"made": {
                           "not": {"anyOf": [{"required": ["count"]}, {"required": ["min"]}, {"required": ["max"]}]},
                           "description": "use either 'made' or 'count'/'min'/'max', not both"}},
                       **{"if": {"properties": {"outside_api": {"const": True}}, "required": ["outside_api"]},
                          "then": {"anyOf": [{"properties": {"made": {"const": False}}, "required": ["made"]},
                                             {"properties": {"count": {"const": 0}}, "required": ["count"]},
                                             {"properties": {"max": {"const": 0}}, "required": ["max"]}],
                                   "description": "outside_api: true goes with made: false, count: 0 or max: 0"}}),
    "requests_in_order": either(array(ref("request_match"), min_items=2),
                                mapping({**JOURNAL, "requests": array(ref("request_match"), min_items=2)},
                                        ["requests"]),
                                when="array"),
    "no_violations": either(mapping(dict(JOURNAL)), {"enum": [True, None]}),
    "connector_exit": either(mapping({"code": integer()}, ["code"]), {"type": "integer"}),
    # Both-sided counts over the journal (harness/checks.py); each defaults to none (max 0) unless bounded.
    "refusals": mapping({"method": METHOD, "path": text(pattern="^/"), "status": HTTP_STATUS, "error_code": text(),
                         "rule_id": ref("rule_id"), **JOURNAL, **BOUNDS},
                        description="refused requests (4xx) matching these keys"),
    "line_failures": mapping({"method": METHOD, "path": text(pattern="^/"), **JOURNAL, **BOUNDS},
                             description="per-line failures inside 200 answers"),
    "duplicates": mapping({"method": METHOD, "path": text(pattern="^/"), **JOURNAL, **BOUNDS},
                          description="the same change sent more than once"),
    "early_polls": mapping({"method": METHOD, "path": text(pattern="^/"), **JOURNAL, **BOUNDS},
                           description="polls before the Retry-After AJIO announced"),
    "logins": mapping({**JOURNAL, **BOUNDS, "max_needless": integer("logins while the token was still good", 0)},
                      description="logins"),
    # VMS: the postings the simulator sent the ERP (GET /_sim/erp/postings), and RSIs
    "erp_postings": mapping({"seller": SELLER_REF, "event_type": one_of(vms.POSTING_EVENTS), "order": ORDER,
                             "entity": text("the posting's entity id (an order or return)"),
                             "status": one_of(vms.POSTING_STATUSES), **BOUNDS,
                             "attempts": COUNT, "min_attempts": COUNT, "max_attempts": COUNT,
                             "answered": either({"type": "array", "minItems": 1, "items": HTTP_STATUS}, HTTP_STATUS,
                                                "the ERP's HTTP status of the last attempt (a code, '2xx', or a list; "
                                                "0: no answer)", when="array")},
                            description="VMS: ERP postings matching these keys",
                            anyOf=[{"required": [k]} for k in ("count", "min", "max", "attempts", "min_attempts",
                                                                "max_attempts", "answered")]),
    "rsi": mapping({"id": text(), "return": RETURN, "status": one_of(vms.RSI_STATUSES)}, ["status"],
                   "VMS: a return stock intimation", oneOf=[{"required": ["id"]}, {"required": ["return"]}]),
    "erp_rsi_fetched": mapping({"id": text("an RSI number"), "return": RETURN, "seller": SELLER_REF,
                                "since": JOURNAL["since"]}, [],
                               "VMS: the seller's ERP fetched this RSI (a GET /ajio-vms/rsi answered 200 listing it); "
                               "names exactly one of id or return",
                               oneOf=[{"required": ["id"]}, {"required": ["return"]}]),
}


# -- assembly -------------------------------------------------------------------------------------------
def build() -> dict:
    """The whole schema, from the tables above."""
    rule_id = text("a rulebook id, e.g. DS-NO-ORDER-SPLIT (`ajio-sim rules`; the loader checks that it exists and "
                   "applies to the scenario's model)", pattern=f"^{ID.pattern}$")
    expectation = {"type": "object", "minProperties": 1, "properties": {**EXPECTATION_COMMON, **EXPECTATIONS},
                   "additionalProperties": False, "oneOf": [{"required": [kind]} for kind in EXPECTATIONS]}
    step = {"description": "one step: a mapping with exactly one key, the step's kind (a bare kind name for a step "
                           "without arguments)",
            **either({"enum": list(STEPS_WITHOUT_ARGUMENTS)},
                     {"type": "object", "minProperties": 1, "maxProperties": 1, "properties": STEPS,
                      "additionalProperties": False}, when="string")}
    throttle = either(mapping({"mode": one_of(THROTTLE_MODES),
                               "limits": {"type": "object", "minProperties": 1,
                                          "propertyNames": {"enum": list(THROTTLE_GROUPS)},
                                          "additionalProperties": mapping(
                                              {"rate": {"type": "number", "exclusiveMinimum": 0,
                                                        "description": "requests per simulated second"},
                                               "burst": integer(minimum=1)}, ["rate", "burst"])}},
                              minProperties=1),
                      one_of(THROTTLE_MODES),
                      "throttling for this scenario (PUT /_sim/throttle before the first step); a string is the mode")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:ajio-sim:scenario",
        "title": "ajio-sim scenario",
        "description": "A scenario script run by `ajio-sim run` against a connector (scenarios/README.md). References "
                       "${name} to sellers and captured values, and which seller names exist, are checked by the loader "
                       "beyond this schema. Generated by `python -m harness.scenario_schema`: edit that module.",
        "type": "object",
        "required": list(REQUIRED),
        "additionalProperties": False,
        "properties": TOP,
        "$defs": {
            "rule_id": rule_id,
            "rule_ids": either(array(ref("rule_id"), min_items=1), ref("rule_id"), when="array"),
            "duration": {"description": "seconds, or e.g. 90s, 30m, 4h, 1d, 2w, 1h30m", "type": ["integer", "string"],
                         "minimum": 0, "pattern": DURATION_PATTERN},
            "throttle": throttle,
            "seller": mapping(SELLER, ["name"]),
            "step": step,
            "expectations": either(array(ref("expectation"), min_items=1), ref("expectation"), when="array"),
            "expectation": expectation,
            "request_match": mapping(MATCH, ["path"]),
            "drift_lines": array(mapping({"sku": text(), "quantity": integer(minimum=0), "delta": integer()}, ["sku"],
                                         oneOf=[{"required": ["quantity"]}, {"required": ["delta"]}]), min_items=1),
        },
    }


def render() -> str:
    return json.dumps(build(), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema where the catalogue keeps it and where docs/ publishes it (a checkout's paths)."""
    root = Path(__file__).resolve().parents[2]
    out = render()
    for rel in ("scenarios/scenario.schema.json", "docs/scenario.schema.json"):
        (root / rel).write_text(out, encoding="utf-8")
        print(f"wrote {root / rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
