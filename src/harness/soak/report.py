"""What a soak reports: one summary (the JSON report), read by the console, JUnit and HTML reporters.

Each violation kept in full carries the order's timeline (the world's transitions and what the soak did
to it), the connector's requests about it (the simulator's journal, `?entity_id=`) and the command that
replays the soak up to its first violation.
"""
from __future__ import annotations

import json
import shlex
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from contracts import rulebook
from harness.soak.engine import SoakResult
from harness.soak.world import _iso

EXPLAINED = 25        # violations that get a timeline and the connector's requests
REQUESTS_SHOWN = 30


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def latencies(result: SoakResult) -> dict:
    """Per placement day: p50, p95 and max hours from order to acknowledgement (a JIT PO: to its pack), and
    from order to manifest."""
    cfg = result.cfg
    first = "packed" if cfg.model == "jit" else "acknowledged"
    ack: dict[int, list[float]] = {}
    ship: dict[int, list[float]] = {}
    for order in result.world.orders.values():
        day = (order.placed_at - cfg.start) // 86400 + 1
        if first in order.stamps:
            ack.setdefault(day, []).append((order.stamps[first] - order.placed_at) / 3600)
        if "manifested" in order.stamps:
            ship.setdefault(day, []).append((order.stamps["manifested"] - order.placed_at) / 3600)

    def rows(by_day):
        return [{"day": d, "n": len(v), "p50": _pct(v, 0.5), "p95": _pct(v, 0.95), "max": max(v)}
                for d, v in sorted(by_day.items())]
    ack_sla = cfg.vms_ack_hold + cfg.vms_ack_within if cfg.model == "vms" else cfg.ack_sla  # VMS: hold, then soon
    return {"ack": rows(ack), "ship": rows(ship), "ack_sla_h": ack_sla / 3600, "dispatch_sla_h": cfg.dispatch_sla / 3600,
            "first_step": first}


def _requests_about(result: SoakResult, order_id: str) -> list[str]:
    """The journal's requests that touched the order, and those naming it in their path (a refused call
    changed nothing, so only its path links it to the order)."""
    control, pob = result.world.control, result.world.pob_id
    try:
        touched = control.get(f"/journal?entity_id={order_id}&limit={REQUESTS_SHOWN}")["entries"]
        named = control.get(f"/journal?pob_id={pob}&path=*{order_id}*&limit={REQUESTS_SHOWN}")["entries"]
    except Exception as exc:  # the server may be what failed: say so instead of hiding the violation
        return [f"(journal not readable: {exc})"]
    entries = sorted({e["id"]: e for e in touched + named}.values(), key=lambda e: e["id"])[:REQUESTS_SHOWN]
    out = []
    for e in entries:
        q = f"?{e['query']}" if e.get("query") else ""
        out.append(f"{_iso(e['at'])} {e['method']} {e['path']}{q} -> {e['status']}")
    return out


def _timeline(result: SoakResult, order_id: str) -> list[str]:
    order = result.world.orders.get(order_id)
    if order is None:
        return []
    lines = [f"{_iso(at)} {frm or '-'} -> {to} ({cause})" for at, frm, to, cause in order.timeline]
    for rid in order.returns:
        ret = result.world.returns.get(rid)
        if ret is not None:
            lines += [f"{_iso(at)} return {rid} {stamp}" for stamp, at in sorted(ret.stamps.items(), key=lambda x: x[1])]
    return sorted(lines) + [f"soak: {n}" for n in order.notes]


