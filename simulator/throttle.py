"""Per-POB token buckets per operation group, in simulated time; 429 with Retry-After when empty.

AJIO has had a per-user throttling limit since its spec v1.2, and does not publish the number: the
defaults below are ours (documented in the README). Buckets refill with the simulated clock, so a
test advances the clock instead of sleeping; a frozen clock refills nothing until it moves.
Modes: off (no buckets), on (429 when a bucket is empty), strict (on, and a request sent before the
announced Retry-After is refused again, restarts the wait and is journaled as a violation).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from simulator.store import meta_table, throttle_buckets

MODES = ("off", "on", "strict")
# group -> (tokens per simulated second, burst). Our choice; AJIO's number is not public.
DEFAULT_LIMITS = {
    "auth": (0.2, 5),        # 12 logins a minute: a token lives 30 minutes
    "read": (5.0, 20),       # pendency, orders, products, returns pages
    "write": (2.0, 10),      # acknowledge, invoice, label, dispatch, inventory, QC, RTO
    "documents": (5.0, 20),  # PDFs
}


def group_of(method: str, path: str) -> str:
    if path.endswith("/authToken"):
        return "auth"
    if path.startswith("/documents/"):
        return "documents"
    return "read" if method in ("GET", "HEAD") else "write"


def settings(store, conn, config) -> dict:
    """Effective mode and limits: the /_sim/throttle knob when set, else the server's options."""
    return settings_from(store.get_meta(conn, "throttle"), config)


def settings_from(stored: dict | None, config) -> dict:
    stored = stored or {}
    limits = {g: {"rate": r, "burst": b} for g, (r, b) in DEFAULT_LIMITS.items()}
    for grp, limit in (config.throttle_limits or {}).items():
        limits[grp] = dict(limit)
    for grp, limit in (stored.get("limits") or {}).items():
        limits[grp] = dict(limit)
    return {"mode": stored.get("mode") or config.throttle, "limits": limits}


def configure(store, conn, config, mode: str | None, limits: dict | None) -> dict:
    current = store.get_meta(conn, "throttle") or {}
    new = {"mode": mode or current.get("mode") or config.throttle,
           "limits": {**(current.get("limits") or {}), **(limits or {})}}
    store.put_meta(conn, "throttle", new)
    conn.execute(delete(throttle_buckets))  # new rules, fresh buckets
    return settings(store, conn, config)


def forget_knob(store, conn) -> None:
    """Back to the server's options (a new start with throttling options, or /_sim/reset)."""
    conn.execute(delete(meta_table).where(meta_table.c.key == "throttle"))
    conn.execute(delete(throttle_buckets))


@dataclass(slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int          # simulated seconds until the bucket is full again
    retry_after: int    # simulated seconds until one token is back (0 when allowed)
    violation: str | None = None


def take(conn, pob_id: str, grp: str, now: int, rate: float, burst: int, strict: bool) -> Decision:
    # Under a row lock (PostgreSQL): two workers cannot both spend the same token.
    locked = (select(throttle_buckets).where(throttle_buckets.c.pob_id == pob_id, throttle_buckets.c.grp == grp)
              .with_for_update())
    row = conn.execute(locked).mappings().first()
    if row is None:
        # A POB's first call in a group: workers arriving together all find no row (there is nothing to
        # lock yet). Each inserts a full bucket unless one exists, then all lock the one row that won, so
        # the first insert is no unique-key error and no token is spent twice.
        dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
        conn.execute(dialect_insert(throttle_buckets).values(
            pob_id=pob_id, grp=grp, tokens=float(burst), updated_at=now, blocked_until=None)
            .on_conflict_do_nothing(index_elements=[throttle_buckets.c.pob_id, throttle_buckets.c.grp]))
        row = conn.execute(locked).mappings().first()
    tokens = min(float(burst), row["tokens"] + max(0, now - row["updated_at"]) * rate)
    blocked_until = row["blocked_until"]
    violation = None
    if strict and blocked_until is not None and now < blocked_until:
        violation = (f"request sent {blocked_until - now} s before the Retry-After announced for the "
                     f"{grp} group; strict throttling restarts the wait")
        allowed = False
    else:
        allowed = tokens >= 1
    if allowed:
        tokens -= 1
        retry_after, blocked_until = 0, None
    else:
        retry_after = max(1, math.ceil((1 - tokens) / rate)) if not violation else max(1, math.ceil(1 / rate))
        if violation:
            tokens = min(tokens, 0.0)  # the early request costs the wait it skipped
        blocked_until = now + retry_after
    conn.execute(update(throttle_buckets).where(throttle_buckets.c.pob_id == pob_id, throttle_buckets.c.grp == grp)
                 .values(tokens=tokens, updated_at=now, blocked_until=blocked_until))
    reset = math.ceil(max(0.0, burst - tokens) / rate)
    return Decision(allowed, burst, max(0, math.floor(tokens)), reset, retry_after, violation)


def headers(decision: Decision) -> dict[str, str]:
    out = {"X-RateLimit-Limit": str(decision.limit), "X-RateLimit-Remaining": str(decision.remaining),
           "X-RateLimit-Reset": str(decision.reset)}
    if not decision.allowed:
        out["Retry-After"] = str(decision.retry_after)
    return out
