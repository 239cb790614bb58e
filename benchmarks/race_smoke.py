"""16 threads race acknowledge against customer-cancel on 40 orders of one POB, on a real server.

A smoke check, not issue 9's concurrency test: counts answers, final states, and orders that left
CREATED more than once (must be 0), on a file and an in-memory SQLite store.
    .venv/bin/python benchmarks/race_smoke.py
"""
from __future__ import annotations

import collections
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures.simclient import HttpTransport, ServerProcess, Sim  # noqa: E402


def race(proc: ServerProcess, label: str) -> None:
    sim = Sim(HttpTransport(proc.base_url))
    pob = sim.seller()
    ids = sim.place(pob["pob_id"], 40)
    codes: collections.Counter = collections.Counter()

    def work(i: int) -> None:
        worker = Sim(HttpTransport(proc.base_url))
        token = worker.login(pob)
        for order_id in ids:
            if i % 2:
                r = worker.acknowledge_all(token, order_id)
            else:
                r = worker.http("POST", f"/_sim/orders/{order_id}/customer-cancel", json_body={})
            codes[r.status] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    states = collections.Counter(sim.state(o)["status"] for o in ids)
    twice = sum(1 for o in ids if sum(1 for t in sim.state(o)["timeline"] if t["from"] == "CREATED"
                                       and t["to"] != "CREATED") != 1)
    errors = [line for line in proc.banner if "Traceback" in line]
    print(f"{label}: answers {dict(codes)}, final {dict(states)}, orders leaving CREATED != once: {twice}, "
          f"tracebacks: {len(errors)}")


def main() -> None:
    for label, db in (("file SQLite", Path(tempfile.mkdtemp()) / "race.sqlite3"), ("memory SQLite", None)):
        # The second --db wins (argparse keeps the last value): the in-memory store.
        proc = ServerProcess(db) if db else ServerProcess(Path("unused"), "--db", "sqlite://")
        try:
            race(proc, label)
        finally:
            proc.stop()


if __name__ == "__main__":
    main()
