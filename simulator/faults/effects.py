"""What each fault effect does to a request or its answer; domain effects change what AJIO says."""
from __future__ import annotations

import json
import time
from http import HTTPStatus

from flask import Response, g, jsonify, request

from simulator.faults import rules
from simulator.faults.wire import WIRE_KEY
from simulator.waiting import waiting

# Effects that answer instead of the view (the request is not processed).
_SHORT_CIRCUIT = ("status", "throttle")
# A transient failure that expects a pause before the call comes again: a status answer announcing Retry-After,
# or any transport effect given `backoff_ms` (a reset, a cut or broken body: no header says how long, but an
# immediate retry hammers). (credential, method, path) -> (the wall-clock instant before which a repeat breaks
# it, the simulated instant from which it no longer does, what it follows, the rule). The client waits real
# seconds (the simulated clock may stand still within a sync). A status's announced Retry-After may also be
# waited on the simulated clock: a connector that leaves the call to a later sync, which the scenario's clock
# put after the wait, did wait (blind hunt 32 saw a lawful deferral judged by the wall clock alone). A
# `backoff_ms` is the scenario asking for real time (an ERP daemon's wait, which a clock jump does not
# shorten): judged on the wall clock only. Per process,
# as the embedded server and `ajio-sim serve` run. Not grounded: AJIO is not known to send Retry-After with a
# 5xx, and the gap a backoff needs is the scenario's choice.
_ANNOUNCED: dict[tuple, tuple[float, float, str, str]] = {}
RETRY_AFTER_RULE = "API-RETRY-TRANSIENT"
THROTTLE_RULE = "API-THROTTLE-RETRY-AFTER"   # a throttle given backoff_ms: its repeats are judged by this rule
PAUSING = ("status", "reset", "truncate", "malformed", "empty_body", "throttle")   # a retry must pause after these
RTO_CREATE_PATH = "/ds/return/rto"   # line_failure there: the whole creation answers 200 FAILED (_rto_failed)
FAULT_HEADER = "X-Ajio-Sim-Fault"  # on an answer a fault made break its schema on purpose (unknown_value)


def _caller() -> tuple:
    """Whose call it is: the token, the ERP layer's user, or a login's username (a login carries no token: keyed on
    "" every login of any POB, or of another scenario's world in the same process, was judged as a repeat of the
    one a staged 503 answered: found by hunt 19's ds/faults/login_503_retried, run beside other scenarios)."""
    credential = request.headers.get("apiKey") or request.headers.get("authUsername")
    if not credential and request.path.endswith("/authToken"):
        sent = request.get_json(silent=True)
        if isinstance(sent, dict) and isinstance(sent.get("username"), str):
            credential = "login:" + sent["username"]
    return (credential or "", request.method, request.path)


def early_repeat() -> None:
    """A call repeated before the Retry-After a staged status answer announced: marked in the journal (every
    AJIO-facing request looks, also once the fault rule is spent: the repeat is what it judges)."""
    if not _ANNOUNCED:
        return
    caller = _caller()
    announced = _ANNOUNCED.pop(caller, None) or _ANNOUNCED.pop((caller[0], "*", "*"), None)
    if announced is None:
        return
    until, sim_from, after, rule_id = announced
    now = g.get("now")
    if until > time.monotonic() and (now is None or now < sim_from):
        why = ("a throttled call waits the announced Retry-After" if rule_id == THROTTLE_RULE
               else "a transient failure is retried after a pause, not hammered")
        g.violations = (g.get("violations") or []) + [{
            "field": "Retry-After", "rule_id": rule_id, "message": f"sent again too soon after {after} ({why})"}]


def _announce(seconds: float, after: str, rule_id: str, simulated: bool = False, any_call: bool = False) -> None:
    """The caller's next call breaks `rule_id` unless `seconds` passed on the wall clock (or, `simulated`, on the
    simulated one). The simulated clock counts in whole seconds: one more is asked of it, so that a running clock
    never lets a repeat through before the wall clock would. `any_call`: the caller's next call on any path (a
    throttle that `holds: caller`: AJIO throttles per user, so a call to another endpoint inside the wait is as early;
    found by blind hunt 34, an ERP whose RSI fetch ignored a posting's Retry-After)."""
    now = g.get("now")
    sim_from = now + seconds + 1 if simulated and now is not None else float("inf")
    caller = _caller()
    _ANNOUNCED[(caller[0], "*", "*") if any_call else caller] = (time.monotonic() + seconds, sim_from, after, rule_id)


