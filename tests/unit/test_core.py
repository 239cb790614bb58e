"""Clock, ids and timers: the injected time and randomness everything else relies on (DESIGN rule 5)."""
from __future__ import annotations

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from fixtures.timers import make_ctx, schedule_at
from simulator.clock import Clock
from simulator.errors import ConcurrentUpdate, IllegalTransition
from simulator.ids import Ids
from simulator.lifecycle import HANDLERS, fire_due
from simulator.store import Store, timers


def test_clock_real_time_plus_offset_follows_wall_time(store):
    clock = Clock(store)
    with freeze_time("2026-11-23 04:30:00") as frozen:
        start = clock.now()
        frozen.tick(120)
        assert clock.now() == start + 120


def test_clock_advance_adds_offset_in_real_time_mode(store):
    clock = Clock(store)
    with freeze_time("2026-11-23 04:30:00"):
        start = clock.now()
        with store.write() as conn:
            clock.advance(conn, 4 * 3600)
        assert clock.now() == start + 4 * 3600


def test_clock_frozen_does_not_move_with_wall_time(store):
    clock = Clock(store)
    with freeze_time("2026-11-23 04:30:00") as frozen:
        with store.write() as conn:
            at = clock.freeze(conn, True)
        frozen.tick(3600)
        assert clock.now() == at
        with store.write() as conn:
            assert clock.advance(conn, 60) == at + 60


def test_clock_unfreeze_resumes_from_frozen_instant(store):
    clock = Clock(store)
    with freeze_time("2026-11-23 04:30:00") as frozen:
        with store.write() as conn:
            at = clock.freeze(conn, True)
        frozen.tick(500)
        with store.write() as conn:
            assert clock.freeze(conn, False) == at
        frozen.tick(10)
        assert clock.now() == at + 10


def test_clock_is_shared_through_the_store(tmp_path):
    """Two simulator processes on one database see one clock (API.md: shared by every worker)."""
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    a, b = Store(url), Store(url)
    a.create_schema()
    with a.write() as conn:
        a.put_meta(conn, "clock", {"offset": 0.0, "frozen_at": 1_000})
        Clock(a).advance(conn, 77)
    assert Clock(b).now() == 1_077


@pytest.mark.parametrize("kind", ["pob_id", "order_id", "order_item_id", "return_order_id", "po_number",
                                  "manifest_id", "document_id", "b2c_invoice_number"])
def test_ids_unique_and_reproducible(kind):
    one, two, other = Ids(5), Ids(5), Ids(6)
    made = [getattr(one, kind)(n) for n in range(1, 20_001)]
    assert len(set(made)) == len(made)
    assert made[:50] == [getattr(two, kind)(n) for n in range(1, 51)]
    assert made[:50] != [getattr(other, kind)(n) for n in range(1, 51)]


def test_pob_id_shape_seed_000():
    """Seeds 000/003: POB user ids start with DV and are alphanumeric."""
    for n in range(1, 500):
        pob = Ids(1).pob_id(n)
        assert pob.startswith("DV") and pob.isalnum() and pob.isupper()


def test_tokens_are_not_derived_from_the_seed():
    assert Ids.token() != Ids.token()


def test_timers_fire_once_in_due_order_at_their_due_time(store, monkeypatch):
    seen = []
    monkeypatch.setitem(HANDLERS, "test_probe", lambda ctx, entity_id: seen.append((entity_id, ctx.now)))
    schedule_at(store, "test_probe", ("late", 300), ("early", 100), ("future", 10_000))
    assert fire_due(store, make_ctx(store), now=5_000) == 2
    assert seen == [("early", 100), ("late", 300)]
    assert fire_due(store, make_ctx(store), now=5_000) == 0
    with store.read() as conn:
        pending = conn.execute(select(timers.c.entity_id).where(timers.c.fired_at.is_(None))).all()
    assert [p[0] for p in pending] == ["future"]


def test_timer_handler_refusal_consumes_timer_and_rolls_back_its_writes(store, monkeypatch):
    def refuse(ctx, entity_id):
        store.put_meta(ctx.conn, "half-done", True)
        raise IllegalTransition("moved on")

    monkeypatch.setitem(HANDLERS, "test_refuse", refuse)
    schedule_at(store, "test_refuse", ("x", 10))
    assert fire_due(store, make_ctx(store), now=20) == 0
    with store.read() as conn:
        assert store.get_meta(conn, "half-done") is None
        assert conn.execute(select(timers.c.fired_at)).scalar_one() == 20


def test_timer_handler_bug_is_consumed_not_repeated_on_every_tick(store, monkeypatch):
    """A handler raising an unexpected exception must not make every later request fail."""
    calls = []

    def broken(ctx, entity_id):
        calls.append(entity_id)
        store.put_meta(ctx.conn, "half-done", True)
        raise KeyError("bug")

    monkeypatch.setitem(HANDLERS, "test_broken", broken)
    schedule_at(store, "test_broken", ("x", 10))
    assert fire_due(store, make_ctx(store), now=20) == 0
    assert fire_due(store, make_ctx(store), now=30) == 0
    assert calls == ["x"]
    with store.read() as conn:
        assert store.get_meta(conn, "half-done") is None


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
