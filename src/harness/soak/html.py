"""The soak's HTML report: one self-contained file (inline CSS and SVG, no script, no CDN) with the verdict,
the invariant table, charts of the simulated month and every kept violation with its order's story."""
from __future__ import annotations

import html
import json
import math

from harness.soak.world import _iso

STATUS_COLOURS = {"CREATED": "#9e9e9e", "CONFIRMED": "#64b5f6", "INVOICED": "#1e88e5", "PACKED": "#3949ab",
                  "READY_TO_DISPATCH": "#8e24aa", "DISPATCHED": "#fb8c00", "DELIVERED": "#43a047", "RTO": "#6d4c41",
                  "CANCELLED": "#e53935"}
CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1180px;
color:#212121;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e0e0e0;padding-bottom:4px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.PASS{background:#2e7d32}.FAIL{background:#c62828}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{background:#fff3f3}code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f7f7f7;padding:8px;overflow-x:auto;white-space:pre-wrap}
.muted{color:#757575}.legend span{display:inline-block;margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
svg{display:block;margin:6px 0 2px}svg text{font:11px system-ui,sans-serif;fill:#424242}
details{margin:6px 0;border:1px solid #eee;border-radius:4px;padding:4px 8px}summary{cursor:pointer}
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


class Chart:
    """A plot area with a y axis from 0 to y_max and an x axis over n slots; emits SVG text."""

    def __init__(self, chart_id: str, title: str, n: int, y_max: float, *, width: int = 1100, height: int = 230,
                 y_label: str = "") -> None:
        self.id, self.n = chart_id, max(1, n)
        self.w, self.h = width, height
        self.left, self.right, self.top, self.bottom = 52, 12, 22, 30
        self.y_max = _nice_max(y_max)
        self.parts: list[str] = [f'<text x="{self.left}" y="14" font-weight="600">{_e(title)}</text>']
        self._axes(y_label)

    @property
    def plot_w(self) -> float:
        return self.w - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.h - self.top - self.bottom

    def x(self, i: float) -> float:
        return self.left + self.plot_w * i / self.n

    def y(self, v: float) -> float:
        return self.top + self.plot_h * (1 - min(v, self.y_max) / self.y_max)

    def _axes(self, y_label: str) -> None:
        for k in range(5):
            v = self.y_max * k / 4
            y = self.y(v)
            self.parts.append(f'<line x1="{self.left}" x2="{self.w - self.right}" y1="{y:.1f}" y2="{y:.1f}" '
                              f'stroke="#eee"/><text x="{self.left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
        if y_label:
            self.parts.append(f'<text x="12" y="{self.top + self.plot_h / 2:.0f}" transform="rotate(-90 12 '
                              f'{self.top + self.plot_h / 2:.0f})" text-anchor="middle">{_e(y_label)}</text>')

    def x_labels(self, labels: list[tuple[int, str]]) -> None:
        for i, text in labels:
            self.parts.append(f'<text x="{self.x(i + 0.5):.1f}" y="{self.h - 10}" text-anchor="middle">{_e(text)}</text>')

    def bar(self, i: int, bottom: float, value: float, colour: str, tip: str, cls: str) -> None:
        if value <= 0:
            return
        x0, x1 = self.x(i), self.x(i + 1)
        gap = min(2.0, (x1 - x0) * 0.15)
        y1, y0 = self.y(bottom + value), self.y(bottom)
        self.parts.append(f'<rect class="{cls}" x="{x0 + gap:.1f}" y="{y1:.1f}" width="{max(0.6, x1 - x0 - 2 * gap):.1f}" '
                          f'height="{max(0.0, y0 - y1):.1f}" fill="{colour}"><title>{_e(tip)}</title></rect>')

    def line(self, values: list[float | None], colour: str, cls: str, dash: str = "") -> None:
        points = [f"{self.x(i + 0.5):.1f},{self.y(v):.1f}" for i, v in enumerate(values) if v is not None]
        if points:
            self.parts.append(f'<polyline class="{cls}" points="{" ".join(points)}" fill="none" stroke="{colour}" '
                              f'stroke-width="1.6"{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')

    def hline(self, value: float, colour: str, label: str, cls: str) -> None:
        y = self.y(value)
        self.parts.append(f'<line class="{cls}" x1="{self.left}" x2="{self.w - self.right}" y1="{y:.1f}" y2="{y:.1f}" '
                          f'stroke="{colour}" stroke-dasharray="6 4"/><text x="{self.w - self.right - 4}" '
                          f'y="{y - 4:.1f}" text-anchor="end" fill="{colour}">{_e(label)}</text>')

    def svg(self) -> str:
        return (f'<svg id="{self.id}" class="chart" width="{self.w}" height="{self.h}" viewBox="0 0 {self.w} {self.h}" '
                f'xmlns="http://www.w3.org/2000/svg" role="img">{"".join(self.parts)}</svg>')


def _legend(items: list[tuple[str, str]]) -> str:
    spans = "".join(f'<span><i style="background:{c}"></i>{_e(n)}</span>' for n, c in items)
    return f'<div class="legend">{spans}</div>'


def states_chart(doc: dict) -> str:
    days = doc["days"]
    top = max((sum(d["by_status"].values()) for d in days), default=1)
    chart = Chart("chart-states", "Orders by state at the end of each simulated day", len(days), top, y_label="orders")
    for i, d in enumerate(days):
        bottom = 0
        for status, colour in STATUS_COLOURS.items():
            n = d["by_status"].get(status, 0)
            chart.bar(i, bottom, n, colour, f"day {d['day']}: {n} {status}", f"bar-{status}")
            bottom += n
    step = max(1, len(days) // 15)
    chart.x_labels([(i, f"day {d['day']}") for i, d in enumerate(days) if i % step == 0])
    return chart.svg() + _legend(list(STATUS_COLOURS.items()))


def calls_chart(doc: dict) -> str:
    hours = doc["hours"]
    n = len(hours)
    top = max((h["calls"] for h in hours), default=1)
    chart = Chart("chart-calls", "Connector calls per tick (simulated hour or settling step)", n, top, y_label="calls")
    for i, h in enumerate(hours):
        chart.bar(i, 0, h["calls"], "#90a4ae", f"{_iso(h['at'])}: {h['calls']} calls", "bar-calls")
    labels = [(i, _iso(h["at"])[5:10]) for i, h in enumerate(hours) if i % max(1, n // 12) == 0]
    chart.x_labels(labels)
    worst = max((max(h["refusals"], h["throttled"], h["failures"]) for h in hours), default=0)
    bad = Chart("chart-refusals", "Refusals (4xx), throttled calls (429) and failed calls (5xx, resets, spoiled answers) "
                "per tick", n, max(1, worst), height=170, y_label="calls")
    bad.line([h["refusals"] for h in hours], "#c62828", "line-refusals")
    bad.line([h["throttled"] for h in hours], "#ef6c00", "line-throttled")
    bad.line([h["failures"] for h in hours], "#6a1b9a", "line-failures")
    bad.x_labels(labels)
    return (chart.svg() + bad.svg() +
            _legend([("refusals", "#c62828"), ("429 throttled", "#ef6c00"), ("failed in transit", "#6a1b9a")]))


def latency_chart(doc: dict, key: str, chart_id: str, title: str, sla_h: float) -> str:
    rows = doc["latency"][key]
    top = max([sla_h] + [r["max"] for r in rows])
    chart = Chart(chart_id, title, len(rows), top * 1.1, height=200, y_label="hours")
    chart.line([r["p50"] for r in rows], "#1e88e5", "line-p50")
    chart.line([r["p95"] for r in rows], "#8e24aa", "line-p95")
    chart.line([r["max"] for r in rows], "#e53935", "line-max", dash="2 3")
    chart.hline(sla_h, "#2e7d32", f"SLA {sla_h:g} h", "line-sla")
    step = max(1, len(rows) // 15)
    chart.x_labels([(i, f"day {r['day']}") for i, r in enumerate(rows) if i % step == 0])
    return chart.svg() + _legend([("median", "#1e88e5"), ("95th percentile", "#8e24aa"), ("slowest", "#e53935"),
                                  ("SLA", "#2e7d32")])


def time_chart(doc: dict) -> str:
    t = doc["timing"]
    parts = [("connector's own work", t["connector_own_s"], "#1e88e5"),
             ("simulator answering the connector", t["simulator_serving_connector_s"], "#fb8c00"),
             ("simulator: world events, feed, clock", t["simulator_world_s"], "#8e24aa"),
             ("setup", t["setup_s"], "#9e9e9e"), ("harness: checks, bookkeeping", t["harness_other_s"], "#bdbdbd")]
    total = sum(p[1] for p in parts) or 1
    x, rects = 0.0, []
    for name, value, colour in parts:
        w = 1000 * value / total
        rects.append(f'<rect class="time-part" x="{x:.1f}" y="0" width="{w:.1f}" height="26" fill="{colour}">'
                     f'<title>{_e(name)}: {value:g} s</title></rect>')
        x += w
    svg = f'<svg id="chart-time" width="1000" height="26" viewBox="0 0 1000 26">{"".join(rects)}</svg>'
    return svg + _legend([(f"{n}: {v:g} s", c) for n, v, c in parts])


def _invariant_table(doc: dict) -> str:
    rows = []
    for inv in doc["invariants"]:
        rules = ", ".join(inv["violated_rules"] or inv["rules"])
        rows.append(f'<tr class="{"ok" if inv["ok"] else "bad"}"><td>{"ok" if inv["ok"] else "<b>FAIL</b>"}</td>'
                    f'<td><code>{_e(inv["key"])}</code><br><span class="muted">{_e(inv["title"])}</span></td>'
                    f'<td><code>{_e(rules)}</code></td><td class="n">{inv["checks"]}</td>'
                    f'<td class="n">{inv["violations"]}</td></tr>')
    return ('<table id="invariants"><tr><th></th><th>invariant</th><th>rule ids</th><th>checks</th><th>violations</th>'
            '</tr>' + "".join(rows) + "</table>")


def _violations(doc: dict) -> str:
    out = []
    for inv in doc["invariants"]:
        for v in inv["kept"]:
            body = [f"<b>expected:</b> {_e(v['expected'])}<br><b>actual:</b> {_e(v['actual'])}"]
            if v.get("rule"):
                body.append(f'<p class="muted">{_e(v["rule"])}</p>')
            if v.get("timeline"):
                body.append("<b>timeline</b><pre>" + _e("\n".join(v["timeline"])) + "</pre>")
            if v.get("requests"):
                body.append("<b>the connector's requests about it</b><pre>" + _e("\n".join(v["requests"])) + "</pre>")
            out.append(f'<details class="violation"><summary><code>{_e(v["rule_id"])}</code> tick {v["tick"]} '
                       f'({_e(v["at_iso"])}): {_e(v["what"])}</summary>{"".join(body)}</details>')
    more = doc["violations"] - len(out)
    return "".join(out) + (f'<p class="muted">and {more} more (counted, not kept)</p>' if more > 0 else "")


def render(doc: dict) -> str:
    cfg, w = doc["config"], doc["world"]
    verdict = doc["verdict"]
    replay = (f'<p>Replay up to the first violation:</p><pre id="replay">{_e(doc["replay_command"])}</pre>'
              if doc["replay_command"] else "")
    error = f'<p class="verdict FAIL">error: {_e(doc["error"])}</p>' if doc["error"] else ""
    faults = ", ".join(f"{f['count']} {f['kind']}{'' if f['applied'] else ' (never struck)'}" for f in doc["faults"])
    lat, timing = doc["latency"], doc["timing"]
    sections = [
        f"<h1>ajio-sim soak <span class='verdict {verdict}' id='verdict'>{verdict}</span></h1>",
        f"<p>{cfg['days']} simulated day(s) x {cfg['orders_per_day']} orders a day, seed {cfg['seed']}, profile "
        f"<b>{_e(cfg['profile'])}</b>, {doc['ticks']} ticks from {_e(doc['simulated']['from_iso'])} to "
        f"{_e(doc['simulated']['to_iso'])}.<br>Connector: <code>{_e(doc['connector'])}</code><br>"
        f"World: {w['orders']} orders ({_e(json.dumps(w['orders_by_status']))}), cancelled by "
        f"{_e(json.dumps(w['cancelled_by']))}; {w['returns']} returns ({_e(json.dumps(w['returns_by_type']))}); "
        f"{w['unexpected_rto_parcels']} parcel(s) back without AJIO's RTO; {w['stockouts']} stock loss(es); "
        f"AJIO's bad moments: {_e(faults or 'none')}.</p>",
        error, f"<p><b>{doc['violations']} violation(s).</b></p>", replay,
        "<h2>Invariants</h2>", _invariant_table(doc),
        "<h2>Orders by state</h2>", states_chart(doc),
        "<h2>Connector calls</h2>", calls_chart(doc),
        "<h2>Against the SLAs</h2>",
        latency_chart(doc, "ack", "chart-ack", f"Order placed -> {lat.get('first_step', 'acknowledged')} (hours), "
                      "by day the order was placed", lat["ack_sla_h"]),
        latency_chart(doc, "ship", "chart-ship", "Order placed -> manifested (hours), by day the order was placed",
                      lat["dispatch_sla_h"]),
        "<h2>Where the time went</h2>", time_chart(doc),
        f'<p class="muted">Wall clock {timing["total_s"]} s. Connector CPU {timing["connector_cpu_s"]} s; '
        f'simulator CPU answering it {timing["simulator_serving_connector_cpu_s"]} s.</p>',
        "<h2>Violations</h2>", _violations(doc) or "<p>None.</p>",
        "<h2>Settings</h2>", f"<pre>{_e(json.dumps(cfg, indent=1))}</pre>",
    ]
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>ajio-sim soak: {verdict}</title>"
            f"<style>{CSS}</style></head><body>{''.join(sections)}</body></html>")
