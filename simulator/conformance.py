"""`ajio-sim contract`: schemathesis runs the AJIO contract (contracts/openapi.json) against a simulator.

In-process by default: a fresh simulator on an in-memory store, served on a loopback port by a thread
of this process (schemathesis' engine speaks HTTP; its WSGI path is not usable by the engine here).
With --base-url it tests a running simulator instead. Either way the world is made through /_sim
(a Dropship POB with orders, a JIT POB with POs, a login each) and one pass per model sends that
model's token in the `apiKey` header. Positive and negative data, the stateful phase through the
document's OpenAPI links (pendency -> acknowledge -> invoice -> label -> dispatch; JIT pendency ->
invoice -> pack), and the checks: no server error, answers conform to their schema, every status is
documented, negative data is refused, and the document is as strict as the code (schema_as_strict_as_code:
positive data refused as a malformed request is the document's fault). Seeded and bounded."""
from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import requests

# What an answer to a well-formed request may still legitimately be: a business rule refuses it
# (unknown id 404, wrong state 409, page past the last 400), so "valid shape -> 2xx" is not a
# property of this API and positive_data_acceptance stays off. Every other check runs.
DISABLED_CHECKS = ("positive_data_acceptance",)
ORDERS = 30


# "The published schema is a contract test too: make it as strict as the code." A request the document
# accepts (schemathesis' positive data) must not be refused by the simulator's request schema: a 400 whose
# message starts with one of these is such a refusal (simulator/api/common.py), a business refusal is not.
SHAPE_REFUSALS = ("invalid body:", "invalid query:")
STRICT_CHECK = "schema_as_strict_as_code"


def _unstated() -> dict[str, tuple]:
    from contracts.openapi import unstated
    from contracts.registry import OPERATIONS

    return {f"{op.method.upper()} {op.path}": unstated(op) for op in OPERATIONS if unstated(op)}


# What OpenAPI 3.0.3 cannot state, as (operation, field, why): the only refusals of positive data the check
# lets through. Declared on each operation's request or query schema (`UNSTATED`, contracts.common.Unstated,
# beside the validator that enforces it) and stated in the document's descriptions; docs/contracts.md lists
# them. Some are refused by the domain, not the request schema (no "invalid body:"): listed all the same.
UNSTATED = _unstated()
INEXPRESSIBLE: tuple[tuple[str, str, str], ...] = tuple(
    (operation, rule.field, rule.why) for operation, rules in UNSTATED.items() for rule in rules)


def _is_positive(case) -> bool:
    generation = getattr(case.meta, "generation", None) if case.meta is not None else None
    mode = getattr(generation, "mode", None)
    return mode is not None and mode.is_positive


