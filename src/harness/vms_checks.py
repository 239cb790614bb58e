"""VMS expectations: the ERP postings the simulator sent and how the ERP answered them (seed 004), RSI
documents (seed 002), and the QC a VMS return carries. Each returns (what, expected, actual) per broken part."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode


def _answered_ok(status: Any, want: Any) -> bool:
    if isinstance(want, list):
        return any(_answered_ok(status, w) for w in want)
    if isinstance(want, str) and len(want) == 3 and want.endswith("xx"):
        return status is not None and str(status)[0] == want[0]
    return status == want


def _brief(p: dict) -> str:
    answers = ",".join(str(e.get("status")) for e in p.get("log") or [])
    return f"#{p['id']} {p['event_type']} {p['entity_id']} {p['status']} after {p['attempts']} [{answers}]"


def erp_postings(args: dict, facts) -> list[tuple[str, Any, Any]]:
    """Postings to the seller's ERP (GET /_sim/erp/postings) matching event, order/entity and status."""
    pob = facts.pob(args.get("seller"))
    query = {"pob_id": pob["pob_id"], "limit": 5000}
    for key, param in (("event_type", "event_type"), ("status", "status")):
        if key in args:
            query[param] = args[key]
    entity = args.get("order") or args.get("entity")
    if entity:
        query["entity_id"] = entity
    rows = facts.control.get(f"/erp/postings?{urlencode(query)}")["postings"]
    what = "ERP postings " + " ".join(f"{k}={args[k]}" for k in ("event_type", "order", "entity", "status")
                                      if k in args)
    seen = f"{len(rows)}" + (f": {'; '.join(_brief(p) for p in rows[:6])}" if rows else "")
    out = []
    if "count" in args and len(rows) != args["count"]:
        out.append((what, f"exactly {args['count']}", seen))
    if "min" in args and len(rows) < args["min"]:
        out.append((what, f"at least {args['min']}", seen))
    if "max" in args and len(rows) > args["max"]:
        out.append((what, f"at most {args['max']}", seen))
    if "attempts" in args:
        wrong = [p for p in rows if p["attempts"] != args["attempts"]]
        if wrong or not rows:
            out.append((what + ": attempts each", args["attempts"], seen))
    if "min_attempts" in args:
        wrong = [p for p in rows if p["attempts"] < args["min_attempts"]]
        if wrong or not rows:
            out.append((what + ": attempts each", f"at least {args['min_attempts']}", seen))
    if "max_attempts" in args:
        wrong = [p for p in rows if p["attempts"] > args["max_attempts"]]
        if wrong:
            out.append((what + ": attempts each", f"at most {args['max_attempts']}", seen))
    if "answered" in args:
        # How the ERP answered the last attempt of each posting: the ERP's own behaviour (seed 002: 200).
        wrong = [p for p in rows if not p.get("log") or not _answered_ok(p["log"][-1].get("status"), args["answered"])]
        if wrong or not rows:
            out.append((what + ": the ERP's answer to the last attempt", args["answered"], seen))
    return out


def _rsi_number(args: dict, facts) -> str | None:
    if "id" in args:
        return args["id"]
    return facts.control.get(f"/returns/{args['return']}").get("rsi_number") or None


def rsi(args: dict, facts) -> list[tuple[str, Any, Any]]:
    number = _rsi_number(args, facts)
    if number is None:
        return [(f"RSI over return {args['return']}", args["status"], "AJIO issued no RSI over it (yet)")]
    state = facts.control.get(f"/vms/rsi/{number}")
    if state["status"] != args["status"]:
        return [(f"RSI {number} status", args["status"], state["status"])]
    return []


# Faults that leave a 200 answer unreadable (docs/faults.md): an RSI such an answer named never reached the ERP.
UNREADABLE_FAULTS = frozenset({"malformed", "truncate", "empty_body", "reset"})


def _fetch_range(entry: dict) -> str:
    q = parse_qs(entry.get("query") or "")
    span = f"{q.get('rsiDateFrom', ['?'])[0]} .. {q.get('rsiDateTo', ['?'])[0]}"
    garbled = sorted({f.get("kind") for f in entry.get("faults") or []} & UNREADABLE_FAULTS)
    return f"#{entry['id']} [{span}] -> {entry['status']}" + (f" ({', '.join(garbled)}: unreadable)" if garbled else "")


def erp_rsi_fetched(args: dict, facts) -> list[tuple[str, Any, Any]]:
    """The seller's ERP fetched this RSI (seed 002 RSI Fetching): a GET /ajio-vms/rsi of its own answered 200 whose
    answer listed it (the journal files the RSI numbers an answer named as its entity ids), readable: an answer a
    fault garbled (malformed, truncated, emptied, reset) delivered nothing (vms/erp/rsi_fetch_malformed_for_a_round:
    an ERP that took such an answer for an empty range passed)."""
    pob = facts.pob(args.get("seller"))
    number = _rsi_number(args, facts)
    what = f"the ERP of {pob['pob_id']} fetched RSI " + (number or f"over return {args.get('return')}")
    if number is None:
        return [(what, "fetched, answered 200", "AJIO issued no RSI over that return (yet)")]
    fetches = [e for e in facts.entries(pob["pob_id"], args.get("since"))
               if e["method"] == "GET" and e["path"] == "/ajio-vms/rsi"]
    if any(e["status"] == 200 and number in (e.get("entity_ids") or [])
           and not {f.get("kind") for f in e.get("faults") or []} & UNREADABLE_FAULTS for e in fetches):
        return []
    state = facts.control.get(f"/vms/rsi/{number}")
    seen = f"{len(fetches)} fetch(es)" + (f": {', '.join(_fetch_range(e) for e in fetches[-6:])}" if fetches else "")
    return [(what, f"a GET /ajio-vms/rsi answered 200 listing it (createdAt {state.get('createdAt')})", seen)]


def vms_return_qc(args: dict, state: dict) -> list[tuple[str, Any, Any]]:
    """qc_status / qc_reasons of a VMS return: what QC shared with AJIO, per unit PASS or FAIL (seed 002)."""
    out = []
    qcs = [i.get("qc") for i in state["return_order_items"] if i.get("qc")]
    if "qc_status" in args:
        got = sorted({s for qc in qcs for s, key in (("PASS", "passed"), ("FAIL", "failed")) if qc.get(key)})
        if got != sorted(set(args["qc_status"])):
            out.append((f"return {state['return_order_id']} QC shared", sorted(set(args["qc_status"])),
                        got or "no QC shared"))
    if "qc_reasons" in args:
        got = sorted({r for qc in qcs for r in qc.get("qcReasons") or []})
        if got != sorted(set(args["qc_reasons"])):
            out.append((f"return {state['return_order_id']} QC FAIL reasons", sorted(set(args["qc_reasons"])),
                        got or "none"))
    return out


CHECKS = {"erp_postings": erp_postings, "rsi": rsi, "erp_rsi_fetched": erp_rsi_fetched}
