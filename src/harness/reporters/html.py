"""The HTML report (`ajio-sim run --html FILE`): one self-contained file, no CDN, readable offline.

A row per scenario (its rules, duration, verdict); for each failure or error a section with what was
expected and what happened, the rule broken (its rulebook id, statement and quoted source), the connector's
refused requests and the order timelines (gathered by the runner, harness/forensics.py), the
connector's output tail, and the command that re-runs it.
"""
from __future__ import annotations

import shlex
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any

from contracts import rulebook
from harness import catalogue
from harness import events as ev
from harness.model import ScenarioResult

IST = timezone(timedelta(hours=5, minutes=30))
VERDICT = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}
OUTPUT_CHARS = 4000

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d232a;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;padding-top:8px;border-top:2px solid #d0d7de}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border:1px solid #d0d7de;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f3f5f7}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;white-space:pre-wrap;word-break:break-word;margin:4px 0;
font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.meta{color:#57606a}.file{color:#57606a;font-size:12px}.num{text-align:right;white-space:nowrap}
.verdict{font-weight:700;padding:1px 6px;border-radius:4px;white-space:nowrap}
.passed .verdict{background:#dafbe1;color:#116329}.failed .verdict{background:#ffebe9;color:#a40e26}
.error .verdict{background:#fbefff;color:#6e2c91}
.summary.ok{color:#116329}.summary.bad{color:#a40e26}.ruleid{font-family:ui-monospace,monospace;font-weight:600}
.source{color:#57606a;font-size:12px;margin-top:2px}.note{color:#57606a;margin-top:4px}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _when(epoch: Any) -> str:
    try:
        return datetime.fromtimestamp(int(epoch), IST).strftime("%Y-%m-%d %H:%M:%S IST")
    except (TypeError, ValueError, OverflowError, OSError):
        return _e(epoch)


def _rule_ids(obj: Any) -> list[str]:
    """The rulebook ids an object names: a scenario's `rules`, a failure's `rule_id`."""
    one = getattr(obj, "rule_id", None)
    return [str(i) for i in ([one] if one else []) + list(getattr(obj, "rules", None) or [])]


def _rule_cell(ids: list[str], fallback: str | None, source: bool = False) -> str:
    """Each rule as its id and statement (and, for a failure, its quoted source); plain text without ids."""
    parts = []
    for rid in ids:
        try:
            r = rulebook.rule(rid)
        except rulebook.RulebookError:  # an id the rulebook lacks is shown as it is, never hidden
            parts.append(f'<div><span class="ruleid">{_e(rid)}</span></div>')
            continue
        cite = f'<div class="source">{_e(r.source.citation())}</div>' if source else ""
        parts.append(f'<div><span class="ruleid">{_e(r.id)}</span> {_e(r.statement)}{cite}</div>')
    return "".join(parts) or _e(fallback or "") or "&nbsp;"


def _mode(r: ScenarioResult) -> str:
    """A scenario replayed from a recording (run --replay) never passes for a live run."""
    return " REPLAY" if getattr(r, "mode", "live") == "replay" else ""


def _connector_option(description: str) -> str:
    """The `ajio-sim run` option that names the same connector as the adapter's description."""
    for prefix, option in (("command: ", "--connector-cmd"), ("HTTP trigger: POST ", "--connector-http"),
                           ("Python callable: ", "--connector-python")):
        if description.startswith(prefix):
            return f"{option} {shlex.quote(description[len(prefix):])}"
    return "--connector-cmd '...'"


def replay_command(r: ScenarioResult, connector: str, server: str) -> str:
    """The command that re-runs this one scenario: its file (or the bundled catalogue and its file name),
    the same connector and, when the run used one, the same server. Seed and start are in the file."""
    path = r.scenario.path
    name = catalogue.catalogue_of(path)
    if name:
        target = f"--catalogue {name} -k {shlex.quote(catalogue.relative(path))}"
    else:
        try:
            shown = str(Path(path).resolve().relative_to(Path.cwd()))
        except ValueError:
            shown = path
        target = shlex.quote(shown)
    cmd = f"ajio-sim run {target} {_connector_option(connector)}"
    if getattr(r, "mode", "live") == "replay" and getattr(r, "recording", None):
        cmd += f" --replay {shlex.quote(r.recording)}"
    elif server.startswith("http"):
        cmd += f" --base-url {shlex.quote(server)}"
    return cmd


class HtmlReporter:
    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.connector = ""
        self.server = ""

    def handle(self, event) -> None:
        if isinstance(event, ev.RunStarted):
            self.connector, self.server = event.connector, event.server
        elif isinstance(event, ev.RunDone):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(self.render(event), encoding="utf-8")

    # -- the page ---------------------------------------------------------------------------
    def render(self, done: ev.RunDone) -> str:
        counts = {s: sum(r.status == s for r in done.results) for s in ("passed", "failed", "error")}
        summary = f"{counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors"
        rows = "".join(self._row(n, r) for n, r in enumerate(done.results, 1))
        details = "".join(self._details(n, r) for n, r in enumerate(done.results, 1) if not r.passed)
        generated = datetime.now(IST).strftime("%Y-%m-%d %H:%M:%S IST")
        return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>ajio-sim run: {_e(summary)}</title><style>{_CSS}</style></head><body>\n"
                f"<h1>ajio-sim run</h1>\n"
                f'<p id="summary" class="summary {"ok" if done.ok else "bad"}"><strong>{_e(summary)}</strong> '
                f"in {done.duration_s:.1f} s</p>\n"
                f'<p class="meta">connector: <code>{_e(self.connector)}</code><br>server: {_e(self.server)}<br>'
                f"written {generated}</p>\n"
                f'<table id="results"><thead><tr><th>#</th><th>scenario</th><th>rule</th><th>duration</th>'
                f"<th>verdict</th></tr></thead><tbody>\n{rows}</tbody></table>\n{details}</body></html>\n")

    def _row(self, n: int, r: ScenarioResult) -> str:
        name = _e(r.scenario.name)
        link = name if r.passed else f'<a href="#scenario-{n}">{name}</a>'
        return (f'<tr id="row-{n}" class="{r.status}"><td class="num">{n}</td><td>{link}'
                f'<div class="file">{_e(catalogue.relative(r.scenario.path))}</div></td>'
                f"<td>{_rule_cell(_rule_ids(r.scenario), r.scenario.rule)}</td>"
                f'<td class="num">{r.duration_s:.1f} s</td>'
                f'<td><span class="verdict">{VERDICT.get(r.status, r.status.upper())}{_mode(r)}</span></td></tr>\n')

    def _details(self, n: int, r: ScenarioResult) -> str:
        s = r.scenario
        replay = r.replay or {}
        parts = [f'<section id="scenario-{n}" class="{r.status}">',
                 f'<h2><span class="verdict">{VERDICT.get(r.status, r.status)}</span> {_e(s.name)}</h2>',
                 f'<div class="meta">file {_e(s.path)}<br>proves: {_rule_cell(_rule_ids(s), s.rule)}'
                 + (f"{_e(s.description)}" if s.description else "") + "</div>"]
        if r.failures:
            parts.append("<h3>Expectations broken</h3><table class=\"failures\"><thead><tr><th>step</th><th>what</th>"
                         "<th>expected</th><th>actual</th><th>rule</th></tr></thead><tbody>")
            for f in r.failures:
                note = f'<div class="note">note: {_e(f.note)}</div>' if getattr(f, "note", None) else ""
                parts.append(f"<tr><td>{_e(f.step)}</td><td>{_e(f.what)}{note}</td><td><pre>{_e(f.expected)}</pre></td>"
                             f"<td><pre>{_e(f.actual)}</pre></td>"
                             f"<td>{_rule_cell(_rule_ids(f), None if _rule_ids(f) else f.rule, True)}</td></tr>")
            parts.append("</tbody></table>")
        if r.error:
            parts.append(f'<h3>Error</h3><pre class="error-text">{_e(r.error)}</pre>')
        parts.append(self._refused(replay))
        parts.append(self._timelines(replay))
        parts.append(self._connector_runs(r))
        parts.append("<h3>Replay</h3>" + self._replay(r, replay))
        parts.append("</section>\n")
        return "".join(parts)

    @staticmethod
    def _refused(replay: dict) -> str:
        refused = replay.get("refused")
        if refused is None:
            return ""
        if not refused:
            return "<h3>Refused requests</h3><p>none: AJIO refused no request of the connector.</p>"
        rows = "".join(
            f"<tr><td class=\"num\">{_e(e.get('id'))}</td><td>{_when(e.get('at'))}</td><td>{_e(e.get('pob_id'))}</td>"
            f"<td><code>{_e(e.get('method'))} {_e(e.get('path'))}{'?' + _e(e['query']) if e.get('query') else ''}"
            f"</code></td><td class=\"num\">{_e(e.get('status'))}</td><td><pre>{_e(e.get('response_body'))}</pre>"
            + "".join(f"<div>violation {_e(v.get('field'))}: {_e(v.get('message'))}</div>"
                      for v in e.get("violations") or [] if isinstance(v, dict))
            + (f"<div>faults: {_e(e.get('faults'))}</div>" if e.get("faults") else "")
            + (f"<details><summary>request body</summary><pre>{_e(e.get('request_body'))}</pre></details>"
               if e.get("request_body") else "")
            + "</td></tr>" for e in refused)
        return ("<h3>Refused requests</h3><table class=\"refused\"><thead><tr><th>#</th><th>at (simulated)</th>"
                f"<th>POB</th><th>request</th><th>status</th><th>answer</th></tr></thead><tbody>{rows}</tbody></table>")

    @staticmethod
    def _timelines(replay: dict) -> str:
        block = replay.get("orders")
        if not block:
            return ""
        orders = block.get("orders") or []
        if not orders:
            return "<h3>Order timelines</h3><p>no orders in this scenario's world.</p>"
        out = ["<h3>Order timelines</h3>"]
        for o in orders:
            shown = str(o.get("status")) + (f" (AJIO shows {o['ajio_status']})"
                                       if o.get("ajio_status") not in (None, o.get("status")) else "")
            rows = "".join(f"<tr><td>{_when(t.get('at'))}</td><td>{_e(t.get('from') or '')}</td><td>{_e(t.get('to'))}"
                           f"</td><td>{_e(t.get('cause'))}</td></tr>" for t in o.get("timeline") or [])
            out.append(f'<table class="timeline" data-order="{_e(o.get("order_id"))}"><caption style="text-align:left">'
                       f"<strong>{_e(o.get('order_id'))}</strong> {_e(shown)} (POB {_e(o.get('pob_id'))})</caption>"
                       f"<thead><tr><th>at (simulated)</th><th>from</th><th>to</th><th>cause</th></tr></thead>"
                       f"<tbody>{rows}</tbody></table>")
        if block.get("more"):
            out.append(f"<p>{block['more']} more order(s) not shown.</p>")
        return "".join(out)

    @staticmethod
    def _connector_runs(r: ScenarioResult) -> str:
        if not r.connector_runs:
            return "<h3>Connector output</h3><p>the connector did not run.</p>"
        out = ["<h3>Connector output</h3>"]
        for run in r.connector_runs:
            tail = run.output_tail[-OUTPUT_CHARS:]
            out.append(f"<div class=\"run\"><strong>{_e(run.step)}</strong> as {_e(run.seller)}: exit "
                       f"{_e(run.exit_code)} in {run.duration_s:.2f} s{' (daemon)' if run.daemon else ''}"
                       + (f'<p class="kill">{_e(run.kill)}</p>' if run.kill else "")  # kill_at: where, or not reached
                       + f"<pre>{_e(tail) or '(no output)'}</pre></div>")
        return "".join(out)

    def _replay(self, r: ScenarioResult, replay: dict) -> str:
        clock = replay.get("clock") or {}
        facts = [f"seed {_e(replay.get('seed', r.scenario.seed))}",
                 f"start {_when(replay.get('start', r.scenario.start))}"]
        if clock.get("now") is not None:
            facts.append(f"simulated clock at the end {_when(clock['now'])}")
        if replay.get("sellers"):
            facts.append("sellers " + ", ".join(f"{_e(k)} = {_e(v)}" for k, v in replay["sellers"].items()))
        if replay.get("replay_error"):
            facts.append(f"(could not read the world after the failure: {_e(replay['replay_error'])})")
        return (f'<pre class="replay">{_e(replay_command(r, self.connector, self.server))}</pre>'
                f'<p class="meta">{"; ".join(facts)}. The same seed and start give the same ids and data; '
                "the JSON report (--json) carries the journal excerpt.</p>")
