"""Load and validate scenario files (YAML): every error names the file, the step and the problem."""
from __future__ import annotations

import re
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from contracts import durations, rulebook
from contracts.faults import EFFECTS as FAULT_KINDS
from harness import routes, schema, vms

# The format's tables live in harness/format.py; importable from here as before.
from harness.format import (  # noqa: F401
    _ALLOW,
    _ANY,
    _BOOL,
    _INT,
    _LIST,
    _MAP,
    _MATCH,
    _SELLER_KEYS,
    _SLA_KEYS,
    _STR,
    _TOP,
    BOUNDED,
    BOX_KEYS,
    CLOCKS,
    CONNECTOR_STEPS,
    DOC_KINDS,
    DOCUMENTS,
    EXPECTATIONS,
    FAILURE_REASONS,
    IMPLICIT_CHECKS,
    MILESTONES,
    MODELS,
    MODERATION,
    ORDER_STATUSES,
    PROFILES,
    QC_CODES,
    QUANTITY_KEYS,
    RETURN_STATUSES,
    SCANS,
    STEPS,
    WORLD_STEPS,
    _allow,
    _checks,
    _rule_ids,
    _throttle,
)
from harness.model import Scenario, ScenarioError, Seller, Step

# Expectations about the journal whose failure names the rule the offending requests broke (harness/checks.py).
JOURNAL_CHECKS = ("refusals", "no_violations", "line_failures", "duplicates", "early_polls", "logins")

# libyaml's parser when PyYAML has it (the same safe constructors, about 8 times faster: every run loads the catalogue).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\]|\.[A-Za-z_][A-Za-z0-9_]*)*)\}")
MAX_WAIT = 300



def parse_duration(value: Any) -> int | None:
    """Seconds of a scenario duration (contracts/durations.py: the one parser), or None when it is none."""
    try:
        return durations.parse_duration(value)
    except ValueError:
        return None


# Where a scenario's frozen clock starts when it names no `start`: one of two Mondays, 10:00 IST, eleven years
# apart, picked by the scenario's name. A connector that reads its machine's clock instead of AJIO's (a toDate
# of "now", a day's boundary, a retry's due time) meets a simulated clock behind its own in some scenarios and
# ahead of it in others, so the mistake shows whichever way it cuts.
DEFAULT_STARTS = ("2026-11-23T10:00:00+05:30", "2037-11-23T10:00:00+05:30")


def default_start(name: str) -> str:
    return DEFAULT_STARTS[zlib.crc32(name.encode()) % len(DEFAULT_STARTS)]


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
        self.marks: set[str] = set()
        self.checked: set[str] = set()    # rule ids some expectation or checked control step fails with
        self.expects = False                # any expectation at all (a script without one is a smoke run)
        self.default_rule = ""              # the scenario's first rule: what an expectation without `rule:` names

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


KILL_AT_KEYS = ("method", "path", "nth", "when", "body")


# Journal checks that count calls matched by method and path (format.EXPECTATIONS).
CALL_COUNTS = ("refusals", "line_failures", "duplicates", "early_polls")


def _callable(chk: _Checker, where: str, m: Any, may_be_outside: bool = False) -> None:
    """A call matcher (method, path glob, body subset) must be able to see a call of the AJIO API (harness/routes.py):
    one that cannot would let `made: false` or `max:` pass without looking, and a kill never fire. A request
    expectation that guards against a call AJIO does not serve says so (`outside_api: true`, never made)."""
    if not isinstance(m, dict) or not isinstance(m.get("path"), str) or not m["path"].startswith("/"):
        return
    method = m.get("method") if isinstance(m.get("method"), str) else None
    body = m.get("body") if isinstance(m.get("body"), dict) else None
    if m.get("outside_api"):
        if not may_be_outside:
            chk.fail(where, "outside_api: true guards against a call AJIO does not serve: say it with made: false, "
                            "count: 0 or max: 0 (a call outside the API cannot be required)")
        if routes.problem(method, m["path"]) is None:
            chk.fail(where, f"outside_api: true, but AJIO serves {(method or '*').upper()} {m['path']}: drop it")
        return
    why = routes.problem(method, m["path"], body)
    if why:
        hint = ("; if it guards against a call AJIO does not serve (a connector making it is answered 404/405), "
                "say `outside_api: true` with made: false or max: 0") if may_be_outside and "body key" not in why else ""
        chk.fail(where, why + hint)


