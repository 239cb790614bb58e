"""Checks on the whole journal, both ways: what AJIO refused, per-line failures, repeats, early polls, logins.

Each is an expectation kind a scenario can bound from both sides (`count`, `min`, `max`) and, unless a
scenario turns it off (`checks:`), an implicit check run after the last step: a connector passes only if
every refusal and every per-line failure it met is one the scenario declared (`allow:`), it broke no
contract, sent no change twice, polled nothing before its Retry-After and logged in only when it had to.
Every failure names the rule: the refusal's own `rule_id` when AJIO gave one.
"""
from __future__ import annotations

import json
from typing import Any

from harness import expectations
from harness.expectations import Facts, describe_match, matches
from harness.journal import answer, sent, violation_rule
from harness.model import Failure

MUTATING = ("POST", "PUT", "PATCH", "DELETE")
LINE_KEYS = ("failed_items", "failedDispatchItems", "failed")   # AJIO's per-line failure lists in a 200
# A token is renewed early by a careful connector (the reference at 25 minutes of its own time); a login
# while the previous token is younger than this, with no 401 since, is a login for nothing.
RELOGIN_AFTER_S = 20 * 60
SHOWN = 5
IMPLICIT = ("refusals", "line_failures", "violations", "duplicates", "early_polls", "logins", "retries")
# Tries of one call, in one connector run, that follow a failure of that same call (API-RETRY-TRANSIENT: "retried a
# bounded number of times ... never hammered"). The reference client tries a call 4 times (3 retries); scenarios
# bound a sync's tries of one item at 5 where they say; past this many retries a connector is hammering, whatever
# the scenario says (not grounded: AJIO publishes no retry budget; Unicommerce's utility retries 3 times).
RETRY_LIMIT = 6


# -- reading the journal -------------------------------------------------------------------------
def brief(entry: dict) -> str:
    q = f"?{entry['query']}" if entry.get("query") else ""
    body = answer(entry) if entry.get("status", 0) >= 400 else None
    why = ""
    if isinstance(body, dict):
        code, rid = body.get("error_code"), body.get("rule_id")
        why = " " + " ".join(x for x in (code, rid) if x)
        if body.get("error_message"):
            why += f": {str(body['error_message'])[:160]}"
    return f"#{entry['id']} {entry['method']} {entry['path']}{q} -> {entry['status']}{why}"


def refused(entry: dict) -> bool:
    return 400 <= (entry.get("status") or 0) < 500


def rule_of(entry: dict) -> str:
    """The rule a refused request broke: AJIO's own `rule_id`, else what its status and path say."""
    body = answer(entry)
    if isinstance(body, dict) and isinstance(body.get("rule_id"), str):
        return body["rule_id"]
    if entry["path"].startswith("/documents/") and entry["status"] in (403, 404):
        return "DOCUMENTS-OWN-POB"  # another POB's document (AJIO answers 404); a 401 or a 429 is any call's
    return {401: "AUTH-TOKEN-30-MIN", 429: "API-THROTTLE-RETRY-AFTER"}.get(entry["status"], "API-CONTRACT")


def line_failures(entry: dict) -> list[dict]:
    """The failed lines of a successful answer (AJIO's per-line partial failure lists), and a 200 answering for
    one thing as a whole `status: FAILED` (Dropship's RTO creation: nothing created), itself one failed line."""
    if not 200 <= (entry.get("status") or 0) < 300:
        return []
    body = answer(entry)
    if not isinstance(body, dict):
        return []
    out = []
    if body.get("status") == "FAILED":
        out.append({k: body[k] for k in ("status", "error_message") if k in body})
    for key in LINE_KEYS:
        items = body.get(key)
        if isinstance(items, list):
            out.extend(i if isinstance(i, dict) else {"item": i} for i in items)
    return out


def _failed_whole(entry: dict) -> bool:
    """A 200 answering `status: FAILED` as a whole (Dropship's RTO creation): AJIO did nothing, so sending the
    same change again (at a later sync) repeats no answered change."""
    body = answer(entry)
    return isinstance(body, dict) and body.get("status") == "FAILED"


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if not isinstance(value, str) else value


