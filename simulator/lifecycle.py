"""Timers: due times on records, fired in due order whenever simulated time passes them."""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError

from simulator.errors import ConcurrentUpdate, SimulatorError
from simulator.store import is_race, prebuilt, timers

log = logging.getLogger(__name__)

# kind -> handler(ctx_at_due_time, entity_id). Domain modules register theirs at import.
HANDLERS: dict[str, Callable] = {}


def timer_handler(kind: str):
    def register(fn):
        HANDLERS[kind] = fn
        return fn
    return register


# Every transition that schedules, every tick that fires: built once, values bound as parameters.
_INSERT = prebuilt(insert(timers))
_DUE = prebuilt(select(timers.c.id, timers.c.kind, timers.c.entity_id, timers.c.due_at)
                .where(timers.c.fired_at.is_(None), timers.c.due_at <= bindparam("now"))
                .order_by(timers.c.due_at, timers.c.id).limit(bindparam("batch")))
_CLAIM = prebuilt(update(timers).where(timers.c.id == bindparam("timer_id"), timers.c.fired_at.is_(None))
                  .values(fired_at=bindparam("now")))


def schedule(ctx, kind: str, entity_id: str, due_at: int) -> None:
    ctx.conn.execute(_INSERT, {"kind": kind, "entity_id": entity_id, "due_at": int(due_at)})


NEXT_DUE = prebuilt(select(timers.c.due_at).where(timers.c.fired_at.is_(None)).order_by(timers.c.due_at).limit(1))


def next_due(conn) -> int | None:
    """The earliest pending due time: asked on every request, answered by the pending-timers index."""
    row = conn.execute(NEXT_DUE).first()
    return None if row is None else int(row[0])


def fire_due(store, make_ctx, now: int, batch: int = 200) -> int:
    """Fire every timer due at or before `now`, each in its own transaction, at its due time.

    The conditional UPDATE on `fired_at` is what makes a timer fire once, even when several
    workers notice it at the same moment. A handler that finds its record has moved on (the
    courier's pickup after QA already forced it) refuses with a SimulatorError: the timer is
    consumed and the record is left as it was. A handler that lost a race with another worker
    (ConcurrentUpdate) did nothing: its timer stays due and is retried.
    """
    fired = 0
    for _ in range(1000):  # handlers may schedule timers that are already due; bounded anyway
        with store.lean_read() as conn:  # one read on the driver (simulator/fast/lean.py)
            due = conn.execute(_DUE, {"now": now, "batch": batch}).all()
        if not due:
            return fired
        raced = 0
        for timer in due:
            outcome = _fire_one(store, make_ctx, timer, now)
            fired += outcome is True
            raced += outcome is None
        if raced == len(due):  # every one lost a race: leave them to the next tick rather than spin
            return fired
    return fired


def _fire_one(store, make_ctx, timer, now: int, attempts: int = 5) -> bool | None:
    """True: fired; False: taken by another worker or refused by its handler; None: kept due."""
    timer_id, kind, entity_id, due_at = timer
    for _ in range(attempts):
        try:
            with store.write() as conn:
                taken = conn.execute(_CLAIM, {"timer_id": timer_id, "now": now}).rowcount
                if not taken:
                    return False
                savepoint = conn.begin_nested()
                try:
                    HANDLERS[kind](make_ctx(conn, int(due_at)), entity_id)
                except ConcurrentUpdate:
                    # The record changed under the handler, which did nothing: not a refusal. Rolling
                    # back the whole transaction un-claims the timer, so it runs again on a fresh read.
                    raise
                except DBAPIError as exc:
                    if is_race(exc):  # a deadlock or serialization failure: nothing applied, try again
                        raise ConcurrentUpdate(f"timer {timer_id} raced another worker") from exc
                    savepoint.rollback()
                    log.exception("timer %s %s for %s failed; consumed without effect", timer_id, kind, entity_id)
                    return False
                except SimulatorError as exc:
                    savepoint.rollback()
                    log.info("timer %s %s for %s skipped: %s", timer_id, kind, entity_id, exc.message)
                    return False
                except Exception:
                    # A bug in a handler must not turn every later request into a 500: the timer is
                    # consumed with nothing applied, and the server log keeps the traceback.
                    savepoint.rollback()
                    log.exception("timer %s %s for %s failed; consumed without effect", timer_id, kind, entity_id)
                    return False
                savepoint.commit()
                return True
        except ConcurrentUpdate:
            continue
    log.warning("timer %s %s for %s kept due: it lost %d races in a row", timer_id, kind, entity_id, attempts)
    return None
