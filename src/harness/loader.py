"""Load and validate scenario files (YAML): every error names the file, the step and the problem."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from contracts import durations, rulebook
from contracts.faults import EFFECTS as FAULT_KINDS
from contracts.faults import THROTTLE_GROUPS, THROTTLE_MODES
from harness import vms
from harness.model import Scenario, ScenarioError, Seller, Step

REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\]|\.[A-Za-z_][A-Za-z0-9_]*)*)\}")
MAX_WAIT = 300

_INT, _STR, _BOOL, _LIST, _MAP, _ANY = int, str, bool, list, dict, object
_ORDER_REF = {"order": _STR}
# kind -> (allowed keys with types, required keys, key a scalar shorthand fills)
WORLD_STEPS: dict[str, tuple[dict, set, str | None]] = {
    "place_orders": ({"seller": _STR, "count": _INT, "lines": _LIST, "seed": _INT, "payment_method": _STR,
                      "as": _STR}, set(), "count"),
    "customer_cancel": ({**_ORDER_REF, "lines": _LIST}, {"order"}, "order"),
    "pickup": (_ORDER_REF, {"order"}, "order"),
    "deliver": (_ORDER_REF, {"order"}, "order"),
    "rto": ({**_ORDER_REF, "as": _STR}, {"order"}, "order"),
    "customer_return": ({**_ORDER_REF, "lines": _LIST, "reason": _STR, "as": _STR}, {"order"}, "order"),
    "return_arrives": ({"return": _STR}, {"return"}, "return"),
    "cancel_return": ({"return": _STR}, {"return"}, "return"),
    "advance": ({"seconds": _INT}, {"seconds"}, "seconds"),
    "control": ({"method": _STR, "path": _STR, "body": _ANY, "as": _STR, "status": _INT}, {"method", "path"}, None),
    "warehouse": ({"seller": _STR, "default_stock": _INT, "stock": _MAP, "out_of_stock_orders": _LIST,
                   "qc": _MAP, "unexpected_rto": _LIST}, set(), None),
}
CONNECTOR_STEPS: dict[str, tuple[dict, set, str | None]] = {
    "run_connector": ({"seller": _STR, "times": _INT}, set(), "times"),
    "start_connector": ({"seller": _STR}, set(), "seller"),
    "stop_connector": ({"seller": _STR}, set(), "seller"),
    "wait_until": ({"timeout": _INT, "expect": _ANY}, {"expect"}, None),
    "expect": ({"expect": _ANY}, {"expect"}, "expect"),
}
WORLD_STEPS.update(vms.WORLD_STEPS)
STEPS = {**WORLD_STEPS, **CONNECTOR_STEPS}

_MATCH = {"method": _STR, "path": _STR, "query": _STR, "body": _MAP, "status": _ANY, "fault": _STR,
          "refused_by": _STR}
EXPECTATIONS: dict[str, tuple[dict, set]] = {
    "order": ({"id": _STR, "status": _STR, "ajio_status": _STR, "on_hold": _BOOL, "quantities": _MAP,
               "po_available": _BOOL}, {"id"}),
    "orders": ({"seller": _STR, "status": _STR, "count": _INT}, {"status"}),
    "return": ({"id": _STR, "status": _STR, "credit_note": _BOOL, "qc_codes": _LIST, **vms.RETURN_KEYS}, {"id"}),
    "returns": ({"seller": _STR, "order": _STR, "return_type": _STR, "status": _STR, "count": _INT}, {"count"}),
    "documents_fetched": ({"order": _STR, "return": _STR, "kinds": _LIST}, {"kinds"}),
    "inventory": ({"seller": _STR, "all": _INT, "skus": _MAP, "of_orders": _ANY}, set()),
    "request": ({**_MATCH, "seller": _STR, "made": _BOOL, "count": _INT, "min": _INT, "max": _INT}, {"path"}),
    "requests_in_order": ({"seller": _STR, "requests": _LIST}, {"requests"}),
    "no_violations": ({"seller": _STR}, set()),
    "connector_exit": ({"code": _INT}, {"code"}),
    **vms.EXPECTATIONS,
}
QUANTITY_KEYS = ("ordered", "open", "confirmed", "customer_cancelled", "seller_cancelled", "invoiced")
QC_CODES = ("GOOD", "BAD", "MISSING")
ORDER_STATUSES = ("CREATED", "CONFIRMED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED",
                  "DELIVERED", "CANCELLED", "RTO")
RETURN_STATUSES = ("RETURN_INITIATED", "RETURN_CREATED", "RETURN_DELIVERED", "RETURN_PROCESSED", "RETURN_CANCELLED")
DOC_KINDS = ("purchase_order", "b2b_invoice", "b2c_invoice", "label", "manifest", "credit_note",
             "jit_b2b_invoice", "jit_box_label", "jit_manifest", "rsi")
MODELS = ("ds", "jit", "vms")
CLOCKS = ("frozen", "running")
_TOP = {"name", "description", "model", "seed", "start", "rule", "world", "steps", "tags", "under_test"}
_SELLER_KEYS = {"name": _STR, "store_code": _STR, "einvoicing": _BOOL, "shipping_api_access": _BOOL,
                "catalog_size": _INT, "seller_id": _STR, "password": _STR, "same_seller_as": _STR,
                "einvoicing_username": _STR, "einvoicing_password": _STR, "ready_to_ship_at": _STR,
                **vms.SELLER_KEYS}


def parse_duration(value: Any) -> int | None:
    """Seconds of a scenario duration (contracts/durations.py: the one parser), or None when it is none."""
    try:
        return durations.parse_duration(value)
    except ValueError:
        return None


def _parse_start(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return int(value.timestamp()) if value.tzinfo else None
    if isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            return None
        return int(dt.timestamp()) if dt.tzinfo else None
    return None


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.names: set[str] = set()

    def fail(self, where: str, problem: str):
        raise ScenarioError(f"{self.path}: {where}: {problem}")

    def typed(self, where: str, key: str, value: Any, kind) -> None:
        if kind is _ANY:
            return
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            self.fail(where, f"'{key}' must be {kind.__name__}, got {type(value).__name__} {value!r}")

    def refs(self, where: str, value: Any) -> None:
        """Every ${name} must name a seller or something an earlier step captured with `as:`."""
        if isinstance(value, str):
            for m in REF.finditer(value):
                if m.group(1) not in self.names:
                    self.fail(where, f"${{{m.group(1)}}} is not defined here (sellers and earlier `as:` names: "
                                     f"{', '.join(sorted(self.names)) or 'none'})")
        elif isinstance(value, dict):
            for v in value.values():
                self.refs(where, v)
        elif isinstance(value, list):
            for v in value:
                self.refs(where, v)

    def mapping(self, where: str, raw: Any, spec: dict, required: set, shorthand: str | None) -> dict:
        if raw is None and not required:
            raw = {}
        if not isinstance(raw, dict):
            if shorthand is None:
                self.fail(where, f"expects a mapping with keys {sorted(spec)}, got {raw!r}")
            raw = {shorthand: raw} if raw is not None else {}
        for key, value in raw.items():
            if key not in spec:
                self.fail(where, f"unknown key '{key}' (allowed: {', '.join(sorted(spec))})")
            self.typed(where, key, value, spec[key])
        missing = sorted(required - set(raw))
        if missing:
            self.fail(where, f"missing required key '{missing[0]}'")
        return dict(raw)


def _seller_name(chk: _Checker, where: str, args: dict, sellers: set[str]) -> None:
    if "seller" in args and args["seller"] not in sellers:
        chk.fail(where, f"seller '{args['seller']}' is not in world.sellers ({', '.join(sorted(sellers))})")


def _rule_ids(chk: _Checker, where: str, raw: Any, model: str) -> list[str]:
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


def _expectations(chk: _Checker, where: str, raw: Any, sellers: set[str], model: str) -> list[dict]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        chk.fail(where, "lists no expectation")
    out = []
    for n, item in enumerate(items, 1):
        at = f"{where} expectation {n}"
        if not isinstance(item, dict):
            chk.fail(at, f"must be a mapping like {{order: {{id: ..., status: ...}}}}, got {item!r}")
        rule = item.get("rule")
        if rule is not None:
            _rule_ids(chk, f"{at} rule", rule, model)
        note = item.get("note")
        if note is not None and not isinstance(note, str):
            chk.fail(f"{at} note", "must be text (why this expectation is here)")
        kinds = [k for k in item if k not in ("rule", "note")]
        if len(kinds) != 1 or kinds[0] not in EXPECTATIONS:
            chk.fail(at, f"needs exactly one of {', '.join(EXPECTATIONS)} (got {', '.join(kinds) or 'nothing'})")
        kind = kinds[0]
        spec, required = EXPECTATIONS[kind]
        value = item[kind]
        if kind == "no_violations" and value in (True, None):
            value = {}
        if kind == "connector_exit" and isinstance(value, int):
            value = {"code": value}
        if kind == "requests_in_order" and isinstance(value, list):
            value = {"requests": value}
        args = chk.mapping(at + f" ({kind})", value, spec, required, None)
        _seller_name(chk, at, args, sellers)
        _check_expectation(chk, at + f" ({kind})", kind, args)
        vms.check_expectation(chk.fail, at + f" ({kind})", kind, args)
        chk.refs(at, args)
        out.append({"kind": kind, "args": args, "rule": rule, "note": note})
    return out


def _check_expectation(chk: _Checker, at: str, kind: str, args: dict) -> None:
    if kind in ("order", "orders") and args.get("status") and args["status"] not in ORDER_STATUSES:
        chk.fail(at, f"status '{args['status']}' is not one of {', '.join(ORDER_STATUSES)}")
    if kind in ("return", "returns") and args.get("status") and args["status"] not in RETURN_STATUSES:
        chk.fail(at, f"status '{args['status']}' is not one of {', '.join(RETURN_STATUSES)}")
    if kind == "order":
        for key, value in args.get("quantities", {}).items():
            if key not in QUANTITY_KEYS:
                chk.fail(at, f"quantities: unknown key '{key}' (allowed: {', '.join(QUANTITY_KEYS)})")
            chk.typed(at, f"quantities.{key}", value, int)
    if kind == "return" and any(c not in QC_CODES for c in args.get("qc_codes", [])):
        chk.fail(at, f"qc_codes must be taken from {', '.join(QC_CODES)} (got {args['qc_codes']})")
    if kind == "documents_fetched":
        if ("order" in args) == ("return" in args):
            chk.fail(at, "names exactly one of 'order' or 'return'")
        bad = [k for k in args["kinds"] if k not in DOC_KINDS]
        if bad or not args["kinds"]:
            chk.fail(at, f"kinds must be a non-empty list from {', '.join(DOC_KINDS)} (got {bad or 'nothing'})")
    if kind == "inventory" and not ({"all", "skus", "of_orders"} & set(args)):
        chk.fail(at, "names 'all', 'skus' or 'of_orders'")
    if kind in ("request", "requests_in_order"):
        for m in args.get("requests", [args]):
            if isinstance(m, dict) and "fault" in m and m["fault"] not in FAULT_KINDS:
                chk.fail(at, f"fault '{m['fault']}' is not an effect kind ({', '.join(FAULT_KINDS)})")
            if isinstance(m, dict) and "refused_by" in m and not rulebook.is_rule(m["refused_by"]):
                chk.fail(at, f"refused_by '{m['refused_by']}' is not a rulebook id (ajio-sim rules)")
    if kind == "request":
        if "made" in args and ({"count", "min", "max"} & set(args)):
            chk.fail(at, "use either 'made' or 'count'/'min'/'max', not both")
        if not args["path"].startswith("/"):
            chk.fail(at, f"path must start with '/' (got {args['path']!r})")
    if kind == "requests_in_order":
        if len(args["requests"]) < 2:
            chk.fail(at, "lists at least two requests")
        for n, m in enumerate(args["requests"], 1):
            chk.mapping(at + f" request {n}", m, _MATCH, {"path"}, None)


_WORLD_KEYS = {"sellers", "po_lag", "throttle", "clock", *vms.WORLD_TIMINGS}


def _world(chk: _Checker, raw: Any, model: str) -> list[Seller]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        chk.fail("world", "must be a mapping with 'sellers' (and optionally 'po_lag', 'throttle', 'clock')")
    unknown = set(raw) - _WORLD_KEYS
    if unknown:
        chk.fail("world", f"unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(_WORLD_KEYS))})")
    sellers_raw = raw.get("sellers") or [{"name": "pob"}]
    if not isinstance(sellers_raw, list):
        chk.fail("world.sellers", "must be a list of sellers, each with a name")
    sellers = []
    for n, s in enumerate(sellers_raw, 1):
        where = f"world.sellers[{n}]"
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not re.fullmatch(r"[A-Za-z_]\w*", s["name"]):
            chk.fail(where, "needs a 'name' made of letters, digits and '_' (used as ${name} in steps)")
        unknown = set(s) - set(_SELLER_KEYS)
        if unknown:
            chk.fail(where, f"unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(_SELLER_KEYS))})")
        for key, value in s.items():
            chk.typed(where, key, value, _SELLER_KEYS[key])
        vms.seller_settings(chk.fail, where, s, model)
        if "same_seller_as" in s and s["same_seller_as"] not in chk.names:
            chk.fail(where, f"same_seller_as '{s['same_seller_as']}' must name a seller listed before it")
        if s["name"] in chk.names:
            chk.fail(where, f"seller name '{s['name']}' is used twice")
        chk.names.add(s["name"])
        sellers.append(Seller(s["name"], {k: v for k, v in s.items() if k != "name"}))
    return sellers


def _throttle(chk: _Checker, raw: Any) -> dict | None:
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


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "YAML"
        raise ScenarioError(f"{path}: {where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc.strerror}") from None
    chk = _Checker(str(path))
    if not isinstance(doc, dict):
        chk.fail("top level", "a scenario is a mapping with name, model, seed, start, world and steps")
    unknown = set(doc) - _TOP
    if unknown:
        chk.fail("top level", f"unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(_TOP))})")
    for key in ("name", "model", "steps"):
        if key not in doc:
            chk.fail("top level", f"missing required key '{key}'")
    if not isinstance(doc["name"], str) or not doc["name"].strip():
        chk.fail("name", "must be a non-empty string")
    if doc["model"] not in MODELS:
        chk.fail("model", f"'{doc['model']}' is not supported by this harness yet (supported: {', '.join(MODELS)})")
    seed = doc.get("seed", 1)
    chk.typed("seed", "seed", seed, int)
    start = _parse_start(doc.get("start", "2026-11-23T10:00:00+05:30"))
    if start is None:
        chk.fail("start", f"must be epoch seconds or an ISO-8601 date-time with a zone (got {doc.get('start')!r})")
    if "rule" not in doc:
        chk.fail("rule", "every scenario names the rule(s) it proves: a rulebook id or a list (`ajio-sim rules`)")
    rules = _rule_ids(chk, "rule", doc.get("rule"), doc["model"])
    tags = doc.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        chk.fail("tags", "must be a list of strings")
    world = doc.get("world")
    under_test = vms.side_of(chk.fail, doc.get("under_test"), doc["model"])
    sellers = _world(chk, world, doc["model"])
    extra = {}
    for key, config_key in vms.WORLD_TIMINGS.items():
        if key in (world or {}):
            if doc["model"] != "vms" or parse_duration(world[key]) is None:
                chk.fail(f"world.{key}", f"is a VMS timing: seconds or a duration like '1d' (got {world[key]!r})")
            extra[config_key] = parse_duration(world[key])
    seller_names = {s.name for s in sellers}
    po_lag = (world or {}).get("po_lag")
    if po_lag is not None and parse_duration(po_lag) is None:
        chk.fail("world.po_lag", f"must be seconds or a duration like '30m' (got {po_lag!r})")
    throttle = _throttle(chk, (world or {}).get("throttle"))
    clock = (world or {}).get("clock", "frozen")
    if clock not in CLOCKS:
        chk.fail("world.clock", f"must be one of {', '.join(CLOCKS)} (got {clock!r})")
    if not isinstance(doc["steps"], list) or not doc["steps"]:
        chk.fail("steps", "must be a non-empty list")
    steps = []
    for n, raw in enumerate(doc["steps"], 1):
        steps.append(_step(chk, n, raw, seller_names, doc["model"], under_test))
    daemon = [s for s in steps if s.kind == "start_connector"]
    if any(s.kind == "wait_until" for s in steps) and not daemon and "erp" not in vms.NEEDS[under_test]:
        chk.fail("steps", "wait_until needs a daemon connector (a start_connector step before it) or, in a VMS "
                          "scenario, an ERP under test (under_test: erp or both)")
    return Scenario(path=str(path), name=doc["name"].strip(), description=str(doc.get("description", "")).strip(),
                    model=doc["model"], seed=seed, start=start, rules=rules, sellers=sellers,
                    connector_seller=sellers[0].name, po_lag=parse_duration(po_lag) if po_lag is not None else None,
                    tags=tags, steps=steps, throttle=throttle, clock=clock, under_test=under_test, extra=extra)


def _step(chk: _Checker, n: int, raw: Any, sellers: set[str], model: str, side: str = "connector") -> Step:
    if isinstance(raw, str) and raw in STEPS:
        raw = {raw: None}
    if not isinstance(raw, dict) or len(raw) != 1:
        chk.fail(f"step {n}", f"a step is a mapping with exactly one key, the step's kind "
                              f"({', '.join(STEPS)}); got {raw!r}")
    (kind, value), = raw.items()
    where = f"step {n} ({kind})"
    if kind not in STEPS:
        chk.fail(f"step {n}", f"unknown step '{kind}' (known: {', '.join(STEPS)})")
    spec, required, shorthand = STEPS[kind]
    if kind == "advance":
        seconds = parse_duration(value.get("seconds") if isinstance(value, dict) else value)
        if seconds is None:
            chk.fail(where, f"needs seconds or a duration like '2h30m' (got {value!r})")
        return Step(n, kind, {"seconds": seconds})
    if kind in ("expect",):
        return Step(n, kind, {"expect": _expectations(chk, where, value, sellers, model)})
    args = chk.mapping(where, value, spec, required, shorthand)
    _seller_name(chk, where, args, sellers)
    vms.check_step(chk.fail, where, kind, args, model, side)
    if kind == "wait_until":
        timeout = args.get("timeout", 30)
        if not 1 <= timeout <= MAX_WAIT:
            chk.fail(where, f"timeout must be between 1 and {MAX_WAIT} wall-clock seconds (got {timeout})")
        args = {"timeout": timeout, "expect": _expectations(chk, where, args["expect"], sellers, model)}
    if kind == "run_connector" and not 1 <= args.get("times", 1) <= 50:
        chk.fail(where, f"times must be between 1 and 50 (got {args['times']})")
    if kind == "place_orders" and not 1 <= args.get("count", 1) <= 1000:
        chk.fail(where, f"count must be between 1 and 1000 (got {args['count']})")
    if kind == "warehouse":
        # VMS: a FAIL reason of AJIO's vocabulary may stand for what the warehouse found (API.md).
        codes = QC_CODES + (vms.QC_REASONS if model == "vms" else ())
        for ref, code in args.get("qc", {}).items():
            if code not in codes:
                chk.fail(where, f"qc for {ref}: '{code}' is not one of {', '.join(codes)}")
    if kind == "control" and not args["path"].startswith("/"):
        chk.fail(where, f"path must start with '/' (a path under /_sim), got {args['path']!r}")
    chk.refs(where, args)
    if "as" in args:
        if not re.fullmatch(r"[A-Za-z_]\w*", args["as"]):
            chk.fail(where, f"'as' must be a name of letters, digits and '_' (got {args['as']!r})")
        chk.names.add(args["as"])
    return Step(n, kind, args)


def discover(target: str | Path) -> list[Path]:
    """A file, or every *.yaml / *.yml under a directory (sorted, README and hidden files skipped)."""
    target = Path(target)
    if target.is_file():
        return [target]
    if not target.is_dir():
        raise ScenarioError(f"{target}: no such scenario file or directory")
    files = sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    if not files:
        raise ScenarioError(f"{target}: no scenario files (*.yaml) found")
    return files