# Absolute stock pushes: the same body again is not a replay when AJIO's count moved by itself in between
# (orders take units, cancellations give them back) and the connector puts it right; pushing too often is
# bounded by the inventory rules' own checks (DS-INVENTORY-CHANGED-ONLY, JIT-INVENTORY-PUSH).
ABSOLUTE_SETS = ("/ds/updateInventory", "/jit/inventory")


def duplicates(entries: list[dict]) -> list[tuple[dict, dict]]:
    """(repeat, first): a change sent again after AJIO answered it with success, and answered the same again
    (AJIO's idempotent replay: the repeat did nothing). Retries of calls that got no answer, a 5xx or a 429
    are not repeats of an answered call; logins are counted by `logins`."""
    seen: dict[tuple, dict] = {}
    out = []
    for e in entries:
        if e["method"] not in MUTATING or e["path"].endswith("/authToken") or not 200 <= e["status"] < 300:
            continue
        if e["path"] in ABSOLUTE_SETS or _failed_whole(e):
            continue
        key = (e["method"], e["path"], e.get("query") or "", _canon(sent(e)), _canon(answer(e)))
        if key in seen:
            out.append((e, seen[key]))
        elif not _answer_damaged(e):  # a success that reached the client whole: sending it again is a repeat
            seen[key] = e
    return out


# Faults that leave AJIO's success unreadable to the client (a body cut, on the wire or not, garbled or empty):
# the journal keeps the answer AJIO gave, but the client got no answer it could read and rightly sends the call
# again (API-RETRY-TRANSIENT). Before a `wire: true` cut reached the client as cut bytes, such a retry was never
# judged here; a JSON cut inside a valid body was told apart only because the journal kept the cut body.
DAMAGING = ("truncate", "malformed", "empty_body")


def _answer_damaged(e: dict) -> bool:
    return any(f.get("kind") in DAMAGING and not f.get("skipped") for f in e.get("faults") or [])


def early_polls(entries: list[dict], spans) -> list[tuple[dict, dict]]:
    """(poll, refusal): a call repeated in the same connector run although AJIO said "not yet" and when
    (`available_at`, sent with Retry-After): the simulated clock had not reached that time. A later run
    (the next sync) may ask again; a daemon's syncs are not told apart, so daemons are left out."""
    out = []
    waiting: dict[tuple, tuple[dict, int]] = {}
    for e in entries:
        span = next((s for s in spans if s.holds(e["id"]) and not s.daemon), None)
        key = (span.first if span else None, e["method"], e["path"], e.get("query") or "")
        if span is None:
            continue
        if key in waiting:
            first, until = waiting[key]
            if e["at"] < until:
                out.append((e, first))
                continue
            del waiting[key]
        body = answer(e) if refused(e) else None
        if isinstance(body, dict) and body.get("error_code") == "NOT_YET" and isinstance(body.get("available_at"), int):
            waiting[key] = (e, body["available_at"])
    return out


def is_login(e: dict) -> bool:
    return e["method"] == "POST" and e["path"].endswith("/authToken") and e["status"] == 200


def logins(entries: list[dict]) -> list[dict]:
    return [e for e in entries if is_login(e)]


def needless_logins(entries: list[dict], spans) -> list[tuple[dict, dict]]:
    """(login, previous): a login in the same run (or daemon life) as an earlier one whose token was still
    young (< RELOGIN_AFTER_S of simulated time) and had not been refused (no 401 in between)."""
    out = []
    for span in spans:
        mine = [e for e in entries if span.holds(e["id"])]
        previous = None
        for e in mine:
            if e["status"] == 401:
                previous = None
            elif is_login(e):
                if previous is not None and e["at"] - previous["at"] < RELOGIN_AFTER_S:
                    out.append((e, previous))
                previous = e
    return out


def failed_in_transit(e: dict) -> bool:
    """AJIO's answer was a 5xx or a 429, or none the client could read (a reset, a cut, garbled or empty body)."""
    status = e.get("status") or 0
    return status >= 500 or status == 429 or any(
        f.get("kind") in ("reset", *DAMAGING) and not f.get("skipped") for f in e.get("faults") or [])