def summary(result: SoakResult) -> dict:
    cfg, checker, world = result.cfg, result.checker, result.world
    first = checker.first
    replay = None
    if first is not None:
        replay = f"{result.replay} --until-tick {first.tick}"
    invariants = []
    explained = 0
    for inv in checker.invariants:
        tally = checker.tally[inv.key]
        kept = []
        for v in tally.kept:
            d = v.as_dict()
            d["at_iso"] = _iso(v.at)
            d["rule"] = rulebook.rule(v.rule_id).text() if rulebook.is_rule(v.rule_id) else None
            if v.order_id and explained < EXPLAINED:
                explained += 1
                d["timeline"] = _timeline(result, v.order_id)
                d["requests"] = _requests_about(result, v.order_id)
            kept.append(d)
        invariants.append({"key": inv.key, "title": inv.title, "rules": list(inv.rules), "checks": tally.checks,
                           "violations": tally.violations, "ok": tally.violations == 0,
                           "violated_rules": sorted({v.rule_id for v in tally.kept}), "kept": kept})
    cancelled_by = Counter(o.cancelled_by for o in world.orders.values() if o.status == "CANCELLED")
    hours = [{"tick": t.tick, "at": t.at, "calls": t.calls, "refusals": t.refusals, "throttled": t.throttled,
              "failures": t.failures, "connector_s": round(t.connector_wall_s, 4), "server_s": round(t.server_s, 4)}
             for t in result.ticks]
    faults = Counter((f["kind"], f.get("applied", 0) > 0) for f in result.fault_log if f["kind"] != "stockout")
    return {
        "ok": result.ok, "verdict": "PASS" if result.ok else "FAIL", "error": result.error,
        "connector": result.connector, "config": cfg.as_dict(), "replay_command": replay,
        "command": result.replay, "stopped_at_tick": result.stopped_at_tick, "ticks": len(result.ticks),
        "simulated": {"from": cfg.start, "to": result.end_at, "from_iso": _iso(cfg.start), "to_iso": _iso(result.end_at)},
        "world": {"pob_id": world.pob_id, "skus": len(world.skus), "orders": len(world.orders),
                  "returns": len(world.returns),
                  "orders_by_status": dict(Counter(o.status for o in world.orders.values())),
                  "cancelled_by": {str(k): v for k, v in cancelled_by.items()},
                  "customer_cancels": dict(sorted(world.customer_cancels.items())),
                  "returns_by_type": dict(Counter(r.return_type for r in world.returns.values())),
                  "returns_by_status": dict(Counter(r.status for r in world.returns.values())),
                  "unexpected_rto_parcels": len(world.unexpected_rto),
                  "stockouts": sum(1 for f in result.fault_log if f["kind"] == "stockout"),
                  **({"orders_not_picked_whole": len(world.missing), "rsis": len(world.rsis),
                      "rsis_accepted": sum(1 for r in world.rsis.values() if r["accepted"] is not None)}
                     if cfg.model == "vms" else {})},
        "faults": [{"kind": k, "applied": applied, "count": n} for (k, applied), n in sorted(faults.items())],
        "invariants": invariants, "violations": checker.total,
        "first_violation": None if first is None else {**first.as_dict(), "at_iso": _iso(first.at)},
        "days": [{**d, "returns": dict(d["returns"])} for d in result.days], "hours": hours,
        "latency": latencies(result), "timing": result.timing.as_dict(),
        "connector_runs": result.runs,
    }


def write_reports(result: SoakResult, *, html: str | None, json_path: str | None, junit: str | None) -> dict:
    doc = summary(result)
    if json_path:
        _write(json_path, json.dumps(doc, indent=1, default=str))
    if junit:
        _write(junit, junit_xml(doc))
    if html:
        from harness.soak.html import render
        _write(html, render(doc))
    return doc


