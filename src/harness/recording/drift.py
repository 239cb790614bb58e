"""`ajio-sim drift`: where a recording of real AJIO traffic disagrees with the simulator's contract.

Every recorded exchange is looked up by method and path template in the OpenAPI document the simulator
serves; its status must be documented, and its answer is compared with that status's schema. Findings
are grouped by operation, kind, place and wording, counted, and kept with the first example. A baseline
(a previous JSON report, or a hand-written list) accepts drift a team knows about."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.recording.contract import Contract, Difference, Op, Walker
from harness.recording.har import Exchange, is_json_mime

KINDS = {
    "unknown_operation": "a method and path our contract does not have",
    "undocumented_status": "a status code our contract does not list for the operation",
    "extra_field": "a field in AJIO's answer that ours does not have",
    "missing_field": "a field our answer always has that AJIO's lacks",
    "type": "a value of another JSON type (numbers as strings, ...)",
    "format": "the same type in another format (epoch vs ISO dates, ms vs s, URLs)",
    "enum": "a value our contract does not list",
    "nullable": "null where ours never is",
    "error_shape": "an error answer in another shape than ours",
    "content_type": "an answer of another media type (not JSON where ours is)",
}


@dataclass(slots=True)
class Finding:
    operation: str      # operationId, or "METHOD /path/{id}" for an unknown one
    method: str
    path: str           # the operation's template (or the normalised recorded path)
    kind: str
    where: str
    detail: str
    count: int = 0
    example: str = ""
    accepted: bool = False

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.operation, self.kind, self.where, self.detail

    def as_json(self) -> dict:
        return {"operation": self.operation, "method": self.method, "path": self.path, "kind": self.kind,
                "where": self.where, "detail": self.detail, "count": self.count, "example": self.example,
                "accepted": self.accepted}


@dataclass
class Report:
    source: str
    source_kind: str
    contract: str
    exchanges: int = 0
    checked: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    unchecked_bodies: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    never_seen: dict[str, list[str]] = field(default_factory=dict)   # operation -> properties
    baseline: str | None = None
    stale_baseline: list[dict] = field(default_factory=list)

    @property
    def drift(self) -> list[Finding]:
        return [f for f in self.findings if not f.accepted]

    @property
    def ok(self) -> bool:
        return not self.drift

    def as_json(self) -> dict:
        return {"ok": self.ok, "source": self.source, "source_kind": self.source_kind, "contract": self.contract,
                "exchanges": self.exchanges, "checked": self.checked, "skipped": self.skipped,
                "unchecked_bodies": self.unchecked_bodies,
                "summary": {"drift": len(self.drift), "accepted": sum(f.accepted for f in self.findings),
                            "by_kind": _count_by(self.drift, "kind")},
                "drift": [f.as_json() for f in self.findings if not f.accepted],
                "accepted": [f.as_json() for f in self.findings if f.accepted],
                "never_seen": self.never_seen,
                "baseline": {"file": self.baseline, "stale": self.stale_baseline} if self.baseline else None}


def _count_by(items: list[Finding], attr: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in items:
        out[getattr(f, attr)] = out.get(getattr(f, attr), 0) + f.count
    return out


def parse_path_map(items: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        src, sep, dst = item.partition("=")
        if not sep or not src.startswith("/") or (dst and not dst.startswith("/")):
            raise ValueError(f"--path-map {item!r}: expected FROM=TO, both paths from '/', e.g. /ds/acme=/ds")
        out.append((src.rstrip("/"), dst.rstrip("/")))
    return out


def _mapped(path: str, path_map: list[tuple[str, str]]) -> str:
    for src, dst in path_map:
        if path == src or path.startswith(src + "/"):
            return (dst + path[len(src):]) or "/"
    return path


def _generic(path: str) -> str:
    """/ds/orders/FN123/ship -> /ds/orders/{id}/ship: unknown paths group by shape, not by id."""
    return "/".join("{id}" if any(c.isdigit() for c in seg) else seg for seg in path.split("/"))


class Checker:
    def __init__(self, contract: Contract, path_map: list[tuple[str, str]] | None = None) -> None:
        self.contract = contract
        self.path_map = path_map or []
        self._groups: dict[tuple, Finding] = {}
        self._walkers: dict[tuple[str, int], tuple[Op, Walker]] = {}
        self._missing: dict[str, set[str]] = {}

    def run(self, exchanges: list[Exchange], report: Report) -> Report:
        report.exchanges = len(exchanges)
        for ex in exchanges:
            if ex.skip:
                reason = re.sub(r"\s*\(.*\)$", "", ex.skip)
                report.skipped[reason] = report.skipped.get(reason, 0) + 1
                continue
            report.checked += 1
            self._exchange(ex, report)
        report.findings = sorted(self._groups.values(), key=lambda f: (f.operation, list(KINDS).index(f.kind), f.where))
        for (op_id, status), (op, walker) in sorted(self._walkers.items()):
            missing = self._missing.get(op_id, set())
            never = sorted(p for p in walker.declared if p not in walker.seen and p not in missing)
            if never and 200 <= status < 300:
                report.never_seen[f"{op.operation_id} {status}"] = never
        return report

    def _add(self, op_id: str, method: str, path: str, kind: str, where: str, detail: str, ex: Exchange,
             got: str = "") -> None:
        key = (op_id, kind, where, detail)
        f = self._groups.get(key)
        if f is None:
            example = ex.brief() + (f": {got}" if got else "")
            f = self._groups[key] = Finding(op_id, method, path, kind, where, detail, example=example)
        f.count += 1

    def _exchange(self, ex: Exchange, report: Report) -> None:
        path = _mapped(ex.path, self.path_map)
        op, methods = self.contract.find(ex.method, path)
        if op is None:
            generic = _generic(path)
            detail = (f"method not in our contract (ours: {', '.join(sorted(set(methods)))})" if methods
                      else "path not in our contract")
            self._add(f"{ex.method} {generic}", ex.method, generic, "unknown_operation", "", detail, ex)
            return
        responses = op.spec.get("responses") or {}
        resp = responses.get(str(ex.status))
        if resp is None:
            listed = ", ".join(sorted(responses))
            self._add(op.operation_id, op.method, op.template, "undocumented_status", str(ex.status),
                      f"status not documented (ours: {listed})", ex)
            return
        content = resp.get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        if schema is None:
            if content and ex.status < 300 and is_json_mime(ex.mime):
                ours = ", ".join(content)
                self._add(op.operation_id, op.method, op.template, "content_type", "",
                          f"JSON where ours is {ours}", ex, ex.mime)
            return
        if ex.body_note:
            report.unchecked_bodies[ex.body_note] = report.unchecked_bodies.get(ex.body_note, 0) + 1
            return
        try:
            value = json.loads(ex.response_body) if ex.response_body is not None else None
            parsed = ex.response_body is not None
        except ValueError:
            parsed = False
        if not parsed:
            what = ex.mime.split(";")[0] or "no body"
            self._add(op.operation_id, op.method, op.template, "content_type", "", f"{what} where ours is JSON", ex,
                      (ex.response_body or "")[:80])
            return
        key = (op.operation_id, ex.status)
        if key not in self._walkers:
            self._walkers[key] = (op, Walker(self.contract))
        diffs = self._walkers[key][1].compare(schema, value)
        if ex.status >= 400:
            if diffs:
                self._add(op.operation_id, op.method, op.template, "error_shape", str(ex.status),
                          _error_detail(diffs), ex, json.dumps(value, ensure_ascii=False)[:120])
            return
        for d in diffs:
            if d.kind == "missing_field":
                self._missing.setdefault(op.operation_id, set()).add(d.where)
            self._add(op.operation_id, op.method, op.template, d.kind, d.where, d.detail, ex, d.got)


def _error_detail(diffs: list[Difference]) -> str:
    """One line naming what differs in an error body, stable across examples (names, never values)."""
    parts: dict[str, list[str]] = {}
    for d in diffs:
        word = {"missing_field": "lacks", "extra_field": "extra"}.get(d.kind, d.kind)
        parts.setdefault(word, []).append(d.where or "(body)")
    return "; ".join(f"{word} {', '.join(sorted(set(names)))}" for word, names in sorted(parts.items()))


# -- baseline ------------------------------------------------------------------------------------
def load_baseline(path: str) -> list[dict]:
    """Accepted drift: a previous `--json` report (its drift and accepted lists) or a list of
    {operation, kind, where, detail?} objects."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    items = doc if isinstance(doc, list) else [*doc.get("drift", []), *doc.get("accepted", [])]
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not {"operation", "kind"} <= set(item):
            raise ValueError(f"{path}: baseline item {n} needs at least 'operation' and 'kind'")
        out.append(item)
    return out