def _expect_pause(effect: dict) -> None:
    """Note when the call may come again: after a status's Retry-After, or a transport effect's backoff_ms. A
    throttle is judged only when given backoff_ms (opt-in: a connector that leaves a long Retry-After to its next
    sync, a real second later in a scenario, is right), as a 429's Retry-After (API-THROTTLE-RETRY-AFTER)."""
    if effect["kind"] == "throttle":
        if effect.get("backoff_ms"):
            any_call = effect.get("holds") == "caller"
            _announce(effect["backoff_ms"] / 1000, f"a 429 that announced Retry-After: {effect.get('retry_after', 1)} s "
                      f"({effect['backoff_ms']} ms judged{', on any call of this user' if any_call else ''})",
                      THROTTLE_RULE, any_call=any_call)
    elif effect.get("backoff_ms"):
        _announce(effect["backoff_ms"] / 1000,
                  f"a {effect.get('status') or effect['kind']} ({effect['backoff_ms']} ms of backoff expected)",
                  RETRY_AFTER_RULE)
    elif effect["kind"] == "status" and effect.get("retry_after") is not None:
        # a staged 429 is a throttle like AJIO's own (API-THROTTLE-RETRY-AFTER); a 5xx, a transient failure
        _announce(effect["retry_after"], f"a {effect['status']} that announced Retry-After: {effect['retry_after']} s",
                  THROTTLE_RULE if effect["status"] == 429 else RETRY_AFTER_RULE, simulated=True)


def _error(status: int, message: str | None, code: str | None = None, headers: dict | None = None) -> Response:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:  # a status the standard library has no name for (e.g. 499)
        phrase = "Error"
    body = {"status": "FAILED", "error_message": message or f"{phrase} (AJIO is having a bad day)",
            "error_code": code or phrase.upper().replace(" ", "_").replace("-", "_")}
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _note(applied: rules.Applied, effect: dict, **details) -> None:
    g.faults.append({"rule_id": applied.rule_id, "name": applied.name, "kind": effect["kind"], **details})
    if effect["kind"] in PAUSING:
        _expect_pause(effect)


def sleep_ms(ms: float) -> None:
    # Latency is a transport effect: real time on purpose (the simulated clock does not move). Other
    # requests of this worker run meanwhile (simulator/waiting.py).
    with waiting():
        time.sleep(ms / 1000)


def before(plan: list[rules.Applied]) -> Response | None:
    """Latency, then the first status/429 or a reset before processing; None lets the view run."""
    answer, reset = None, False
    for applied in plan:
        for effect in applied.effects:
            kind = effect["kind"]
            if kind == "latency":
                ms = effect["ms"] + (applied.rng.random() * effect.get("jitter_ms", 0))
                sleep_ms(ms)
                _note(applied, effect, ms=round(ms, 1))
            elif kind == "reset" and effect.get("phase", "before") == "before":
                reset = True
                _note(applied, effect, phase="before", detail="connection reset before the request was processed")
            elif kind == "line_failure" and request.path == RTO_CREATE_PATH:
                _rto_failed(applied, effect)
            elif kind == "line_failure":
                # The view hands these to the domain (api/common.refused_lines): that order's line of a manifest,
                # or that SKU's line of a stock push, fails alone.
                if "sku" in effect:
                    g.line_faults[effect["sku"]] = effect.get("error_message") or (
                        f"sku {effect['sku']} could not be updated now: send it again")
                    _note(applied, effect, sku=effect["sku"])
                else:
                    g.line_faults[effect["order_id"]] = effect.get("error_message") or (
                        f"order {effect['order_id']} could not be manifested now: send it again")
                    _note(applied, effect, order_id=effect["order_id"])
            elif kind in _SHORT_CIRCUIT and answer is None and not _after_phase(effect):
                answer = _short_circuit(applied, effect)
    if reset:
        for note in g.faults:  # the connection is gone: no status reaches the client
            if note["kind"] in _SHORT_CIRCUIT:
                note["superseded_by"] = "reset"
        request.environ[WIRE_KEY] = {"kind": "reset"}
        # What the journal files for a request that got no answer: status 0, no body.
        return Response(b"", status=0, mimetype="text/plain")
    return answer


