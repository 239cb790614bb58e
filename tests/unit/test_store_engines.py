"""The store's atomic pieces under concurrent writers, on SQLite (WAL file) and on PostgreSQL.

Each test starts its writers together on a barrier so first uses really collide; on PostgreSQL
the old read-then-insert sequence and read-then-write stock update failed these tests.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import insert, select

from fixtures.simclient import T0
from simulator.app import Simulator
from simulator.config import Config
from simulator.domain.catalog import adjust_stock
from simulator.lifecycle import HANDLERS, fire_due, schedule
from simulator.store import Store, products, sequences, timers

WRITERS = 8


def run_together(n: int, fn) -> list:
    """Run fn(i) in n threads released at once; re-raise the first failure."""
    barrier, results, errors = threading.Barrier(n), [None] * n, []

    def body(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def simulator(db_url):
    sim = Simulator(Config(db_url=db_url, seed=3, frozen_at=T0))
    yield sim
    sim.store.engine.dispose()


def test_next_seq_first_use_by_many_writers_gives_each_number_once(db_url):
    store = Store(db_url)
    store.create_schema()

    def take(_):
        got = []
        for _ in range(10):
            with store.write() as conn:
                got.append(store.next_seq(conn, "fresh"))
        return got

    numbers = sorted(n for got in run_together(WRITERS, take) for n in got)
    assert numbers == list(range(1, WRITERS * 10 + 1))
    store.engine.dispose()


def test_next_seq_takes_a_block(db_url):
    store = Store(db_url)
    store.create_schema()
    with store.write() as conn:
        assert store.next_seq(conn, "block", 100) == 1
        assert store.next_seq(conn, "block") == 101
        assert store.next_seq(conn, "block", 5) == 102
        assert conn.execute(select(sequences.c.value).where(sequences.c.name == "block")).scalar_one() == 106
    store.engine.dispose()


def test_put_meta_first_use_by_many_writers_keeps_one_value(db_url):
    store = Store(db_url)
    store.create_schema()

    def put(i):
        with store.write() as conn:
            store.put_meta(conn, "fresh-key", {"writer": i})

    run_together(WRITERS, put)
    with store.read() as conn:
        assert store.get_meta(conn, "fresh-key")["writer"] in range(WRITERS)
    store.engine.dispose()


def _product(sim, quantity: int) -> None:
    with sim.store.write() as conn:
        conn.execute(insert(products).values(pob_id="DVTEST", sku="SKU-1", published_status="PUBLISHED",
                                             quantity=quantity, updated_at=T0, data={}))


def _quantity(sim) -> int:
    with sim.store.read() as conn:
        return conn.execute(select(products.c.quantity)).scalar_one()


def test_adjust_stock_from_many_writers_loses_no_update(simulator):
    _product(simulator, 1000)

    def take(_):
        for _ in range(10):
            simulator.transact(lambda ctx: adjust_stock(ctx, "DVTEST", "SKU-1", -3))

    run_together(WRITERS, take)
    assert _quantity(simulator) == 1000 - WRITERS * 10 * 3


def test_adjust_stock_never_hands_out_more_than_there_is(simulator):
    _product(simulator, 25)

    def take(_):
        return sum(simulator.transact(lambda ctx: adjust_stock(ctx, "DVTEST", "SKU-1", -2))[0] for _ in range(5))

    taken = run_together(WRITERS, take)
    assert sum(taken) == -25  # the applied changes add up to exactly the stock there was
    assert _quantity(simulator) == 0


def test_clock_advances_from_many_writers_add_up(simulator):
    run_together(WRITERS, lambda _: simulator.transact(lambda ctx: simulator.clock.advance(ctx.conn, 60)))
    assert simulator.now() == T0 + WRITERS * 60


def test_timers_fire_exactly_once_with_many_workers(simulator):
    HANDLERS["test_count"] = lambda ctx, entity_id: ctx.seq(f"fired:{entity_id}")
    try:
        with simulator.store.write() as conn:
            ctx = simulator.ctx(conn, T0)
            for i in range(60):
                schedule(ctx, "test_count", f"E{i}", T0 - i)
        # Several workers (each its own store, as in separate processes) tick at once.
        stores = [Store(simulator.store.url) for _ in range(4)]
        fired = run_together(4, lambda i: fire_due(stores[i], lambda conn, at: simulator.ctx(conn, at), T0))
        assert sum(fired) == 60
        with simulator.store.read() as conn:
            counts = dict(conn.execute(select(sequences.c.name, sequences.c.value)
                                       .where(sequences.c.name.like("fired:%"))).all())
            pending = conn.execute(select(timers.c.id).where(timers.c.fired_at.is_(None))).all()
        assert len(counts) == 60 and set(counts.values()) == {1}
        assert pending == []
        for s in stores:
            s.engine.dispose()
    finally:
        HANDLERS.pop("test_count", None)


def test_order_counts_follow_inserts_moves_and_deletes(db_url):
    from sqlalchemy import delete, update

    from simulator.store import order_counts, orders
    store = Store(db_url)
    store.create_schema()
    row = {"pob_id": "DVA", "model": "ds", "status": "CREATED", "order_date": T0, "updated_at": T0, "version": 1,
           "data": {}}
    with store.write() as conn:
        conn.execute(insert(orders), [{**row, "order_id": f"FN{i}"} for i in range(5)])
        conn.execute(update(orders).where(orders.c.order_id.in_(["FN0", "FN1"])).values(status="CONFIRMED"))
        conn.execute(update(orders).where(orders.c.order_id == "FN2").values(version=2))  # no move: no count
        conn.execute(delete(orders).where(orders.c.order_id == "FN4"))
        assert store.count_orders(conn, "DVA", ["CREATED"]) == 2
        assert store.count_orders(conn, "DVA", exclude=["CREATED"]) == 2
        assert store.count_orders(conn, "DVB") == 0
        # A store from before the counts: they are rebuilt from the orders on the next start.
        conn.execute(delete(order_counts))
    store.create_schema()
    with store.read() as conn:
        assert store.count_orders(conn, "DVA", ["CREATED"]) == 2 and store.count_orders(conn, "DVA") == 4
    store.engine.dispose()


def test_journal_entity_filter_finds_old_entries_and_pages(db_url):
    from sqlalchemy import delete

    from simulator import journal
    from simulator.store import journal_entities
    store = Store(db_url)
    store.create_schema()
    common = dict(pob_id="DVA", method="GET", path="/ds/orders", query="", status=200, duration_ms=1,
                  request_body=None, response_body="{}", limit=1000)
    with store.write() as conn:
        journal.record(conn, at=T0, entity_ids=["FN1", "FN2"], **common)
        for i in range(300):  # more entries than a page, none naming FN1
            journal.record(conn, at=T0 + i, entity_ids=[f"FN{1000 + i}"], **common)
        journal.record(conn, at=T0 + 999, entity_ids=["FN1"], **common)
    with store.read() as conn:
        found = journal.entries(conn, entity_id="FN1", limit=10)
        assert [e["at"] for e in found] == [T0, T0 + 999]
        assert len(journal.entries(conn, entity_id="FN1", limit=1)) == 1
        assert journal.entries(conn, entity_id="FN1", after_id=found[0]["id"])[0]["at"] == T0 + 999
        assert journal.entries(conn, entity_id="FN9") == []
    with store.write() as conn:  # a store from before the side table: indexed on the next start
        conn.execute(delete(journal_entities))
    store.create_schema()
    with store.read() as conn:
        assert len(journal.entries(conn, entity_id="FN1")) == 2
    store.engine.dispose()


def test_postgres_deadlock_surfaces_as_concurrent_update(pg_admin):
    """Two writers locking two rows in opposite orders: PostgreSQL kills one (40P01); the store
    turns that into ConcurrentUpdate, which transact() retries, and the other commits."""
    from simulator.errors import ConcurrentUpdate
    url = pg_admin.fresh_database()
    store = Store(url)
    store.create_schema()
    with store.write() as conn:
        for name in ("A", "B"):
            store.next_seq(conn, name)
    barrier = threading.Barrier(2)
    outcomes = []

    def writer(first, second):
        try:
            with store.write() as conn:
                store.next_seq(conn, first)
                barrier.wait(timeout=30)
                store.next_seq(conn, second)
            outcomes.append("committed")
        except ConcurrentUpdate:
            outcomes.append("raced")

    threads = [threading.Thread(target=writer, args=pair) for pair in (("A", "B"), ("B", "A"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["committed", "raced"]
    store.engine.dispose()
    pg_admin.drop_database(url)


def test_a_pobs_first_throttled_calls_from_many_workers_share_one_bucket(db_url):
    """Workers taking a POB's first token in a group together: on PostgreSQL all of them found no row
    to lock and inserted one; all but the first failed on the unique key (an error answer to the
    connector). Now every one of them is answered, and exactly `burst` tokens are spent."""
    from simulator import throttle
    stores = [Store(db_url) for _ in range(WRITERS)]
    stores[0].create_schema()
    burst = WRITERS // 2

    def take(i):
        with stores[i].write() as conn:
            return throttle.take(conn, "DVFIRST", "read", T0, rate=0.001, burst=burst, strict=False).allowed

    allowed = run_together(WRITERS, take)
    assert sorted(allowed) == [False] * (WRITERS - burst) + [True] * burst
    for s in stores:
        s.engine.dispose()


def test_next_due_timer_is_read_from_an_index_not_sorted(db_url):
    """Every request asks for the next due timer (simulator/lifecycle.py NEXT_DUE). With two SLA timers per
    order, PostgreSQL sorted every pending timer for it (17-25 ms a request at 100,000 orders): the plan must
    read the pending timers' index in due order, on both engines, also for a store from before the index."""
    from sqlalchemy import inspect

    from simulator.lifecycle import NEXT_DUE
    store = Store(db_url)
    store.create_schema()
    with store.write() as conn:
        conn.execute(insert(timers), [{"kind": "k", "entity_id": f"E{i}", "due_at": T0 + (i * 7919) % 20000,
                                       "fired_at": T0 if i % 10 == 0 else None} for i in range(20000)])
        conn.exec_driver_sql("DROP INDEX ix_timers_due_pending")  # as a store written before it
    store.create_schema()
    assert "ix_timers_due_pending" in {i["name"] for i in inspect(store.engine).get_indexes("timers")}
    with store.write() as conn:
        conn.exec_driver_sql("ANALYZE")
        sql = str(NEXT_DUE.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))
        if store.dialect == "postgresql":
            plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
            assert "ix_timers_due_pending" in plan and "Sort" not in plan, plan
        else:
            plan = "\n".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "INDEX" in plan and "TEMP B-TREE" not in plan, plan
        expected = min(T0 + (i * 7919) % 20000 for i in range(20000) if i % 10)
        assert conn.execute(NEXT_DUE).scalar() == expected
    store.engine.dispose()