def hammered(entries: list[dict], spans, limit: int = RETRY_LIMIT) -> list[tuple[dict, dict, int]]:
    """(first, last, retries): a call (method, path, query, body) sent again more than `limit` times in a row in
    one connector run, each time after it failed in transit (an answer it could read between two tries starts the
    count again). A daemon's life is left out: its syncs are not told apart."""
    out = []
    for span in spans:
        if span.daemon:
            continue
        streak: dict[tuple, list[dict]] = {}   # key -> the tries since the call last got a readable answer
        for e in entries:
            if not span.holds(e["id"]):
                continue
            key = (e["method"], e["path"], e.get("query") or "", e.get("request_body") or "")
            seq = streak.setdefault(key, [])
            seq.append(e)
            if not failed_in_transit(e):
                if len(seq) - 1 > limit:
                    out.append((seq[0], seq[-1], len(seq) - 1))
                seq.clear()
        out += [(seq[0], seq[-1], len(seq) - 1) for seq in streak.values() if len(seq) - 1 > limit]
    return out


# -- explicit expectations (kinds) ---------------------------------------------------------------
def bounds(args: dict, n: int, default_max: int | None = None) -> str | None:
    """What `count`, `min`, `max` (or the kind's default maximum) say about `n`; None when they hold."""
    if "count" in args and n != args["count"]:
        return f"exactly {args['count']}"
    if "min" in args and n < args["min"]:
        return f"at least {args['min']}" + (f" and at most {args['max']}" if "max" in args else "")
    top = args.get("max", default_max if not {"count", "min"} & set(args) else None)
    if top is not None and n > top:
        return f"at most {top}" + (f" (and at least {args['min']})" if "min" in args else "")
    return None


def too_many(args: dict, n: int, default_max: int | None = None) -> bool:
    """Whether `n` broke the upper side of the bounds: then the offending requests' own rule is what failed."""
    if "count" in args:
        return n > args["count"]
    top = args.get("max", default_max if "min" not in args else None)
    return top is not None and n > top


def _journal(args: dict, facts: Facts) -> tuple[dict, list[dict]]:
    pob = facts.pob(args.get("seller"))
    entries = facts.entries(pob["pob_id"], args.get("since"))
    return pob, entries


def _where(args: dict) -> dict:
    m = {k: args[k] for k in ("method", "status", "error_code", "rule_id") if k in args}
    m["path"] = args.get("path", "/*")
    return m


def _listing(hits: list, shown=SHOWN) -> str:
    text = f"{len(hits)}" + (f": {'; '.join(hits[:shown])}" if hits else "")
    return text + (f" ... and {len(hits) - shown} more" if len(hits) > shown else "")


def _refusals(args: dict, facts: Facts):
    pob, entries = _journal(args, facts)
    m = _where(args)
    hits = [e for e in entries if refused(e) and matches(e, m)]
    want = bounds(args, len(hits), default_max=0)
    if want:
        return [(f"refused requests {describe_match(m)} of {pob['pob_id']}", want, _listing([brief(e) for e in hits]),
                 rule_of(hits[0]) if too_many(args, len(hits), 0) else None)]
    return []


def _line_failures(args: dict, facts: Facts):
    pob, entries = _journal(args, facts)
    m = {k: v for k, v in _where(args).items() if k in ("method", "path")}
    hits = [(e, item) for e in entries if matches(e, m) for item in line_failures(e)]
    want = bounds(args, len(hits), default_max=0)
    if want:
        return [(f"failed lines in 2xx answers to {describe_match(m)} of {pob['pob_id']}", want,
                 _listing([f"{brief(e)}: {json.dumps(item)[:200]}" for e, item in hits]),
                 "API-PER-LINE-FAILURES" if too_many(args, len(hits), 0) else None)]
    return []


def _duplicates(args: dict, facts: Facts):
    pob, entries = _journal(args, facts)
    m = {k: v for k, v in _where(args).items() if k in ("method", "path")}
    hits = [(e, first) for e, first in duplicates(entries) if matches(e, m)]
    want = bounds(args, len(hits), default_max=0)
    if want:
        return [(f"changes {describe_match(m)} sent again after AJIO answered them (by {pob['pob_id']})", want,
                 _listing([f"{brief(e)} repeats #{first['id']}" for e, first in hits]),
                 "API-CHANGE-SENT-ONCE" if too_many(args, len(hits), 0) else None)]
    return []


