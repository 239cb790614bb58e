"""Recordings on disk: a HAR 1.2 writer that keeps the file valid after every entry, and one reader for HAR
files and the simulator's journal export (`GET /_sim/journal`), both turned into `Exchange`s."""
from __future__ import annotations

import base64
import json
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

HAR_VERSION = "1.2"
# Custom fields of HAR 1.2 start with "_" (spec: "Custom fields"); ours live under this key.
EXT = "_ajioSim"
_JOURNAL_PLACEHOLDER = re.compile(r"^<([\w.+-]+/[\w.+-]+) (\d+) bytes>$")
_JOURNAL_CLIP = re.compile(r"\.\.\. \[\d+ more characters\]$")


class RecordingError(ValueError):
    """A file that is neither a HAR nor a journal export, or is broken: the message says which and where."""


@dataclass(slots=True)
class Exchange:
    """One request and its answer, whatever file it came from."""
    index: int                      # 1-based position in the file (entries / journal entries)
    method: str
    path: str                       # the path AJIO was called on (what drift looks up)
    query: str
    status: int
    request_body: str | None
    response_body: str | None       # text (JSON, HTML...); None when absent, omitted or binary
    mime: str                       # the answer's media type, "" when unknown
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_bytes: bytes | None = None   # a binary answer (base64 in the HAR), for replay
    started: str = ""
    skip: str | None = None         # why the drift checker must not read this answer as AJIO's
    body_note: str | None = None    # why its body cannot be checked (omitted, cut, incomplete)
    local_path: str = ""            # as the connector called the proxy (the upstream's base path removed)

    @property
    def called(self) -> str:
        """The path the connector used: what a replay must answer."""
        return self.local_path or self.path

    def brief(self) -> str:
        q = f"?{self.query}" if self.query else ""
        return f"#{self.index} {self.method} {self.path}{q} -> {self.status}"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class HarWriter:
    """Appends entries to a HAR file that is complete and valid JSON after each one.

    The entries array is written in place: each new entry overwrites the closing `]}}` and writes it
    again after itself, so a proxy stopped at any moment (even SIGKILL between two entries) leaves a file
    every HAR tool opens, holding every exchange that finished."""

    _TRAILER = b"\n]}}\n"

    def __init__(self, path: str | Path, *, creator_version: str, upstream: str, masked: bool,
                 comment: str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.count = 0
        log = {"version": HAR_VERSION, "creator": {"name": "ajio-sim proxy", "version": creator_version},
               "comment": comment, EXT: {"upstream": upstream, "masked": masked, "started": now_iso()},
               "pages": []}
        head = json.dumps({"log": log}, ensure_ascii=False, indent=1)
        # '{"log": {...,\n "pages": []\n }\n}' -> cut the two closing braces and open "entries".
        assert head.endswith("\n }\n}")
        self._file = open(self.path, "w+b")  # noqa: SIM115 (kept open for the proxy's lifetime)
        self._file.write(head[: -len("\n }\n}")].encode() + b',\n "entries": [\n')
        self._tail = self._file.tell()
        self._file.write(self._TRAILER)
        self._file.flush()

    def add(self, entry: dict) -> None:
        data = json.dumps(entry, ensure_ascii=False).encode()
        with self._lock:
            self._file.seek(self._tail)
            self._file.write((b",\n" if self.count else b"") + data)
            self._tail = self._file.tell()
            self._file.write(self._TRAILER)
            self._file.truncate()
            self._file.flush()
            os.fsync(self._file.fileno())
            self.count += 1

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()


def har_headers(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"name": k, "value": v} for k, v in pairs]


def har_query(query: str) -> list[dict]:
    return [{"name": k, "value": v} for k, v in parse_qsl(query, keep_blank_values=True)]


def mime_of(headers: list[tuple[str, str]]) -> str:
    for k, v in headers:
        if k.lower() == "content-type":
            return v
    return ""


def is_json_mime(mime: str) -> bool:
    base = mime.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


