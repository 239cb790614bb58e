"""Expectations: what a scenario checks after the connector ran, each failing with expected, actual and rule."""
from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from contracts.faults import SPOILED_BODY
from contracts.faults import json_subset as _subset
from harness import vms_checks
from harness.journal import answer, violation_rule
from harness.model import Failure
from harness.world import Control, StepFailed


@dataclass
class Facts:
    """What expectations may look at: the control plane, resolved references, the connector's runs, and
    the journal as the runner holds it (harness/journal.py): entries after a mark, the runs' spans."""
    control: Control
    pob: Callable[[str | None], dict]            # seller name (None: the connector's) -> POB record
    last_exit: Callable[[], int | None]
    journal_of: Callable[[str, str | None], list[dict]] | None = None   # (pob_id, since mark) -> entries
    spans_of: Callable[[str], list] | None = None                      # pob_id -> RunSpans of its runs
    sellers_of: Callable[[], dict] | None = None                       # seller name -> POB record
    anonymous_of: Callable[[], list[dict]] | None = None               # ERP-layer calls naming no seller

    def entries(self, pob_id: str, since: str | None = None) -> list[dict]:
        if self.journal_of is None:
            return self.control.journal(pob_id)
        return self.journal_of(pob_id, since)

    def spans(self, pob_id: str) -> list:
        return self.spans_of(pob_id) if self.spans_of else []

    def sellers(self) -> dict:
        return self.sellers_of() if self.sellers_of else {}

    def anonymous_erp_calls(self) -> list[dict]:
        """Calls to AJIO's ERP layer (/ajio-vms) that named no seller (no or an unknown authUsername): the journal
        files them under no POB, so no seller's expectations see them. Only an ERP under test makes such calls."""
        return self.anonymous_of() if self.anonymous_of else []


def _norm_path(entry: dict) -> str:
    return entry["path"]


def matches(entry: dict, m: dict) -> bool:
    if "method" in m and entry["method"].upper() != str(m["method"]).upper():
        return False
    if not fnmatch.fnmatchcase(_norm_path(entry), m["path"]):
        return False
    if "query" in m and str(m["query"]) not in (entry.get("query") or ""):
        return False
    if "status" in m and not _status_ok(entry["status"], m["status"]):
        return False
    if "fault" in m and not any(f.get("kind") == m["fault"] and not f.get("skipped")
                                for f in entry.get("faults") or []):
        return False
    if "refused_by" in m and _refusal_rule(entry) != m["refused_by"]:
        return False
    if "body" in m:
        _whole(entry, "request_body", m)
        try:
            sent = json.loads(entry.get("request_body") or "null")
        except ValueError:
            return False
        if not _subset(m["body"], sent):
            return False
    if {"error_code", "rule_id", "response"} & set(m):
        _whole(entry, "response_body", m)
        got = answer(entry)
        for key in ("error_code", "rule_id"):
            if key in m and not (isinstance(got, dict) and got.get(key) == m[key]):
                return False
        if "response" in m and not _subset(m["response"], got):
            return False
    return True


CLIPPED = re.compile(r"\.\.\. \[\d+ more characters\]$")


def _whole(entry: dict, key: str, m: dict) -> None:
    """A body the journal clipped (simulator/journal.py: journal_body_limit) cannot be matched: not matching it
    would fail a correct connector where a call must be seen, and pass anything where it must not. Say so."""
    text = entry.get(key)
    if text and CLIPPED.search(text):
        side = "answer" if key == "response_body" else "request body"
        raise StepFailed(f"cannot judge {describe_match(m)}: the journal kept only part of the {side} of "
                         f"#{entry.get('id')} {entry['method']} {entry['path']} (journal_body_limit); run the "
                         f"scenario on the harness's own server, which keeps whole bodies when a scenario matches "
                         f"on them, or raise the limit of the server given with --base-url")


def _refusal_rule(entry: dict) -> str | None:
    """The rulebook id AJIO's error body named (`rule_id`), if the answer was a refusal that named one."""
    if entry["status"] < 400:
        return None
    try:
        body = json.loads(entry.get("response_body") or "null")
    except ValueError:
        return None
    return body.get("rule_id") if isinstance(body, dict) else None


