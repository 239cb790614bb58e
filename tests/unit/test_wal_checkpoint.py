"""A file SQLite store checkpoints its WAL in a background thread, not inside a request's commit."""
from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import text

from simulator.fast import checkpoint as ckpt
from simulator.store import Store, meta_table


def _until(predicate, seconds: float = 10.0) -> bool:
    """Waits on a real thread (not on simulated time), bounded."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def _commit(store: Store, n: int) -> None:
    for i in range(n):
        with store.write() as conn:
            conn.execute(meta_table.insert().values(key=f"k{os.getpid()}-{time.monotonic_ns()}-{i}", value=i))


@pytest.fixture()
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    s.create_schema()
    yield s
    s.engine.dispose()


def test_request_connections_keep_only_a_backstop_automatic_checkpoint(store):
    with store.read() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == ckpt.BACKSTOP_PAGES
    assert ckpt.BACKSTOP_PAGES > 1000  # SQLite's default, which ran inside one commit in ~460


def test_a_thread_checkpoints_after_every_n_commits(store):
    before = store._checkpointer.checkpoints
    _commit(store, ckpt.EVERY + 1)
    assert _until(lambda: store._checkpointer.checkpoints > before), "no background checkpoint ran"
    assert any(t.name == "sqlite-checkpoint" for t in threading.enumerate())
    # Copied back: a checkpoint now finds nothing left to copy.
    raw = store.engine.raw_connection()
    try:
        busy, log_pages, copied = raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        raw.close()
    assert busy == 0 and log_pages == copied


def test_the_thread_ends_when_idle_and_the_next_commit_starts_another(store, monkeypatch):
    monkeypatch.setattr(ckpt, "TICK_S", 0.02)
    monkeypatch.setattr(ckpt, "IDLE_EXIT_S", 0.1)
    c = store._checkpointer
    _commit(store, 1)
    assert _until(lambda: c._running_in is None), "the idle thread did not end"
    done = c.checkpoints
    _commit(store, 1)
    assert c._running_in == os.getpid()
    assert _until(lambda: c.checkpoints > done), "the restarted thread did not checkpoint"


def test_a_forked_worker_starts_its_own_thread(store):
    c = store._checkpointer
    with c._guard:
        c._running_in = -1  # the parent's pid, as a forked worker inherits it (the thread it names is not here)
    done = c.checkpoints
    _commit(store, ckpt.EVERY)
    assert c._running_in == os.getpid()
    assert _until(lambda: c.checkpoints > done)


def test_a_failing_checkpoint_backs_off_and_leaves_sqlite_s_own(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(ckpt, "TICK_S", 0.02)
    calls = []

    def broken():
        calls.append(1)
        raise OSError("disk gone")

    c = ckpt.Checkpointer(broken)
    c.committed()
    assert _until(lambda: c._running_in is None), "the failed thread did not end"
    assert calls == [1] and "background checkpoint failed" in caplog.text
    c.committed()  # within RETRY_AFTER_S: no new thread, no new attempt
    assert c._running_in is None and calls == [1]


def test_memory_stores_have_no_checkpoint_thread():
    s = Store("sqlite://")
    s.create_schema()
    assert s._checkpointer is None  # no WAL: nothing to copy back
    _commit(s, 3)
