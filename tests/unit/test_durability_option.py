"""`serve --durability normal|full`: what the store asks of the engine for each commit, on both engines."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from simulator.cli import build_parser
from simulator.store import Store


def _setting(store: Store) -> str:
    with store.read() as conn:
        if store.dialect == "sqlite":
            return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[conn.execute(text("PRAGMA synchronous")).scalar()]
        return conn.execute(text("SHOW synchronous_commit")).scalar()


def test_durability_full_syncs_every_commit(db_url):
    store = Store(db_url, durability="full")
    store.create_schema()
    # The test PostgreSQL server runs with synchronous_commit=off: full must turn it on for its sessions.
    assert _setting(store) == ("FULL" if store.dialect == "sqlite" else "on")
    with store.lean_read() as conn:  # the driver-level path hands out the same pooled connections
        sql = "PRAGMA synchronous" if store.dialect == "sqlite" else "SHOW synchronous_commit"
        conn._cursor.execute(sql)
        assert conn._cursor.fetchone()[0] in (2, "on")
    store.engine.dispose()


def test_durability_normal_is_the_default_and_keeps_the_engines_setting(db_url):
    store = Store(db_url)
    store.create_schema()
    assert store.durability == "normal"
    # SQLite: NORMAL in WAL mode; PostgreSQL: the server's own setting (off on the test server).
    assert _setting(store) == ("NORMAL" if store.dialect == "sqlite" else "off")
    store.engine.dispose()


def test_durability_unknown_value_refused():
    with pytest.raises(ValueError, match="durability must be one of normal, full"):
        Store("sqlite://", durability="paranoid")


def test_serve_durability_option_defaults_to_normal():
    args = build_parser().parse_args(["serve"])
    assert args.durability == "normal"
    assert build_parser().parse_args(["serve", "--durability", "full"]).durability == "full"


def test_writer_lock_orders_writers_of_one_file_without_busy_sleeps(tmp_path):
    """Two stores on one SQLite file (two workers): a write waits on the other's writer lock, then runs."""
    import threading
    import time

    from simulator.store import WriterLock, meta_table
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    a, b = Store(url), Store(url)
    a.create_schema()
    assert isinstance(a._writer, WriterLock) and a._writer.path == str(tmp_path / "s.sqlite3") + ".lock"
    done = []
    with a.write() as conn:
        a.put_meta(conn, "k", 1)
        def other_worker():
            with b.write() as other:
                done.append(time.monotonic())
                b.put_meta(other, "k", 2)
        t = threading.Thread(target=other_worker)
        t.start()
        t.join(0.3)
        assert done == []  # b waits for a's transaction: not "database is locked", not done
        released = time.monotonic()
    t.join(10)
    assert done and done[0] >= released
    with a.read() as conn:
        assert conn.execute(meta_table.select().where(meta_table.c.key == "k")).first()[1] == 2
    a.engine.dispose()
    b.engine.dispose()


def test_create_schema_opens_a_fresh_file_only_under_the_writer_lock(tmp_path):
    """Simulators started together on one new file: the WAL switch and the schema of each wait their turn
    (tests/e2e/test_shared_store.py starts two real processes; here the order is checked, not the luck)."""
    import fcntl
    import os
    import threading

    path = tmp_path / "s.sqlite3"
    store = Store(f"sqlite:///{path}")
    other = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)  # another process's writer holds it
    fcntl.flock(other, fcntl.LOCK_EX)
    failed = []

    def start():
        try:
            store.create_schema()
        except Exception as exc:  # reported by the assertion below
            failed.append(exc)
    t = threading.Thread(target=start)
    try:
        t.start()
        t.join(0.3)
        assert t.is_alive() and not path.exists(), "the file was opened before the writer lock was taken"
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    t.join(30)
    assert not t.is_alive() and failed == []
    with store.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    store.engine.dispose()


def test_writer_lock_absent_for_memory_and_postgresql():
    assert not hasattr(Store("sqlite://")._writer, "path")