def _early_polls(args: dict, facts: Facts):
    pob, entries = _journal(args, facts)
    m = {k: v for k, v in _where(args).items() if k in ("method", "path")}
    hits = [(e, first) for e, first in early_polls(entries, facts.spans(pob["pob_id"])) if matches(e, m)]
    want = bounds(args, len(hits), default_max=0)
    if want:
        return [(f"calls {describe_match(m)} repeated in the same run before AJIO's Retry-After ({pob['pob_id']})",
                 want, _listing([f"{brief(e)} after #{first['id']} said NOT_YET" for e, first in hits]),
                 rule_of(hits[0][1]) if too_many(args, len(hits), 0) else None)]
    return []


def _logins(args: dict, facts: Facts):
    pob, entries = _journal(args, facts)
    hits = logins(entries)
    want = bounds(args, len(hits))
    out = []
    if want:
        out.append((f"logins (POST /*/authToken -> 200) of {pob['pob_id']}", want, _listing([brief(e) for e in hits]),
                    "AUTH-LOGIN-SPARINGLY" if too_many(args, len(hits)) else None))
    if "max_needless" in args:
        extra = needless_logins(entries, facts.spans(pob["pob_id"]))
        top = args.get("max_needless", 0)
        if len(extra) > top:
            out.append((f"logins of {pob['pob_id']} while the token was still young and never refused", f"at most {top}",
                        _listing([f"{brief(e)} after #{prev['id']}" for e, prev in extra]), "AUTH-LOGIN-SPARINGLY"))
    return out


KINDS = {"refusals": _refusals, "line_failures": _line_failures, "duplicates": _duplicates,
         "early_polls": _early_polls, "logins": _logins}
expectations.CHECKS.update(KINDS)


# -- the implicit checks, after the last step -----------------------------------------------------
def _allowed(allow: list[dict], e: dict, per_line: bool) -> dict | None:
    for a in allow:
        if bool(a.get("line_failures")) != per_line:
            continue
        if matches(e, {"path": "/*", **{k: a[k] for k in ("method", "path", "status", "error_code", "rule_id") if k in a}}):
            return a
    return None


