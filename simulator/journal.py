"""The request journal: every AJIO-facing request and its answer, as the connector sent and got it."""
from __future__ import annotations

import hashlib

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from simulator.store import journal, journal_bodies, journal_entities, prebuilt

_REDACT = ("password", "authPassword")
# Live credentials in answers: the journal keeps a recognisable prefix, never a usable token.
_TOKENS = ("accessToken", "refreshToken")


def _clip(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f"... [{len(text) - limit} more characters]"


def redact(text: str | None) -> str | None:
    """Passwords never land in the journal; the rest of the body stays as sent."""
    if not text or not any(key in text for key in _REDACT):
        return text
    try:
        import json
        body = json.loads(text)
    except ValueError:
        return text
    if isinstance(body, dict):
        for key in _REDACT:
            if key in body:
                body[key] = "***"
        return json.dumps(body)
    return text


def redact_tokens(text: str | None) -> str | None:
    if not text or "accessToken" not in text:
        return text
    try:
        import json
        body = json.loads(text)
    except ValueError:
        return text
    result = body.get("result") if isinstance(body, dict) else None
    if isinstance(result, dict):
        for key in _TOKENS:
            if isinstance(result.get(key), str):
                result[key] = result[key][:6] + "..."
        return json.dumps(body)
    return text


_INSERT = prebuilt(insert(journal))  # once per request: built once, the values passed as parameters
_INSERT_ENTITY = prebuilt(insert(journal_entities))
# An answer at least this long is stored once per distinct text (journal_bodies, keyed by its hash):
# a pendency page polled a thousand times unchanged is one 18 KB row, not a thousand (issue 22).
SHARED_BODY = 1024
_INSERT_BODY = {name: prebuilt(ins(journal_bodies).on_conflict_do_nothing(index_elements=[journal_bodies.c.hash]))
                for name, ins in (("sqlite", sqlite_insert), ("postgresql", pg_insert))}

# What every reader selects: the journal's columns in their order, with a shared answer read back into
# response_body, so /_sim/journal and the dashboard show exactly what was recorded.
ENTRY_COLUMNS = [func.coalesce(journal.c.response_body, journal_bodies.c.body).label("response_body")
                 if c.name == "response_body" else c for c in journal.c if c.name != "response_ref"]
_ENTRY_FROM = journal.outerjoin(journal_bodies, journal_bodies.c.hash == journal.c.response_ref)


def select_entries():
    """select(journal) as readers need it: the shared answers joined back (add where/order/limit)."""
    return select(*ENTRY_COLUMNS).select_from(_ENTRY_FROM)


class Entry:
    """One journal row ready to insert: bodies redacted and clipped, a long answer split off by hash.
    `statements` says how many it takes (a single one needs no transaction: simulator/fast/lean.py)."""

    __slots__ = ("row", "body", "ids")

    def __init__(self, *, at: int, pob_id: str | None, method: str, path: str, query: str, status: int,
                 duration_ms: int, request_body: str | None, response_body: str | None, entity_ids: list[str],
                 limit: int, violations: list | None = None, faults: list | None = None) -> None:
        self.ids = sorted(set(entity_ids))
        answer, ref, self.body = _clip(redact_tokens(response_body), limit), None, None
        if answer is not None and len(answer) >= SHARED_BODY:
            ref = hashlib.blake2b(answer.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
            self.body, answer = {"hash": ref, "body": answer}, None
        self.row = dict(at=at, pob_id=pob_id, method=method, path=path, query=query or None, status=status,
                        duration_ms=duration_ms, request_body=_clip(redact(request_body), limit),
                        response_body=answer, entity_ids=self.ids or None, violations=violations or None,
                        faults=faults or None, response_ref=ref)

    @property
    def statements(self) -> int:
        return 1 + (self.body is not None) + bool(self.ids)

    def insert(self, conn) -> None:
        if self.body is not None:  # the text once; a later identical answer finds it there
            conn.execute(_INSERT_BODY[conn.dialect.name], self.body)
        result = conn.execute(_INSERT, self.row)
        if self.ids:
            journal_id = result.inserted_primary_key[0]
            conn.execute(_INSERT_ENTITY, [{"entity_id": e, "journal_id": journal_id} for e in self.ids])


def record(conn, **entry) -> None:
    """Insert one journal row (the keywords of Entry)."""
    Entry(**entry).insert(conn)


def entries(conn, *, pob_id: str | None = None, path: str | None = None, since: int | None = None,
            entity_id: str | None = None, after_id: int | None = None, limit: int = 200,
            violations: bool | None = None) -> list[dict]:
    stmt = select_entries()
    if pob_id:
        stmt = stmt.where(journal.c.pob_id == pob_id)
    if path:
        stmt = stmt.where(journal.c.path.like(path.replace("*", "%")))
    if since is not None:
        stmt = stmt.where(journal.c.at >= since)
    if after_id is not None:
        stmt = stmt.where(journal.c.id > after_id)
    if entity_id:
        stmt = stmt.where(journal.c.id.in_(select(journal_entities.c.journal_id)
                                           .where(journal_entities.c.entity_id == entity_id)))
    if violations is None:
        rows = conn.execute(stmt.order_by(journal.c.id).limit(limit)).mappings().all()
        return [dict(r) for r in rows]
    rows = conn.execute(stmt.order_by(journal.c.id).limit(100_000)).mappings().all()
    # A JSON column stores None as JSON null on some engines: test the value, not SQL NULL.
    return [dict(r) for r in rows if bool(r["violations"]) == violations][:limit]
