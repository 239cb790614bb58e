"""Waiting in real time inside a request: a latency fault's sleep, a call to a seller's ERP.

Under `serve --workers N` each worker process runs one request's app code at a time (its run lock,
simulator/workers.py): several runnable threads in one process fought over the GIL and served a cached
GET at less than half the rate of one thread (benchmarks/README.md, issue 22). A request that waits on
real time must not hold the others up, so it waits inside `waiting()`, which lets the next request of
that worker run meanwhile. Outside `serve --workers N` (the one-process server, tests, the harness's
embedded server) nothing is installed and `waiting()` does nothing.
"""
from __future__ import annotations

from contextlib import contextmanager, nullcontext

_pause = None  # installed by simulator/workers.py in each worker process: the run lock's pause()


def install(pause) -> None:
    """`pause()`: a context manager that gives up the calling request's turn and takes it back after."""
    global _pause
    _pause = pause


@contextmanager
def waiting():
    with (_pause() if _pause is not None else nullcontext()):
        yield