def _rto_failed(applied: rules.Applied, effect: dict) -> None:
    """Dropship's RTO creation to answer `200 {status: FAILED, return_order_id: null, error_message}` (API.md,
    "Create RTO"): the domain (domain/ds/returns.create_rto), once it has checked the request, creates nothing (a
    retry of a creation AJIO took replays it). With
    `order_id`, only that order's creation fails (another's goes through: noted as skipped). Not grounded: AJIO
    publishes no reason for a FAILED creation."""
    body = request.get_json(silent=True)
    order_id = body.get("order_id") if isinstance(body, dict) else None
    if not isinstance(order_id, str) or effect.get("order_id") not in (None, order_id):
        _note(applied, effect, skipped=f"the RTO asked for is for order {order_id}, not {effect.get('order_id')}")
        return
    g.line_faults[order_id] = effect.get("error_message") or (
        f"RTO for order {order_id} could not be created now: send it again")
    _note(applied, effect, order_id=order_id, answered="FAILED")


def _after_phase(effect: dict) -> bool:
    return effect["kind"] == "status" and effect.get("phase") == "after"


def _short_circuit(applied: rules.Applied, effect: dict) -> Response:
    if effect["kind"] == "throttle":
        retry_after = effect.get("retry_after", 1)
        _note(applied, effect, status=429, retry_after=retry_after)
        return _error(429, effect.get("error_message") or "too many requests: throttled, retry after "
                      f"{retry_after} s", "TOO_MANY_REQUESTS", {"Retry-After": str(retry_after)})
    _note(applied, effect, status=effect["status"], phase="before")
    if effect.get("retry_after") is None:
        return _error(effect["status"], effect.get("error_message"))
    return _error(effect["status"], effect.get("error_message"), headers={"Retry-After": str(effect["retry_after"])})


def after(sim, plan: list[rules.Applied], need_snapshot: list[tuple[int, str]], who: rules.Who,
          response: Response) -> Response:
    """Effects on the answer, in rule and effect order; each transforms what the previous left."""
    query = request.query_string.decode("latin-1")
    if need_snapshot:
        _record_snapshots(sim, need_snapshot, response)
    for applied in plan:
        for effect in applied.effects:
            handler = _AFTER.get(effect["kind"])
            if handler is not None:
                response = handler(sim, applied, effect, who, query, response)
    return response


def _status_after(sim, applied, effect, who, query, response):
    if effect.get("phase") != "after":
        return response
    _note(applied, effect, status=effect["status"], phase="after", processed_status=response.status_code)
    return _error(effect["status"], effect.get("error_message"))


def _reset_after(sim, applied, effect, who, query, response):
    if effect.get("phase", "before") != "after":
        return response
    request.environ[WIRE_KEY] = {"kind": "reset"}
    _note(applied, effect, phase="after", processed_status=response.status_code,
          detail="request processed, connection reset before the answer")
    response.status_code = 0
    return response


def _empty_body(sim, applied, effect, who, query, response):
    response.set_data(b"")
    _note(applied, effect, status=response.status_code)
    return response


def _malformed(sim, applied, effect, who, query, response):
    data = response.get_data()
    # A bracket that does not close what it should: no JSON parser accepts it.
    broken = (data.rstrip()[:-1] + b",]") if data.strip() else b"{\"status\": "
    response.set_data(broken)
    _note(applied, effect, status=response.status_code, bytes=len(broken))
    return response


