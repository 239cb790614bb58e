"""The request journal: every AJIO-facing request and its answer, as the connector sent and got it."""
from __future__ import annotations

from sqlalchemy import insert, select

from simulator.store import journal, journal_entities

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


_INSERT = insert(journal)  # once per request: a prebuilt statement, the values passed as parameters
_INSERT_ENTITY = insert(journal_entities)


def record(conn, *, at: int, pob_id: str | None, method: str, path: str, query: str, status: int,
           duration_ms: int, request_body: str | None, response_body: str | None, entity_ids: list[str],
           limit: int, violations: list | None = None, faults: list | None = None) -> None:
    ids = sorted(set(entity_ids))
    result = conn.execute(_INSERT, dict(
        at=at, pob_id=pob_id, method=method, path=path, query=query or None, status=status,
        duration_ms=duration_ms, request_body=_clip(redact(request_body), limit),
        response_body=_clip(redact_tokens(response_body), limit), entity_ids=ids or None,
        violations=violations or None, faults=faults or None))
    if ids:
        journal_id = result.inserted_primary_key[0]
        conn.execute(_INSERT_ENTITY, [{"entity_id": e, "journal_id": journal_id} for e in ids])


def entries(conn, *, pob_id: str | None = None, path: str | None = None, since: int | None = None,
            entity_id: str | None = None, after_id: int | None = None, limit: int = 200,
            violations: bool | None = None) -> list[dict]:
    stmt = select(journal)
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
