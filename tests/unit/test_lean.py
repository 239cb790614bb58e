"""simulator/fast/lean.py: the per-request statements on the driver give what SQLAlchemy's path gives.

On both engines: the same rows, the same decoded types (JSON, booleans, big integers), the journal
insert with its entity index, and the guards against statements that do not belong in the lean path.
"""
from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select

from fixtures.simclient import T0
from simulator import journal
from simulator.app import Simulator
from simulator.clock import CLOCK_STATE
from simulator.config import Config
from simulator.domain.sellers import _TOKEN_OWNER, TOKEN_POB
from simulator.fast.lean import MAX_PREPARED
from simulator.faults import _QUICK_CHECK
from simulator.lifecycle import HANDLERS, NEXT_DUE, schedule
from simulator.store import orders, pobs


def _both(store, stmt, params=None, how="first"):
    with store.read() as conn:
        expected = getattr(conn.execute(stmt, params), how)() if how != "mappings" else \
            dict(conn.execute(stmt, params).mappings().first() or {})
    with store.lean_read() as conn:
        got = getattr(conn.execute(stmt, params), how)() if how != "mappings" else \
            dict(conn.execute(stmt, params).mappings().first() or {})
    return expected, got


def test_hot_statements_read_the_same_on_the_driver(db_url):
    from fixtures.simclient import FlaskTransport, Sim
    from simulator.app import create_app
    app = create_app({"db_url": db_url, "frozen_at": T0, "seed": 3})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    sim.place(pob["pob_id"], 2)
    token = sim.login(pob)
    store = app.extensions["ajio_sim"].store
    with store.write() as conn:
        schedule(app.extensions["ajio_sim"].ctx(conn, T0), "po_issue", "FN-X", T0 + 77)
    for stmt, params, how in ((CLOCK_STATE, None, "first"), (NEXT_DUE, None, "first"), (_QUICK_CHECK, None, "one"),
                              (_TOKEN_OWNER, {"token": token}, "first"), (TOKEN_POB, {"token": token}, "mappings"),
                              (TOKEN_POB, {"token": "nope"}, "mappings")):
        expected, got = _both(store, stmt, params, how)
        assert got == expected and [type(v) for v in (got.values() if isinstance(got, dict) else got or ())] == \
            [type(v) for v in (expected.values() if isinstance(expected, dict) else expected or ())], stmt
    row = _both(store, TOKEN_POB, {"token": token}, "mappings")[1]
    assert row["pob_id"] == pob["pob_id"] and isinstance(row["settings"], dict)
    assert row["pendency_version"] is not None  # two CREATED orders were placed
    assert _both(store, CLOCK_STATE)[1][0]["frozen_at"] == T0  # JSON decoded
    app.extensions["ajio_sim"].store.engine.dispose()


def test_journal_insert_on_the_driver_indexes_its_entities(db_url):
    sim = Simulator(Config(db_url=db_url, seed=3, frozen_at=T0))
    common = dict(pob_id="DVA", method="POST", path="/ds/orders", query="", status=200, duration_ms=3,
                  request_body='{"password": "secret", "x": 1}', limit=1000)
    with sim.store.lean_write() as conn:
        journal.record(conn, at=T0, entity_ids=["FN2", "FN1"], response_body="{}", **common)
        journal.record(conn, at=T0 + 1, entity_ids=[], response_body="[]", violations=[{"field": "x"}], **common)
    with sim.store.read() as conn:
        [first] = journal.entries(conn, entity_id="FN1")
        assert journal.entries(conn, entity_id="FN2") == [first]
        assert first["entity_ids"] == ["FN1", "FN2"] and '"***"' in first["request_body"]
        every = journal.entries(conn, pob_id="DVA")
        assert [e["at"] for e in every] == [T0, T0 + 1] and every[1]["violations"] == [{"field": "x"}]
        assert journal.entries(conn, violations=True) == [every[1]]
    sim.store.engine.dispose()


def test_a_failed_lean_write_leaves_nothing(db_url):
    sim = Simulator(Config(db_url=db_url, seed=3, frozen_at=T0))
    with pytest.raises(RuntimeError):
        with sim.store.lean_write() as conn:
            journal.record(conn, at=T0, pob_id="DVA", method="GET", path="/x", query="", status=200, duration_ms=1,
                           request_body=None, response_body="{}", entity_ids=["FN1"], limit=100)
            raise RuntimeError("after the insert")
    with sim.store.read() as conn:
        assert journal.entries(conn) == []
    sim.store.engine.dispose()


def test_statements_that_do_not_belong_are_refused(tmp_path):
    sim = Simulator(Config(db_url=f"sqlite:///{tmp_path / 's.sqlite3'}", seed=3, frozen_at=T0))
    store = sim.store
    with store.lean_read() as conn, pytest.raises(ValueError, match="expanding"):
        conn.execute(select(orders.c.order_id).where(orders.c.order_id.in_(bindparam("ids", expanding=True))),
                     {"ids": ["A"]})
    # A statement built per call would be compiled per call and kept: refused past the bound.
    with pytest.raises(RuntimeError, match="module constants"):
        with store.lean_read() as conn:
            for i in range(MAX_PREPARED + 1):
                conn.execute(select(pobs.c.pob_id).where(pobs.c.pob_id == f"P{i}"))
    store.engine.dispose()


def test_the_first_read_is_one_statement_with_what_the_separate_reads_give(db_url):
    from fixtures.simclient import FlaskTransport, Sim
    from simulator.app import create_app
    from simulator.domain.sellers import lookup_token
    from simulator.lifecycle import next_due
    app = create_app({"db_url": db_url, "frozen_at": T0, "seed": 3})
    sim_ = app.extensions["ajio_sim"]
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    sim.place(pob["pob_id"], 2)
    token = sim.login(pob)
    HANDLERS["test_noop"] = lambda ctx, entity_id: None
    with sim_.store.write() as conn:
        schedule(sim_.ctx(conn, T0), "test_noop", "FN-X", T0 + 77)
    for tok in (token, "unknown-token", None):
        now, row, fired = sim_.begin_request(tok)
        with sim_.store.read() as conn:
            assert now == sim_.clock.now(conn) == T0 and not fired
            assert row["next_due"] == next_due(conn) == T0 + 77
            assert (row["throttle_knob"], row["faults_active"]) == tuple(conn.execute(_QUICK_CHECK).one())
            separate = lookup_token(conn, tok)
        token_part = {k: row[k] for k in (separate or {})}
        assert token_part == dict(separate or {})
        assert (row["token_expires_at"] is None) == (separate is None)
    # Due timers fire after the read, and the caller is told.
    with sim_.store.write() as conn:
        sim_.store.put_meta(conn, "clock", {"offset": 0.0, "frozen_at": T0 + 100})
    try:
        assert sim_.begin_request(token)[2] is True and sim_.begin_request(token)[2] is False
    finally:
        HANDLERS.pop("test_noop", None)
    sim_.store.engine.dispose()


def test_a_single_statement_block_refuses_a_second(tmp_path):
    sim = Simulator(Config(db_url=f"sqlite:///{tmp_path / 's.sqlite3'}", seed=3, frozen_at=T0))
    with pytest.raises(RuntimeError, match="second statement"):
        with sim.store.lean_write(single=True) as conn:
            conn.execute(_TOKEN_OWNER, {"token": "a"})
            conn.execute(_TOKEN_OWNER, {"token": "b"})
    sim.store.engine.dispose()
