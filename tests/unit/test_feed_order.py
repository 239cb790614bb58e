"""A feed read by id (`/_sim/journal?after_id=`, `/_sim/changes?after_id=`) never skips an id still to commit.

On PostgreSQL with several workers an id is drawn when its row is inserted and seen when its transaction commits,
in any order (simulator/store.py, FEED_LOCK). Each test holds a write open with its id drawn, commits a later id
beside it, and reads the feed from before both: the read must wait for the open write and return both ids, not
the later one alone (a reader's cursor would then pass the earlier id for ever). Seen before the fix with `serve
--workers 2` on PostgreSQL: 2 of 489 journal entries missed by an incremental reader.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import insert

from fixtures.simclient import T0
from simulator import journal
from simulator.app import create_app
from simulator.store import transitions

pytestmark = pytest.mark.usefixtures("pg_admin")

HELD = 5.0  # how long the reader gets to answer on its own (a correct one is still waiting when it ends)


@pytest.fixture
def pg_app(pg_admin):
    url = pg_admin.fresh_database()
    app = create_app({"db_url": url, "seed": 7, "frozen_at": T0})
    yield app
    app.extensions["ajio_sim"].store.engine.dispose()
    pg_admin.drop_database(url)


def _entry(path: str) -> dict:
    return dict(at=T0, pob_id="POBFEED", method="GET", path=path, query="", status=200, duration_ms=1,
                request_body=None, response_body="{}", entity_ids=[], limit=10_000)


def _last_id(client, feed: str) -> int:
    answer = client.get(f"/_sim/{feed}?after_id=0&limit=5000").get_json()
    if feed == "changes":
        return answer["last_id"]
    return answer["entries"][-1]["id"] if answer["entries"] else 0


def _write_journal(store, path: str) -> None:
    with store.lean_write() as conn:
        journal.record(conn, **_entry(path))


def _write_transition(store, cause: str) -> None:
    with store.write() as conn:
        conn.execute(insert(transitions), {"entity_kind": "order", "entity_id": "FEED1", "at": T0,
                                           "from_status": None, "to_status": "CREATED", "cause": cause})


def _held_open(store, write, release: threading.Event, drawn: threading.Event) -> threading.Thread:
    """A write whose id is drawn (its row inserted) and whose commit waits for `release`."""
    def run():
        ctx = store.lean_write() if write is _write_journal else store.write()
        with ctx as conn:
            if write is _write_journal:
                journal.record(conn, **_entry("/held"))
            else:
                conn.execute(insert(transitions), {"entity_kind": "order", "entity_id": "FEED1", "at": T0,
                                                   "from_status": None, "to_status": "CREATED", "cause": "held"})
            drawn.set()
            release.wait(30)
    thread = threading.Thread(target=run)
    thread.start()
    assert drawn.wait(30)
    return thread


@pytest.mark.parametrize("feed, write", [("journal", _write_journal), ("changes", _write_transition)])
def test_a_feed_read_waits_for_an_earlier_id_still_to_commit(pg_app, feed, write):
    store = pg_app.extensions["ajio_sim"].store
    client = pg_app.test_client()
    before = _last_id(client, feed)
    release, drawn = threading.Event(), threading.Event()
    holder = _held_open(store, write, release, drawn)   # id before+1, not committed
    write(store, "/later" if feed == "journal" else "later")  # id before+2, committed
    got: dict = {}

    def read():
        got["answer"] = client.get(f"/_sim/{feed}?after_id={before}&limit=5000").get_json()
    reader = threading.Thread(target=read)
    reader.start()
    reader.join(HELD)
    waited = reader.is_alive()
    release.set()
    holder.join(30)
    reader.join(30)
    answer = got["answer"]
    assert waited, f"the read answered {answer} while id {before + 1} was still to commit"
    if feed == "journal":
        assert [e["id"] for e in answer["entries"]] == [before + 1, before + 2]
    else:  # the feed lists the transitions of orders it knows; its cursor says how far it read
        assert answer["last_id"] == before + 2


def test_a_read_without_a_cursor_does_not_wait(pg_app):
    """Only a read by id waits: the dashboard's and a POB's whole-journal reads answer with what is committed."""
    store = pg_app.extensions["ajio_sim"].store
    client = pg_app.test_client()
    release, drawn = threading.Event(), threading.Event()
    holder = _held_open(store, _write_journal, release, drawn)
    try:
        answer = client.get("/_sim/journal?limit=5000").get_json()
        assert "/held" not in [e["path"] for e in answer["entries"]]
    finally:
        release.set()
        holder.join(30)