# -- reading -------------------------------------------------------------------------------------
def load(path: str | Path) -> tuple[str, list[Exchange], dict]:
    """(kind "har" | "journal", exchanges, the recording's own metadata) of a file."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RecordingError(f"{p}: cannot be read: {exc.strerror}") from None
    except ValueError as exc:
        raise RecordingError(f"{p}: not JSON ({exc}); expected a HAR file or a journal export") from None
    if isinstance(doc, dict) and isinstance(doc.get("log"), dict):
        return "har", _from_har(p, doc["log"]), dict(doc["log"].get(EXT) or {})
    entries = doc.get("entries") if isinstance(doc, dict) else doc if isinstance(doc, list) else None
    if isinstance(entries, list):
        return "journal", _from_journal(p, entries), {}
    raise RecordingError(f"{p}: neither a HAR file ({{\"log\": {{\"entries\": [...]}}}}) nor a journal export "
                         f"({{\"entries\": [...]}} from GET /_sim/journal)")


def _base_path(upstream: str | None) -> str:
    return urlsplit(upstream).path.rstrip("/") if upstream else ""


def _from_har(p: Path, log: dict) -> list[Exchange]:
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise RecordingError(f"{p}: log.entries is missing or not a list")
    base = _base_path((log.get(EXT) or {}).get("upstream"))
    out = []
    for n, e in enumerate(entries, 1):
        try:
            out.append(_har_entry(n, e, base))
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordingError(f"{p}: entry {n} is not a HAR entry: {exc!r}") from None
    # HAR tools order entries by start; concurrent exchanges finish (and are written) in another order.
    return sorted(out, key=lambda x: x.started)


def _har_entry(n: int, e: dict, base: str) -> Exchange:
    req, resp = e["request"], e["response"]
    url = urlsplit(req["url"])
    path = local = url.path
    if base and (path == base or path.startswith(base + "/")):
        local = path[len(base):] or "/"
    content = resp.get("content") or {}
    text = content.get("text")
    raw: bytes | None = None
    if text is not None and content.get("encoding") == "base64":
        raw, text = base64.b64decode(text), None
    ext = e.get(EXT) or {}
    skip = None
    if ext.get("proxyError"):
        skip = f"answered by the proxy, not the upstream ({ext['proxyError']})"
    note = None
    if ext.get("omitted"):
        note = "body omitted from the recording (privacy)"
    elif ext.get("incomplete"):
        note = f"incomplete answer: {ext['incomplete']}"
    post = req.get("postData") or {}
    return Exchange(index=n, method=req["method"].upper(), path=path, query=url.query, status=int(resp["status"]),
                    request_body=post.get("text"), response_body=text, mime=content.get("mimeType") or "",
                    request_headers=[(h["name"], h["value"]) for h in req.get("headers", [])],
                    response_headers=[(h["name"], h["value"]) for h in resp.get("headers", [])],
                    response_bytes=raw, started=e.get("startedDateTime", ""), skip=skip, body_note=note,
                    local_path=local)


def _from_journal(p: Path, entries: list[Any]) -> list[Exchange]:
    out = []
    for n, e in enumerate(entries, 1):
        if not isinstance(e, dict) or not {"method", "path", "status"} <= set(e):
            raise RecordingError(f"{p}: journal entry {n} lacks method, path or status")
        body = e.get("response_body")
        mime, note, skip = "", None, None
        if isinstance(body, str) and (m := _JOURNAL_PLACEHOLDER.match(body)):
            mime, body = m.group(1), None
        elif isinstance(body, str) and _JOURNAL_CLIP.search(body):
            note, mime = "answer cut by the journal's body limit", "application/json"
        elif body:
            try:
                json.loads(body)
                mime = "application/json"
            except ValueError:
                mime = "text/plain"
        if str(e["path"]).startswith(("http://", "https://")):
            skip = "a posting the simulator sent to an ERP, not an AJIO answer"
        elif any(not f.get("skipped") for f in e.get("faults") or []):
            skip = "a staged fault changed this answer (" + ", ".join(f.get("kind", "?") for f in e["faults"]) + ")"
        out.append(Exchange(index=n, method=str(e["method"]).upper(), path=str(e["path"]), query=e.get("query") or "",
                            status=int(e["status"]), request_body=e.get("request_body"), response_body=body,
                            mime=mime, started=str(e.get("at", "")), skip=skip, body_note=note))
    return out