def _kill_at(chk: _Checker, where: str, args: dict) -> None:
    """run_connector kill_at and erp kill_at (harness/killswitch.py): what the schema cannot say, and the schema's
    own rules again for a caller that skipped it, each naming the field."""
    kill = args["kill_at"]
    for key in kill:
        if key not in KILL_AT_KEYS:
            chk.fail(where, f"kill_at: unknown key '{key}' (allowed: {', '.join(KILL_AT_KEYS)})")
    for key in ("method", "path"):
        if not isinstance(kill.get(key), str) or not kill[key]:
            chk.fail(where, f"kill_at.{key} is required: the call to crash at is a method and a path")
    if not kill["path"].startswith("/"):
        chk.fail(where, f"kill_at.path must start with '/' (a glob of the request path), got {kill['path']!r}")
    nth = kill.get("nth", 1)
    if not isinstance(nth, int) or isinstance(nth, bool) or nth < 1:
        chk.fail(where, f"kill_at.nth must be an integer of at least 1 (the first matching call is 1), got {nth!r}")
    if kill.get("when", "after") not in ("after", "before"):
        chk.fail(where, f"kill_at.when must be 'after' (AJIO handles the call, its answer is lost) or 'before' "
                        f"(AJIO never gets it), got {kill['when']!r}")
    body = kill.get("body")
    if "body" in kill and (not isinstance(body, dict) or not body):
        chk.fail(where, f"kill_at.body must be a non-empty mapping (a subset of the call's JSON body, as a request "
                        f"expectation's body matches, e.g. {{status: Cancel}}), got {body!r}")
    _callable(chk, where + " kill_at", kill)
    if args.get("times", 1) != 1:
        chk.fail(where, f"kill_at kills one run: times must be 1 (got {args['times']}); add a run_connector step "
                        "for the runs after it")


def _seller_name(chk: _Checker, where: str, args: dict, sellers: set[str]) -> None:
    if "seller" in args and args["seller"] not in sellers:
        chk.fail(where, f"seller '{args['seller']}' is not in world.sellers ({', '.join(sorted(sellers))})")


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
        if kind == "order" and "cancelled_by" in args and model != "ds":
            # Only Dropship records who cancelled (seed 000's customer/seller cancellations): elsewhere it is always
            # null, and the expectation would fail every connector (seen by blind hunt 32's cross-model helper).
            chk.fail(at + " (order)", f"cancelled_by is kept for Dropship orders only; a {model} order never has one "
                                      f"(expect its quantities, e.g. seller_cancelled, instead)")
        if "since" in args and args["since"] not in chk.marks:
            chk.fail(at + f" ({kind})", f"since '{args['since']}' is no mark set by an earlier `mark:` step "
                                        f"(marks: {', '.join(sorted(chk.marks)) or 'none'})")
        vms.check_expectation(chk.fail, at + f" ({kind})", kind, args)
        chk.refs(at, args)
        # The rule a failure of this expectation names: its own (the first when it lists several), else the
        # scenario's. A journal check without `rule:` names the rule its offending requests broke, whichever
        # that is: it proves none of the scenario's rules (coverage does not count it).
        chk.expects = True
        if rule or kind not in JOURNAL_CHECKS:
            chk.checked.add((rule if isinstance(rule, str) else rule[0]) if rule else chk.default_rule)
        out.append({"kind": kind, "args": args, "rule": rule, "note": note})
    return out


