"""What the parts of an AJIO call cost, in-process (the third profiling pass, benchmarks/README.md).

    .venv/bin/python benchmarks/request_parts.py [--tail]

1. A statement and an empty transaction through SQLAlchemy's Connection against the driver's own
   cursor (a file SQLite store).
2. A journal write of a 16 KB answer through SQLAlchemy against the same INSERT on the driver.
3. --tail: 6,000 GET pendency requests (Flask test client, 5,000 orders); the slow ones and the
   journal writes among them (WAL checkpoints), and the WAL's size at the end.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from simulator import journal  # noqa: E402
from simulator.clock import CLOCK_STATE  # noqa: E402
from simulator.store import Store  # noqa: E402

N = 5000


def per_call_us(fn, n: int = N) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def statements() -> None:
    store = Store(f"sqlite:///{tempfile.mkdtemp()}/parts.sqlite3")
    store.create_schema()
    with store.write() as conn:
        store.put_meta(conn, "clock", {"offset": 0, "frozen_at": 1})
    with store.read() as conn:
        sa = per_call_us(lambda: conn.execute(CLOCK_STATE).first())
        cursor = conn.connection.driver_connection.cursor()
        sql = str(CLOCK_STATE.compile(dialect=store.engine.dialect))
        raw = per_call_us(lambda: cursor.execute(sql, ("clock",)).fetchone())

    def sa_txn():
        with store.read():
            pass

    def raw_txn():
        fairy = store.engine.raw_connection()
        try:
            fairy.driver_connection.execute("BEGIN")
            fairy.driver_connection.execute("COMMIT")
        finally:
            fairy.close()

    print(f"clock read: SQLAlchemy {sa:.1f} us, driver {raw:.1f} us; empty transaction: SQLAlchemy "
          f"{per_call_us(sa_txn):.1f} us, driver (pooled) {per_call_us(raw_txn):.1f} us")

    entry = dict(at=1, pob_id="DVA", method="GET", path="/ds/orders/pendency", query="page=0&size=20", status=200,
                 duration_ms=1, request_body=None, response_body="x" * 16000, entity_ids=[], limit=16384)

    def sa_journal():
        with store.write() as conn:
            journal.record(conn, **entry)

    def lean_journal():
        row = journal.Entry(**entry)  # a 16 KB answer is split off by hash: two statements, one transaction
        with store.lean_write(single=row.statements == 1) as conn:
            row.insert(conn)

    print(f"journal write of 16 KB: SQLAlchemy {per_call_us(sa_journal, 2000):.0f} us, "
          f"driver (simulator/fast/lean.py) {per_call_us(lean_journal, 2000):.0f} us")
    store.engine.dispose()


def tail() -> None:
    import simulator.app as app_module
    from fixtures.simclient import T0, FlaskTransport, Sim
    path = f"{tempfile.mkdtemp()}/tail.sqlite3"
    app = app_module.create_app({"db_url": f"sqlite:///{path}", "frozen_at": T0})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    for _ in range(5):
        sim.place(pob["pob_id"], 1000)
    client, headers = app.test_client(), {"apiKey": sim.login(pob)}
    writes, original = [], app_module._write_journal

    def timed(sim_, response):
        start = time.perf_counter()
        original(sim_, response)
        writes.append(time.perf_counter() - start)

    app_module._write_journal = timed
    latency = []
    for _ in range(6000):
        start = time.perf_counter()
        client.get("/ds/orders/pendency?page=0&size=20", headers=headers)
        latency.append(time.perf_counter() - start)
    latency, writes = sorted(latency[1000:]), writes[1000:]
    n = len(latency)
    print(f"{n} requests: p50 {latency[n // 2] * 1e3:.2f} ms, p99 {latency[int(n * .99)] * 1e3:.2f} ms, "
          f"max {latency[-1] * 1e3:.2f} ms; requests over 5 ms {sum(x > .005 for x in latency)}, journal writes "
          f"over 5 ms {sum(x > .005 for x in writes)}; WAL {os.path.getsize(path + '-wal') // 1024} KB")


if __name__ == "__main__":
    statements()
    if "--tail" in sys.argv:
        tail()
