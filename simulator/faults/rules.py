"""Fault rules as data in the store: add, list, clear, and decide which rules apply to a request."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote_plus

from sqlalchemy import delete, insert, select, update

from contracts.faults import json_subset
from simulator.errors import NotFound
from simulator.store import faults

# Which model a path belongs to by its prefix; /documents and /authToken take the POB's model.
_PREFIX_MODELS = (("/ajio-vms/", "vms"), ("/ds/", "ds"), ("/jit/", "jit"), ("/vms/", "vms"))


def glob_regex(pattern: str) -> str:
    """`*` = any run of characters inside one path segment, `**` = any run across segments."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def path_model(path: str) -> str | None:
    for prefix, model in _PREFIX_MODELS:
        if path.startswith(prefix):
            return model
    return None


@dataclass(slots=True)
class Who:
    """What a rule can match on, known before the view runs."""

    method: str
    path: str
    pob_id: str | None
    model: str | None
    body: object = None  # the request's JSON body (None when it has none or it does not parse)


@dataclass(slots=True)
class Applied:
    """A rule that applies to this request, with its own seeded random stream for its effects."""

    rule_id: int
    name: str | None
    effects: list[dict]
    rng: random.Random
    notes: list[dict] = field(default_factory=list)


def add(conn, now: int, rule: dict) -> dict:
    rule_id = conn.execute(insert(faults).values(
        created_at=now, rule=rule, hits=0, applied=0, remaining=rule.get("times"), state={})).inserted_primary_key[0]
    return get(conn, rule_id)


def view(row) -> dict:
    rule = row["rule"]
    spent = row["remaining"] is not None and row["remaining"] <= 0
    return {"id": row["id"], "name": rule.get("name"), "match": rule.get("match", {}), "effects": rule["effects"],
            "times": rule.get("times"), "probability": rule.get("probability"), "seed": rule.get("seed"),
            "created_at": row["created_at"], "hits": row["hits"], "applied": row["applied"],
            "remaining": row["remaining"], "active": not spent}


def get(conn, rule_id: int) -> dict:
    row = conn.execute(select(faults).where(faults.c.id == rule_id)).mappings().first()
    if row is None:
        raise NotFound(f"fault rule {rule_id} not found", field="id")
    return view(row)


def list_all(conn) -> list[dict]:
    return [view(r) for r in conn.execute(select(faults).order_by(faults.c.id)).mappings()]


def clear(conn, rule_id: int | None = None) -> int:
    stmt = delete(faults)
    if rule_id is not None:
        stmt = stmt.where(faults.c.id == rule_id)
    return conn.execute(stmt).rowcount


def any_active(conn) -> bool:
    stmt = select(faults.c.id).where((faults.c.remaining.is_(None)) | (faults.c.remaining > 0)).limit(1)
    return conn.execute(stmt).first() is not None


def matches(rule: dict, who: Who, query: str = "") -> bool:
    m = rule.get("match") or {}
    if m.get("query") and not query_holds(m["query"], query):
        return False
    if m.get("method") and m["method"] != who.method:
        return False
    if m.get("pob_id") and m["pob_id"] != who.pob_id:
        return False
    if m.get("model") and m["model"] != who.model:
        return False
    if m.get("path") and not re.fullmatch(glob_regex(m["path"]), who.path):
        return False
    if m.get("path_regex") and not re.fullmatch(m["path_regex"], who.path):
        return False
    if m.get("body") and not json_subset(m["body"], who.body):
        return False
    return True


def query_holds(wanted: dict, query: str) -> bool:
    """Every parameter of `wanted` is in the request's query string with that value (any of its values)."""
    given = parse_qs(query, keep_blank_values=True)
    return all(str(value) in given.get(name, ()) for name, value in wanted.items())


def snapshot_key(who: Who, query: str) -> str:
    return f"{who.pob_id}|{who.method}|{who.path}?{query}"


def stale_query(effects: list[dict], query: str) -> str:
    """The query a stale_page rule keys its snapshot by: the request's, less the parameters its `ignore_params`
    names (a list whose query carries the moving clock, e.g. VMS's toDate or rsiDateTo, is then answered from one
    snapshot whatever the clock; the other parameters, a page number, still pick the snapshot)."""
    ignored = {name for e in effects if e.get("kind") == "stale_page" for name in e.get("ignore_params") or ()}
    if not ignored:
        return query
    return "&".join(part for part in query.split("&")
                    if part and unquote_plus(part.partition("=")[0]) not in ignored)


def decide(conn, who: Who, query: str, default_seed: int) -> tuple[list[Applied], list[int]]:
    """The rules that apply to this request (in rule order), each hit counted and each use taken
    atomically, so `times` holds across workers. Also (id, snapshot key) of the matched stale_page rules that
    still need a first snapshot for this request (they record it and do not apply)."""
    applied, need_snapshot = [], []
    rows = conn.execute(select(faults).where((faults.c.remaining.is_(None)) | (faults.c.remaining > 0))
                        .order_by(faults.c.id)).mappings().all()
    for row in rows:
        rule = row["rule"]
        if not matches(rule, who, query):
            continue
        kinds = {e["kind"] for e in rule["effects"]}
        if "stale_page" in kinds and who.method == "GET":
            key = snapshot_key(who, stale_query(rule["effects"], query))
            if key not in (row["state"].get("snapshots") or {}):
                need_snapshot.append((row["id"], key))
                continue
        hit = conn.execute(update(faults).where(faults.c.id == row["id"]).values(hits=faults.c.hits + 1)
                           .returning(faults.c.hits)).scalar_one()
        # One stream per rule and hit: a seed gives the same decisions whatever other rules do.
        rng = random.Random(f"{rule.get('seed', default_seed)}:{row['id']}:{hit}")
        probability = rule.get("probability")
        if probability is not None and rng.random() >= probability:
            continue
        taken = conn.execute(update(faults).where(
            faults.c.id == row["id"], (faults.c.remaining.is_(None)) | (faults.c.remaining > 0))
            .values(applied=faults.c.applied + 1,
                    remaining=faults.c.remaining - 1)).rowcount  # NULL - 1 stays NULL: unlimited
        if taken:
            applied.append(Applied(row["id"], rule.get("name"), rule["effects"], rng))
    return applied, need_snapshot


def get_state(conn, rule_id: int) -> dict:
    row = conn.execute(select(faults.c.state).where(faults.c.id == rule_id)).first()
    return dict(row[0]) if row else {}


def put_state(conn, rule_id: int, state: dict) -> None:
    conn.execute(update(faults).where(faults.c.id == rule_id).values(state=state))
