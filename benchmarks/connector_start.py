"""CPU of starting the bundled connectors, against a bare Python start, in one run.

    .venv/bin/python benchmarks/connector_start.py [--runs 100]

A scenario starts one connector process per sync (thousands in `make test`), so what a connector imports before
its first call is much of the harness tests' CPU. Each case is a fresh `python -S` process (as the harness tests
start the bundled connectors): the bare interpreter; each model's reference connector as `python connector.py` loads
it (the script compiled, then the model's module importing connector.py again) and as `run.py` loads it (imported
once, from cached bytecode), up to its first call; the bug registry as `buggy.py` and `run_bug.py` start it, without
a bug (it prints its usage). The cases
are interleaved run by run, so a load that comes and goes touches them alike; the figure is the CPU (user + system,
the reaped children's rusage) per start. Nothing is contacted.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(ROOT, "examples", "reference_connector")


def cases(python: str) -> dict[str, list[str]]:
    path = f"import sys; sys.path.insert(0, {REF!r}); "
    # `python connector.py` compiles the script, runs its top level, and a JIT or VMS sync imports it again as the
    # module its model's connector builds on; run.py imports it once, from cached bytecode.
    source = os.path.join(REF, "connector.py")
    script = path + f"exec(compile(open({source!r}).read(), {source!r}, 'exec'), " \
                    f"{{'__name__': 'script', '__file__': {source!r}}}); "
    bugs = os.path.join(ROOT, "examples", "buggy_connectors")
    cases = {
        "bare python -S": [python, "-S", "-c", "pass"],
        "connector.py (DS, as a script)": [python, "-S", "-c", script],
        "run.py (DS)": [python, "-S", "-c", path + "import connector"],
        "connector.py (JIT, as a script)": [python, "-S", "-c", script + "import jit_connector"],
        "run.py (JIT)": [python, "-S", "-c", path + "import jit_connector"],
        "connector.py (VMS, as a script)": [python, "-S", "-c", script + "import vms_connector"],
        "run.py (VMS)": [python, "-S", "-c", path + "import vms_connector"],
        "buggy.py (usage)": [python, "-S", os.path.join(bugs, "buggy.py")],
        "run_bug.py (usage)": [python, "-S", os.path.join(bugs, "run_bug.py")],
    }
    # An older tree without the launchers (to compare with): its rows left out.
    return {name: argv for name, argv in cases.items() if not argv[-1].endswith(".py") or os.path.exists(argv[-1])}


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="starts per case (default 100)")
    args = parser.parse_args()
    todo = cases(sys.executable)
    spent = dict.fromkeys(todo, 0.0)
    for _ in range(args.runs):
        for name, argv in todo.items():
            before = children_cpu()
            done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
            if done.returncode not in (0, 1) or b"Traceback" in done.stderr:  # buggy.py's usage exits 1
                sys.exit(f"{name}: {done.stderr.decode(errors='replace')[-800:]}")
            spent[name] += children_cpu() - before
    load = os.getloadavg()
    print(f"{args.runs} starts per case, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    bare = spent["bare python -S"] / args.runs
    for name, total in spent.items():
        per = total / args.runs
        print(f"{name:34s} {per * 1000:6.1f} ms CPU per start   (+{(per - bare) * 1000:5.1f} ms over bare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