def _status_ok(status: int, want: Any) -> bool:
    if isinstance(want, list):
        return any(_status_ok(status, w) for w in want)
    if isinstance(want, str) and len(want) == 3 and want.endswith("xx"):
        return str(status)[0] == want[0]
    return status == want


def describe_match(m: dict) -> str:
    text = f"{m.get('method', '*')} {m['path']}"
    if "query" in m:
        text += f"?…{m['query']}…"
    if "body" in m:
        text += f" with body ⊇ {json.dumps(m['body'])}"
    if "status" in m:
        text += f" answered {m['status']}"
    if "fault" in m:
        text += f" hit by a {m['fault']} fault"
    for key in ("error_code", "rule_id"):
        if key in m:
            text += f" ({key} {m[key]})"
    if "response" in m:
        text += f" answering ⊇ {json.dumps(m['response'])}"
    if "refused_by" in m:
        text += f" refused by {m['refused_by']}"
    return text


def _brief(entry: dict) -> str:
    q = f"?{entry['query']}" if entry.get("query") else ""
    return f"#{entry['id']} {entry['method']} {entry['path']}{q} -> {entry['status']}"


def _quantities(state: dict) -> dict:
    lines = state["lines"]
    if state.get("model") == "jit":  # a PO: no acknowledgement and no customer; the seller cancels
        ordered = sum(l["quantity"] for l in lines)
        cancelled = sum(l["cancelled_quantity"] for l in lines)
        return {"ordered": ordered, "confirmed": ordered - cancelled, "customer_cancelled": 0,
                "seller_cancelled": cancelled, "open": ordered - cancelled}
    total = {"ordered": sum(l["ordered_quantity"] for l in lines),
             "confirmed": sum(l.get("confirmed_quantity") or 0 for l in lines),
             "customer_cancelled": sum(l["customer_cancelled_qty"] for l in lines),
             "seller_cancelled": sum(l["seller_cancelled_qty"] for l in lines),
             "invoiced": sum(l.get("invoiced_quantity") or 0 for l in lines)}
    total["open"] = total["ordered"] - total["customer_cancelled"] - total["seller_cancelled"] - sum(
        l.get("seller_short_picked_qty", 0) for l in lines)
    return total


def check(kind: str, args: dict, facts: Facts) -> list[tuple]:
    """(what, expected, actual[, rule the offending requests broke]) for every broken part of one expectation;
    empty when it holds."""
    return CHECKS[kind](args, facts)


def _order(args: dict, facts: Facts):
    state = facts.control.get(f"/orders/{args['id']}")
    out = []
    tracking = state.get("tracking") or {}
    state = {**state, "shipment_status": tracking.get("shipment_status"),
             "delivery_attempts": tracking.get("delivery_attempts", 0), "sla_breached": bool(state.get("sla_breached")),
             "cancelled_by": state.get("cancelled_by")}
    if "po_available" in args:  # VMS: PO availability is a flag, not a status (API.md)
        state["po_available"] = state.get("po") is not None
    for key in ("status", "ajio_status", "on_hold", "shipment_status", "delivery_attempts", "sla_breached",
                "cancelled_by", "po_available"):
        if key in args and state[key] != args[key]:
            out.append((f"order {args['id']} {key}", args[key],
                        f"{state[key]} (timeline: {' -> '.join(t['to'] for t in state['timeline'])})"))
    if "quantities" in args:
        q = _quantities(state)
        wrong = {k: q[k] for k, v in args["quantities"].items() if q[k] != v}
        if wrong:
            out.append((f"order {args['id']} quantities", args["quantities"], q))
    if "boxes" in args:  # a JIT PO's boxes by status (prefetched labels unused at pack are void)
        boxes = state.get("boxes") or []
        got = {"count": len(boxes), **{k: sum(1 for b in boxes if str(b.get("status")).lower() == k)
                                       for k in ("packed", "prefetched", "void")}}
        if any(got[k] != v for k, v in args["boxes"].items()):
            out.append((f"PO {args['id']} boxes", args["boxes"],
                        f"{got}: {[(b.get('box_id'), b.get('status')) for b in boxes][:8]}"))
    return out