def apply_baseline(report: Report, items: list[dict], path: str) -> None:
    report.baseline = path
    used = [False] * len(items)
    for f in report.findings:
        for n, item in enumerate(items):
            if item["operation"] == f.operation and item["kind"] == f.kind \
                    and item.get("where", f.where) == f.where and item.get("detail", f.detail) == f.detail:
                f.accepted = used[n] = True
    report.stale_baseline = [{k: item.get(k) for k in ("operation", "kind", "where", "detail") if k in item}
                             for n, item in enumerate(items) if not used[n]]


def check_file(exchanges: list[Exchange], source: str, source_kind: str, contract: Contract,
               path_map: list[tuple[str, str]] | None = None) -> Report:
    report = Report(source=source, source_kind=source_kind, contract=contract.source)
    return Checker(contract, path_map).run(exchanges, report)


def render_text(report: Report, console: Any) -> None:
    """The console table: one block per operation, a row per finding with its count and first example."""
    from rich.table import Table

    skipped = "".join(f"; {n} skipped: {why}" for why, n in report.skipped.items())
    unchecked = "".join(f"; {n} answer(s) not checked: {why}" for why, n in report.unchecked_bodies.items())
    console.print(f"ajio-sim drift: {report.source} ({report.source_kind}, {report.exchanges} exchanges, "
                  f"{report.checked} checked{skipped}{unchecked}) against {report.contract}")
    if report.findings:
        table = Table(title="drift from the contract, by operation", show_lines=False)
        for col in ("operation", "kind", "where", "what", "n", "first example"):
            table.add_column(col, overflow="fold")
        last = None
        for f in report.findings:
            known = f.kind != "unknown_operation"
            label = f"{f.operation}\n[dim]{f.method} {f.path}[/]" if known else f.operation
            name = label if f.operation != last else ""
            if f.operation != last and last is not None:
                table.add_section()
            last = f.operation
            kind = f"{f.kind} [green](accepted)[/]" if f.accepted else f"[red]{f.kind}[/]"
            table.add_row(name, kind, f.where, f.detail, str(f.count), f.example)
        console.print(table)
    for op, props in report.never_seen.items():
        shown = ", ".join(props[:8]) + (f" and {len(props) - 8} more" if len(props) > 8 else "")
        console.print(f"[dim]note: {op}: ours may send, the recording never had: {shown}[/]")
    for item in report.stale_baseline:
        console.print(f"[dim]note: baseline item no longer seen: {json.dumps(item)}[/]")
    accepted = sum(f.accepted for f in report.findings)
    if report.ok:
        console.print("[green]no drift[/]" + (f" ({accepted} accepted by the baseline)" if accepted else ""))
    else:
        n = sum(f.count for f in report.drift)
        console.print(f"[red]drift: {len(report.drift)} finding(s) over {n} occurrence(s)[/]"
                      + (f"; {accepted} accepted by the baseline" if accepted else ""))
