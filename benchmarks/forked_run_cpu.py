"""CPU of one scenario run as the harness tests make it: forked from tests/fixtures/forkrun.py's forkserver, the
run and its connector processes together (the forkserver's reaped children, /proc/<pid>/stat cutime + cstime).

    .venv/bin/python benchmarks/forked_run_cpu.py [--per-model 4] [--seed 5] [--cold]

Picks --per-model scenarios of each model at random (seeded), runs each once with the reference connector and
the reference ERP, and prints the CPU a run took on average. --cold starts the forkserver without its warm-up
(tests/fixtures/forkwarm.py), as the harness tests started before it. `make test` is CPU-bound on two cores
(both busy from start to end), so this figure, times the runs the suite makes, is most of its wall time.
Everything on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import glob
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def children_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")   # cutime + cstime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-model", type=int, default=4)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="no warm-up in the forkserver")
    args = parser.parse_args()
    if args.cold:
        os.environ["AJIO_SIM_TEST_COLD_FORKS"] = "1"
    from multiprocessing import forkserver

    from fixtures import forkrun
    rng = random.Random(args.seed)
    scenarios = []
    for model in ("ds", "jit", "vms"):
        scenarios += rng.sample(sorted(glob.glob(str(ROOT / f"scenarios/{model}/**/*.yaml"), recursive=True)),
                                args.per_model)
    # As the harness tests start them (tests/harness/conftest.py): `python -S`, the connector through its launcher
    # where the tree has one (examples/reference_connector/run.py).
    python = f"{sys.executable} -S"
    launcher = ROOT / "examples/reference_connector/run.py"
    connector = f"{python} {launcher if launcher.exists() else ROOT / 'examples/reference_connector/connector.py'}"
    erp = f"{python} {ROOT / 'examples/reference_erp/erp.py'}"
    forkrun.run(["--version"], cwd=ROOT, out_path=Path("/tmp/forked_run_cpu.out"), timeout=120)  # started, warm
    pid = forkserver._forkserver._forkserver_pid
    before, started, failed = children_cpu(pid), time.monotonic(), 0
    for scenario in scenarios:
        code, _ = forkrun.run(["run", scenario, "--connector-cmd", connector, "--erp-cmd", erp], cwd=ROOT,
                              out_path=Path("/tmp/forked_run_cpu.out"), timeout=600)
        failed += code != 0
    cpu = children_cpu(pid) - before
    print(f"{len(scenarios)} runs ({'cold' if args.cold else 'warm'} forkserver), {failed} failed, "
          f"{time.monotonic() - started:.1f} s wall: {cpu:.1f} s CPU, {cpu / len(scenarios):.2f} s a run; "
          f"load {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