def _orders(args: dict, facts: Facts):
    pob = facts.pob(args.get("seller"))
    rows = facts.control.all_orders(pob["pob_id"])
    out = []
    if "count" in args and len(rows) != args["count"]:
        out.append((f"number of orders of {pob['pob_id']}", args["count"], len(rows)))
    wrong = [r for r in rows if r["status"] != args["status"]]
    if wrong:
        by: dict[str, int] = {}
        for r in wrong:
            by[r["status"]] = by.get(r["status"], 0) + 1
        out.append((f"every order of {pob['pob_id']} {args['status']}", f"{len(rows)} {args['status']}",
                    f"{len(wrong)} of {len(rows)} not: {by} (e.g. {wrong[0]['order_id']})"))
    return out


def _return(args: dict, facts: Facts):
    state = facts.control.get(f"/returns/{args['id']}")
    out = []
    if "status" in args and state["status"] != args["status"]:
        out.append((f"return {args['id']} status", args["status"],
                    f"{state['status']} (timeline: {' -> '.join(t['to'] for t in state['timeline'])})"))
    if "credit_note" in args and (state["credit_note"] is not None) != args["credit_note"]:
        out.append((f"return {args['id']} credit note issued", args["credit_note"], state["credit_note"] is not None))
    if "qc_codes" in args:
        got = sorted({e["qc_code"] for item in state["return_order_items"] for e in _qc_entries(item.get("qc"))})
        if got != sorted(set(args["qc_codes"])):
            out.append((f"return {args['id']} QC codes recorded", sorted(set(args["qc_codes"])),
                        got or "no QC recorded"))
    return out + vms_checks.vms_return_qc(args, state)


def _qc_entries(qc: Any) -> list[dict]:
    """The simulator records QC per return item as {"good": n, "bad": n, "missing": n, "reasons": ...}."""
    if not qc:
        return []
    return [{"qc_code": code, "quantity": qc.get(code.lower(), 0)} for code in ("GOOD", "BAD", "MISSING")
            if qc.get(code.lower(), 0) > 0]


def _returns(args: dict, facts: Facts):
    pob = facts.pob(args.get("seller"))
    if "order" in args:
        rets = facts.control.get(f"/orders/{args['order']}")["returns"]
    else:
        rets = [r for o in facts.control.all_orders(pob["pob_id"])
                for r in facts.control.get(f"/orders/{o['order_id']}")["returns"]]
    if "return_type" in args:
        rets = [r for r in rets if r["return_type"] == args["return_type"]]
    if "status" in args:
        rets = [r for r in rets if r["return_status"] == args["status"]]
    if len(rets) != args["count"]:
        what = " ".join(f"{k}={args[k]}" for k in ("order", "return_type", "status") if k in args) or "all"
        return [(f"number of returns ({what})", args["count"],
                 f"{len(rets)}: {[(r['return_order_id'], r['return_type'], r['return_status']) for r in rets]}")]
    return []


def _documents_fetched(args: dict, facts: Facts):
    if "orders" in args:   # every order of a list (e.g. a captured `as:`): the failures of the first few
        ids = args["orders"] if isinstance(args["orders"], list) else [args["orders"]]
        reads: dict[str, tuple] = {}   # one pass over a POB's journal for all its orders, not one per order
        broken = [(oid, f) for oid in ids for f in _documents_of(args, facts, f"/orders/{oid}", oid, reads)]
        if broken:
            shown = "; ".join(f"{oid}: {actual}" for oid, (_, _, actual) in broken[:5])
            return [(f"documents of {len(ids)} orders fetched (GET /documents/{{id}} -> 200)"
                     + (f", at most {args['max_each']} time(s) each" if "max_each" in args else ""),
                     args["kinds"], f"{len(broken)} order(s) not as expected; {shown}")]
        return []
    if "order" in args:
        return _documents_of(args, facts, f"/orders/{args['order']}", args["order"])
    return _documents_of(args, facts, f"/returns/{args['return']}", args["return"])


