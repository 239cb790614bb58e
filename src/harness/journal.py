"""The scenario's view of the journal: each POB's requests fetched once, incrementally, and where runs and marks begin.

The journal is append-only, so the harness keeps what it read and asks only for entries after the last id
it holds (`GET /_sim/journal?pob_id=&after_id=`): expectations, implicit checks and the causes of a
failure all read the same copy. Connector runs and `mark:` steps record the last id per POB when they
happen, which is how a check tells one sync from the next (`since: MARK`, one login per run).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PAGE = 5000


@dataclass(slots=True)
class RunSpan:
    """The journal entries of one POB that one connector run (or one daemon's life) produced: ids in (first, last]."""
    pob_id: str
    first: int          # the last id before the run started (exclusive)
    last: int | None    # the last id when it ended (None while a daemon still runs)
    daemon: bool = False
    step: str = ""

    def holds(self, entry_id: int) -> bool:
        return entry_id > self.first and (self.last is None or entry_id <= self.last)


class JournalCache:
    def __init__(self, control) -> None:
        self.control = control
        self._entries: dict[str, list[dict]] = {}

    def entries(self, pob_id: str) -> list[dict]:
        """Every journal entry of the POB so far, oldest first (fetching only what is new)."""
        held = self._entries.setdefault(pob_id, [])
        after = held[-1]["id"] if held else 0
        while True:
            page = self.control.get(f"/journal?pob_id={pob_id}&after_id={after}&limit={PAGE}")["entries"]
            held.extend(page)
            if len(page) < PAGE:
                return held
            after = page[-1]["id"]

    def position(self, pob_id: str) -> int:
        """The id of the POB's latest entry (0 when none): where the next run or mark starts."""
        held = self.entries(pob_id)
        return held[-1]["id"] if held else 0

    def cached(self) -> dict[str, list[dict]]:
        """What was read so far, without asking the server (it may be what failed)."""
        return self._entries


def answer(entry: dict) -> Any:
    """The JSON answer of a journal entry, or None (no body, a PDF, or a body the journal clipped)."""
    text = entry.get("response_body")
    if not text or text[:1] not in "{[":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def sent(entry: dict) -> Any:
    text = entry.get("request_body")
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def violation_rule(entry: dict) -> str:
    """The rule a request's journalled contract violations break: the one they name (an accepted request the
    simulator marked, e.g. VMS-DOCUMENT-DATE), Retry-After ignored, the rule its refusal names, or the
    contract itself."""
    marks = entry.get("violations") or []
    named = [v["rule_id"] for v in marks if isinstance(v, dict) and v.get("rule_id")]
    if named:
        return named[0]
    if any(isinstance(v, dict) and v.get("field") == "Retry-After" for v in marks):
        return "API-THROTTLE-RETRY-AFTER"
    body = answer(entry) if (entry.get("status") or 0) >= 400 else None
    if isinstance(body, dict) and isinstance(body.get("rule_id"), str):  # refused naming its rule
        return body["rule_id"]
    return "API-CONTRACT"