def _check_expectation(chk: _Checker, at: str, kind: str, args: dict) -> None:
    if kind in ("order", "orders") and args.get("status") and args["status"] not in ORDER_STATUSES:
        chk.fail(at, f"status '{args['status']}' is not one of {', '.join(ORDER_STATUSES)}")
    if kind in ("return", "returns") and args.get("status") and args["status"] not in RETURN_STATUSES:
        chk.fail(at, f"status '{args['status']}' is not one of {', '.join(RETURN_STATUSES)}")
    if kind == "order" and args.get("shipment_status") and args["shipment_status"] not in MILESTONES:
        chk.fail(at, f"shipment_status '{args['shipment_status']}' is not one of {', '.join(MILESTONES)}")
    if kind == "order" and args.get("cancelled_by") and args["cancelled_by"] not in ("CUSTOMER", "SELLER", "AJIO"):
        chk.fail(at, f"cancelled_by '{args['cancelled_by']}' is not one of CUSTOMER, SELLER, AJIO")
    if kind == "order":
        for key, value in args.get("quantities", {}).items():
            if key not in QUANTITY_KEYS:
                chk.fail(at, f"quantities: unknown key '{key}' (allowed: {', '.join(QUANTITY_KEYS)})")
            chk.typed(at, f"quantities.{key}", value, int)
    if kind == "return" and any(c not in QC_CODES for c in args.get("qc_codes", [])):
        chk.fail(at, f"qc_codes must be taken from {', '.join(QC_CODES)} (got {args['qc_codes']})")
    if kind == "documents_fetched":
        if sum(k in args for k in ("order", "orders", "return")) != 1:
            chk.fail(at, "names exactly one of 'order', 'orders' or 'return'")
        bad = [k for k in args["kinds"] if k not in DOC_KINDS]
        if bad or not args["kinds"]:
            chk.fail(at, f"kinds must be a non-empty list from {', '.join(DOC_KINDS)} (got {bad or 'nothing'})")
    if kind == "inventory" and not ({"all", "skus"} & set(args)):
        chk.fail(at, "names 'all' or 'skus'")
    if kind in ("request", "requests_in_order", *CALL_COUNTS):
        never = kind != "requests_in_order" and (args.get("made") is False or args.get("count") == 0
                                                  or (args.get("max") == 0 and not args.get("min")))
        for n, m in enumerate(args.get("requests", [args]), 1):
            _callable(chk, at if kind != "requests_in_order" else f"{at} request {n}", m, may_be_outside=never)
    if kind in ("request", "requests_in_order"):
        for m in args.get("requests", [args]):
            if isinstance(m, dict) and "fault" in m and m["fault"] not in FAULT_KINDS:
                chk.fail(at, f"fault '{m['fault']}' is not an effect kind ({', '.join(FAULT_KINDS)})")
            if isinstance(m, dict) and "refused_by" in m and not rulebook.is_rule(m["refused_by"]):
                chk.fail(at, f"refused_by '{m['refused_by']}' is not a rulebook id (ajio-sim rules)")
    if kind in BOUNDED:
        if "count" in args and {"min", "max"} & set(args):
            chk.fail(at, "use either 'count' or 'min'/'max' (both sides), not both")
        if args.get("min", 0) > args.get("max", args.get("min", 0)):
            chk.fail(at, f"min {args['min']} is above max {args['max']}")
        if any(args.get(k, 0) < 0 for k in ("count", "min", "max", "max_needless")):
            chk.fail(at, "counts are 0 or more")
    if kind == "order":
        for key, value in args.get("boxes", {}).items():
            if key not in BOX_KEYS:
                chk.fail(at, f"boxes: unknown key '{key}' (allowed: {', '.join(BOX_KEYS)})")
            chk.typed(at, f"boxes.{key}", value, int)
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

# The keys of a scenario's world (scenario_schema.py's WORLD must list the same; a test checks).
WORLD_KEYS = ("sellers", "po_lag", "throttle", "clock", "documents", "profile", "sla", *vms.WORLD_TIMINGS)




def _world(chk: _Checker, raw: Any, model: str) -> list[Seller]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        chk.fail("world", "must be a mapping with 'sellers' (and optionally 'po_lag', 'throttle', 'clock')")
    unknown = set(raw) - set(WORLD_KEYS)
    if unknown:
        chk.fail("world", f"unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(WORLD_KEYS))})")
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
        if "catalogue" in s:
            _catalogue(chk, where + ".catalogue", s["catalogue"])
        chk.names.add(s["name"])
        sellers.append(Seller(s["name"], {k: v for k, v in s.items() if k != "name"}))
    return sellers


