"""`ajio-sim soak` speed: how long a soak takes and how the time splits between simulator and connector.

    .venv/bin/python benchmarks/soak.py --days 30 --orders-per-day 500             # the issue's target run
    .venv/bin/python benchmarks/soak.py --days 2 --orders-per-day 500 --cprofile   # where the CPU goes

The connector is the reference connector, in process (--connector python, the default: no process per
tick) or as a process per tick (--connector cmd). Prints the machine's load before and after, the wall
time, the split the soak reports (docs/soak.md "Where the time goes") and, with --cprofile, the top
functions by own time of the whole process (the simulator's threads included: the profiler is set on
every thread).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--days", type=int, default=2)
    p.add_argument("--orders-per-day", type=int, default=500)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--profile", default="exact")
    p.add_argument("--connector", choices=("python", "cmd"), default="python")
    p.add_argument("--set", dest="assignments", action="append", default=[])
    p.add_argument("--cprofile", action="store_true")
    p.add_argument("--json", help="write the soak's JSON report here")
    args = p.parse_args()

    from harness.connectors import CommandAdapter, PythonAdapter
    from harness.soak.config import SoakConfig
    from harness.soak.engine import SoakRun
    from harness.soak.report import console, write_reports

    cfg = SoakConfig(days=args.days, orders_per_day=args.orders_per_day, seed=args.seed,
                     profile=args.profile).apply(args.assignments)
    adapter = (PythonAdapter("tests/fixtures/soak_connectors.py:reference") if args.connector == "python" else
               CommandAdapter(f"{sys.executable} {ROOT}/examples/reference_connector/connector.py"))
    load_before = os.getloadavg()
    profiler = cProfile.Profile() if args.cprofile else None
    server_profiler = cProfile.Profile() if args.cprofile else None
    started = time.monotonic()
    cpu0 = time.process_time()
    run = SoakRun(cfg, adapter, "benchmarks/soak.py", progress=lambda t: print(" ", t, flush=True))
    if server_profiler:
        # The simulator answers on its own threads, one request at a time: a second profiler around each
        # request (inside the soak's tap) sees the simulator's share; the first one the soak and connector.
        setup = run._setup

        def profiled_setup():
            setup()
            tap = run.world.tap
            inner = tap.app

            def app(environ, start_response):
                server_profiler.enable()
                try:
                    return list(inner(environ, start_response))
                finally:
                    server_profiler.disable()
            tap.app = app
        run._setup = profiled_setup
        profiler.enable()
    try:
        result = run.run()
        wall, cpu = time.monotonic() - started, time.process_time() - cpu0
        if profiler:
            profiler.disable()
        doc = write_reports(result, html=None, json_path=args.json, junit=None)
    finally:
        run.close()
    print(console(doc))
    print(json.dumps({"wall_s": round(wall, 1), "process_cpu_s": round(cpu, 1),
                      "load_before": [round(x, 2) for x in load_before],
                      "load_after": [round(x, 2) for x in os.getloadavg()], "timing": doc["timing"],
                      "ticks": doc["ticks"], "orders": doc["world"]["orders"],
                      "calls": sum(h["calls"] for h in doc["hours"])}, indent=1))
    if profiler:
        print("== the soak's thread (harness, and the connector when in process)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
        print("== the simulator's request threads")
        pstats.Stats(server_profiler).sort_stats("tottime").print_stats(45)
    return 0 if doc["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