def _document_reads(journal: list[dict]) -> tuple[dict[str, int], list[str]]:
    """From a POB's journal: how often each document was downloaded (GET /documents/{id} -> 200), and the
    answers of the manifests AJIO took (a dispatch's or VMS manifest's 200 body), oldest first."""
    times: dict[str, int] = {}
    manifests: list[str] = []
    for e in journal:
        if e["status"] != 200:
            continue
        if e["method"] == "GET" and e["path"].startswith("/documents/"):
            if any(f.get("kind") in SPOILED_BODY for f in e.get("faults") or []):
                continue  # a 200 whose PDF a fault emptied, cut or garbled: the document did not arrive
            doc_id = e["path"].rsplit("/", 1)[-1]
            times[doc_id] = times.get(doc_id, 0) + 1
        elif (fnmatch.fnmatchcase(e["path"], "/*/orders/dispatch") or e["path"] == "/vms/manifests") \
                and e["response_body"]:
            manifests.append(e["response_body"])
    return times, manifests


def _documents_of(args: dict, facts: Facts, control_path: str, entity: str,
                  reads: dict[str, tuple] | None = None) -> list[tuple]:
    state = facts.control.get(control_path)
    pob_id = state["pob_id"]
    reads = {} if reads is None else reads
    if pob_id not in reads:
        reads[pob_id] = _document_reads(facts.entries(pob_id))
    times, manifests = reads[pob_id]
    docs: dict[str, set[str]] = {}
    for d in state["documents"]:
        docs.setdefault(d["kind"], set()).add(d["document_id"])
    manifest_kinds = {"manifest", "jit_manifest"} & set(args["kinds"])
    if manifest_kinds and state.get("manifest_id"):
        # The manifest belongs to the manifest, not the order: its id comes from the dispatch answer.
        for body in manifests:
            if state["manifest_id"] in body:
                url = json.loads(body).get("manifestUrl", "")
                docs.setdefault(manifest_kinds.pop(), set()).add(url.rstrip("/").rsplit("/", 1)[-1])
                break
    missing = [k for k in args["kinds"] if not docs.get(k) or not docs[k] <= set(times)]
    if missing:
        return [(f"documents of {entity} fetched (GET /documents/{{id}} -> 200)", args["kinds"],
                 f"not fetched: {missing}; issued: {sorted(docs)}")]
    if "max_each" in args:  # the other side: a document is kept, not downloaded again at every sync
        again = {f"{k} {d}": times[d] for k in args["kinds"] for d in docs[k] if times[d] > args["max_each"]}
        if again:
            return [(f"documents of {entity} fetched at most {args['max_each']} time(s) each", args["kinds"],
                     f"fetched more often: {again}")]
    return []


def _inventory(args: dict, facts: Facts):
    pob = facts.pob(args.get("seller"))
    listed = facts.control.get(f"/sellers/{pob['pob_id']}/inventory")["inventory"]
    if pob.get("model") == "jit":  # AJIO's JIT view: last push, less packed units, plus drift
        rows = facts.control.get(f"/jit/inventory?pob_id={pob['pob_id']}")["inventory"]
        inv = {r["sku"]: r["ajio_quantity"] for r in rows}
    else:
        inv = {r["sku"]: r["quantity"] for r in listed}
    if args.get("published_only"):  # only the SKUs AJIO shows (Dropship: published; JIT: approved)
        shown = {r["sku"] for r in listed if r.get("published_status") == "PUBLISHED"}
        inv = {sku: q for sku, q in inv.items() if sku in shown}
    want = {sku: args["all"] for sku in inv} if "all" in args else {}
    want.update(args.get("skus", {}))
    wrong = {sku: inv.get(sku) for sku, q in want.items() if inv.get(sku) != q}
    if wrong:
        sample = dict(list(wrong.items())[:5])
        expected = f"all {len(inv)} SKUs at {args['all']}" if "all" in args else args["skus"]
        return [(f"AJIO's stock of {pob['pob_id']}", expected,
                 f"{len(wrong)} SKU(s) differ, e.g. {sample}")]
    return []