def _truncate(sim, applied, effect, who, query, response):
    data = response.get_data()
    keep = min(effect.get("bytes", len(data) // 2), max(len(data) - 1, 0))
    if effect.get("wire"):
        # Content-Length stays the full length; the connection closes after `keep` bytes.
        request.environ[WIRE_KEY] = {"kind": "truncate", "bytes": keep}
        _note(applied, effect, wire=True, bytes=keep, declared=len(data))
        return response
    response.set_data(data[:keep])  # Content-Length follows: valid HTTP, cut JSON
    _note(applied, effect, wire=False, bytes=keep, of=len(data))
    return response


def _json_body(response: Response):
    if response.mimetype != "application/json" or response.status_code != 200:
        return None
    try:
        return json.loads(response.get_data())
    except ValueError:
        return None


def _repeat_order(sim, applied, effect, who, query, response):
    from simulator.faults import domain
    body = _json_body(response)
    if not isinstance(body, dict) or not isinstance(body.get("orders"), list):
        _note(applied, effect, skipped="the answer is no list of orders")
        return response
    repeated = domain.repeat_order(sim, body["orders"], who.pob_id, effect.get("order_id"))
    if repeated is None:
        _note(applied, effect, skipped="no order to repeat")
        return response
    response.set_data(json.dumps(body))
    _note(applied, effect, order_id=repeated)
    return response


def _hide_order(sim, applied, effect, who, query, response):
    body = _json_body(response)
    if not isinstance(body, dict) or not isinstance(body.get("orders"), list):
        _note(applied, effect, skipped="the answer is no list of orders")
        return response
    order_id = effect.get("order_id") or (body["orders"][0]["order_id"] if body["orders"] else None)
    named = ",".join(request.args.getlist("orderIds")).split(",")  # bound as the views bind it
    if order_id in (o.strip() for o in named):
        # Asked for by id: answered as AJIO answers an id it does not know.
        _note(applied, effect, order_id=order_id, status=404)
        return _error(404, f"unknown order id(s) for this POB: {order_id}", "NOT_FOUND")
    kept = [o for o in body["orders"] if o.get("order_id") != order_id]
    if len(kept) == len(body["orders"]):
        _note(applied, effect, skipped=f"order {order_id} is not in the answer")
        return response
    body["orders"] = kept
    response.set_data(json.dumps(body))
    _note(applied, effect, order_id=order_id)
    return response


def _hide_return(sim, applied, effect, who, query, response):
    body = _json_body(response)
    if not isinstance(body, dict) or not isinstance(body.get("returns"), list):
        _note(applied, effect, skipped="the answer is no list of returns")
        return response
    return_id = effect.get("return_order_id") or (body["returns"][0].get("return_order_id") if body["returns"] else None)
    kept = [r for r in body["returns"] if r.get("return_order_id") != return_id]
    if return_id is None or len(kept) == len(body["returns"]):
        _note(applied, effect, skipped=f"return {return_id} is not in the answer")
        return response
    body["returns"] = kept   # the page's counts stay: a lagging list, not a shorter one
    response.set_data(json.dumps(body))
    _note(applied, effect, return_order_id=return_id)
    return response


def _stale_page(sim, applied, effect, who, query, response):
    if who.method != "GET":  # replaying a write's old answer would hide what the write did
        _note(applied, effect, skipped="stale pages are answers to GET requests")
        return response
    key = rules.snapshot_key(who, rules.stale_query(applied.effects, query))
    with sim.store.read() as conn:
        snap = (rules.get_state(conn, applied.rule_id).get("snapshots") or {}).get(key)
    if snap is None or response.status_code != 200:
        _note(applied, effect, skipped="no snapshot or the answer is not a 200")
        return response
    response.set_data(snap["body"].encode())
    response.mimetype = "application/json"
    # The journal files the ids of the answer the client got: the snapshot's, not those the view just listed (an
    # RSI the lag hid is not "fetched": erp_rsi_fetched reads these ids).
    g.touched = list(snap.get("touched") or [])
    _note(applied, effect, snapshot_at=snap["at"])
    return response


def _record_snapshots(sim, needed: list[tuple[int, str]], response: Response) -> None:
    """Each (rule id, snapshot key) rules.decide found without a snapshot records this answer under its key."""
    if _json_body(response) is None:
        return
    body = response.get_data(as_text=True)
    with sim.store.write() as conn:
        for rule_id, key in needed:
            state = rules.get_state(conn, rule_id)
            snaps = dict(state.get("snapshots") or {})
            if key not in snaps:
                snaps[key] = {"at": g.now, "body": body, "touched": sorted(set(g.get("touched", [])))}
                rules.put_state(conn, rule_id, {**state, "snapshots": snaps})
                g.faults.append({"rule_id": rule_id, "kind": "stale_page", "snapshot": "recorded"})


def _po_missing(sim, applied, effect, who, query, response):
    from simulator.faults import domain
    held = domain.hold_po(sim, list(g.get("touched", [])), g.now + effect["minutes"] * 60)
    _note(applied, effect, minutes=effect["minutes"], orders=held)
    return response


def _vanish_after_ack(sim, applied, effect, who, query, response):
    from simulator.faults import domain
    if not (200 <= response.status_code < 300) or not domain.is_acknowledgement(who, request):
        _note(applied, effect, skipped="not a successful acknowledgement")
        return response
    status = effect.get("status", 504)
    _note(applied, effect, status=status, processed_status=response.status_code,
          detail="acknowledgement applied, its answer lost: the order left pendency")
    return _error(status, effect.get("error_message"))


def _customer_cancel(sim, applied, effect, who, query, response):
    """The customer cancels an order right after AJIO answered the matched call: between a connector's read of the
    pendency and its acknowledgement, whenever it sends that (in the same sync or at the next)."""
    from simulator.faults import domain
    if not (200 <= response.status_code < 300):
        _note(applied, effect, skipped=f"the matched call was answered {response.status_code}")
        return response
    refused = domain.customer_cancel(sim, effect["order_id"], effect.get("lines"))
    if refused is not None:
        _note(applied, effect, skipped=refused)
    else:
        _note(applied, effect, order_id=effect["order_id"], lines=effect.get("lines", "all"))
    return response


def _unknown_value(sim, applied, effect, who, query, response):
    """AJIO adds a value to one of its enums: the first listed item holding `field` (and `item`, if given) carries
    a value no connector knows. Walks every list of objects in the answer, depth first; when no listed item holds
    `field`, an answer object holding it at its top (and `item`) carries it."""
    from contracts.faults import UNKNOWN_VALUE, json_subset
    body = _json_body(response)
    if body is None:
        _note(applied, effect, skipped="the answer is no JSON 200")
        return response
    field, want = effect["field"], effect.get("item")

    def first(node):
        if isinstance(node, dict):
            for value in node.values():
                found = first(value)
                if found is not None:
                    return found
        elif isinstance(node, list):
            for element in node:
                if isinstance(element, dict) and field in element and (want is None or json_subset(want, element)):
                    return element
                found = first(element)
                if found is not None:
                    return found
        return None

    target = first(body)
    if target is None and isinstance(body, dict) and field in body and (want is None or json_subset(want, body)):
        # An answer about one thing (an order's documents, a QC's outcome) lists nothing: its own field is reached.
        target = body
    if target is None:
        _note(applied, effect, skipped=f"no listed item with {field}" + (f" holding {json.dumps(want)}" if want else "")
              + " and no such field in the answer itself")
        return response
    was, target[field] = target[field], effect.get("value", UNKNOWN_VALUE)
    response.set_data(json.dumps(body))
    # The answer now breaks the published contract on purpose: said, so a contract check can tell (docs/faults.md).
    response.headers[FAULT_HEADER] = "unknown_value"
    _note(applied, effect, field=field, was=was, now=target[field])
    return response


_AFTER = {"status": _status_after, "reset": _reset_after, "empty_body": _empty_body, "malformed": _malformed,
          "truncate": _truncate, "repeat_order": _repeat_order, "hide_order": _hide_order,
          "hide_return": _hide_return, "stale_page": _stale_page,
          "po_missing": _po_missing, "vanish_after_ack": _vanish_after_ack,
          "unknown_value": _unknown_value, "customer_cancel": _customer_cancel}
