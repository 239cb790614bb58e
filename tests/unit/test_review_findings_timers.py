"""Defects found in review in the core (timers): each test names the rule it pins."""
from __future__ import annotations

from sqlalchemy import select

from fixtures.timers import make_ctx, schedule_at
from simulator.errors import ConcurrentUpdate
from simulator.lifecycle import HANDLERS, fire_due
from simulator.store import timers


def test_fire_due_handler_losing_a_race_keeps_its_timer_and_fires_it(store, monkeypatch):
    """API.md (Time): timers are due times on records, applied when time passes; DESIGN rule 5.
    A handler that loses an optimistic-version race (ConcurrentUpdate: another worker changed the
    record between its read and its write) has done nothing; its timer must not be consumed as if
    the record had moved on, or the PO / credit note / courier event would never happen."""
    calls = []

    def racy(ctx, entity_id):
        calls.append(ctx.now)
        store.put_meta(ctx.conn, "applied", len(calls))
        if len(calls) == 1:
            raise ConcurrentUpdate("order x was changed by another request; retry")

    monkeypatch.setitem(HANDLERS, "test_racy", racy)
    schedule_at(store, "test_racy", ("x", 10))
    assert fire_due(store, make_ctx(store), now=20) == 1
    assert calls == [10, 10]  # retried at its due time
    with store.read() as conn:
        assert store.get_meta(conn, "applied") == 2  # only the successful attempt's writes remain
        assert conn.execute(select(timers.c.fired_at)).scalar_one() == 20


def test_fire_due_handler_always_losing_leaves_timer_due_for_the_next_tick(store, monkeypatch):
    """As above: a race lost on every retry leaves the timer pending, so a later tick fires it."""
    outcome = {"race": True}

    def racy(ctx, entity_id):
        if outcome["race"]:
            raise ConcurrentUpdate("changed by another request; retry")

    monkeypatch.setitem(HANDLERS, "test_racy", racy)
    schedule_at(store, "test_racy", ("x", 10))
    assert fire_due(store, make_ctx(store), now=20) == 0
    with store.read() as conn:
        assert conn.execute(select(timers.c.fired_at)).scalar_one() is None
    outcome["race"] = False
    assert fire_due(store, make_ctx(store), now=30) == 1
