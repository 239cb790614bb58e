"""Issue 22's harness figure: the time a scenario spends outside its connector's runs, and the catalogue's wall time.

    .venv/bin/python benchmarks/harness_overhead.py [--jobs 2] [--rounds 1] [--catalogue scenarios/]

Runs the real `ajio-sim run <catalogue> --connector-cmd "<python> examples/reference_connector/connector.py"
--jobs N --json F` (everything on 127.0.0.1) and reads its JSON report: for each scenario, "outside" is
its duration less the durations of its connector runs (server start, world set-up, checks, teardown).
Prints, per round, the catalogue's wall time, the mean and median outside time, the slowest few, and the
load average before and after. Scenarios whose connector is the harness's stand-in (VMS, ERP side) count
like the others. Bounded: one catalogue run per round.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_round(args) -> None:
    report = Path(tempfile.mkdtemp(prefix="ajio-overhead-")) / "report.json"
    connector = f"{sys.executable} {ROOT / 'examples/reference_connector/connector.py'}"
    cmd = [str(Path(sys.executable).with_name("ajio-sim")), "run", args.catalogue, "--connector-cmd", connector,
           "--jobs", str(args.jobs), "--json", str(report)]
    load = os.getloadavg()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - start
    if not report.exists():
        raise SystemExit(f"no report (exit {proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    doc = json.loads(report.read_text())
    outside = {s["file"]: s["duration_s"] - sum(c["duration_s"] for c in s.get("connector_runs", []))
               for s in doc["scenarios"]}
    statuses = [s["status"] for s in doc["scenarios"]]
    values = sorted(outside.values())
    print(f"catalogue {args.catalogue}: {len(values)} scenarios, exit {proc.returncode} "
          f"({statuses.count('passed')} passed), wall {wall:.1f} s, --jobs {args.jobs}; "
          f"load {tuple(round(x, 2) for x in load)} -> {tuple(round(x, 2) for x in os.getloadavg())}")
    print(f"  outside the connector per scenario: mean {statistics.mean(values):.3f} s, "
          f"median {statistics.median(values):.3f} s, total {sum(values):.1f} s")
    for file, took in sorted(outside.items(), key=lambda kv: -kv[1])[:args.slowest]:
        print(f"    {took:6.3f} s  {Path(file).resolve().relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--catalogue", default="scenarios/")
    parser.add_argument("--slowest", type=int, default=5, help="list this many of the slowest scenarios")
    args = parser.parse_args()
    for _ in range(args.rounds):
        one_round(args)
    subprocess.run(["uptime"])


if __name__ == "__main__":
    main()