def _catalogue(chk: _Checker, where: str, raw: Any) -> None:
    """A seller's own catalogue: a list of listings, or a .json / .csv file beside the scenario."""
    if isinstance(raw, list):
        if not raw or not all(isinstance(item, dict) and "sku" in item for item in raw):
            chk.fail(where, "lists listings, each a mapping with at least a sku (and ean, name, brand, size, colour, "
                            "mrp, price, hsn, category)")
        return
    if not isinstance(raw, str) or Path(raw).suffix.lower() not in (".json", ".csv"):
        chk.fail(where, f"must be a list of listings or the path of a .json or .csv file (got {raw!r})")
    if not (Path(chk.path).parent / raw).is_file():
        chk.fail(where, f"{raw}: no such file beside the scenario ({Path(chk.path).parent})")


def _timing(chk: _Checker, world: dict) -> dict | None:
    """world.profile and world.sla: the body of PUT /_sim/timing (durations in seconds)."""
    out: dict = {}
    if "profile" in world:
        if world["profile"] not in PROFILES:
            chk.fail("world.profile", f"must be one of {', '.join(PROFILES)} (got {world['profile']!r})")
        out["profile"] = world["profile"]
    if "sla" in world:
        sla = chk.mapping("world.sla", world["sla"], _SLA_KEYS, set(), None)
        for key, name in (("ack", "ack_sla"), ("dispatch", "dispatch_sla")):
            if key in sla:
                seconds = parse_duration(sla[key])
                if seconds is None:
                    chk.fail("world.sla", f"{key} must be seconds or a duration like '24h', 0 for off (got {sla[key]!r})")
                out[name] = seconds
        if "dispatch_cancel" in sla:
            out["dispatch_sla_cancel"] = sla["dispatch_cancel"]
        if "max_delivery_attempts" in sla:
            if not 1 <= sla["max_delivery_attempts"] <= 10:
                chk.fail("world.sla", "max_delivery_attempts must be between 1 and 10")
            out["max_delivery_attempts"] = sla["max_delivery_attempts"]
    return out or None


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        doc = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "YAML"
        raise ScenarioError(f"{path}: {where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc.strerror}") from None
    # The shape (keys, types, vocabularies) is scenario.schema.json's to say, with file, line and field;
    # what follows checks what a schema cannot: references, sellers, rule ids of the rulebook, step order.
    schema.validate(path, doc, text)
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
    start = _parse_start(doc["start"] if "start" in doc else default_start(str(doc["name"])))
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
    timing = _timing(chk, world or {})
    clock = (world or {}).get("clock", "frozen")
    if clock not in CLOCKS:
        chk.fail("world.clock", f"must be one of {', '.join(CLOCKS)} (got {clock!r})")
    documents = (world or {}).get("documents", "full")
    if documents not in DOCUMENTS:
        chk.fail("world.documents", f"must be one of {', '.join(DOCUMENTS)} (got {documents!r})")
    if not isinstance(doc["steps"], list) or not doc["steps"]:
        chk.fail("steps", "must be a non-empty list")
    allow = _allow(chk, doc.get("allow"), doc["model"])
    checks = _checks(chk, doc.get("checks"))
    chk.default_rule = rules[0]
    steps = []
    for n, raw in enumerate(doc["steps"], 1):
        steps.append(_step(chk, n, raw, seller_names, doc["model"], under_test))
    daemon = [s for s in steps if s.kind == "start_connector"]
    vms.check_erp_kills(chk.fail, steps, sellers[0].name)
    if any(s.kind == "wait_until" for s in steps) and not daemon and "erp" not in vms.NEEDS[under_test]:
        chk.fail("steps", "wait_until needs a daemon connector (a start_connector step before it) or, in a VMS "
                          "scenario, an ERP under test (under_test: erp or both)")
    # Naming a rule is not testing it: each named rule is one some check fails with. A script with no
    # expectation at all (a smoke run) checks nothing but the implicit checks and counts for no rule.
    unchecked = [rid for rid in rules if rid not in chk.checked]
    if unchecked and (chk.checked or chk.expects):
        chk.fail("rule", f"{unchecked[0]} is named but no expectation checks it: give an expectation `rule: "
                         f"{unchecked[0]}` (one that fails a connector breaking it), or drop it from `rule:`")
    return Scenario(path=str(path), name=doc["name"].strip(), description=str(doc.get("description", "")).strip(),
                    model=doc["model"], seed=seed, start=start, rules=rules, sellers=sellers,
                    connector_seller=sellers[0].name, po_lag=parse_duration(po_lag) if po_lag is not None else None,
                    tags=tags, steps=steps, throttle=throttle, clock=clock, timing=timing, allow=allow,
                    checks=checks, checked=sorted(chk.checked), under_test=under_test, extra=extra,
                    documents=documents)


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
    if kind in ("run_connector", "erp", "start_connector") and isinstance(args, dict) and "kill_at" in args:
        _kill_at(chk, where, args)
    if kind == "place_orders" and not 1 <= args.get("count", 1) <= 1000:
        chk.fail(where, f"count must be between 1 and 1000 (got {args['count']})")
    if kind == "warehouse":
        # VMS: a FAIL reason of AJIO's vocabulary may stand for what the warehouse found (API.md).
        codes = QC_CODES + (vms.QC_REASONS if model == "vms" else ())
        for ref, code in args.get("qc", {}).items():
            if code not in codes:
                chk.fail(where, f"qc for {ref}: '{code}' is not one of {', '.join(codes)}")
    if kind in ("rto", "delivery_attempt") and "reason" in args and args["reason"] not in FAILURE_REASONS:
        chk.fail(where, f"reason '{args['reason']}' is not one of {', '.join(FAILURE_REASONS)}")
    if kind == "scan" and args["milestone"] not in SCANS:
        chk.fail(where, f"milestone '{args['milestone']}' is not one of {', '.join(SCANS)}")
    if kind == "import_catalogue":
        if ("products" in args) == ("file" in args):
            chk.fail(where, "names exactly one of 'products' (a list of listings) or 'file' (a .json or .csv file)")
        _catalogue(chk, where, args.get("products", args.get("file")))
    if kind in ("publish", "unpublish") and (not args["skus"] or not all(isinstance(x, str) for x in args["skus"])):
        chk.fail(where, "skus must be a non-empty list of SKUs")
    if kind == "control" and not args["path"].startswith("/"):
        chk.fail(where, f"path must start with '/' (a path under /_sim), got {args['path']!r}")
    if kind == "control" and str(args.get("method", "")).upper() == "POST" and args["path"].rstrip("/") == "/faults":
        match = (args.get("body") or {}).get("match") if isinstance(args.get("body"), dict) else None
        if isinstance(match, dict) and isinstance(match.get("path"), str) and match["path"].startswith("/"):
            # A fault whose match no AJIO call can meet never strikes: the scenario's outage would be no outage.
            why = routes.problem(match.get("method") if isinstance(match.get("method"), str) else None, match["path"])
            if why:
                chk.fail(where, "body.match: " + why.replace("an expectation on it could never see a call",
                                                             "the fault could never strike"))
    if kind == "control" and "rule" in args:
        if "status" not in args:
            chk.fail(where, "a control step names a rule only when it checks the answer: give `status`")
        args["rule"] = _rule_ids(chk, where + " rule", args["rule"], model)[0]
        chk.checked.add(args["rule"])
    if kind == "mark":
        if not re.fullmatch(r"[A-Za-z_]\w*", args["name"]) or args["name"] in chk.marks:
            chk.fail(where, f"a mark is a new name of letters, digits and '_' (got {args['name']!r})")
        chk.marks.add(args["name"])
    if kind == "moderate" and args["status"] not in MODERATION:
        chk.fail(where, f"status must be one of {', '.join(MODERATION)} (got {args['status']!r})")
    if kind in ("drift", "moderate") and model != "jit":
        chk.fail(where, f"'{kind}' is a JIT world step (seed 001); this is a {model} scenario")
    if kind == "drift":
        for i, line in enumerate(args["lines"]):
            if not isinstance(line, dict) or "sku" not in line or len({"quantity", "delta"} & set(line)) != 1:
                chk.fail(where, f"lines[{i}] needs a sku and either quantity (absolute) or delta (got {line!r})")
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