def schema_as_strict_as_code(ctx, response, case):
    """Fails a positive case (data the document accepts) answered 400 with a request-shape refusal ("invalid
    body:" / "invalid query:"), unless every refused field is one of the operation's INEXPRESSIBLE rules:
    the document is laxer than the code there, and a connector contract-tested against it is refused."""
    if response.status_code != 400 or not _is_positive(case):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    message = body.get("error_message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message.startswith(SHAPE_REFUSALS):
        return None
    label = f"{case.method.upper()} {case.operation.path}"
    rules = UNSTATED.get(label, ())
    problems = body.get("errors") or [{"field": body.get("field") or "", "message": message}]
    unlisted = [f"{p.get('field')}: {p.get('message')}" for p in problems
                if not any(rule.matches(p.get("field") or "", p.get("message") or "") for rule in rules)]
    if unlisted:
        raise AssertionError(
            f"The document accepts this request but the simulator refused its shape: {'; '.join(unlisted)[:400]} -- "
            "State the rule in the schema (contracts/*.py: field OPENAPI keywords, a schema's OPENAPI_ALL_OF), or, "
            "when OpenAPI 3.0.3 cannot express it, declare it in the schema's UNSTATED (docs/contracts.md)")
    return None


# 2026-11-23 10:00 IST: the in-process world runs on a frozen clock (tokens never lapse mid-run, runs repeat).
FROZEN_AT = 1795408200


class ContractUnavailable(RuntimeError):
    """schemathesis is not installed (it is an optional extra)."""


@dataclass
class Finding:
    operation: str
    check: str
    title: str
    message: str
    reproduce: str = ""


@dataclass
class ContractResult:
    base_url: str
    seed: int
    max_examples: int
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cases: Counter = field(default_factory=Counter)  # operation label -> generated cases
    checks: Counter = field(default_factory=Counter)  # check name -> times it judged an answer
    phases: dict[str, str] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.findings and not self.errors and sum(self.cases.values()) > 0

    def summary(self) -> str:
        lines = [f"contract run against {self.base_url}: seed {self.seed}, max examples {self.max_examples}, "
                 f"{sum(self.cases.values())} cases over {len(self.cases)} scenarios in {self.elapsed:.1f} s",
                 "phases: " + ", ".join(f"{k} {v}" for k, v in self.phases.items())]
        for f in self.findings:
            message = " ".join(f.message.strip().splitlines()[:2])[:300]
            lines.append(f"FAIL {f.operation}: [{f.check}] {f.title}: {message}")
            if f.reproduce:
                lines.append(f"     reproduce: {f.reproduce.strip().splitlines()[0][:400]}")
        for e in self.errors:
            lines.append(f"ERROR {e}")
        lines.append("OK: 0 failures" if self.ok else
                     f"FAILED: {len(self.findings)} failure(s), {len(self.errors)} error(s)")
        return "\n".join(lines)


def _load_schemathesis():
    try:
        import schemathesis
        from schemathesis.engine import events, from_schema
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ContractUnavailable(
            "ajio-sim contract needs schemathesis: pip install 'ajio-sim[contract]' "
            f"(or '.[contract]' from a checkout) ({exc})") from None
    # Registered once per process (re-registering the same function is a no-op); a run whose config does not
    # enable it does not run it (the ERP contract enables its checks by name: simulator/erp_conformance.py).
    schemathesis.check(schema_as_strict_as_code)
    return schemathesis, events, from_schema


def contract_app(seed: int):
    """A fresh simulator for a run: in-memory store, frozen clock, the PO issued at once (po_lag 0) so the
    stateful phase can go acknowledge -> invoice -> label without waiting for simulated time."""
    from simulator.app import create_app

    app = create_app({"db_url": "sqlite://", "seed": seed, "frozen_at": FROZEN_AT, "po_lag": 0})
    app.config["CONTRACT_STRICT"] = True  # an undeclared answer key is a 500 the run reports
    return app


@contextmanager
def serve_in_thread(app):
    """The app on a free loopback port, for as long as the block runs."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from simulator.embedded import POLL_S  # the server loop's shutdown check: stop() waits at most this

    class _Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_S}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


# One pass per selling model, each with its own POB's token: a ds token on /jit is (rightly) a 401.
# The logins and /documents go with the Dropship pass.
# The VMS pass logs in as a VMS POB with orders; the ERP layer's pass sends that POB's authUsername /
# authPassword headers instead of a token (seed 002).
PASSES = (("ds", r"^/(ds/|authToken|documents/|vms/authToken)"), ("jit", r"^/jit/"),
          ("vms", r"^/vms/(?!authToken)"), ("erp", r"^/ajio-vms/"))


def make_world(base_url: str, *, seed: int, admin_token: str | None = None) -> dict[str, str | dict]:
    """A POB per model with orders and a token, made through the control plane as a test would."""
    http = requests.Session()
    if admin_token:
        http.headers["X-Admin-Token"] = admin_token

    def call(method, path, body, expect, token=None):
        headers = {"apiKey": token} if token else {}
        r = http.request(method, base_url + path, json=body, headers=headers, timeout=30)
        if r.status_code != expect:
            raise RuntimeError(f"{method} {path} answered {r.status_code}: {r.text[:300]}")
        return r.json()

    def login(model: str) -> tuple[str, str]:
        seller = call("POST", "/_sim/sellers", {"model": model}, 201)
        answer = call("POST", f"/{model}/authToken", {"username": seller["pob_id"], "password": seller["password"]}, 200)
        return seller["pob_id"], answer["result"]["accessToken"]

    tokens = {}
    pob_id, tokens["ds"] = login("ds")
    call("POST", "/_sim/orders", {"pob_id": pob_id, "count": ORDERS, "seed": seed}, 201)
    pob_id, tokens["jit"] = login("jit")
    # One-line POs: the document's PackOneBox link packs a PO's first invoice line in one box, which is
    # the whole PO only when it has one line (pendency orders POs of one instant by id, so a mix with
    # Faker-made several-line POs would put those first as often as not).
    sku = call("GET", "/jit/products?moderationStatus=APPROVED&size=1", None, 200, tokens["jit"])["products"][0]
    call("POST", "/_sim/jit/orders", {"pob_id": pob_id, "count": ORDERS // 2, "seed": seed,
                                      "lines": [{"sku": sku["sku_code"], "quantity": 2}]}, 201)
    # Last, so that the Dropship and JIT worlds (ids, Faker data) are what they were without it.
    seller = call("POST", "/_sim/sellers", {"model": "vms"}, 201)
    tokens["erp"] = {"authUsername": seller["pob_id"], "authPassword": seller["password"]}
    answer = call("POST", "/vms/authToken", {"username": seller["pob_id"], "password": seller["password"]}, 200)
    tokens["vms"] = answer["result"]["accessToken"]
    call("POST", "/_sim/orders", {"pob_id": seller["pob_id"], "count": ORDERS // 2, "seed": seed}, 201)
    return tokens


def _config(schemathesis, *, base_url, token, seed, max_examples, max_steps, phases):
    data = {
        "seed": seed,
        "base-url": base_url,
        "headers": token if isinstance(token, dict) else {"apiKey": token},
        "generation": {"mode": "all", "max-examples": max_examples, "database": "none", "deterministic": True},
        "checks": {**{name: {"enabled": False} for name in DISABLED_CHECKS}, STRICT_CHECK: {"enabled": True}},
        "phases": {"stateful": {"max-steps": max_steps}},
        "request-timeout": 30,
    }
    if phases is not None:
        data["phases"].update({name: {"enabled": name in phases} for name in ("examples", "coverage", "fuzzing")})
        data["phases"]["stateful"]["enabled"] = "stateful" in phases
    return schemathesis.Config.from_dict(data)


def _collect(result: ContractResult, event, events, model: str) -> None:
    if isinstance(event, events.ScenarioFinished):
        recorder = event.recorder
        if recorder.label == "Stateful tests":
            recorder.label = f"Stateful tests ({model})"
        result.cases[recorder.label] += len(recorder.cases)
        seen = {(f.operation, f.check, f.title) for f in result.findings}  # one line per distinct finding
        for nodes in recorder.checks.values():
            for node in nodes:
                result.checks[node.name] += 1
                info = node.failure_info
                if node.status != "failure" or info is None:
                    continue
                operation = info.failure.operation or recorder.label
                key = (operation, node.name, info.failure.title)
                if key in seen:
                    continue
                seen.add(key)
                result.findings.append(Finding(operation, node.name, info.failure.title, info.failure.message,
                                               info.code_sample))
    elif isinstance(event, events.NonFatalError):
        result.errors.append(f"{event.label}: {event.info.format()}")
    elif isinstance(event, events.FatalError):
        result.errors.append(f"fatal: {event.exception!r}")
    elif isinstance(event, events.PhaseFinished):
        name = f"{model} {event.phase.name.value if hasattr(event.phase.name, 'value') else event.phase.name}"
        result.phases[name] = str(event.status.value if hasattr(event.status, "value") else event.status)
    elif isinstance(event, events.EngineFinished):
        if str(event.stop_reason) != "completed":
            result.errors.append(f"{model} run stopped early: {event.stop_reason}")
        for failure in event.failures:
            result.findings.append(Finding(failure.operation or "run", "after-run check", failure.title,
                                           failure.message))


def run_contract(*, base_url: str | None = None, app=None, spec: dict | None = None, seed: int = 1,
                 max_examples: int = 10, max_steps: int = 10, admin_token: str | None = None,
                 phases: tuple[str, ...] | None = None, operation_ids: tuple[str, ...] | None = None,
                 log=None) -> ContractResult:
    """Run schemathesis against base_url, or against `app` (default: a fresh in-memory simulator)."""
    schemathesis, events, from_schema = _load_schemathesis()
    from contracts.openapi import ajio_spec

    doc = spec if spec is not None else ajio_spec()
    if base_url is not None:
        return _run(schemathesis, events, from_schema, doc, base_url.rstrip("/"), seed, max_examples, max_steps,
                    admin_token, phases, operation_ids, log)
    if app is None:
        app = contract_app(seed)
    with serve_in_thread(app) as url:
        return _run(schemathesis, events, from_schema, doc, url, seed, max_examples, max_steps, admin_token,
                    phases, operation_ids, log)


def _has_links(result) -> bool:
    operation = result.ok()
    return any("links" in answer for answer in operation.definition.raw.get("responses", {}).values()
               if isinstance(answer, dict))


def _run(schemathesis, events, from_schema, doc, base_url, seed, max_examples, max_steps, admin_token, phases,
         operation_ids, log) -> ContractResult:
    started = time.monotonic()
    tokens = make_world(base_url, seed=seed, admin_token=admin_token)
    result = ContractResult(base_url=base_url, seed=seed, max_examples=max_examples)
    for model, path_regex in PASSES:
        config = _config(schemathesis, base_url=base_url, token=tokens[model], seed=seed,
                         max_examples=max_examples, max_steps=max_steps, phases=phases)
        # One include: its criteria hold together (a second include would add to the first, not narrow it).
        criteria = {"path_regex": path_regex, **({"operation_id": list(operation_ids)} if operation_ids else {})}
        schema = schemathesis.openapi.from_dict(doc, config=config).include(**criteria)
        operations = list(schema.get_all_operations())
        if not operations:
            continue
        if not any(_has_links(op) for op in operations):  # e.g. the ERP layer: nothing to chain
            schema.config.phases.stateful.enabled = False
        for event in from_schema(schema).execute():
            _collect(result, event, events, model)
            if log is not None and isinstance(event, events.PhaseFinished):
                log(f"  {model} phase {event.phase.name}: {event.status} ({time.monotonic() - started:.1f} s)")
    result.elapsed = time.monotonic() - started
    return result


def write_junit(result: ContractResult, path: str) -> None:
    """One testcase per scenario label, a <failure> per distinct finding, an <error> per engine error."""
    suite = ET.Element("testsuite", name="ajio-sim contract", tests=str(max(len(result.cases), 1)),
                       failures=str(len(result.findings)), errors=str(len(result.errors)),
                       time=f"{result.elapsed:.3f}")
    by_op: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_op.setdefault(f.operation, []).append(f)
    for label in sorted(set(result.cases) | set(by_op)):
        case = ET.SubElement(suite, "testcase", classname="contract", name=label)
        for f in by_op.get(label, []):
            node = ET.SubElement(case, "failure", message=f"[{f.check}] {f.title}", type=f.check)
            node.text = f"{f.message}\n{f.reproduce}"
    if result.errors:
        case = ET.SubElement(suite, "testcase", classname="contract", name="engine")
        for e in result.errors:
            ET.SubElement(case, "error", message=e[:500]).text = e
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
