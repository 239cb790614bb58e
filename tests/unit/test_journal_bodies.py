"""The journal stores a long answer once per distinct text (journal_bodies) and reads it back whole.

On both engines: /_sim/journal and journal.entries answer exactly what was recorded, the entity index
still finds the entries, a page polled unchanged many times is one stored body, and a store written
before the column existed gains it.
"""
from __future__ import annotations

from sqlalchemy import create_engine, func, select, text

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator import journal
from simulator.app import Simulator, create_app
from simulator.config import Config
from simulator.store import journal as journal_table
from simulator.store import journal_bodies, normalise_url


def test_journal_long_answers_are_stored_once_and_read_back_whole(db_url):
    app = create_app({"db_url": db_url, "frozen_at": T0, "seed": 3})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    sim.place(pob["pob_id"], 12)
    token = sim.login(pob)
    pages = [sim.ds("GET", "/orders/pendency?page=0&size=20", token) for _ in range(5)]
    assert len({p.content for p in pages}) == 1 and len(pages[0].content) >= journal.SHARED_BODY
    entries = [e for e in sim.control("GET", f"/journal?pob_id={pob['pob_id']}").json["entries"]
               if e["path"] == "/ds/orders/pendency"]
    assert [e["response_body"] for e in entries] == [p.content.decode() for p in pages]
    assert "response_ref" not in entries[0]
    store = app.extensions["ajio_sim"].store
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(journal_bodies)).scalar() == 1
        stored = conn.execute(select(journal_table.c.response_body, journal_table.c.response_ref)
                              .where(journal_table.c.path == "/ds/orders/pendency")).all()
        assert {r[0] for r in stored} == {None} and len({r[1] for r in stored}) == 1
        # A short answer stays in its row; the entity index still finds entries.
        [login] = [e for e in journal.entries(conn, pob_id=pob["pob_id"]) if e["path"] == "/ds/authToken"]
        assert login["response_body"] and '"accessToken"' in login["response_body"]
    order_id = pages[0].json["orders"][0]["order_id"]
    sim.ds("POST", "/orders", token, {"order_id": order_id, "status": "Acknowledge", "order_lines": []})
    by_entity = sim.control("GET", f"/journal?entity_id={order_id}").json["entries"]
    assert [e["path"] for e in by_entity] == ["/ds/orders"]
    store.engine.dispose()


def test_journal_store_written_before_shared_bodies_gains_the_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    sim = Simulator(Config(db_url=url, seed=3, frozen_at=T0))
    with sim.store.lean_write() as conn:
        journal.record(conn, at=T0, pob_id="DVA", method="GET", path="/ds/x", query="", status=200, duration_ms=1,
                       request_body=None, response_body="{}", entity_ids=[], limit=1000)
    sim.store.engine.dispose()
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE journal DROP COLUMN response_ref"))  # as an older version wrote it
    engine.dispose()
    again = Simulator(Config(db_url=url, seed=3, frozen_at=T0))
    with again.store.lean_write() as conn:
        journal.record(conn, at=T0, pob_id="DVA", method="GET", path="/ds/y", query="", status=200, duration_ms=1,
                       request_body=None, response_body="x" * 5000, entity_ids=[], limit=100_000)
    with again.store.read() as conn:
        assert [e["response_body"] for e in journal.entries(conn, pob_id="DVA")] == ["{}", "x" * 5000]
    again.store.engine.dispose()
