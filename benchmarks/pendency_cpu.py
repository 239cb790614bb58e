"""CPU time per GET /ds/orders/pendency in-process (Flask test client, file SQLite, 5,000 orders).

Less sensitive to a loaded machine than wrk figures: `time.process_time` counts this process's CPU
only. `--profile` prints cProfile's view of 1,000 requests instead. ROOT=<a source tree> measures
another version of the code (e.g. a `git archive` snapshot of an older commit).
    .venv/bin/python benchmarks/pendency_cpu.py [--profile]
"""
from __future__ import annotations

import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = os.environ.get("ROOT") or str(Path(__file__).resolve().parents[1])
sys.path[:0] = [ROOT, ROOT + "/tests"]

from fixtures.simclient import T0, FlaskTransport, Sim  # noqa: E402
from simulator.app import create_app  # noqa: E402

URL = "/ds/orders/pendency?page=0&size=20"


def main() -> None:
    app = create_app({"db_url": f"sqlite:///{tempfile.mkdtemp()}/p.sqlite3", "frozen_at": T0})
    sim = Sim(FlaskTransport(app.test_client()))
    pob = sim.seller()
    for _ in range(5):
        sim.place(pob["pob_id"], 1000)
    client, headers = app.test_client(), {"apiKey": sim.login(pob)}
    for _ in range(300):
        assert client.get(URL, headers=headers).status_code == 200
    if "--profile" in sys.argv:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(1000):
            client.get(URL, headers=headers)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        return
    rounds = []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(500):
            client.get(URL, headers=headers)
        rounds.append(((time.perf_counter() - wall) * 2, (time.process_time() - cpu) * 2))  # ms per request
    print(f"{ROOT}: per request, 5 rounds of 500: cpu ms {' '.join(f'{c:.2f}' for _, c in rounds)} "
          f"| wall ms {' '.join(f'{w:.2f}' for w, _ in rounds)}")


if __name__ == "__main__":
    main()