def _request(args: dict, facts: Facts):
    pob = facts.pob(args.get("seller"))
    journal = facts.entries(pob["pob_id"], args.get("since"))
    hits = [e for e in journal if matches(e, args)]
    what = f"requests {describe_match(args)} by {pob['pob_id']}"
    seen = f"{len(hits)}" + (f": {', '.join(_brief(e) for e in hits[:6])}" if hits else "")
    if "made" in args:
        if args["made"] and not hits:
            near = [e for e in journal if fnmatch.fnmatchcase(e["path"], args["path"])]
            return [(what, "at least one", "none" + (f" (same path: {', '.join(_brief(e) for e in near[:6])})"
                                                     if near else ""))]
        if not args["made"] and hits:
            return [(what, "none", seen)]
        return []
    if "count" in args and len(hits) != args["count"]:
        return [(what, f"exactly {args['count']}", seen)]
    if "min" in args and len(hits) < args["min"]:
        return [(what, f"at least {args['min']}", seen)]
    if "max" in args and len(hits) > args["max"]:
        return [(what, f"at most {args['max']}", seen)]
    if not ({"count", "min", "max"} & set(args)) and not hits:
        return [(what, "at least one", "none")]
    return []


def _requests_in_order(args: dict, facts: Facts):
    pob = facts.pob(args.get("seller"))
    journal = facts.entries(pob["pob_id"], args.get("since"))
    firsts = []
    for m in args["requests"]:
        hit = next((e for e in journal if matches(e, m)), None)
        if hit is None:
            return [(f"request {describe_match(m)}", "made (in order)", "never made")]
        firsts.append((m, hit))
    for (m1, e1), (m2, e2) in zip(firsts, firsts[1:]):
        if e1["id"] > e2["id"]:
            return [("order of requests", f"{describe_match(m1)} before {describe_match(m2)}",
                     f"{_brief(e2)} came before {_brief(e1)}")]
    return []


def _no_violations(args: dict, facts: Facts):
    pob = facts.pob(args.get("seller"))
    bad = [e for e in facts.entries(pob["pob_id"], args.get("since")) if e.get("violations")]
    if bad:
        first = bad[0]
        return [(f"contract violations in requests of {pob['pob_id']}", "none",
                 f"{len(bad)}; first {_brief(first)}: {json.dumps(first['violations'])[:400]}",
                 violation_rule(first))]
    return []


def _connector_exit(args: dict, facts: Facts):
    code = facts.last_exit()
    if code != args["code"]:
        return [("the connector's last exit code", args["code"], code)]
    return []


CHECKS = {"order": _order, "orders": _orders, "return": _return, "returns": _returns,
          "documents_fetched": _documents_fetched, "inventory": _inventory, "request": _request,
          "requests_in_order": _requests_in_order, "no_violations": _no_violations,
          "connector_exit": _connector_exit, **vms_checks.CHECKS}


# The catch-all an expectation may name: a failure whose offending requests name a rule of their own names
# theirs instead. A contract violation always names the rule it broke (`no_violations`: its `rule:` says
# what the scenario proves with it, e.g. VMS-DOCUMENT-DATE; a violation of another rule names that one).
CATCH_ALL = ("API-CONTRACT",)
FOUND_WINS = ("no_violations",)


def _named(kind: str, own: str | None, found: str | None) -> str | None:
    if found and (own is None or own in CATCH_ALL or kind in FOUND_WINS):
        return found
    return own


def evaluate(expectations: list[dict], facts: Facts, step_label: str, default_rule: str) -> list[Failure]:
    """Every broken part of every expectation; each names its rule id: the expectation's own `rule:`, else the
    rule the offending requests broke (a check about refusals, contract violations, repeats or logins knows
    it; it also wins over the catch-all API-CONTRACT, and always for `no_violations`), else the scenario's first."""
    failures = []
    for n, exp in enumerate(expectations, 1):
        own = exp["rule"] if isinstance(exp["rule"], str) else (exp["rule"] or [None])[0]
        for what, expected, actual, *found in check(exp["kind"], exp["args"], facts):
            failures.append(Failure(step=f"{step_label} expectation {n} ({exp['kind']})", what=what,
                                    expected=expected, actual=actual,
                                    rule_id=_named(exp["kind"], own, found[0] if found else None) or default_rule,
                                    note=exp.get("note")))
    return failures