def _write(path: str, text: str) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def junit_xml(doc: dict) -> str:
    """One testsuite, one testcase per invariant: a violated invariant is a failure listing its violations."""
    invs = doc["invariants"]
    failed = sum(not i["ok"] for i in invs)
    suite = ET.Element("testsuite", name="ajio-sim soak", tests=str(len(invs)), failures=str(failed),
                       errors="1" if doc["error"] else "0", skipped="0", time=f"{doc['timing']['total_s']:.3f}")
    props = ET.SubElement(suite, "properties")
    for name, value in (("connector", doc["connector"]), ("command", doc["command"]),
                        ("replay", doc["replay_command"] or "")):
        ET.SubElement(props, "property", name=f"ajio-sim.soak.{name}", value=value)
    for inv in invs:
        case = ET.SubElement(suite, "testcase", name=f"{inv['key']}: {inv['title']}", classname="ajio-sim.soak",
                             time="0")
        if not inv["ok"]:
            first = inv["kept"][0] if inv["kept"] else {}
            node = ET.SubElement(case, "failure", type="invariant",
                                 message=f"{inv['violations']} violation(s); first: {first.get('rule_id')} "
                                         f"{first.get('what', '')}"[:500])
            node.text = "\n\n".join(_violation_text(v) for v in inv["kept"][:20]) + (
                f"\n\nreplay: {doc['replay_command']}" if doc["replay_command"] else "")
    if doc["error"]:
        case = ET.SubElement(suite, "testcase", name="soak run", classname="ajio-sim.soak", time="0")
        ET.SubElement(case, "error", type="error", message=doc["error"][:500]).text = doc["error"]
    root = ET.Element("testsuites", tests=suite.get("tests"), failures=suite.get("failures"),
                      errors=suite.get("errors"), time=suite.get("time"))
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _violation_text(v: dict) -> str:
    lines = [f"[{v['rule_id']}] tick {v['tick']} ({v.get('at_iso')}): {v['what']}",
             f"    expected: {v['expected']}", f"    actual:   {v['actual']}"]
    if v.get("rule"):
        lines.append(f"    rule:     {v['rule']}")
    for t in v.get("timeline", [])[:20]:
        lines.append(f"    timeline: {t}")
    for r in v.get("requests", [])[:REQUESTS_SHOWN]:
        lines.append(f"    request:  {r}")
    return "\n".join(lines)


def console(doc: dict) -> str:
    cfg = doc["config"]
    w = doc["world"]
    out = [f"ajio-sim soak: {cfg['days']} day(s) x {cfg['orders_per_day']} orders, seed {cfg['seed']}, profile "
           f"{cfg['profile']}, {doc['ticks']} ticks ({doc['simulated']['from_iso']} .. {doc['simulated']['to_iso']})",
           f"  connector: {doc['connector']}",
           f"  world: {w['orders']} orders {w['orders_by_status']}, {w['returns']} returns {w['returns_by_type']}"]
    out.append("  invariants:")
    for inv in doc["invariants"]:
        mark = "ok  " if inv["ok"] else "FAIL"
        rules = ", ".join(inv["violated_rules"] or inv["rules"])
        out.append(f"    {mark} {inv['key']:<18} {inv['checks']:>7} checks {inv['violations']:>5} violation(s)  [{rules}]")
    shown = 0
    for inv in doc["invariants"]:
        for v in inv["kept"]:
            if shown >= 10:
                break
            shown += 1
            out.append("")
            out.append(_violation_text({**v, "timeline": v.get("timeline", [])[:8], "requests": v.get("requests", [])[:8]}))
    t = doc["timing"]
    out.append("")
    out.append(f"  time: {t['total_s']} s wall; connector runs {t['connector_wall_s']} s, of which the simulator "
               f"answering it {t['simulator_serving_connector_s']} s; world events, feed and clock "
               f"{t['simulator_world_s']} s; setup {t['setup_s']} s; harness checks {t['harness_other_s']} s")
    if doc["error"]:
        out.append(f"  ERROR: {doc['error']}")
    for run in doc["connector_runs"][:3]:
        out.append(f"  connector exit {run['exit_code']} at tick {run['tick']}:\n" +
                   "\n".join("    " + line for line in run["output_tail"].splitlines()[-15:]))
    out.append(f"soak {doc['verdict']}: {doc['violations']} violation(s)"
               + (f"; stopped after tick {doc['stopped_at_tick']}" if doc["stopped_at_tick"] is not None else ""))
    if doc["replay_command"]:
        out.append(f"replay up to the first violation: {doc['replay_command']}")
    return "\n".join(out)


__all__ = ["summary", "write_reports", "console", "junit_xml", "shlex"]