def implicit(scenario, facts: Facts) -> list[Failure]:
    """The implicit checks the scenario keeps on (`checks:`), over every POB of the scenario."""
    on = {name: scenario.checks.get(name, True) for name in IMPLICIT}
    failures: list[Failure] = []
    used: dict[int, list[dict]] = {}

    def fail(check: str, what: str, expected: Any, hits: list[str], rule: str, note: str | None = None) -> None:
        failures.append(Failure(step=f"end of scenario (implicit check: {check})", what=what, expected=expected,
                                actual=_listing(hits), rule_id=rule, note=note))

    for name, pob in facts.sellers().items():
        pid = pob["pob_id"]
        entries = facts.entries(pid, None)
        if on["refusals"] or on["line_failures"]:
            unexpected: dict[str, list[str]] = {}
            for e in entries:
                groups = []
                if on["refusals"] and refused(e):
                    groups.append((False, rule_of(e), brief(e)))
                if on["line_failures"]:
                    groups += [(True, "API-PER-LINE-FAILURES", f"{brief(e)}: {json.dumps(item)[:160]}")
                               for item in line_failures(e)]
                for per_line, rule, text in groups:
                    a = _allowed(scenario.allow, e, per_line)
                    if a is None:
                        unexpected.setdefault(rule, []).append(text)
                    else:
                        used.setdefault(id(a), []).append(text)
            for rule, hits in unexpected.items():
                kind = "per-line failures" if rule == "API-PER-LINE-FAILURES" else "refused requests"
                fail("line_failures" if rule == "API-PER-LINE-FAILURES" else "refusals",
                     f"{kind} of {pid} ({name}) the scenario does not expect", "none (or declared in `allow:`)",
                     hits, rule)
        if on["violations"]:
            by_rule = {}
            for e in entries:
                if e.get("violations"):
                    by_rule.setdefault(violation_rule(e), []).append(f"{brief(e)}: {json.dumps(e['violations'])[:300]}")
            for rule, hits in by_rule.items():
                fail("violations", f"requests of {pid} ({name}) that broke the API contract", "none", hits, rule)
        if on["duplicates"]:
            hits = duplicates(entries)
            if hits:
                fail("duplicates", f"changes {pid} ({name}) sent again after AJIO answered them", "none",
                     [f"{brief(e)} repeats #{first['id']}" for e, first in hits], "API-CHANGE-SENT-ONCE")
        spans = facts.spans(pid)
        if on["early_polls"]:
            by_rule: dict[str, list[str]] = {}
            for e, first in early_polls(entries, spans):
                by_rule.setdefault(rule_of(first), []).append(f"{brief(e)} after #{first['id']} said NOT_YET")
            for rule, hits in by_rule.items():
                fail("early_polls", f"calls of {pid} ({name}) repeated in the same run before AJIO's Retry-After",
                     "none: ask again at a later sync", hits, rule)
        if on["retries"]:
            hits = hammered(entries, spans)
            if hits:
                fail("retries", f"calls of {pid} ({name}) sent again and again in one run after failing",
                     f"at most {RETRY_LIMIT} retries of one call in one run",
                     [f"{brief(last)}: {n} retries since #{first['id']}" for first, last, n in hits],
                     "API-RETRY-TRANSIENT")
        if on["logins"]:
            hits = needless_logins(entries, spans)
            if hits:
                fail("logins", f"logins of {pid} ({name}) while its token was still young and never refused", "none",
                     [f"{brief(e)} after #{prev['id']}" for e, prev in hits], "AUTH-LOGIN-SPARINGLY")
    if on["refusals"]:
        anonymous = facts.anonymous_erp_calls()
        if anonymous:
            fail("refusals", "calls to AJIO's ERP layer (/ajio-vms) that named no seller (no authUsername header)",
                 "none: every ERP-layer call carries authUsername and authPassword", [brief(e) for e in anonymous],
                 "ERP-AUTH-HEADERS", "filed under no POB: no expectation of a seller sees them")
    for a in scenario.allow:
        hits = used.get(id(a), [])
        if "max" in a and len(hits) > a["max"]:
            what = "per-line failures" if a.get("line_failures") else "refused requests"
            rule = a.get("rule") or (hits and _first_rule(facts, a)) or scenario.rules[0]
            fail("refusals", f"{what} allowed by `allow:` {describe_match(_where(a))}", f"at most {a['max']}", hits,
                 rule, a.get("note"))
    return failures


def _first_rule(facts: Facts, a: dict) -> str | None:
    for pob in facts.sellers().values():
        for e in facts.entries(pob["pob_id"], None):
            if refused(e) and matches(e, {"path": "/*", **{k: a[k] for k in ("method", "path", "status", "error_code",
                                                                               "rule_id") if k in a}}):
                return rule_of(e)
    return None


def causes(journals: dict[str, list[dict]], limit: int = 12) -> list[dict]:
    """The connector's requests AJIO refused (4xx) or answered with failed lines: the likely cause of a failure."""
    out = []
    for pob_id, entries in journals.items():
        for e in entries:
            failed = line_failures(e)
            if refused(e) or failed:
                body = answer(e) if refused(e) else None
                body = body if isinstance(body, dict) else {}
                out.append({"id": e["id"], "pob_id": pob_id, "method": e["method"], "path": e["path"],
                            "query": e.get("query") or "", "status": e["status"],
                            "error_code": body.get("error_code"),
                            "rule_id": rule_of(e) if refused(e) else "API-PER-LINE-FAILURES",
                            "message": str(body.get("error_message") or (json.dumps(failed)[:200] if failed else ""))[:240],
                            "failed_lines": len(failed)})
    out.sort(key=lambda c: c["id"])
    return out[:limit] + ([{"more": len(out) - limit}] if len(out) > limit else [])


def cause_lines(items: list[dict]) -> list[str]:
    lines = []
    for c in items:
        if "more" in c:
            lines.append(f"  ... and {c['more']} more")
            continue
        q = f"?{c['query']}" if c["query"] else ""
        what = f"{c['failed_lines']} failed line(s)" if c["failed_lines"] else (c["error_code"] or "")
        lines.append(f"  #{c['id']} {c['method']} {c['path']}{q} -> {c['status']} {what} [{c['rule_id']}]"
                     + (f": {c['message']}" if c["message"] else ""))
    return lines
