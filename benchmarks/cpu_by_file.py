"""CPU of the test suite per test file, the processes each file starts included (a pytest plugin and its report).

    CPU_BY_FILE_DIR=/tmp/cpu PYTHONPATH=benchmarks .venv/bin/python -m pytest -q -p cpu_by_file -n 3 --dist loadfile
    .venv/bin/python benchmarks/cpu_by_file.py /tmp/cpu

`make test` keeps both cores busy, so its wall time follows the CPU the suite spends; a file's wall time does
not (a file whose scenarios wait for an ERP's round trips takes minutes of wall and little CPU). The plugin reads,
in each pytest process, the CPU of its whole process tree from /proc (every live descendant's user and system time
and the time of the children each has reaped: the forkserver's runs, their connector and ERP processes) when a
test starts, and charges the difference since the last reading to the file of the test before. What runs before
the first test (collection, the forkserver's start) is charged to "(collection)". A process that ends orphaned,
reaped by init rather than by the suite, is missed: the harness waits for every process it starts.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stats() -> dict[int, tuple[int, float]]:
    """{pid: (ppid, CPU seconds of itself and of its reaped children)} of every process."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw.rsplit(")", 1)[1].split()
        # after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
        out[int(entry)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / TICK)
    return out


def tree_cpu(root: int) -> float:
    stats = _stats()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
        todo.extend(children.get(pid, ()))
    return total


class _Meter:
    def __init__(self, out_dir: Path) -> None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.path = out_dir / f"{worker}.jsonl"
        self.file = "(collection)"
        self.cpu = tree_cpu(os.getpid())
        self.wall = time.monotonic()
        self.rows: dict[str, list[float]] = {}

    def charge(self, next_file: str | None) -> None:
        cpu, wall = tree_cpu(os.getpid()), time.monotonic()
        row = self.rows.setdefault(self.file, [0.0, 0.0])
        row[0] += cpu - self.cpu
        row[1] += wall - self.wall
        self.cpu, self.wall = cpu, wall
        if next_file is not None:
            self.file = next_file

    def write(self) -> None:
        with self.path.open("w") as fh:
            for name, (cpu, wall) in self.rows.items():
                fh.write(json.dumps({"file": name, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2)}) + "\n")


_meter: _Meter | None = None


def pytest_configure(config):
    global _meter
    out = os.environ.get("CPU_BY_FILE_DIR")
    # the xdist controller runs no test: only the processes that run tests measure
    if out and (os.environ.get("PYTEST_XDIST_WORKER") or not getattr(config.option, "numprocesses", None)):
        Path(out).mkdir(parents=True, exist_ok=True)
        _meter = _Meter(Path(out))


def pytest_runtest_logstart(nodeid, location):
    if _meter is not None:
        name = nodeid.split("::", 1)[0]
        if name != _meter.file:
            _meter.charge(name)


def pytest_sessionfinish(session, exitstatus):
    if _meter is not None:
        _meter.charge(None)
        _meter.write()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    rows: dict[str, list[float]] = {}
    for part in sorted(Path(argv[0]).glob("*.jsonl")):
        for line in part.read_text().splitlines():
            r = json.loads(line)
            row = rows.setdefault(r["file"], [0.0, 0.0])
            row[0] += r["cpu_s"]
            row[1] += r["wall_s"]
    total_cpu = sum(r[0] for r in rows.values())
    total_wall = sum(r[1] for r in rows.values())
    print(f"{'file':<60} {'CPU s':>8} {'share':>6} {'wall s':>8}")
    for name, (cpu, wall) in sorted(rows.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:<60} {cpu:8.1f} {cpu / total_cpu:6.1%} {wall:8.1f}")
    print(f"{'all (' + str(len(rows)) + ' files)':<60} {total_cpu:8.1f} {1:6.1%} {total_wall:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
